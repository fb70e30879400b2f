/* lifecycle.h: a service's life after its order: activation, renewal, suspension, cancellation,
 * termination, and the scheduler that drives them by the calendar. */
#ifndef SETT_BILLING_LIFECYCLE_H
#define SETT_BILLING_LIFECYCLE_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/settings.h"

struct billingd;

/* Provisions a pending service: status "active" with a server record (name, address, node),
 * first due date one cycle from today on today's day of month. */
enum api_error lifecycle_activate(sqlite3 *conn, int64_t service_id, int64_t now);
/* A renewal invoice was paid: the due date moves one cycle (clamped to the anchor day) and a
 * suspended service becomes active again. */
enum api_error lifecycle_renewal_paid(sqlite3 *conn, int64_t invoice_id, int64_t now);
/* Operator or scheduler actions; each checks the current status (API_ERR_INVALID_STATUS). */
enum api_error lifecycle_suspend(sqlite3 *conn, int64_t service_id, int64_t now);
enum api_error lifecycle_unsuspend(sqlite3 *conn, int64_t service_id, int64_t now);
enum api_error lifecycle_terminate(sqlite3 *conn, int64_t service_id, int64_t now);
/* The contract's Service object, or NULL when it does not belong to user_id (0: any). */
cJSON *lifecycle_service_json(sqlite3 *conn, const struct settings *set, int64_t service_id,
                              int64_t user_id);
/* The ServiceDetail object: the Service and its 10 most recent invoices (InvoiceSummary). */
cJSON *lifecycle_service_detail_json(sqlite3 *conn, const struct settings *set, int64_t service_id,
                                     int64_t user_id);
/* One page of the user's services, newest first (status NULL: every status), and how many there
 * are in all. API_OK or API_ERR_INTERNAL. */
enum api_error lifecycle_service_list(sqlite3 *conn, const struct settings *set, int64_t user_id,
                                      const char *status, int64_t limit, int64_t offset,
                                      cJSON **items, int64_t *total);
/* One pass of the scheduler at `now` (renewal invoices due, overdue, suspension, termination,
 * end-of-period cancellations). 0, or -1 on a database error. */
int lifecycle_run(struct billingd *app, int64_t now);

#endif
