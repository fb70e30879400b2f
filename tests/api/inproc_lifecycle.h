/* inproc_lifecycle.h: what the inproc_lifecycle_*.c programs share: an in-process server with
 * its clock fixed, customers and services made through the library, payments settled as the
 * gateway's webhook would, and the calendar walked day by day. Included once per program. */
#ifndef SETT_TESTS_API_INPROC_LIFECYCLE_H
#define SETT_TESTS_API_INPROC_LIFECYCLE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "billing/app.h"
#include "billing/auth.h"
#include "billing/billingd.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/lifecycle.h"

#include "validate.h"

#define DAY 86400

/* One server in this process, and the base URL of its API. */
struct lc {
    struct billingd *d;
    char base[64];
    char dir[64];
};

/* Unix seconds of a calendar day at noon UTC. */
static inline int64_t lc_noon(int y, int m, int d)
{
    return date_to_unix((struct date){y, m, d}) + DAY / 2;
}

/* A fresh server on a fresh database with its scheduler thread running every `interval`
 * seconds (-1: no thread), its clock fixed at `now` (0: the real time). */
static inline void lc_start_with(struct lc *t, int64_t now, int interval)
{
    struct billingd_config cfg = {
        .port = 0, .quiet = true, .scheduler_interval = interval, .demo = true};
    char db[128], err[256];

    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sett-lifecycle-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(db, sizeof db, "%s/billing.db", t->dir);
    cfg.db_path = db;
    if (billingd_start(&cfg, &t->d, err, sizeof err) != 0)
        fail_msg("billingd_start: %s", err);
    billingd_set_clock(t->d, now);
    snprintf(t->base, sizeof t->base, "http://127.0.0.1:%u/api/v1", (unsigned)billingd_port(t->d));
}

/* The usual: no scheduler thread (passes run only when a test asks), the clock fixed. */
static inline void lc_start(struct lc *t, int64_t now)
{
    lc_start_with(t, now, -1);
}

static inline void lc_stop(struct lc *t)
{
    char path[128];

    billingd_stop(&t->d);
    assert_null(t->d);
    for (const char *const *f =
             (const char *const[]){"billing.db", "billing.db-wal", "billing.db-shm", NULL};
         *f; f++) {
        snprintf(path, sizeof path, "%s/%s", t->dir, *f);
        unlink(path);
    }
    rmdir(t->dir);
}

static inline sqlite3 *lc_db(struct lc *t)
{
    return db_acquire(t->d->db);
}

static inline void lc_db_done(struct lc *t)
{
    db_release(t->d->db);
}

/* One integer from SQL with up to one integer parameter (?1); INT64_MIN for no row. */
static inline int64_t lc_int(struct lc *t, const char *sql, int64_t p)
{
    sqlite3 *conn = lc_db(t);
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t v = INT64_MIN;

    if (!st)
        fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, p);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    db_finalize(st);
    lc_db_done(t);
    return v;
}

/* One text column into buf ("" for no row or NULL). */
static inline const char *lc_text(struct lc *t, const char *sql, int64_t p, char *buf, size_t size)
{
    sqlite3 *conn = lc_db(t);
    sqlite3_stmt *st = db_prepare(conn, sql);

    buf[0] = '\0';
    if (!st)
        fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, p);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, size, "%s", db_text(st, 0));
    db_finalize(st);
    lc_db_done(t);
    return buf;
}

static inline void lc_exec(struct lc *t, const char *sql)
{
    sqlite3 *conn = lc_db(t);

    if (db_exec(conn, sql) != 0)
        fail_msg("%s: %s", sql, sqlite3_errmsg(conn));
    lc_db_done(t);
}

/* A customer who can sign in with `password`; returns the account id. */
static inline int64_t lc_customer(struct lc *t, const char *email, const char *password)
{
    char hash[crypto_pwhash_STRBYTES];
    sqlite3 *conn;
    sqlite3_stmt *st;
    int64_t id;

    assert_int_equal(auth_password_hash(password, hash, sizeof hash), 0);
    conn = lc_db(t);
    st = db_prepare(conn, "INSERT INTO users(email, name, password_hash) VALUES (?, ?, ?)");
    assert_non_null(st);
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    db_finalize(st);
    id = sqlite3_last_insert_rowid(conn);
    lc_db_done(t);
    return id;
}

