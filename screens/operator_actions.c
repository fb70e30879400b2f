/* operator_actions.c: an operator's actions on a customer's account, each asked step by step:
 * what (an amount), why (a reason, never empty), a confirmation, then the request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator_state.h"
#include "screens/screens.h"

enum action_kind { ACT_REFUND, ACT_CREDIT, ACT_SUSPEND, ACT_UNSUSPEND, ACT_APPROVE, ACT_RELEASE };

static const char *const action_names[] = {"Refund",       "Credit adjustment", "Suspension",
                                           "Unsuspension", "Approval",          "Release"};

struct operator_action {
    struct app *app;
    enum action_kind kind;
    int64_t target;  /* invoice, user, service, order or payment id */
    char label[160]; /* what it acts on, as shown: "INV-2025-000142", "Minecraft 4 GB" */
    bool full;       /* a refund of everything not yet refunded */
    bool to_credits; /* all to the credit balance, not back the way it was paid */
    struct money amount;
    char reason[1001];
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE]; /* one per confirmation: a retry is not a second one */
    uint64_t req;
};

void operator_action_free(struct app *a)
{
    if (!a->op || !a->op->action)
        return;
    client_cancel(a->client, a->op->action->req);
    explicit_bzero(a->op->action, sizeof *a->op->action);
    free(a->op->action);
    a->op->action = NULL;
}

/* One action at a time: a new one replaces what was being asked. */
static struct operator_action *action_new(struct app *a, enum action_kind kind, int64_t target,
                                          const char *label)
{
    struct operator_action *act;

    if (!a->op)
        return NULL;
    if (a->op->action && a->op->action->req) {
        tui_status(a->tui, "Wait for the %s in flight to finish.",
                   action_names[a->op->action->kind]);
        return NULL;
    }
    operator_action_free(a);
    if (!(act = calloc(1, sizeof *act)))
        return NULL;
    act->app = a;
    act->kind = kind;
    act->target = target;
    tui_sanitize(label ? label : "", act->label, sizeof act->label, false);
    a->op->action = act;
    return act;
}

/* Money moved or a service changed: the screen on top (and the ones below, when they show)
 * load again. */
static void after_change(struct app *a)
{
    struct screen *top = tui_top(a->tui);
    a->account_gen++;
    if (top && top->ops->reload)
        top->ops->reload(top);
}

static void refused(struct operator_action *act, const struct client_error *err)
{
    char msg[400];
    fmt_error(err, msg, sizeof msg);
    tui_status(act->app->tui, "%s refused: %s", action_names[act->kind], msg);
}

static void fmt_amount(struct app *a, const struct money *m, char *buf, size_t n)
{
    struct money abs = *m;
    if (abs.amount < 0)
        abs.amount = -abs.amount;
    money_format(&abs, app_currency(a), buf, n);
}

/* ---- answers ---- */

static void on_refund(void *ud, struct refund_result *r, const struct client_error *err)
{
    struct operator_action *act = ud;
    struct app *a = act->app;
    char amount[64];

    act->req = 0;
    if (!r) {
        refused(act, err);
        return;
    }
    fmt_amount(a, &r->refund.amount, amount, sizeof amount);
    tui_status(a->tui, "Refunded %s of %s; the invoice is now %s.", amount, act->label,
               frame_invoice_status(r->invoice.summary.status));
    refund_result_free(&r);
    operator_action_free(a);
    after_change(a);
}

static void on_credit(void *ud, struct credit_tx *tx, const struct client_error *err)
{
    struct operator_action *act = ud;
    struct app *a = act->app;
    char amount[64], balance[64];

    act->req = 0;
    if (!tx) {
        refused(act, err);
        return;
    }
    fmt_amount(a, &tx->amount, amount, sizeof amount);
    fmt_amount(a, &tx->balance_after, balance, sizeof balance);
    tui_status(a->tui, "%s %s; the balance is now %s.", tx->amount.amount < 0 ? "Removed" : "Added",
               amount, balance);
    credit_tx_free(&tx);
    operator_action_free(a);
    after_change(a);
}

static void on_service(void *ud, struct service *sv, const struct client_error *err)
{
    struct operator_action *act = ud;
    struct app *a = act->app;

    act->req = 0;
    if (!sv) {
        refused(act, err);
        return;
    }
    tui_status(a->tui, "%s is now %s.", act->label, service_status_label(sv->status));
    service_free(&sv);
    operator_action_free(a);
    after_change(a);
}

static void on_order(void *ud, struct order *o, const struct client_error *err)
{
    struct operator_action *act = ud;
    struct app *a = act->app;

    act->req = 0;
    if (!o) {
        refused(act, err);
        return;
    }
    tui_status(a->tui, "%s is now %s.", act->label, order_status_label(o->status));
    order_free(&o);
    operator_action_free(a);
    after_change(a);
}

