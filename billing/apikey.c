/* apikey.c: long-lived `bp_` API keys with scopes: created once, stored as hashes, revocable. */
#include "billing/apikey.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

#define APIKEY_RANDOM_CHARS 40

static const char apikey_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static const struct {
    const char *name;
    unsigned bit;
} apikey_scope_names[] = {
    {"billing", AUTH_SCOPE_BILLING},
    {"ssh", AUTH_SCOPE_SSH},
    {"admin", AUTH_SCOPE_ADMIN},
};

#define N_SCOPES (sizeof apikey_scope_names / sizeof apikey_scope_names[0])

bool apikey_looks_like(const char *token, size_t len)
{
    return len >= 3 && memcmp(token, "bp_", 3) == 0;
}

unsigned apikey_scopes_parse(const char *text)
{
    unsigned bits = 0;

    while (*text) {
        size_t n;

        text += strspn(text, " ");
        n = strcspn(text, " ");
        for (size_t i = 0; i < N_SCOPES; i++)
            if (strlen(apikey_scope_names[i].name) == n &&
                memcmp(apikey_scope_names[i].name, text, n) == 0)
                bits |= apikey_scope_names[i].bit;
        text += n;
    }
    return bits;
}

/* "billing ssh admin" in a fixed order, from the bits. */
static void apikey_scopes_text(unsigned bits, char *out, size_t size)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < N_SCOPES; i++)
        if (bits & apikey_scope_names[i].bit)
            len += (size_t)snprintf(out + len, size - len, "%s%s", len ? " " : "",
                                    apikey_scope_names[i].name);
}

static cJSON *apikey_scopes_json(unsigned bits)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; a && i < N_SCOPES; i++) {
        if ((bits & apikey_scope_names[i].bit) &&
            !cJSON_AddItemToArray(a, cJSON_CreateString(apikey_scope_names[i].name))) {
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

enum api_error apikey_authenticate(sqlite3 *conn, const unsigned char *hash, int64_t now,
                                   struct auth_caller *out)
{
    enum api_error err = API_ERR_INTERNAL;
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT k.id, k.user_id, k.scopes, u.role = 'admin' "
                         "FROM api_keys k JOIN users u ON u.id = k.user_id "
                         "WHERE k.key_hash = ? AND k.revoked_at IS NULL "
                         "AND (k.expires_at IS NULL OR k.expires_at > ?) AND u.disabled = 0");

    if (!st)
        return err;
    sqlite3_bind_blob(st, 1, hash, crypto_hash_sha256_BYTES, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        out->api_key_id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        out->scopes = apikey_scopes_parse(db_text(st, 2));
        out->admin = sqlite3_column_int(st, 3);
        err = API_OK;
        break;
    case SQLITE_DONE:
        err = API_ERR_INVALID_TOKEN;
        break;
    default:
        break;
    }
    db_finalize(st);
    if (err != API_OK)
        return err;
    /* One write per key and second at most, however busy the key is. */
    st = db_prepare(conn, "UPDATE api_keys SET last_used_at = ?1 "
                          "WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at <> ?1)");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, out->api_key_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        err = API_ERR_INTERNAL;
    db_finalize(st);
    return err;
}

/* One ApiKey object from a row of (id, name, prefix, scopes, created_at, last_used_at,
 * expires_at). */
static cJSON *apikey_json(sqlite3_stmt *st)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *scopes = apikey_scopes_json(apikey_scopes_parse(db_text(st, 3)));

    if (!j || !scopes || !json_add_int(j, "id", sqlite3_column_int64(st, 0)) ||
        !cJSON_AddStringToObject(j, "name", db_text(st, 1)) ||
        !cJSON_AddStringToObject(j, "prefix", db_text(st, 2)) ||
        !cJSON_AddItemToObject(j, "scopes", scopes)) {
        cJSON_Delete(scopes);
        goto fail;
    }
    if (!json_add_timestamp_col(j, "created_at", st, 4) ||
        !json_add_timestamp_col(j, "last_used_at", st, 5) ||
        !json_add_timestamp_col(j, "expires_at", st, 6))
        goto fail;
    return j;
fail:
    cJSON_Delete(j);
    return NULL;
}

