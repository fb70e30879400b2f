/* auth.c: sign-in with argon2id passwords; opaque random tokens stored only as SHA-256 hashes. */
#include "billing/auth.h"

#include <errno.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "billing/apikey.h"
#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"

#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_MAX   512 /* longer Authorization values are not ours: refuse before hashing */

int auth_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

void auth_user_clear(struct auth_user *u)
{
    free(u->email);
    free(u->name);
    memset(u, 0, sizeof *u);
}

void auth_session_clear(struct auth_session *s)
{
    auth_user_clear(&s->user);
    sodium_memzero(s, sizeof *s);
}

int auth_password_hash(const char *password, char *out, size_t outsz)
{
    if (outsz < crypto_pwhash_STRBYTES)
        return -1;
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* What an unknown e-mail (or an account without a password) is checked against: a fixed argon2id
 * hash made with the same cost as real ones (crypto_pwhash_str at OPSLIMIT_INTERACTIVE and
 * MEMLIMIT_INTERACTIVE), so such an attempt takes as long as a wrong password and no password
 * matches it by chance worth worrying about. Keep its parameters in step with
 * auth_password_hash. */
static const char auth_dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$l/TkiUg2Tpvfo7ZPWce1uA$"
    "V5JYF8XKJLq5hy7fPlarKrKDRqzHkWvpaMv2LVWMh90";

/* Runs a password check inside one of the limited slots, waiting for one at most
 * AUTH_PWHASH_WAIT_MS: a flood of sign-ins makes the rest wait a bounded time and then answer
 * server_busy, rather than queue without end. Once in a slot, the gate is asked whether the
 * attempt may still go on (rate_limited if not). A NULL hash is checked against the dummy. */
static enum api_error auth_password_check(struct billingd *app, const char *hash,
                                          const char *password, const struct auth_gate *gate)
{
    struct timespec deadline;
    bool ok;
    int rc;

    if (gate && gate->since)
        deadline = *gate->since;
    else
        clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += AUTH_PWHASH_WAIT_MS / 1000;
    deadline.tv_nsec += (long)(AUTH_PWHASH_WAIT_MS % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    while ((rc = sem_clockwait(&app->pwhash_slots, CLOCK_MONOTONIC, &deadline)) != 0 &&
           errno == EINTR)
        ;
    if (rc != 0)
        return API_ERR_SERVER_BUSY;
    /* asked again now: guesses sent in parallel were let in together, but the failures of
     * those checked meanwhile count against the ones still waiting */
    if (gate && gate->allowed && !gate->allowed(gate->ud)) {
        sem_post(&app->pwhash_slots);
        return API_ERR_RATE_LIMITED;
    }
    ok = crypto_pwhash_str_verify(hash ? hash : auth_dummy_hash, password, strlen(password)) == 0;
    sem_post(&app->pwhash_slots);
    return ok && hash ? API_OK : API_ERR_INVALID_CREDENTIALS;
}

static void auth_token_new(char out[AUTH_TOKEN_CHARS])
{
    unsigned char raw[AUTH_TOKEN_BYTES];

    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_TOKEN_CHARS, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

static void auth_token_hash(const char *token, unsigned char out[crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

const char *auth_email_shown(const char *stored)
{
    return strncmp(stored, AUTH_SSH_EMAIL_PREFIX, strlen(AUTH_SSH_EMAIL_PREFIX)) == 0 ? "" : stored;
}

static int auth_user_fill(sqlite3_stmt *st, int col, struct auth_user *u)
{
    u->id = sqlite3_column_int64(st, col);
    u->email = strdup(auth_email_shown(db_text(st, col + 1)));
    u->name = strdup(db_text(st, col + 2));
    return u->email && u->name ? 0 : -1;
}

/* Inserts one token row (table is a constant). Returns its id, or 0 on error. */
static int64_t auth_token_store(sqlite3 *conn, const char *table, int64_t user_id, int64_t family,
                                const char *token, int64_t now, int64_t ttl)
{
    static const char *const sql[] = {
        "INSERT INTO refresh_tokens(user_id, token_hash, family_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        "INSERT INTO access_tokens(user_id, token_hash, family_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
    };
    unsigned char hash[crypto_hash_sha256_BYTES];
    sqlite3_stmt *st = db_prepare(conn, sql[strcmp(table, "refresh_tokens") == 0 ? 0 : 1]);
    int64_t id = 0;

    if (!st)
        return 0;
    auth_token_hash(token, hash);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, family);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now + ttl);
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(conn);
    db_finalize(st);
    return id;
}

static int auth_exec_id(sqlite3 *conn, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    return rc;
}

/* Issues a new access/refresh pair; family 0 starts a new family (a fresh sign-in). Runs inside
 * the caller's transaction. */
static int auth_issue(sqlite3 *conn, int64_t user_id, int64_t family, struct auth_session *out)
{
    int64_t now = (int64_t)time(NULL);
    int64_t refresh_id;

    auth_token_new(out->refresh_token);
    auth_token_new(out->access_token);
    out->expires_in = AUTH_ACCESS_TTL;
    refresh_id = auth_token_store(conn, "refresh_tokens", user_id, family, out->refresh_token, now,
                                  AUTH_REFRESH_TTL);
    if (!refresh_id)
        return -1;
    if (!family) {
        family = refresh_id;
        if (auth_exec_id(conn, "UPDATE refresh_tokens SET family_id = ? WHERE id = ?", family,
                         refresh_id))
            return -1;
    }
    if (!auth_token_store(conn, "access_tokens", user_id, family, out->access_token, now,
                          AUTH_ACCESS_TTL))
        return -1;
    /* Housekeeping: this user's expired tokens are of no further use. */
    if (auth_exec_id(conn, "DELETE FROM access_tokens WHERE user_id = ? AND expires_at <= ?",
                     user_id, now) ||
        auth_exec_id(conn, "DELETE FROM refresh_tokens WHERE user_id = ? AND expires_at <= ?",
                     user_id, now))
        return -1;
    return 0;
}

enum api_error auth_login(struct billingd *app, const char *email, const char *password,
                          const struct auth_gate *gate, struct auth_session *out)
{
    struct auth_user user = {0};
    char *hash = NULL;
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn = db_acquire(app->db);
    sqlite3_stmt *st = db_prepare(conn, "SELECT id, email, name, password_hash FROM users "
                                        "WHERE email = ? AND disabled = 0");

    memset(out, 0, sizeof *out);
    if (!st) {
        db_release(app->db);
        goto done;
    }
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (auth_user_fill(st, 0, &user) != 0 ||
            (sqlite3_column_type(st, 3) != SQLITE_NULL && !(hash = strdup(db_text(st, 3))))) {
            db_finalize(st);
            db_release(app->db);
            goto done;
        }
    }
    db_finalize(st);
    db_release(app->db);

    /* The slow check runs without the database, so other requests go on meanwhile. */
    if ((err = auth_password_check(app, hash, password, gate)) != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    conn = db_acquire(app->db);
    if (db_begin(conn) == 0 && auth_issue(conn, user.id, 0, out) == 0 && db_commit(conn) == 0) {
        out->user = user;
        memset(&user, 0, sizeof user);
        err = API_OK;
    } else {
        db_rollback(conn);
    }
    db_release(app->db);
done:
    if (hash)
        sodium_memzero(hash, strlen(hash));
    free(hash);
    auth_user_clear(&user);
    if (err != API_OK)
        auth_session_clear(out);
    return err;
}

/* Revokes every token of a family (refresh and access); inside the caller's transaction. */
static int auth_revoke_family(sqlite3 *conn, int64_t family, int64_t now)
{
    return auth_exec_id(conn,
                        "UPDATE refresh_tokens SET revoked_at = ?1 "
                        "WHERE family_id = ?2 AND revoked_at IS NULL",
                        now, family) ||
           auth_exec_id(conn,
                        "UPDATE access_tokens SET revoked_at = ?1 "
                        "WHERE family_id = ?2 AND revoked_at IS NULL",
                        now, family);
}

enum api_error auth_refresh(struct billingd *app, const char *refresh_token,
                            struct auth_session *out)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    int64_t now = (int64_t)time(NULL);
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn = db_acquire(app->db);
    sqlite3_stmt *st = NULL;
    int64_t id, family, user_id;
    bool revoked, expired, disabled;

    memset(out, 0, sizeof *out);
    if (strlen(refresh_token) > AUTH_TOKEN_MAX) {
        err = API_ERR_INVALID_TOKEN;
        goto done;
    }
    if (db_begin(conn) != 0)
        goto done;
    st = db_prepare(conn, "SELECT r.id, r.family_id, r.revoked_at IS NOT NULL, r.expires_at <= ?,"
                          " u.disabled, u.id, u.email, u.name "
                          "FROM refresh_tokens r JOIN users u ON u.id = r.user_id "
                          "WHERE r.token_hash = ?");
    if (!st)
        goto done;
    auth_token_hash(refresh_token, hash);
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) {
        err = API_ERR_INVALID_TOKEN;
        goto done;
    }
    id = sqlite3_column_int64(st, 0);
    family = sqlite3_column_int64(st, 1);
    revoked = sqlite3_column_int(st, 2);
    expired = sqlite3_column_int(st, 3);
    disabled = sqlite3_column_int(st, 4);
    user_id = sqlite3_column_int64(st, 5);
    if (auth_user_fill(st, 5, &out->user) != 0)
        goto done;
    db_finalize(st);
    st = NULL;
    if (revoked) {
        /* A rotated token came back: whoever holds the family now is not trusted. */
        if (auth_revoke_family(conn, family, now) == 0 && db_commit(conn) == 0)
            err = API_ERR_INVALID_TOKEN;
        goto done;
    }
    if (expired || disabled) {
        err = API_ERR_INVALID_TOKEN;
        goto done;
    }
    if (auth_exec_id(conn, "UPDATE refresh_tokens SET revoked_at = ? WHERE id = ?", now, id) ||
        auth_issue(conn, user_id, family, out) || db_commit(conn))
        goto done;
    err = API_OK;
done:
    db_finalize(st);
    db_rollback(conn);
    db_release(app->db);
    if (err != API_OK)
        auth_session_clear(out);
    return err;
}

/* The token of "Bearer <token>" (scheme case-insensitive), or NULL. */
static const char *auth_bearer_token(const char *h, size_t *len)
{
    size_t n;

    if (!h)
        return NULL;
    h += strspn(h, " \t");
    if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return NULL;
    h += 6;
    h += strspn(h, " \t");
    n = strlen(h);
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
        n--;
    *len = n;
    return n ? h : NULL;
}

/* An access token: its account and role. */
static enum api_error auth_bearer_access(sqlite3 *conn, const unsigned char *hash,
                                         struct auth_caller *out)
{
    enum api_error err = API_ERR_INTERNAL;
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT a.user_id, u.role = 'admin' "
                         "FROM access_tokens a JOIN users u ON u.id = a.user_id "
                         "WHERE a.token_hash = ? AND a.revoked_at IS NULL AND a.expires_at > ? "
                         "AND u.disabled = 0");

    if (!st)
        return err;
    sqlite3_bind_blob(st, 1, hash, crypto_hash_sha256_BYTES, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        out->user_id = sqlite3_column_int64(st, 0);
        out->admin = sqlite3_column_int(st, 1);
        err = API_OK;
        break;
    case SQLITE_DONE:
        err = API_ERR_INVALID_TOKEN;
        break;
    default:
        break;
    }
    db_finalize(st);
    return err;
}

enum api_error auth_bearer(struct billingd *app, const char *authorization, struct auth_caller *out)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    size_t len = 0;
    const char *token = auth_bearer_token(authorization, &len);
    enum api_error err;
    sqlite3 *conn;

    memset(out, 0, sizeof *out);
    if (!token)
        return API_ERR_UNAUTHENTICATED;
    if (len > AUTH_TOKEN_MAX)
        return API_ERR_INVALID_TOKEN;
    crypto_hash_sha256(hash, (const unsigned char *)token, len);
    conn = db_acquire(app->db);
    /* An access token may begin with "bp_" by chance (random base64url): unknown as a key, it is
     * still looked up as a token. */
    err = apikey_looks_like(token, len) ? apikey_authenticate(conn, hash, clock_now(app), out)
                                        : API_ERR_INVALID_TOKEN;
    if (err == API_ERR_INVALID_TOKEN)
        err = auth_bearer_access(conn, hash, out);
    db_release(app->db);
    if (err != API_OK)
        memset(out, 0, sizeof *out);
    return err;
}

