/* test_coupons_refusals.c: coupon codes on carts and quotes: each refusal with its own code, the
 * restrictions (products, cycles, minimum, window, total and per-customer uses), a discount that
 * never takes a line below zero, and a coupon that stops applying before checkout. */
#include "commerce_fixture.h"

static struct api_server server;
static char demo[128], first[128], second[128], third[128];

#define IRON_MONTHLY "{\"product_id\":3,\"cycle\":\"monthly\"}"
#define IRON_ANNUAL  "{\"product_id\":3,\"cycle\":\"annual\"}"
#define RUST_MONTHLY "{\"product_id\":8,\"cycle\":\"monthly\"}"

static int setup(void **state)
{
    const char *args[] = {"--seed-users", "3", NULL};

    if (api_server_start(&server, args) != 0)
        return -1;
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    adm_login(&server, "customer1@example.com", "password", first);
    adm_login(&server, "customer2@example.com", "password", second);
    adm_login(&server, "customer3@example.com", "password", third);
    return 0;
}

static int teardown(void **state)
{
    /* A clean exit, also under the sanitizers: nothing leaked or misused in the server. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    return rc == 0 ? 0 : -1;
}

static void expect_refusal(const char *token, const char *code, const char *error)
{
    struct api_resp r;
    int64_t v = cm_cart(&server, token, NULL);

    cm_coupon(&server, token, code, &r);
    adm_expect(&r, 422, error);
    api_resp_clear(&r);
    assert_int_equal(cm_cart(&server, token, NULL), v); /* a refusal leaves the cart alone */
}

static const cJSON *cart_coupon(const struct api_resp *r)
{
    return cJSON_GetObjectItem(api_data(r), "coupon");
}

static void empty_cart(const char *token)
{
    struct api_resp r;
    const cJSON *it;

    cm_call(&server, "GET", "/billing/cart", token, NULL, -1, NULL, &r);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(api_data(&r), "items"))
    {
        char path[64];

        snprintf(path, sizeof path, "/billing/cart/items/%lld", (long long)api_int(it, "id"));
        adm_check(&server, "DELETE", path, token, NULL, 200, NULL);
    }
    api_resp_clear(&r);
    adm_check(&server, "DELETE", "/billing/cart/coupon", token, NULL, 200, NULL);
}

static void test_a_coupon_discounts_the_cart_and_the_quote_alike(void **state)
{
    struct api_resp r;

    cm_add(&server, demo, IRON_MONTHLY);
    cm_coupon(&server, demo, "welcome10", &r); /* codes match in any case */
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(cart_coupon(&r), "code"), "WELCOME10");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cart_coupon(&r), "valid")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cart_coupon(&r), "invalid_reason")));
    assert_int_equal(adm_money(cart_coupon(&r), "discount"), 90);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "total"), 971);
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[" IRON_MONTHLY "],\"coupon\":\"WELCOME10\"}", -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "coupon"), "discount"), 90);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "total"), 971);
    api_resp_clear(&r);
}

static void test_each_refusal_has_its_code(void **state)
{
    struct api_resp r;

    expect_refusal(demo, "NOSUCHCODE", "coupon_not_found");
    expect_refusal(demo, "EXPIRED", "coupon_expired");
    expect_refusal(demo, "NOTYET", "coupon_not_started");
    /* FIVEOFF needs $10.00 of qualifying subtotal; Iron is $8.99. */
    cm_coupon(&server, demo, "FIVEOFF", &r);
    adm_expect(&r, 422, "coupon_minimum_not_met");
    assert_string_equal(adm_field(&r, "minimum"), "1000");
    api_resp_clear(&r);
    cm_add(&server, demo, IRON_MONTHLY);
    cm_coupon(&server, demo, "FIVEOFF", &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(cart_coupon(&r), "discount"), 500);
    api_resp_clear(&r);
    /* MCONLY covers Minecraft plans only. */
    cm_add(&server, first, RUST_MONTHLY);
    expect_refusal(first, "MCONLY", "coupon_not_applicable");
    expect_refusal(third, "WELCOME10", "coupon_not_applicable"); /* an empty cart */
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[" IRON_MONTHLY "],\"coupon\":\"EXPIRED\"}", -1, NULL, &r);
    adm_expect(&r, 422, "coupon_expired");
    api_resp_clear(&r);
    adm_check(&server, "PUT", "/billing/cart/coupon", demo, "{\"code\":\"\"}", 422,
              "validation_failed");
}

static void test_restricted_to_cycles_discounts_only_those_lines(void **state)
{
    struct api_resp r;

    cm_make_coupon(&server, "{\"code\":\"YEARLY20\",\"type\":\"percent\",\"percent_bps\":2000,"
                            "\"duration\":\"once\",\"cycles\":[\"annual\"]}");
    empty_cart(second);
    cm_add(&server, second, IRON_MONTHLY);
    expect_refusal(second, "YEARLY20", "coupon_not_applicable");
    cm_add(&server, second, IRON_ANNUAL);
    cm_coupon(&server, second, "YEARLY20", &r);
    adm_expect(&r, 200, NULL);
    /* 20 % of the annual line (8990) only; the monthly line pays in full. */
    assert_int_equal(adm_money(cart_coupon(&r), "discount"), 1798);
    api_resp_clear(&r);
    empty_cart(second);
}

