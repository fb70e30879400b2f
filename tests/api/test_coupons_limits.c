/* test_coupons_limits.c: refused coupon codes are limited per account (10 a minute) and per client
 * address (30 a minute), answered 429 rate_limited with Retry-After, so codes cannot be guessed;
 * codes that apply do not count. */
#include "commerce_fixture.h"

static struct api_server server;
static char demo[128], other[128];

static int setup(void **state)
{
    const char *args[] = {"--seed-users", "1", NULL};

    if (api_server_start(&server, args) != 0)
        return -1;
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    adm_login(&server, "customer1@example.com", "password", other);
    return 0;
}

static int teardown(void **state)
{
    /* A clean exit, also under the sanitizers: nothing leaked or misused in the server. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    return rc == 0 ? 0 : -1;
}

static void expect_limited(const struct api_resp *r)
{
    char retry[16];

    adm_expect(r, 429, "rate_limited");
    assert_int_equal(api_header(r, "Retry-After", retry, sizeof retry), 0);
    assert_true(atoi(retry) >= 1 && atoi(retry) <= 60);
}

static void test_an_account_gets_ten_refusals_a_minute(void **state)
{
    struct api_resp r;
    char code[32];

    cm_add(&server, demo, "{\"product_id\":3,\"cycle\":\"monthly\"}");
    /* Applying a good code again and again is no guessing: it never counts. */
    for (int i = 0; i < 12; i++) {
        cm_coupon(&server, demo, "WELCOME10", &r);
        adm_expect(&r, 200, NULL);
        api_resp_clear(&r);
    }
    for (int i = 0; i < 10; i++) {
        snprintf(code, sizeof code, "GUESS%d", i);
        cm_coupon(&server, demo, code, &r);
        adm_expect(&r, 422, "coupon_not_found");
        api_resp_clear(&r);
    }
    cm_coupon(&server, demo, "GUESS10", &r);
    expect_limited(&r);
    api_resp_clear(&r);
    /* Once limited, even a good code waits. */
    cm_coupon(&server, demo, "WELCOME10", &r);
    expect_limited(&r);
    api_resp_clear(&r);
    /* Another account from the same address still has its own ten. */
    cm_add(&server, other, "{\"product_id\":3,\"cycle\":\"monthly\"}");
    cm_coupon(&server, other, "GUESS11", &r);
    adm_expect(&r, 422, "coupon_not_found");
    api_resp_clear(&r);
}

static void test_an_address_gets_thirty_refusals_a_minute(void **state)
{
    struct api_resp r;
    char body[128];

    /* 11 refusals so far from this address; quotes (no account) count by address alone. */
    for (int i = 0; i < 19; i++) {
        snprintf(body, sizeof body,
                 "{\"items\":[{\"product_id\":3,\"cycle\":\"monthly\"}],\"coupon\":\"Q%d\"}", i);
        cm_call(&server, "POST", "/billing/quotes", NULL, body, -1, NULL, &r);
        adm_expect(&r, 422, "coupon_not_found");
        api_resp_clear(&r);
    }
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[{\"product_id\":3,\"cycle\":\"monthly\"}],\"coupon\":\"LAST\"}", -1, NULL,
            &r);
    expect_limited(&r);
    api_resp_clear(&r);
    cm_coupon(&server, other, "WELCOME10", &r);
    expect_limited(&r);
    api_resp_clear(&r);
    /* Quotes without a coupon are not coupon attempts. */
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[{\"product_id\":3,\"cycle\":\"monthly\"}]}", -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_account_gets_ten_refusals_a_minute),
        cmocka_unit_test(test_an_address_gets_thirty_refusals_a_minute),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
