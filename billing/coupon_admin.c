/* coupon_admin.c: coupons as operators write them: a draft checked field by field and as a whole,
 * saved under a code unique among live coupons, shown as the contract's Coupon object. */
#include "billing/coupon_admin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/operator.h"
#include "billing/pricing.h"
#include "billing/rfc3339.h"
#include "billing/timestamp.h"

#define COUPON_PRODUCTS_MAX 64 /* what checkout reads of a coupon (coupon.h) */
#define COUPON_CYCLES_MAX   1000
#define COUPON_USES_MAX     1000000000

#define COUPON_SELECT                                                                              \
    "SELECT id, code, description, type, percent_bps, amount_off, duration, duration_cycles,"      \
    " starts_at, ends_at, max_uses, uses, once_per_customer, product_ids, cycles, min_subtotal,"   \
    " created_at, disabled FROM coupons WHERE id = ? AND active = 1"

void coupon_draft_clear(struct coupon_draft *d)
{
    free(d->product_ids);
    free(d->cycles);
    memset(d, 0, sizeof *d);
}

static char *coupon_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);

    return p ? memcpy(p, s, n) : NULL;
}

enum api_error coupon_draft_load(sqlite3 *conn, int64_t id, struct coupon_draft *d)
{
    sqlite3_stmt *st = db_prepare(conn, COUPON_SELECT);
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    memset(d, 0, sizeof *d);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        err = API_ERR_NOT_FOUND;
    if (rc != SQLITE_ROW)
        goto done;
    d->id = id;
    snprintf(d->code, sizeof d->code, "%s", db_text(st, 1));
    snprintf(d->description, sizeof d->description, "%s", db_text(st, 2));
    snprintf(d->type, sizeof d->type, "%s", db_text(st, 3));
    d->percent_bps = sqlite3_column_int64(st, 4);
    d->amount_off = sqlite3_column_int64(st, 5);
    snprintf(d->duration, sizeof d->duration, "%s", db_text(st, 6));
    d->duration_cycles = sqlite3_column_int64(st, 7);
    d->has_start = sqlite3_column_type(st, 8) != SQLITE_NULL;
    d->starts_at = sqlite3_column_int64(st, 8);
    d->has_end = sqlite3_column_type(st, 9) != SQLITE_NULL;
    d->ends_at = sqlite3_column_int64(st, 9);
    d->has_max = sqlite3_column_type(st, 10) != SQLITE_NULL;
    d->max_uses = sqlite3_column_int64(st, 10);
    d->uses = sqlite3_column_int64(st, 11);
    d->once_per_customer = sqlite3_column_int(st, 12);
    d->product_ids = coupon_strdup(db_text(st, 13));
    d->cycles = coupon_strdup(db_text(st, 14));
    d->min_subtotal = sqlite3_column_int64(st, 15);
    d->disabled = sqlite3_column_int(st, 17);
    err = d->product_ids && d->cycles ? API_OK : API_ERR_INTERNAL;
done:
    db_finalize(st);
    if (err != API_OK)
        coupon_draft_clear(d);
    return err;
}

/* Whether the member is present with a value other than null. */
static bool coupon_given(const cJSON *body, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    return v && !cJSON_IsNull(v);
}

/* An integer member in [lo, hi], or null (clears *has); false when absent or bad. */
static void coupon_int(const cJSON *body, const char *name, int64_t lo, int64_t hi,
                       struct reply *rep, bool *has, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    char message[80];
    int64_t n;

    if (!v)
        return;
    if (cJSON_IsNull(v)) {
        *has = false;
        *out = 0;
    } else if (json_get_int(v, &n) && n >= lo && n <= hi) {
        *has = true;
        *out = n;
    } else {
        snprintf(message, sizeof message, "must be an integer from %lld to %lld, or null",
                 (long long)lo, (long long)hi);
        reply_field(rep, name, message);
    }
}

static void coupon_time(const cJSON *body, const char *name, struct reply *rep, bool *has,
                        int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);

    if (!v)
        return;
    if (cJSON_IsNull(v))
        *has = false;
    else if (cJSON_IsString(v) && rfc3339_parse(v->valuestring, out))
        *has = true;
    else
        reply_field(rep, name, "must be an RFC 3339 date-time, or null");
}

