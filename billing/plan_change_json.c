/* plan_change_json.c: the contract's PlanChangeQuote and PlanChange objects. */
#include "billing/plan_change.h"

#include <stdio.h>
#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

/* {product: {id, name}, cycle, options, recurring_price}. */
static cJSON *plan_side(sqlite3 *conn, const char *cur, int64_t product_id, const char *cycle,
                        const char *options, int64_t amount)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT slug, name FROM products WHERE id = ?");
    cJSON *o = cJSON_CreateObject(), *p, *opts = cJSON_Parse(options);
    bool ok = false;

    if (!st || !o)
        goto done;
    sqlite3_bind_int64(st, 1, product_id);
    if (sqlite3_step(st) != SQLITE_ROW || !(p = cJSON_AddObjectToObject(o, "product")) ||
        !json_add_int(p, "id", product_id) || !cJSON_AddStringToObject(p, "slug", db_text(st, 0)) ||
        !cJSON_AddStringToObject(p, "name", db_text(st, 1)) ||
        !cJSON_AddStringToObject(o, "cycle", cycle) ||
        !cJSON_AddItemToObject(o, "options", opts ? opts : cJSON_CreateObject()))
        goto done;
    opts = NULL;
    ok = json_add_money(o, "recurring_price", amount, cur) != NULL;
done:
    db_finalize(st);
    cJSON_Delete(opts);
    if (!ok) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

static bool plan_add(cJSON *obj, const char *name, cJSON *item)
{
    if (item && cJSON_AddItemToObject(obj, name, item))
        return true;
    cJSON_Delete(item);
    return false;
}

static cJSON *plan_date_or_null(cJSON *obj, const char *name, bool set, struct date d)
{
    char buf[DATE_CHARS];

    if (!set)
        return cJSON_AddNullToObject(obj, name);
    date_format(d, buf);
    return cJSON_AddStringToObject(obj, name, buf);
}

cJSON *plan_quote_json(sqlite3 *conn, const struct settings *set, const struct plan_quote *q)
{
    const char *cur = set->currency_code;
    const struct basket_totals *t = &q->basket.totals;
    bool now_paid = q->upgrade;
    bool scheduled = strcmp(q->timing, "next_renewal") == 0;
    cJSON *d = cJSON_CreateObject(), *period, *pr, *next;
    char start[DATE_CHARS], end[DATE_CHARS];

    date_format(q->period_start, start);
    date_format(date_add_days(q->period_end, -1), end);
    if (!d || !json_add_int(d, "service_id", q->service_id) ||
        !plan_add(d, "from",
                  plan_side(conn, cur, q->from_product_id, q->from_cycle, q->from_options,
                            q->from_amount)) ||
        !plan_add(
            d, "to",
            plan_side(conn, cur, q->to_product_id, q->to_cycle, q->to_options, q->to_amount)) ||
        !cJSON_AddStringToObject(d, "direction", q->upgrade ? "upgrade" : "downgrade") ||
        !cJSON_AddStringToObject(d, "timing", q->timing) ||
        !plan_date_or_null(d, "effective_date", scheduled, q->effective_date) ||
        !(period = cJSON_AddObjectToObject(d, "current_period")) ||
        !cJSON_AddStringToObject(period, "start", start) ||
        !cJSON_AddStringToObject(period, "end", end) ||
        !(pr = cJSON_AddObjectToObject(d, "proration")) ||
        !cJSON_AddStringToObject(pr, "unit", "second") ||
        !json_add_timestamp(pr, "from", q->counted_from) ||
        !json_add_int(pr, "seconds_left", q->seconds_left) ||
        !json_add_int(pr, "period_seconds", q->period_seconds) ||
        !json_add_money(d, "credit", q->credit, cur) ||
        !json_add_money(d, "charge", q->charge, cur) ||
        !json_add_money(d, "net", q->charge - q->credit, cur) ||
        !json_add_money(d, "tax", t->tax, cur) ||
        !json_add_money(d, "total", now_paid ? t->total : 0, cur) ||
        !json_add_money(d, "credits_available", t->credits_available, cur) ||
        !json_add_money(d, "credits_to_apply", now_paid ? t->credits_to_apply : 0, cur) ||
        !json_add_money(d, "due_now", now_paid ? t->due_now : 0, cur) ||
        !json_add_money(d, "refund_to_balance", q->balance_credit, cur) ||
        !(next = cJSON_AddObjectToObject(d, "next_renewal")) ||
        !plan_date_or_null(next, "date", true, q->next_due) ||
        !json_add_money(next, "amount", q->to_amount, cur)) {
        cJSON_Delete(d);
        return NULL;
    }
    return d;
}

