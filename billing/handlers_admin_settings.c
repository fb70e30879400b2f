/* handlers_admin_settings.c: the billing module's settings as operators read and change them; a
 * change is checked as a whole, written in one transaction with its audit entry, and read by the
 * very next request (settings are loaded per request). */
#include "billing/handlers_admin.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/operator.h"
#include "billing/settings.h"

#define DAYS_MAX    3650
#define DEPOSIT_MAX 100000000000LL /* what the settings table accepts */

static bool settings_has_gateway(const struct settings *s, const char *name)
{
    char list[sizeof s->gateways];
    char *save = NULL;

    memcpy(list, s->gateways, sizeof list);
    for (char *g = strtok_r(list, ", ", &save); g; g = strtok_r(NULL, ", ", &save))
        if (strcmp(g, name) == 0)
            return true;
    return false;
}

static cJSON *settings_json(const struct settings *s)
{
    const char *cur = s->currency_code;
    cJSON *d = cJSON_CreateObject();
    cJSON *c, *tax, *gw;

    if (!d || !(c = cJSON_AddObjectToObject(d, "currency")) ||
        !cJSON_AddStringToObject(c, "code", cur) ||
        !cJSON_AddStringToObject(c, "symbol", s->currency_symbol) ||
        !json_add_int(c, "exponent", s->currency_exponent) ||
        !(tax = cJSON_AddObjectToObject(d, "tax")) ||
        !cJSON_AddBoolToObject(tax, "enabled", s->tax_enabled) ||
        !cJSON_AddStringToObject(tax, "name", s->tax_name) ||
        !json_add_int(tax, "rate_bps", s->tax_rate_bps) ||
        !cJSON_AddBoolToObject(tax, "inclusive", s->tax_inclusive) ||
        !(gw = cJSON_AddArrayToObject(d, "gateways")))
        goto fail;
    /* Credits are their own switch; the list holds the card and PayPal gateways. */
    if ((settings_has_gateway(s, "stripe") &&
         !cJSON_AddItemToArray(gw, cJSON_CreateString("stripe"))) ||
        (settings_has_gateway(s, "paypal") &&
         !cJSON_AddItemToArray(gw, cJSON_CreateString("paypal"))))
        goto fail;
    if (!cJSON_AddBoolToObject(d, "credits_enabled", s->credits_enabled) ||
        !json_add_money(d, "credits_min_deposit", s->credits_min_deposit, cur) ||
        !json_add_money(d, "credits_max_deposit", s->credits_max_deposit, cur) ||
        !cJSON_AddBoolToObject(d, "auto_activate", s->auto_activate) ||
        !json_add_int(d, "auto_suspend_days", s->auto_suspend_days) ||
        !json_add_int(d, "auto_terminate_days", s->auto_terminate_days) ||
        !json_add_int(d, "renewal_invoice_days", s->renewal_invoice_days) ||
        !cJSON_AddBoolToObject(d, "downgrades_immediate", s->downgrades_immediate) ||
        !cJSON_AddBoolToObject(d, "signup_enabled", s->signup_enabled) ||
        !cJSON_AddBoolToObject(d, "billing_enabled", s->billing_enabled) ||
        !cJSON_AddBoolToObject(d, "billing_licensed", s->billing_licensed))
        goto fail;
    return d;
fail:
    cJSON_Delete(d);
    return NULL;
}

void handle_admin_settings(struct request *req, struct reply *rep)
{
    struct settings s;
    sqlite3 *conn = db_acquire(req->app->db);
    int rc = settings_load(conn, &s);

    db_release(req->app->db);
    if (rc != 0)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        reply_data(rep, 200, settings_json(&s));
}

