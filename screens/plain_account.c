/* plain_account.c: plain mode's account: services, invoices (and paying them), credits; the
 * customer's own, or in operator mode the open customer's, with the operator's commands. */
#include "screens/plain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/plain_operator.h"

struct plain_account *plain_acct(struct plain *p)
{
    if (!p->acct)
        p->acct = calloc(1, sizeof *p->acct);
    return p->acct;
}

void plain_account_free(struct plain *p)
{
    if (!p->acct)
        return;
    service_page_free(&p->acct->services);
    service_free(&p->acct->service);
    invoice_page_free(&p->acct->invoices);
    invoice_free(&p->acct->invoice);
    credits_free(&p->acct->credits);
    ledger_page_free(&p->acct->ledger);
    plan_change_free(&p->acct->change);
    free(p->acct);
    p->acct = NULL;
}

const char *plain_date_or(const char *d, const char *none)
{
    return d && d[0] ? d : none;
}

/* ---- whose account ---- */

bool plain_viewing(const struct plain *p)
{
    return p->op && p->op->view_id;
}

bool plain_own_account(const struct plain *p)
{
    return !plain_viewing(p);
}

uint64_t plain_get_services(struct plain *p, const struct list_query *q, client_services_cb cb,
                            void *ud)
{
    if (plain_viewing(p))
        return client_admin_get_user_services(p->client, p->op->view_id, q, cb, ud);
    return client_get_services(p->client, q, cb, ud);
}

uint64_t plain_get_invoices(struct plain *p, const struct list_query *q, client_invoices_cb cb,
                            void *ud)
{
    if (plain_viewing(p))
        return client_admin_get_user_invoices(p->client, p->op->view_id, q, cb, ud);
    return client_get_invoices(p->client, q, cb, ud);
}

uint64_t plain_get_credits(struct plain *p, client_credits_cb cb, void *ud)
{
    if (plain_viewing(p))
        return client_admin_get_user_credits(p->client, p->op->view_id, cb, ud);
    return client_get_credits(p->client, cb, ud);
}

uint64_t plain_get_ledger(struct plain *p, const struct list_query *q, client_ledger_cb cb,
                          void *ud)
{
    if (plain_viewing(p))
        return client_admin_get_user_ledger(p->client, p->op->view_id, q, cb, ud);
    return client_get_ledger(p->client, q, cb, ud);
}

const char *plain_account_title(struct plain *p, const char *own, const char *section, char *buf,
                                size_t n)
{
    if (plain_viewing(p))
        return plain_op_title(p, section, buf, n);
    snprintf(buf, n, "%s", own);
    return buf;
}

void plain_account_fail(struct plain *p, const char *what, const struct client_error *err)
{
    char buf[128];
    snprintf(buf, sizeof buf, "load %s %s", plain_viewing(p) ? "the" : "your", what);
    plain_fail(p, buf, err);
}

/* ---- invoices ---- */

static const struct plain_screen_ops invoice_screen;

static int invoices_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (!plain_acct(p))
        return -1;
    struct list_query q = {.status = p->acct->filter, .per_page = 100};
    if (plain_wait(p, plain_get_invoices(p, &q, plain_on_invoices, &r), &r) != 0) {
        plain_account_fail(p, "invoices", &r.err);
        return -1;
    }
    invoice_page_free(&p->acct->invoices);
    p->acct->invoices = r.value;
    return 0;
}

static void invoice_item(struct plain *p, int i)
{
    const struct invoice_summary *s = &p->acct->invoices->items[i];
    char num[64], total[64], due[64], by[80] = "";
    plain_money(p, &s->total, total, sizeof total);
    plain_money(p, &s->amount_due, due, sizeof due);
    if (plain_own_account(p))
        snprintf(by, sizeof by, ", due by %s", plain_date_or(s->due_date, "-"));
    plain_say(p, "%d. %s, %s, %s: total %s, %s due, issued %s%s.", i + 1,
              plain_clean(s->number, num, sizeof num), invoice_kind_label(s->kind),
              invoice_status_label(s->status), total, due, plain_date_or(s->issue_date, "-"), by);
}

