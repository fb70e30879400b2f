/* invoices.c: the Invoices screen: every invoice, newest first, with a status filter (all,
 * paid, pending, overdue, cancelled, refunded); Enter opens one. */
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

static const struct {
    const char *label;
    const char *status; /* API name; NULL for all */
} filters[] = {
    {"All", NULL},          {"Paid", "paid"},           {"Pending", "pending"},
    {"Overdue", "overdue"}, {"Cancelled", "cancelled"}, {"Refunded", "refunded"},
};
#define N_FILTERS ((int)(sizeof filters / sizeof filters[0]))

struct invoices_view {
    struct app *app;
    int filter;
    struct invoice_summary *items;
    size_t n;
    uint64_t req, reload_timer;
    unsigned gen;
    bool loaded;
    struct client_error err;
    struct tui_list list;
    struct tui_rect rows;
    int filter_x[N_FILTERS], filter_w[N_FILTERS], filter_y;
    bool filters_all; /* every filter shown (else only the current one) */
};

static const enum tui_op invoices_keys[] = {
    OP_ENTER,    OP_FILTER,  OP_UP,   OP_DOWN,  OP_PAY,       OP_RETRY,   OP_GO_HOME,
    OP_SERVICES, OP_CREDITS, OP_CART, OP_STORE, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,
    OP_END,      OP_ACCOUNT, OP_BACK, OP_HELP,  OP_QUIT,      OP_NONE,
};

/* An operator looking at a customer's invoices: no paying, and refund. */
static const enum tui_op operator_keys[] = {
    OP_ENTER,         OP_REFUND,    OP_FILTER,   OP_UP,     OP_DOWN,
    OP_RETRY,         OP_GO_HOME,   OP_SERVICES, OP_ORDERS, OP_CREDITS,
    OP_FIND_CUSTOMER, OP_PAGE_DOWN, OP_PAGE_UP,  OP_HOME,   OP_END,
    OP_BACK,          OP_HELP,      OP_QUIT,     OP_NONE,
};

static void clear_items(struct invoices_view *v)
{
    for (size_t i = 0; i < v->n; i++)
        invoice_summary_clear(&v->items[i]);
    free(v->items);
    v->items = NULL;
    v->n = 0;
    v->list.count = 0;
}

static void request_page(struct invoices_view *v, int page);

static void on_page(void *ud, struct invoice_page *pg, const struct client_error *err)
{
    struct invoices_view *v = ud;
    v->req = 0;
    if (!pg) {
        v->err = *err;
        return;
    }
    void *items = v->items;
    if (paging_append(&items, &v->n, pg->items, pg->n, sizeof *pg->items) != 0) {
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "out of memory");
        invoice_page_free(&pg);
        return;
    }
    v->items = items;
    v->list.count = (int)v->n;
    int next = paging_next(&pg->meta, pg->n, MAX_PAGES);
    pg->n = 0; /* the items moved */
    invoice_page_free(&pg);
    if (next)
        request_page(v, next);
    else
        v->loaded = true;
}

static void request_page(struct invoices_view *v, int page)
{
    struct list_query q = {.status = filters[v->filter].status, .page = page, .per_page = PER_PAGE};
    client_error_clear(&v->err);
    v->req = account_get_invoices(v->app, &q, on_page, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_NOMEM, "could not start the request");
}

static void load(struct invoices_view *v)
{
    client_cancel(v->app->client, v->req);
    v->req = 0;
    v->loaded = false;
    v->gen = v->app->account_gen;
    clear_items(v);
    request_page(v, 1);
}

static void invoices_reload(struct screen *s)
{
    load(s->priv);
}

static void reload_now(void *ud)
{
    struct invoices_view *v = ud;
    v->reload_timer = 0;
    load(v);
}

static int invoices_open(struct screen *s, void *arg)
{
    struct invoices_view *v = s->priv;
    v->app = s->app;
    v->list.item_h = 1;
    load(v);
    return 0;
}

static void invoices_close(struct screen *s)
{
    struct invoices_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    app_cancel_timer(v->app, v->reload_timer);
    clear_items(v);
}