enum api_error auth_session_issue(sqlite3 *conn, int64_t user_id, struct auth_session *out)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id, email, name FROM users WHERE id = ?");
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = auth_user_fill(st, 0, &out->user);
    db_finalize(st);
    if (rc != 0 || auth_issue(conn, user_id, 0, out) != 0) {
        auth_session_clear(out);
        return API_ERR_INTERNAL;
    }
    return API_OK;
}

enum api_error auth_logout(struct billingd *app, const char *authorization)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    size_t len = 0;
    const char *token = auth_bearer_token(authorization, &len);
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;
    sqlite3_stmt *st = NULL;

    if (!token)
        return API_ERR_UNAUTHENTICATED;
    if (len > AUTH_TOKEN_MAX)
        return API_ERR_INVALID_TOKEN;
    crypto_hash_sha256(hash, (const unsigned char *)token, len);
    conn = db_acquire(app->db);
    if (db_begin(conn) != 0)
        goto done;
    st = db_prepare(conn, "SELECT family_id FROM access_tokens "
                          "WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?");
    if (!st)
        goto done;
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
    if (sqlite3_step(st) != SQLITE_ROW) {
        err = API_ERR_INVALID_TOKEN;
        goto done;
    }
    if (auth_revoke_family(conn, sqlite3_column_int64(st, 0), (int64_t)time(NULL)) == 0 &&
        db_commit(conn) == 0)
        err = API_OK;
