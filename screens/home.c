/* home.c: the Home screen, where a signed-in customer starts: active services, what is due and
 * when, the credit balance, and the way into each section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/screens.h"

#define SUMMARY_PER_PAGE 100

/* One figure of the summary: loading, loaded, or failed. */
struct figure {
    uint64_t req;
    bool done;
    struct client_error err;
};

struct home {
    struct app *app;
    struct figure services, pending, overdue, credits;
    int active;        /* active services */
    char next_due[16]; /* the earliest next due date among them */
    int unpaid;        /* pending and overdue invoices */
    int overdue_n;
    struct money due; /* what they leave to pay */
    struct money balance;
    bool credits_enabled;
    unsigned gen;
    uint64_t reload_timer;
    struct tui_list menu;
    struct tui_rect menu_rect;
};

struct entry {
    const char *label, *hint;
    enum tui_op op;
};

static const struct entry customer_entries[] = {
    {"Services", "your servers, their renewals and cancellation", OP_SERVICES},
    {"Invoices", "what you paid and what is due", OP_INVOICES},
    {"Credits", "your balance and its history", OP_CREDITS},
    {"Store", "browse and order", OP_STORE},
    {"Cart", "what you are about to order", OP_CART},
    {"Sign out", "", OP_ACCOUNT},
};

/* The same overview of another customer's account, for an operator. */
static const struct entry operator_entries[] = {
    {"Services", "suspend or unsuspend a service", OP_SERVICES},
    {"Invoices", "refund a paid invoice", OP_INVOICES},
    {"Orders", "approve an order awaiting approval", OP_ORDERS},
    {"Credits", "add or remove credit", OP_CREDITS},
    {"Customers", "find another customer", OP_FIND_CUSTOMER},
};
#define N_CUSTOMER ((int)(sizeof customer_entries / sizeof customer_entries[0]))
#define N_OPERATOR ((int)(sizeof operator_entries / sizeof operator_entries[0]))
#define entries    (operator_viewing(h->app) ? operator_entries : customer_entries)
/* "Sign out" (the last customer entry) only where L is offered (not over SSH with a key). */
#define N_ENTRIES                                                                                  \
    (operator_viewing(h->app)                  ? N_OPERATOR                                        \
     : tui_op_enabled(h->app->tui, OP_ACCOUNT) ? N_CUSTOMER                                        \
                                               : N_CUSTOMER - 1)

static const enum tui_op operator_keys[] = {
    OP_ENTER,         OP_UP,      OP_DOWN,    OP_SERVICES, OP_INVOICES, OP_ORDERS, OP_CREDITS,
    OP_FIND_CUSTOMER, OP_CATALOG, OP_COUPONS, OP_SETTINGS, OP_RETRY,    OP_HOME,   OP_END,
    OP_BACK,          OP_HELP,    OP_QUIT,    OP_NONE,
};

static const enum tui_op home_keys[] = {
    OP_ENTER,   OP_UP,    OP_DOWN, OP_SERVICES, OP_INVOICES, OP_CREDITS, OP_STORE, OP_CART,
    OP_ACCOUNT, OP_RETRY, OP_HOME, OP_END,      OP_HELP,     OP_QUIT,    OP_NONE,
};

static void on_services(void *ud, struct service_page *pg, const struct client_error *err)
{
    struct home *h = ud;
    h->services.req = 0;
    h->services.done = true;
    if (!pg) {
        h->services.err = *err;
        return;
    }
    h->active = pg->meta.total > (int)pg->n ? pg->meta.total : (int)pg->n;
    h->next_due[0] = '\0';
    for (size_t i = 0; i < pg->n; i++) {
        const char *d = pg->items[i].next_due_date;
        if (d[0] && !service_cancellation_pending(&pg->items[i]) &&
            (!h->next_due[0] || strcmp(d, h->next_due) < 0))
            snprintf(h->next_due, sizeof h->next_due, "%s", d);
    }
    service_page_free(&pg);
}

/* Pending and overdue invoices: how many, and the sum of what they leave to pay. */
static void count_invoices(struct home *h, struct figure *f, struct invoice_page *pg,
                           const struct client_error *err, int *count)
{
    f->req = 0;
    f->done = true;
    if (!pg) {
        f->err = *err;
        return;
    }
    *count = pg->meta.total > (int)pg->n ? pg->meta.total : (int)pg->n;
    for (size_t i = 0; i < pg->n; i++) {
        h->due.amount += pg->items[i].amount_due.amount;
        memcpy(h->due.currency, pg->items[i].amount_due.currency, sizeof h->due.currency);
    }
    invoice_page_free(&pg);
}