static void invoices_print(struct plain *p)
{
    char title[400];
    int n = (int)p->acct->invoices->n;
    enum invoice_status st;
    if (p->acct->filter && invoice_status_parse(p->acct->filter, &st) == 0)
        plain_say(p, "Your invoices, %s only: %d.", invoice_status_label(st), n);
    else
        plain_say(p, "%s: %d.",
                  plain_account_title(p, "Your invoices", "Invoices", title, sizeof title), n);
    plain_list_start(p, n, invoice_item);
    if (plain_viewing(p))
        plain_say(p, "Type E and an invoice's number to refund it, K and its number to release a "
                     "payment held for review.");
    else
        plain_say(p, "Type a number to open an invoice, f to choose which invoices are listed.");
}

static enum plain_result invoices_number(struct plain *p, int n)
{
    if (n < 1 || (size_t)n > p->acct->invoices->n) {
        plain_no_such(p, "invoice", n, p->acct->invoices->n);
        return PLAIN_STAY;
    }
    return plain_open_invoice(p, p->acct->invoices->items[n - 1].id);
}

static enum plain_result filter(struct plain *p, const char *arg)
{
    char line[32], *end;
    (void)arg;
    plain_say(p, "Which invoices?");
    plain_say(p, "0. All");
    for (int i = 0; i < INVOICE_STATUS_COUNT; i++)
        plain_say(p, "%d. %s", i + 1, invoice_status_label((enum invoice_status)i));
    if (!plain_ask(p, "Your choice (an empty line keeps the list):", line, sizeof line, false) ||
        !line[0])
        return PLAIN_STAY;
    long k = strtol(line, &end, 10);
    if (end == line || *end || k < 0 || k > INVOICE_STATUS_COUNT) {
        plain_say(p, "That is not one of the choices; the list stays as it was.");
        return PLAIN_STAY;
    }
    const char *was = p->acct->filter;
    p->acct->filter = k == 0 ? NULL : invoice_status_str((enum invoice_status)(k - 1));
    if (invoices_load(p) != 0) {
        p->acct->filter = was;
        return PLAIN_STAY;
    }
    return PLAIN_SHOW;
}

static const struct plain_cmd invoices_cmds[] = {
    {"f", "choose which invoices are listed (all, unpaid, paid...)", filter, plain_own_account},
    {"E", "refund a paid invoice (E and its number)", plain_op_refund, plain_viewing},
    {"K", "release a payment held for review (K and the invoice's number)", plain_op_release,
     plain_viewing},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_invoices_screen = {
    .name = "invoices",
    .load = invoices_load,
    .print = invoices_print,
    .number_help = "open that invoice",
    .number = invoices_number,
    .number_offered = plain_own_account,
    .cmds = invoices_cmds,
};

enum plain_result plain_open_invoice(struct plain *p, int64_t id)
{
    if (!plain_acct(p))
        return PLAIN_STAY;
    p->acct->invoice_id = id;
    return plain_open(p, &invoice_screen);
}

static int invoice_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_get_invoice(p->client, p->acct->invoice_id, plain_on_invoice, &r),
                   &r) != 0) {
        plain_fail(p, "load the invoice", &r.err);
        return -1;
    }
    invoice_free(&p->acct->invoice);
    p->acct->invoice = r.value;
    return 0;
}

static void invoice_print(struct plain *p)
{
    const struct invoice *inv = p->acct->invoice;
    const struct invoice_summary *s = &inv->summary;
    char num[64], a[64], b[64], text[512];
    plain_say(p, "Invoice %s: %s, %s.", plain_clean(s->number, num, sizeof num),
              invoice_kind_label(s->kind), invoice_status_label(s->status));
    plain_say(p, "Issued %s, due by %s.", plain_date_or(s->issue_date, "-"),
              plain_date_or(s->due_date, "-"));
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        plain_money(p, &l->amount, a, sizeof a);
        plain_say(p, "Line %zu: %s, quantity %d: %s.", i + 1,
                  plain_clean(l->description, text, sizeof text), l->quantity, a);
    }
    if (inv->coupon_code[0])
        plain_say(p, "Coupon: %s.", plain_clean(inv->coupon_code, text, sizeof text));
    plain_money(p, &inv->totals.subtotal, a, sizeof a);
    plain_say(p, "Subtotal: %s.", a);
    if (inv->totals.discount.amount) {
        plain_money(p, &inv->totals.discount, a, sizeof a);
        plain_say(p, "Discount: %s.", a);
    }
    if (inv->totals.tax_total.amount) {
        plain_money(p, &inv->totals.tax_total, a, sizeof a);
        plain_say(p, "Tax: %s.", a);
    }
    plain_money(p, &s->total, a, sizeof a);
    plain_money(p, &inv->amount_paid, b, sizeof b);
    plain_say(p, "Total: %s. Paid: %s.", a, b);
    for (size_t i = 0; i < inv->n_payments; i++) {
        const struct invoice_payment *pay = &inv->payments[i];
        char gw[64];
        plain_money(p, &pay->amount, a, sizeof a);
        plain_say(p, "Payment: %s, %s, %s.", plain_clean(fmt_gateway(pay->gateway), gw, sizeof gw),
                  a, payment_status_label(pay->status));
    }
    plain_money(p, &s->amount_due, a, sizeof a);
    plain_say(p, "Amount due: %s.", a);
    if (invoice_payable(s))
        plain_say(p, "Type p to pay it.");
}

