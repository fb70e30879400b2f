/* coupon.c: coupon codes: lookup, refusals, coverage and use counting. */
#include "billing/coupon.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "billing/clock.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/money.h"
#include "billing/pricing.h"

#define COUPON_COLUMNS                                                                             \
    "SELECT id, code, description, type, percent_bps, amount_off, duration, duration_cycles,"      \
    " starts_at, ends_at, max_uses, uses, once_per_customer, product_ids, cycles, min_subtotal,"   \
    " active, disabled FROM coupons "

/* The JSON arrays of products and cycles a coupon is restricted to. */
static void coupon_restrictions(struct coupon *c, const char *products, const char *cycles)
{
    cJSON *p = cJSON_Parse(products), *y = cJSON_Parse(cycles), *item;
    int64_t id;

    cJSON_ArrayForEach(item, p)
    {
        if (!json_get_int(item, &id))
            continue;
        if (c->n_products == COUPON_MAX_PRODUCTS) {
            c->restricted_beyond_limit = true;
            break;
        }
        c->product_ids[c->n_products++] = id;
    }
    cJSON_ArrayForEach(item, y)
    {
        int rank = cJSON_IsString(item) ? pricing_cycle_rank(item->valuestring) : -1;

        if (rank >= 0)
            c->cycles |= 1u << rank;
    }
    cJSON_Delete(p);
    cJSON_Delete(y);
}

static void coupon_fill(sqlite3_stmt *st, struct coupon *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    snprintf(c->code, sizeof c->code, "%s", db_text(st, 1));
    snprintf(c->description, sizeof c->description, "%s", db_text(st, 2));
    c->percent = strcmp(db_text(st, 3), "percent") == 0;
    c->percent_bps = sqlite3_column_int64(st, 4);
    c->amount_off = sqlite3_column_int64(st, 5);
    snprintf(c->duration, sizeof c->duration, "%s", db_text(st, 6));
    c->duration_cycles = sqlite3_column_int64(st, 7);
    c->has_start = sqlite3_column_type(st, 8) != SQLITE_NULL;
    c->starts_at = sqlite3_column_int64(st, 8);
    c->has_end = sqlite3_column_type(st, 9) != SQLITE_NULL;
    c->ends_at = sqlite3_column_int64(st, 9);
    c->has_max = sqlite3_column_type(st, 10) != SQLITE_NULL;
    c->max_uses = sqlite3_column_int64(st, 10);
    c->uses = sqlite3_column_int64(st, 11);
    c->once_per_customer = sqlite3_column_int(st, 12);
    coupon_restrictions(c, db_text(st, 13), db_text(st, 14));
    c->min_subtotal = sqlite3_column_int64(st, 15);
    c->active = sqlite3_column_int(st, 16);
    c->disabled = sqlite3_column_int(st, 17);
}

static enum api_error coupon_query(sqlite3 *conn, const char *sql, const char *code, int64_t id,
                                   struct coupon *c)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    if (code)
        sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        coupon_fill(st, c);
        err = c->active ? API_OK : API_ERR_COUPON_NOT_FOUND;
        break;
    case SQLITE_DONE:
        err = API_ERR_COUPON_NOT_FOUND;
        break;
    default:
        break;
    }
    db_finalize(st);
    return err;
}

enum api_error coupon_find(sqlite3 *conn, const char *code, struct coupon *c)
{
    /* The column is COLLATE NOCASE: WELCOME10, welcome10 and Welcome10 are one code. */
    return coupon_query(conn, COUPON_COLUMNS "WHERE code = ?", code, 0, c);
}

enum api_error coupon_load(sqlite3 *conn, int64_t id, struct coupon *c)
{
    return coupon_query(conn, COUPON_COLUMNS "WHERE id = ?", NULL, id, c);
}