static void on_pending(void *ud, struct invoice_page *pg, const struct client_error *err)
{
    struct home *h = ud;
    int n = 0;
    count_invoices(h, &h->pending, pg, err, &n);
    h->unpaid += n;
}

static void on_overdue(void *ud, struct invoice_page *pg, const struct client_error *err)
{
    struct home *h = ud;
    count_invoices(h, &h->overdue, pg, err, &h->overdue_n);
    h->unpaid += h->overdue_n;
}

static void on_credits(void *ud, struct credits *c, const struct client_error *err)
{
    struct home *h = ud;
    h->credits.req = 0;
    h->credits.done = true;
    if (!c) {
        h->credits.err = *err;
        return;
    }
    h->balance = c->balance;
    h->credits_enabled = c->enabled;
    credits_free(&c);
}

static void cancel_all(struct home *h)
{
    struct figure *fs[] = {&h->services, &h->pending, &h->overdue, &h->credits};
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
        client_cancel(h->app->client, fs[i]->req);
        memset(fs[i], 0, sizeof *fs[i]);
    }
}

static void load(struct home *h)
{
    cancel_all(h);
    h->gen = h->app->account_gen;
    h->active = h->unpaid = h->overdue_n = 0;
    h->due = (struct money){0, ""};
    if (!h->app->status)
        app_load_status(h->app);
    if (!app_signed_in(h->app))
        return;
    struct list_query active = {.status = "active", .per_page = SUMMARY_PER_PAGE};
    struct list_query pending = {.status = "pending", .per_page = SUMMARY_PER_PAGE};
    struct list_query overdue = {.status = "overdue", .per_page = SUMMARY_PER_PAGE};
    h->services.req = account_get_services(h->app, &active, on_services, h);
    h->pending.req = account_get_invoices(h->app, &pending, on_pending, h);
    h->overdue.req = account_get_invoices(h->app, &overdue, on_overdue, h);
    h->credits.req = account_get_credits(h->app, on_credits, h);
    if (!operator_viewing(h->app))
        app_refresh_cart(h->app);
}

static void home_reload(struct screen *s)
{
    load(s->priv);
}

static void reload_now(void *ud)
{
    struct home *h = ud;
    h->reload_timer = 0;
    load(h);
}

static int home_open(struct screen *s, void *arg)
{
    struct home *h = s->priv;
    h->app = s->app;
    h->menu.item_h = 1;
    h->menu.count = N_ENTRIES;
    load(h);
    return 0;
}

static void home_close(struct screen *s)
{
    struct home *h = s->priv;
    cancel_all(h);
    app_cancel_timer(h->app, h->reload_timer);
}

/* ---- painting ---- */

/* "Label    value" where the value may still be loading or have failed. */
static void figure_row(struct home *h, int y, int x, int w, const char *label,
                       const struct figure *f, enum theme_elem el, const char *value)
{
    struct tui *t = h->app->tui;
    tui_text(t, y, x, 18, EL_LABEL, label);
    if (!f->done)
        tui_spinner(t, y, x + 19, w - 19, "");
    else if (f->err.status != CLIENT_OK)
        tui_text(t, y, x + 19, w - 19, EL_DIM, "unavailable (r retries)");
    else
        tui_text(t, y, x + 19, w - 19, el, value);
}

static int paint_summary(struct home *h, struct tui_rect body)
{
    const struct currency *cur = app_currency(h->app);
    char line[200], a[64];
    int y = body.y + 1, x = body.x + 3, w = body.w - 4;
    snprintf(line, sizeof line, "%d", h->active);
    figure_row(h, y++, x, w, "Active services", &h->services, EL_STATUS_ACTIVE, line);
    struct figure inv = h->pending;
    if (h->overdue.req || !h->overdue.done)
        inv.done = false;
    if (h->overdue.err.status != CLIENT_OK)
        inv.err = h->overdue.err;
    money_format(&h->due, cur, a, sizeof a);
    if (h->unpaid == 0)
        snprintf(line, sizeof line, "none");
    else if (h->overdue_n)
        tui_format(h->app->tui, line, sizeof line, "%d · %s due · %d overdue", h->unpaid, a,
                   h->overdue_n);
    else
        tui_format(h->app->tui, line, sizeof line, "%d · %s due", h->unpaid, a);
    figure_row(h, y++, x, w, "Unpaid invoices", &inv,
               h->overdue_n ? EL_STATUS_OVERDUE
               : h->unpaid  ? EL_STATUS_PENDING
                            : EL_NORMAL,
               line);
    figure_row(h, y++, x, w, "Next due date", &h->services, EL_NORMAL,
               h->next_due[0] ? h->next_due : "none");
    money_format(&h->balance, cur, a, sizeof a);
    snprintf(line, sizeof line, "%s%s", a, h->credits_enabled ? "" : " (credits are off)");
    figure_row(h, y++, x, w, "Credit balance", &h->credits, EL_PRICE, line);
    return y - body.y;
}

