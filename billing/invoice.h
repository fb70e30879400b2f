/* invoice.h: invoices — creating them from a priced basket, showing them, settling payments. */
#ifndef SETT_BILLING_INVOICE_H
#define SETT_BILLING_INVOICE_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/basket.h"

struct billingd;

struct invoice_new {
    int64_t user_id;
    const char *kind; /* "order", "renewal", "deposit" */
    int64_t order_id, service_id;
    const char *period_start, *period_end; /* renewals: "YYYY-MM-DD" */
    const char *due_date;                  /* "YYYY-MM-DD" */
};

/* Writes an invoice with the basket's lines, discount line, tax lines and totals (status
 * "pending"; "paid" at once when its total is 0), inside the caller's transaction. A second
 * renewal for the same service and period answers API_ERR_RENEWAL_EXISTS with *id set to the
 * existing invoice. */
enum api_error invoice_create(sqlite3 *conn, const struct settings *set,
                              const struct invoice_new *in, const struct basket *b, int64_t now,
                              int64_t *id);
/* The contract's Invoice object (lines, tax breakdown, payments, refunds, amount due), or NULL
 * when no such invoice belongs to user_id (0: any user, for operators). */
cJSON *invoice_json(sqlite3 *conn, const struct settings *set, int64_t invoice_id, int64_t user_id);
/* Appends the invoice's TaxLine objects to `lines` (orders show their invoice's). 0 or -1. */
int invoice_tax_lines(sqlite3 *conn, const char *currency, int64_t invoice_id, cJSON *lines);

/* Marks a payment paid and applies it to its invoice; when the invoice is fully paid it becomes
 * "paid" and what that means happens in the same transaction: an order's services are
 * provisioned (or wait for approval), a renewal moves the service's due date and lifts a
 * suspension, a deposit adds credits. Settling an already settled payment changes nothing. */
enum api_error invoice_settle_payment(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                                      int64_t now);
/* Cancels every unpaid invoice of a service (its cancellation voids them). */
int invoice_void_for_service(sqlite3 *conn, int64_t service_id, int64_t now);
/* Cancels one unpaid invoice; a payment still waiting on it fails, giving back the credits it
 * held. 0 or -1. */
int invoice_void(sqlite3 *conn, int64_t invoice_id, int64_t now);
/* Rewrites an unpaid invoice (nothing paid on it yet) from a new priced basket: lines, tax and
 * totals; payments still waiting on it fail as a voided invoice's do (their page was for the old
 * amount). API_ERR_INVOICE_NOT_PAYABLE when it is paid, in part or whole, or closed. */
enum api_error invoice_reprice(sqlite3 *conn, const struct settings *set, int64_t invoice_id,
                               const struct invoice_new *in, const struct basket *b, int64_t now);

#endif
