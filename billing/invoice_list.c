/* invoice_list.c: invoice summaries: an account's invoices page by page, and a service's. */
#include "billing/invoice_list.h"

#include <stdbool.h>
#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

#define SUMMARY_COLUMNS                                                                            \
    "SELECT i.id, i.number, i.status, i.kind, i.issued_at, i.due_date, i.total, i.amount_paid,"    \
    " i.paid_at FROM invoices i "

static cJSON *invoice_summary(sqlite3_stmt *st, const char *cur)
{
    const char *status = db_text(st, 2);
    int64_t total = sqlite3_column_int64(st, 6), paid = sqlite3_column_int64(st, 7);
    bool payable = strcmp(status, "pending") == 0 || strcmp(status, "overdue") == 0;
    cJSON *inv = cJSON_CreateObject();

    if (!inv || !json_add_int(inv, "id", sqlite3_column_int64(st, 0)) ||
        !cJSON_AddStringToObject(inv, "number", db_text(st, 1)) ||
        !cJSON_AddStringToObject(inv, "status", status) ||
        !cJSON_AddStringToObject(inv, "kind", db_text(st, 3)) ||
        !json_add_date_of(inv, "issue_date", sqlite3_column_int64(st, 4)) ||
        !cJSON_AddStringToObject(inv, "due_date", db_text(st, 5)) ||
        !json_add_money(inv, "total", total, cur) ||
        !json_add_money(inv, "amount_due", payable && total > paid ? total - paid : 0, cur) ||
        !json_add_timestamp_col(inv, "paid_at", st, 8)) {
        cJSON_Delete(inv);
        return NULL;
    }
    return inv;
}

/* Steps st to the end, appending a summary per row. 0 or -1. */
static int invoice_rows(sqlite3_stmt *st, const char *cur, cJSON *list)
{
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *inv = invoice_summary(st, cur);

        if (!inv || !cJSON_AddItemToArray(list, inv)) {
            cJSON_Delete(inv);
            return -1;
        }
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static int invoice_count(sqlite3 *conn, int64_t user_id, const char *status, int64_t *total)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT count(*) FROM invoices"
                                        " WHERE user_id = ?1 AND (?2 IS NULL OR status = ?2)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *total = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

enum api_error invoice_list(sqlite3 *conn, const struct settings *set, int64_t user_id,
                            const char *status, int64_t limit, int64_t offset, cJSON **items,
                            int64_t *total)
{
    sqlite3_stmt *st =
        db_prepare(conn, SUMMARY_COLUMNS "WHERE i.user_id = ?1 AND (?2 IS NULL OR i.status = ?2)"
                                         " ORDER BY i.id DESC LIMIT ?3 OFFSET ?4");
    cJSON *list = cJSON_CreateArray();
    enum api_error err = API_ERR_INTERNAL;

    *items = NULL;
    if (!st || !list)
        goto done;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    if (invoice_rows(st, set->currency_code, list) != 0 ||
        invoice_count(conn, user_id, status, total) != 0)
        goto done;
    *items = list;
    list = NULL;
    err = API_OK;
done:
    db_finalize(st);
    cJSON_Delete(list);
    return err;
}

int invoice_list_of_service(sqlite3 *conn, const struct settings *set, int64_t service_id,
                            int64_t limit, cJSON *list)
{
    sqlite3_stmt *st = db_prepare(
        conn, SUMMARY_COLUMNS
        "WHERE i.service_id = ?1"
        " OR (i.kind = 'order' AND i.order_id = (SELECT order_id FROM services WHERE id = ?1))"
        " OR EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id"
        "  AND l.service_id = ?1) ORDER BY i.id DESC LIMIT ?2");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, service_id);
    sqlite3_bind_int64(st, 2, limit);
    rc = invoice_rows(st, set->currency_code, list);
    db_finalize(st);
    return rc;
}
