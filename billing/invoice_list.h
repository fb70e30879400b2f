/* invoice_list.h: invoice summaries: an account's invoices page by page, and a service's. */
#ifndef SETT_BILLING_INVOICE_LIST_H
#define SETT_BILLING_INVOICE_LIST_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/settings.h"

/* One page of the user's InvoiceSummary objects, newest first (status NULL: every status), and
 * how many there are in all. API_OK or API_ERR_INTERNAL. */
enum api_error invoice_list(sqlite3 *conn, const struct settings *set, int64_t user_id,
                            const char *status, int64_t limit, int64_t offset, cJSON **items,
                            int64_t *total);
/* Appends the `limit` most recent invoices that bill the service (its renewals and its
 * order's invoice) to `list`. 0 or -1. */
int invoice_list_of_service(sqlite3 *conn, const struct settings *set, int64_t service_id,
                            int64_t limit, cJSON *list);

#endif
