/* credits.c: the Credits screen: the balance, how it is used, the ledger of every change, and
 * adding funds (a deposit invoice, paid like checkout). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/list_screen.h"
#include "screens/operator.h"
#include "screens/screens.h"

#define HEAD_ROWS 5 /* balance, two lines of notes, a blank, the table header */

struct credits_view {
    struct app *app;
    struct credits *credits;
    struct list_screen ledger;
    uint64_t req, deposit_req, reload_timer;
    struct client_error err;
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE]; /* the deposit being asked for */
    struct money asked;
};

static const enum tui_op credits_keys[] = {
    OP_ADD_FUNDS, OP_PAY,  OP_UP,    OP_DOWN,      OP_RETRY,   OP_GO_HOME, OP_SERVICES,
    OP_INVOICES,  OP_CART, OP_STORE, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,    OP_END,
    OP_ACCOUNT,   OP_BACK, OP_HELP,  OP_QUIT,      OP_NONE,
};

static const enum tui_op operator_keys[] = {
    OP_ADJUST_CREDIT, OP_UP,       OP_DOWN,      OP_RETRY,         OP_GO_HOME,
    OP_SERVICES,      OP_INVOICES, OP_ORDERS,    OP_FIND_CUSTOMER, OP_CATALOG,
    OP_COUPONS,       OP_SETTINGS, OP_PAGE_DOWN, OP_PAGE_UP,       OP_HOME,
    OP_END,           OP_BACK,     OP_HELP,      OP_QUIT,          OP_NONE,
};

static void on_credits(void *ud, struct credits *c, const struct client_error *err)
{
    struct credits_view *v = ud;
    v->req = 0;
    if (!c) {
        v->err = *err;
        return;
    }
    credits_free(&v->credits);
    v->credits = c;
}

LIST_SCREEN_ON_PAGE(on_ledger, ledger_page, ledger_page_free)

static uint64_t fetch_ledger(struct list_screen *ls, struct list_query *q)
{
    return account_get_ledger(ls->app, q, on_ledger, ls);
}

static void clear_tx(void *item)
{
    struct credit_tx *tx = item;
    free(tx->description);
    free(tx->created_at);
}

static const char *empty_text(struct list_screen *ls, char *buf, size_t n)
{
    (void)buf, (void)n;
    return operator_viewing(ls->app) ? "No changes to this balance yet."
                                     : "No changes to your balance yet.";
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op);

static const struct list_screen_ops ledger_ops = {
    .item_size = sizeof(struct credit_tx),
    .max_pages = 10,
    .fetch = fetch_ledger,
    .clear_item = clear_tx,
    .loading = "Loading the history…",
    .empty = empty_text,
    .empty_el = EL_DIM,
    .key = own_key,
};

static void load(struct credits_view *v)
{
    client_cancel(v->app->client, v->req);
    client_cancel(v->app->client, v->ledger.req);
    v->ledger.req = 0;
    client_error_clear(&v->err);
    v->req = account_get_credits(v->app, on_credits, v);
    list_screen_load(&v->ledger);
}

static void credits_reload(struct screen *s)
{
    load(s->priv);
}

static void reload_now(void *ud)
{
    struct credits_view *v = ud;
    v->reload_timer = 0;
    load(v);
}

static int credits_open(struct screen *s, void *arg)
{
    struct credits_view *v = s->priv;
    (void)arg;
    v->app = s->app;
    list_screen_init(&v->ledger, &ledger_ops, s->app, v);
    load(v);
    return 0;
}

static void credits_close(struct screen *s)
{
    struct credits_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_cancel(v->app->client, v->deposit_req);
    app_cancel_timer(v->app, v->reload_timer);
    credits_free(&v->credits);
    list_screen_close(&v->ledger);
}

