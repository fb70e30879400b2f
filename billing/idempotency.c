/* idempotency.c: Idempotency-Key: replays of a money-moving request answer what the first one
 * did; the key kept with the request's hash refuses another request under the same key. */
#include "billing/idempotency.h"

#include <string.h>

#include <sodium.h>

#include "billing/clock.h"
#include "billing/db.h"

#define IDEM_HEADER  "Idempotency-Key"
#define IDEM_KEEP    (24 * 60 * 60) /* seconds a key is remembered */
#define IDEM_KEY_MAX 255
/* The status of a key reserved by a request still running (idempotency_reserve). */
#define IDEM_IN_PROGRESS 0

static bool idem_key_valid(const char *key)
{
    size_t n = strlen(key);

    if (n == 0 || n > IDEM_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e)
            return false;
    return true;
}

/* SHA-256 over method, path and body: what "the same request" means. */
static void idem_hash(const struct request *req, unsigned char out[crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256_state s;

    crypto_hash_sha256_init(&s);
    crypto_hash_sha256_update(&s, (const unsigned char *)req->method, strlen(req->method) + 1);
    crypto_hash_sha256_update(&s, (const unsigned char *)req->path, strlen(req->path) + 1);
    if (req->body)
        crypto_hash_sha256_update(&s, (const unsigned char *)req->body, req->body_len);
    crypto_hash_sha256_final(&s, out);
}

static void idem_forget_old(sqlite3 *conn, int64_t user_id, int64_t now)
{
    sqlite3_stmt *st =
        db_prepare(conn, "DELETE FROM idempotency_keys WHERE user_id = ? AND created_at < ?");

    if (!st)
        return;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, now - IDEM_KEEP);
    sqlite3_step(st);
    db_finalize(st);
}

enum idem_state idempotency_check(sqlite3 *conn, struct request *req, struct reply *rep,
                                  bool required)
{
    const char *key = request_header(req, IDEM_HEADER);
    unsigned char hash[crypto_hash_sha256_BYTES];
    sqlite3_stmt *st;
    enum idem_state state = IDEM_DONE;

    if (!key) {
        if (!required)
            return IDEM_PROCEED;
        reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REQUIRED, NULL);
        return IDEM_DONE;
    }
    if (!idem_key_valid(key)) {
        /* A key that cannot be stored as sent is no key: the request is not safe to retry. */
        reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REQUIRED,
                    "The Idempotency-Key must be 1 to 255 visible ASCII characters.");
        return IDEM_DONE;
    }
    idem_forget_old(conn, req->user_id, clock_now(req->app));
    idem_hash(req, hash);
    st = db_prepare(conn, "SELECT body_hash, status, response FROM idempotency_keys "
                          "WHERE user_id = ? AND key = ?");
    if (!st) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return IDEM_DONE;
    }
    sqlite3_bind_int64(st, 1, req->user_id);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step(st)) {
    case SQLITE_DONE:
        state = IDEM_PROCEED;
        break;
    case SQLITE_ROW:
        if (sqlite3_column_bytes(st, 0) != (int)sizeof hash ||
            memcmp(sqlite3_column_blob(st, 0), hash, sizeof hash) != 0) {
            reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REUSED, NULL);
            break;
        }
        if (sqlite3_column_int(st, 1) == IDEM_IN_PROGRESS) {
            /* The first request is waiting on a gateway; it answers for both. */
            reply_error(rep, API_ERR_IDEMPOTENCY_KEY_IN_PROGRESS,
                        "The first request with this Idempotency-Key is still running; retry "
                        "in a few seconds to get its answer.");
            break;
        }
        reply_clear(rep);
        rep->status = (unsigned)sqlite3_column_int(st, 1);
        rep->body = cJSON_Parse(db_text(st, 2));
        if (!rep->body)
            reply_error(rep, API_ERR_INTERNAL, NULL);
        else
            reply_header(rep, "Idempotent-Replayed", "true");
        break;
    default:
        reply_error(rep, API_ERR_INTERNAL, NULL);
        break;
    }
    db_finalize(st);
    return state;
}

static int idem_insert(sqlite3 *conn, const struct request *req, const char *key, unsigned status,
                       const char *text)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    sqlite3_stmt *st;
    int rc = -1;

    idem_hash(req, hash);
    st = db_prepare(conn, "INSERT INTO idempotency_keys(user_id, key, method, path, body_hash,"
                          " status, response, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (st) {
        sqlite3_bind_int64(st, 1, req->user_id);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, req->method, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, req->path, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob(st, 5, hash, sizeof hash, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 6, (int)status);
        sqlite3_bind_text(st, 7, text, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 8, clock_now(req->app));
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = 0;
    }
    db_finalize(st);
    return rc;
}

int idempotency_store(sqlite3 *conn, const struct request *req, const struct reply *rep)
{
    const char *key = request_header(req, IDEM_HEADER);
    char *text;
    int rc;

    /* Only what happened is remembered: a refusal changed nothing and may be retried. */
    if (!key || !rep->body || rep->status < 200 || rep->status > 299)
        return 0;
    if (!(text = cJSON_PrintUnformatted(rep->body)))
        return -1;
    rc = idem_insert(conn, req, key, rep->status, text);
    cJSON_free(text);
    return rc;
}

int idempotency_reserve(sqlite3 *conn, const struct request *req)
{
    const char *key = request_header(req, IDEM_HEADER);

    return key ? idem_insert(conn, req, key, IDEM_IN_PROGRESS, "{}") : 0;
}

int idempotency_complete(sqlite3 *conn, const struct request *req, const struct reply *rep)
{
    const char *key = request_header(req, IDEM_HEADER);
    bool done = rep->body && rep->status >= 200 && rep->status <= 299;
    char *text = NULL;
    sqlite3_stmt *st;
    int rc = -1;

    if (!key)
        return 0;
    if (done && !(text = cJSON_PrintUnformatted(rep->body)))
        return -1;
    st = db_prepare(conn, done ? "UPDATE idempotency_keys SET status = ?3, response = ?4"
                                 " WHERE user_id = ?1 AND key = ?2 AND status = 0"
                               : "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2"
                                 " AND status = 0");
    if (st) {
        sqlite3_bind_int64(st, 1, req->user_id);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
        if (done) {
            sqlite3_bind_int(st, 3, (int)rep->status);
            sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
        }
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = 0;
    }
    db_finalize(st);
    cJSON_free(text);
    return rc;
}
