/* test_faults_operator.c: the money operations besides buying and paying, with every write and
 * sync failed in turn (faults.c): an operator's refund, an operator's credit adjustment, and a
 * customer's plan change (an upgrade). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "faults.h"

#define UPGRADE "mc-gold" /* a product of FAULT_PRODUCT's category */

/* A full refund of an invoice paid with credits: id[0] is the invoice. */
static int refund_prepare(struct fault_run *fr)
{
    return fault_bought(fr, &fr->id[0], NULL);
}

static int refund_send(struct fault_run *fr, struct api_resp *r)
{
    char path[96];

    snprintf(path, sizeof path, "/admin/invoices/%" PRId64 "/refunds", fr->id[0]);
    return inv_call(&fr->w, "POST", path, fr->w.admin, "fault-refund", NULL,
                    "{\"reason\":\"Fault test\"}", r);
}

/* An operator's credit adjustment (a deduction, from a balance granted before). */
static int adjust_prepare(struct fault_run *fr)
{
    return inv_grant_credit(&fr->w, 0, FAULT_FUNDS);
}

static int adjust_send(struct fault_run *fr, struct api_resp *r)
{
    char path[96];

    snprintf(path, sizeof path, "/admin/users/%" PRId64 "/credits", fr->w.user_id[0]);
    return inv_call(
        &fr->w, "POST", path, fr->w.admin, "fault-adjust", NULL,
        "{\"amount\":{\"amount\":-2500,\"currency\":\"USD\"},\"reason\":\"Fault test\"}", r);
}

/* An upgrade of a service bought with credits to UPGRADE, as quoted: id[0] is the service, id[1]
 * the new product, id[2] the quote's total. */
static int change_prepare(struct fault_run *fr)
{
    struct api_resp r;
    char path[96], body[128];
    int rc = -1;

    if (fault_bought(fr, NULL, &fr->id[0]) != 0 || !(fr->id[1] = inv_product_id(&fr->w, UPGRADE)))
        return -1;
    snprintf(path, sizeof path, "/billing/services/%" PRId64 "/change-quote", fr->id[0]);
    snprintf(body, sizeof body, "{\"product_id\":%" PRId64 "}", fr->id[1]);
    if (inv_call(&fr->w, "POST", path, fr->w.token[0], NULL, NULL, body, &r) == 0 &&
        r.status == 200) {
        fr->id[2] = inv_money(api_data(&r), "total");
        rc = fr->id[2] > 0 ? 0 : -1;
    }
    if (rc != 0)
        fprintf(stderr, "faults: quoting the upgrade answered %ld %.300s\n", r.status,
                r.body ? r.body : "");
    api_resp_clear(&r);
    return rc;
}

static int change_send(struct fault_run *fr, struct api_resp *r)
{
    char path[96], body[160];

    snprintf(path, sizeof path, "/billing/services/%" PRId64 "/changes", fr->id[0]);
    snprintf(body, sizeof body,
             "{\"product_id\":%" PRId64 ",\"expected_total\":{\"amount\":%" PRId64
             ",\"currency\":\"USD\"}}",
             fr->id[1], fr->id[2]);
    return inv_call(&fr->w, "POST", path, fr->w.token[0], "fault-change", NULL, body, r);
}

static const struct fault_op ops[] = {
    {"refund to credits", refund_prepare, refund_send, NULL},
    {"credit adjustment", adjust_prepare, adjust_send, NULL},
    {"plan change", change_prepare, change_send, NULL},
};

int main(void)
{
    return fault_main(ops, sizeof ops / sizeof ops[0]);
}