/* Each setting's stored text, in the order of the settings table (settings.c). */
static void settings_text(const struct settings *s, const char *key, char *out, size_t size)
{
#define TEXT(k, fmt, v)                                                                            \
    if (strcmp(key, k) == 0) {                                                                     \
        snprintf(out, size, fmt, v);                                                               \
        return;                                                                                    \
    }
    TEXT("currency_code", "%s", s->currency_code)
    TEXT("currency_symbol", "%s", s->currency_symbol)
    TEXT("currency_exponent", "%d", s->currency_exponent)
    TEXT("tax_enabled", "%d", s->tax_enabled)
    TEXT("tax_name", "%s", s->tax_name)
    TEXT("tax_rate_bps", "%d", s->tax_rate_bps)
    TEXT("tax_inclusive", "%d", s->tax_inclusive)
    TEXT("gateways", "%s", s->gateways)
    TEXT("credits_enabled", "%d", s->credits_enabled)
    TEXT("credits_min_deposit", "%" PRId64, s->credits_min_deposit)
    TEXT("credits_max_deposit", "%" PRId64, s->credits_max_deposit)
    TEXT("auto_activate", "%d", s->auto_activate)
    TEXT("auto_suspend_days", "%d", s->auto_suspend_days)
    TEXT("auto_terminate_days", "%d", s->auto_terminate_days)
    TEXT("renewal_invoice_days", "%d", s->renewal_invoice_days)
    TEXT("downgrades_immediate", "%d", s->downgrades_immediate)
    TEXT("signup_enabled", "%d", s->signup_enabled)
    TEXT("billing_enabled", "%d", s->billing_enabled)
    TEXT("billing_licensed", "%d", s->billing_licensed)
#undef TEXT
    out[0] = '\0';
}

static const char *const settings_keys[] = {
    "currency_code",     "currency_symbol",     "currency_exponent",    "tax_enabled",
    "tax_name",          "tax_rate_bps",        "tax_inclusive",        "gateways",
    "credits_enabled",   "credits_min_deposit", "credits_max_deposit",  "auto_activate",
    "auto_suspend_days", "auto_terminate_days", "renewal_invoice_days", "signup_enabled",
    "billing_enabled",   "billing_licensed",    "downgrades_immediate",
};

#define N_KEYS (sizeof settings_keys / sizeof settings_keys[0])

/* Writes what differs between cur and next, and one audit entry listing each change with its old
 * and new value. Inside the caller's transaction. 0 or -1. */
static int settings_write(sqlite3 *conn, const struct request *req, const struct settings *cur,
                          const struct settings *next, int64_t now)
{
    sqlite3_stmt *st =
        db_prepare(conn, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)");
    cJSON *details = cJSON_CreateObject();
    cJSON *changes = cJSON_AddObjectToObject(details, "changes");
    int rc = -1;

    if (!st || !changes)
        goto done;
    for (size_t i = 0; i < N_KEYS; i++) {
        char before[160], after[160];
        cJSON *change;

        settings_text(cur, settings_keys[i], before, sizeof before);
        settings_text(next, settings_keys[i], after, sizeof after);
        if (strcmp(before, after) == 0)
            continue;
        sqlite3_bind_text(st, 1, settings_keys[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, after, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto done;
        sqlite3_reset(st);
        if (!(change = cJSON_AddObjectToObject(changes, settings_keys[i])) ||
            !cJSON_AddStringToObject(change, "from", before) ||
            !cJSON_AddStringToObject(change, "to", after))
            goto done;
    }
    rc = operator_audit(conn, req, "settings.update", "settings", 0, NULL, details, now);
done:
    db_finalize(st);
    cJSON_Delete(details);
    return rc;
}

/* A member that must be a boolean when present. */
static void patch_bool(const cJSON *obj, const char *name, const char *field, struct reply *rep,
                       bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    if (!v)
        return;
    if (cJSON_IsBool(v))
        *out = cJSON_IsTrue(v);
    else
        reply_field(rep, field, "must be true or false");
}

/* A member that must be an integer in [lo, hi] when present. */
static void patch_int(const cJSON *obj, const char *name, const char *field, int64_t lo, int64_t hi,
                      struct reply *rep, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    char message[80];
    int64_t n;

    if (!v)
        return;
    if (json_get_int(v, &n) && n >= lo && n <= hi) {
        *out = (int)n;
        return;
    }
    snprintf(message, sizeof message, "must be an integer from %lld to %lld", (long long)lo,
             (long long)hi);
    reply_field(rep, field, message);
}

/* A member that must be a string of lo..hi bytes when present. */
static void patch_text(const cJSON *obj, const char *name, const char *field, size_t lo, size_t hi,
                       struct reply *rep, char *out, size_t size)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    char message[80];

    if (!v)
        return;
    if (cJSON_IsString(v) && strlen(v->valuestring) >= lo && strlen(v->valuestring) <= hi) {
        snprintf(out, size, "%s", v->valuestring);
        return;
    }
    snprintf(message, sizeof message, "must be a string of %zu to %zu characters", lo, hi);
    reply_field(rep, field, message);
}

/* An object member (currency, tax) that must have at least one property when present. */
static const cJSON *patch_object(const cJSON *body, const char *name, struct reply *rep)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);

    if (!v)
        return NULL;
    if (cJSON_IsObject(v) && v->child)
        return v;
    reply_field(rep, name, "must be an object with at least one member");
    return NULL;
}