static void test_a_discount_never_goes_below_zero(void **state)
{
    struct api_resp r;
    const cJSON *d;

    cm_make_coupon(&server, "{\"code\":\"HUGE\",\"type\":\"fixed\",\"amount_off\":{\"amount\":"
                            "100000,\"currency\":\"USD\"},\"duration\":\"once\"}");
    empty_cart(third);
    cm_add(&server, third, IRON_MONTHLY);
    cm_coupon(&server, third, "HUGE", &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(cart_coupon(&r), "discount"), 899);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "tax_total"), 0);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "total"), 0);
    api_resp_clear(&r);
    /* Nothing is left to pay: no gateway, the order is paid and provisioned at once. */
    cm_checkout(&server, third, "stripe", false, "huge-1", &r);
    adm_expect(&r, 201, NULL);
    d = api_data(&r);
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "payment"), "status"), "not_required");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "payment"), "gateway")));
    assert_int_equal(adm_money(cJSON_GetObjectItem(d, "invoice"), "amount_due"), 0);
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "invoice"), "status"), "paid");
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "order"), "status"), "completed");
    api_resp_clear(&r);
}

static void test_uses_are_counted_at_checkout(void **state)
{
    struct api_resp r;

    cm_make_coupon(&server, "{\"code\":\"ONEUSE\",\"type\":\"percent\",\"percent_bps\":500,"
                            "\"duration\":\"once\",\"max_uses\":1}");
    empty_cart(first);
    empty_cart(second);
    cm_add(&server, first, IRON_MONTHLY);
    cm_add(&server, second, IRON_MONTHLY);
    /* Both may hold it in their carts; the first checkout takes the only use. */
    cm_coupon(&server, first, "ONEUSE", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    cm_coupon(&server, second, "ONEUSE", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    cm_checkout(&server, first, "stripe", false, "oneuse-1", &r);
    adm_expect(&r, 201, NULL);
    assert_string_equal(api_str(cJSON_GetObjectItem(api_data(&r), "order"), "coupon_code"),
                        "ONEUSE");
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/cart", second, NULL, -1, NULL, &r);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cart_coupon(&r), "valid")));
    assert_string_equal(api_str(cart_coupon(&r), "invalid_reason"), "coupon_exhausted");
    assert_int_equal(adm_money(cart_coupon(&r), "discount"), 0);
    api_resp_clear(&r);
    cm_checkout(&server, second, "stripe", false, "oneuse-2", &r);
    adm_expect(&r, 422, "coupon_exhausted");
    api_resp_clear(&r);
    empty_cart(second);
    cm_add(&server, second, IRON_MONTHLY);
    expect_refusal(second, "ONEUSE", "coupon_exhausted");
}

static void test_once_per_customer(void **state)
{
    struct api_resp r;

    empty_cart(first);
    cm_add(&server, first, IRON_MONTHLY);
    cm_coupon(&server, first, "WELCOME10", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    cm_checkout(&server, first, "paypal", false, "welcome-1", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    cm_add(&server, first, IRON_MONTHLY);
    expect_refusal(first, "WELCOME10", "coupon_already_used");
    /* Another customer still may. */
    empty_cart(second);
    cm_add(&server, second, IRON_MONTHLY);
    cm_coupon(&server, second, "WELCOME10", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    empty_cart(second);
}

static void test_a_coupon_that_lapses_refuses_checkout_and_stays(void **state)
{
    struct api_resp r;
    char admin[128], path[64], body[128];
    int64_t id, v, orders;

    id = cm_make_coupon(&server, "{\"code\":\"LAPSING\",\"type\":\"percent\",\"percent_bps\":"
                                 "1500,\"duration\":\"once\"}");
    empty_cart(second);
    cm_add(&server, second, IRON_MONTHLY);
    cm_coupon(&server, second, "LAPSING", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/orders", second, NULL, -1, NULL, &r);
    orders = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    /* The operator ends it while it sits in the cart. */
    adm_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin);
    snprintf(path, sizeof path, "/admin/coupons/%lld", (long long)id);
    snprintf(body, sizeof body, "{\"ends_at\":\"2020-01-01T00:00:00Z\"}");
    adm_check(&server, "PATCH", path, admin, body, 200, NULL);
    cm_call(&server, "GET", "/billing/cart", second, NULL, -1, NULL, &r);
    v = cm_etag(&r);
    assert_string_equal(api_str(cart_coupon(&r), "invalid_reason"), "coupon_expired");
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "discount"), 0);
    api_resp_clear(&r);
    cm_checkout(&server, second, "stripe", false, "lapsed-1", &r);
    adm_expect(&r, 422, "coupon_expired");
    api_resp_clear(&r);
    /* Nothing was ordered, and the cart is as it was: coupon, lines and version. */
    cm_call(&server, "GET", "/billing/cart", second, NULL, -1, NULL, &r);
    assert_int_equal(cm_etag(&r), v);
    assert_string_equal(api_str(cart_coupon(&r), "code"), "LAPSING");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "items")), 1);
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/orders", second, NULL, -1, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), orders);
    api_resp_clear(&r);
    /* Taking the coupon off lets checkout go through. */
    adm_check(&server, "DELETE", "/billing/cart/coupon", second, NULL, 200, NULL);
    cm_checkout(&server, second, "stripe", false, "lapsed-2", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_coupon_discounts_the_cart_and_the_quote_alike),
        cmocka_unit_test(test_each_refusal_has_its_code),
        cmocka_unit_test(test_restricted_to_cycles_discounts_only_those_lines),
        cmocka_unit_test(test_a_discount_never_goes_below_zero),
        cmocka_unit_test(test_uses_are_counted_at_checkout),
        cmocka_unit_test(test_once_per_customer),
        cmocka_unit_test(test_a_coupon_that_lapses_refuses_checkout_and_stays),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
