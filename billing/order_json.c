/* order_json.c: the contract's Order object: its lines come from its invoice, its options and
 * service ids from the services it created (one per unit, in line order). */
#include "billing/order.h"

#include <string.h>

#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

/* The next `quantity` services of the order, in id order: their ids, and the first one's
 * options. */
static int order_line_services(sqlite3_stmt *svc, int64_t quantity, cJSON *line)
{
    cJSON *ids = cJSON_AddArrayToObject(line, "service_ids");
    cJSON *options = NULL;

    if (!ids)
        return -1;
    for (int64_t i = 0; i < quantity && sqlite3_step(svc) == SQLITE_ROW; i++) {
        cJSON *id = json_int(sqlite3_column_int64(svc, 0));

        if (!id || !cJSON_AddItemToArray(ids, id)) {
            cJSON_Delete(id);
            return -1;
        }
        if (!options && !(options = cJSON_Parse(db_text(svc, 1))))
            return -1;
    }
    if (!options)
        options = cJSON_CreateObject();
    if (!options || !cJSON_AddItemToObject(line, "options", options)) {
        cJSON_Delete(options);
        return -1;
    }
    return 0;
}

static int order_items(sqlite3 *conn, const char *cur, int64_t order_id, int64_t invoice_id,
                       cJSON *items)
{
    sqlite3_stmt *lines = db_prepare(
        conn, "SELECT l.kind, l.product_id, p.slug, p.name, c.slug, l.cycle, l.quantity,"
              " l.unit_amount, l.amount FROM invoice_lines l"
              " LEFT JOIN products p ON p.id = l.product_id"
              " LEFT JOIN categories c ON c.id = p.category_id"
              " WHERE l.invoice_id = ? AND l.kind IN ('item', 'setup_fee') ORDER BY l.id");
    sqlite3_stmt *svc = db_prepare(conn, "SELECT id, options FROM services WHERE order_id = ?"
                                         " ORDER BY id");
    cJSON *line = NULL;
    int64_t total = 0;
    int rc = -1, step;

    if (!lines || !svc)
        goto done;
    sqlite3_bind_int64(lines, 1, invoice_id);
    sqlite3_bind_int64(svc, 1, order_id);
    while ((step = sqlite3_step(lines)) == SQLITE_ROW) {
        cJSON *product;

        if (strcmp(db_text(lines, 0), "setup_fee") == 0) {
            /* A setup fee follows the item it belongs to. */
            cJSON *fee = line ? cJSON_GetObjectItemCaseSensitive(line, "setup_fee") : NULL;

            if (fee)
                cJSON_ReplaceItemInObject(fee, "amount", json_int(sqlite3_column_int64(lines, 7)));
            total += sqlite3_column_int64(lines, 8);
            if (line)
                cJSON_ReplaceItemInObject(line, "line_total", json_money(total, cur));
            continue;
        }
        if (!(line = cJSON_CreateObject()) || !cJSON_AddItemToArray(items, line)) {
            cJSON_Delete(line);
            goto done;
        }
        total = sqlite3_column_int64(lines, 8);
        if (!(product = cJSON_AddObjectToObject(line, "product")) ||
            !json_add_int(product, "id", sqlite3_column_int64(lines, 1)) ||
            !cJSON_AddStringToObject(product, "slug", db_text(lines, 2)) ||
            !cJSON_AddStringToObject(product, "name", db_text(lines, 3)) ||
            !cJSON_AddStringToObject(product, "category_slug", db_text(lines, 4)) ||
            !cJSON_AddStringToObject(line, "cycle", db_text(lines, 5)) ||
            order_line_services(svc, sqlite3_column_int64(lines, 6), line) != 0 ||
            !json_add_int(line, "quantity", sqlite3_column_int64(lines, 6)) ||
            !json_add_money(line, "unit_price", sqlite3_column_int64(lines, 7), cur) ||
            !json_add_money(line, "setup_fee", 0, cur) ||
            !json_add_money(line, "line_total", total, cur))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    db_finalize(lines);
    db_finalize(svc);
    return rc;
}

static cJSON *order_build(sqlite3 *conn, const char *cur, sqlite3_stmt *st)
{
    int64_t id = sqlite3_column_int64(st, 0), invoice_id = sqlite3_column_int64(st, 9);
    const char *status = db_text(st, 3);
    bool paid = strcmp(status, "paid") == 0 || strcmp(status, "pending_approval") == 0 ||
                strcmp(status, "completed") == 0;
    cJSON *o = cJSON_CreateObject();
    cJSON *items, *totals, *taxes;

    if (!o || !json_add_int(o, "id", id) || !cJSON_AddStringToObject(o, "number", db_text(st, 1)) ||
        !json_add_int(o, "user_id", sqlite3_column_int64(st, 2)) ||
        !cJSON_AddStringToObject(o, "status", status) ||
        !(items = cJSON_AddArrayToObject(o, "items")) ||
        order_items(conn, cur, id, invoice_id, items) != 0 ||
        !(sqlite3_column_type(st, 4) == SQLITE_NULL
              ? cJSON_AddNullToObject(o, "coupon_code")
              : cJSON_AddStringToObject(o, "coupon_code", db_text(st, 4))) ||
        !(totals = cJSON_AddObjectToObject(o, "totals")) ||
        !json_add_money(totals, "subtotal", sqlite3_column_int64(st, 5), cur) ||
        !json_add_money(totals, "discount", sqlite3_column_int64(st, 6), cur) ||
        !(taxes = cJSON_AddArrayToObject(totals, "tax_lines")) ||
        invoice_tax_lines(conn, cur, invoice_id, taxes) != 0 ||
        !json_add_money(totals, "tax_total", sqlite3_column_int64(st, 7), cur) ||
        !json_add_money(totals, "total", sqlite3_column_int64(st, 8), cur) ||
        !json_add_int(o, "invoice_id", invoice_id) ||
        !json_add_timestamp(o, "created_at", sqlite3_column_int64(st, 10)) ||
        !(paid && sqlite3_column_type(st, 12) != SQLITE_NULL
              ? json_add_timestamp(o, "paid_at", sqlite3_column_int64(st, 12))
              : cJSON_AddNullToObject(o, "paid_at")) ||
        /* Nothing changes an order after it completes or is cancelled: its last update is when. */
        !(strcmp(status, "completed") == 0
              ? json_add_timestamp(o, "completed_at", sqlite3_column_int64(st, 11))
              : cJSON_AddNullToObject(o, "completed_at")) ||
        !(strcmp(status, "cancelled") == 0
              ? json_add_timestamp(o, "cancelled_at", sqlite3_column_int64(st, 11))
              : cJSON_AddNullToObject(o, "cancelled_at"))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *order_json(sqlite3 *conn, const struct settings *set, int64_t order_id, int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT o.id, o.number, o.user_id, o.status, c.code, o.subtotal, o.discount, o.tax,"
              " o.total, COALESCE(o.invoice_id, 0), o.created_at, o.updated_at, i.paid_at "
              "FROM orders o LEFT JOIN coupons c ON c.id = o.coupon_id"
              " LEFT JOIN invoices i ON i.id = o.invoice_id "
              "WHERE o.id = ?1 AND (?2 = 0 OR o.user_id = ?2)");
    cJSON *o = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        o = order_build(conn, set->currency_code, st);
    db_finalize(st);
    return o;
}
