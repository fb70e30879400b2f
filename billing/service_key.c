/* service_key.c: the embedded server mints settd its own `ssh` service key at start, owned by an
 * internal operator account that cannot sign in. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "billing/apikey.h"
#include "billing/app.h"
#include "billing/billingd.h"
#include "billing/clock.h"
#include "billing/db.h"

/* The internal operator that owns the service keys, created on first use inside the caller's
 * transaction. It has no password, so no one signs in as it; its e-mail is in the reserved
 * .invalid domain, so no real address can take it. 0 on error. */
static int64_t service_key_owner(sqlite3 *conn)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM users WHERE email = ? AND role = 'admin'");
    int64_t id = 0;

    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, BILLINGD_SERVICE_EMAIL, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    db_finalize(st);
    if (id)
        return id;
    st = db_prepare(conn, "INSERT INTO users(email, name, password_hash, role)"
                          " VALUES (?, ?, NULL, 'admin')");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, BILLINGD_SERVICE_EMAIL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, BILLINGD_SERVICE_NAME, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(conn);
    db_finalize(st);
    return id;
}

static int service_key_revoke_named(sqlite3 *conn, int64_t user_id, const char *name, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? "
                                        "AND name = ? AND revoked_at IS NULL");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    return rc;
}

int billingd_service_key(struct billingd *d, const char *name, char *out, size_t outsz, char *err,
                         size_t errsz)
{
    struct apikey_new in = {.name = name, .scopes = AUTH_SCOPE_SSH, .expires_at = 0};
    const cJSON *secret;
    cJSON *created = NULL;
    int64_t user_id, key_id, now = clock_now(d);
    sqlite3 *conn = db_acquire(d->db);
    int rc = -1;

    if (db_begin(conn) != 0) {
        snprintf(err, errsz, "database busy: %s", sqlite3_errmsg(conn));
        goto done;
    }
    if (!(user_id = service_key_owner(conn))) {
        snprintf(err, errsz, "cannot create the service account %s: %s", BILLINGD_SERVICE_EMAIL,
                 sqlite3_errmsg(conn));
        goto done;
    }
    if (service_key_revoke_named(conn, user_id, name, now) != 0 ||
        apikey_create(conn, user_id, &in, now, &created, &key_id) != API_OK) {
        snprintf(err, errsz, "cannot create the service key (the operator has %d keys?)",
                 APIKEY_MAX);
        goto done;
    }
    secret = cJSON_GetObjectItemCaseSensitive(created, "key");
    if (!cJSON_IsString(secret) || strlen(secret->valuestring) >= outsz) {
        snprintf(err, errsz, "the service key does not fit");
        goto done;
    }
    if (db_commit(conn) != 0) {
        snprintf(err, errsz, "cannot store the service key: %s", sqlite3_errmsg(conn));
        goto done;
    }
    snprintf(out, outsz, "%s", secret->valuestring);
    rc = 0;
done:
    if (rc != 0)
        db_rollback(conn);
    db_release(d->db);
    cJSON_Delete(created);
    return rc;
}
