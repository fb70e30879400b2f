/* operator_catalog_product.c: one product as the operator edits it: every field, each cycle's
 * price and setup fee, its options, stock and version; e changes the selected row. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/operator_catalog.h"

#define NO_CHANGE (-1)
#define TOGGLE    (-2)

struct field_row {
    char label[64];
    char value[600];
    enum theme_elem el;
    int change; /* an enum catalog_change, NO_CHANGE or TOGGLE */
    size_t cycle;
};

struct product_view {
    struct app *app;
    int64_t id;
    struct catalog_product *p;
    struct field_row *rows;
    size_t n_rows;
    uint64_t req, reload_timer;
    unsigned gen;
    struct client_error err;
    struct tui_list list;
    struct tui_rect table_rows;
    struct catalog_action act;
};

static const enum tui_op product_keys[] = {
    OP_EDIT, OP_RESTOCK, OP_TOGGLE_VISIBLE, OP_APPLY_PRICES, OP_UP,   OP_DOWN, OP_RETRY,
    OP_HOME, OP_END,     OP_BACK,           OP_HELP,         OP_QUIT, OP_NONE,
};

/* ---- the rows ---- */

static struct field_row *add_row(struct product_view *v, const char *label, int change)
{
    struct field_row *r = &v->rows[v->n_rows++];
    snprintf(r->label, sizeof r->label, "%s", label);
    r->value[0] = '\0';
    r->el = EL_NORMAL;
    r->change = change;
    return r;
}

static void option_row(struct product_view *v, const struct catalog_option *o)
{
    struct product_option po = {.resource = o->resource,
                                .label = o->label,
                                .unit = o->unit,
                                .unit_size = o->unit_size,
                                .min = o->min,
                                .max = o->max,
                                .step = o->step,
                                .def = o->def};
    char label[64], lo[32], hi[32], step[32], def[32], price[64];
    struct field_row *r;

    snprintf(label, sizeof label, "Option %s", o->label[0] ? o->label : o->resource);
    r = add_row(v, label, NO_CHANGE);
    fmt_option_value(&po, o->min, lo, sizeof lo);
    fmt_option_value(&po, o->max, hi, sizeof hi);
    fmt_option_value(&po, o->step, step, sizeof step);
    fmt_option_value(&po, o->def, def, sizeof def);
    catalog_amount(v->app, o->unit_price, price, sizeof price);
    snprintf(r->value, sizeof r->value, "%s to %s by %s, default %s; %s per %s/mo", lo, hi, step,
             def, price, o->unit[0] ? o->unit : "unit");
}

static int build_rows(struct product_view *v)
{
    const struct catalog_product *p = v->p;
    size_t cap = 16 + 2 * p->n_cycles + p->n_options;
    char res[200];
    struct field_row *r;

    free(v->rows);
    v->n_rows = 0;
    if (!(v->rows = calloc(cap, sizeof *v->rows)))
        return -1;
    snprintf(add_row(v, "Name", CHANGE_NAME)->value, sizeof r->value, "%s", p->name);
    snprintf(add_row(v, "Slug", NO_CHANGE)->value, sizeof r->value, "%s", p->slug);
    snprintf(add_row(v, "Category", NO_CHANGE)->value, sizeof r->value, "%s", p->category);
    snprintf(add_row(v, "Short description", CHANGE_SHORT_DESCRIPTION)->value, sizeof r->value,
             "%s", p->short_description);
    snprintf(add_row(v, "Description", CHANGE_DESCRIPTION)->value, sizeof r->value, "%s",
             p->description);
    r = add_row(v, "Shown", TOGGLE);
    snprintf(r->value, sizeof r->value, "%s", catalog_visibility(p->visible, p->retired));
    r->el = p->visible && !p->retired ? EL_STATUS_ACTIVE : EL_DIM;
    snprintf(add_row(v, "Place in list", CHANGE_SORT_ORDER)->value, sizeof r->value, "%d",
             p->sort_order);
    r = add_row(v, "Stock", CHANGE_STOCK);
    catalog_stock_text(&p->stock, r->value, sizeof r->value, &r->el);
    fmt_resources_line(&p->resources, false, res, sizeof res);
    snprintf(add_row(v, "Pricing", NO_CHANGE)->value, sizeof r->value, "%s; %s",
             pricing_model_str(p->pricing_model), res);
    for (size_t i = 0; i < p->n_cycles; i++) {
        char label[64];
        const char *cy = billing_cycle_label(p->cycles[i].cycle);
        snprintf(label, sizeof label, "%s price", cy);
        r = add_row(v, label, CHANGE_PRICE);
        r->cycle = i;
        r->el = EL_PRICE;
        catalog_amount(v->app, p->cycles[i].price, r->value, sizeof r->value);
        snprintf(label, sizeof label, "%s setup fee", cy);
        r = add_row(v, label, CHANGE_SETUP_FEE);
        r->cycle = i;
        catalog_amount(v->app, p->cycles[i].setup_fee, r->value, sizeof r->value);
    }
    for (size_t i = 0; i < p->n_options; i++)
        option_row(v, &p->options[i]);
    r = add_row(v, "From", NO_CHANGE);
    catalog_from_price(v->app, p, r->value, sizeof r->value);
    snprintf(add_row(v, "Services", NO_CHANGE)->value, sizeof r->value, "%d not ended",
             p->services);
    snprintf(add_row(v, "Version", NO_CHANGE)->value, sizeof r->value, "%" PRId64, p->version);
    v->list.count = (int)v->n_rows;
    return 0;
}