static void patch_currency(const cJSON *c, struct reply *rep, struct settings *next)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(c, "code");

    if (code) {
        if (cJSON_IsString(code) && strlen(code->valuestring) == 3 &&
            strspn(code->valuestring, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3)
            memcpy(next->currency_code, code->valuestring, 4);
        else
            reply_field(rep, "currency.code", "must be three capital letters (ISO 4217)");
    }
    patch_text(c, "symbol", "currency.symbol", 0, 7, rep, next->currency_symbol,
               sizeof next->currency_symbol);
    patch_int(c, "exponent", "currency.exponent", 0, 4, rep, &next->currency_exponent);
}

/* gateways: a subset of stripe and paypal, no repeats; credits follow credits_enabled. */
static void patch_gateways(const cJSON *body, struct reply *rep, bool *stripe, bool *paypal)
{
    const cJSON *gw = cJSON_GetObjectItemCaseSensitive(body, "gateways"), *g;
    bool s = false, p = false;

    if (!gw)
        return;
    if (!cJSON_IsArray(gw)) {
        reply_field(rep, "gateways", "must be an array of stripe, paypal");
        return;
    }
    cJSON_ArrayForEach(g, gw)
    {
        bool *seen = !cJSON_IsString(g)                      ? NULL
                     : strcmp(g->valuestring, "stripe") == 0 ? &s
                     : strcmp(g->valuestring, "paypal") == 0 ? &p
                                                             : NULL;
        if (!seen || *seen) {
            reply_field(rep, "gateways",
                        seen ? "must not repeat a gateway" : "must each be stripe or paypal");
            return;
        }
        *seen = true;
    }
    *stripe = s;
    *paypal = p;
}

/* Applies the patch onto next, recording a field error for each bad member. */
static void settings_patch(const struct request *req, struct reply *rep, const struct settings *cur,
                           struct settings *next)
{
    static const char *const known[] = {
        "currency",
        "tax",
        "gateways",
        "credits_enabled",
        "credits_min_deposit",
        "credits_max_deposit",
        "auto_activate",
        "auto_suspend_days",
        "auto_terminate_days",
        "renewal_invoice_days",
        "downgrades_immediate",
        "signup_enabled",
        "billing_enabled",
        "billing_licensed",
    };
    const cJSON *body = req->json, *item, *c, *t;
    bool stripe = settings_has_gateway(cur, "stripe"), paypal = settings_has_gateway(cur, "paypal");
    int64_t amount;

