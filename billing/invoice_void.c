/* invoice_void.c: a service that ends leaves no invoice of it waiting for payment. */
#include "billing/invoice.h"

#include <stdlib.h>

#include "billing/db.h"
#include "billing/payment.h"

/* The service's renewals, and its order's invoice once none of the order's services is left to
 * pay for (an order of two servers still owes for the one that was not cancelled). */
static const char open_invoices_sql[] =
    "SELECT id FROM invoices"
    " WHERE status IN ('draft', 'pending', 'overdue') AND (service_id = ?1"
    "  OR (kind = 'order' AND order_id = (SELECT order_id FROM services WHERE id = ?1)"
    "   AND NOT EXISTS (SELECT 1 FROM services s WHERE s.order_id = invoices.order_id"
    "    AND s.status IN ('pending', 'active', 'suspended'))))";

/* A payment still waiting on a cancelled invoice ends too, giving back the credits it held. */
static int void_one(sqlite3 *conn, int64_t invoice_id, int64_t now)
{
    sqlite3_stmt *pay = db_prepare(conn, "SELECT id FROM payments WHERE invoice_id = ?"
                                         " AND status IN ('pending', 'requires_action')");
    sqlite3_stmt *upd = db_prepare(conn, "UPDATE invoices SET status = 'cancelled' WHERE id = ?");
    int rc = -1, step;

    if (!pay || !upd)
        goto done;
    sqlite3_bind_int64(pay, 1, invoice_id);
    while ((step = sqlite3_step(pay)) == SQLITE_ROW)
        if (payment_fail(conn, sqlite3_column_int64(pay, 0), "expired", now) != API_OK)
            goto done;
    if (step != SQLITE_DONE)
        goto done;
    sqlite3_bind_int64(upd, 1, invoice_id);
    rc = sqlite3_step(upd) == SQLITE_DONE ? 0 : -1;
done:
    db_finalize(pay);
    db_finalize(upd);
    return rc;
}

int invoice_void(sqlite3 *conn, int64_t invoice_id, int64_t now)
{
    return void_one(conn, invoice_id, now);
}

int invoice_void_for_service(sqlite3 *conn, int64_t service_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, open_invoices_sql);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = -1, step;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, service_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            int64_t *grown = realloc(ids, ncap * sizeof *ids);
            if (!grown)
                goto done;
            ids = grown;
            cap = ncap;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    if (step != SQLITE_DONE)
        goto done;
    db_finalize(st);
    st = NULL;
    for (size_t i = 0; i < n; i++)
        if (void_one(conn, ids[i], now) != 0)
            goto done;
    rc = (int)n;
done:
    db_finalize(st);
    free(ids);
    return rc;
}
