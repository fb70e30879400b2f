/* operator_catalog.c: the operator's catalog: every category with its products under it, hidden
 * and retired ones included, each with its visibility, stock and from-price; Enter opens a
 * product, and t, e, V and M change what is selected. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/operator_catalog.h"
#include "screens/paging.h"

#define PER_PAGE  100
#define MAX_PAGES 50

/* A row of the table: a category, or a product (under its category). */
struct row {
    bool is_category;
    size_t index;
};

struct catalog_view {
    struct app *app;
    struct catalog_category_list *cats;
    struct catalog_product *products;
    size_t n_products;
    struct row *rows;
    size_t n_rows;
    uint64_t cats_req, products_req, reload_timer;
    bool loaded;
    unsigned gen;
    int64_t keep; /* the row to select again after a load: a product's id, -a category's */
    struct client_error err;
    struct tui_list list;
    struct tui_rect table_rows;
    struct catalog_action act;
};

static const enum tui_op catalog_keys[] = {
    OP_ENTER,  OP_RESTOCK, OP_EDIT,          OP_TOGGLE_VISIBLE, OP_APPLY_PRICES, OP_UP,
    OP_DOWN,   OP_RETRY,   OP_FIND_CUSTOMER, OP_CATALOG,        OP_COUPONS,      OP_SETTINGS,
    OP_ORDERS, OP_PAGE_UP, OP_PAGE_DOWN,     OP_HOME,           OP_END,          OP_BACK,
    OP_HELP,   OP_QUIT,    OP_NONE,
};

static void load(struct catalog_view *v);

/* ---- the rows ---- */

static int64_t row_key(const struct catalog_view *v, const struct row *r)
{
    return r->is_category ? -v->cats->items[r->index].id : v->products[r->index].id;
}

static void select_key(struct catalog_view *v, int64_t key)
{
    for (size_t i = 0; key && i < v->n_rows; i++)
        if (row_key(v, &v->rows[i]) == key)
            v->list.selected = (int)i;
}

/* Each category in its order, its products after it in theirs; products of a category not in
 * the list (none, normally) at the end. */
static int build_rows(struct catalog_view *v)
{
    size_t ncats = v->cats ? v->cats->n : 0, n = 0;
    bool *placed = calloc(v->n_products + 1, sizeof *placed);

    free(v->rows);
    v->rows = calloc(ncats + v->n_products + 1, sizeof *v->rows);
    if (!v->rows || !placed) {
        free(placed);
        return -1;
    }
    for (size_t c = 0; c < ncats; c++) {
        v->rows[n++] = (struct row){true, c};
        for (size_t p = 0; p < v->n_products; p++)
            if (!placed[p] && v->products[p].category_id == v->cats->items[c].id) {
                v->rows[n++] = (struct row){false, p};
                placed[p] = true;
            }
    }
    for (size_t p = 0; p < v->n_products; p++)
        if (!placed[p])
            v->rows[n++] = (struct row){false, p};
    free(placed);
    v->n_rows = n;
    v->list.count = (int)n;
    v->list.selected = 0;
    v->list.top = 0;
    select_key(v, v->keep);
    return 0;
}

static void clear_data(struct catalog_view *v)
{
    catalog_category_list_free(&v->cats);
    for (size_t i = 0; i < v->n_products; i++)
        catalog_product_clear(&v->products[i]);
    free(v->products);
    v->products = NULL;
    v->n_products = 0;
    free(v->rows);
    v->rows = NULL;
    v->n_rows = 0;
    v->list.count = 0;
}

static const struct row *selected_row(const struct catalog_view *v)
{
    if (v->list.selected < 0 || (size_t)v->list.selected >= v->n_rows)
        return NULL;
    return &v->rows[v->list.selected];
}

static const struct catalog_product *selected_product(const struct catalog_view *v)
{
    const struct row *r = selected_row(v);
    return r && !r->is_category ? &v->products[r->index] : NULL;
}

static const struct catalog_category *selected_category(const struct catalog_view *v)
{
    const struct row *r = selected_row(v);
    return r && r->is_category ? &v->cats->items[r->index] : NULL;
}

/* ---- loading ---- */

static void loaded_all(struct catalog_view *v)
{
    if (v->cats_req || v->products_req || v->err.status != CLIENT_OK || !v->cats)
        return;
    if (build_rows(v) != 0)
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "out of memory");
    v->loaded = true;
}

static void fetch_products(struct catalog_view *v, int page);

