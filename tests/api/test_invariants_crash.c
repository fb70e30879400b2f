/* test_invariants_crash.c: SIGKILL during a checkout load loses no money: the database still adds
 * up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "invariants.h"

#define USERS         16
#define THREADS       8
#define FUNDS         50000
#define MAX_ROUNDS    150   /* per thread */
#define KILL_AFTER    40    /* orders placed before the kill */
#define KILL_BY_MS    20000 /* or this long, whichever comes first */
#define LOAD_LIMIT_MS 60000 /* no thread runs longer than this */

static struct inv_world world;

static const char setup_sql[] =
    "UPDATE products SET stock_limited = 1, stock_available = 25 WHERE slug = 'mc-iron';"
    "UPDATE products SET stock_limited = 1, stock_available = 40 WHERE slug = 'mc-gold';";

static const char *const wares[] = {"mc-iron", "mc-gold", "mc-dirt", "valheim-longhouse",
                                    "rust-oil-rig"};

struct load {
    int64_t product[sizeof wares / sizeof wares[0]];
    int placed;  /* orders placed (atomic) */
    int stop;    /* set once the server is gone (atomic) */
    int answers; /* HTTP answers received (atomic) */
};

static bool stopped(struct load *l)
{
    return __atomic_load_n(&l->stop, __ATOMIC_ACQUIRE) != 0;
}

/* One customer's round: a line in the cart, then a checkout by credits or card, sometimes paying
 * an older invoice with credits. Transport errors (the server is gone) end the round quietly. */
static void round_once(struct load *l, int user, unsigned *seed, int round)
{
    const struct inv_world *w = &world;
    char etag[32], key[64], body[256], path[96];
    int64_t total = 0, invoice = 0;
    struct api_resp r;
    long added;
    bool by_credits = rand_r(seed) % 2;

    added = inv_cart_add(w, user, l->product[rand_r(seed) % (sizeof wares / sizeof wares[0])],
                         "monthly", NULL, 1 + rand_r(seed) % 2, etag, sizeof etag, &total);
    if (added < 0)
        return;
    __atomic_add_fetch(&l->answers, 1, __ATOMIC_RELAXED);
    if (added != 201)
        return; /* sold out: the cart is unchanged */
    snprintf(key, sizeof key, "crash-%d-%d", user, round);
    snprintf(body, sizeof body,
             "{\"payment_method\":\"%s\",\"use_credits\":%s,\"expected_total\":{\"amount\":%" PRId64
             ",\"currency\":\"USD\"}}",
             by_credits ? "credits" : "stripe", rand_r(seed) % 2 ? "true" : "false", total);
    if (inv_call(w, "POST", "/billing/checkout", w->token[user], key, etag, body, &r) == 0 &&
        r.status == 201) {
        __atomic_add_fetch(&l->placed, 1, __ATOMIC_RELAXED);
        invoice = api_int(cJSON_GetObjectItemCaseSensitive(api_data(&r), "invoice"), "id");
    } else if (r.status != 0 && r.status != 409 && r.status != 402) {
        fprintf(stderr, "crash load: checkout answered %ld %s\n", r.status, api_error_code(&r));
    }
    api_resp_clear(&r);
    /* Whatever is left in the cart (a refused checkout) goes, so the next round starts clean. */
    if (inv_call(w, "GET", "/billing/cart", w->token[user], NULL, NULL, NULL, &r) == 0) {
        const cJSON *item;

        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(api_data(&r), "items"))
        {
            struct api_resp d;

            snprintf(path, sizeof path, "/billing/cart/items/%" PRId64, api_int(item, "id"));
            inv_call(w, "DELETE", path, w->token[user], NULL, NULL, NULL, &d);
            api_resp_clear(&d);
        }
    }
    api_resp_clear(&r);
    if (invoice && !by_credits && rand_r(seed) % 2) {
        snprintf(path, sizeof path, "/billing/invoices/%" PRId64 "/payments", invoice);
        snprintf(key, sizeof key, "crash-pay-%d-%d", user, round);
        inv_call(w, "POST", path, w->token[user], key, NULL, "{\"payment_method\":\"credits\"}",
                 &r);
        api_resp_clear(&r);
    }
}

static void load_thread(int t, void *arg)
{
    struct load *l = arg;
    unsigned seed = 7919u * (unsigned)(t + 1);
    int64_t deadline = inv_now_ms() + LOAD_LIMIT_MS;

    for (int round = 0; round < MAX_ROUNDS && !stopped(l) && inv_now_ms() < deadline; round++)
        round_once(l, t * (USERS / THREADS) + round % (USERS / THREADS), &seed, round);
}

