/* plain_services.c: plain mode's services: the list (the customer's own, or the open customer's
 * in operator mode), one service, cancellation and renewal; its change of plan is plain_plan.c's.
 */
#include "screens/plain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/plain_operator.h"
#include "screens/plan_choice.h"

/* ---- services ---- */

static const struct plain_screen_ops service_screen;

static int services_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query q = {.per_page = 100};
    if (!plain_acct(p))
        return -1;
    if (plain_wait(p, plain_get_services(p, &q, plain_on_services, &r), &r) != 0) {
        plain_account_fail(p, "services", &r.err);
        return -1;
    }
    service_page_free(&p->acct->services);
    p->acct->services = r.value;
    return 0;
}

static void service_item(struct plain *p, int i)
{
    const struct service *s = &p->acct->services->items[i];
    char name[256], price[64];
    plain_clean(s->product.name, name, sizeof name);
    plain_money(p, &s->recurring_price, price, sizeof price);
    plain_say(p, "%d. %s, service %" PRId64 ": %s, %s %s, next due %s.", i + 1, name, s->id,
              service_status_label(s->status), price, plain_cycle_words(s->cycle),
              plain_date_or(s->next_due_date, "never"));
}

static void services_print(struct plain *p)
{
    char title[400];
    int n = (int)p->acct->services->n;
    plain_say(p, "%s: %d.",
              plain_account_title(p, "Your services", "Services", title, sizeof title), n);
    plain_list_start(p, n, service_item);
    if (plain_viewing(p))
        plain_say(p, "Type Z and a service's number to suspend it, or to unsuspend it.");
    else if (n > 0)
        plain_say(p, "Type a number to open a service.");
}

static enum plain_result services_number(struct plain *p, int n)
{
    if (n < 1 || (size_t)n > p->acct->services->n) {
        plain_no_such(p, "service", n, p->acct->services->n);
        return PLAIN_STAY;
    }
    p->acct->service_id = p->acct->services->items[n - 1].id;
    return plain_open(p, &service_screen);
}

static int service_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_get_service(p->client, p->acct->service_id, plain_on_service, &r),
                   &r) != 0) {
        plain_fail(p, "load the service", &r.err);
        return -1;
    }
    service_free(&p->acct->service);
    p->acct->service = r.value;
    plain_plan_load_waiting(p);
    return 0;
}

static void service_print(struct plain *p)
{
    const struct service *s = p->acct->service;
    char name[256], price[64], res[256], a[256], b[256];
    plain_clean(s->product.name, name, sizeof name);
    plain_money(p, &s->recurring_price, price, sizeof price);
    plain_resources(&s->resources, res, sizeof res);
    plain_say(p, "Service %" PRId64 ": %s.", s->id, name);
    plain_say(p, "Status: %s.", service_status_label(s->status));
    if (s->suspension_reason[0])
        plain_say(p, "Suspended because: %s", plain_clean(s->suspension_reason, a, sizeof a));
    plain_say(p, "Billing: %s, %s %s. Next due: %s.", billing_cycle_label(s->cycle), price,
              plain_cycle_words(s->cycle), plain_date_or(s->next_due_date, "never"));
    plain_say(p, "Resources: %s.", res);
    if (s->has_server)
        plain_say(p, "Server: %s, address %s.", plain_clean(s->server.name, a, sizeof a),
                  plain_clean(s->server.address, b, sizeof b));
    else
        plain_say(p, "Server: not set up yet.");
    if (s->has_cancellation) {
        fmt_moment(plain_date_or(s->cancellation.effective_at, "now"), a, sizeof a);
        plain_say(p, "Cancellation requested: %s, effective %s.",
                  cancellation_type_label(s->cancellation.type), a);
    }
    for (size_t i = 0; i < s->n_invoices; i++) {
        char total[64];
        plain_money(p, &s->invoices[i].total, total, sizeof total);
        plain_say(p, "Invoice %s: %s, %s.", plain_clean(s->invoices[i].number, a, sizeof a),
                  invoice_status_label(s->invoices[i].status), total);
    }
    plain_plan_say_waiting(p);
    plain_say(p, "Type X to %s the cancellation, R to renew early%s.",
              service_cancellation_pending(s) ? "withdraw" : "request",
              p->acct->change              ? ", U to withdraw the waiting plan change"
              : plan_service_changeable(s) ? ", U to change the plan"
                                           : "");
}

