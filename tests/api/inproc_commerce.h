/* inproc_commerce.h: what the inproc_checkout_*.c programs share: an in-process server with test
 * accounts (--seed-users), its database at hand for changing prices, stock and coupons under it,
 * and HTTP calls that many threads can make at once, each answer checked against the contract.
 * Included once per program. */
#ifndef SETT_TESTS_API_INPROC_COMMERCE_H
#define SETT_TESTS_API_INPROC_COMMERCE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "billing/app.h"
#include "billing/billingd.h"
#include "billing/db.h"

#include "validate.h"

struct cx {
    struct billingd *d;
    char base[64]; /* http://127.0.0.1:PORT */
    char dir[64];
};

/* A fresh server (no scheduler thread) with `users` test accounts, clock fixed at `now` (0:
 * real time). */
static inline void cx_start(struct cx *t, int users, int64_t now)
{
    struct billingd_config cfg = {
        .port = 0, .quiet = true, .scheduler_interval = -1, .seed_users = users, .demo = true};
    char db[128], err[256];

    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sett-commerce-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(db, sizeof db, "%s/billing.db", t->dir);
    cfg.db_path = db;
    if (billingd_start(&cfg, &t->d, err, sizeof err) != 0)
        fail_msg("billingd_start: %s", err);
    billingd_set_clock(t->d, now);
    snprintf(t->base, sizeof t->base, "http://127.0.0.1:%u", (unsigned)billingd_port(t->d));
}

static inline void cx_stop(struct cx *t)
{
    char path[128];

    billingd_stop(&t->d);
    for (const char *const *f =
             (const char *const[]){"billing.db", "billing.db-wal", "billing.db-shm", NULL};
         *f; f++) {
        snprintf(path, sizeof path, "%s/%s", t->dir, *f);
        unlink(path);
    }
    rmdir(t->dir);
}

/* SQL run on the server's own connection, between requests. */
static inline void cx_exec(struct cx *t, const char *sql)
{
    sqlite3 *conn = db_acquire(t->d->db);
    int rc = db_exec(conn, sql);

    if (rc != 0)
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(conn));
    db_release(t->d->db);
    assert_int_equal(rc, 0);
}

/* One integer from SQL; INT64_MIN when there is no row. */
static inline int64_t cx_int(struct cx *t, const char *sql)
{
    sqlite3 *conn = db_acquire(t->d->db);
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t v = INT64_MIN;

    if (st && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    db_finalize(st);
    db_release(t->d->db);
    return v;
}

struct cx_resp {
    long status; /* 0: no HTTP answer came back */
    char *body;
    size_t len;
    char *headers;
    size_t headers_len;
    cJSON *json;
    bool valid; /* kept the contract */
};

static inline void cx_resp_clear(struct cx_resp *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

static inline size_t cx_append(char **buf, size_t *len, const char *data, size_t n)
{
    char *grown = realloc(*buf, *len + n + 1);

    if (!grown)
        return 0;
    memcpy(grown + *len, data, n);
    *len += n;
    grown[*len] = '\0';
    *buf = grown;
    return n;
}

static inline size_t cx_on_body(char *data, size_t size, size_t n, void *user)
{
    struct cx_resp *r = user;

    return cx_append(&r->body, &r->len, data, size * n);
}

static inline size_t cx_on_header(char *line, size_t size, size_t n, void *user)
{
    struct cx_resp *r = user;
    size_t len = size * n;

    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0)
        r->headers_len = 0;
    else if (len > 2)
        cx_append(&r->headers, &r->headers_len, line, len);
    return len;
}

/* One request from any thread; no assertion here (cmocka's belong to the main thread). path is
 * from the server root. Returns the status, 0 when no answer came back. */
static inline long cx_http(struct cx *t, const char *method, const char *path, const char *token,
                           const char *const *headers, const char *body, struct cx_resp *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hl = NULL;
    char url[512], auth[256];
    struct validate_exchange ex = {.method = method};

    memset(r, 0, sizeof *r);
    if (!c)
        return 0;
    snprintf(url, sizeof url, "%s%s", t->base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, cx_on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, cx_on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, auth);
    }
    bool typed = false;

    for (size_t i = 0; headers && headers[i]; i++) {
        hl = curl_slist_append(hl, headers[i]);
        typed |= strncasecmp(headers[i], "Content-Type:", 13) == 0;
    }
    if (body && !typed)
        hl = curl_slist_append(hl, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    if (!r->status)
        return 0;
    if (r->body)
        r->json = cJSON_ParseWithLength(r->body, r->len);
    ex.path = path;
    ex.status = r->status;
    ex.headers = r->headers ? r->headers : "";
    ex.body = r->body;
    ex.body_len = r->len;
    r->valid = validate_response(&ex) == 0;
    return r->status;
}

/* The same, on the main thread: an answer must come back and keep the contract. */
static inline long cx_call(struct cx *t, const char *method, const char *path, const char *token,
                           const char *const *headers, const char *body, struct cx_resp *r)
{
    long status = cx_http(t, method, path, token, headers, body, r);

    if (!status)
        fail_msg("%s %s: no answer", method, path);
    if (!r->valid)
        fail_msg("%s %s answered %ld outside the contract: %s", method, path, status,
                 r->body ? r->body : "");
    return status;
}

static inline cJSON *cx_data(const struct cx_resp *r)
{
    return cJSON_GetObjectItemCaseSensitive(r->json, "data");
}

static inline const char *cx_error(const struct cx_resp *r)
{
    cJSON *code = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r->json, "error"), "code");

    return cJSON_IsString(code) ? code->valuestring : "";
}