/* Pays the invoice loaded: how, confirmed, then followed until it settles, the outcome said.
 * PLAIN_SHOW once a payment was made, PLAIN_STAY when nothing was, PLAIN_QUIT at the end of input.
 */
static enum plain_result pay_loaded(struct plain *p)
{
    const struct invoice *inv = p->acct->invoice;
    const char *method = NULL;
    bool use_credits = false;
    char due[64], gw[64], q[300], num[64], key[CLIENT_IDEMPOTENCY_KEY_SIZE];
    struct plain_reply r = {0}, cr = {0};
    if (!invoice_payable(&inv->summary)) {
        plain_say(p, "This invoice has nothing to pay.");
        return PLAIN_STAY;
    }
    bool deposit = inv->summary.kind == INVOICE_KIND_DEPOSIT; /* credits cannot buy credits */
    struct credits *cred = NULL;
    if (!deposit && plain_wait(p, client_get_credits(p->client, plain_on_credits, &cr), &cr) == 0)
        cred = cr.value;
    bool chosen =
        plain_choose_method(p, !deposit, cred ? &cred->balance : NULL, &method, &use_credits);
    credits_free(&cred);
    if (!chosen) {
        plain_say(p, "Nothing was paid.");
        return PLAIN_STAY;
    }
    plain_money(p, &inv->summary.amount_due, due, sizeof due);
    plain_clean(fmt_gateway(method), gw, sizeof gw);
    plain_clean(inv->summary.number, num, sizeof num);
    snprintf(q, sizeof q, "Pay %s for invoice %s with %s%s?", due, num, gw,
             use_credits ? ", your credits first" : "");
    if (!plain_confirm(p, q)) {
        plain_say(p, "Nothing was paid.");
        return PLAIN_STAY;
    }
    client_idempotency_key_new(key);
    if (plain_wait(p,
                   client_pay_invoice(p->client, inv->summary.id, method,
                                      use_credits || strcmp(method, "credits") == 0, key,
                                      plain_on_payment, &r),
                   &r) != 0) {
        plain_fail(p, "pay the invoice", &r.err);
        return PLAIN_STAY;
    }
    struct payment *payment = r.value;
    enum plain_result res = plain_follow_payment(p, payment);
    payment_free(&payment);
    return res == PLAIN_QUIT ? PLAIN_QUIT : PLAIN_SHOW;
}

static enum plain_result pay(struct plain *p, const char *arg)
{
    (void)arg;
    enum plain_result res = pay_loaded(p);
    if (res != PLAIN_SHOW || invoice_load(p) != 0)
        return res == PLAIN_QUIT ? PLAIN_QUIT : PLAIN_STAY;
    return PLAIN_SHOW;
}

enum plain_result plain_pay_invoice(struct plain *p, int64_t id)
{
    if (!plain_acct(p))
        return PLAIN_STAY;
    p->acct->invoice_id = id;
    if (invoice_load(p) != 0)
        return PLAIN_STAY;
    return pay_loaded(p);
}

