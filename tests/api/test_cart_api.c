/* test_cart_api.c: the cart over HTTP: lines added, changed and removed with their prices, the
 * version as ETag and If-Match, every validation problem named by its field, quantity and stock
 * rules, one account never touching another's lines, and quotes priced like carts. */
#include "commerce_fixture.h"

static struct api_server server;
static char demo[128], other[128], lines[128];

/* Demo catalog ids: 3 mc-iron (899 monthly), 1 mc-dirt (no biennial), 7 mc-flex (per GB of
 * memory: 2-32 GB in 1 GB steps, 225 a GB a month, base 100/270/1000), 10 rust-launch-site
 * (sold out), 11 rust-oil-rig (3 left, 1500 setup fee monthly). */
#define IRON_MONTHLY "{\"product_id\":3,\"cycle\":\"monthly\"}"
#define FLEX_8GB_Q   "{\"product_id\":7,\"cycle\":\"quarterly\",\"options\":{\"memory_mb\":8192}}"

static int setup(void **state)
{
    const char *args[] = {"--seed-users", "3", NULL};

    if (api_server_start(&server, args) != 0)
        return -1;
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    adm_login(&server, "customer1@example.com", "password", other);
    adm_login(&server, "customer2@example.com", "password", lines);
    return 0;
}

static int teardown(void **state)
{
    /* A clean exit, also under the sanitizers: nothing leaked or misused in the server. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    return rc == 0 ? 0 : -1;
}

static const cJSON *item(const struct api_resp *r, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(api_data(r), "items"), i);
}

static int64_t totals(const struct api_resp *r, const char *name)
{
    return adm_money(cJSON_GetObjectItem(api_data(r), "totals"), name);
}

static void test_the_cart_needs_an_account(void **state)
{
    adm_check(&server, "GET", "/billing/cart", NULL, NULL, 401, "unauthenticated");
    adm_check(&server, "POST", "/billing/cart/items", NULL, IRON_MONTHLY, 401, "unauthenticated");
}

static void test_a_new_cart_is_empty_at_version_1(void **state)
{
    struct api_resp r;

    cm_call(&server, "GET", "/billing/cart", other, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cm_etag(&r), 1);
    assert_int_equal(api_int(api_data(&r), "version"), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "items")), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(api_data(&r), "coupon")));
    assert_int_equal(totals(&r, "total"), 0);
    assert_int_equal(totals(&r, "due_now"), 0);
    api_resp_clear(&r);
    /* The demo customer starts with $10.00 of credit, shown as available. */
    cm_call(&server, "GET", "/billing/cart", demo, NULL, -1, NULL, &r);
    assert_int_equal(totals(&r, "credits_available"), 1000);
    api_resp_clear(&r);
}

static void test_lines_are_priced_and_bump_the_version(void **state)
{
    struct api_resp r;
    int64_t v = cm_cart(&server, demo, NULL);

    cm_call(&server, "POST", "/billing/cart/items", demo, IRON_MONTHLY, v, NULL, &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(cm_etag(&r), v + 1);
    assert_int_equal(adm_money(item(&r, 0), "unit_price"), 899);
    assert_int_equal(adm_money(item(&r, 0), "line_total"), 899);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(item(&r, 0), "available")));
    assert_true(api_int(item(&r, 0), "id") > 0);
    api_resp_clear(&r);

    cm_call(&server, "POST", "/billing/cart/items", demo, FLEX_8GB_Q, -1, NULL, &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(cm_etag(&r), v + 2);
    /* 270 base + 8 GB x 225 x 3 months; the default of every other option filled in. */
    assert_int_equal(adm_money(item(&r, 1), "unit_price"), 270 + 8 * 225 * 3);
    assert_int_equal(api_int(cJSON_GetObjectItem(item(&r, 1), "options"), "memory_mb"), 8192);
    assert_int_equal(totals(&r, "subtotal"), 899 + 5670);
    /* VAT 20 % of 6569 = 1313.8, rounded half up once for the whole cart. */
    assert_int_equal(totals(&r, "tax_total"), 1314);
    assert_int_equal(totals(&r, "total"), 6569 + 1314);
    assert_int_equal(totals(&r, "credits_to_apply"), 1000);
    assert_int_equal(totals(&r, "due_now"), 6569 + 1314 - 1000);
    api_resp_clear(&r);
}

static void test_a_quote_prices_as_the_cart_does(void **state)
{
    struct api_resp r;
    int64_t total = 0;

    cm_cart(&server, demo, &total);
    /* Public: no token. */
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[" IRON_MONTHLY "," FLEX_8GB_Q "],\"coupon\":null}", -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(totals(&r, "total"), total);
    assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(api_data(&r), "totals"), "due_now"));
    api_resp_clear(&r);
    /* A sold-out product is priced and marked. */
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[{\"product_id\":10,\"cycle\":\"monthly\"}]}", -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(item(&r, 0), "available")));
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/quotes", NULL, "{\"items\":[]}", -1, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "items"), "must hold 1 to 20 lines");
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[" IRON_MONTHLY ",{\"product_id\":1,\"cycle\":\"biennial\"}]}", -1, NULL,
            &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "items[1].cycle"), "is not offered for this product");
    api_resp_clear(&r);
}

