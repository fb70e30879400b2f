/* invoices.c: the Invoices screen: every invoice, newest first, with a status filter (all,
 * paid, pending, overdue, cancelled, refunded); Enter opens one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/list_screen.h"
#include "screens/operator.h"
#include "screens/screens.h"

static const struct {
    const char *label;
    const char *status; /* API name; NULL for all */
} filters[] = {
    {"All", NULL},          {"Paid", "paid"},           {"Pending", "pending"},
    {"Overdue", "overdue"}, {"Cancelled", "cancelled"}, {"Refunded", "refunded"},
};
#define N_FILTERS ((int)(sizeof filters / sizeof filters[0]))

struct invoices_view {
    struct list_screen ls; /* first: the shared screen operations take it from priv */
    int filter;
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
    OP_ENTER,   OP_REFUND,   OP_FILTER,    OP_UP,      OP_DOWN,          OP_RETRY,
    OP_GO_HOME, OP_SERVICES, OP_ORDERS,    OP_CREDITS, OP_FIND_CUSTOMER, OP_CATALOG,
    OP_COUPONS, OP_SETTINGS, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,          OP_END,
    OP_BACK,    OP_HELP,     OP_QUIT,      OP_NONE,
};

LIST_SCREEN_ON_PAGE(on_page, invoice_page, invoice_page_free)

static uint64_t fetch(struct list_screen *ls, struct list_query *q)
{
    const struct invoices_view *v = ls->owner;
    q->status = filters[v->filter].status;
    return account_get_invoices(ls->app, q, on_page, ls);
}

static void clear_item(void *item)
{
    invoice_summary_clear(item);
}

static const char *empty_text(struct list_screen *ls, char *buf, size_t n)
{
    const struct invoices_view *v = ls->owner;
    if (!filters[v->filter].status)
        return "You have no invoices yet.";
    snprintf(buf, n, "No %s invoices. f shows the next filter.", filters[v->filter].status);
    return buf;
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
    struct tui *t = v->ls.app->tui;
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

enum { COL_NUMBER, COL_KIND, COL_ISSUED, COL_DUE, COL_TOTAL, COL_STATUS, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_NUMBER] = {"Invoice", 0, false}, [COL_KIND] = {"Kind", 8, false},
    [COL_ISSUED] = {"Issued", 10, false}, [COL_DUE] = {"Due", 10, false},
    [COL_TOTAL] = {"Total", 11, true},    [COL_STATUS] = {"Status", 9, false},
};
static const int min_width[N_COLS] = {[COL_KIND] = 70, [COL_ISSUED] = 60, [COL_DUE] = 50};

static const char *cell(struct list_screen *ls, const void *item, int col, bool sel,
                        enum theme_elem *el, char *buf, size_t n)
{
    const struct invoice_summary *s = item;
    switch (col) {
    case COL_NUMBER:
        return s->number;
    case COL_KIND:
        return invoice_kind_label(s->kind);
    case COL_ISSUED:
        return s->issue_date;
    case COL_DUE:
        return s->due_date;
    case COL_TOTAL:
        money_format(&s->total, app_currency(ls->app), buf, n);
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
    if (list_screen_paint_begin(&v->ls, body))
        return;
    paint_filters(v, body);
    struct tui_rect rest = {body.y + 2, body.x, body.h - 2, body.w};
    if (list_screen_paint_state(&v->ls, rest))
        return;
    list_screen_paint_table(&v->ls,
                            (struct tui_rect){rest.y - 1, rest.x + 1, rest.h + 1, rest.w - 2});
}

/* ---- keys ---- */

static void set_filter(struct invoices_view *v, int f)
{
    v->filter = (f % N_FILTERS + N_FILTERS) % N_FILTERS;
    v->ls.list.selected = v->ls.list.top = 0;
    list_screen_load(&v->ls);
}

static void open_item(struct list_screen *ls, void *item)
{
    struct screen_target t = {.id = ((const struct invoice_summary *)item)->id};
    tui_push(ls->app->tui, operator_viewing(ls->app) ? &operator_invoice_screen : &invoice_screen,
             &t);
}

static void pay_selected(struct list_screen *ls)
{
    const struct invoice_summary *s = list_screen_selected(ls);
    if (!s)
        return;
    if (!invoice_payable(s)) {
        tui_status(ls->app->tui, "%s has nothing to pay.", s->number);
        return;
    }
    struct screen_target t = {.id = s->id, .kind = PAY_INVOICE};
    tui_push(ls->app->tui, &pay_screen, &t);
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    switch (op) {
    case OP_FILTER: {
        struct invoices_view *v = ls->owner;
        set_filter(v, v->filter + 1);
        return TUI_HANDLED;
    }
    case OP_PAY:
        pay_selected(ls);
        return TUI_HANDLED;
    case OP_REFUND:
        operator_refund(ls->app, list_screen_selected(ls));
        return TUI_HANDLED;
    default:
        return TUI_IGNORED;
    }
}

static const struct list_screen_ops list_ops = {
    .item_size = sizeof(struct invoice_summary),
    .fetch = fetch,
    .clear_item = clear_item,
    .loading = "Loading your invoices…",
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

static enum tui_action invoices_handle(struct screen *s, const struct tui_event *ev)
{
    struct invoices_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE && ev->mouse == TUI_MOUSE_CLICK && ev->y == v->filter_y) {
        bool all = v->filters_all;
        for (int i = 0; i < N_FILTERS; i++)
            if (ev->x >= v->filter_x[i] && ev->x < v->filter_x[i] + v->filter_w[i])
                set_filter(v, all ? i : i + 1); /* narrow: the one shown moves on */
        return TUI_HANDLED;
    }
    return list_screen_handle(&v->ls, ev);
}

static int invoices_open(struct screen *s, void *arg)
{
    struct invoices_view *v = s->priv;
    (void)arg;
    list_screen_init(&v->ls, &list_ops, s->app, v);
    list_screen_load(&v->ls);
    return 0;
}

static const char *invoices_title(struct screen *s, char *buf, size_t n)
{
    struct invoices_view *v = s->priv;
    char section[32];
    if (v->filter)
        tui_format(s->tui, section, sizeof section, "Invoices · %s", filters[v->filter].label);
    else
        snprintf(section, sizeof section, "Invoices");
    return operator_title(v->ls.app, section, buf, n);
}

SCREEN_OPS_WITH_OPERATOR(invoices_screen, operator_invoices_screen, "invoices", invoices_keys,
                         operator_keys, .priv_size = sizeof(struct invoices_view),
                         .open = invoices_open, .close = list_screen_close_op,
                         .paint = invoices_paint, .handle = invoices_handle,
                         .reload = list_screen_reload_op, .title = invoices_title);
