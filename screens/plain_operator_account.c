/* plain_operator_account.c: an operator's actions on the open customer's services, invoices and
 * credits in plain mode, and the orders: each asks what it needs, a reason, a confirmation. */
#include "screens/plain_operator.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"

/* Says the action's refusal; the screen stays as it was. */
static enum plain_result refused(struct plain *p, const char *what, struct plain_reply *r)
{
    plain_fail(p, what, &r->err);
    return PLAIN_STAY;
}

static void email_of(struct plain *p, char *buf, size_t n)
{
    plain_clean(p->op->view_email, buf, n);
}

/* ---- services ---- */

enum plain_result plain_op_suspend(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char reason[1001], q[600], name[256], email[256];
    int i = plain_op_pick(p, arg, "service", p->acct->services->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct service *s = &p->acct->services->items[i];
    bool on = s->status == SERVICE_ACTIVE;
    if (!on && s->status != SERVICE_SUSPENDED) {
        plain_say(p, "Only an active service can be suspended, or a suspended one resumed.");
        return PLAIN_STAY;
    }
    int64_t id = s->id;
    plain_clean(s->product.name, name, sizeof name);
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    email_of(p, email, sizeof email);
    snprintf(q, sizeof q, "%s %s (service %" PRId64 ") of %s?", on ? "Suspend" : "Unsuspend", name,
             id, email);
    if (!plain_op_confirm(p, q, reason))
        return PLAIN_STAY;
    uint64_t req = on ? client_admin_suspend_service(p->client, id, reason, plain_on_service, &r)
                      : client_admin_unsuspend_service(p->client, id, reason, plain_on_service, &r);
    if (plain_wait(p, req, &r) != 0)
        return refused(p, on ? "suspend the service" : "unsuspend the service", &r);
    struct service *sv = r.value;
    plain_say(p, "%s is now %s.", name, service_status_label(sv->status));
    service_free(&sv);
    plain_op_reload(p);
    return PLAIN_STAY;
}

/* ---- invoices ---- */

/* "25", "25.50", or for credit "-5". 0, or -1. */
static int parse_amount(struct plain *p, const char *text, bool signed_ok, struct money *m)
{
    bool negative = false;
    int64_t minor;
    if (signed_ok && (*text == '-' || *text == '+'))
        negative = *text++ == '-';
    if (fmt_parse_amount(text, &p->currency, &minor) != 0 || minor <= 0)
        return -1;
    m->amount = negative ? -minor : minor;
    snprintf(m->currency, sizeof m->currency, "%s", p->currency.code);
    return 0;
}

enum plain_result plain_op_refund(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    struct admin_refund_request rq = {0};
    char line[64], reason[1001], q[800], num[64], paid[64], amount[64], email[256],
        key[CLIENT_IDEMPOTENCY_KEY_SIZE];
    int i = plain_op_pick(p, arg, "invoice", p->acct->invoices->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct invoice_summary *s = &p->acct->invoices->items[i];
    plain_clean(s->number, num, sizeof num);
    if (s->status != INVOICE_PAID) {
        plain_say(p, "Only a paid invoice can be refunded; %s is %s.", num,
                  invoice_status_label(s->status));
        return PLAIN_STAY;
    }
    int64_t id = s->id;
    plain_money(p, &s->total, paid, sizeof paid);
    snprintf(q, sizeof q, "Refund amount (of %s), or all for everything not yet refunded:", paid);
    if (!plain_ask(p, q, line, sizeof line, false) || !line[0])
        return PLAIN_STAY;
    rq.full = strcmp(line, "all") == 0;
    if (!rq.full && parse_amount(p, line, false, &rq.amount) != 0) {
        plain_say(p, "That is not an amount; type it like 5 or 4.50. Nothing was refunded.");
        return PLAIN_STAY;
    }
    plain_say(p, "Where does the refund go?");
    plain_say(p, "1. Back the way it was paid (card, PayPal, credits).");
    plain_say(p, "2. All to the customer's credit balance.");
    if (!plain_ask(p, "Your choice (an empty line cancels):", line, sizeof line, false) ||
        (strcmp(line, "1") != 0 && strcmp(line, "2") != 0)) {
        plain_say(p, "Nothing was refunded.");
        return PLAIN_STAY;
    }
    rq.to_credits = line[0] == '2';
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    email_of(p, email, sizeof email);
    plain_money(p, &rq.amount, amount, sizeof amount);
    snprintf(q, sizeof q, "Refund %s of %s to %s, %s?",
             rq.full ? "everything not yet refunded" : amount, num, email,
             rq.to_credits ? "as credit" : "the way it was paid");
    if (!plain_op_confirm(p, q, reason) || client_idempotency_key_new(key) != 0)
        return PLAIN_STAY;
    rq.reason = reason;
    rq.idempotency_key = key;
    if (plain_wait(p, client_admin_refund_invoice(p->client, id, &rq, plain_on_refund, &r), &r) !=
        0)
        return refused(p, "refund the invoice", &r);
    struct refund_result *res = r.value;
    plain_money(p, &res->refund.amount, amount, sizeof amount);
    plain_say(p, "Refunded %s of %s; the invoice is now %s.", amount, num,
              invoice_status_label(res->invoice.summary.status));
    refund_result_free(&res);
    plain_op_reload(p);
    return PLAIN_STAY;
}

enum plain_result plain_op_release(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char reason[1001], q[800], num[64], email[256];
    int64_t held = 0;
    int i = plain_op_pick(p, arg, "invoice", p->acct->invoices->n);
    if (i < 0)
        return PLAIN_STAY;
    plain_clean(p->acct->invoices->items[i].number, num, sizeof num);
    if (plain_wait(p,
                   client_admin_get_invoice(p->client, p->acct->invoices->items[i].id,
                                            plain_on_invoice, &r),
                   &r) != 0)
        return refused(p, "load the invoice", &r);
    struct invoice *inv = r.value;
    for (size_t k = 0; k < inv->n_payments; k++)
        if (inv->payments[k].status == PAYMENT_HELD)
            held = inv->payments[k].id;
    invoice_free(&inv);
    if (!held) {
        plain_say(p, "%s has no payment on hold to release.", num);
        return PLAIN_STAY;
    }
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    email_of(p, email, sizeof email);
    snprintf(q, sizeof q,
             "Accept the held payment as payment of %s of %s, with the amount the gateway "
             "collected (any rest stays due, any surplus goes to credit)?",
             num, email);
    if (!plain_op_confirm(p, q, reason))
        return PLAIN_STAY;
    r = (struct plain_reply){0};
    if (plain_wait(p, client_admin_release_payment(p->client, held, reason, plain_on_invoice, &r),
                   &r) != 0)
        return refused(p, "release the payment", &r);
    inv = r.value;
    plain_say(p, "Released the held payment of %s; the invoice is now %s.", num,
              invoice_status_label(inv->summary.status));
    invoice_free(&inv);
    plain_op_reload(p);
    return PLAIN_STAY;
}

/* ---- credits ---- */

enum plain_result plain_op_adjust(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    struct money m = {0};
    char line[64], reason[1001], q[800], amount[64], email[256], key[CLIENT_IDEMPOTENCY_KEY_SIZE];
    (void)arg;
    if (!plain_ask(p, "Credit to add (-amount removes; an empty line cancels):", line, sizeof line,
                   false) ||
        !line[0])
        return PLAIN_STAY;
    if (parse_amount(p, line, true, &m) != 0) {
        plain_say(p, "That is not an amount; type 10 to add or -10 to remove. Nothing was "
                     "changed.");
        return PLAIN_STAY;
    }
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    struct money abs = m;
    abs.amount = m.amount < 0 ? -m.amount : m.amount;
    plain_money(p, &abs, amount, sizeof amount);
    email_of(p, email, sizeof email);
    snprintf(q, sizeof q, "%s %s %s the credit balance of %s?", m.amount < 0 ? "Remove" : "Add",
             amount, m.amount < 0 ? "from" : "to", email);
    if (!plain_op_confirm(p, q, reason) || client_idempotency_key_new(key) != 0)
        return PLAIN_STAY;
    if (plain_wait(p,
                   client_admin_adjust_credits(p->client, p->op->view_id, &m, reason, key,
                                               plain_on_credit_tx, &r),
                   &r) != 0)
        return refused(p, "adjust the credit", &r);
    struct credit_tx *tx = r.value;
    char bal[64];
    plain_money(p, &tx->balance_after, bal, sizeof bal);
    plain_say(p, "%s %s; the balance is now %s.", m.amount < 0 ? "Removed" : "Added", amount, bal);
    credit_tx_free(&tx);
    plain_op_reload(p);
    return PLAIN_STAY;
}

/* ---- orders ---- */

void plain_op_order_item(struct plain *p, int i)
{
    const struct order *o = &p->op->orders->items[i];
    char num[64], total[64];
    plain_money(p, &o->totals.total, total, sizeof total);
    plain_say(p, "%d. %s, customer #%" PRId64 ": %s, %s, placed %s.", i + 1,
              plain_clean(o->number, num, sizeof num), o->user_id, order_status_label(o->status),
              total, plain_date_or(o->created_at, "-"));
}

enum plain_result plain_op_approve(struct plain *p, const struct order *o)
{
    struct plain_reply r = {0};
    char reason[1001], q[600], num[64], email[256];
    plain_clean(o->number, num, sizeof num);
    if (o->status != ORDER_PENDING_APPROVAL) {
        plain_say(p, "Only an order awaiting approval can be approved; %s is %s.", num,
                  order_status_label(o->status));
        return PLAIN_STAY;
    }
    int64_t id = o->id;
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    email_of(p, email, sizeof email);
    snprintf(q, sizeof q, "Approve %s%s%s and set up its services?", num, email[0] ? " of " : "",
             email);
    if (!plain_op_confirm(p, q, reason))
        return PLAIN_STAY;
    if (plain_wait(p, client_admin_approve_order(p->client, id, reason, plain_on_order, &r), &r) !=
        0)
        return refused(p, "approve the order", &r);
    struct order *done = r.value;
    plain_say(p, "%s is now %s.", num, order_status_label(done->status));
    order_free(&done);
    plain_op_reload(p);
    return PLAIN_STAY;
}

/* The open customer's orders; with none open, every customer's awaiting approval. */
static int orders_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query q = {.per_page = 100};
    uint64_t req;
    if (plain_viewing(p)) {
        req = client_admin_get_user_orders(p->client, p->op->view_id, &q, plain_on_orders, &r);
    } else {
        q.status = "pending_approval";
        req = client_admin_get_orders(p->client, &q, plain_on_orders, &r);
    }
    if (plain_wait(p, req, &r) != 0) {
        plain_fail(p, plain_viewing(p) ? "load the orders" : "load the orders awaiting approval",
                   &r.err);
        return -1;
    }
    order_page_free(&p->op->orders);
    p->op->orders = r.value;
    return 0;
}

static void orders_print(struct plain *p)
{
    char title[400];
    int n = (int)p->op->orders->n;
    plain_say(p, "%s: %d.", plain_op_title(p, "Orders", title, sizeof title), n);
    plain_list_start(p, n, plain_op_order_item);
    plain_say(p, "Type P and an order's number to approve an order awaiting approval.");
}

static enum plain_result approve(struct plain *p, const char *arg)
{
    int i = plain_op_pick(p, arg, "order", p->op->orders->n);
    if (i < 0)
        return PLAIN_STAY;
    return plain_op_approve(p, &p->op->orders->items[i]);
}

static const struct plain_cmd orders_cmds[] = {
    {"P", "approve an order awaiting approval (P and its number)", approve, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_orders_screen = {
    .name = "operator-orders",
    .load = orders_load,
    .print = orders_print,
    .cmds = orders_cmds,
};

/* Every customer's orders awaiting approval: the same list and P. */
static void awaiting_print(struct plain *p)
{
    int n = (int)p->op->orders->n;
    plain_say(p, "Orders awaiting approval: %d.", n);
    plain_list_start(p, n, plain_op_order_item);
    if (n > 0)
        plain_say(p, "Type P and an order's number to approve it.");
}

const struct plain_screen_ops plain_op_awaiting_screen = {
    .name = "operator-awaiting",
    .load = orders_load,
    .print = awaiting_print,
    .cmds = orders_cmds,
};