static void coupon_bool(const cJSON *body, const char *name, struct reply *rep, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);

    if (!v)
        return;
    if (cJSON_IsBool(v))
        *out = cJSON_IsTrue(v);
    else
        reply_field(rep, name, "must be true or false");
}

/* One of the words in `words` (NULL-ended) into out. */
static void coupon_word(const cJSON *body, const char *name, const char *const *words,
                        const char *problem, struct reply *rep, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);

    if (!v)
        return;
    for (size_t i = 0; cJSON_IsString(v) && words[i]; i++) {
        if (strcmp(v->valuestring, words[i]) == 0) {
            snprintf(out, size, "%s", words[i]);
            return;
        }
    }
    reply_field(rep, name, problem);
}

static void coupon_code(const cJSON *body, struct reply *rep, struct coupon_draft *d)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "code");
    size_t n;

    if (!v)
        return;
    n = cJSON_IsString(v) ? strlen(v->valuestring) : 0;
    if (n < 1 || n > 64 ||
        strspn(v->valuestring,
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != n) {
        reply_field(rep, "code", "must be 1 to 64 letters, digits, '_' or '-'");
        return;
    }
    for (size_t i = 0; i <= n; i++) /* stored upper-case, matched in any case */
        d->code[i] = (char)toupper((unsigned char)v->valuestring[i]);
}

/* product_ids: distinct ids of existing products (at most 64); cycles: distinct cycle names. */
static void coupon_lists(sqlite3 *conn, const cJSON *body, struct reply *rep,
                         struct coupon_draft *d)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "product_ids");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "cycles");
    const cJSON *a, *b;
    char message[80];
    int64_t id;

    if (p) {
        if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) > COUPON_PRODUCTS_MAX) {
            reply_field(rep, "product_ids", "must be an array of at most 64 product ids");
            p = NULL;
        }
        cJSON_ArrayForEach(a, p)
        {
            int64_t other;
            if (!json_get_int(a, &id) || id < 1) {
                reply_field(rep, "product_ids", "must hold positive integers");
                break;
            }
            for (b = p->child; b != a; b = b->next)
                if (json_get_int(b, &other) && other == id)
                    break;
            if (b != a) {
                reply_field(rep, "product_ids", "must not repeat an id");
                break;
            }
            if (operator_count(conn, "SELECT COUNT(*) FROM products WHERE id = ?", id, NULL) != 1) {
                snprintf(message, sizeof message, "has no product with id %lld", (long long)id);
                reply_field(rep, "product_ids", message);
                break;
            }
        }
        if (!reply_has_fields(rep)) {
            free(d->product_ids);
            d->product_ids = cJSON_PrintUnformatted(p);
        }
    }
    if (c) {
        bool ok = cJSON_IsArray(c);
        const cJSON *list = ok ? c : NULL;
        unsigned seen = 0;

        cJSON_ArrayForEach(a, list)
        {
            int rank = cJSON_IsString(a) ? pricing_cycle_rank(a->valuestring) : -1;
            if (rank < 0 || (seen & (1u << rank))) {
                ok = false;
                break;
            }
            seen |= 1u << rank;
        }
        if (!ok) {
            reply_field(rep, "cycles", "must be distinct billing cycles (one_time, monthly, ...)");
        } else {
            free(d->cycles);
            d->cycles = cJSON_PrintUnformatted(c);
        }
    }
}

/* The Money members: amount_off (positive) and minimum_subtotal (0 or more), null clears. */
static void coupon_amounts(const struct settings *set, const cJSON *body, struct reply *rep,
                           struct coupon_draft *d)
{
    struct request fake = {.json = (cJSON *)body};
    int64_t amount;

    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(body, "amount_off")))
        d->amount_off = 0;
    else if (operator_money(&fake, rep, set, "amount_off", false, &amount)) {
        if (amount >= 1 && amount <= INT64_MAX / 4)
            d->amount_off = amount;
        else
            reply_field(rep, "amount_off.amount", "must be positive");
    }
    if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(body, "minimum_subtotal")))
        d->min_subtotal = 0;
    else if (operator_money(&fake, rep, set, "minimum_subtotal", false, &amount)) {
        if (amount >= 0 && amount <= INT64_MAX / 4)
            d->min_subtotal = amount;
        else
            reply_field(rep, "minimum_subtotal.amount", "must not be negative");
    }
}