done:
    db_finalize(st);
    db_rollback(conn);
    db_release(app->db);
    return err;
}

enum api_error auth_logout_refresh(struct billingd *app, const char *refresh_token)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;
    sqlite3_stmt *st = NULL;

    if (strlen(refresh_token) > AUTH_TOKEN_MAX)
        return API_ERR_INVALID_TOKEN;
    auth_token_hash(refresh_token, hash);
    conn = db_acquire(app->db);
    if (db_begin(conn) != 0)
        goto done;
    /* a rotated token still names its family: whoever holds one could end the family through
     * /auth/refresh's reuse check anyway, so it may sign the family out; a family with nothing
     * live left is signed out already */
    st = db_prepare(conn, "SELECT r.family_id FROM refresh_tokens r WHERE r.token_hash = ?1 AND "
                          "EXISTS (SELECT 1 FROM refresh_tokens l WHERE l.family_id = r.family_id "
                          "AND l.revoked_at IS NULL AND l.expires_at > ?2)");
    if (!st)
        goto done;
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
    if (sqlite3_step(st) != SQLITE_ROW) {
        err = API_ERR_INVALID_TOKEN;
        goto done;
    }
    if (auth_revoke_family(conn, sqlite3_column_int64(st, 0), (int64_t)time(NULL)) == 0 &&
        db_commit(conn) == 0)
        err = API_OK;
