/* payment.h: paying an invoice: the credits part, the gateway part and its hosted page, and what
 * happens when a payment fails, expires or is superseded. */
#ifndef SETT_BILLING_PAYMENT_H
#define SETT_BILLING_PAYMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/paymethod.h"
#include "billing/settings.h"

struct billingd;

/* An unfinished hosted payment expires this long after it was started. */
#define PAYMENT_TTL         (24 * 60 * 60)
#define PAYMENT_TOKEN_CHARS 28 /* "ps_" + 24 letters and digits + NUL */

struct payment_outcome {
    int64_t payment_id; /* the payment to show: the gateway's, or the credits payment */
    int64_t balance;    /* for API_ERR_INSUFFICIENT_CREDITS: the balance ... */
    int64_t required;   /* ... and what was needed */
};

/* Starts paying what is due on a pending or overdue invoice, inside the caller's transaction.
 * "credits" pays it all from the balance (API_ERR_INSUFFICIENT_CREDITS when short); a gateway
 * with use_credits takes the balance first and leaves the rest to the hosted page. Credits are
 * spent at once and held by the gateway payment: if it fails or expires they come back. A
 * payment still waiting on the invoice is superseded (expired). Deposits take no credits
 * (API_ERR_PAYMENT_METHOD_UNAVAILABLE). */
enum api_error payment_start(struct billingd *app, sqlite3 *conn, const struct settings *set,
                             int64_t invoice_id, const char *method, bool use_credits, int64_t now,
                             struct payment_outcome *out);
/* A zero-amount "not_required" record for an invoice that needed no payment. */
enum api_error payment_not_required(sqlite3 *conn, int64_t invoice_id, const char *method,
                                    int64_t now, int64_t *payment_id);
/* Ends a waiting payment as "failed" or "expired", returning the credits it held to the balance
 * (ledger "refund"). A payment that is no longer waiting changes nothing. */
enum api_error payment_fail(sqlite3 *conn, int64_t payment_id, const char *status, int64_t now);
/* Undoes a gateway payment whose hosted page could not be opened (still requires_action, no
 * gateway ref), in the transaction after the one that started it: it fails (its credits come
 * back) and, as no one has seen it, it and its credits payment are removed, so the client's retry
 * starts it again under the same id. One that moved on meanwhile is left alone. */
enum api_error payment_undo(sqlite3 *conn, int64_t payment_id, int64_t now);
/* Expires a waiting payment the shop gives up on (superseded, or waiting too long); a Stripe
 * session it opened is marked to be closed at Stripe after the transaction
 * (gateway_close_abandoned). */
enum api_error payment_abandon(sqlite3 *conn, int64_t payment_id, int64_t now);
/* Expires every payment left waiting longer than PAYMENT_TTL. Count, or -1. */
int payment_expire_due(sqlite3 *conn, int64_t now);
/* The payment with this hosted-page token: API_OK or API_ERR_NOT_FOUND. */
enum api_error payment_by_token(sqlite3 *conn, const char *token, int64_t *payment_id);
/* The contract's Payment object (user_id 0: any owner); base_url ("http://host:port") makes
 * next_action.url. NULL when no such payment belongs to the user. */
cJSON *payment_json(sqlite3 *conn, const struct settings *set, int64_t payment_id, int64_t user_id,
                    const char *base_url);

#endif