static inline int64_t cx_num(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : INT64_MIN;
}

static inline int64_t cx_money(const cJSON *obj, const char *name)
{
    return cx_num(cJSON_GetObjectItemCaseSensitive(obj, name), "amount");
}

/* Signs in (test accounts from --seed-users have a fast hash) into token (>= 128 bytes). */
static inline void cx_login(struct cx *t, const char *email, const char *password, char *token)
{
    struct cx_resp r;
    char body[256];

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    assert_int_equal(cx_call(t, "POST", "/api/v1/auth/login", NULL, NULL, body, &r), 200);
    snprintf(token, 128, "%s",
             cJSON_GetObjectItemCaseSensitive(cx_data(&r), "access_token")->valuestring);
    cx_resp_clear(&r);
}

/* Adds a line to the cart; returns the cart's new version. */
static inline int64_t cx_add(struct cx *t, const char *token, const char *line)
{
    struct cx_resp r;
    int64_t v;

    assert_int_equal(cx_call(t, "POST", "/api/v1/billing/cart/items", token, NULL, line, &r), 201);
    v = cx_num(cx_data(&r), "version");
    cx_resp_clear(&r);
    return v;
}

/* The cart's version and total now. */
static inline int64_t cx_cart(struct cx *t, const char *token, int64_t *total)
{
    struct cx_resp r;
    int64_t v;

    assert_int_equal(cx_call(t, "GET", "/api/v1/billing/cart", token, NULL, NULL, &r), 200);
    v = cx_num(cx_data(&r), "version");
    if (total)
        *total = cx_money(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "totals"), "total");
    cx_resp_clear(&r);
    return v;
}

/* A checkout request's headers and body for a cart version and total. */
struct cx_checkout {
    char match[48], key[300], body[256];
    const char *headers[3];
};

static inline void cx_checkout_prepare(struct cx_checkout *c, int64_t version, int64_t total,
                                       const char *method, bool use_credits, const char *key)
{
    snprintf(c->match, sizeof c->match, "If-Match: \"%lld\"", (long long)version);
    snprintf(c->key, sizeof c->key, "Idempotency-Key: %.255s", key);
    snprintf(c->body, sizeof c->body,
             "{\"payment_method\":\"%s\",\"use_credits\":%s,\"expected_total\":{\"amount\":%lld,"
             "\"currency\":\"USD\"}}",
             method, use_credits ? "true" : "false", (long long)total);
    c->headers[0] = c->match;
    c->headers[1] = c->key;
    c->headers[2] = NULL;
}

/* Gives an account credit the way an operator adjustment does. */
static inline void cx_credit(struct cx *t, int64_t user_id, int64_t amount)
{
    char sql[256];

    snprintf(sql, sizeof sql,
             "UPDATE users SET credit_balance = credit_balance + %lld WHERE id = %lld;"
             "INSERT INTO credit_ledger(user_id, type, amount, balance_after, description,"
             " created_at) SELECT id, 'adjustment', %lld, credit_balance, 'Test credit', 0"
             " FROM users WHERE id = %lld",
             (long long)amount, (long long)user_id, (long long)amount, (long long)user_id);
    cx_exec(t, sql);
}

/* The account id of customerN@example.com. */
static inline int64_t cx_user(struct cx *t, int n)
{
    char sql[128];

    snprintf(sql, sizeof sql, "SELECT id FROM users WHERE email = 'customer%d@example.com'", n);
    return cx_int(t, sql);
}

#endif
