/* operator_orders.c: a customer's orders as an operator sees them (customers follow theirs
 * through invoices and services); P approves one awaiting approval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/paging.h"
#include "screens/screens.h"

#define PER_PAGE  50
#define MAX_PAGES 20

struct orders_view {
    struct app *app;
    struct order *items;
    size_t n;
    uint64_t req, reload_timer;
    unsigned gen;
    bool loaded;
    struct client_error err;
    struct tui_list list;
    struct tui_rect rows;
};

static const enum tui_op orders_keys[] = {
    OP_APPROVE,  OP_UP,      OP_DOWN,          OP_RETRY,     OP_GO_HOME, OP_SERVICES,
    OP_INVOICES, OP_CREDITS, OP_FIND_CUSTOMER, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,
    OP_END,      OP_BACK,    OP_HELP,          OP_QUIT,      OP_NONE,
};

static void clear_items(struct orders_view *v)
{
    for (size_t i = 0; i < v->n; i++)
        order_clear(&v->items[i]);
    free(v->items);
    v->items = NULL;
    v->n = 0;
    v->list.count = 0;
}

static void request_page(struct orders_view *v, int page);

static void on_page(void *ud, struct order_page *pg, const struct client_error *err)
{
    struct orders_view *v = ud;
    v->req = 0;
    if (!pg) {
        v->err = *err;
        return;
    }
    void *items = v->items;
    if (paging_append(&items, &v->n, pg->items, pg->n, sizeof *pg->items) != 0) {
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "out of memory");
        order_page_free(&pg);
        return;
    }
    v->items = items;
    v->list.count = (int)v->n;
    int next = paging_next(&pg->meta, pg->n, MAX_PAGES);
    pg->n = 0; /* the items moved */
    order_page_free(&pg);
    if (next)
        request_page(v, next);
    else
        v->loaded = true;
}

static void request_page(struct orders_view *v, int page)
{
    struct list_query q = {.page = page, .per_page = PER_PAGE};
    client_error_clear(&v->err);
    v->req = client_admin_get_user_orders(v->app->client, v->app->view_user_id, &q, on_page, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "no customer is open");
}

static void orders_reload(struct screen *s)
{
    struct orders_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    v->req = 0;
    v->loaded = false;
    v->gen = v->app->account_gen;
    clear_items(v);
    request_page(v, 1);
}

static void reload_now(void *ud)
{
    struct screen *s = ud;
    struct orders_view *v = s->priv;
    v->reload_timer = 0;
    orders_reload(s);
}

static int orders_open(struct screen *s, void *arg)
{
    struct orders_view *v = s->priv;
    (void)arg;
    v->app = s->app;
    v->list.item_h = 1;
    orders_reload(s);
    return 0;
}

static void orders_close(struct screen *s)
{
    struct orders_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    app_cancel_timer(v->app, v->reload_timer);
    clear_items(v);
}

enum { COL_NUMBER, COL_STATUS, COL_DATE, COL_ITEMS, COL_TOTAL };

static int columns(int w, struct tui_column *cols, int *ids)
{
    static const struct tui_column all[] = {
        [COL_NUMBER] = {"Order", 16, false}, [COL_STATUS] = {"Status", 18, false},
        [COL_DATE] = {"Placed", 11, false},  [COL_ITEMS] = {"Items", 0, false},
        [COL_TOTAL] = {"Total", 10, true},
    };
    int n = 0;
    ids[n++] = COL_NUMBER;
    ids[n++] = COL_STATUS;
    if (w >= 64)
        ids[n++] = COL_DATE;
    ids[n++] = COL_ITEMS;
    ids[n++] = COL_TOTAL;
    for (int i = 0; i < n; i++)
        cols[i] = all[ids[i]];
    return n;
}

struct cell_ctx {
    struct orders_view *v;
    int ids[8];
};

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct cell_ctx *c = ud;
    const struct order *o = &c->v->items[row];
    bool sel = row == c->v->list.selected;
    *el = sel ? EL_SELECTED : EL_NORMAL;
    switch (c->ids[col]) {
    case COL_NUMBER:
        return o->number;
    case COL_STATUS:
        if (!sel && o->status == ORDER_PENDING_APPROVAL)
            *el = EL_STATUS_PENDING;
        return order_status_label(o->status);
    case COL_DATE:
        snprintf(buf, n, "%.10s", o->created_at);
        return buf;
    case COL_ITEMS:
        if (o->n_items == 0)
            return "—";
        if (o->n_items == 1)
            snprintf(buf, n, "%d × %s", o->items[0].quantity, o->items[0].product.name);
        else
            snprintf(buf, n, "%s and %zu more", o->items[0].product.name, o->n_items - 1);
        if (!sel)
            *el = EL_PRODUCT_NAME;
        return buf;
    default:
        money_format(&o->totals.total, app_currency(c->v->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    }
}

static void orders_paint(struct screen *s, struct tui_rect body)
{
    struct orders_view *v = s->priv;
    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->gen) && !v->req && !v->reload_timer)
        v->reload_timer = app_after(v->app, 0, reload_now, s);
    if (v->err.status != CLIENT_OK && !v->req) {
        frame_error(v->app, body, &v->err);
        return;
    }
    if (v->n == 0) {
        if (!v->loaded)
            frame_loading(v->app, body, "Loading the orders…");
        else
            frame_message(v->app, body, EL_NORMAL, "This customer has no orders.");
        return;
    }
    struct tui_column cols[8];
    struct cell_ctx ctx = {.v = v};
    int ncols = columns(body.w, cols, ctx.ids);
    struct tui_rect table = {body.y, body.x + 1, body.h, body.w - 2};
    v->rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&v->list, &(struct tui_event){.kind = TUI_EV_KEY}, v->rows); /* clamp */
    tui_table_paint(s->tui, table, cols, ncols, (int)v->n, v->list.top, cell, &ctx);
}

static enum tui_action orders_handle(struct screen *s, const struct tui_event *ev)
{
    struct orders_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        tui_list_handle(&v->list, ev, v->rows);
        return TUI_HANDLED;
    }
    if (app_handle_nav(v->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_RETRY:
        orders_reload(s);
        return TUI_HANDLED;
    case OP_APPROVE:
        if (v->list.selected >= 0 && (size_t)v->list.selected < v->n)
            operator_approve(v->app, &v->items[v->list.selected]);
        return TUI_HANDLED;
    default:
        return tui_list_handle(&v->list, ev, v->rows) ? TUI_HANDLED : TUI_IGNORED;
    }
}

static const char *orders_title(struct screen *s, char *buf, size_t n)
{
    struct orders_view *v = s->priv;
    return operator_title(v->app, "Orders", buf, n);
}

const struct screen_ops operator_orders_screen = {
    .name = "operator-orders",
    .priv_size = sizeof(struct orders_view),
    .open = orders_open,
    .close = orders_close,
    .paint = orders_paint,
    .handle = orders_handle,
    .reload = orders_reload,
    .title = orders_title,
    .keys = orders_keys,
};