static void test_if_match_guards_every_change(void **state)
{
    struct api_resp r;
    int64_t v = cm_cart(&server, demo, NULL);
    int64_t id;
    char path[64];

    cm_call(&server, "GET", "/billing/cart", demo, NULL, -1, NULL, &r);
    id = api_int(item(&r, 0), "id");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/cart/items/%lld", (long long)id);
    cm_call(&server, "PATCH", path, demo, "{\"quantity\":2}", v - 1, NULL, &r);
    adm_expect(&r, 412, "precondition_failed");
    assert_int_equal(cm_etag(&r), v); /* the current version, to reload with */
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/cart/items", demo, IRON_MONTHLY, v + 5, NULL, &r);
    adm_expect(&r, 412, "precondition_failed");
    api_resp_clear(&r);
    cm_call(&server, "DELETE", "/billing/cart/coupon", demo, NULL, v - 1, NULL, &r);
    adm_expect(&r, 412, "precondition_failed");
    api_resp_clear(&r);
    assert_int_equal(cm_cart(&server, demo, NULL), v); /* nothing changed */
    cm_call(&server, "PATCH", path, demo, "{\"quantity\":2}", v, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cm_etag(&r), v + 1);
    assert_int_equal(adm_money(item(&r, 0), "line_total"), 2 * 899);
    api_resp_clear(&r);
    /* Removing a coupon that is not there changes nothing, not even the version. */
    cm_call(&server, "DELETE", "/billing/cart/coupon", demo, NULL, v + 1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cm_etag(&r), v + 1);
    api_resp_clear(&r);
}

static void expect_field(const char *body, const char *field, const char *message)
{
    struct api_resp r;

    cm_call(&server, "POST", "/billing/cart/items", demo, body, -1, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, field), message);
    api_resp_clear(&r);
}

static void test_every_problem_is_named_by_its_field(void **state)
{
    int64_t v = cm_cart(&server, demo, NULL);

    expect_field("{}", "product_id", "is required");
    expect_field("{}", "cycle", "is required");
    expect_field("{\"product_id\":\"3\",\"cycle\":\"monthly\"}", "product_id",
                 "must be a positive integer");
    expect_field("{\"product_id\":9999,\"cycle\":\"monthly\"}", "product_id", "no such product");
    expect_field("{\"product_id\":3,\"cycle\":\"weekly\"}", "cycle",
                 "must be one of one_time, monthly, quarterly, semi_annual, annual, biennial");
    expect_field("{\"product_id\":1,\"cycle\":\"biennial\"}", "cycle",
                 "is not offered for this product");
    expect_field("{\"product_id\":7,\"cycle\":\"monthly\",\"options\":{\"memory_mb\":3000}}",
                 "options.memory_mb", "must be a multiple of 1024 between 2048 and 32768");
    expect_field("{\"product_id\":7,\"cycle\":\"monthly\",\"options\":{\"memory_mb\":1024}}",
                 "options.memory_mb", "must be a multiple of 1024 between 2048 and 32768");
    expect_field("{\"product_id\":7,\"cycle\":\"monthly\",\"options\":{\"cpu_percent\":200}}",
                 "options.cpu_percent", "is not configurable for this product");
    expect_field("{\"product_id\":7,\"cycle\":\"monthly\",\"options\":{\"ram\":2}}", "options.ram",
                 "is not a resource");
    expect_field("{\"product_id\":7,\"cycle\":\"monthly\",\"options\":{\"memory_mb\":-1024}}",
                 "options.memory_mb", "must be a non-negative integer");
    expect_field("{\"product_id\":3,\"cycle\":\"monthly\",\"quantity\":0}", "quantity",
                 "must be an integer from 1 to 10");
    expect_field("{\"product_id\":3,\"cycle\":\"monthly\",\"quantity\":11}", "quantity",
                 "must be an integer from 1 to 10");
    adm_check(&server, "POST", "/billing/cart/items", demo, "[1]", 400, "invalid_json");
    assert_int_equal(cm_cart(&server, demo, NULL), v); /* no refusal changed the cart */
}

