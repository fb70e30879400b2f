/* services.c: the Services screen: every service with its product, status, next due date,
 * recurring price and cycle, and its server; Enter opens one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/paging.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/screens.h"

#define PER_PAGE  50
#define MAX_PAGES 20

struct services_view {
    struct app *app;
    struct service *items;
    size_t n;
    uint64_t req, reload_timer;
    unsigned gen; /* app->account_gen when loaded */
    bool loaded;
    struct client_error err;
    struct tui_list list;
    struct tui_rect rows; /* the table's rows, below its header */
};

static const enum tui_op services_keys[] = {
    OP_ENTER,   OP_UP,      OP_DOWN,  OP_RETRY,     OP_GO_HOME, OP_INVOICES,
    OP_CREDITS, OP_CART,    OP_STORE, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,
    OP_END,     OP_ACCOUNT, OP_BACK,  OP_HELP,      OP_QUIT,    OP_NONE,
};

/* An operator looking at a customer's services: no shop keys, and suspend. */
static const enum tui_op operator_keys[] = {
    OP_SUSPEND, OP_UP,      OP_DOWN,          OP_RETRY,     OP_GO_HOME, OP_INVOICES,
    OP_ORDERS,  OP_CREDITS, OP_FIND_CUSTOMER, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,
    OP_END,     OP_BACK,    OP_HELP,          OP_QUIT,      OP_NONE,
};

static void clear_items(struct services_view *v)
{
    for (size_t i = 0; i < v->n; i++)
        service_clear(&v->items[i]);
    free(v->items);
    v->items = NULL;
    v->n = 0;
}

static void request_page(struct services_view *v, int page);

static void on_page(void *ud, struct service_page *pg, const struct client_error *err)
{
    struct services_view *v = ud;
    v->req = 0;
    if (!pg) {
        v->err = *err;
        return;
    }
    void *items = v->items;
    if (paging_append(&items, &v->n, pg->items, pg->n, sizeof *pg->items) != 0) {
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "out of memory");
        service_page_free(&pg);
        return;
    }
    v->items = items;
    v->list.count = (int)v->n;
    int next = paging_next(&pg->meta, pg->n, MAX_PAGES);
    pg->n = 0; /* the items moved */
    service_page_free(&pg);
    if (next)
        request_page(v, next);
    else
        v->loaded = true;
}

static void request_page(struct services_view *v, int page)
{
    struct list_query q = {.page = page, .per_page = PER_PAGE};
    client_error_clear(&v->err);
    v->req = account_get_services(v->app, &q, on_page, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "could not start the request");
}

static void services_reload(struct screen *s)
{
    struct services_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    v->req = 0;
    v->loaded = false;
    v->gen = v->app->account_gen;
    clear_items(v);
    v->list.count = 0;
    request_page(v, 1);
}

static void reload_now(void *ud)
{
    struct screen *s = ud;
    struct services_view *v = s->priv;
    v->reload_timer = 0;
    services_reload(s);
}

static int services_open(struct screen *s, void *arg)
{
    struct services_view *v = s->priv;
    v->app = s->app;
    v->list.item_h = 1;
    services_reload(s);
    return 0;
}

static void services_close(struct screen *s)
{
    struct services_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    app_cancel_timer(v->app, v->reload_timer);
    clear_items(v);
}

enum { COL_PRODUCT, COL_STATUS, COL_DUE, COL_PRICE, COL_SERVER };

static int columns(int w, struct tui_column *cols, int *ids)
{
    static const struct tui_column all[] = {
        [COL_PRODUCT] = {"Product", 0, false}, [COL_STATUS] = {"Status", 10, false},
        [COL_DUE] = {"Next due", 15, false},   [COL_PRICE] = {"Price", 13, true},
        [COL_SERVER] = {"Server", 22, false},
    };
    int n = 0;
    ids[n++] = COL_PRODUCT;
    ids[n++] = COL_STATUS;
    if (w >= 64)
        ids[n++] = COL_DUE;
    ids[n++] = COL_PRICE;
    if (w >= 100)
        ids[n++] = COL_SERVER;
    for (int i = 0; i < n; i++)
        cols[i] = all[ids[i]];
    return n;
}

