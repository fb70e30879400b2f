/* settings.c: the shop's settings: typed defaults, loading, and overrides from a catalog file. */
#include "billing/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/text.h"

enum setting_type { SETTING_BOOL, SETTING_INT, SETTING_TEXT, SETTING_LIST };

/* Every setting with its type and default; `lo`/`hi` bound integers and the length of text. */
static const struct {
    const char *key;
    enum setting_type type;
    const char *value;
    long lo, hi;
} settings_defaults[] = {
    {"currency_code", SETTING_TEXT, "USD", 1, 7},
    {"currency_symbol", SETTING_TEXT, "$", 0, 7},
    {"currency_exponent", SETTING_INT, "2", 0, 4},
    {"tax_enabled", SETTING_BOOL, "1", 0, 1},
    {"tax_name", SETTING_TEXT, "VAT", 0, 32},
    {"tax_rate_bps", SETTING_INT, "2000", 0, 10000},
    {"tax_inclusive", SETTING_BOOL, "0", 0, 1},
    {"credits_enabled", SETTING_BOOL, "1", 0, 1},
    {"auto_activate", SETTING_BOOL, "1", 0, 1},
    {"signup_enabled", SETTING_BOOL, "1", 0, 1},
    {"billing_enabled", SETTING_BOOL, "1", 0, 1},
    {"billing_licensed", SETTING_BOOL, "1", 0, 1},
    {"gateways", SETTING_LIST, "stripe,paypal,credits", 0, 127},
    {"credits_min_deposit", SETTING_INT, "500", 1, 100000000000L},
    {"credits_max_deposit", SETTING_INT, "50000", 1, 100000000000L},
    {"auto_suspend_days", SETTING_INT, "3", 0, 3650},
    {"auto_terminate_days", SETTING_INT, "14", 0, 3650},
    {"renewal_invoice_days", SETTING_INT, "7", 0, 60},
    {"downgrades_immediate", SETTING_BOOL, "0", 0, 1},
};

#define N_DEFAULTS (sizeof settings_defaults / sizeof settings_defaults[0])

static void settings_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static int settings_int(const char *v, int lo, int hi, int fallback)
{
    char *end;
    long n = strtol(v, &end, 10);

    return (*v && !*end && n >= lo && n <= hi) ? (int)n : fallback;
}

static int64_t settings_int64(const char *v, int64_t lo, int64_t hi, int64_t fallback)
{
    char *end;
    long long n = strtoll(v, &end, 10);

    return (*v && !*end && n >= lo && n <= hi) ? (int64_t)n : fallback;
}