/* THREADS threads load the shop; the last waits for enough orders and kills the server. */
static void run_or_kill(int i, void *arg)
{
    struct load *l = arg;
    int64_t deadline = inv_now_ms() + KILL_BY_MS;
    struct timespec tick = {0, 5 * 1000 * 1000};

    if (i < THREADS) {
        load_thread(i, l);
        return;
    }
    while (__atomic_load_n(&l->placed, __ATOMIC_RELAXED) < KILL_AFTER && inv_now_ms() < deadline)
        nanosleep(&tick, NULL);
    api_server_kill(&world.server);
    __atomic_store_n(&l->stop, 1, __ATOMIC_RELEASE);
}

static void test_sigkill_loses_no_money(void **state)
{
    static struct load load;
    char dir[sizeof world.server.dir];
    struct api_resp r;

    assert_int_equal(inv_world_start(&world, USERS, setup_sql), 0);
    for (size_t i = 0; i < sizeof wares / sizeof wares[0]; i++)
        assert_true((load.product[i] = inv_product_id(&world, wares[i])) > 0);
    for (int u = 0; u < USERS; u++)
        assert_int_equal(inv_grant_credit(&world, u, FUNDS), 0);

    assert_int_equal(inv_parallel(THREADS + 1, run_or_kill, &load), 0);
    printf("crash: %d orders placed, %d answers before the kill\n", load.placed, load.answers);
    assert_true(load.placed > 0);

    /* Straight after the crash, and again after a restart on the same database and a clean
     * stop: nothing half-done is visible. */
    assert_int_equal(inv_db_breaches(&world), 0);
    snprintf(dir, sizeof dir, "%s", world.server.dir);
    assert_int_equal(api_server_start_in(&world.server, dir, NULL), 0);
    assert_int_equal(api_get(&world.server, "/billing/status", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
    /* The restarted server takes orders again. */
    memset(&load.stop, 0, sizeof load.stop);
    for (int round = 0; round < 3; round++) {
        unsigned seed = 17u + (unsigned)round;
        round_once(&load, round, &seed, 1000 + round);
    }
    assert_int_equal(inv_world_finish(&world), 0);
}

/* The checks above could not fail if they saw nothing: break each invariant once by hand. */
static void test_breaches_are_seen(void **state)
{
    static const char *const breaks[] = {
        "UPDATE users SET credit_balance = credit_balance + 1 WHERE email LIKE 'customer%'",
        "UPDATE products SET stock_available = stock_available + 1 WHERE slug = 'mc-iron'",
        "UPDATE invoices SET total = total + 1 WHERE id = (SELECT MAX(id) FROM invoices)",
        "INSERT INTO coupons(code, type, uses, created_at) VALUES ('PHANTOM', 'percent', 1, 0)",
    };
    /* Breaches seen after each: a changed invoice total breaks two rules. */
    static const int seen[] = {1, 2, 4, 5};
    int64_t dirt;
    char etag[32], path[320];
    int64_t total;
    struct api_resp r;

    assert_int_equal(inv_world_start(&world, 1, setup_sql), 0);
    dirt = inv_product_id(&world, "mc-dirt");
    assert_int_equal(inv_cart_add(&world, 0, dirt, "monthly", NULL, 1, etag, sizeof etag, &total),
                     201);
    assert_int_equal(inv_checkout(&world, 0, "k", etag, "stripe", false, total, &r, NULL), 0);
    assert_int_equal(r.status, 201);
    api_resp_clear(&r);
    assert_int_equal(api_server_stop(&world.server), 0);
    assert_int_equal(inv_db_breaches(&world), 0);
    snprintf(path, sizeof path, "%s/billing.db", world.server.dir);
    for (size_t i = 0; i < sizeof breaks / sizeof breaks[0]; i++) {
        sqlite3 *db = NULL;

        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, breaks[i], NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_changes(db), 1);
        sqlite3_close(db);
        assert_int_equal(inv_db_breaches(&world), seen[i]);
    }
    inv_world_abandon(&world);
}

static int teardown(void **state)
{
    inv_world_abandon(&world);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_breaches_are_seen, teardown),
        cmocka_unit_test_teardown(test_sigkill_loses_no_money, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
