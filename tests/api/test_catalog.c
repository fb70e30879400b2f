/* test_catalog.c: the public store front over HTTP: status, categories, product lists and search.
 */
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

/* All products, read through the paged list with the largest page. */

static void test_status_fields(void **state)
{
    struct api_resp r;
    cJSON *d, *cur, *tax, *gw;

    get_ok("/billing/status", 200, &r);
    assert_string_equal(r.content_type, "application/json; charset=utf-8");
    d = api_data(&r);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "enabled")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "licensed")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "credits_enabled")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "auto_activate")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "signup_enabled")));
    cur = cJSON_GetObjectItem(d, "currency");
    assert_string_equal(api_str(cur, "code"), "USD");
    assert_string_equal(api_str(cur, "symbol"), "$");
    assert_int_equal(api_int(cur, "exponent"), 2);
    tax = cJSON_GetObjectItem(d, "tax");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(tax, "enabled")));
    assert_string_equal(api_str(tax, "name"), "VAT");
    assert_int_equal(api_int(tax, "rate_bps"), 2000);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(tax, "inclusive")));
    gw = cJSON_GetObjectItem(d, "gateways");
    assert_int_equal(cJSON_GetArraySize(gw), 3);
    assert_string_equal(cJSON_GetArrayItem(gw, 0)->valuestring, "stripe");
    assert_string_equal(cJSON_GetArrayItem(gw, 1)->valuestring, "paypal");
    assert_string_equal(cJSON_GetArrayItem(gw, 2)->valuestring, "credits");
    api_resp_clear(&r);
}

static void test_categories(void **state)
{
    struct api_resp r, p;
    cJSON *list, *c;
    int64_t sum = 0;

    get_ok("/billing/categories", 200, &r);
    list = api_data(&r);
    assert_true(cJSON_IsArray(list));
    assert_true(cJSON_GetArraySize(list) >= 4);
    assert_null(cJSON_GetObjectItem(r.json, "meta"));
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 0), "slug"), "minecraft");
    cJSON_ArrayForEach(c, list)
    {
        assert_true(api_int(c, "id") > 0);
        assert_non_null(api_str(c, "slug"));
        assert_non_null(api_str(c, "name"));
        assert_non_null(api_str(c, "description"));
        assert_true(api_int(c, "product_count") > 0);
        sum += api_int(c, "product_count");
    }
    get_ok("/billing/products", 200, &p);
    assert_int_equal(sum, api_int(cJSON_GetObjectItem(p.json, "meta"), "total"));
    api_resp_clear(&p);
    api_resp_clear(&r);
}

static void test_products_default_page(void **state)
{
    struct api_resp r;
    cJSON *meta;
    int64_t total;

    get_ok("/billing/products", 200, &r);
    meta = cJSON_GetObjectItem(r.json, "meta");
    total = api_int(meta, "total");
    assert_true(total >= 20);
    assert_int_equal(api_int(meta, "current_page"), 1);
    assert_int_equal(api_int(meta, "per_page"), 20);
    assert_int_equal(api_int(meta, "total_pages"), (total + 19) / 20);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 20);
    api_resp_clear(&r);
}

static void test_products_paging(void **state)
{
    struct api_resp a, b, end;
    char path[96];
    int64_t total, pages;

    get_ok("/billing/products?per_page=5&page=1", 200, &a);
    get_ok("/billing/products?per_page=5&page=2", 200, &b);
    total = api_int(cJSON_GetObjectItem(a.json, "meta"), "total");
    pages = (total + 4) / 5;
    assert_int_equal(api_int(cJSON_GetObjectItem(b.json, "meta"), "current_page"), 2);
    assert_int_equal(api_int(cJSON_GetObjectItem(b.json, "meta"), "total_pages"), pages);
    assert_int_equal(cJSON_GetArraySize(api_data(&a)), 5);
    assert_int_equal(cJSON_GetArraySize(api_data(&b)), 5);
    /* Page 2 continues page 1: no overlap. */
    assert_true(api_int(cJSON_GetArrayItem(api_data(&a), 4), "id") !=
                api_int(cJSON_GetArrayItem(api_data(&b), 0), "id"));

    snprintf(path, sizeof path, "/billing/products?per_page=5&page=%d", (int)pages + 1);
    get_ok(path, 200, &end);
    assert_int_equal(cJSON_GetArraySize(api_data(&end)), 0);
    assert_int_equal(api_int(cJSON_GetObjectItem(end.json, "meta"), "total"), total);
    assert_int_equal(api_int(cJSON_GetObjectItem(end.json, "meta"), "current_page"), pages + 1);
    api_resp_clear(&a);
    api_resp_clear(&b);
    api_resp_clear(&end);
}

