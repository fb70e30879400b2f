/* test_invariants_coupons.c: 40 carts race for a coupon of 5 uses; it is used exactly 5 times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "invariants.h"

#define SHOPPERS 40
#define MAX_USES 5

static struct inv_world world;

struct rush {
    char etag[SHOPPERS][32];
    int64_t total[SHOPPERS];
    long status[SHOPPERS];
    char code[SHOPPERS][40];
};

static void rush_one(int i, void *arg)
{
    struct rush *rush = arg;
    struct api_resp r;
    char key[32];

    snprintf(key, sizeof key, "rush-%d", i);
    if (inv_checkout(&world, i, key, rush->etag[i], "stripe", false, rush->total[i], &r, NULL) ==
        0) {
        rush->status[i] = r.status;
        snprintf(rush->code[i], sizeof rush->code[i], "%s", api_error_code(&r));
    }
    api_resp_clear(&r);
}

static int64_t coupon_uses(const char *code)
{
    char path[64];
    struct api_resp r;
    int64_t uses;

    snprintf(path, sizeof path, "/admin/coupons?q=%s", code);
    assert_int_equal(inv_call(&world, "GET", path, world.admin, NULL, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    uses = api_int(cJSON_GetArrayItem(api_data(&r), 0), "uses");
    api_resp_clear(&r);
    return uses;
}

static void test_coupon_uses_never_exceed_max(void **state)
{
    static struct rush rush;
    int64_t dirt;
    struct api_resp r;
    int placed = 0, exhausted = 0;

    assert_int_equal(inv_world_start(&world, SHOPPERS, NULL), 0);
    dirt = inv_product_id(&world, "mc-dirt");
    assert_int_equal(inv_call(&world, "POST", "/admin/coupons", world.admin, NULL, NULL,
                              "{\"code\":\"RACE5\",\"description\":\"Five only\",\"type\":"
                              "\"percent\",\"percent_bps\":1000,\"duration\":\"once\","
                              "\"max_uses\":5,\"once_per_customer\":false}",
                              &r),
                     0);
    assert_int_equal(r.status, 201);
    api_resp_clear(&r);

    /* Every cart holds the coupon: it is counted when an order is placed, not before. */
    for (int i = 0; i < SHOPPERS; i++) {
        cJSON *coupon;

        assert_int_equal(inv_cart_add(&world, i, dirt, "monthly", NULL, 1, NULL, 0, NULL), 201);
        assert_int_equal(inv_call(&world, "PUT", "/billing/cart/coupon", world.token[i], NULL, NULL,
                                  "{\"code\":\"race5\"}", &r),
                         0);
        assert_int_equal(r.status, 200);
        coupon = cJSON_GetObjectItemCaseSensitive(api_data(&r), "coupon");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(coupon, "valid")));
        assert_true(inv_money(coupon, "discount") > 0);
        rush.total[i] =
            inv_money(cJSON_GetObjectItemCaseSensitive(api_data(&r), "totals"), "total");
        assert_int_equal(inv_etag(&r, rush.etag[i], sizeof rush.etag[i]), 0);
        api_resp_clear(&r);
    }
    assert_int_equal(coupon_uses("RACE5"), 0);

    assert_int_equal(inv_parallel(SHOPPERS, rush_one, &rush), 0);
    for (int i = 0; i < SHOPPERS; i++) {
        if (rush.status[i] == 201)
            placed++;
        else if (rush.status[i] == 422 && strcmp(rush.code[i], "coupon_exhausted") == 0)
            exhausted++;
        else
            fail_msg("shopper %d: %ld %s", i, rush.status[i], rush.code[i]);
    }
    assert_int_equal(placed, MAX_USES);
    assert_int_equal(exhausted, SHOPPERS - MAX_USES);
    assert_int_equal(coupon_uses("RACE5"), MAX_USES);
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
        cmocka_unit_test_teardown(test_coupon_uses_never_exceed_max, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
