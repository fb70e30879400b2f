/* invoice_json.c: the contract's Invoice object, built from an invoice's rows. */
#include "billing/invoice.h"

#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

/* Columns of the invoice row read below. */
enum {
    COL_ID,
    COL_NUMBER,
    COL_STATUS,
    COL_KIND,
    COL_ISSUED,
    COL_DUE,
    COL_PAID_AT,
    COL_SUBTOTAL,
    COL_DISCOUNT,
    COL_TAX,
    COL_TOTAL,
    COL_PAID,
    COL_REFUNDED,
    COL_ORDER,
    COL_SERVICE,
};

static cJSON *add_id_or_null(cJSON *obj, const char *name, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return cJSON_AddNullToObject(obj, name);
    return json_add_int(obj, name, sqlite3_column_int64(st, col));
}

static int invoice_items(sqlite3 *conn, const char *cur, int64_t id, cJSON *items)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT description, quantity, unit_amount, amount,"
                                        " period_start, period_end, service_id "
                                        "FROM invoice_lines WHERE invoice_id = ? "
                                        "AND kind <> 'discount' ORDER BY id");
    int rc = -1, step;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *l = cJSON_CreateObject();
        cJSON *period;

        if (!l || !cJSON_AddItemToArray(items, l)) {
            cJSON_Delete(l);
            goto done;
        }
        if (!cJSON_AddStringToObject(l, "description", db_text(st, 0)) ||
            !json_add_int(l, "quantity", sqlite3_column_int64(st, 1)) ||
            !json_add_money(l, "unit_price", sqlite3_column_int64(st, 2), cur) ||
            !json_add_money(l, "amount", sqlite3_column_int64(st, 3), cur))
            goto done;
        if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
            if (!cJSON_AddNullToObject(l, "period"))
                goto done;
        } else if (!(period = cJSON_AddObjectToObject(l, "period")) ||
                   !cJSON_AddStringToObject(period, "start", db_text(st, 4)) ||
                   !cJSON_AddStringToObject(period, "end", db_text(st, 5))) {
            goto done;
        }
        if (!add_id_or_null(l, "service_id", st, 6))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    db_finalize(st);
    return rc;
}

int invoice_tax_lines(sqlite3 *conn, const char *cur, int64_t invoice_id, cJSON *lines)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT name, rate_bps, inclusive, amount FROM "
                                        "invoice_taxes WHERE invoice_id = ? ORDER BY rowid");
    int rc = -1, step;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, invoice_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *t = cJSON_CreateObject();

        if (!t || !cJSON_AddItemToArray(lines, t)) {
            cJSON_Delete(t);
            goto done;
        }
        if (!cJSON_AddStringToObject(t, "name", db_text(st, 0)) ||
            !json_add_int(t, "rate_bps", sqlite3_column_int64(st, 1)) ||
            !cJSON_AddBoolToObject(t, "inclusive", sqlite3_column_int(st, 2)) ||
            !json_add_money(t, "amount", sqlite3_column_int64(st, 3), cur))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    db_finalize(st);
    return rc;
}

/* Payment attempts, oldest first; a zero "not_required" placeholder is no attempt. */
static int invoice_payments(sqlite3 *conn, const char *cur, int64_t id, cJSON *list)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id, gateway, amount, status, created_at "
                                        "FROM payments WHERE invoice_id = ? AND NOT "
                                        "(status = 'not_required' AND amount = 0) ORDER BY id");
    int rc = -1, step;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *p = cJSON_CreateObject();

        if (!p || !cJSON_AddItemToArray(list, p)) {
            cJSON_Delete(p);
            goto done;
        }
        if (!json_add_int(p, "id", sqlite3_column_int64(st, 0)) ||
            !cJSON_AddStringToObject(p, "gateway", db_text(st, 1)) ||
            !json_add_money(p, "amount", sqlite3_column_int64(st, 2), cur) ||
            !cJSON_AddStringToObject(p, "status", db_text(st, 3)) ||
            !json_add_timestamp(p, "created_at", sqlite3_column_int64(st, 4)))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    db_finalize(st);
    return rc;
}

/* Refunds: money not sent to credits went back through the gateway that took the most recent
 * card or PayPal payment (credits when the invoice had none). */
static int invoice_refunds(sqlite3 *conn, const char *cur, int64_t id, cJSON *list)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT r.id, r.amount, r.reason, r.to_credits, r.created_at,"
              " COALESCE((SELECT p.gateway FROM payments p WHERE p.invoice_id = r.invoice_id"
              "  AND p.status = 'paid' AND p.gateway <> 'credits' ORDER BY p.id DESC LIMIT 1),"
              "  'credits') "
              "FROM refunds r WHERE r.invoice_id = ? ORDER BY r.id");
    int rc = -1, step;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *r = cJSON_CreateObject();
        bool to_credits = sqlite3_column_int(st, 3);

        if (!r || !cJSON_AddItemToArray(list, r)) {
            cJSON_Delete(r);
            goto done;
        }
        if (!json_add_int(r, "id", sqlite3_column_int64(st, 0)) ||
            !json_add_money(r, "amount", sqlite3_column_int64(st, 1), cur) ||
            !cJSON_AddStringToObject(r, "reason", db_text(st, 2)) ||
            !cJSON_AddBoolToObject(r, "to_credits", to_credits) ||
            !(to_credits ? cJSON_AddNullToObject(r, "gateway")
                         : cJSON_AddStringToObject(r, "gateway", db_text(st, 5))) ||
            !cJSON_AddStringToObject(r, "status", "succeeded") ||
            !json_add_timestamp(r, "created_at", sqlite3_column_int64(st, 4)))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    db_finalize(st);
    return rc;
}