/* ---- painting ---- */

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct credits_view *v = ud;
    const struct credit_tx *tx = (const struct credit_tx *)v->ledger.items + row;
    const struct currency *cur = app_currency(v->app);
    bool sel = row == v->ledger.list.selected;
    int ncol = v->ledger.rows.w >= 70 ? 5 : 3;
    char a[64];
    *el = sel ? EL_SELECTED : EL_NORMAL;
    if (ncol == 3 && col >= 1)
        col += 2; /* narrow: date, amount, balance */
    switch (col) {
    case 0:
        fmt_moment(tx->created_at, a, sizeof a);
        if (ncol == 3)
            snprintf(buf, n, "%.10s", tx->created_at); /* the date alone */
        else
            snprintf(buf, n, "%s", a);
        return buf;
    case 1:
        return credit_tx_type_label(tx->type);
    case 2:
        return tx->description;
    case 3:
        money_format(&tx->amount, cur, a, sizeof a);
        snprintf(buf, n, "%s%s", tx->amount.amount > 0 ? "+" : "", a);
        if (!sel)
            *el = tx->amount.amount < 0 ? EL_NORMAL : EL_PRICE;
        return buf;
    default:
        money_format(&tx->balance_after, cur, buf, n);
        return buf;
    }
}

static void paint_head(struct credits_view *v, struct tui_rect body)
{
    struct tui *t = v->app->tui;
    const struct credits *c = v->credits;
    const struct currency *cur = app_currency(v->app);
    char a[64], b[64], line[300];
    money_format(&c->balance, cur, a, sizeof a);
    tui_text(t, body.y, body.x + 1, 16, EL_TITLE, "Balance");
    tui_text(t, body.y, body.x + 18, body.w - 19, EL_PRICE, a);
    if (!c->enabled) {
        snprintf(line, sizeof line,
                 "Credits are switched off on this panel: the balance is kept "
                 "but cannot be used or topped up now.");
    } else if (operator_viewing(v->app)) {
        snprintf(line, sizeof line, "A adds or removes credit, with a reason for the audit log.");
    } else {
        money_format(&c->min_deposit, cur, a, sizeof a);
        money_format(&c->max_deposit, cur, b, sizeof b);
        snprintf(line, sizeof line, "Used automatically at checkout. F adds funds (%s to %s)%s", a,
                 b, c->pending_deposit_invoice_id ? "; p pays the unpaid deposit." : ".");
    }
    tui_wrap_paint(t, (struct tui_rect){body.y + 1, body.x + 1, 2, body.w - 2}, 0, EL_DIM, line);
}

static void credits_paint(struct screen *s, struct tui_rect body)
{
    struct credits_view *v = s->priv;
    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->ledger.gen) && !v->req && !v->ledger.req && !v->reload_timer)
        v->reload_timer = app_after(v->app, 0, reload_now, v);
    if (v->err.status != CLIENT_OK && !v->req) {
        frame_error(v->app, body, &v->err);
        return;
    }
    if (!v->credits) {
        frame_loading(v->app, body, "Loading your credits…");
        return;
    }
    paint_head(v, body);
    struct tui_rect rest = {body.y + HEAD_ROWS - 1, body.x, body.h - HEAD_ROWS + 1, body.w};
    if (list_screen_paint_state(&v->ledger, rest))
        return;
    static const struct tui_column wide[] = {
        {"Date", 16, false},  {"Type", 10, false},   {"Description", 0, false},
        {"Amount", 10, true}, {"Balance", 10, true},
    };
    static const struct tui_column narrow[] = {
        {"Date", 10, false},
        {"Amount", 0, true},
        {"Balance", 11, true},
    };
    struct tui_rect table = {rest.y, rest.x + 1, rest.h, rest.w - 2};
    bool is_wide = list_screen_rows(&v->ledger, table).w >= 70;
    tui_table_paint(s->tui, table, is_wide ? wide : narrow, is_wide ? 5 : 3, (int)v->ledger.n,
                    v->ledger.list.top, cell, v);
}

/* ---- adding funds ---- */

static void pay_invoice(struct credits_view *v, int64_t id)
{
    struct screen_target t = {.id = id, .kind = PAY_INVOICE};
    tui_push(v->app->tui, &pay_screen, &t);
}

