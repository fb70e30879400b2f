/* invariants.c: a shop with many signed-in customers, its money invariants read from SQLite. */
#include "invariants.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "invariants_auth.h"

int64_t inv_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static sqlite3 *inv_db_open(const struct inv_world *w, int flags)
{
    char path[320];
    sqlite3 *db = NULL;

    snprintf(path, sizeof path, "%s/billing.db", w->server.dir);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, "invariants: cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int64_t inv_insert_user(sqlite3 *db, const char *email, const char *name, const char *role)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO users(email, name, password_hash, role) VALUES (?, ?,"
                           " NULL, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(db);
    sqlite3_finalize(st);
    return id;
}

/* The accounts, their tokens, the extra setup and the stock snapshot, in one transaction. */
static int inv_populate(struct inv_world *w, sqlite3 *db, int n_users, const char *setup_sql)
{
    sqlite3_stmt *st = NULL;
    char *msg = NULL;

    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < n_users; i++) {
        char email[64], name[64];

        snprintf(email, sizeof email, "customer%03d@invariants.test", i);
        snprintf(name, sizeof name, "Customer %03d", i);
        w->user_id[i] = inv_insert_user(db, email, name, "customer");
        if (!w->user_id[i] ||
            inv_auth_sign_in(db, w->user_id[i], w->token[i], INV_TOKEN_CHARS) != 0)
            goto fail;
    }
    w->n_users = n_users;
    w->admin_id = inv_insert_user(db, "operator@invariants.test", "Operator", "admin");
    if (!w->admin_id || inv_auth_sign_in(db, w->admin_id, w->admin, INV_TOKEN_CHARS) != 0)
        goto fail;
    if (setup_sql && sqlite3_exec(db, setup_sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "invariants: setup: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        goto fail;
    }
    if (sqlite3_prepare_v2(db, "SELECT id, stock_available FROM products WHERE stock_limited = 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    while (sqlite3_step(st) == SQLITE_ROW && w->n_stock < INV_MAX_PRODUCTS) {
        w->stock_product[w->n_stock] = sqlite3_column_int64(st, 0);
        w->stock_initial[w->n_stock++] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(id), 0) FROM coupons", -1, &st, NULL) !=
        SQLITE_OK)
        goto fail;
    if (sqlite3_step(st) == SQLITE_ROW)
        w->coupon_floor = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
fail:
    fprintf(stderr, "invariants: cannot prepare the accounts: %s\n", sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int inv_world_start(struct inv_world *w, int n_users, const char *setup_sql)
{
    return inv_world_start_with(w, n_users, setup_sql, NULL);
}

int inv_world_start_with(struct inv_world *w, int n_users, const char *setup_sql,
                         const char *const *server_args)
{
    char dir[sizeof w->server.dir];
    sqlite3 *db;
    int rc;

    memset(w, 0, sizeof *w);
    if (n_users > INV_MAX_USERS || api_server_start(&w->server, server_args) != 0)
        return -1;
    if (api_server_stop(&w->server) != 0 || !(db = inv_db_open(w, SQLITE_OPEN_READWRITE)))
        return -1;
    rc = inv_populate(w, db, n_users, setup_sql);
    sqlite3_close(db);
    snprintf(dir, sizeof dir, "%s", w->server.dir);
    return rc == 0 ? api_server_start_in(&w->server, dir, server_args) : -1;
}

int inv_world_finish(struct inv_world *w)
{
    int breaches;

    if (w->server.pid > 0 && api_server_stop(&w->server) != 0)
        fprintf(stderr, "invariants: the server did not stop cleanly\n");
    breaches = inv_db_breaches(w);
    api_server_cleanup(&w->server);
    return breaches;
}

void inv_world_abandon(struct inv_world *w)
{
    api_server_cleanup(&w->server);
}

int inv_call(const struct inv_world *w, const char *method, const char *path, const char *token,
             const char *idem_key, const char *if_match, const char *json, struct api_resp *r)
{
    char idem[160], match[64];
    const char *headers[4];
    size_t n = 0;

    if (json)
        headers[n++] = "Content-Type: application/json";
    if (idem_key) {
        snprintf(idem, sizeof idem, "Idempotency-Key: %s", idem_key);
        headers[n++] = idem;
    }
    if (if_match) {
        snprintf(match, sizeof match, "If-Match: %s", if_match);
        headers[n++] = match;
    }
    headers[n] = NULL;
    return api_call(&w->server, method, path, token, headers, json, json ? strlen(json) : 0, r);
}

int64_t inv_money(const cJSON *obj, const char *name)
{
    return api_int(cJSON_GetObjectItemCaseSensitive(obj, name), "amount");
}

int inv_etag(const struct api_resp *r, char *out, size_t outsz)
{
    return api_header(r, "ETag", out, outsz);
}

int inv_grant_credit(const struct inv_world *w, int user, int64_t amount)
{
    char path[96], body[160], key[64];
    struct api_resp r;
    int ok;

    snprintf(path, sizeof path, "/admin/users/%" PRId64 "/credits", w->user_id[user]);
    snprintf(body, sizeof body,
             "{\"amount\":{\"amount\":%" PRId64 ",\"currency\":\"USD\"},\"reason\":\"Test funds\"}",
             amount);
    snprintf(key, sizeof key, "grant-%d-%" PRId64 "-%" PRId64, user, amount, inv_now_ms());
    ok = inv_call(w, "POST", path, w->admin, key, NULL, body, &r) == 0 && r.status == 201;
    if (!ok)
        fprintf(stderr, "invariants: granting credit answered %ld %s\n", r.status,
                r.body ? r.body : "");
    api_resp_clear(&r);
    return ok ? 0 : -1;
}

long inv_cart_add(const struct inv_world *w, int user, int64_t product_id, const char *cycle,
                  const char *options, int quantity, char *etag, size_t etagsz, int64_t *total)
{
    char body[1024];
    struct api_resp r;
    long status = -1;

    snprintf(body, sizeof body,
             "{\"product_id\":%" PRId64 ",\"cycle\":\"%s\",\"options\":%s,\"quantity\":%d}",
             product_id, cycle, options ? options : "{}", quantity);
    if (inv_call(w, "POST", "/billing/cart/items", w->token[user], NULL, NULL, body, &r) == 0) {
        status = r.status;
        if (status == 201 && etag && inv_etag(&r, etag, etagsz) != 0)
            status = -1;
        if (status == 201 && total)
            *total = inv_money(cJSON_GetObjectItemCaseSensitive(api_data(&r), "totals"), "total");
    }
    api_resp_clear(&r);
    return status;
}

int inv_checkout(const struct inv_world *w, int user, const char *key, const char *etag,
                 const char *method, bool use_credits, int64_t expected_total, struct api_resp *r,
                 int *retries)
{
    char body[256];
    int rc = -1;

    snprintf(body, sizeof body,
             "{\"payment_method\":\"%s\",\"use_credits\":%s,\"expected_total\":{\"amount\":%" PRId64
             ",\"currency\":\"USD\"}}",
             method, use_credits ? "true" : "false", expected_total);
    for (int attempt = 0; attempt < 60; attempt++) {
        /* Backs off, so that the retries do not keep the server's connections full. */
        struct timespec pause = {0, (attempt < 20 ? attempt + 1 : 20) * 10 * 1000 * 1000};

        rc = inv_call(w, "POST", "/billing/checkout", w->token[user], key, etag, body, r);
        if (rc == 0 || r->status != 0)
            break;
        api_resp_clear(r);
        if (retries)
            __atomic_add_fetch(retries, 1, __ATOMIC_RELAXED);
        nanosleep(&pause, NULL);
    }
    return rc;
}

int64_t inv_list_total(const struct inv_world *w, int user, const char *path)
{
    struct api_resp r;
    int64_t total = -1;

    if (inv_call(w, "GET", path, w->token[user], NULL, NULL, NULL, &r) == 0 && r.status == 200)
        total = api_int(cJSON_GetObjectItemCaseSensitive(r.json, "meta"), "total");
    api_resp_clear(&r);
    return total;
}

int64_t inv_product_id(const struct inv_world *w, const char *slug)
{
    char path[128];
    struct api_resp r;
    int64_t id = 0;

    snprintf(path, sizeof path, "/billing/products/%s", slug);
    if (api_get(&w->server, path, NULL, &r) == 0 && r.status == 200)
        id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    return id;
}

struct inv_job {
    pthread_barrier_t *start;
    void (*fn)(int, void *);
    void *arg;
    int i;
};

static void *inv_job_run(void *p)
{
    struct inv_job *j = p;

    pthread_barrier_wait(j->start);
    j->fn(j->i, j->arg);
    return NULL;
}

int inv_parallel(int n, void (*fn)(int i, void *arg), void *arg)
{
    pthread_t *t = calloc((size_t)n, sizeof *t);
    struct inv_job *jobs = calloc((size_t)n, sizeof *jobs);
    pthread_barrier_t start;
    int started = 0, rc = -1;

    if (!t || !jobs || pthread_barrier_init(&start, NULL, (unsigned)n) != 0)
        goto done;
    for (; started < n; started++) {
        jobs[started] = (struct inv_job){&start, fn, arg, started};
        if (pthread_create(&t[started], NULL, inv_job_run, &jobs[started]) != 0)
            break;
    }
    /* A thread that could not start would leave the others at the barrier forever. */
    if (started < n)
        abort();
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&start);
    rc = 0;
done:
    free(t);
    free(jobs);
    return rc;
}