static void test_lines_change_and_go(void **state)
{
    struct api_resp r;
    int64_t v = cm_cart(&server, demo, NULL), id;
    char path[64];

    cm_call(&server, "GET", "/billing/cart", demo, NULL, -1, NULL, &r);
    id = api_int(item(&r, 1), "id"); /* the mc-flex line */
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/cart/items/%lld", (long long)id);
    cm_call(&server, "PATCH", path, demo, "{\"cycle\":\"annual\",\"options\":{\"memory_mb\":4096}}",
            v, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(item(&r, 1), "unit_price"), 1000 + 4 * 225 * 12);
    assert_string_equal(api_str(item(&r, 1), "cycle"), "annual");
    api_resp_clear(&r);
    cm_call(&server, "PATCH", path, demo, "{}", -1, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "body"),
                        "must change at least one of cycle, options, quantity");
    api_resp_clear(&r);
    cm_call(&server, "PATCH", path, demo, "{\"cycle\":\"semi_annual\"}", -1, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "cycle"), "is not offered for this product");
    api_resp_clear(&r);
    adm_check(&server, "PATCH", "/billing/cart/items/99999", demo, "{\"quantity\":1}", 404,
              "not_found");
    adm_check(&server, "PATCH", "/billing/cart/items/abc", demo, "{\"quantity\":1}", 404,
              "not_found");
    cm_call(&server, "DELETE", path, demo, NULL, v + 1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cm_etag(&r), v + 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "items")), 1);
    api_resp_clear(&r);
    adm_check(&server, "DELETE", path, demo, NULL, 404, "not_found");
}

static void test_another_accounts_lines_are_not_found(void **state)
{
    struct api_resp r;
    int64_t id;
    char path[64];

    cm_call(&server, "POST", "/billing/cart/items", other, IRON_MONTHLY, -1, NULL, &r);
    adm_expect(&r, 201, NULL);
    id = api_int(item(&r, 0), "id");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/cart/items/%lld", (long long)id);
    adm_check(&server, "PATCH", path, demo, "{\"quantity\":3}", 404, "not_found");
    adm_check(&server, "DELETE", path, demo, NULL, 404, "not_found");
    cm_call(&server, "GET", "/billing/cart", other, NULL, -1, NULL, &r);
    assert_int_equal(api_int(item(&r, 0), "quantity"), 1);
    api_resp_clear(&r);
}

static void test_stock_limits_what_a_line_may_hold(void **state)
{
    struct api_resp r;
    int64_t id;
    char path[64];

    cm_call(&server, "POST", "/billing/cart/items", other,
            "{\"product_id\":10,\"cycle\":\"monthly\"}", -1, NULL, &r);
    adm_expect(&r, 409, "out_of_stock");
    assert_non_null(cJSON_GetObjectItem(api_error_details(&r), "product_id"));
    api_resp_clear(&r);
    adm_check(&server, "POST", "/billing/cart/items", other,
              "{\"product_id\":11,\"cycle\":\"monthly\",\"quantity\":4}", 409, "out_of_stock");
    cm_call(&server, "POST", "/billing/cart/items", other,
            "{\"product_id\":11,\"cycle\":\"monthly\",\"quantity\":3}", -1, NULL, &r);
    adm_expect(&r, 201, NULL);
    /* (4499 + 1500 setup) x 3: the setup fee is part of the first invoice. */
    assert_int_equal(adm_money(item(&r, 1), "line_total"), (4499 + 1500) * 3);
    assert_int_equal(adm_money(item(&r, 1), "recurring"), 4499 * 3);
    id = api_int(item(&r, 1), "id");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/cart/items/%lld", (long long)id);
    cm_call(&server, "PATCH", path, other, "{\"quantity\":4}", -1, NULL, &r);
    adm_expect(&r, 409, "out_of_stock");
    {
        char field[48];

        snprintf(field, sizeof field, "cart_item.%lld", (long long)id);
        assert_non_null(cJSON_GetObjectItem(api_error_details(&r), field));
    }
    api_resp_clear(&r);
}

static void test_a_cart_holds_twenty_lines(void **state)
{
    struct api_resp r;

    for (int i = 0; i < 20; i++)
        cm_add(&server, lines, "{\"product_id\":16,\"cycle\":\"monthly\"}");
    cm_call(&server, "POST", "/billing/cart/items", lines,
            "{\"product_id\":16,\"cycle\":\"monthly\"}", -1, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "items"), "a cart holds at most 20 lines");
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/cart", lines, NULL, -1, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "items")), 20);
    assert_int_equal(totals(&r, "subtotal"), 20 * 199);
    api_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_cart_needs_an_account),
        cmocka_unit_test(test_a_new_cart_is_empty_at_version_1),
        cmocka_unit_test(test_lines_are_priced_and_bump_the_version),
        cmocka_unit_test(test_a_quote_prices_as_the_cart_does),
        cmocka_unit_test(test_if_match_guards_every_change),
        cmocka_unit_test(test_every_problem_is_named_by_its_field),
        cmocka_unit_test(test_lines_change_and_go),
        cmocka_unit_test(test_another_accounts_lines_are_not_found),
        cmocka_unit_test(test_stock_limits_what_a_line_may_hold),
        cmocka_unit_test(test_a_cart_holds_twenty_lines),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
