/* test_products.c: one product over HTTP: detail by id and slug, pricing models, stock, prices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

static struct api_server server;

/* GET that must answer; the response is the caller's to clear. */
static void get_ok(const char *path, long status, struct api_resp *r)
{
    assert_int_equal(api_get(&server, path, NULL, r), 0);
    assert_int_equal(r->status, status);
    assert_non_null(r->json);
}

static int64_t money_amount(const cJSON *obj, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);

    assert_string_equal(api_str(m, "currency"), "USD");
    return api_int(m, "amount");
}

/* All products, read through the paged list with the largest page. */
static cJSON *all_products(void)
{
    struct api_resp r;
    cJSON *all;

    get_ok("/billing/products?per_page=100", 200, &r);
    all = cJSON_DetachItemFromObjectCaseSensitive(r.json, "data");
    assert_true(cJSON_IsArray(all));
    api_resp_clear(&r);
    return all;
}

static void test_product_by_id_and_slug(void **state)
{
    struct api_resp by_slug, by_id;
    char path[64];
    char *a, *b;

    get_ok("/billing/products/mc-iron", 200, &by_slug);
    assert_string_equal(api_str(api_data(&by_slug), "name"), "Iron");
    snprintf(path, sizeof path, "/billing/products/%d", (int)api_int(api_data(&by_slug), "id"));
    get_ok(path, 200, &by_id);
    a = cJSON_PrintUnformatted(api_data(&by_slug));
    b = cJSON_PrintUnformatted(api_data(&by_id));
    assert_string_equal(a, b);
    free(a);
    free(b);
    api_resp_clear(&by_slug);
    api_resp_clear(&by_id);
}

static void test_product_unknown(void **state)
{
    struct api_resp r;

    get_ok("/billing/products/no-such-plan", 404, &r);
    assert_string_equal(api_error_code(&r), "not_found");
    assert_non_null(
        strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "no-such-plan"));
    api_resp_clear(&r);
    get_ok("/billing/products/999999", 404, &r);
    assert_string_equal(api_error_code(&r), "not_found");
    api_resp_clear(&r);
}

static void test_product_shape(void **state)
{
    struct api_resp r;
    cJSON *p, *res, *cycles, *c, *stock;

    get_ok("/billing/products/mc-iron", 200, &r);
    p = api_data(&r);
    assert_true(api_int(p, "id") > 0);
    assert_string_equal(api_str(p, "slug"), "mc-iron");
    assert_string_equal(api_str(p, "category_slug"), "minecraft");
    assert_true(api_int(p, "category_id") > 0);
    assert_true(strlen(api_str(p, "short_description")) > 0);
    assert_non_null(strchr(api_str(p, "description"), '\n')); /* has a paragraph break */
    res = cJSON_GetObjectItem(p, "resources");
    assert_int_equal(api_int(res, "memory_mb"), 4096);
    assert_true(api_int(res, "disk_mb") > 0);
    assert_true(api_int(res, "cpu_percent") > 0);
    assert_true(api_int(res, "databases") >= 0);
    assert_true(api_int(res, "backups") >= 0);
    assert_true(api_int(res, "allocations") >= 0);
    assert_string_equal(api_str(p, "pricing_model"), "fixed");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(p, "options")), 0);
    cycles = cJSON_GetObjectItem(p, "cycles");
    assert_true(cJSON_GetArraySize(cycles) >= 2);
    c = cJSON_GetArrayItem(cycles, 0);
    assert_string_equal(api_str(c, "cycle"), "monthly");
    assert_int_equal(api_int(c, "months"), 1);
    assert_int_equal(money_amount(c, "price"), 899);
    assert_int_equal(money_amount(c, "setup_fee"), 0);
    assert_int_equal(money_amount(p, "from_price"), 899);
    assert_string_equal(api_str(p, "from_cycle"), "monthly");
    stock = cJSON_GetObjectItem(p, "stock");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(stock, "limited")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(stock, "available")));
    api_resp_clear(&r);
}

static void test_pricing_models_present(void **state)
{
    static const char *const models[] = {"fixed", "per_gb_memory", "per_gb_disk", "configurable"};
    cJSON *all = all_products(), *p;
    int seen[4] = {0};

    assert_true(cJSON_GetArraySize(all) >= 20);
    cJSON_ArrayForEach(p, all)
    {
        const char *m = api_str(p, "pricing_model");
        cJSON *opts = cJSON_GetObjectItem(p, "options");
        int i;

        for (i = 0; i < 4 && strcmp(m, models[i]) != 0; i++)
            ;
        assert_true(i < 4);
        seen[i]++;
        if (i == 0)
            assert_int_equal(cJSON_GetArraySize(opts), 0);
        if (i == 1 || i == 2) {
            assert_int_equal(cJSON_GetArraySize(opts), 1);
            assert_string_equal(api_str(cJSON_GetArrayItem(opts, 0), "resource"),
                                i == 1 ? "memory_mb" : "disk_mb");
        }
        if (i == 3)
            assert_true(cJSON_GetArraySize(opts) >= 2);
    }
    for (int i = 0; i < 4; i++)
        assert_true(seen[i] > 0);
    cJSON_Delete(all);
}

