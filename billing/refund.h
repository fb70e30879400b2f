/* refund.h: refunding a paid invoice, in full or in part, to the gateways or to credits. */
#ifndef SETT_BILLING_REFUND_H
#define SETT_BILLING_REFUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"

struct refund_request {
    int64_t invoice_id;
    int64_t amount; /* 0: everything not refunded yet */
    bool to_credits;
    const char *reason;
    int64_t actor_id;
};

/* The part of a refund that goes back through one gateway payment. */
struct refund_portion {
    int64_t payment_id;
    int64_t amount;
};

#define REFUND_PORTIONS_MAX 8

struct refund_result {
    int64_t refund_id;
    int64_t amount;          /* what was refunded */
    int64_t to_balance;      /* of which went to the credit balance */
    int64_t left;            /* refundable before (for messages) */
    char status[16];         /* the invoice's status before (for messages) */
    int64_t refunded_before; /* the invoice's amount_refunded before */
    /* The rest, per card or PayPal payment, for the caller to send back through its gateway. */
    struct refund_portion to_gateway[REFUND_PORTIONS_MAX];
    size_t n_gateway;
    /* Some of it goes through a gateway: the refund is recorded as pending (its amount counted
     * as refunded, so that no other refund takes it too) and the part for the balance waits for
     * refund_settle; refund_undo takes it back when a gateway refuses. */
    bool pending;
};

/* Inside the caller's transaction. Money goes back through the invoice's card and PayPal
 * payments first (newest first), then its credits payments: the part credits paid returns to the
 * balance (a "refund" ledger row), the rest to its gateway; with to_credits all of it goes to the
 * balance. A deposit's refund takes its credit
 * back instead (it cannot go to credits). The invoice's amount_refunded grows, and it becomes
 * "refunded" once everything paid is refunded; its services are not touched.
 * API_ERR_NOT_FOUND, API_ERR_INVOICE_NOT_REFUNDABLE (not paid, or nothing left),
 * API_ERR_VALIDATION_FAILED (more than is left; to_credits on a deposit),
 * API_ERR_INSUFFICIENT_CREDITS (a deposit whose credit was spent). */
enum api_error refund_invoice(sqlite3 *conn, const struct refund_request *in, int64_t now,
                              struct refund_result *out);
/* A pending refund whose gateway parts went through, in the transaction after the one that
 * recorded it: the balance gets its part and the refund keeps the gateway's id (gateway_ref). */
enum api_error refund_settle(sqlite3 *conn, const struct refund_request *in,
                             const struct refund_result *res, const char *gateway_ref, int64_t now);
/* A pending refund a gateway refused: nothing of it stays, the invoice is as before. */
enum api_error refund_undo(sqlite3 *conn, const struct refund_request *in,
                           const struct refund_result *res);

#endif