#define APIKEY_COLUMNS "id, name, prefix, scopes, created_at, last_used_at, expires_at"

static int64_t apikey_count(sqlite3 *conn, int64_t user_id)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT COUNT(*) FROM api_keys WHERE user_id = ? AND revoked_at IS NULL");
    int64_t n = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return n;
}

enum api_error apikey_create(sqlite3 *conn, int64_t user_id, const struct apikey_new *in,
                             int64_t now, cJSON **out, int64_t *id)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    char key[APIKEY_CHARS], prefix[APIKEY_PREFIX_LEN + 1], scopes[32];
    sqlite3_stmt *st = NULL;
    enum api_error err = API_ERR_INTERNAL;
    int64_t n = apikey_count(conn, user_id);

    *out = NULL;
    *id = 0;
    if (n < 0)
        return API_ERR_INTERNAL;
    if (n >= APIKEY_MAX)
        return API_ERR_VALIDATION_FAILED;
    /* randombytes_uniform has no modulo bias: 40 of 62 symbols is about 238 bits. */
    memcpy(key, "bp_", 3);
    for (int i = 0; i < APIKEY_RANDOM_CHARS; i++)
        key[3 + i] = apikey_alphabet[randombytes_uniform(sizeof apikey_alphabet - 1)];
    key[3 + APIKEY_RANDOM_CHARS] = '\0';
    memcpy(prefix, key, APIKEY_PREFIX_LEN);
    prefix[APIKEY_PREFIX_LEN] = '\0';
    crypto_hash_sha256(hash, (const unsigned char *)key, strlen(key));
    apikey_scopes_text(in->scopes, scopes, sizeof scopes);
    st = db_prepare(conn, "INSERT INTO api_keys(user_id, name, prefix, key_hash, scopes, "
                          "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, in->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 4, hash, sizeof hash, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, scopes, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, now);
    if (in->expires_at)
        sqlite3_bind_int64(st, 7, in->expires_at);
    else
        sqlite3_bind_null(st, 7);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto done;
    db_finalize(st);
    *id = sqlite3_last_insert_rowid(conn);
    st = db_prepare(conn, "SELECT " APIKEY_COLUMNS " FROM api_keys WHERE id = ?");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, *id);
    if (sqlite3_step(st) != SQLITE_ROW || !(*out = apikey_json(st)))
        goto done;
    if (!cJSON_AddStringToObject(*out, "key", key)) {
        cJSON_Delete(*out);
        *out = NULL;
        goto done;
    }
    err = API_OK;
done:
    db_finalize(st);
    sodium_memzero(key, sizeof key);
    return err;
}

cJSON *apikey_list(sqlite3 *conn, int64_t user_id)
{
    cJSON *list = cJSON_CreateArray();
    sqlite3_stmt *st = db_prepare(conn, "SELECT " APIKEY_COLUMNS " FROM api_keys "
                                        "WHERE user_id = ? AND revoked_at IS NULL "
                                        "ORDER BY id DESC");
    int rc;

    if (!list || !st)
        goto fail;
    sqlite3_bind_int64(st, 1, user_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(list, apikey_json(st)))
            goto fail;
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return list;
fail:
    db_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

enum api_error apikey_revoke(sqlite3 *conn, int64_t user_id, int64_t key_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "UPDATE api_keys SET revoked_at = ? "
                                        "WHERE id = ? AND user_id = ? AND revoked_at IS NULL");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, key_id);
    sqlite3_bind_int64(st, 3, user_id);
    if (sqlite3_step(st) == SQLITE_DONE)
        err = sqlite3_changes(conn) == 1 ? API_OK : API_ERR_NOT_FOUND;
    db_finalize(st);
    return err;
}

void apikey_name(sqlite3 *conn, int64_t key_id, char *out, size_t outsz)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT name FROM api_keys WHERE id = ?");

    out[0] = '\0';
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, key_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, outsz, "%s", db_text(st, 0));
    db_finalize(st);
}