static void on_products(void *ud, struct catalog_product_page *pg, const struct client_error *err)
{
    struct catalog_view *v = ud;
    int next;

    v->products_req = 0;
    if (!pg) {
        v->err = *err;
        return;
    }
    if (paging_append((void **)&v->products, &v->n_products, pg->items, pg->n, sizeof *pg->items) !=
        0) {
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "out of memory");
        catalog_product_page_free(&pg);
        return;
    }
    next = paging_next(&pg->meta, pg->n, MAX_PAGES);
    pg->n = 0; /* the items moved */
    catalog_product_page_free(&pg);
    if (next)
        fetch_products(v, next);
    else
        loaded_all(v);
}

static void fetch_products(struct catalog_view *v, int page)
{
    struct catalog_product_query q = {.page = page, .per_page = PER_PAGE};
    v->products_req = client_catalog_get_products(v->app->client, &q, on_products, v);
    if (!v->products_req)
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "could not start the request");
}

static void on_categories(void *ud, struct catalog_category_list *l, const struct client_error *err)
{
    struct catalog_view *v = ud;

    v->cats_req = 0;
    if (!l) {
        v->err = *err;
        return;
    }
    v->cats = l;
    loaded_all(v);
}

static void cancel(struct catalog_view *v)
{
    client_cancel(v->app->client, v->cats_req);
    client_cancel(v->app->client, v->products_req);
    v->cats_req = v->products_req = 0;
}

static void load(struct catalog_view *v)
{
    const struct row *r = selected_row(v);
    if (r)
        v->keep = row_key(v, r);
    cancel(v);
    clear_data(v);
    client_error_clear(&v->err);
    v->loaded = false;
    v->gen = v->app->account_gen;
    v->cats_req = client_catalog_get_categories(v->app->client, on_categories, v);
    if (!v->cats_req) {
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "could not start the request");
        return;
    }
    fetch_products(v, 1);
}

/* A change went through (or was refused as stale): the list as the server has it now. */
static void on_changed(void *ud)
{
    struct catalog_view *v = ud;
    v->app->account_gen++; /* a product screen below or above loads again too */
    load(v);
}

/* ---- painting ---- */

enum { COL_NAME, COL_SLUG, COL_VISIBLE, COL_STOCK, COL_FROM, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_NAME] = {"Name", 0, false},     [COL_SLUG] = {"Slug", 18, false},
    [COL_VISIBLE] = {"Shown", 7, false}, [COL_STOCK] = {"Stock", 10, false},
    [COL_FROM] = {"From", 12, true},
};
static const int min_width[N_COLS] = {[COL_SLUG] = 100};

struct paint_ctx {
    struct catalog_view *v;
    int ids[N_COLS];
};

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct paint_ctx *ctx = ud;
    struct catalog_view *v = ctx->v;
    const struct row *r = &v->rows[row];
    bool sel = row == v->list.selected;

    *el = sel ? EL_SELECTED : EL_NORMAL;
    if (r->is_category) {
        const struct catalog_category *c = &v->cats->items[r->index];
        switch (ctx->ids[col]) {
        case COL_NAME:
            if (!sel)
                *el = EL_CATEGORY;
            return c->name;
        case COL_SLUG:
            return c->slug;
        case COL_VISIBLE:
            if (!sel && !c->visible)
                *el = EL_DIM;
            return catalog_visibility(c->visible, false);
        case COL_STOCK:
            snprintf(buf, n, "%d product%s", c->product_count, c->product_count == 1 ? "" : "s");
            if (!sel)
                *el = EL_DIM;
            return buf;
        default:
            return "";
        }
    }
    const struct catalog_product *p = &v->products[r->index];
    switch (ctx->ids[col]) {
    case COL_NAME:
        snprintf(buf, n, "  %s", p->name);
        if (!sel)
            *el = p->visible && !p->retired ? EL_PRODUCT_NAME : EL_DIM;
        return buf;
    case COL_SLUG:
        return p->slug;
    case COL_VISIBLE:
        if (!sel && (!p->visible || p->retired))
            *el = EL_DIM;
        return catalog_visibility(p->visible, p->retired);
    case COL_STOCK: {
        enum theme_elem sel_el = *el;
        catalog_stock_text(&p->stock, buf, n, el);
        if (sel)
            *el = sel_el;
        return buf;
    }
    default:
        catalog_from_price(v->app, p, buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    }
}

static void reload_now(void *ud)
{
    struct catalog_view *v = ud;
    v->reload_timer = 0;
    load(v);
}

