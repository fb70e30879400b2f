/* scheduler_pass.h: one pass of the lifecycle scheduler over the calendar at a given time. */
#ifndef SETT_BILLING_SCHEDULER_PASS_H
#define SETT_BILLING_SCHEDULER_PASS_H

#include <stdint.h>

#include <sqlite3.h>

/* With the database held: orders left unpaid, end-of-period cancellations that are due,
 * invoices past their due date, suspension and termination for non-payment, then the renewal
 * invoices coming due. Each change is its own transaction with its audit entry (actor: the
 * system), so one record that cannot be handled does not hold back the others. 0, or -1 when
 * something failed. */
int scheduler_pass(sqlite3 *conn, int64_t now);

#endif