static bool settings_bool(const char *v)
{
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

static void settings_apply(struct settings *s, const char *key, const char *v)
{
    if (strcmp(key, "currency_code") == 0)
        settings_copy(s->currency_code, sizeof s->currency_code, v);
    else if (strcmp(key, "currency_symbol") == 0)
        settings_copy(s->currency_symbol, sizeof s->currency_symbol, v);
    else if (strcmp(key, "currency_exponent") == 0)
        s->currency_exponent = settings_int(v, 0, 4, 2);
    else if (strcmp(key, "tax_enabled") == 0)
        s->tax_enabled = settings_bool(v);
    else if (strcmp(key, "tax_name") == 0)
        settings_copy(s->tax_name, sizeof s->tax_name, v);
    else if (strcmp(key, "tax_rate_bps") == 0)
        s->tax_rate_bps = settings_int(v, 0, 10000, 0);
    else if (strcmp(key, "tax_inclusive") == 0)
        s->tax_inclusive = settings_bool(v);
    else if (strcmp(key, "credits_enabled") == 0)
        s->credits_enabled = settings_bool(v);
    else if (strcmp(key, "auto_activate") == 0)
        s->auto_activate = settings_bool(v);
    else if (strcmp(key, "signup_enabled") == 0)
        s->signup_enabled = settings_bool(v);
    else if (strcmp(key, "billing_enabled") == 0)
        s->billing_enabled = settings_bool(v);
    else if (strcmp(key, "billing_licensed") == 0)
        s->billing_licensed = settings_bool(v);
    else if (strcmp(key, "gateways") == 0)
        settings_copy(s->gateways, sizeof s->gateways, v);
    else if (strcmp(key, "credits_min_deposit") == 0)
        s->credits_min_deposit = settings_int64(v, 1, 100000000000LL, 500);
    else if (strcmp(key, "credits_max_deposit") == 0)
        s->credits_max_deposit = settings_int64(v, 1, 100000000000LL, 50000);
    else if (strcmp(key, "auto_suspend_days") == 0)
        s->auto_suspend_days = settings_int(v, 0, 3650, 3);
    else if (strcmp(key, "auto_terminate_days") == 0)
        s->auto_terminate_days = settings_int(v, 0, 3650, 14);
    else if (strcmp(key, "renewal_invoice_days") == 0)
        s->renewal_invoice_days = settings_int(v, 0, 60, 7);
    else if (strcmp(key, "downgrades_immediate") == 0)
        s->downgrades_immediate = settings_bool(v);
}

int settings_load(sqlite3 *conn, struct settings *s)
{
    sqlite3_stmt *st;
    int rc;

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < N_DEFAULTS; i++)
        settings_apply(s, settings_defaults[i].key, settings_defaults[i].value);
    st = db_prepare(conn, "SELECT key, value FROM settings");
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        settings_apply(s, db_text(st, 0), db_text(st, 1));
    db_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int settings_seed(sqlite3 *conn)
{
    sqlite3_stmt *st = db_prepare(conn, "INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)");
    int rc = 0;

    if (!st)
        return -1;
    for (size_t i = 0; i < N_DEFAULTS && rc == 0; i++) {
        sqlite3_bind_text(st, 1, settings_defaults[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, settings_defaults[i].value, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(st);
    }
    db_finalize(st);
    return rc;
}

/* The text form of one JSON setting value, checked against its type; 0 or -1. */
static int settings_value(int i, const cJSON *v, char *out, size_t size)
{
    const cJSON *item;
    size_t len = 0;
    int64_t n;

    switch (settings_defaults[i].type) {
    case SETTING_BOOL:
        if (!cJSON_IsBool(v))
            return -1;
        snprintf(out, size, "%d", cJSON_IsTrue(v) ? 1 : 0);
        return 0;
    case SETTING_INT:
        if (!json_get_int(v, &n) || n < settings_defaults[i].lo || n > settings_defaults[i].hi)
            return -1;
        snprintf(out, size, "%lld", (long long)n);
        return 0;
    case SETTING_TEXT:
        if (!cJSON_IsString(v) || strlen(v->valuestring) < (size_t)settings_defaults[i].lo ||
            strlen(v->valuestring) > (size_t)settings_defaults[i].hi)
            return -1;
        snprintf(out, size, "%s", v->valuestring);
        return 0;
    case SETTING_LIST:
        if (!cJSON_IsArray(v))
            return -1;
        out[0] = '\0';
        cJSON_ArrayForEach(item, v)
        {
            /* Names are words: a comma or space would split one into two. */
            if (!cJSON_IsString(item) || !*item->valuestring ||
                strpbrk(item->valuestring, ", \t") ||
                len + strlen(item->valuestring) + 1 > (size_t)settings_defaults[i].hi)
                return -1;
            len +=
                (size_t)snprintf(out + len, size - len, "%s%s", len ? "," : "", item->valuestring);
        }
        return 0;
    }
    return -1;
}

int settings_import(sqlite3 *conn, const cJSON *obj, char *err, size_t errsz)
{
    sqlite3_stmt *st;
    const cJSON *v;
    int rc = 0;

    if (!obj)
        return 0;
    if (!cJSON_IsObject(obj)) {
        snprintf(err, errsz, "settings must be an object");
        return -1;
    }
    st = db_prepare(conn, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)");
    if (!st) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(conn));
        return -1;
    }
    cJSON_ArrayForEach(v, obj)
    {
        char value[160];
        size_t i;

        for (i = 0; i < N_DEFAULTS && strcmp(v->string, settings_defaults[i].key) != 0; i++)
            ;
        if (i == N_DEFAULTS || settings_value((int)i, v, value, sizeof value) != 0) {
            char echo[48];
            snprintf(err, errsz, "settings.%s: %s", text_echo(v->string, echo, sizeof echo),
                     i == N_DEFAULTS ? "no such setting" : "wrong type or out of range");
            rc = -1;
            break;
        }
        sqlite3_bind_text(st, 1, settings_defaults[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) {
            snprintf(err, errsz, "%s", sqlite3_errmsg(conn));
            rc = -1;
            break;
        }
        sqlite3_reset(st);
    }
    db_finalize(st);
    return rc;
}

/* One stored value in its setting's JSON type. */
static cJSON *settings_json_value(size_t i, const char *v)
{
    cJSON *list;
    char copy[160], *save = NULL;

    switch (settings_defaults[i].type) {
    case SETTING_BOOL:
        return cJSON_CreateBool(settings_bool(v));
    case SETTING_INT:
        return cJSON_CreateNumber(
            (double)settings_int64(v, settings_defaults[i].lo, settings_defaults[i].hi,
                                   strtoll(settings_defaults[i].value, NULL, 10)));
    case SETTING_TEXT:
        return cJSON_CreateString(v);
    case SETTING_LIST:
        if (!(list = cJSON_CreateArray()))
            return NULL;
        snprintf(copy, sizeof copy, "%s", v);
        for (char *g = strtok_r(copy, ", ", &save); g; g = strtok_r(NULL, ", ", &save))
            if (!cJSON_AddItemToArray(list, cJSON_CreateString(g))) {
                cJSON_Delete(list);
                return NULL;
            }
        return list;
    }
    return NULL;
}

cJSON *settings_export(sqlite3 *conn)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT value FROM settings WHERE key = ?");
    cJSON *obj = cJSON_CreateObject();

    if (!st || !obj)
        goto fail;
    for (size_t i = 0; i < N_DEFAULTS; i++) {
        const char *v = settings_defaults[i].value;
        int rc;

        sqlite3_bind_text(st, 1, settings_defaults[i].key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            v = db_text(st, 0);
        else if (rc != SQLITE_DONE)
            goto fail;
        if (!cJSON_AddItemToObject(obj, settings_defaults[i].key, settings_json_value(i, v)))
            goto fail;
        sqlite3_reset(st);
    }
    db_finalize(st);
    return obj;
fail:
    db_finalize(st);
    cJSON_Delete(obj);
    return NULL;
}
