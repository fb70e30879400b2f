/* invariants_db.c: the money invariants, read straight from a stopped server's SQLite file. */
#include "invariants.h"

#include <inttypes.h>
#include <stdio.h>

#include <sqlite3.h>

/* Runs a query whose every row is a breach, printing each row under `what`. Rows, or -1. */
static int breach_rows(sqlite3 *db, const char *what, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rows = 0, rc;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "invariants: %s: %s\n", what, sqlite3_errmsg(db));
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows++ < 20) {
            fprintf(stderr, "BREACH: %s:", what);
            for (int c = 0; c < sqlite3_column_count(st); c++)
                fprintf(stderr, " %s=%s", sqlite3_column_name(st, c),
                        sqlite3_column_text(st, c) ? (const char *)sqlite3_column_text(st, c)
                                                   : "NULL");
            fputc('\n', stderr);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? rows : -1;
}

static const struct {
    const char *what, *sql;
} checks[] = {
    {"a ledger does not sum to its balance",
     "SELECT u.id AS user_id, u.credit_balance,"
     " (SELECT COALESCE(SUM(amount), 0) FROM credit_ledger l WHERE l.user_id = u.id) AS ledger_sum,"
     " (SELECT balance_after FROM credit_ledger l WHERE l.user_id = u.id ORDER BY id DESC LIMIT 1)"
     "  AS last_balance_after "
     "FROM users u WHERE credit_balance < 0 OR ledger_sum <> credit_balance"
     " OR (last_balance_after IS NOT NULL AND last_balance_after <> credit_balance)"},
    {"a ledger entry's balance_after does not follow from the entries before it",
     "SELECT l.id, l.user_id, l.amount, l.balance_after FROM credit_ledger l"
     " WHERE l.balance_after < 0 OR l.balance_after <> (SELECT SUM(m.amount) FROM credit_ledger m"
     "  WHERE m.user_id = l.user_id AND m.id <= l.id)"},
    {"a paid order invoice lacks its services, or its order is not past payment",
     "SELECT i.id AS invoice_id, i.order_id, o.status AS order_status,"
     " (SELECT COALESCE(SUM(quantity), 0) FROM invoice_lines WHERE invoice_id = i.id"
     "  AND kind = 'item') AS units,"
     /* every service made, also one the customer has cancelled since */
     " (SELECT COUNT(*) FROM services s WHERE s.order_id = i.order_id) AS services "
     "FROM invoices i LEFT JOIN orders o ON o.id = i.order_id"
     " WHERE i.kind = 'order' AND i.status = 'paid'"
     " AND (o.id IS NULL OR units <> services OR o.status IN ('pending_payment', 'cancelled'))"},
    {"an order has no invoice, or an order and its invoice disagree on the total",
     "SELECT o.id AS order_id, o.total, i.id AS invoice_id, i.total AS invoice_total FROM orders o"
     " LEFT JOIN invoices i ON i.id = o.invoice_id"
     " WHERE i.id IS NULL OR i.total <> o.total OR i.order_id <> o.id"},
    {"a coupon was used more often than allowed",
     "SELECT id, code, uses, max_uses FROM coupons WHERE uses < 0"
     " OR (max_uses IS NOT NULL AND uses > max_uses)"},
    {"an invoice's lines, discount, tax and total do not add up",
     "SELECT i.id, i.kind, i.subtotal, i.discount, i.tax, i.total, i.amount_paid,"
     " (SELECT COALESCE(SUM(amount), 0) FROM invoice_lines WHERE invoice_id = i.id"
     "  AND kind <> 'discount') AS charged,"
     " (SELECT COALESCE(SUM(amount), 0) FROM invoice_lines WHERE invoice_id = i.id) AS lines,"
     " (SELECT COALESCE(SUM(amount), 0) FROM invoice_taxes WHERE invoice_id = i.id) AS taxes,"
     " (SELECT COALESCE(SUM(amount), 0) FROM invoice_taxes WHERE invoice_id = i.id"
     "  AND inclusive = 0) AS exclusive "
     "FROM invoices i WHERE charged <> i.subtotal OR lines <> i.subtotal - i.discount"
     " OR taxes <> i.tax OR i.total <> i.subtotal - i.discount + exclusive"
     " OR i.subtotal < 0 OR i.discount < 0 OR i.discount > i.subtotal OR i.tax < 0"
     " OR i.total < 0 OR i.amount_paid > i.total"
     " OR (i.status = 'paid' AND i.amount_paid <> i.total)"},
    {"an invoice line, tax or payment is negative where it must not be",
     /* discounts and a plan change's credit for the unused old plan take off, nothing else */
     "SELECT 'line' AS what, id, amount FROM invoice_lines"
     " WHERE (kind IN ('discount', 'credit') AND amount > 0)"
     " OR (kind NOT IN ('discount', 'credit') AND (amount < 0 OR unit_amount < 0)) OR quantity < 1 "
     "UNION ALL SELECT 'tax', invoice_id, amount FROM invoice_taxes WHERE amount < 0 OR taxable < 0"
     " UNION ALL SELECT 'payment', id, amount FROM payments WHERE amount < 0"},
};

/* Stock left plus units sold against the snapshot taken when the world started. */
static int stock_breaches(sqlite3 *db, const struct inv_world *w)
{
    sqlite3_stmt *st = NULL;
    int breaches = 0;

    if (sqlite3_prepare_v2(db,
                           "SELECT p.stock_limited, p.stock_available, (SELECT COUNT(*) FROM"
                           " services s JOIN orders o ON o.id = s.order_id WHERE s.product_id ="
                           " p.id AND o.status <> 'cancelled') FROM products p WHERE p.id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < w->n_stock; i++) {
        int64_t limited = -1, left = -1, sold = -1;

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, w->stock_product[i]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            limited = sqlite3_column_int64(st, 0);
            left = sqlite3_column_int64(st, 1);
            sold = sqlite3_column_int64(st, 2);
        }
        if (limited != 1 || left < 0 || left + sold != w->stock_initial[i]) {
            fprintf(stderr,
                    "BREACH: stock: product %" PRId64 " started with %" PRId64 ", has %" PRId64
                    " left and sold %" PRId64 "\n",
                    w->stock_product[i], w->stock_initial[i], left, sold);
            breaches++;
        }
    }
    sqlite3_finalize(st);
    return breaches;
}

int inv_db_breaches(const struct inv_world *w)
{
    char path[320];
    sqlite3 *db = NULL;
    int total = 0, n;

    snprintf(path, sizeof path, "%s/billing.db", w->server.dir);
    /* Read and write: after a kill the write-ahead log must be recovered first. */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "invariants: cannot open %s\n", path);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if ((n = breach_rows(db, checks[i].what, checks[i].sql)) < 0) {
            total = -1;
            break;
        }
        total += n;
    }
    if (total >= 0) {
        char sql[512];

        /* Coupons made during the test: their uses are exactly their orders not cancelled. */
        snprintf(sql, sizeof sql,
                 "SELECT c.id, c.code, c.uses, (SELECT COUNT(*) FROM orders o WHERE o.coupon_id ="
                 " c.id AND o.status <> 'cancelled') AS orders FROM coupons c WHERE c.id > %" PRId64
                 " AND c.uses <> orders",
                 w->coupon_floor);
        n = breach_rows(db, "a coupon's uses are not its orders", sql);
        total = n < 0 ? -1 : total + n;
    }
    if (total >= 0) {
        n = stock_breaches(db, w);
        total = n < 0 ? -1 : total + n;
    }
    sqlite3_close(db);
    return total;
}
