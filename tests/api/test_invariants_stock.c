/* test_invariants_stock.c: 200 customers race for 10 units; exactly 10 orders, never oversold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "invariants.h"

#define BUYERS 200
#define STOCK  10

/* mc-iron (fixed, monthly 899) becomes the limited product; mc-gold sells three at a time. */
static const char setup_sql[] =
    "UPDATE products SET stock_limited = 1, stock_available = 10 WHERE slug = 'mc-iron';"
    "UPDATE products SET stock_limited = 1, stock_available = 10 WHERE slug = 'mc-gold';";

static struct inv_world world;

struct race {
    struct inv_world *w;
    const char *slug;
    int retries;
    char etag[BUYERS][32];
    int64_t total[BUYERS];
    long status[BUYERS];
    char code[BUYERS][40];
};

static void race_checkout(int i, void *arg)
{
    struct race *race = arg;
    struct api_resp r;
    char key[48];

    snprintf(key, sizeof key, "race-%s-%d", race->slug, i);
    if (inv_checkout(race->w, i, key, race->etag[i], "stripe", false, race->total[i], &r,
                     &race->retries) == 0) {
        race->status[i] = r.status;
        snprintf(race->code[i], sizeof race->code[i], "%s", api_error_code(&r));
    }
    api_resp_clear(&r);
}

/* Every buyer puts `quantity` of slug in the cart, then all check out at once. Counts orders. */
static int run_race(struct race *race, const char *slug, int quantity, int *refused)
{
    int64_t product = inv_product_id(race->w, slug);
    int orders = 0;

    assert_true(product > 0);
    race->slug = slug;
    for (int i = 0; i < BUYERS; i++)
        assert_int_equal(inv_cart_add(race->w, i, product, "monthly", NULL, quantity, race->etag[i],
                                      sizeof race->etag[i], &race->total[i]),
                         201);
    memset(race->status, 0, sizeof race->status);
    assert_int_equal(inv_parallel(BUYERS, race_checkout, race), 0);
    *refused = 0;
    for (int i = 0; i < BUYERS; i++) {
        if (race->status[i] == 201) {
            orders++;
        } else if (race->status[i] == 409 && strcmp(race->code[i], "out_of_stock") == 0) {
            (*refused)++;
        } else {
            fprintf(stderr, "buyer %d: %ld %s\n", i, race->status[i], race->code[i]);
            fail_msg("a checkout was neither placed nor refused as out_of_stock");
        }
    }
    return orders;
}

static int64_t stock_left(struct inv_world *w, const char *slug)
{
    char path[96];
    struct api_resp r;
    int64_t left;

    snprintf(path, sizeof path, "/billing/products/%s", slug);
    assert_int_equal(api_get(&w->server, path, NULL, &r), 0);
    left = api_int(cJSON_GetObjectItemCaseSensitive(api_data(&r), "stock"), "available");
    api_resp_clear(&r);
    return left;
}

static void test_last_units_are_sold_once(void **state)
{
    static struct race race;
    struct inv_world *w = &world;
    int refused, orders;

    assert_int_equal(inv_world_start(w, BUYERS, setup_sql), 0);
    race.w = w;

    /* One unit each: exactly the stock is sold, everyone else is told why. */
    orders = run_race(&race, "mc-iron", 1, &refused);
    assert_int_equal(orders, STOCK);
    assert_int_equal(refused, BUYERS - STOCK);
    assert_int_equal(stock_left(w, "mc-iron"), 0);
    for (int i = 0, winners = 0; i < BUYERS; i++) {
        int64_t n = inv_list_total(w, i, "/billing/orders");

        assert_int_equal(n, race.status[i] == 201 ? 1 : 0);
        winners += (int)n;
        if (i == BUYERS - 1)
            assert_int_equal(winners, STOCK);
    }
    /* Empty the losers' carts: the next race starts from nothing. */
    for (int i = 0; i < BUYERS; i++) {
        struct api_resp r;
        cJSON *items;

        assert_int_equal(inv_call(w, "GET", "/billing/cart", w->token[i], NULL, NULL, NULL, &r), 0);
        items = cJSON_GetObjectItemCaseSensitive(api_data(&r), "items");
        for (int k = cJSON_GetArraySize(items) - 1; k >= 0; k--) {
            char path[64];
            struct api_resp d;

            snprintf(path, sizeof path, "/billing/cart/items/%" PRId64,
                     api_int(cJSON_GetArrayItem(items, k), "id"));
            assert_int_equal(inv_call(w, "DELETE", path, w->token[i], NULL, NULL, NULL, &d), 0);
            assert_int_equal(d.status, 200);
            api_resp_clear(&d);
        }
        api_resp_clear(&r);
    }

    /* Three units each from ten: three orders, one unit stays on the shelf. */
    orders = run_race(&race, "mc-gold", 3, &refused);
    assert_int_equal(orders, STOCK / 3);
    assert_int_equal(refused, BUYERS - STOCK / 3);
    assert_int_equal(stock_left(w, "mc-gold"), STOCK % 3);

    if (race.retries)
        printf("connections dropped by the server and retried: %d\n", race.retries);
    assert_int_equal(inv_world_finish(w), 0);
}

static int teardown(void **state)
{
    inv_world_abandon(&world);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_last_units_are_sold_once, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
