/* renewal.h: the renewal invoice of a service's next period, whoever asks for it first. */
#ifndef SETT_BILLING_RENEWAL_H
#define SETT_BILLING_RENEWAL_H

#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/service.h"
#include "billing/settings.h"

/* Issues the invoice for the period starting at the service's next due date, inside the
 * caller's transaction: priced by basket_price (no setup fee; the service's coupon while it has
 * cycles left), due on that date. API_ERR_RENEWAL_EXISTS with *invoice_id when the period's
 * invoice exists; API_ERR_INVALID_STATUS for a one-time, ended or cancelling service. */
enum api_error renewal_issue(sqlite3 *conn, const struct settings *set, const struct service *svc,
                             int64_t now, int64_t *invoice_id);

/* The period that starts at `start`: its last day (inclusive). */
struct date renewal_period_end(const struct service *svc, struct date start);

#endif