/* The coupon of an order invoice is its order's; a renewal shows its service's coupon when it
 * still discounted this invoice. */
static cJSON *invoice_coupon_code(sqlite3 *conn, cJSON *inv, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        conn,
        "SELECT c.code FROM invoices i"
        " LEFT JOIN orders o ON i.kind = 'order' AND o.id = i.order_id"
        " LEFT JOIN services s ON i.kind = 'renewal' AND i.discount > 0 AND s.id = i.service_id"
        " JOIN coupons c ON c.id = COALESCE(o.coupon_id, s.coupon_id) WHERE i.id = ?");
    cJSON *item = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        item = cJSON_AddStringToObject(inv, "coupon_code", db_text(st, 0));
        break;
    case SQLITE_DONE:
        item = cJSON_AddNullToObject(inv, "coupon_code");
        break;
    default:
        break;
    }
    db_finalize(st);
    return item;
}

static cJSON *invoice_build(sqlite3 *conn, const char *cur, sqlite3_stmt *st)
{
    int64_t id = sqlite3_column_int64(st, COL_ID);
    const char *status = db_text(st, COL_STATUS);
    int64_t total = sqlite3_column_int64(st, COL_TOTAL);
    int64_t paid = sqlite3_column_int64(st, COL_PAID);
    bool payable = strcmp(status, "pending") == 0 || strcmp(status, "overdue") == 0;
    int64_t due = payable && total > paid ? total - paid : 0;
    cJSON *inv = cJSON_CreateObject();
    cJSON *items, *totals, *taxes, *payments, *refunds;

    if (!inv || !json_add_int(inv, "id", id) ||
        !cJSON_AddStringToObject(inv, "number", db_text(st, COL_NUMBER)) ||
        !cJSON_AddStringToObject(inv, "status", status) ||
        !cJSON_AddStringToObject(inv, "kind", db_text(st, COL_KIND)) ||
        !json_add_date_of(inv, "issue_date", sqlite3_column_int64(st, COL_ISSUED)) ||
        !cJSON_AddStringToObject(inv, "due_date", db_text(st, COL_DUE)) ||
        !json_add_timestamp_col(inv, "paid_at", st, COL_PAID_AT) ||
        !cJSON_AddStringToObject(inv, "currency", cur) ||
        !(items = cJSON_AddArrayToObject(inv, "items")) ||
        invoice_items(conn, cur, id, items) != 0 || !invoice_coupon_code(conn, inv, id) ||
        !(totals = cJSON_AddObjectToObject(inv, "totals")) ||
        !json_add_money(totals, "subtotal", sqlite3_column_int64(st, COL_SUBTOTAL), cur) ||
        !json_add_money(totals, "discount", sqlite3_column_int64(st, COL_DISCOUNT), cur) ||
        !(taxes = cJSON_AddArrayToObject(totals, "tax_lines")) ||
        invoice_tax_lines(conn, cur, id, taxes) != 0 ||
        !json_add_money(totals, "tax_total", sqlite3_column_int64(st, COL_TAX), cur) ||
        !json_add_money(totals, "total", total, cur) ||
        !json_add_money(inv, "amount_paid", paid, cur) ||
        !json_add_money(inv, "amount_refunded", sqlite3_column_int64(st, COL_REFUNDED), cur) ||
        !json_add_money(inv, "amount_due", due, cur) ||
        !(payments = cJSON_AddArrayToObject(inv, "payments")) ||
        invoice_payments(conn, cur, id, payments) != 0 ||
        !(refunds = cJSON_AddArrayToObject(inv, "refunds")) ||
        invoice_refunds(conn, cur, id, refunds) != 0 ||
        !add_id_or_null(inv, "order_id", st, COL_ORDER) ||
        !add_id_or_null(inv, "service_id", st, COL_SERVICE)) {
        cJSON_Delete(inv);
        return NULL;
    }
    return inv;
}

cJSON *invoice_json(sqlite3 *conn, const struct settings *set, int64_t invoice_id, int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT id, number, status, kind, issued_at, due_date, paid_at, subtotal, discount,"
              " tax, total, amount_paid, amount_refunded, order_id, service_id "
              "FROM invoices WHERE id = ?1 AND (?2 = 0 OR user_id = ?2)");
    cJSON *inv = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, invoice_id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        inv = invoice_build(conn, set->currency_code, st);
    db_finalize(st);
    return inv;
}