/* The draft as a whole: each type and duration with the fields it needs, and nothing else. */
static void coupon_consistent(const cJSON *body, struct reply *rep, struct coupon_draft *d)
{
    bool percent = strcmp(d->type, "percent") == 0;
    char message[96];

    if (!d->code[0])
        reply_field(rep, "code", "is required");
    if (!d->type[0])
        reply_field(rep, "type", "is required");
    if (!d->duration[0])
        reply_field(rep, "duration", "is required");
    if (d->type[0] && coupon_given(body, percent ? "amount_off" : "percent_bps"))
        reply_field(rep, percent ? "amount_off" : "percent_bps",
                    percent ? "is only for fixed coupons" : "is only for percent coupons");
    if (percent) {
        d->amount_off = 0;
        if (d->percent_bps < 1)
            reply_field(rep, "percent_bps", "is required for percent coupons");
    } else if (d->type[0]) {
        d->percent_bps = 0;
        if (d->amount_off < 1)
            reply_field(rep, "amount_off", "is required for fixed coupons");
    }
    if (strcmp(d->duration, "repeating") == 0) {
        if (d->duration_cycles < 1)
            reply_field(rep, "duration_cycles", "is required for repeating coupons");
    } else if (d->duration[0]) {
        if (coupon_given(body, "duration_cycles"))
            reply_field(rep, "duration_cycles", "is only for repeating coupons");
        d->duration_cycles = 0;
    }
    if (d->has_start && d->has_end && d->ends_at <= d->starts_at)
        reply_field(rep, "ends_at", "must be after starts_at");
    if (d->has_max && d->max_uses < d->uses) {
        snprintf(message, sizeof message, "must not be below the uses so far (%lld)",
                 (long long)d->uses);
        reply_field(rep, "max_uses", message);
    }
}

void coupon_draft_apply(sqlite3 *conn, const struct settings *set, const cJSON *body,
                        struct reply *rep, struct coupon_draft *d)
{
    static const char *const fields[] = {
        "code",
        "description",
        "type",
        "percent_bps",
        "amount_off",
        "duration",
        "duration_cycles",
        "starts_at",
        "ends_at",
        "max_uses",
        "once_per_customer",
        "minimum_subtotal",
        "product_ids",
        "cycles",
        "disabled",
        NULL,
    };
    static const char *const types[] = {"percent", "fixed", NULL};
    static const char *const durations[] = {"once", "repeating", "forever", NULL};
    const cJSON *item, *v;
    bool has = false;

    cJSON_ArrayForEach(item, body)
    {
        size_t i;
        for (i = 0; fields[i] && strcmp(fields[i], item->string) != 0; i++)
            ;
        if (!fields[i])
            reply_field(rep, item->string, "is not a coupon field");
    }
    coupon_code(body, rep, d);
    if ((v = cJSON_GetObjectItemCaseSensitive(body, "description"))) {
        if (cJSON_IsString(v) && strlen(v->valuestring) <= 200)
            snprintf(d->description, sizeof d->description, "%s", v->valuestring);
        else
            reply_field(rep, "description", "must be a string of at most 200 characters");
    }
    coupon_word(body, "type", types, "must be percent or fixed", rep, d->type, sizeof d->type);
    coupon_word(body, "duration", durations, "must be once, repeating or forever", rep, d->duration,
                sizeof d->duration);
    coupon_int(body, "percent_bps", 1, 10000, rep, &has, &d->percent_bps);
    coupon_int(body, "duration_cycles", 1, COUPON_CYCLES_MAX, rep, &has, &d->duration_cycles);
    coupon_int(body, "max_uses", 1, COUPON_USES_MAX, rep, &d->has_max, &d->max_uses);
    coupon_time(body, "starts_at", rep, &d->has_start, &d->starts_at);
    coupon_time(body, "ends_at", rep, &d->has_end, &d->ends_at);
    coupon_bool(body, "once_per_customer", rep, &d->once_per_customer);
    coupon_bool(body, "disabled", rep, &d->disabled);
    coupon_amounts(set, body, rep, d);
    coupon_lists(conn, body, rep, d);
    if (!reply_has_fields(rep))
        coupon_consistent(body, rep, d);
}
