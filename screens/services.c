/* services.c: the Services screen: every service with its product, status, next due date,
 * recurring price and cycle, and its server; Enter opens one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/list_screen.h"
#include "screens/operator.h"
#include "screens/screens.h"

static const enum tui_op services_keys[] = {
    OP_ENTER,   OP_UP,      OP_DOWN,  OP_RETRY,     OP_GO_HOME, OP_INVOICES,
    OP_CREDITS, OP_CART,    OP_STORE, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,
    OP_END,     OP_ACCOUNT, OP_BACK,  OP_HELP,      OP_QUIT,    OP_NONE,
};

/* An operator looking at a customer's services: no shop keys, and suspend. */
static const enum tui_op operator_keys[] = {
    OP_SUSPEND,  OP_UP,       OP_DOWN,      OP_RETRY,         OP_GO_HOME,
    OP_INVOICES, OP_ORDERS,   OP_CREDITS,   OP_FIND_CUSTOMER, OP_CATALOG,
    OP_COUPONS,  OP_SETTINGS, OP_PAGE_DOWN, OP_PAGE_UP,       OP_HOME,
    OP_END,      OP_BACK,     OP_HELP,      OP_QUIT,          OP_NONE,
};

LIST_SCREEN_ON_PAGE(on_page, service_page, service_page_free)

static uint64_t fetch(struct list_screen *ls, struct list_query *q)
{
    return account_get_services(ls->app, q, on_page, ls);
}

static void clear_item(void *item)
{
    service_clear(item);
}

static const char *empty_text(struct list_screen *ls, char *buf, size_t n)
{
    (void)buf, (void)n;
    return operator_viewing(ls->app)
               ? "This customer has no services."
               : "You have no services yet. Press s to open the store and order one.";
}

enum { COL_PRODUCT, COL_STATUS, COL_DUE, COL_PRICE, COL_SERVER, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_PRODUCT] = {"Product", 0, false}, [COL_STATUS] = {"Status", 10, false},
    [COL_DUE] = {"Next due", 15, false},   [COL_PRICE] = {"Price", 13, true},
    [COL_SERVER] = {"Server", 22, false},
};
static const int min_width[N_COLS] = {[COL_DUE] = 64, [COL_SERVER] = 100};

static const char *cell(struct list_screen *ls, const void *item, int col, bool sel,
                        enum theme_elem *el, char *buf, size_t n)
{
    const struct service *sv = item;
    switch (col) {
    case COL_PRODUCT:
        if (!sel)
            *el = EL_PRODUCT_NAME;
        return sv->product.name;
    case COL_STATUS:
        if (!sel)
            *el = fmt_service_elem(sv->status);
        return service_status_label(sv->status);
    case COL_DUE:
        if (service_cancellation_pending(sv))
            snprintf(buf, n, "ends %s", sv->next_due_date);
        else
            snprintf(buf, n, "%s",
                     sv->next_due_date[0] ? sv->next_due_date
                                          : tui_glyph(ls->app->tui, GLYPH_EM_DASH));
        return buf;
    case COL_PRICE:
        fmt_price_cycle(&sv->recurring_price, sv->cycle, app_currency(ls->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    default:
        if (sv->has_server)
            snprintf(buf, n, "%s", sv->server.address[0] ? sv->server.address : sv->server.name);
        else
            snprintf(buf, n, "%s",
                     sv->status == SERVICE_PENDING ? "being set up"
                                                   : tui_glyph(ls->app->tui, GLYPH_EM_DASH));
        if (!sel && !sv->has_server)
            *el = EL_DIM;
        return buf;
    }
}

static void open_item(struct list_screen *ls, void *item)
{
    if (operator_viewing(ls->app))
        return; /* the API has no operator view of one service; the list shows what it holds */
    struct screen_target t = {.id = ((struct service *)item)->id};
    tui_push(ls->app->tui, &service_screen, &t);
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    if (op != OP_SUSPEND)
        return TUI_IGNORED;
    struct service *sv = list_screen_selected(ls);
    if (sv)
        operator_toggle_suspend(ls->app, sv);
    return TUI_HANDLED;
}

static const struct list_screen_ops list_ops = {
    .item_size = sizeof(struct service),
    .fetch = fetch,
    .clear_item = clear_item,
    .loading = "Loading your services…",
    .empty = empty_text,
    .columns = columns,
    .min_width = min_width,
    .ncolumns = N_COLS,
    .cell = cell,
    .open = open_item,
    .key = own_key,
    .loading_more = true,
    .back_cancels = true,
};

static int services_open(struct screen *s, void *arg)
{
    (void)arg;
    list_screen_init(s->priv, &list_ops, s->app, NULL);
    list_screen_load(s->priv);
    return 0;
}

static const char *services_title(struct screen *s, char *buf, size_t n)
{
    struct list_screen *ls = s->priv;
    char section[48];
    if (ls->loaded && ls->n)
        tui_format(s->tui, section, sizeof section, "Services · %zu", ls->n);
    else
        snprintf(section, sizeof section, "Services");
    return operator_title(ls->app, section, buf, n);
}

SCREEN_OPS_WITH_OPERATOR(services_screen, operator_services_screen, "services", services_keys,
                         operator_keys, .priv_size = sizeof(struct list_screen),
                         .open = services_open, .close = list_screen_close_op,
                         .paint = list_screen_paint_op, .handle = list_screen_handle_op,
                         .reload = list_screen_reload_op, .title = services_title);