static const struct plain_cmd invoice_cmds[] = {
    {"p", "pay this invoice: choose how, confirm, pay", pay, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct plain_screen_ops invoice_screen = {
    .name = "invoice", .load = invoice_load, .print = invoice_print, .cmds = invoice_cmds};

/* ---- credits ---- */

/* The credit history into p->acct->ledger: 0, or -1 with "Could not <what>" said. */
static int ledger_load(struct plain *p, const char *what)
{
    struct plain_reply r = {0};
    struct list_query q = {.per_page = 100};
    if (plain_wait(p, plain_get_ledger(p, &q, plain_on_ledger, &r), &r) != 0) {
        plain_fail(p, what, &r.err);
        return -1;
    }
    ledger_page_free(&p->acct->ledger);
    p->acct->ledger = r.value;
    return 0;
}

/* The operator sees the history with the balance; the customer asks for it (t). */
static int credits_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (!plain_acct(p))
        return -1;
    if (plain_wait(p, plain_get_credits(p, plain_on_credits, &r), &r) != 0) {
        plain_account_fail(p, "credits", &r.err);
        return -1;
    }
    credits_free(&p->acct->credits);
    p->acct->credits = r.value;
    return plain_viewing(p) ? ledger_load(p, "load the credit history") : 0;
}

static void ledger_item(struct plain *p, int i)
{
    const struct credit_tx *t = &p->acct->ledger->items[i];
    char amount[64], after[64], desc[300], when[64];
    plain_money(p, &t->amount, amount, sizeof amount);
    plain_money(p, &t->balance_after, after, sizeof after);
    fmt_moment(t->created_at, when, sizeof when);
    plain_say(p, "%d. %s, %s: %s, balance after %s. %s", i + 1, when, credit_tx_type_label(t->type),
              amount, after, plain_clean(t->description, desc, sizeof desc));
}

static void ledger_print(struct plain *p, const char *label)
{
    size_t n = p->acct->ledger->n;
    plain_say(p, "%s: %zu entr%s.", label, n, n == 1 ? "y" : "ies");
    plain_list_start(p, (int)n, ledger_item);
}

static void credits_print(struct plain *p)
{
    const struct credits *c = p->acct->credits;
    char title[400], bal[64], lo[64], hi[64];
    plain_money(p, &c->balance, bal, sizeof bal);
    plain_say(p, "%s. Balance: %s.",
              plain_account_title(p, "Your credits", "Credits", title, sizeof title), bal);
    if (plain_viewing(p)) {
        ledger_print(p, "History");
        plain_say(p, "Type A to add or remove credit.");
        return;
    }
    if (!c->enabled) {
        plain_say(p, "Credits are switched off in this shop: the balance is kept, but cannot be "
                     "added to or spent.");
        return;
    }
    plain_money(p, &c->min_deposit, lo, sizeof lo);
    plain_money(p, &c->max_deposit, hi, sizeof hi);
    plain_say(p, "Type t for the history, F to add funds (%s to %s).", lo, hi);
}

static enum plain_result history(struct plain *p, const char *arg)
{
    (void)arg;
    if (ledger_load(p, "load the history") == 0)
        ledger_print(p, "Credit history");
    return PLAIN_STAY;
}

static enum plain_result add_funds(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char line[64], num[64], total[64];
    int64_t minor;
    if (!p->acct->credits->enabled) {
        plain_say(p, "Credits are switched off in this shop.");
        return PLAIN_STAY;
    }
    if (arg[0])
        snprintf(line, sizeof line, "%s", arg);
    else if (!plain_ask(p, "Amount to add (an empty line cancels):", line, sizeof line, false) ||
             !line[0])
        return PLAIN_STAY;
    if (fmt_parse_amount(line, &p->currency, &minor) != 0 || minor <= 0) {
        plain_say(p, "That is not an amount; type it like 25 or 25.50. Nothing was added.");
        return PLAIN_STAY;
    }
    struct money m = {.amount = minor};
    memcpy(m.currency, p->currency.code, sizeof m.currency);
    if (plain_wait(p, client_create_deposit(p->client, &m, NULL, plain_on_invoice, &r), &r) != 0) {
        const char *id = client_error_detail(&r.err, "invoice_id");
        plain_fail(p, "add funds", &r.err);
        if (strcmp(r.err.code, "deposit_pending") == 0 && id)
            return plain_open_invoice(p, strtoll(id, NULL, 10));
        return PLAIN_STAY;
    }
    struct invoice *inv = r.value;
    int64_t id = inv->summary.id;
    plain_money(p, &inv->summary.total, total, sizeof total);
    plain_say(p,
              "Deposit invoice %s for %s issued. Type p on it to pay; the funds arrive when "
              "it is paid.",
              plain_clean(inv->summary.number, num, sizeof num), total);
    invoice_free(&inv);
    return plain_open_invoice(p, id);
}

static const struct plain_cmd credits_cmds[] = {
    {"t", "the history of the balance", history, plain_own_account},
    {"F", "add funds (F and the amount, or F alone to be asked)", add_funds, plain_own_account},
    {"A", "add or remove credit (an amount, a reason, a confirmation)", plain_op_adjust,
     plain_viewing},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_credits_screen = {
    .name = "credits",
    .load = credits_load,
    .print = credits_print,
    .cmds = credits_cmds,
};
