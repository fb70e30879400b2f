/* coupon_admin_store.c: saving, deleting and showing coupons for operators (coupon_admin.h). */
#include "billing/coupon_admin.h"

#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

static void coupon_bind_opt(sqlite3_stmt *st, int col, bool has, int64_t v)
{
    if (has)
        sqlite3_bind_int64(st, col, v);
    else
        sqlite3_bind_null(st, col);
}

enum api_error coupon_draft_save(sqlite3 *conn, struct coupon_draft *d, int64_t now)
{
    sqlite3_stmt *st;
    int64_t other = 0;
    int rc;

    /* A deleted coupon keeps its row for the records that used it; its code goes to whoever
     * claims it next ('~' never appears in a live code). */
    st = db_prepare(conn, "UPDATE coupons SET code = code || '~' || id "
                          "WHERE code = ?1 AND active = 0 AND id <> ?2");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_text(st, 1, d->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, d->id);
    rc = sqlite3_step(st);
    db_finalize(st);
    if (rc != SQLITE_DONE || !(st = db_prepare(conn, "SELECT id FROM coupons WHERE code = ?1 "
                                                     "AND id <> ?2")))
        return API_ERR_INTERNAL;
    sqlite3_bind_text(st, 1, d->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, d->id);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        other = sqlite3_column_int64(st, 0);
    db_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return API_ERR_INTERNAL;
    if (other)
        return API_ERR_ALREADY_EXISTS;
    st = db_prepare(conn,
                    d->id ? "UPDATE coupons SET code = ?1, description = ?2, type = ?3,"
                            " percent_bps = ?4, amount_off = ?5, duration = ?6,"
                            " duration_cycles = ?7, starts_at = ?8, ends_at = ?9, max_uses = ?10,"
                            " once_per_customer = ?11, product_ids = ?12, cycles = ?13,"
                            " min_subtotal = ?14, disabled = ?16 WHERE id = ?15 AND active = 1"
                          : "INSERT INTO coupons(code, description, type, percent_bps, amount_off,"
                            " duration, duration_cycles, starts_at, ends_at, max_uses,"
                            " once_per_customer, product_ids, cycles, min_subtotal, created_at,"
                            " disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                            " ?13, ?14, ?15, ?16)");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_text(st, 1, d->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, d->description, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, d->type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, d->percent_bps);
    sqlite3_bind_int64(st, 5, d->amount_off);
    sqlite3_bind_text(st, 6, d->duration, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, d->duration_cycles);
    coupon_bind_opt(st, 8, d->has_start, d->starts_at);
    coupon_bind_opt(st, 9, d->has_end, d->ends_at);
    coupon_bind_opt(st, 10, d->has_max, d->max_uses);
    sqlite3_bind_int(st, 11, d->once_per_customer);
    sqlite3_bind_text(st, 12, d->product_ids ? d->product_ids : "[]", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 13, d->cycles ? d->cycles : "[]", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 14, d->min_subtotal);
    sqlite3_bind_int64(st, 15, d->id ? d->id : now);
    sqlite3_bind_int(st, 16, d->disabled);
    rc = sqlite3_step(st);
    db_finalize(st);
    /* The UNIQUE index backs the check above; the CHECKs back the draft's own checks. */
    if (rc != SQLITE_DONE)
        return sqlite3_extended_errcode(conn) == SQLITE_CONSTRAINT_UNIQUE ? API_ERR_ALREADY_EXISTS
                                                                          : API_ERR_INTERNAL;
    if (!d->id)
        d->id = sqlite3_last_insert_rowid(conn);
    return API_OK;
}

enum api_error coupon_admin_delete(sqlite3 *conn, int64_t id)
{
    sqlite3_stmt *st =
        db_prepare(conn, "UPDATE coupons SET active = 0 WHERE id = ? AND active = 1");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_DONE)
        err = sqlite3_changes(conn) == 1 ? API_OK : API_ERR_NOT_FOUND;
    db_finalize(st);
    return err;
}

/* A JSON array column, or [] when it does not parse. */
static cJSON *coupon_array(const char *text)
{
    cJSON *a = cJSON_Parse(text);

    if (cJSON_IsArray(a))
        return a;
    cJSON_Delete(a);
    return cJSON_CreateArray();
}

static cJSON *coupon_opt_int(cJSON *obj, const char *name, bool has, int64_t v)
{
    return has ? json_add_int(obj, name, v) : cJSON_AddNullToObject(obj, name);
}

cJSON *coupon_admin_json(sqlite3 *conn, const struct settings *set, int64_t id)
{
    struct coupon_draft d;
    const char *cur = set->currency_code;
    sqlite3_stmt *st = NULL;
    cJSON *j = NULL;
    bool percent;

    if (coupon_draft_load(conn, id, &d) != API_OK)
        return NULL;
    percent = strcmp(d.type, "percent") == 0;
    if (!(j = cJSON_CreateObject()) || !json_add_int(j, "id", d.id) ||
        !cJSON_AddStringToObject(j, "code", d.code) ||
        !cJSON_AddStringToObject(j, "description", d.description) ||
        !cJSON_AddStringToObject(j, "type", d.type) ||
        !coupon_opt_int(j, "percent_bps", percent, d.percent_bps) ||
        !(percent ? cJSON_AddNullToObject(j, "amount_off")
                  : json_add_money(j, "amount_off", d.amount_off, cur)) ||
        !cJSON_AddStringToObject(j, "duration", d.duration) ||
        !coupon_opt_int(j, "duration_cycles", strcmp(d.duration, "repeating") == 0,
                        d.duration_cycles) ||
        !(d.has_start ? json_add_timestamp(j, "starts_at", d.starts_at)
                      : cJSON_AddNullToObject(j, "starts_at")) ||
        !(d.has_end ? json_add_timestamp(j, "ends_at", d.ends_at)
                    : cJSON_AddNullToObject(j, "ends_at")) ||
        !coupon_opt_int(j, "max_uses", d.has_max, d.max_uses) ||
        !cJSON_AddBoolToObject(j, "once_per_customer", d.once_per_customer) ||
        !(d.min_subtotal ? json_add_money(j, "minimum_subtotal", d.min_subtotal, cur)
                         : cJSON_AddNullToObject(j, "minimum_subtotal")) ||
        !cJSON_AddItemToObject(j, "product_ids", coupon_array(d.product_ids)) ||
        !cJSON_AddItemToObject(j, "cycles", coupon_array(d.cycles)) ||
        !json_add_int(j, "uses", d.uses) || !cJSON_AddBoolToObject(j, "disabled", d.disabled))
        goto fail;
    if (!(st = db_prepare(conn, "SELECT created_at FROM coupons WHERE id = ?")))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW || !json_add_timestamp_col(j, "created_at", st, 0))
        goto fail;
    db_finalize(st);
    coupon_draft_clear(&d);
    return j;
fail:
    db_finalize(st);
    coupon_draft_clear(&d);
    cJSON_Delete(j);
    return NULL;
}