/* A service of the product `slug` on `cycle` as checkout leaves it (pending, at the catalog's
 * price), then activated at `now` as a paid order's provisioning does. Returns its id. */
static inline int64_t lc_service(struct lc *t, int64_t user_id, const char *slug, const char *cycle,
                                 int64_t now)
{
    sqlite3 *conn = lc_db(t);
    sqlite3_stmt *st = db_prepare(
        conn, "INSERT INTO services(user_id, product_id, name, status, cycle, months,"
              " recurring_amount, anchor_day, created_at)"
              " SELECT ?1, p.id, p.name, 'pending', y.cycle, y.months, y.price, 1, ?3"
              " FROM products p JOIN product_cycles y ON y.product_id = p.id AND y.cycle = ?4"
              " WHERE p.slug = ?2");
    int64_t id;

    assert_non_null(st);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, cycle, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    db_finalize(st);
    assert_int_equal(sqlite3_changes(conn), 1);
    id = sqlite3_last_insert_rowid(conn);
    assert_int_equal(db_begin(conn), 0);
    assert_int_equal(lifecycle_activate(conn, id, now), API_OK);
    assert_int_equal(db_commit(conn), 0);
    lc_db_done(t);
    return id;
}

/* A payment of what the invoice still asks, settled as the gateway's webhook settles it.
 * Returns the payment's id (settle it again with lc_settle to replay the webhook). */
static inline int64_t lc_settle(struct lc *t, int64_t payment_id, int64_t now)
{
    sqlite3 *conn = lc_db(t);

    assert_int_equal(db_begin(conn), 0);
    assert_int_equal(invoice_settle_payment(t->d, conn, payment_id, now), API_OK);
    assert_int_equal(db_commit(conn), 0);
    lc_db_done(t);
    return payment_id;
}

static inline int64_t lc_payment(struct lc *t, int64_t invoice_id, int64_t amount, int64_t now)
{
    sqlite3 *conn = lc_db(t);
    sqlite3_stmt *st = db_prepare(
        conn, "INSERT INTO payments(invoice_id, user_id, gateway, amount, status, created_at)"
              " SELECT id, user_id, 'stripe', ?2, 'requires_action', ?3 FROM invoices"
              " WHERE id = ?1");
    int64_t id;

    assert_non_null(st);
    sqlite3_bind_int64(st, 1, invoice_id);
    sqlite3_bind_int64(st, 2, amount);
    sqlite3_bind_int64(st, 3, now);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    db_finalize(st);
    id = sqlite3_last_insert_rowid(conn);
    lc_db_done(t);
    return id;
}

static inline int64_t lc_pay(struct lc *t, int64_t invoice_id, int64_t now)
{
    int64_t owed = lc_int(t, "SELECT total - amount_paid FROM invoices WHERE id = ?1", invoice_id);

    return lc_settle(t, lc_payment(t, invoice_id, owed, now), now);
}

/* Moves the clock to `now` and runs one scheduler pass there. */
static inline void lc_run(struct lc *t, int64_t now)
{
    billingd_set_clock(t->d, now);
    assert_int_equal(billingd_run_scheduler(t->d), 0);
}

static inline const char *lc_status(struct lc *t, int64_t service_id, char *buf, size_t size)
{
    return lc_text(t, "SELECT status FROM services WHERE id = ?1", service_id, buf, size);
}

static inline const char *lc_due(struct lc *t, int64_t service_id, char *buf, size_t size)
{
    return lc_text(t, "SELECT next_due_date FROM services WHERE id = ?1", service_id, buf, size);
}

/* The renewal invoice of the period starting at `start` ("YYYY-MM-DD"), or INT64_MIN. */
static inline int64_t lc_renewal(struct lc *t, int64_t service_id, const char *start)
{
    sqlite3 *conn = lc_db(t);
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM invoices WHERE kind = 'renewal'"
                                        " AND service_id = ? AND period_start = ?");
    int64_t id = INT64_MIN;

    assert_non_null(st);
    sqlite3_bind_int64(st, 1, service_id);
    sqlite3_bind_text(st, 2, start, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    db_finalize(st);
    lc_db_done(t);
    return id;
}

