/* handlers_admin_audit.c: the audit log as operators read it: who (an operator, their API key, or
 * the system), did what, to which record, why and when; newest first. */
#include "billing/handlers_admin.h"

#include <string.h>

#include "billing/app.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/operator.h"
#include "billing/timestamp.h"

static const char *const audit_target_types[] = {
    "user",   "service",  "invoice", "order",    "payment",
    "coupon", "settings", "api_key", "category", "product",
};

enum {
    COL_ID,
    COL_ACTOR,
    COL_ACTION,
    COL_TARGET_TYPE,
    COL_TARGET_ID,
    COL_REASON,
    COL_DETAILS,
    COL_AT,
    COL_USER_NAME,
    COL_KEY_ID,
    COL_KEY_NAME,
    COL_SYSTEM_NAME,
};

/* ?1 actor (0: any), ?2 target type (NULL: any), ?3 target id (0: any). */
#define AUDIT_FILTER                                                                               \
    " WHERE (?1 = 0 OR a.actor_id = ?1) AND (?2 IS NULL OR a.target_type = ?2)"                    \
    " AND (?3 = 0 OR a.target_id = ?3)"

static cJSON *audit_actor_json(sqlite3_stmt *st)
{
    cJSON *actor = cJSON_CreateObject();
    bool by_key = sqlite3_column_type(st, COL_KEY_ID) != SQLITE_NULL;
    bool system = sqlite3_column_int64(st, COL_ACTOR) == 0;
    const char *name;

    if (!actor)
        return NULL;
    if (system) {
        name = sqlite3_column_type(st, COL_SYSTEM_NAME) == SQLITE_TEXT
                   ? db_text(st, COL_SYSTEM_NAME)
                   : "scheduler";
        if (!cJSON_AddStringToObject(actor, "type", "system") ||
            !cJSON_AddNullToObject(actor, "id") || !cJSON_AddStringToObject(actor, "name", name))
            goto fail;
        return actor;
    }
    if (!cJSON_AddStringToObject(actor, "type", by_key ? "api_key" : "user") ||
        !json_add_int(actor, "id", sqlite3_column_int64(st, by_key ? COL_KEY_ID : COL_ACTOR)) ||
        !cJSON_AddStringToObject(actor, "name", db_text(st, by_key ? COL_KEY_NAME : COL_USER_NAME)))
        goto fail;
    /* A key acts for its owner: name the account too. */
    if (by_key && !json_add_int(actor, "user_id", sqlite3_column_int64(st, COL_ACTOR)))
        goto fail;
    return actor;
fail:
    cJSON_Delete(actor);
    return NULL;
}

static cJSON *audit_entry_json(sqlite3_stmt *st)
{
    cJSON *e = cJSON_CreateObject(), *target, *details;
    bool no_target = sqlite3_column_int64(st, COL_TARGET_ID) == 0;
    const char *reason = db_text(st, COL_REASON);

    if (!e || !json_add_int(e, "id", sqlite3_column_int64(st, COL_ID)) ||
        !cJSON_AddItemToObject(e, "actor", audit_actor_json(st)) ||
        !cJSON_AddStringToObject(e, "action", db_text(st, COL_ACTION)) ||
        !(target = cJSON_AddObjectToObject(e, "target")) ||
        !cJSON_AddStringToObject(target, "type", db_text(st, COL_TARGET_TYPE)) ||
        !(no_target ? cJSON_AddNullToObject(target, "id")
                    : json_add_int(target, "id", sqlite3_column_int64(st, COL_TARGET_ID))) ||
        !(*reason ? cJSON_AddStringToObject(e, "reason", reason)
                  : cJSON_AddNullToObject(e, "reason")) ||
        !json_add_timestamp_col(e, "at", st, COL_AT))
        goto fail;
    /* What changed (amounts, settings before and after), as recorded. */
    details = cJSON_Parse(db_text(st, COL_DETAILS));
    if (!cJSON_IsObject(details)) {
        cJSON_Delete(details);
        details = cJSON_CreateObject();
    }
    if (!cJSON_AddItemToObject(e, "details", details)) {
        cJSON_Delete(details);
        goto fail;
    }
    return e;
fail:
    cJSON_Delete(e);
    return NULL;
}

static void audit_bind(sqlite3_stmt *st, int64_t actor, const char *type, int64_t target)
{
    sqlite3_bind_int64(st, 1, actor);
    if (type)
        sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, target);
}

static enum api_error audit_page(sqlite3 *conn, int64_t actor, const char *type, int64_t target,
                                 int64_t limit, int64_t offset, cJSON **items, int64_t *total)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM audit_log a" AUDIT_FILTER);
    int rc;

    *items = NULL;
    if (!st)
        return API_ERR_INTERNAL;
    audit_bind(st, actor, type, target);
    rc = sqlite3_step(st);
    *total = sqlite3_column_int64(st, 0);
    db_finalize(st);
    if (rc != SQLITE_ROW || !(*items = cJSON_CreateArray()))
        return API_ERR_INTERNAL;
    st = db_prepare(
        conn, "SELECT a.id, a.actor_id, a.action, a.target_type, a.target_id, a.reason,"
              " a.details, a.created_at, u.name, k.id, k.name,"
              " json_extract(CASE WHEN json_valid(a.details) THEN a.details END, '$.actor') "
              "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
              " LEFT JOIN api_keys k ON k.id = json_extract("
              "  CASE WHEN json_valid(a.details) THEN a.details END, '$.api_key_id')" AUDIT_FILTER
              " ORDER BY a.id DESC LIMIT ?4 OFFSET ?5");
    if (!st)
        goto fail;
    audit_bind(st, actor, type, target);
    sqlite3_bind_int64(st, 4, limit);
    sqlite3_bind_int64(st, 5, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(*items, audit_entry_json(st)))
            goto fail;
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return API_OK;
fail:
    db_finalize(st);
    cJSON_Delete(*items);
    *items = NULL;
    return API_ERR_INTERNAL;
}

void handle_admin_audit_log(struct request *req, struct reply *rep)
{
    const char *type = request_query(req, "target_type");
    int64_t page, per_page, actor, target, total = 0;
    enum api_error err;
    cJSON *items = NULL;
    sqlite3 *conn;

    operator_paging(req, rep, &page, &per_page);
    actor = operator_query_id(req, rep, "actor_id");
    target = operator_query_id(req, rep, "target_id");
    if (type) {
        size_t i, n = sizeof audit_target_types / sizeof audit_target_types[0];
        for (i = 0; i < n && strcmp(type, audit_target_types[i]) != 0; i++)
            ;
        if (i == n) {
            reply_field(rep, "target_type",
                        "must be one of user, service, invoice, order, payment, coupon, "
                        "settings, api_key, category, product");
            type = NULL;
        } else {
            type = audit_target_types[i];
        }
    } else if (target) {
        reply_field(rep, "target_type", "is required with target_id");
    }
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    err = audit_page(conn, actor, type, target, per_page, (page - 1) * per_page, &items, &total);
    db_release(req->app->db);
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}
