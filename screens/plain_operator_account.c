/* plain_operator_account.c: the open customer's services, invoices, credits and orders in plain
 * mode, and an operator's actions on them: each asks what it needs, a reason, a confirmation. */
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

static int services_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query q = {.per_page = 100};
    if (plain_wait(
            p, client_admin_get_user_services(p->client, p->op->view_id, &q, plain_on_services, &r),
            &r) != 0) {
        plain_fail(p, "load the services", &r.err);
        return -1;
    }
    service_page_free(&p->op->services);
    p->op->services = r.value;
    return 0;
}

static void service_item(struct plain *p, int i)
{
    const struct service *s = &p->op->services->items[i];
    char name[256], price[64];
    plain_money(p, &s->recurring_price, price, sizeof price);
    plain_say(p, "%d. %s, service %" PRId64 ": %s, %s %s, next due %s.", i + 1,
              plain_clean(s->product.name, name, sizeof name), s->id,
              service_status_label(s->status), price, plain_cycle_words(s->cycle),
              plain_date_or(s->next_due_date, "never"));
}

static void services_print(struct plain *p)
{
    char title[400];
    int n = (int)p->op->services->n;
    plain_say(p, "%s: %d.", plain_op_title(p, "Services", title, sizeof title), n);
    plain_list_start(p, n, service_item);
    plain_say(p, "Type Z and a service's number to suspend it, or to unsuspend it.");
}