static void on_release(void *ud, struct invoice *inv, const struct client_error *err)
{
    struct operator_action *act = ud;
    struct app *a = act->app;

    act->req = 0;
    if (!inv) {
        refused(act, err);
        return;
    }
    tui_status(a->tui, "Released the held payment of %s; the invoice is now %s.", act->label,
               frame_invoice_status(inv->summary.status));
    invoice_free(&inv);
    operator_action_free(a);
    after_change(a);
}

/* ---- the steps ---- */

static void send_action(void *ud)
{
    struct operator_action *act = ud;
    struct app *a = act->app;
    struct client *c = a->client;

    if (!act->key[0] && client_idempotency_key_new(act->key) != 0) {
        tui_status(a->tui, "No random source for the request's key; nothing was sent.");
        return;
    }
    switch (act->kind) {
    case ACT_REFUND: {
        struct admin_refund_request r = {.full = act->full,
                                         .amount = act->amount,
                                         .reason = act->reason,
                                         .to_credits = act->to_credits,
                                         .idempotency_key = act->key};
        act->req = client_admin_refund_invoice(c, act->target, &r, on_refund, act);
        break;
    }
    case ACT_CREDIT:
        act->req = client_admin_adjust_credits(c, act->target, &act->amount, act->reason, act->key,
                                               on_credit, act);
        break;
    case ACT_SUSPEND:
        act->req = client_admin_suspend_service(c, act->target, act->reason, on_service, act);
        break;
    case ACT_UNSUSPEND:
        act->req = client_admin_unsuspend_service(c, act->target, act->reason, on_service, act);
        break;
    case ACT_APPROVE:
        act->req = client_admin_approve_order(c, act->target, act->reason, on_order, act);
        break;
    case ACT_RELEASE:
        act->req = client_admin_release_payment(c, act->target, act->reason, on_release, act);
        break;
    }
    tui_status(a->tui, act->req ? "Sending…" : "This request cannot be sent.");
}

static void confirm(struct operator_action *act)
{
    struct app *a = act->app;
    char msg[1400], amount[64], email[256];

    tui_sanitize(a->view_email, email, sizeof email, false);
    fmt_amount(a, &act->amount, amount, sizeof amount);
    switch (act->kind) {
    case ACT_REFUND:
        if (act->full)
            snprintf(msg, sizeof msg, "Refund %s in full (all not yet refunded) to %s, %s?",
                     act->label, email, act->to_credits ? "as credit" : "the way it was paid");
        else
            snprintf(msg, sizeof msg, "Refund %s of %s to %s, %s?", amount, act->label, email,
                     act->to_credits ? "as credit" : "the way it was paid");
        break;
    case ACT_CREDIT:
        snprintf(msg, sizeof msg, "%s %s %s the credit balance of %s?",
                 act->amount.amount < 0 ? "Remove" : "Add", amount,
                 act->amount.amount < 0 ? "from" : "to", email);
        break;
    case ACT_SUSPEND:
    case ACT_UNSUSPEND:
        snprintf(msg, sizeof msg, "%s %s of %s?",
                 act->kind == ACT_SUSPEND ? "Suspend" : "Unsuspend", act->label, email);
        break;
    case ACT_APPROVE:
        if (email[0])
            snprintf(msg, sizeof msg, "Approve %s of %s and set up its services?", act->label,
                     email);
        else
            snprintf(msg, sizeof msg, "Approve %s and set up its services?", act->label);
        break;
    case ACT_RELEASE:
        snprintf(msg, sizeof msg,
                 "Accept the held payment as payment of %s of %s, with the amount the gateway "
                 "collected (any rest stays due, any surplus goes to credit)?",
                 act->label, email);
        break;
    }
    size_t n = strlen(msg);
    snprintf(msg + n, sizeof msg - n, " Reason: %s", act->reason);
    struct confirm_args ca = {
        .title = action_names[act->kind], .message = msg, .yes = send_action, .ud = act};
    tui_push(a->tui, &confirm_screen, &ca);
}

static void ask_reason(struct operator_action *act, bool again);

static void on_reason(struct screen *s, const char *text, void *ud)
{
    struct operator_action *act = ud;
    (void)s;
    if (!text) {
        tui_status(act->app->tui, "%s cancelled: nothing was changed.", action_names[act->kind]);
        return;
    }
    while (*text == ' ')
        text++;
    snprintf(act->reason, sizeof act->reason, "%s", text);
    for (size_t n = strlen(act->reason); n > 0 && act->reason[n - 1] == ' '; n--)
        act->reason[n - 1] = '\0';
    if (!act->reason[0]) {
        ask_reason(act, true); /* the prompt itself says why: a status line would be covered */
        return;
    }
    confirm(act);
}

static void ask_reason(struct operator_action *act, bool again)
{
    tui_prompt(act->app->tui,
               again ? "A reason is required (it goes to the audit log). Reason:"
                     : "Reason (required):",
               "", on_reason, act);
}

/* The server returns a refund the way it was paid (the credits part to credits) unless told to
 * put it all on the balance. */
static void on_destination(void *ud, int index)
{
    struct operator_action *act = ud;
    act->to_credits = index == 1;
    ask_reason(act, false);
}

