/* operator_source.c: operator mode's sign-in gate and navigation, and whose account the account
 * screens load (the signed-in customer's, or the one an operator opened). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/billingd.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/operator_catalog.h"
#include "screens/operator_state.h"
#include "screens/screens.h"

static void probe(struct app *a);

static void probe_after_signin(void *ud)
{
    probe(ud);
}

static struct operator_mode *state(struct app *a)
{
    if (!a->op)
        a->op = calloc(1, sizeof *a->op);
    return a->op;
}

/* Refused: nothing of operator mode shows. A key or the demo operator cannot become another
 * account here, so sett ends with the reason; a typed account gets the gate, which says why and
 * offers the sign-in again. */
static void on_refused_logout(void *ud, const struct client_error *err)
{
    struct app *a = ud;
    (void)err;
    client_set_tokens(a->client, NULL, NULL); /* forgotten here even if the server kept it */
}

static void refuse(struct app *a, const char *sentence)
{
    struct operator_mode *op = a->op;
    snprintf(op->refusal, sizeof op->refusal, "%s", sentence);
    if (op->via_signin) {
        /* the customer's session is of no use here: the server revokes it (quietly: the gate
         * says why) */
        a->user_name[0] = '\0';
        if (!client_logout(a->client, on_refused_logout, a))
            client_set_tokens(a->client, NULL, NULL);
        app_reset_root(a, &operator_gate_screen);
        tui_status(a->tui, "Not signed in.");
        return;
    }
    client_set_tokens(a->client, NULL, NULL);
    a->exit_code = OPERATOR_EXIT_REFUSED;
    snprintf(a->exit_message, sizeof a->exit_message, "%s", op->refusal);
    tui_quit(a->tui);
}

static void on_probe(void *ud, struct admin_user_page *pg, const struct client_error *err)
{
    struct app *a = ud;
    struct operator_mode *op = a->op;
    char msg[300];

    op->probe_req = 0;
    if (pg) {
        admin_user_page_free(&pg);
        op->allowed = true;
        op->refusal[0] = '\0';
        client_error_clear(&op->err);
        app_reset_root(a, &operator_search_screen);
        return;
    }
    if (err->http_status == 403 || err->status == CLIENT_ERR_AUTH) {
        char sentence[400];
        fmt_error(err, msg, sizeof msg);
        /* 403: signed in, but not as an operator; 401: the key or session itself was refused */
        snprintf(sentence, sizeof sentence, "%s: %s",
                 err->http_status == 403 ? "This account is not an operator"
                 : a->opt.api_key[0]     ? "The API key was refused"
                                         : "The sign-in was refused",
                 msg);
        refuse(a, sentence);
        return;
    }
    op->err = *err; /* the network or the server: the gate shows it with a retry */
}

/* Asks an operator endpoint: the only honest test of whether this account is an operator's. */
static void probe(struct app *a)
{
    struct operator_mode *op = a->op;
    struct admin_user_query q = {.per_page = 1};

    client_error_clear(&op->err);
    if (!op->probe_req)
        op->probe_req = client_admin_search_users(a->client, &q, on_probe, a);
}

static void on_demo_login(void *ud, struct auth_session *s, const struct client_error *err)
{
    struct app *a = ud;
    a->login_req = 0;
    if (!s) {
        a->op->err = *err;
        return;
    }
    auth_session_free(&s);
    probe(a);
}

bool operator_gate_busy(const struct app *a)
{
    return a->op && (a->op->probe_req || a->login_req);
}

bool operator_allowed(const struct app *a)
{
    return a->op && a->op->allowed;
}

void operator_gate_retry(struct app *a)
{
    struct operator_mode *op = a->op;
    if (!op || op->allowed || operator_gate_busy(a))
        return;
    if (client_signed_in(a->client)) {
        probe(a);
    } else if (a->embedded) {
        a->login_req = client_login(a->client, BILLINGD_ADMIN_EMAIL, BILLINGD_ADMIN_PASSWORD,
                                    on_demo_login, a);
    } else {
        struct signin_args sa = {.done = probe_after_signin, .ud = a};
        op->via_signin = true;
        op->refusal[0] = '\0';
        tui_push(a->tui, &signin_screen, &sa);
    }
}

int operator_start(struct app *a, char *err, size_t errsz)
{
    if (!state(a)) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    /* every screen's header says this is operator mode */
    snprintf(a->badge, sizeof a->badge, "Operator");
    tui_set_badge(a->tui, a->badge);
    app_reset_root(a, &operator_gate_screen);
    if (!a->root) {
        snprintf(err, errsz, "cannot open the first screen");
        return -1;
    }
    operator_gate_retry(a);
    return 0;
}

void operator_stop(struct app *a)
{
    if (!a->op)
        return;
    operator_action_free(a);
    free(a->op);
    a->op = NULL;
}

bool operator_viewing(const struct app *a)
{
    return a->opt.operator_mode && a->view_user_id > 0;
}

const char *operator_title(const struct app *a, const char *section, char *buf, size_t n)
{
    char email[256];

    if (!operator_viewing(a)) {
        snprintf(buf, n, "%s", section);
        return buf;
    }
    tui_sanitize(a->view_email, email, sizeof email, false);
    tui_format(a->tui, buf, n, "%s — viewing %s (#%lld)", section, email,
               (long long)a->view_user_id);
    return buf;
}