static inline int64_t lc_renewals(struct lc *t, int64_t service_id)
{
    return lc_int(t, "SELECT count(*) FROM invoices WHERE kind = 'renewal' AND service_id = ?1",
                  service_id);
}

/* HTTP against the in-process server. (The HTTP tests' api_fixture cannot be linked here: its
 * api_error_code and the server's share a name.) */
struct lc_resp {
    long status;
    char *body;
    size_t len;
    cJSON *json;   /* NULL when the body is not JSON */
    char *headers; /* "Name: value\r\n"… of the final answer */
    size_t headers_len;
};

static inline void lc_resp_clear(struct lc_resp *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

static inline size_t lc_append(char **buf, size_t *len, const char *data, size_t n)
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

static inline size_t lc_on_body(char *data, size_t size, size_t n, void *user)
{
    struct lc_resp *r = user;

    return lc_append(&r->body, &r->len, data, size * n);
}

static inline size_t lc_on_header(char *line, size_t size, size_t n, void *user)
{
    struct lc_resp *r = user;
    size_t len = size * n;

    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0)
        r->headers_len = 0; /* a new block (after 100 Continue): keep only the last */
    else if (len > 2)
        lc_append(&r->headers, &r->headers_len, line, len);
    return len;
}

/* One request; every answer is checked against docs/openapi.yaml (validate.h). */
static inline void lc_call(struct lc *t, const char *method, const char *path, const char *token,
                           const char *const *headers, const char *body, struct lc_resp *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hl = NULL;
    char url[512], auth[256];
    struct validate_exchange ex = {.method = method};

    memset(r, 0, sizeof *r);
    assert_non_null(c);
    snprintf(url, sizeof url, "%s%s", t->base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, lc_on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, lc_on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, auth);
    }
    for (size_t i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    if (r->body)
        r->json = cJSON_ParseWithLength(r->body, r->len);
    ex.path = strstr(url, "/api/v1");
    ex.status = r->status;
    ex.headers = r->headers ? r->headers : "";
    ex.body = r->body;
    ex.body_len = r->len;
    if (validate_response(&ex) != 0)
        fail_msg("%s %s answered %ld outside the contract", method, path, r->status);
}

static inline cJSON *lc_data(const struct lc_resp *r)
{
    return cJSON_GetObjectItemCaseSensitive(r->json, "data");
}

static inline const char *lc_error(const struct lc_resp *r)
{
    cJSON *code = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(r->json, "error"), "code");

    return cJSON_IsString(code) ? code->valuestring : "";
}

static inline cJSON *lc_details(const struct lc_resp *r)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r->json, "error"),
                                            "details");
}

static inline int64_t lc_num(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : INT64_MIN;
}

static inline const char *lc_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first message of an error's detail `field`, or "". */
static inline const char *lc_detail(const struct lc_resp *r, const char *field)
{
    const cJSON *first =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(lc_details(r), field), 0);

    return cJSON_IsString(first) ? first->valuestring : "";
}

/* The value of a response header (any case) into out; 0, or -1 when absent. */
static inline int lc_header(const struct lc_resp *r, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);

    for (const char *p = r->headers; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            size_t vl = len - nl - 1;

            while (vl && (*v == ' ' || *v == '\t'))
                v++, vl--;
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            snprintf(out, size, "%.*s", (int)vl, v);
            return 0;
        }
        p = end ? end + 1 : p + len;
    }
    return -1;
}

/* Signs in; the access token into `access` (128 bytes). */
static inline void lc_login(struct lc *t, const char *email, const char *password, char *access)
{
    static const char *const json[] = {"Content-Type: application/json", NULL};
    char body[256];
    struct lc_resp r;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    lc_call(t, "POST", "/auth/login", NULL, json, body, &r);
    assert_int_equal(r.status, 200);
    snprintf(access, 128, "%s", lc_str(lc_data(&r), "access_token"));
    lc_resp_clear(&r);
}

#endif