static void test_sold_out_product(void **state)
{
    cJSON *all = all_products(), *p;
    int sold_out = 0, limited = 0;

    cJSON_ArrayForEach(p, all)
    {
        cJSON *stock = cJSON_GetObjectItem(p, "stock");
        bool lim = cJSON_IsTrue(cJSON_GetObjectItem(stock, "limited"));

        if (!lim) {
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(stock, "available")));
            continue;
        }
        limited++;
        assert_true(api_int(stock, "available") >= 0);
        if (api_int(stock, "available") == 0) {
            sold_out++;
            assert_string_equal(api_str(p, "slug"), "rust-launch-site");
        }
    }
    assert_int_equal(sold_out, 1);
    assert_true(limited >= 3);
    cJSON_Delete(all);
}

static void test_setup_fees_and_cycles(void **state)
{
    static const char *const names[] = {"monthly", "quarterly", "semi_annual",
                                        "annual",  "biennial",  "one_time"};
    static const int months[] = {1, 3, 6, 12, 24, 1};
    cJSON *all = all_products(), *p, *c;
    int with_fee = 0, seen[6] = {0};

    cJSON_ArrayForEach(p, all)
    {
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(p, "cycles"))
        {
            int i;

            for (i = 0; i < 6 && strcmp(api_str(c, "cycle"), names[i]) != 0; i++)
                ;
            assert_true(i < 6);
            seen[i]++;
            assert_int_equal(api_int(c, "months"), months[i]);
            assert_true(money_amount(c, "price") >= 0);
            if (money_amount(c, "setup_fee") > 0)
                with_fee++;
        }
    }
    assert_true(with_fee >= 3);
    for (int i = 0; i < 6; i++)
        assert_true(seen[i] > 0);
    cJSON_Delete(all);
}

static void test_from_price(void **state)
{
    cJSON *all = all_products(), *p, *c, *o;

    cJSON_ArrayForEach(p, all)
    {
        int64_t best = INT64_MAX;
        const char *best_cycle = NULL;

        cJSON_ArrayForEach(c, cJSON_GetObjectItem(p, "cycles"))
        {
            int64_t total = money_amount(c, "price");

            cJSON_ArrayForEach(o, cJSON_GetObjectItem(p, "options"))
            {
                total += api_int(o, "min") / api_int(o, "unit_size") *
                         money_amount(o, "unit_price") * api_int(c, "months");
            }
            if (total < best) {
                best = total;
                best_cycle = api_str(c, "cycle");
            }
        }
        assert_int_equal(money_amount(p, "from_price"), best);
        assert_string_equal(api_str(p, "from_cycle"), best_cycle);
    }
    cJSON_Delete(all);
}

static void test_option_defaults_are_resources(void **state)
{
    struct api_resp r;
    cJSON *p, *o;

    get_ok("/billing/products/custom-build", 200, &r);
    p = api_data(&r);
    assert_string_equal(api_str(p, "pricing_model"), "configurable");
    cJSON_ArrayForEach(o, cJSON_GetObjectItem(p, "options"))
    {
        const char *resource = api_str(o, "resource");

        assert_true(api_int(o, "min") <= api_int(o, "default"));
        assert_true(api_int(o, "default") <= api_int(o, "max"));
        assert_true(api_int(o, "step") > 0);
        assert_int_equal((api_int(o, "default") - api_int(o, "min")) % api_int(o, "step"), 0);
        assert_non_null(api_str(o, "label"));
        assert_non_null(api_str(o, "unit"));
        assert_int_equal(api_int(cJSON_GetObjectItem(p, "resources"), resource),
                         api_int(o, "default"));
    }
    api_resp_clear(&r);
}

static void test_survives_and_stops_cleanly(void **state)
{
    struct api_resp r;

    get_ok("/billing/status", 200, &r);
    api_resp_clear(&r);
    assert_int_equal(api_server_stop(&server), 0);
}

static int setup(void **state)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return api_server_start(&server, NULL);
}

static int teardown(void **state)
{
    api_server_cleanup(&server);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_by_id_and_slug),
        cmocka_unit_test(test_product_unknown),
        cmocka_unit_test(test_product_shape),
        cmocka_unit_test(test_pricing_models_present),
        cmocka_unit_test(test_sold_out_product),
        cmocka_unit_test(test_setup_fees_and_cycles),
        cmocka_unit_test(test_from_price),
        cmocka_unit_test(test_option_defaults_are_resources),
        cmocka_unit_test(test_survives_and_stops_cleanly),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