/* ---- painting ---- */

static int filters_width(void)
{
    int w = tui_text_width("Show ");
    for (int i = 0; i < N_FILTERS; i++)
        w += tui_text_width(filters[i].label) + 2;
    return w;
}

/* "Show  All  Paid  Pending …" with the current one highlighted; on a narrow terminal only the
 * current one ("Show  Pending  (f: next)"), which a click moves on. */
static void paint_filters(struct invoices_view *v, struct tui_rect body)
{
    struct tui *t = v->app->tui;
    int x = body.x + 1, end = body.x + body.w - 1;
    bool all = filters_width() <= body.w - 2;
    v->filters_all = all;
    v->filter_y = body.y;
    x += tui_text(t, body.y, x, end - x, EL_LABEL, "Show ");
    for (int i = 0; i < N_FILTERS; i++) {
        enum theme_elem el = i == v->filter ? EL_SELECTED : EL_NORMAL;
        v->filter_x[i] = x;
        v->filter_w[i] = 0;
        if ((!all && i != v->filter) || end - x <= 0)
            continue;
        x += tui_text(t, body.y, x, end - x, el, " ");
        x += tui_text(t, body.y, x, end - x, el, filters[i].label);
        x += tui_text(t, body.y, x, end - x, el, " ");
        v->filter_w[i] = x - v->filter_x[i];
    }
    if (!all)
        tui_text(t, body.y, x + 1, end - x - 1, EL_DIM, "(f: next)");
}

enum { COL_NUMBER, COL_KIND, COL_ISSUED, COL_DUE, COL_TOTAL, COL_STATUS };

static int columns(int w, struct tui_column *cols, int *ids)
{
    static const struct tui_column all[] = {
        [COL_NUMBER] = {"Invoice", 0, false}, [COL_KIND] = {"Kind", 8, false},
        [COL_ISSUED] = {"Issued", 10, false}, [COL_DUE] = {"Due", 10, false},
        [COL_TOTAL] = {"Total", 11, true},    [COL_STATUS] = {"Status", 9, false},
    };
    int n = 0;
    ids[n++] = COL_NUMBER;
    if (w >= 70)
        ids[n++] = COL_KIND;
    if (w >= 60)
        ids[n++] = COL_ISSUED;
    if (w >= 50)
        ids[n++] = COL_DUE;
    ids[n++] = COL_TOTAL;
    ids[n++] = COL_STATUS;
    for (int i = 0; i < n; i++)
        cols[i] = all[ids[i]];
    return n;
}

struct cell_ctx {
    struct invoices_view *v;
    int ids[8];
};

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct cell_ctx *c = ud;
    const struct invoice_summary *s = &c->v->items[row];
    bool sel = row == c->v->list.selected;
    *el = sel ? EL_SELECTED : EL_NORMAL;
    switch (c->ids[col]) {
    case COL_NUMBER:
        return s->number;
    case COL_KIND:
        return invoice_kind_label(s->kind);
    case COL_ISSUED:
        return s->issue_date;
    case COL_DUE:
        return s->due_date;
    case COL_TOTAL:
        money_format(&s->total, app_currency(c->v->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    default:
        if (!sel)
            *el = fmt_invoice_elem(s->status);
        return frame_invoice_status(s->status);
    }
}

static void invoices_paint(struct screen *s, struct tui_rect body)
{
    struct invoices_view *v = s->priv;
    char msg[200];
    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->gen) && !v->req && !v->reload_timer)
        v->reload_timer = app_after(v->app, 0, reload_now, v);
    paint_filters(v, body);
    struct tui_rect rest = {body.y + 2, body.x, body.h - 2, body.w};
    if (v->err.status != CLIENT_OK && !v->req) {
        frame_error(v->app, rest, &v->err);
        return;
    }
    if (v->n == 0) {
        if (!v->loaded) {
            frame_loading(v->app, rest, "Loading your invoices…");
        } else {
            if (filters[v->filter].status)
                snprintf(msg, sizeof msg, "No %s invoices. f shows the next filter.",
                         filters[v->filter].status);
            else
                snprintf(msg, sizeof msg, "You have no invoices yet.");
            frame_message(v->app, rest, EL_NORMAL, msg);
        }
        return;
    }
    struct tui_column cols[8];
    struct cell_ctx ctx = {.v = v};
    int ncols = columns(body.w, cols, ctx.ids);
    struct tui_rect table = {rest.y - 1, rest.x + 1, rest.h + 1, rest.w - 2};
    v->rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&v->list, &(struct tui_event){.kind = TUI_EV_KEY}, v->rows); /* clamp */
    tui_table_paint(s->tui, table, cols, ncols, (int)v->n, v->list.top, cell, &ctx);
    if (v->req)
        tui_spinner(s->tui, body.y + body.h - 1, body.x + 2, body.w - 4, "Loading more…");
}

