/* handlers_apikeys.c: an account's API keys: list, create (the secret shown once), revoke. */
#include "billing/handlers_admin.h"

#include <string.h>

#include "billing/apikey.h"
#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/operator.h"
#include "billing/rfc3339.h"

#define APIKEY_NAME_MAX 100

void handle_api_keys_list(struct request *req, struct reply *rep)
{
    sqlite3 *conn = db_acquire(req->app->db);
    cJSON *list = apikey_list(conn, req->user_id);

    db_release(req->app->db);
    if (!list)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        reply_data(rep, 200, list);
}

/* The scopes array: every item a known scope, no repeats, at least one. */
static unsigned apikey_body_scopes(const cJSON *scopes, struct reply *rep)
{
    const cJSON *item;
    unsigned bits = 0;

    if (!scopes || cJSON_IsNull(scopes)) {
        reply_field(rep, "scopes", "is required");
        return 0;
    }
    if (!cJSON_IsArray(scopes) || cJSON_GetArraySize(scopes) == 0) {
        reply_field(rep, "scopes", "must be a non-empty array of billing, ssh, admin");
        return 0;
    }
    cJSON_ArrayForEach(item, scopes)
    {
        unsigned bit = cJSON_IsString(item) ? apikey_scopes_parse(item->valuestring) : 0;

        /* apikey_scopes_parse splits on spaces: "billing admin" is not one scope. */
        if (!bit || strchr(item->valuestring, ' ')) {
            reply_field(rep, "scopes", "must each be billing, ssh or admin");
            return 0;
        }
        if (bits & bit) {
            reply_field(rep, "scopes", "must not repeat a scope");
            return 0;
        }
        bits |= bit;
    }
    return bits;
}

void handle_api_key_create(struct request *req, struct reply *rep)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(req->json, "name");
    const cJSON *expires = cJSON_GetObjectItemCaseSensitive(req->json, "expires_at");
    struct apikey_new in = {0};
    int64_t now = clock_now(req->app), id = 0;
    enum api_error err = API_ERR_INTERNAL;
    cJSON *key = NULL;
    sqlite3 *conn;

    if (!name || cJSON_IsNull(name) || (cJSON_IsString(name) && !*name->valuestring))
        reply_field(rep, "name", "is required");
    else if (!cJSON_IsString(name))
        reply_field(rep, "name", "must be a string");
    else if (strlen(name->valuestring) > APIKEY_NAME_MAX)
        reply_field(rep, "name", "must be at most 100 characters");
    else
        in.name = name->valuestring;
    in.scopes = apikey_body_scopes(cJSON_GetObjectItemCaseSensitive(req->json, "scopes"), rep);
    if (expires && !cJSON_IsNull(expires)) {
        if (!cJSON_IsString(expires) || !rfc3339_parse(expires->valuestring, &in.expires_at))
            reply_field(rep, "expires_at", "must be an RFC 3339 date-time");
        else if (in.expires_at <= now)
            reply_field(rep, "expires_at", "must be in the future");
    }
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    if ((in.scopes & (AUTH_SCOPE_SSH | AUTH_SCOPE_ADMIN)) && !req->admin) {
        reply_error(rep, API_ERR_FORBIDDEN,
                    "Only operators may create keys with the scope 'ssh' or 'admin'.");
        return;
    }
    conn = db_acquire(req->app->db);
    if (db_begin(conn) == 0) {
        err = apikey_create(conn, req->user_id, &in, now, &key, &id);
        /* Keys that reach operator powers are operator actions: keep a trace. */
        if (err == API_OK && (in.scopes & (AUTH_SCOPE_SSH | AUTH_SCOPE_ADMIN)) &&
            operator_audit(conn, req, "api_key.create", "api_key", id, NULL, NULL, now) != 0)
            err = API_ERR_INTERNAL;
        if (err != API_OK || db_commit(conn) != 0) {
            err = err == API_OK ? API_ERR_INTERNAL : err;
            cJSON_Delete(key);
            key = NULL;
        }
    }
    db_rollback(conn);
    db_release(req->app->db);
    rep->no_store = true;
    if (err == API_ERR_VALIDATION_FAILED) {
        reply_field(rep, "api_keys", "an account holds at most 20 keys; revoke one first");
        reply_validation(rep);
    } else if (err != API_OK) {
        reply_error(rep, err, NULL);
    } else {
        reply_data(rep, 201, key);
    }
}

void handle_api_key_delete(struct request *req, struct reply *rep)
{
    int64_t id, now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "API key", &id))
        return;
    conn = db_acquire(req->app->db);
    if (db_begin(conn) == 0) {
        err = apikey_revoke(conn, req->user_id, id, now);
        if (err == API_OK && req->admin &&
            operator_audit(conn, req, "api_key.revoke", "api_key", id, NULL, NULL, now) != 0)
            err = API_ERR_INTERNAL;
        if (err == API_OK && db_commit(conn) != 0)
            err = API_ERR_INTERNAL;
    }
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "You have no API key with id %lld.", (long long)id);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_empty(rep, 204);
}
