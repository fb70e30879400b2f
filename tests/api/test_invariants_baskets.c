/* test_invariants_baskets.c: 1,000 random baskets; quote, cart and invoice agree to the minor unit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants_baskets.h"
#include "invariants.h"

#define BASKETS 1000
#define USERS   100
#define THREADS 4
#define FUNDS   INT64_C(100000000)

static struct inv_world world;
static struct basket_shop shop;

/* The store's settings for a share of the baskets: every tax mode, credits on and off. */
static const struct mode {
    const char *tax; /* "exclusive", "inclusive" or "off" */
    int rate_bps;
    bool credits;
} modes[] = {
    {"exclusive", 2000, true}, {"inclusive", 1900, true},  {"off", 0, true},
    {"exclusive", 725, false}, {"inclusive", 2500, false}, {"off", 0, false},
};
#define MODES (sizeof modes / sizeof modes[0])

struct run {
    const struct mode *mode;
    int first, last; /* basket numbers of this mode */
    unsigned seed;
    pthread_mutex_t lock;
    int failures;
    int done;
};

static void set_mode(const struct mode *m)
{
    char body[256];
    struct api_resp r;

    snprintf(body, sizeof body,
             "{\"tax\":{\"enabled\":%s,\"inclusive\":%s,\"rate_bps\":%d},\"credits_enabled\":%s}",
             strcmp(m->tax, "off") == 0 ? "false" : "true",
             strcmp(m->tax, "inclusive") == 0 ? "true" : "false", m->rate_bps,
             m->credits ? "true" : "false");
    assert_int_equal(
        inv_call(&world, "PATCH", "/admin/settings", world.admin, NULL, NULL, body, &r), 0);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
}

static void run_thread(int t, void *arg)
{
    struct run *run = arg;

    for (int b = run->first + t; b <= run->last; b += THREADS) {
        struct basket_case c = {
            .shop = &shop,
            .world = &world,
            .user = t * (USERS / THREADS) + (b / THREADS) % (USERS / THREADS),
            .number = b,
            .seed = run->seed + (unsigned)b,
            .tax = run->mode->tax,
            .rate_bps = run->mode->rate_bps,
            .credits = run->mode->credits,
            .funds = FUNDS,
        };
        int failed = basket_check(&c) != 0;

        pthread_mutex_lock(&run->lock);
        run->failures += failed;
        run->done++;
        pthread_mutex_unlock(&run->lock);
    }
}

static void test_random_baskets_add_up(void **state)
{
    const char *env = getenv("SETT_BASKET_SEED");
    struct run run = {.lock = PTHREAD_MUTEX_INITIALIZER};
    int64_t started = inv_now_ms();

    run.seed = env ? (unsigned)strtoul(env, NULL, 10) : 20250601u;
    printf("baskets: seed %u (SETT_BASKET_SEED=%u repeats this run)\n", run.seed, run.seed);
    assert_int_equal(inv_world_start(&world, USERS, NULL), 0);
    for (int u = 0; u < USERS; u++)
        assert_int_equal(inv_grant_credit(&world, u, FUNDS), 0);
    assert_int_equal(basket_shop_load(&shop, &world), 0);

    for (size_t m = 0; m < MODES; m++) {
        run.mode = &modes[m];
        run.first = (int)(m * BASKETS / MODES);
        run.last = (int)((m + 1) * BASKETS / MODES) - 1;
        set_mode(run.mode);
        assert_int_equal(inv_parallel(THREADS, run_thread, &run), 0);
    }
    printf("baskets: %d checked in %lld ms, %d failed\n", run.done,
           (long long)(inv_now_ms() - started), run.failures);
    assert_int_equal(run.done, BASKETS);
    assert_int_equal(run.failures, 0);
    assert_int_equal(inv_world_finish(&world), 0);
}

static int teardown(void **state)
{
    inv_world_abandon(&world);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_random_baskets_add_up, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