/* ---- keys ---- */

static void set_filter(struct invoices_view *v, int f)
{
    v->filter = (f % N_FILTERS + N_FILTERS) % N_FILTERS;
    v->list.selected = v->list.top = 0;
    load(v);
}

static const struct invoice_summary *selected(const struct invoices_view *v)
{
    if (v->list.selected < 0 || (size_t)v->list.selected >= v->n)
        return NULL;
    return &v->items[v->list.selected];
}

static void open_selected(struct invoices_view *v)
{
    const struct invoice_summary *s = selected(v);
    if (!s)
        return;
    struct screen_target t = {.id = s->id};
    tui_push(v->app->tui, operator_viewing(v->app) ? &operator_invoice_screen : &invoice_screen,
             &t);
}

static void pay_selected(struct invoices_view *v)
{
    const struct invoice_summary *s = selected(v);
    if (!s)
        return;
    if (!invoice_payable(s)) {
        tui_status(v->app->tui, "%s has nothing to pay.", s->number);
        return;
    }
    struct screen_target t = {.id = s->id, .kind = PAY_INVOICE};
    tui_push(v->app->tui, &pay_screen, &t);
}

static enum tui_action invoices_handle(struct screen *s, const struct tui_event *ev)
{
    struct invoices_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        if (ev->mouse == TUI_MOUSE_CLICK && ev->y == v->filter_y) {
            bool all = v->filters_all;
            for (int i = 0; i < N_FILTERS; i++)
                if (ev->x >= v->filter_x[i] && ev->x < v->filter_x[i] + v->filter_w[i])
                    set_filter(v, all ? i : i + 1); /* narrow: the one shown moves on */
            return TUI_HANDLED;
        }
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
        load(v);
        return TUI_HANDLED;
    case OP_FILTER:
        set_filter(v, v->filter + 1);
        return TUI_HANDLED;
    case OP_ENTER:
        open_selected(v);
        return TUI_HANDLED;
    case OP_PAY:
        pay_selected(v);
        return TUI_HANDLED;
    case OP_REFUND:
        operator_refund(v->app, selected(v));
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

static const char *invoices_title(struct screen *s, char *buf, size_t n)
{
    struct invoices_view *v = s->priv;
    char section[32];
    if (v->filter)
        snprintf(section, sizeof section, "Invoices · %s", filters[v->filter].label);
    else
        snprintf(section, sizeof section, "Invoices");
    return operator_title(v->app, section, buf, n);
}

const struct screen_ops invoices_screen = {
    .name = "invoices",
    .priv_size = sizeof(struct invoices_view),
    .open = invoices_open,
    .close = invoices_close,
    .paint = invoices_paint,
    .handle = invoices_handle,
    .reload = invoices_reload,
    .title = invoices_title,
    .keys = invoices_keys,
};

const struct screen_ops operator_invoices_screen = {
    .name = "operator-invoices",
    .priv_size = sizeof(struct invoices_view),
    .open = invoices_open,
    .close = invoices_close,
    .paint = invoices_paint,
    .handle = invoices_handle,
    .reload = invoices_reload,
    .title = invoices_title,
    .keys = operator_keys,
};