void operator_open_customer(struct app *a, int64_t user_id, const char *email)
{
    a->view_user_id = user_id;
    snprintf(a->view_email, sizeof a->view_email, "%s", email ? email : "");
    a->account_gen++;
    app_reset_root(a, &operator_search_screen);
    tui_push(a->tui, &operator_home_screen, NULL);
}

/* The customer's overview stays under each section, as home does for a customer. */
static void open_section(struct app *a, const struct screen_ops *ops)
{
    struct screen *top;
    char key[16];
    if (!operator_viewing(a)) {
        tui_status(a->tui, "Open a customer first: %s searches.",
                   keymap_op_key(OP_FIND_CUSTOMER, key, sizeof key));
        return;
    }
    while ((top = tui_top(a->tui)) && top != a->root && top->ops != &operator_home_screen)
        tui_pop(a->tui);
    if (ops != &operator_home_screen)
        tui_push(a->tui, ops, NULL);
}

/* The shop's own screens (coupons, settings, orders awaiting approval): over the search, with no
 * customer open. */
static void open_shop(struct app *a, const struct screen_ops *ops)
{
    operator_handle_nav(a, OP_FIND_CUSTOMER);
    tui_push(a->tui, ops, NULL);
}

bool operator_handle_nav(struct app *a, enum tui_op op)
{
    switch (op) {
    case OP_GO_HOME:
        open_section(a, &operator_home_screen);
        return true;
    case OP_SERVICES:
        open_section(a, &operator_services_screen);
        return true;
    case OP_INVOICES:
        open_section(a, &operator_invoices_screen);
        return true;
    case OP_ORDERS:
        if (operator_viewing(a))
            open_section(a, &operator_orders_screen);
        else
            open_shop(a, &operator_awaiting_screen);
        return true;
    case OP_COUPONS:
        open_shop(a, &operator_coupons_screen);
        return true;
    case OP_SETTINGS:
        open_shop(a, &operator_settings_screen);
        return true;
    case OP_CATALOG:
        open_shop(a, &operator_catalog_screen);
        return true;
    case OP_CREDITS:
        open_section(a, &operator_credits_screen);
        return true;
    case OP_FIND_CUSTOMER:
        while (tui_top(a->tui) && tui_top(a->tui) != a->root)
            tui_pop(a->tui);
        if (a->root && a->root->ops->reload)
            a->root->ops->reload(a->root);
        return true;
    default:
        return false;
    }
}

uint64_t account_get_services(struct app *a, const struct list_query *q, client_services_cb cb,
                              void *ud)
{
    if (operator_viewing(a))
        return client_admin_get_user_services(a->client, a->view_user_id, q, cb, ud);
    return client_get_services(a->client, q, cb, ud);
}

uint64_t account_get_invoices(struct app *a, const struct list_query *q, client_invoices_cb cb,
                              void *ud)
{
    if (operator_viewing(a))
        return client_admin_get_user_invoices(a->client, a->view_user_id, q, cb, ud);
    return client_get_invoices(a->client, q, cb, ud);
}

uint64_t account_get_invoice(struct app *a, int64_t id, client_invoice_cb cb, void *ud)
{
    if (operator_viewing(a))
        return client_admin_get_invoice(a->client, id, cb, ud);
    return client_get_invoice(a->client, id, cb, ud);
}

uint64_t account_get_credits(struct app *a, client_credits_cb cb, void *ud)
{
    if (operator_viewing(a))
        return client_admin_get_user_credits(a->client, a->view_user_id, cb, ud);
    return client_get_credits(a->client, cb, ud);
}

uint64_t account_get_ledger(struct app *a, const struct list_query *q, client_ledger_cb cb,
                            void *ud)
{
    if (operator_viewing(a))
        return client_admin_get_user_ledger(a->client, a->view_user_id, q, cb, ud);
    return client_get_ledger(a->client, q, cb, ud);
}

/* ---- the gate: what shows until the server has said this is an operator ---- */

static const enum tui_op gate_keys[] = {OP_RETRY, OP_HELP, OP_QUIT, OP_NONE};

static void gate_paint(struct screen *s, struct tui_rect body)
{
    struct app *a = s->app;
    struct operator_mode *op = a->op;
    if (!op)
        return;
    if (operator_gate_busy(a)) {
        frame_loading(a, body, a->login_req ? "Signing in…" : "Checking operator access…");
    } else if (op->refusal[0]) {
        struct tui_rect r = {body.y + 1, body.x + 2, body.h - 1, body.w - 4};
        int used = tui_wrap_paint(s->tui, r, 0, EL_ERROR, op->refusal);
        r.y += used + 1;
        r.h -= used + 1;
        if (r.h > 0)
            tui_wrap_paint(s->tui, r, 0, EL_DIM,
                           "Nothing of operator mode is shown to it. r signs in with another "
                           "account; q quits.");
    } else if (op->err.status != CLIENT_OK) {
        frame_error(a, body, &op->err);
    } else {
        frame_message(a, body, EL_NORMAL,
                      "Operator mode needs an operator account: r signs in; q quits.");
    }
}

static enum tui_action gate_handle(struct screen *s, const struct tui_event *ev)
{
    if (ev->op == OP_RETRY) {
        operator_gate_retry(s->app);
        return TUI_HANDLED;
    }
    return TUI_IGNORED;
}

static const char *gate_title(struct screen *s, char *buf, size_t n)
{
    (void)s;
    snprintf(buf, n, "Operator");
    return buf;
}

const struct screen_ops operator_gate_screen = {
    .name = "operator-gate",
    .paint = gate_paint,
    .handle = gate_handle,
    .title = gate_title,
    .keys = gate_keys,
};
