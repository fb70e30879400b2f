/* test_faults_orders.c: the customer's money operations with every write and sync failed in turn
 * (faults.c): a checkout paid with credits, a card payment confirmed on the sandbox page, a
 * renewal invoice, and that invoice paid with credits. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "faults.h"

/* A checkout paid with credits: fr->text holds the cart's ETag, id[0] its total. */
static int checkout_prepare(struct fault_run *fr)
{
    return inv_grant_credit(&fr->w, 0, FAULT_FUNDS) == 0 && fault_cart(fr, &fr->id[0]) == 0 ? 0
                                                                                            : -1;
}

static int checkout_send(struct fault_run *fr, struct api_resp *r)
{
    return inv_checkout(&fr->w, 0, "fault-checkout", fr->text, "credits", true, fr->id[0], r, NULL);
}

/* Pay on the sandbox page of a card checkout: fr->text holds the page's path. */
static int sandbox_prepare(struct fault_run *fr)
{
    struct api_resp r;
    const char *url, *page;
    int rc = -1;

    if (fault_buy(fr, "stripe", false, "fault-card", &r) != 0)
        return -1;
    url = api_str(cJSON_GetObjectItemCaseSensitive(
                      cJSON_GetObjectItemCaseSensitive(api_data(&r), "payment"), "next_action"),
                  "url");
    if (url && (page = strstr(url, "/sandbox/pay/"))) {
        snprintf(fr->text, sizeof fr->text, "%s", page);
        rc = 0;
    }
    api_resp_clear(&r);
    return rc;
}

static int sandbox_send(struct fault_run *fr, struct api_resp *r)
{
    static const char body[] = "action=pay";
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_server root = fr->w.server;

    snprintf(root.base, sizeof root.base, "http://127.0.0.1:%u", (unsigned)root.port);
    return api_call(&root, "POST", fr->text, NULL, headers, body, strlen(body), r);
}

/* Paid, now or by the attempt before: the page says the payment is closed. */
static bool sandbox_done(const struct api_resp *r)
{
    return r->status == 200 || (r->status == 409 && r->body && strstr(r->body, "already"));
}

/* A renewal invoice of a service bought with credits: id[0] is the service. */
static int renewal_prepare(struct fault_run *fr)
{
    return fault_bought(fr, NULL, &fr->id[0]);
}

static int renewal_send(struct fault_run *fr, struct api_resp *r)
{
    char path[96];

    snprintf(path, sizeof path, "/billing/services/%" PRId64 "/renewals", fr->id[0]);
    return inv_call(&fr->w, "POST", path, fr->w.token[0], "fault-renew", NULL, NULL, r);
}

/* That renewal invoice paid with credits: id[1] is the invoice. */
static int renewal_pay_prepare(struct fault_run *fr)
{
    struct api_resp r;
    int rc = -1;

    if (renewal_prepare(fr) != 0)
        return -1;
    if (renewal_send(fr, &r) == 0 && r.status == 201 && (fr->id[1] = api_int(api_data(&r), "id")))
        rc = 0;
    api_resp_clear(&r);
    return rc;
}

static int renewal_pay_send(struct fault_run *fr, struct api_resp *r)
{
    char path[96];

    snprintf(path, sizeof path, "/billing/invoices/%" PRId64 "/payments", fr->id[1]);
    return inv_call(&fr->w, "POST", path, fr->w.token[0], "fault-renew-pay", NULL,
                    "{\"payment_method\":\"credits\"}", r);
}

static const struct fault_op ops[] = {
    {"checkout with credits", checkout_prepare, checkout_send, NULL},
    {"sandbox payment", sandbox_prepare, sandbox_send, sandbox_done},
    {"renewal", renewal_prepare, renewal_send, NULL},
    {"renewal paid with credits", renewal_pay_prepare, renewal_pay_send, NULL},
};

int main(void)
{
    return fault_main(ops, sizeof ops / sizeof ops[0]);
}