done:
    db_finalize(st);
    db_rollback(conn);
    db_release(app->db);
    return err;
}

int auth_purge(sqlite3 *conn)
{
    /* Tokens are judged by the real clock (auth_bearer, auth_refresh), never a test's fixed one,
     * so they are purged by it too: a clock moved ahead must not delete a token still accepted.
     * Access tokens are dead once expired or revoked. A revoked refresh token is kept while its
     * family lives, so that its reuse is still caught (auth_refresh) and still signs the family
     * out; a family with no live token is gone whole. */
    int64_t now = (int64_t)time(NULL);
    static const char *const sql[] = {
        "DELETE FROM access_tokens WHERE expires_at <= ?1 OR revoked_at IS NOT NULL",
        "DELETE FROM refresh_tokens WHERE expires_at <= ?1 OR (revoked_at IS NOT NULL AND "
        "family_id NOT IN (SELECT family_id FROM refresh_tokens "
        "WHERE revoked_at IS NULL AND expires_at > ?1))",
    };
    int rc = db_begin(conn);

    for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++)
        rc = db_run(conn, sql[i], now, 0, NULL) < 0 ? -1 : 0;
    if (rc == 0 && db_commit(conn) == 0)
        return 0;
    db_rollback(conn);
    return -1;
}

enum api_error auth_user_load(struct billingd *app, int64_t user_id, struct auth_user *out)
{
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn = db_acquire(app->db);
    sqlite3_stmt *st = db_prepare(conn, "SELECT id, email, name FROM users WHERE id = ?");

    memset(out, 0, sizeof *out);
    if (st) {
        sqlite3_bind_int64(st, 1, user_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            err = auth_user_fill(st, 0, out) == 0 ? API_OK : API_ERR_INTERNAL;
        else
            err = API_ERR_INVALID_TOKEN;
    }
    db_finalize(st);
    db_release(app->db);
    if (err != API_OK)
        auth_user_clear(out);
    return err;
}
