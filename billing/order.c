/* order.c: an order's life after checkout: paid, approved, provisioned, or cancelled unpaid. */
#include "billing/order.h"

#include <string.h>

#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/lifecycle.h"
#include "billing/payment.h"

static int order_exec(sqlite3 *conn, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

/* Ids from a query taking up to two values (binding one the query does not use is harmless);
 * at most `max`. Count, or -1. */
static int order_ids(sqlite3 *conn, const char *sql, int64_t a, int64_t b, int64_t *ids, int max)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int n = 0, rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return n;
}

/* Provisions the order's pending services and completes it. */
static enum api_error order_activate(sqlite3 *conn, int64_t order_id, int64_t now)
{
    int64_t ids[512];
    int n = order_ids(conn,
                      "SELECT id FROM services WHERE order_id = ?1 AND status = 'pending'"
                      " ORDER BY id",
                      order_id, 0, ids, 512);

    if (n < 0)
        return API_ERR_INTERNAL;
    for (int i = 0; i < n; i++) {
        enum api_error err = lifecycle_activate(conn, ids[i], now);

        if (err != API_OK)
            return err;
    }
    return order_exec(conn, "UPDATE orders SET status = 'completed', updated_at = ?2 WHERE id = ?1",
                      order_id, now) == 1
               ? API_OK
               : API_ERR_INTERNAL;
}

enum api_error order_paid(sqlite3 *conn, const struct settings *set, int64_t order_id, int64_t now)
{
    int n = order_exec(conn,
                       "UPDATE orders SET status = 'paid', updated_at = ?2 WHERE id = ?1"
                       " AND status = 'pending_payment'",
                       order_id, now);

    if (n < 0)
        return API_ERR_INTERNAL;
    if (n == 0)
        return API_OK; /* paid before, or cancelled: nothing more to do */
    if (set->auto_activate)
        return order_activate(conn, order_id, now);
    return order_exec(
               conn, "UPDATE orders SET status = 'pending_approval', updated_at = ?2 WHERE id = ?1",
               order_id, now) == 1
               ? API_OK
               : API_ERR_INTERNAL;
}

enum api_error order_approve(sqlite3 *conn, int64_t order_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT status FROM orders WHERE id = ?");
    enum api_error err = API_ERR_NOT_FOUND;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, order_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        err = strcmp(db_text(st, 0), "pending_approval") == 0 ? API_OK : API_ERR_INVALID_STATUS;
    db_finalize(st);
    return err == API_OK ? order_activate(conn, order_id, now) : err;
}

enum api_error order_cancel(sqlite3 *conn, int64_t order_id, int64_t now)
{
    int64_t ids[16];
    int n = order_ids(conn,
                      "SELECT p.id FROM payments p JOIN orders o ON o.invoice_id = p.invoice_id"
                      " WHERE o.id = ?1 AND p.status IN ('requires_action', 'pending')",
                      order_id, 0, ids, 16);

    if (n < 0)
        return API_ERR_INTERNAL;
    for (int i = 0; i < n; i++)
        if (payment_fail(conn, ids[i], "expired", now) != API_OK)
            return API_ERR_INTERNAL;
    if (order_exec(conn,
                   "UPDATE orders SET status = 'cancelled', updated_at = ?2 WHERE id = ?1"
                   " AND status = 'pending_payment'",
                   order_id, now) != 1)
        return API_ERR_INVALID_STATUS;
    /* Each service is one unit of its product's stock. */
    if (order_exec(conn,
                   "UPDATE products SET stock_available = stock_available + (SELECT count(*)"
                   " FROM services s WHERE s.order_id = ?1 AND s.product_id = products.id"
                   " AND s.status = 'pending') WHERE stock_limited = 1 AND id IN"
                   " (SELECT product_id FROM services WHERE order_id = ?1)",
                   order_id, 0) < 0 ||
        order_exec(conn,
                   "UPDATE services SET status = 'cancelled', cancelled_at = ?2,"
                   " next_due_date = NULL WHERE order_id = ?1 AND status = 'pending'",
                   order_id, now) < 0 ||
        order_exec(conn,
                   "UPDATE invoices SET status = 'cancelled' WHERE order_id = ?1 AND kind = 'order'"
                   " AND status IN ('draft', 'pending', 'overdue')",
                   order_id, 0) < 0 ||
        coupon_release(conn, order_id) != 0)
        return API_ERR_INTERNAL;
    return API_OK;
}

enum api_error order_payment_declined(sqlite3 *conn, int64_t payment_id, int64_t now)
{
    /* Only a payment still waiting is declined: one that was superseded, expired or settled
     * before changes nothing, and its order stays as it is. */
    int64_t order_id = 0;
    int n = order_ids(conn,
                      "SELECT o.id FROM payments p JOIN invoices i ON i.id = p.invoice_id"
                      " JOIN orders o ON o.invoice_id = i.id WHERE p.id = ?1"
                      " AND p.status IN ('requires_action', 'pending') AND i.kind = 'order'"
                      " AND o.status = 'pending_payment'",
                      payment_id, 0, &order_id, 1);
    enum api_error err;

    if (n < 0)
        return API_ERR_INTERNAL;
    /* The payment gives back its held credits first (its invoice still pending), so the
     * cancellation below finds nothing held and returns nothing twice. */
    if ((err = payment_fail(conn, payment_id, "failed", now)) != API_OK || n == 0)
        return err;
    return order_cancel(conn, order_id, now);
}

int order_expire_unpaid(sqlite3 *conn, int64_t now)
{
    int64_t ids[256];
    int n;

    if (payment_expire_due(conn, now) < 0)
        return -1;
    n = order_ids(conn,
                  "SELECT o.id FROM orders o WHERE o.status = 'pending_payment'"
                  " AND o.created_at <= ?1 AND NOT EXISTS (SELECT 1 FROM payments p"
                  "  WHERE p.invoice_id = o.invoice_id AND p.status IN ('requires_action',"
                  "  'pending')) ORDER BY o.id",
                  now - PAYMENT_TTL, 0, ids, 256);
    for (int i = 0; i < n; i++)
        if (order_cancel(conn, ids[i], now) != API_OK)
            return -1;
    return n;
}