static enum plain_result suspend(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char reason[1001], q[600], name[256], email[256];
    int i = plain_op_pick(p, arg, "service", p->op->services->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct service *s = &p->op->services->items[i];
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

static const struct plain_cmd services_cmds[] = {
    {"Z", "suspend a service, or unsuspend it (Z and its number)", suspend, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_services_screen = {
    .name = "operator-services",
    .load = services_load,
    .print = services_print,
    .cmds = services_cmds,
};

/* ---- invoices ---- */

static int invoices_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query q = {.per_page = 100};
    if (plain_wait(
            p, client_admin_get_user_invoices(p->client, p->op->view_id, &q, plain_on_invoices, &r),
            &r) != 0) {
        plain_fail(p, "load the invoices", &r.err);
        return -1;
    }
    invoice_page_free(&p->op->invoices);
    p->op->invoices = r.value;
    return 0;
}

static void invoice_item(struct plain *p, int i)
{
    const struct invoice_summary *s = &p->op->invoices->items[i];
    char num[64], total[64], due[64];
    plain_money(p, &s->total, total, sizeof total);
    plain_money(p, &s->amount_due, due, sizeof due);
    plain_say(p, "%d. %s, %s, %s: total %s, %s due, issued %s.", i + 1,
              plain_clean(s->number, num, sizeof num), invoice_kind_label(s->kind),
              invoice_status_label(s->status), total, due, plain_date_or(s->issue_date, "-"));
}

static void invoices_print(struct plain *p)
{
    char title[400];
    int n = (int)p->op->invoices->n;
    plain_say(p, "%s: %d.", plain_op_title(p, "Invoices", title, sizeof title), n);
    plain_list_start(p, n, invoice_item);
    plain_say(p, "Type E and an invoice's number to refund it, K and its number to release a "
                 "payment held for review.");
}

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

static enum plain_result refund(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    struct admin_refund_request rq = {0};
    char line[64], reason[1001], q[800], num[64], paid[64], amount[64], email[256],
        key[CLIENT_IDEMPOTENCY_KEY_SIZE];
    int i = plain_op_pick(p, arg, "invoice", p->op->invoices->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct invoice_summary *s = &p->op->invoices->items[i];
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

static enum plain_result release(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char reason[1001], q[800], num[64], email[256];
    int64_t held = 0;
    int i = plain_op_pick(p, arg, "invoice", p->op->invoices->n);
    if (i < 0)
        return PLAIN_STAY;
    plain_clean(p->op->invoices->items[i].number, num, sizeof num);
    if (plain_wait(
            p,
            client_admin_get_invoice(p->client, p->op->invoices->items[i].id, plain_on_invoice, &r),
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

static const struct plain_cmd invoices_cmds[] = {
    {"E", "refund a paid invoice (E and its number)", refund, NULL},
    {"K", "release a payment held for review (K and the invoice's number)", release, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_invoices_screen = {
    .name = "operator-invoices",
    .load = invoices_load,
    .print = invoices_print,
    .cmds = invoices_cmds,
};

/* ---- credits ---- */

static int credits_load(struct plain *p)
{
    struct plain_reply r = {0}, lr = {0};
    struct list_query q = {.per_page = 100};
    if (plain_wait(p,
                   client_admin_get_user_credits(p->client, p->op->view_id, plain_on_credits, &r),
                   &r) != 0) {
        plain_fail(p, "load the credits", &r.err);
        return -1;
    }
    credits_free(&p->op->credits);
    p->op->credits = r.value;
    if (plain_wait(
            p, client_admin_get_user_ledger(p->client, p->op->view_id, &q, plain_on_ledger, &lr),
            &lr) != 0) {
        plain_fail(p, "load the credit history", &lr.err);
        return -1;
    }
    ledger_page_free(&p->op->ledger);
    p->op->ledger = lr.value;
    return 0;
}

static void ledger_item(struct plain *p, int i)
{
    const struct credit_tx *t = &p->op->ledger->items[i];
    char amount[64], after[64], desc[300], when[64];
    plain_money(p, &t->amount, amount, sizeof amount);
    plain_money(p, &t->balance_after, after, sizeof after);
    fmt_moment(t->created_at, when, sizeof when);
    plain_say(p, "%d. %s, %s: %s, balance after %s. %s", i + 1, when, credit_tx_type_label(t->type),
              amount, after, plain_clean(t->description, desc, sizeof desc));
}

static void credits_print(struct plain *p)
{
    char title[400], bal[64];
    plain_money(p, &p->op->credits->balance, bal, sizeof bal);
    plain_say(p, "%s. Balance: %s.", plain_op_title(p, "Credits", title, sizeof title), bal);
    plain_say(p, "History: %zu entr%s.", p->op->ledger->n, p->op->ledger->n == 1 ? "y" : "ies");
    plain_list_start(p, (int)p->op->ledger->n, ledger_item);
    plain_say(p, "Type A to add or remove credit.");
}

enum plain_result plain_op_adjust(struct plain *p)
{
    struct plain_reply r = {0};
    struct money m = {0};
    char line[64], reason[1001], q[800], amount[64], email[256], key[CLIENT_IDEMPOTENCY_KEY_SIZE];
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

static enum plain_result adjust(struct plain *p, const char *arg)
{
    (void)arg;
    return plain_op_adjust(p);
}

static const struct plain_cmd credits_cmds[] = {
    {"A", "add or remove credit (an amount, a reason, a confirmation)", adjust, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_credits_screen = {
    .name = "operator-credits",
    .load = credits_load,
    .print = credits_print,
    .cmds = credits_cmds,
};

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

static int orders_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query q = {.per_page = 100};
    if (plain_wait(p,
                   client_admin_get_user_orders(p->client, p->op->view_id, &q, plain_on_orders, &r),
                   &r) != 0) {
        plain_fail(p, "load the orders", &r.err);
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
static int awaiting_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query q = {.status = "pending_approval", .per_page = 100};
    if (plain_wait(p, client_admin_get_orders(p->client, &q, plain_on_orders, &r), &r) != 0) {
        plain_fail(p, "load the orders awaiting approval", &r.err);
        return -1;
    }
    order_page_free(&p->op->orders);
    p->op->orders = r.value;
    return 0;
}

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
    .load = awaiting_load,
    .print = awaiting_print,
    .cmds = orders_cmds,
};