    if (!body->child)
        reply_field(rep, "settings", "send at least one setting to change");
    cJSON_ArrayForEach(item, body)
    {
        size_t i;
        for (i = 0; i < sizeof known / sizeof known[0] && strcmp(known[i], item->string); i++)
            ;
        if (i == sizeof known / sizeof known[0])
            reply_field(rep, item->string, "is not a setting");
    }
    if ((c = patch_object(body, "currency", rep)))
        patch_currency(c, rep, next);
    if ((t = patch_object(body, "tax", rep))) {
        patch_bool(t, "enabled", "tax.enabled", rep, &next->tax_enabled);
        patch_text(t, "name", "tax.name", 1, 32, rep, next->tax_name, sizeof next->tax_name);
        patch_int(t, "rate_bps", "tax.rate_bps", 0, 10000, rep, &next->tax_rate_bps);
        patch_bool(t, "inclusive", "tax.inclusive", rep, &next->tax_inclusive);
    }
    patch_gateways(body, rep, &stripe, &paypal);
    patch_bool(body, "credits_enabled", "credits_enabled", rep, &next->credits_enabled);
    snprintf(next->gateways, sizeof next->gateways, "%s%s%s%s%s", stripe ? "stripe" : "",
             stripe && paypal ? "," : "", paypal ? "paypal" : "",
             (stripe || paypal) && next->credits_enabled ? "," : "",
             next->credits_enabled ? "credits" : "");
    if (operator_money(req, rep, cur, "credits_min_deposit", false, &amount)) {
        if (amount >= 1 && amount <= DEPOSIT_MAX)
            next->credits_min_deposit = amount;
        else
            reply_field(rep, "credits_min_deposit.amount", "must be positive");
    }
    if (operator_money(req, rep, cur, "credits_max_deposit", false, &amount)) {
        if (amount >= 1 && amount <= DEPOSIT_MAX)
            next->credits_max_deposit = amount;
        else
            reply_field(rep, "credits_max_deposit.amount", "must be positive");
    }
    if (next->credits_min_deposit > next->credits_max_deposit)
        reply_field(rep, "credits_max_deposit", "must not be below credits_min_deposit");
    patch_bool(body, "auto_activate", "auto_activate", rep, &next->auto_activate);
    patch_int(body, "auto_suspend_days", "auto_suspend_days", 0, DAYS_MAX, rep,
              &next->auto_suspend_days);
    patch_int(body, "auto_terminate_days", "auto_terminate_days", 0, DAYS_MAX, rep,
              &next->auto_terminate_days);
    patch_int(body, "renewal_invoice_days", "renewal_invoice_days", 0, 60, rep,
              &next->renewal_invoice_days);
    patch_bool(body, "downgrades_immediate", "downgrades_immediate", rep,
               &next->downgrades_immediate);
    patch_bool(body, "signup_enabled", "signup_enabled", rep, &next->signup_enabled);
    patch_bool(body, "billing_enabled", "billing_enabled", rep, &next->billing_enabled);
    patch_bool(body, "billing_licensed", "billing_licensed", rep, &next->billing_licensed);
}

void handle_admin_settings_patch(struct request *req, struct reply *rep)
{
    struct settings cur, next;
    int64_t now = clock_now(req->app), invoices = 0;
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn = db_acquire(req->app->db);

    /* Read, check and write under one transaction: two operators' patches never interleave. */
    if (db_begin(conn) != 0 || settings_load(conn, &cur) != 0)
        goto done;
    next = cur;
    settings_patch(req, rep, &cur, &next);
    /* Amounts already issued are in the old currency's minor units. */
    if ((strcmp(cur.currency_code, next.currency_code) != 0 ||
         cur.currency_exponent != next.currency_exponent) &&
        (invoices = operator_count(conn, "SELECT COUNT(*) FROM invoices", 0, NULL)) != 0) {
        if (invoices < 0)
            goto done;
        reply_field(rep, "currency", "cannot change once invoices exist");
    }
    if (reply_has_fields(rep)) {
        err = API_ERR_VALIDATION_FAILED;
        goto done;
    }
    if (settings_write(conn, req, &cur, &next, now) != 0 || db_commit(conn) != 0)
        goto done;
    err = API_OK;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_ERR_VALIDATION_FAILED)
        reply_validation(rep);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_data(rep, 200, settings_json(&next));
}