static int coupon_used_by(sqlite3 *conn, int64_t coupon_id, int64_t user_id, bool *used)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT EXISTS (SELECT 1 FROM coupon_redemptions "
                                        "WHERE coupon_id = ? AND user_id = ?)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, coupon_id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *used = sqlite3_column_int(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

enum api_error coupon_check(sqlite3 *conn, const struct coupon *c, int64_t user_id, int64_t now)
{
    bool used = false;

    if (!c->active)
        return API_ERR_COUPON_NOT_FOUND;
    if (c->disabled)
        return API_ERR_COUPON_DISABLED;
    if (c->has_start && now < c->starts_at)
        return API_ERR_COUPON_NOT_STARTED;
    if (c->has_end && now > c->ends_at)
        return API_ERR_COUPON_EXPIRED;
    if (c->has_max && c->uses >= c->max_uses)
        return API_ERR_COUPON_EXHAUSTED;
    if (c->once_per_customer && user_id) {
        if (coupon_used_by(conn, c->id, user_id, &used) != 0)
            return API_ERR_INTERNAL;
        if (used)
            return API_ERR_COUPON_ALREADY_USED;
    }
    return API_OK;
}

bool coupon_covers(const struct coupon *c, int64_t product_id, const char *cycle)
{
    int rank = pricing_cycle_rank(cycle);
    bool product_ok = c->n_products == 0 && !c->restricted_beyond_limit;

    for (size_t i = 0; i < c->n_products && !product_ok; i++)
        product_ok = c->product_ids[i] == product_id;
    return product_ok && (c->cycles == 0 || (rank >= 0 && (c->cycles & (1u << rank))));
}

void coupon_refusal(const struct coupon *c, enum api_error err, const struct settings *set,
                    char *buf, size_t size)
{
    char day[DATE_CHARS], money[48];

    switch (err) {
    case API_ERR_COUPON_EXPIRED:
        date_format(date_from_unix(c->ends_at), day);
        snprintf(buf, size, "Coupon %s expired on %s.", c->code, day);
        break;
    case API_ERR_COUPON_NOT_STARTED:
        date_format(date_from_unix(c->starts_at), day);
        snprintf(buf, size, "Coupon %s can be used from %s.", c->code, day);
        break;
    case API_ERR_COUPON_EXHAUSTED:
        snprintf(buf, size, "Coupon %s has been used up.", c->code);
        break;
    case API_ERR_COUPON_ALREADY_USED:
        snprintf(buf, size, "You have already used coupon %s.", c->code);
        break;
    case API_ERR_COUPON_NOT_APPLICABLE:
        snprintf(buf, size, "Coupon %s does not apply to anything in your cart.", c->code);
        break;
    case API_ERR_COUPON_MINIMUM_NOT_MET:
        snprintf(buf, size, "Coupon %s needs a subtotal of at least %s.", c->code,
                 billing_money_text(set, c->min_subtotal, money, sizeof money));
        break;
    case API_ERR_COUPON_DISABLED:
        snprintf(buf, size, "Coupon %s is switched off at the moment.", c->code);
        break;
    default:
        snprintf(buf, size, "%s", api_error_message(err));
        break;
    }
}

/* Runs a statement binding the n values in order; the number of rows changed, or -1. */
static int coupon_exec(sqlite3 *conn, const char *sql, const int64_t *v, int n)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

enum api_error coupon_redeem(sqlite3 *conn, const struct coupon *c, int64_t user_id,
                             int64_t order_id, int64_t now)
{
    bool used = false;
    int n;

    if (c->once_per_customer) {
        if (coupon_used_by(conn, c->id, user_id, &used) != 0)
            return API_ERR_INTERNAL;
        if (used)
            return API_ERR_COUPON_ALREADY_USED;
    }
    /* The limit is in the statement itself: a use is counted only while one is left. */
    n = coupon_exec(conn,
                    "UPDATE coupons SET uses = uses + 1 WHERE id = ? AND active = 1 AND"
                    " (max_uses IS NULL OR uses < max_uses)",
                    (int64_t[]){c->id}, 1);
    if (n < 0)
        return API_ERR_INTERNAL;
    if (n == 0)
        return API_ERR_COUPON_EXHAUSTED;
    if (coupon_exec(conn,
                    "INSERT INTO coupon_redemptions(coupon_id, user_id, order_id, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (int64_t[]){c->id, user_id, order_id, now}, 4) != 1)
        return API_ERR_INTERNAL;
    return API_OK;
}

int coupon_release(sqlite3 *conn, int64_t order_id)
{
    if (coupon_exec(conn,
                    "UPDATE coupons SET uses = uses - 1 WHERE uses > 0 AND id IN (SELECT"
                    " coupon_id FROM coupon_redemptions WHERE order_id = ?)",
                    &order_id, 1) < 0 ||
        coupon_exec(conn, "DELETE FROM coupon_redemptions WHERE order_id = ?", &order_id, 1) < 0)
        return -1;
    return 0;
}