static void paint_entry(struct tui *t, struct tui_rect r, int i, bool selected, void *ud)
{
    struct home *h = ud;
    char label[64];
    enum theme_elem el = selected ? EL_SELECTED : EL_NORMAL;
    snprintf(label, sizeof label, "%s", entries[i].label);
    if (entries[i].op == OP_CART && h->app->cart_known && h->app->cart_count > 0)
        snprintf(label, sizeof label, "Cart (%d)", h->app->cart_count);
    tui_fill(t, r, el);
    tui_text(t, r.y, r.x, 2, el, selected ? tui_glyph(t, GLYPH_MARKER) : " ");
    tui_text(t, r.y, r.x + 2, 16, selected ? EL_SELECTED : EL_TITLE, label);
    if (r.w >= 56)
        tui_text(t, r.y, r.x + 19, r.w - 20, selected ? EL_SELECTED : EL_DIM, entries[i].hint);
}

static void home_paint(struct screen *s, struct tui_rect body)
{
    struct home *h = s->priv;
    if (frame_gate(h->app, body))
        return;
    if (h->app->login_req) {
        frame_loading(h->app, body, "Signing in…");
        return;
    }
    if (!app_signed_in(h->app)) {
        frame_message(h->app, body, EL_NORMAL,
                      "You are not signed in. Press L to sign in, or s to browse the store.");
        return;
    }
    if (frame_stale(h->app, h->gen) && !h->reload_timer)
        h->reload_timer = app_after(h->app, 0, reload_now, h);
    int used = paint_summary(h, body);
    int menu_y = body.y + used + 1;
    if (body.h - (menu_y - body.y) < N_ENTRIES) /* short: the menu first */
        menu_y = body.y + (body.h > N_ENTRIES ? body.h - N_ENTRIES : 0);
    h->menu_rect = (struct tui_rect){menu_y, body.x + 1, body.y + body.h - menu_y, body.w - 2};
    tui_fill(s->tui, h->menu_rect, EL_NORMAL);
    tui_list_paint(s->tui, &h->menu, h->menu_rect, paint_entry, h);
}

/* ---- keys ---- */

static void open_entry(struct home *h, int i)
{
    if (i >= 0 && i < N_ENTRIES)
        app_handle_nav(h->app, entries[i].op);
}

static enum tui_action home_handle(struct screen *s, const struct tui_event *ev)
{
    struct home *h = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        int at = tui_list_hit(&h->menu, h->menu_rect, ev->y);
        if (ev->mouse == TUI_MOUSE_CLICK && at >= 0 && at == h->menu.selected)
            open_entry(h, at);
        else
            tui_list_handle(&h->menu, ev, h->menu_rect);
        return TUI_HANDLED;
    }
    if (ev->op == OP_RETRY) {
        app_load_status(h->app);
        load(h);
        return TUI_HANDLED;
    }
    if (ev->op == OP_ENTER) {
        if (app_signed_in(h->app))
            open_entry(h, h->menu.selected);
        return TUI_HANDLED;
    }
    return app_handle_list(h->app, &h->menu, ev, h->menu_rect);
}

static const char *home_title(struct screen *s, char *buf, size_t n)
{
    struct home *h = s->priv;
    return operator_title(h->app, operator_viewing(h->app) ? "Operator" : "Home", buf, n);
}

SCREEN_OPS_WITH_OPERATOR(home_screen, operator_home_screen, "home", home_keys, operator_keys,
                         .priv_size = sizeof(struct home), .open = home_open, .close = home_close,
                         .paint = home_paint, .handle = home_handle, .reload = home_reload,
                         .title = home_title);