static enum plain_result cancel(struct plain *p, const char *arg)
{
    const struct service *s = p->acct->service;
    struct plain_reply r = {0};
    char line[300], q[400], due[64];
    (void)arg;
    if (service_cancellation_pending(s)) {
        if (!plain_confirm(p, "Withdraw the cancellation, so the service carries on?"))
            return PLAIN_STAY;
        if (plain_wait(p, client_withdraw_cancellation(p->client, s->id, plain_on_service, &r),
                       &r) != 0) {
            plain_fail(p, "withdraw the cancellation", &r.err);
            return PLAIN_STAY;
        }
        service_free(&p->acct->service);
        p->acct->service = r.value;
        plain_say(p, "Cancellation withdrawn: the service carries on.");
        return PLAIN_STAY;
    }
    snprintf(due, sizeof due, "%s", plain_date_or(s->next_due_date, "the end of the period"));
    plain_say(p, "When should the service end?");
    plain_say(p, "1. At the end of the period (%s).", due);
    plain_say(p, "2. Immediately.");
    if (!plain_ask(p, "Your choice (an empty line cancels):", line, sizeof line, false) ||
        (strcmp(line, "1") != 0 && strcmp(line, "2") != 0)) {
        plain_say(p, "Nothing was cancelled.");
        return PLAIN_STAY;
    }
    enum cancellation_type type = line[0] == '1' ? CANCEL_END_OF_PERIOD : CANCEL_IMMEDIATE;
    if (!plain_ask(p, "Reason (optional):", line, sizeof line, false))
        return PLAIN_QUIT;
    snprintf(q, sizeof q, "Cancel service %" PRId64 " %s?", s->id,
             type == CANCEL_END_OF_PERIOD ? "at the end of the period" : "immediately");
    if (!plain_confirm(p, q)) {
        plain_say(p, "Nothing was cancelled.");
        return PLAIN_STAY;
    }
    if (plain_wait(p,
                   client_request_cancellation(p->client, s->id, type, line[0] ? line : NULL,
                                               plain_on_service, &r),
                   &r) != 0) {
        plain_fail(p, "request the cancellation", &r.err);
        return PLAIN_STAY;
    }
    service_free(&p->acct->service);
    p->acct->service = r.value;
    plain_say(p, "Cancellation requested: %s.", cancellation_type_label(type));
    return PLAIN_STAY;
}

static enum plain_result renew(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE], num[64], total[64];
    (void)arg;
    if (!plain_confirm(p, "Issue the next period's invoice now?"))
        return PLAIN_STAY;
    client_idempotency_key_new(key);
    if (plain_wait(p,
                   client_renew_service(p->client, p->acct->service->id, key, plain_on_invoice, &r),
                   &r) != 0) {
        const char *id = client_error_detail(&r.err, "invoice_id");
        plain_fail(p, "renew the service", &r.err);
        if (strcmp(r.err.code, "renewal_exists") == 0 && id)
            return plain_open_invoice(p, strtoll(id, NULL, 10));
        return PLAIN_STAY;
    }
    struct invoice *inv = r.value;
    int64_t id = inv->summary.id;
    plain_money(p, &inv->summary.total, total, sizeof total);
    plain_say(p, "Renewal invoice %s issued, %s. Type p on it to pay.",
              plain_clean(inv->summary.number, num, sizeof num), total);
    invoice_free(&inv);
    return plain_open_invoice(p, id);
}

static const struct plain_cmd service_cmds[] = {
    {"X", "request a cancellation, or withdraw a pending one", cancel, NULL},
    {"R", "renew early: issue the next period's invoice", renew, NULL},
    {"U", "change the plan (product, resources, cycle), or withdraw a waiting change",
     plain_change_plan, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct plain_screen_ops service_screen = {
    .name = "service", .load = service_load, .print = service_print, .cmds = service_cmds};

static const struct plain_cmd services_cmds[] = {
    {"Z", "suspend a service, or unsuspend it (Z and its number)", plain_op_suspend, plain_viewing},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_services_screen = {
    .name = "services",
    .load = services_load,
    .print = services_print,
    .number_help = "open that service",
    .number = services_number,
    .number_offered = plain_own_account,
    .cmds = services_cmds,
};