static void on_deposit(void *ud, struct invoice *inv, const struct client_error *err)
{
    struct credits_view *v = ud;
    char msg[400];
    v->deposit_req = 0;
    if (inv) {
        int64_t id = inv->summary.id;
        explicit_bzero(v->key, sizeof v->key);
        tui_status(v->app->tui, "%s", "");
        invoice_free(&inv);
        v->app->account_gen++;
        pay_invoice(v, id);
        return;
    }
    const char *pending = client_error_detail(err, "invoice_id");
    if (strcmp(err->code, "deposit_pending") == 0 && pending) {
        explicit_bzero(v->key, sizeof v->key);
        pay_invoice(v, strtoll(pending, NULL, 10));
        tui_status(v->app->tui, "You have an unpaid deposit already: pay it first.");
        return;
    }
    if (err->status != CLIENT_ERR_TRANSPORT && err->status != CLIENT_ERR_TIMEOUT)
        explicit_bzero(v->key, sizeof v->key);
    fmt_error(err, msg, sizeof msg);
    tui_status(v->app->tui, "No deposit: %s", msg);
}

static void on_amount(struct screen *s, const char *text, void *ud)
{
    struct credits_view *v = s->priv;
    const struct currency *cur = app_currency(v->app);
    int64_t minor;
    if (!text || v->deposit_req)
        return;
    if (fmt_parse_amount(text, cur, &minor) != 0 || minor <= 0) {
        tui_status(v->app->tui, "\"%s\" is not an amount; try e.g. 25 or 25.50.", text);
        return;
    }
    v->asked = (struct money){.amount = minor};
    snprintf(v->asked.currency, sizeof v->asked.currency, "%s",
             v->credits ? v->credits->balance.currency
             : cur      ? cur->code
                        : "");
    if (!v->key[0] && client_idempotency_key_new(v->key) != 0)
        v->key[0] = '\0'; /* optional for deposits */
    v->deposit_req =
        client_create_deposit(v->app->client, &v->asked, v->key[0] ? v->key : NULL, on_deposit, v);
    tui_status(v->app->tui, "Creating the deposit invoice…");
}

static void ask_amount(struct credits_view *v)
{
    const struct currency *cur = app_currency(v->app);
    char a[64], b[64], label[160];
    if (!v->credits)
        return;
    if (!v->credits->enabled) {
        tui_status(v->app->tui, "Credits are switched off on this panel.");
        return;
    }
    if (v->credits->pending_deposit_invoice_id) {
        tui_status(v->app->tui, "You have an unpaid deposit: pay it first.");
        pay_invoice(v, v->credits->pending_deposit_invoice_id);
        return;
    }
    money_format(&v->credits->min_deposit, cur, a, sizeof a);
    money_format(&v->credits->max_deposit, cur, b, sizeof b);
    snprintf(label, sizeof label, "Amount to add (%s to %s):", a, b);
    explicit_bzero(v->key, sizeof v->key); /* a new request */
    tui_prompt(v->app->tui, label, "", on_amount, NULL);
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    struct credits_view *v = ls->owner;
    switch (op) {
    case OP_RETRY:
        load(v);
        return TUI_HANDLED;
    case OP_ADD_FUNDS:
        ask_amount(v);
        return TUI_HANDLED;
    case OP_ADJUST_CREDIT:
        operator_adjust_credit(v->app);
        return TUI_HANDLED;
    case OP_PAY:
        if (v->credits && v->credits->pending_deposit_invoice_id)
            pay_invoice(v, v->credits->pending_deposit_invoice_id);
        else
            tui_status(v->app->tui, "Nothing to pay: F adds funds.");
        return TUI_HANDLED;
    default:
        return TUI_IGNORED;
    }
}

static enum tui_action credits_handle(struct screen *s, const struct tui_event *ev)
{
    struct credits_view *v = s->priv;
    return list_screen_handle(&v->ledger, ev);
}

static const char *credits_title(struct screen *s, char *buf, size_t n)
{
    struct credits_view *v = s->priv;
    return operator_title(v->app, "Credits", buf, n);
}

SCREEN_OPS_WITH_OPERATOR(credits_screen, operator_credits_screen, "credits", credits_keys,
                         operator_keys, .priv_size = sizeof(struct credits_view),
                         .open = credits_open, .close = credits_close, .paint = credits_paint,
                         .handle = credits_handle, .reload = credits_reload,
                         .title = credits_title);