/* ---- loading ---- */

static void on_product(void *ud, struct catalog_product *p, const struct client_error *err)
{
    struct product_view *v = ud;
    v->req = 0;
    if (!p) {
        v->err = *err;
        return;
    }
    catalog_product_free(&v->p);
    v->p = p;
    if (build_rows(v) != 0)
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "out of memory");
}

static void load(struct product_view *v)
{
    client_cancel(v->app->client, v->req);
    client_error_clear(&v->err);
    v->gen = v->app->account_gen;
    v->req = client_catalog_get_product(v->app->client, v->id, on_product, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "no such product");
}

static void on_changed(void *ud)
{
    struct product_view *v = ud;
    v->app->account_gen++; /* the catalog list loads again when it shows */
    load(v);
}

static void reload_now(void *ud)
{
    struct product_view *v = ud;
    v->reload_timer = 0;
    load(v);
}

/* ---- painting ---- */

enum { COL_FIELD, COL_VALUE, N_COLS };
static const struct tui_column columns[N_COLS] = {{"Field", 22, false}, {"Value", 0, false}};

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct product_view *v = ud;
    const struct field_row *r = &v->rows[row];
    bool sel = row == v->list.selected;
    (void)buf;
    (void)n;
    *el = sel ? EL_SELECTED : col == COL_FIELD ? EL_LABEL : r->el;
    return col == COL_FIELD ? r->label : r->value;
}

static void product_paint(struct screen *s, struct tui_rect body)
{
    struct product_view *v = s->priv;

    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->gen) && !v->req && !v->reload_timer)
        v->reload_timer = app_after(v->app, 0, reload_now, v);
    if (v->err.status != CLIENT_OK && !v->req) {
        frame_error(v->app, body, &v->err);
        return;
    }
    if (!v->p) {
        frame_loading(v->app, body, "Loading the product…");
        return;
    }
    tui_text(s->tui, body.y, body.x + 1, body.w - 2, EL_DIM,
             "e changes the selected row; services keep their prices until M.");
    struct tui_rect table = {body.y + 2, body.x + 1, body.h - 2, body.w - 2};
    v->table_rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&v->list, &(struct tui_event){.kind = TUI_EV_KEY}, v->table_rows);
    tui_table_paint(s->tui, table, columns, N_COLS, (int)v->n_rows, v->list.top, cell, v);
}

/* ---- keys ---- */

static void change_selected(struct product_view *v)
{
    const struct field_row *r;
    if (!v->p || v->list.selected < 0 || (size_t)v->list.selected >= v->n_rows)
        return;
    r = &v->rows[v->list.selected];
    if (r->change == TOGGLE)
        catalog_toggle_visible(&v->act, v->p);
    else if (r->change == NO_CHANGE)
        tui_status(v->app->tui, "%s: not changed here.", r->label);
    else
        catalog_change(&v->act, v->p, (enum catalog_change)r->change, r->cycle);
}

static enum tui_action product_handle(struct screen *s, const struct tui_event *ev)
{
    struct product_view *v = s->priv;

    if (ev->kind == TUI_EV_MOUSE) {
        tui_list_handle(&v->list, ev, v->table_rows);
        return TUI_HANDLED;
    }
    switch (ev->op) {
    case OP_RETRY:
        load(v);
        return TUI_HANDLED;
    case OP_EDIT:
        change_selected(v);
        return TUI_HANDLED;
    case OP_RESTOCK:
        catalog_restock(&v->act, v->p);
        return TUI_HANDLED;
    case OP_TOGGLE_VISIBLE:
        catalog_toggle_visible(&v->act, v->p);
        return TUI_HANDLED;
    case OP_APPLY_PRICES:
        catalog_apply_prices(&v->act, v->p);
        return TUI_HANDLED;
    default:
        break;
    }
    return app_handle_list(v->app, &v->list, ev, v->table_rows);
}

/* ---- screen operations ---- */

static int product_open(struct screen *s, void *arg)
{
    struct product_view *v = s->priv;
    v->app = s->app;
    v->id = arg ? *(const int64_t *)arg : 0;
    v->list.item_h = 1;
    catalog_action_init(&v->act, v->app, on_changed, v);
    load(v);
    return 0;
}

static void product_close(struct screen *s)
{
    struct product_view *v = s->priv;
    catalog_action_cancel(&v->act);
    client_cancel(v->app->client, v->req);
    app_cancel_timer(v->app, v->reload_timer);
    catalog_product_free(&v->p);
    free(v->rows);
    v->rows = NULL;
}

static void product_reload(struct screen *s)
{
    load(s->priv);
}

static const char *product_title(struct screen *s, char *buf, size_t n)
{
    struct product_view *v = s->priv;
    char name[160];
    if (!v->p) {
        tui_format(s->tui, buf, n, "Operator › Catalog › Product");
        return buf;
    }
    tui_sanitize(v->p->name, name, sizeof name, false);
    tui_format(s->tui, buf, n, "Operator › Catalog › %s · version %" PRId64, name, v->p->version);
    return buf;
}

const struct screen_ops operator_product_screen = {
    .name = "operator-product",
    .priv_size = sizeof(struct product_view),
    .open = product_open,
    .close = product_close,
    .paint = product_paint,
    .handle = product_handle,
    .reload = product_reload,
    .title = product_title,
    .keys = product_keys,
};