struct cell_ctx {
    struct services_view *v;
    int ids[8];
};

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct cell_ctx *c = ud;
    const struct service *sv = &c->v->items[row];
    bool sel = row == c->v->list.selected;
    *el = sel ? EL_SELECTED : EL_NORMAL;
    switch (c->ids[col]) {
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
            snprintf(buf, n, "%s", sv->next_due_date[0] ? sv->next_due_date : "—");
        return buf;
    case COL_PRICE:
        fmt_price_cycle(&sv->recurring_price, sv->cycle, app_currency(c->v->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    default:
        if (sv->has_server)
            snprintf(buf, n, "%s", sv->server.address[0] ? sv->server.address : sv->server.name);
        else
            snprintf(buf, n, "%s", sv->status == SERVICE_PENDING ? "being set up" : "—");
        if (!sel && !sv->has_server)
            *el = EL_DIM;
        return buf;
    }
}

static void services_paint(struct screen *s, struct tui_rect body)
{
    struct services_view *v = s->priv;
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
            frame_loading(v->app, body, "Loading your services…");
        else
            frame_message(
                v->app, body, EL_NORMAL,
                operator_viewing(v->app)
                    ? "This customer has no services."
                    : "You have no services yet. Press s to open the store and order one.");
        return;
    }
    struct tui_column cols[8];
    struct cell_ctx ctx = {.v = v};
    int ncols = columns(body.w, cols, ctx.ids);
    struct tui_rect table = {body.y, body.x + 1, body.h, body.w - 2};
    v->rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&v->list, &(struct tui_event){.kind = TUI_EV_KEY}, v->rows); /* clamp */
    tui_table_paint(s->tui, table, cols, ncols, (int)v->n, v->list.top, cell, &ctx);
    if (v->req)
        tui_spinner(s->tui, body.y + body.h - 1, body.x + 2, body.w - 4, "Loading more…");
}

static void open_selected(struct services_view *v)
{
    if (v->list.selected < 0 || (size_t)v->list.selected >= v->n)
        return;
    if (operator_viewing(v->app))
        return; /* the API has no operator view of one service; the list shows what it holds */
    struct screen_target t = {.id = v->items[v->list.selected].id};
    tui_push(v->app->tui, &service_screen, &t);
}

static enum tui_action services_handle(struct screen *s, const struct tui_event *ev)
{
    struct services_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        int at = tui_list_hit(&v->list, v->rows, ev->y);
        if (ev->mouse == TUI_MOUSE_CLICK && at >= 0 && at == v->list.selected)
            open_selected(v);
        else
            tui_list_handle(&v->list, ev, v->rows);
        return TUI_HANDLED;
    }
    if (app_handle_nav(v->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_RETRY:
        services_reload(s);
        return TUI_HANDLED;
    case OP_ENTER:
        open_selected(v);
        return TUI_HANDLED;
    case OP_SUSPEND:
        if (v->list.selected >= 0 && (size_t)v->list.selected < v->n)
            operator_toggle_suspend(v->app, &v->items[v->list.selected]);
        return TUI_HANDLED;
    case OP_BACK:
        if (v->req) {
            client_cancel(v->app->client, v->req);
            v->req = 0;
            v->loaded = true;
            tui_status(s->tui, "Cancelled.");
            return TUI_HANDLED;
        }
        return TUI_IGNORED;
    default:
        return tui_list_handle(&v->list, ev, v->rows) ? TUI_HANDLED : TUI_IGNORED;
    }
}

static const char *services_title(struct screen *s, char *buf, size_t n)
{
    struct services_view *v = s->priv;
    char section[48];
    if (v->loaded && v->n)
        snprintf(section, sizeof section, "Services · %zu", v->n);
    else
        snprintf(section, sizeof section, "Services");
    return operator_title(v->app, section, buf, n);
}

const struct screen_ops services_screen = {
    .name = "services",
    .priv_size = sizeof(struct services_view),
    .open = services_open,
    .close = services_close,
    .paint = services_paint,
    .handle = services_handle,
    .reload = services_reload,
    .title = services_title,
    .keys = services_keys,
};

const struct screen_ops operator_services_screen = {
    .name = "operator-services",
    .priv_size = sizeof(struct services_view),
    .open = services_open,
    .close = services_close,
    .paint = services_paint,
    .handle = services_handle,
    .reload = services_reload,
    .title = services_title,
    .keys = operator_keys,
};
