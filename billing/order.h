/* order.h: orders: what checkout creates, and provisioning once paid or approved. */
#ifndef SETT_BILLING_ORDER_H
#define SETT_BILLING_ORDER_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/settings.h"

struct billingd;

/* The order is paid: with auto-activate on its services are activated (lifecycle_activate) and
 * the order is "completed"; with it off the order waits in "pending_approval". */
enum api_error order_paid(sqlite3 *conn, const struct settings *set, int64_t order_id, int64_t now);
/* An operator approves a "pending_approval" order: its services are activated. */
enum api_error order_approve(sqlite3 *conn, int64_t order_id, int64_t now);
/* Cancels an order still awaiting payment: its waiting payments expire (held credits come
 * back), its invoice and services are cancelled, its stock and coupon use are given back. */
enum api_error order_cancel(sqlite3 *conn, int64_t order_id, int64_t now);
/* The gateway declined a payment: it fails (held credits come back) and, when it was still
 * waiting on an order's invoice, that order is cancelled (order_cancel). Renewal and deposit
 * invoices stay payable. Runs inside the caller's transaction. */
enum api_error order_payment_declined(sqlite3 *conn, int64_t payment_id, int64_t now);
/* The scheduler's part of checkout: payments left waiting 24 hours expire, and orders still
 * unpaid 24 hours after checkout, with no payment waiting, are cancelled. Orders cancelled, or
 * -1 on a database error. Runs inside the caller's transaction. */
int order_expire_unpaid(sqlite3 *conn, int64_t now);
/* The contract's Order object, or NULL when it does not belong to user_id (0: any). */
cJSON *order_json(sqlite3 *conn, const struct settings *set, int64_t order_id, int64_t user_id);

#endif