static void expect_invalid_query(const char *path, const char *field)
{
    struct api_resp r;
    cJSON *msgs;

    get_ok(path, 422, &r);
    assert_string_equal(api_error_code(&r), "validation_failed");
    msgs = cJSON_GetObjectItem(api_error_details(&r), field);
    assert_true(cJSON_IsArray(msgs));
    assert_true(cJSON_IsString(cJSON_GetArrayItem(msgs, 0)));
    api_resp_clear(&r);
}

static void test_products_per_page_bounds(void **state)
{
    struct api_resp r;

    get_ok("/billing/products?per_page=100", 200, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "per_page"), 100);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)),
                     api_int(cJSON_GetObjectItem(r.json, "meta"), "total"));
    api_resp_clear(&r);
    get_ok("/billing/products?per_page=1", 200, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    api_resp_clear(&r);

    expect_invalid_query("/billing/products?per_page=101", "per_page");
    expect_invalid_query("/billing/products?per_page=0", "per_page");
    expect_invalid_query("/billing/products?per_page=-5", "per_page");
    expect_invalid_query("/billing/products?per_page=ten", "per_page");
    expect_invalid_query("/billing/products?per_page=", "per_page");
    expect_invalid_query("/billing/products?page=0", "page");
    expect_invalid_query("/billing/products?page=-1", "page");
    expect_invalid_query("/billing/products?page=1.5", "page");
    expect_invalid_query("/billing/products?page=99999999999999999999", "page");
}

static void test_products_category_filter(void **state)
{
    struct api_resp cats, by_id, by_slug;
    cJSON *rust = NULL, *c, *p;
    char path[96];

    get_ok("/billing/categories", 200, &cats);
    cJSON_ArrayForEach(c, api_data(&cats))
    {
        if (strcmp(api_str(c, "slug"), "rust") == 0)
            rust = c;
    }
    assert_non_null(rust);
    snprintf(path, sizeof path, "/billing/products?category=%d", (int)api_int(rust, "id"));
    get_ok(path, 200, &by_id);
    get_ok("/billing/products?category=rust", 200, &by_slug);
    assert_int_equal(api_int(cJSON_GetObjectItem(by_id.json, "meta"), "total"),
                     api_int(rust, "product_count"));
    assert_int_equal(cJSON_GetArraySize(api_data(&by_id)), api_int(rust, "product_count"));
    assert_int_equal(cJSON_GetArraySize(api_data(&by_slug)), api_int(rust, "product_count"));
    cJSON_ArrayForEach(p, api_data(&by_slug))
    {
        assert_string_equal(api_str(p, "category_slug"), "rust");
        assert_int_equal(api_int(p, "category_id"), api_int(rust, "id"));
    }
    for (int i = 0; i < cJSON_GetArraySize(api_data(&by_id)); i++)
        assert_int_equal(api_int(cJSON_GetArrayItem(api_data(&by_id), i), "id"),
                         api_int(cJSON_GetArrayItem(api_data(&by_slug), i), "id"));
    api_resp_clear(&cats);
    api_resp_clear(&by_id);
    api_resp_clear(&by_slug);
}

static void test_products_unknown_category(void **state)
{
    struct api_resp r;

    get_ok("/billing/products?category=no-such-game", 404, &r);
    assert_string_equal(api_error_code(&r), "not_found");
    assert_true(cJSON_IsObject(api_error_details(&r)));
    api_resp_clear(&r);
    get_ok("/billing/products?category=987654", 404, &r);
    assert_string_equal(api_error_code(&r), "not_found");
    api_resp_clear(&r);
}

static void test_products_search(void **state)
{
    struct api_resp r;

    get_ok("/billing/products?q=netherite", 200, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "slug"), "mc-netherite");
    api_resp_clear(&r);

    /* Case-insensitive, and matching descriptions too. */
    get_ok("/billing/products?q=TEAMSPEAK", 200, &r);
    assert_true(api_int(cJSON_GetObjectItem(r.json, "meta"), "total") >= 3);
    api_resp_clear(&r);

    /* Search within a category. */
    get_ok("/billing/products?q=flex&category=rust", 200, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "slug"), "rust-flex");
    api_resp_clear(&r);

    get_ok("/billing/products?q=zzz-no-such-thing", 200, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 0);
    api_resp_clear(&r);

    /* SQL LIKE wildcards are plain text here. */
    get_ok("/billing/products?q=%25", 200, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 0);
    api_resp_clear(&r);
}

/* from_price is the lowest cycle total at the minimum configuration. */

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
        cmocka_unit_test(test_status_fields),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_products_default_page),
        cmocka_unit_test(test_products_paging),
        cmocka_unit_test(test_products_per_page_bounds),
        cmocka_unit_test(test_products_category_filter),
        cmocka_unit_test(test_products_unknown_category),
        cmocka_unit_test(test_products_search),
        cmocka_unit_test(test_survives_and_stops_cleanly),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
