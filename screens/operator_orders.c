/* operator_orders.c: a customer's orders as an operator sees them (customers follow theirs
 * through invoices and services); P approves one awaiting approval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/list_screen.h"
#include "screens/operator.h"
#include "screens/screens.h"

static const enum tui_op orders_keys[] = {
    OP_APPROVE,  OP_UP,       OP_DOWN,      OP_RETRY,         OP_GO_HOME,
    OP_SERVICES, OP_INVOICES, OP_CREDITS,   OP_FIND_CUSTOMER, OP_CATALOG,
    OP_COUPONS,  OP_SETTINGS, OP_PAGE_DOWN, OP_PAGE_UP,       OP_HOME,
    OP_END,      OP_BACK,     OP_HELP,      OP_QUIT,          OP_NONE,
};

/* The same list with no customer open: every customer's orders awaiting approval. */
static const enum tui_op awaiting_keys[] = {
    OP_APPROVE, OP_UP,   OP_DOWN, OP_RETRY, OP_COUPONS, OP_SETTINGS, OP_FIND_CUSTOMER, OP_PAGE_DOWN,
    OP_PAGE_UP, OP_HOME, OP_END,  OP_BACK,  OP_HELP,    OP_QUIT,     OP_NONE,
};

LIST_SCREEN_ON_PAGE(on_page, order_page, order_page_free)

/* A customer's orders, or with no customer open every customer's orders awaiting approval. */
static uint64_t fetch(struct list_screen *ls, struct list_query *q)
{
    if (!operator_viewing(ls->app)) {
        q->status = order_status_str(ORDER_PENDING_APPROVAL);
        return client_admin_get_orders(ls->app->client, q, on_page, ls);
    }
    return client_admin_get_user_orders(ls->app->client, ls->app->view_user_id, q, on_page, ls);
}

static void clear_item(void *item)
{
    order_clear(item);
}

enum { COL_NUMBER, COL_STATUS, COL_DATE, COL_ITEMS, COL_TOTAL, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_NUMBER] = {"Order", 16, false}, [COL_STATUS] = {"Status", 18, false},
    [COL_DATE] = {"Placed", 11, false},  [COL_ITEMS] = {"Items", 0, false},
    [COL_TOTAL] = {"Total", 10, true},
};
static const int min_width[N_COLS] = {[COL_DATE] = 64};

static const char *cell(struct list_screen *ls, const void *item, int col, bool sel,
                        enum theme_elem *el, char *buf, size_t n)
{
    const struct order *o = item;
    size_t at;
    switch (col) {
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
            return tui_glyph(ls->app->tui, GLYPH_EM_DASH);
        /* with no customer open, whose order it is comes first */
        at = operator_viewing(ls->app) ? 0
                                       : (size_t)snprintf(buf, n, "#%lld: ", (long long)o->user_id);
        if (at >= n)
            at = n - 1;
        if (o->n_items == 1)
            tui_format(ls->app->tui, buf + at, n - at, "%d × %s", o->items[0].quantity,
                       o->items[0].product.name);
        else
            snprintf(buf + at, n - at, "%s and %zu more", o->items[0].product.name, o->n_items - 1);
        if (!sel)
            *el = EL_PRODUCT_NAME;
        return buf;
    default:
        money_format(&o->totals.total, app_currency(ls->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    }
}

static const char *empty_text(struct list_screen *ls, char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return operator_viewing(ls->app) ? "This customer has no orders." : "No order awaits approval.";
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    if (op != OP_APPROVE)
        return TUI_IGNORED;
    struct order *o = list_screen_selected(ls);
    if (o)
        operator_approve(ls->app, o);
    return TUI_HANDLED;
}

static const struct list_screen_ops list_ops = {
    .item_size = sizeof(struct order),
    .fetch = fetch,
    .start_status = CLIENT_ERR_USAGE,
    .start_error = "no customer is open",
    .clear_item = clear_item,
    .loading = "Loading the orders…",
    .empty = empty_text,
    .columns = columns,
    .min_width = min_width,
    .ncolumns = N_COLS,
    .cell = cell,
    .key = own_key,
};

static int orders_open(struct screen *s, void *arg)
{
    (void)arg;
    list_screen_init(s->priv, &list_ops, s->app, NULL);
    list_screen_load(s->priv);
    return 0;
}

static const char *orders_title(struct screen *s, char *buf, size_t n)
{
    struct list_screen *ls = s->priv;
    if (!operator_viewing(ls->app)) {
        tui_format(s->tui, buf, n, "Operator › Orders awaiting approval");
        return buf;
    }
    return operator_title(ls->app, "Orders", buf, n);
}

const struct screen_ops operator_orders_screen = {
    .name = "operator-orders",
    .priv_size = sizeof(struct list_screen),
    .open = orders_open,
    .close = list_screen_close_op,
    .paint = list_screen_paint_op,
    .handle = list_screen_handle_op,
    .reload = list_screen_reload_op,
    .title = orders_title,
    .keys = orders_keys,
};

const struct screen_ops operator_awaiting_screen = {
    .name = "operator-awaiting",
    .priv_size = sizeof(struct list_screen),
    .open = orders_open,
    .close = list_screen_close_op,
    .paint = list_screen_paint_op,
    .handle = list_screen_handle_op,
    .reload = list_screen_reload_op,
    .title = orders_title,
    .keys = awaiting_keys,
};
