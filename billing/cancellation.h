/* cancellation.h: a customer's request to end a service, now or at the end of its period. */
#ifndef SETT_BILLING_CANCELLATION_H
#define SETT_BILLING_CANCELLATION_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/service.h"

/* Records the request inside the caller's transaction. `immediate` cancels the service now;
 * otherwise it runs until its next due date (or is cancelled now when that date has passed or
 * it has none), and the unpaid invoice of the period it will not run is cancelled.
 * API_ERR_INVALID_STATUS for an ended service, API_ERR_CANCELLATION_PENDING for a second one. */
enum api_error cancellation_request(sqlite3 *conn, const struct service *svc, bool immediate,
                                    const char *reason, int64_t now);
/* Withdraws a request that has not taken effect (API_ERR_NOT_FOUND when there is none); the
 * renewal invoice it cancelled is payable again. */
enum api_error cancellation_withdraw(sqlite3 *conn, const struct service *svc, int64_t now);
/* Carries the request out: the service is cancelled, its server removed and its unpaid
 * invoices cancelled. */
enum api_error cancellation_execute(sqlite3 *conn, int64_t service_id, int64_t now);

#endif