static void catalog_paint(struct screen *s, struct tui_rect body)
{
    struct catalog_view *v = s->priv;
    struct tui_rect area = {body.y + 1, body.x, body.h - 1, body.w};

    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->gen) && !v->cats_req && !v->products_req && !v->reload_timer)
        v->reload_timer = app_after(v->app, 0, reload_now, v);
    tui_text(s->tui, body.y, body.x + 1, body.w - 2, EL_DIM,
             "Every category and product, hidden ones too. Enter opens a product.");
    if (v->err.status != CLIENT_OK && !v->cats_req && !v->products_req) {
        frame_error(v->app, area, &v->err);
        return;
    }
    if (!v->loaded) {
        frame_loading(v->app, area, "Loading the catalog…");
        return;
    }
    if (v->n_rows == 0) {
        frame_message(v->app, area, EL_NORMAL, "The catalog is empty.");
        return;
    }
    struct tui_rect table = {area.y + 1, area.x + 1, area.h - 1, area.w - 2};
    struct tui_column cols[N_COLS];
    struct paint_ctx ctx = {.v = v};
    int ncols = 0;
    for (int i = 0; i < N_COLS; i++) {
        if (body.w < min_width[i])
            continue;
        ctx.ids[ncols] = i;
        cols[ncols++] = columns[i];
    }
    v->table_rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&v->list, &(struct tui_event){.kind = TUI_EV_KEY}, v->table_rows);
    tui_table_paint(s->tui, table, cols, ncols, (int)v->n_rows, v->list.top, cell, &ctx);
}

/* ---- keys ---- */

static void open_product(struct catalog_view *v)
{
    const struct catalog_product *p = selected_product(v);
    if (p)
        tui_push(v->app->tui, &operator_product_screen, (void *)&p->id);
}

static enum tui_action catalog_handle(struct screen *s, const struct tui_event *ev)
{
    struct catalog_view *v = s->priv;
    const struct catalog_product *p = selected_product(v);
    const struct catalog_category *c = selected_category(v);

    if (ev->kind == TUI_EV_MOUSE) {
        int at = tui_list_hit(&v->list, v->table_rows, ev->y);
        if (ev->mouse == TUI_MOUSE_CLICK && at >= 0 && at == v->list.selected)
            open_product(v);
        else
            tui_list_handle(&v->list, ev, v->table_rows);
        return TUI_HANDLED;
    }
    switch (ev->op) {
    case OP_ENTER:
        open_product(v);
        return TUI_HANDLED;
    case OP_RETRY:
        load(v);
        return TUI_HANDLED;
    case OP_RESTOCK:
        if (p)
            catalog_restock(&v->act, p);
        else
            tui_status(s->tui, "Select a product to restock.");
        return TUI_HANDLED;
    case OP_EDIT:
        if (c)
            catalog_rename_category(&v->act, c);
        else if (p)
            open_product(v); /* its fields are changed there */
        return TUI_HANDLED;
    case OP_TOGGLE_VISIBLE:
        if (c)
            catalog_toggle_category(&v->act, c);
        else if (p)
            catalog_toggle_visible(&v->act, p);
        return TUI_HANDLED;
    case OP_APPLY_PRICES:
        if (p)
            catalog_apply_prices(&v->act, p);
        else
            tui_status(s->tui, "Select a product to apply its prices.");
        return TUI_HANDLED;
    default:
        break;
    }
    return app_handle_list(v->app, &v->list, ev, v->table_rows);
}

/* ---- screen operations ---- */

static int catalog_open(struct screen *s, void *arg)
{
    struct catalog_view *v = s->priv;
    (void)arg;
    v->app = s->app;
    v->list.item_h = 1;
    catalog_action_init(&v->act, v->app, on_changed, v);
    load(v);
    return 0;
}

static void catalog_close(struct screen *s)
{
    struct catalog_view *v = s->priv;
    catalog_action_cancel(&v->act);
    cancel(v);
    app_cancel_timer(v->app, v->reload_timer);
    clear_data(v);
}

static void catalog_reload(struct screen *s)
{
    load(s->priv);
}

static const char *catalog_title(struct screen *s, char *buf, size_t n)
{
    struct catalog_view *v = s->priv;
    if (v->loaded)
        tui_format(s->tui, buf, n, "Operator › Catalog · %zu categor%s, %zu product%s",
                   v->cats ? v->cats->n : 0, v->cats && v->cats->n == 1 ? "y" : "ies",
                   v->n_products, v->n_products == 1 ? "" : "s");
    else
        tui_format(s->tui, buf, n, "Operator › Catalog");
    return buf;
}

const struct screen_ops operator_catalog_screen = {
    .name = "operator-catalog",
    .priv_size = sizeof(struct catalog_view),
    .open = catalog_open,
    .close = catalog_close,
    .paint = catalog_paint,
    .handle = catalog_handle,
    .reload = catalog_reload,
    .title = catalog_title,
    .keys = catalog_keys,
};
