/* renewal.h: the renewal invoice of a service's next period, whoever asks for it first. */
#ifndef SETT_BILLING_RENEWAL_H
#define SETT_BILLING_RENEWAL_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/basket.h"
#include "billing/service.h"
#include "billing/settings.h"

/* Issues the invoice for the period starting at the service's next due date, inside the
 * caller's transaction: priced by basket_price at the service's recurring_amount, the price it
 * was sold at (no setup fee; the service's coupon while it has cycles left; tax as today), due on
 * that date, even when the product is hidden or retired or its cycle is gone from the catalog.
 * API_ERR_RENEWAL_EXISTS with *invoice_id when the period's invoice exists;
 * API_ERR_INVALID_STATUS for a one-time, ended or cancelling service. */
enum api_error renewal_issue(sqlite3 *conn, const struct settings *set, const struct service *svc,
                             int64_t now, int64_t *invoice_id);

/* The unpaid renewal invoice of the period starting at the service's next due date, if there is
 * one, is priced again on the plan the service renews on (after a change of plan). API_OK when
 * there is none; API_ERR_INVOICE_NOT_PAYABLE when it is paid in part or whole. */
enum api_error renewal_reprice(sqlite3 *conn, const struct settings *set, const struct service *svc,
                               int64_t now);

/* The basket line a service renews: its product, cycle and options, once, without the setup fee;
 * at its recurring_amount when at_sold_price, else for basket_price to price from today's
 * catalog. API_ERR_INTERNAL when the stored options cannot be read. */
enum api_error renewal_basket_line(const struct service *svc, bool at_sold_price,
                                   struct basket_line_in *in);

/* The period that starts at `start`: its last day (inclusive). */
struct date renewal_period_end(const struct service *svc, struct date start);

#endif
