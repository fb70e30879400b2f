/* operator.c: what the operator endpoints share: ids from the path, paging, reasons, money in
 * bodies, and the audit entry of each action. */
#include "billing/operator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/audit.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/text.h"

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX     100
#define PAGE_MAX         2147483647

/* A decimal integer in [1, max], or 0. */
static int64_t operator_parse_id(const char *v, int64_t max)
{
    size_t digits = v ? strspn(v, "0123456789") : 0;
    int64_t n;

    if (digits == 0 || v[digits] != '\0' || digits > 18 || v[0] == '0')
        return 0;
    n = strtoll(v, NULL, 10);
    return n >= 1 && n <= max ? n : 0;
}

bool operator_path_id(const struct request *req, struct reply *rep, size_t i, const char *what,
                      int64_t *id)
{
    char echo[48];

    *id = i < req->n_params ? operator_parse_id(req->params[i], INT64_MAX) : 0;
    if (*id)
        return true;
    reply_error(rep, API_ERR_NOT_FOUND, "No %s with id '%s'.", what,
                text_echo(i < req->n_params ? req->params[i] : "", echo, sizeof echo));
    return false;
}

static int64_t operator_query_int(const struct request *req, struct reply *rep, const char *key,
                                  int64_t max, int64_t fallback, const char *problem)
{
    const char *v = request_query(req, key);
    int64_t n;

    if (!v)
        return fallback;
    if ((n = operator_parse_id(v, max)))
        return n;
    reply_field(rep, key, problem);
    return fallback;
}

void operator_paging(const struct request *req, struct reply *rep, int64_t *page, int64_t *per_page)
{
    *page = operator_query_int(req, rep, "page", PAGE_MAX, 1,
                               "must be a positive integer (at most 2147483647)");
    *per_page = operator_query_int(req, rep, "per_page", PER_PAGE_MAX, PER_PAGE_DEFAULT,
                                   "must be an integer from 1 to 100");
}

int64_t operator_query_id(const struct request *req, struct reply *rep, const char *key)
{
    return operator_query_int(req, rep, key, INT64_MAX, 0, "must be a positive integer");
}

const char *operator_reason(const struct request *req, struct reply *rep)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(req->json, "reason");

    if (!r || cJSON_IsNull(r) || (cJSON_IsString(r) && !*r->valuestring))
        reply_field(rep, "reason", "is required");
    else if (!cJSON_IsString(r))
        reply_field(rep, "reason", "must be a string");
    else if (strlen(r->valuestring) > OPERATOR_REASON_MAX)
        reply_field(rep, "reason", "must be at most 1000 characters");
    else
        return r->valuestring;
    return NULL;
}

bool operator_money(const struct request *req, struct reply *rep, const struct settings *set,
                    const char *field, bool required, int64_t *amount)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(req->json, field);
    const cJSON *a, *c;
    char name[64];

    if (!m || cJSON_IsNull(m)) {
        if (required)
            reply_field(rep, field, "is required");
        return false;
    }
    if (!cJSON_IsObject(m)) {
        reply_field(rep, field, "must be an object {amount, currency}");
        return false;
    }
    a = cJSON_GetObjectItemCaseSensitive(m, "amount");
    c = cJSON_GetObjectItemCaseSensitive(m, "currency");
    snprintf(name, sizeof name, "%s.amount", field);
    if (!json_get_int(a, amount)) {
        reply_field(rep, name, a ? "must be an integer in minor units" : "is required");
        return false;
    }
    snprintf(name, sizeof name, "%s.currency", field);
    if (!cJSON_IsString(c)) {
        reply_field(rep, name, c ? "must be a string" : "is required");
        return false;
    }
    if (strcmp(c->valuestring, set->currency_code) != 0) {
        char message[64];
        snprintf(message, sizeof message, "must be the store's currency, %s", set->currency_code);
        reply_field(rep, name, message);
        return false;
    }
    return true;
}

int operator_audit(sqlite3 *conn, const struct request *req, const char *action,
                   const char *target_type, int64_t target_id, const char *reason,
                   const cJSON *details, int64_t now)
{
    cJSON *d = details ? cJSON_Duplicate(details, true) : cJSON_CreateObject();
    int rc = -1;

    if (!d)
        return -1;
    if (req->api_key_id && !json_add_int(d, "api_key_id", req->api_key_id))
        goto done;
    rc = audit_record(conn, req->user_id, action, target_type, target_id, reason, d, now);
done:
    cJSON_Delete(d);
    return rc;
}

int64_t operator_count(sqlite3 *conn, const char *sql, int64_t id, const char *text)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t n = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (text)
        sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return n;
}

int operator_user_exists(sqlite3 *conn, int64_t user_id)
{
    int64_t n = operator_count(conn, "SELECT COUNT(*) FROM users WHERE id = ?", user_id, NULL);

    return n < 0 ? -1 : n > 0;
}
