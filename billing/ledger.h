/* ledger.h: customers' credit balances and their append-only ledger. */
#ifndef SETT_BILLING_LEDGER_H
#define SETT_BILLING_LEDGER_H

#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"

/* Appends one ledger row (type "deposit", "spend", "refund" or "adjustment"; amount signed, not
 * 0) and moves users.credit_balance with it, inside the caller's transaction. A change that
 * would take the balance below zero changes nothing and answers API_ERR_INSUFFICIENT_CREDITS.
 * invoice_id and actor_id may be 0. */
enum api_error ledger_post(sqlite3 *conn, int64_t user_id, const char *type, int64_t amount,
                           const char *description, int64_t invoice_id, int64_t actor_id,
                           int64_t now, int64_t *balance_after);
/* The balance, or -1 on a database error. */
int64_t ledger_balance(sqlite3 *conn, int64_t user_id);

#endif