static void ask_destination(struct operator_action *act)
{
    static const char *const labels[] = {"Back the way it was paid (card, PayPal, credits)",
                                         "All to the customer's credit balance"};
    struct choice_args ca = {.title = "Refund",
                             .message = "Where does the refund go?",
                             .labels = labels,
                             .n = 2,
                             .chosen = on_destination,
                             .ud = act};
    tui_push(act->app->tui, &choice_screen, &ca);
}

/* "25", "25.50" or, for credit, "-5" (a removal). */
static int parse_amount(struct operator_action *act, const char *text, bool signed_ok)
{
    const struct currency *cur = app_currency(act->app);
    bool negative = false;
    int64_t minor;

    while (*text == ' ')
        text++;
    if (signed_ok && (*text == '-' || *text == '+')) {
        negative = *text == '-';
        text++;
    }
    if (fmt_parse_amount(text, cur, &minor) != 0 || minor <= 0)
        return -1;
    act->amount.amount = negative ? -minor : minor;
    snprintf(act->amount.currency, sizeof act->amount.currency, "%s", cur ? cur->code : "USD");
    return 0;
}

static void on_refund_amount(struct screen *s, const char *text, void *ud)
{
    struct operator_action *act = ud;
    (void)s;
    if (!text) {
        tui_status(act->app->tui, "Refund cancelled: nothing was changed.");
        return;
    }
    act->full = strspn(text, " ") == strlen(text);
    if (!act->full && parse_amount(act, text, false) != 0) {
        tui_status(act->app->tui, "\"%s\" is not an amount; try e.g. 5 or 4.50.", text);
        return;
    }
    ask_destination(act);
}

static void on_credit_amount(struct screen *s, const char *text, void *ud)
{
    struct operator_action *act = ud;
    (void)s;
    if (!text) {
        tui_status(act->app->tui, "Credit adjustment cancelled: nothing was changed.");
        return;
    }
    if (parse_amount(act, text, true) != 0) {
        tui_status(act->app->tui, "\"%s\" is not an amount; try 10 to add or -10 to remove.", text);
        return;
    }
    ask_reason(act, false);
}

/* ---- entry points ---- */

void operator_refund(struct app *a, const struct invoice_summary *inv)
{
    struct operator_action *act;
    char paid[64], label[200];
    struct money p;

    if (!inv || !operator_viewing(a))
        return;
    if (inv->status != INVOICE_PAID) {
        tui_status(a->tui, "Only a paid invoice can be refunded; %s is %s.", inv->number,
                   frame_invoice_status(inv->status));
        return;
    }
    if (!(act = action_new(a, ACT_REFUND, inv->id, inv->number)))
        return;
    p = inv->total;
    money_format(&p, app_currency(a), paid, sizeof paid);
    snprintf(label, sizeof label, "Refund amount (of %s; empty: all not yet refunded):", paid);
    tui_prompt(a->tui, label, "", on_refund_amount, act);
}

void operator_adjust_credit(struct app *a)
{
    struct operator_action *act;

    if (!operator_viewing(a) || !(act = action_new(a, ACT_CREDIT, a->view_user_id, "")))
        return;
    tui_prompt(a->tui, "Credit to add (-amount removes):", "", on_credit_amount, act);
}

void operator_toggle_suspend(struct app *a, const struct service *sv)
{
    struct operator_action *act;
    enum action_kind kind;

    if (!sv || !operator_viewing(a))
        return;
    if (sv->status == SERVICE_ACTIVE)
        kind = ACT_SUSPEND;
    else if (sv->status == SERVICE_SUSPENDED)
        kind = ACT_UNSUSPEND;
    else {
        tui_status(a->tui, "Only an active service can be suspended, or a suspended one resumed.");
        return;
    }
    if ((act = action_new(a, kind, sv->id, sv->product.name)))
        ask_reason(act, false);
}

void operator_approve(struct app *a, const struct order *o)
{
    struct operator_action *act;

    if (!o || !a->opt.operator_mode) /* from a customer's orders, or all those awaiting */
        return;
    if (o->status != ORDER_PENDING_APPROVAL) {
        tui_status(a->tui, "Only an order awaiting approval can be approved; %s is %s.", o->number,
                   order_status_label(o->status));
        return;
    }
    if ((act = action_new(a, ACT_APPROVE, o->id, o->number)))
        ask_reason(act, false);
}

void operator_release(struct app *a, const struct invoice *inv)
{
    struct operator_action *act;
    int64_t held = 0;

    if (!inv || !operator_viewing(a))
        return;
    for (size_t i = 0; i < inv->n_payments; i++)
        if (inv->payments[i].status == PAYMENT_HELD)
            held = inv->payments[i].id;
    if (!held) {
        tui_status(a->tui, "%s has no payment on hold to release.", inv->summary.number);
        return;
    }
    if ((act = action_new(a, ACT_RELEASE, held, inv->summary.number)))
        ask_reason(act, false);
}