enum {
    COL_ID,
    COL_SERVICE,
    COL_STATUS,
    COL_DIRECTION,
    COL_TIMING,
    COL_FROM_PRODUCT,
    COL_FROM_CYCLE,
    COL_FROM_OPTIONS,
    COL_FROM_AMOUNT,
    COL_TO_PRODUCT,
    COL_TO_CYCLE,
    COL_TO_OPTIONS,
    COL_TO_AMOUNT,
    COL_CREDIT,
    COL_CHARGE,
    COL_TAX,
    COL_TOTAL,
    COL_BALANCE,
    COL_INVOICE,
    COL_EFFECTIVE,
    COL_CREATED,
    COL_APPLIED,
    COL_CANCELLED,
    COL_REVERSED,
    COL_NEXT_DUE,
};

#define PLAN_COLUMNS                                                                               \
    "SELECT id, service_id, status, direction, timing, from_product_id, from_cycle,"               \
    " from_options, from_amount, to_product_id, to_cycle, to_options, to_amount, credit, charge,"  \
    " tax, total, balance_credit, invoice_id, effective_date, created_at, applied_at,"             \
    " cancelled_at, reversed_at, to_next_due FROM plan_changes "

static cJSON *plan_row_json(sqlite3 *conn, const char *cur, sqlite3_stmt *st)
{
    cJSON *d = cJSON_CreateObject();
    int64_t credit = sqlite3_column_int64(st, COL_CREDIT);
    int64_t charge = sqlite3_column_int64(st, COL_CHARGE);
    bool ok;

    ok = d && json_add_int(d, "id", sqlite3_column_int64(st, COL_ID)) &&
         json_add_int(d, "service_id", sqlite3_column_int64(st, COL_SERVICE)) &&
         cJSON_AddStringToObject(d, "status", db_text(st, COL_STATUS)) &&
         cJSON_AddStringToObject(d, "direction", db_text(st, COL_DIRECTION)) &&
         cJSON_AddStringToObject(d, "timing", db_text(st, COL_TIMING)) &&
         plan_add(d, "from",
                  plan_side(conn, cur, sqlite3_column_int64(st, COL_FROM_PRODUCT),
                            db_text(st, COL_FROM_CYCLE), db_text(st, COL_FROM_OPTIONS),
                            sqlite3_column_int64(st, COL_FROM_AMOUNT))) &&
         plan_add(d, "to",
                  plan_side(conn, cur, sqlite3_column_int64(st, COL_TO_PRODUCT),
                            db_text(st, COL_TO_CYCLE), db_text(st, COL_TO_OPTIONS),
                            sqlite3_column_int64(st, COL_TO_AMOUNT))) &&
         json_add_money(d, "credit", credit, cur) && json_add_money(d, "charge", charge, cur) &&
         json_add_money(d, "net", charge - credit, cur) &&
         json_add_money(d, "tax", sqlite3_column_int64(st, COL_TAX), cur) &&
         json_add_money(d, "total", sqlite3_column_int64(st, COL_TOTAL), cur) &&
         json_add_money(d, "refund_to_balance", sqlite3_column_int64(st, COL_BALANCE), cur);
    ok = ok &&
         (sqlite3_column_type(st, COL_INVOICE) == SQLITE_NULL
              ? cJSON_AddNullToObject(d, "invoice_id") != NULL
              : json_add_int(d, "invoice_id", sqlite3_column_int64(st, COL_INVOICE)) != NULL) &&
         (sqlite3_column_type(st, COL_EFFECTIVE) == SQLITE_NULL
              ? cJSON_AddNullToObject(d, "effective_date") != NULL
              : cJSON_AddStringToObject(d, "effective_date", db_text(st, COL_EFFECTIVE)) != NULL) &&
         json_add_timestamp(d, "created_at", sqlite3_column_int64(st, COL_CREATED)) &&
         json_add_timestamp_col(d, "applied_at", st, COL_APPLIED) &&
         json_add_timestamp_col(d, "cancelled_at", st, COL_CANCELLED) &&
         json_add_timestamp_col(d, "reversed_at", st, COL_REVERSED);
    if (!ok) {
        cJSON_Delete(d);
        return NULL;
    }
    return d;
}

cJSON *plan_change_json(sqlite3 *conn, const struct settings *set, int64_t change_id)
{
    sqlite3_stmt *st = db_prepare(conn, PLAN_COLUMNS "WHERE id = ?");
    cJSON *d = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, change_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        d = plan_row_json(conn, set->currency_code, st);
    db_finalize(st);
    return d;
}

cJSON *plan_change_list_json(sqlite3 *conn, const struct settings *set, int64_t service_id)
{
    sqlite3_stmt *st = db_prepare(conn, PLAN_COLUMNS "WHERE service_id = ? ORDER BY id DESC");
    cJSON *list = cJSON_CreateArray(), *item;
    int step;

    if (!st || !list)
        goto fail;
    sqlite3_bind_int64(st, 1, service_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(item = plan_row_json(conn, set->currency_code, st)) ||
            !cJSON_AddItemToArray(list, item)) {
            cJSON_Delete(item);
            goto fail;
        }
    }
    if (step != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return list;
fail:
    db_finalize(st);
    cJSON_Delete(list);
    return NULL;
}
