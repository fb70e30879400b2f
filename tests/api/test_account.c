/* test_account.c: the contract's account and operator routes: auth wall first, then 501. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>

#include "api_fixture.h"

static struct api_server server;

static void test_account_routes_need_auth(void **state)
{
    static const char *const routes[][2] = {
        {"GET", "/billing/cart"},
        {"POST", "/billing/cart/items"},
        {"PATCH", "/billing/cart/items/1"},
        {"DELETE", "/billing/cart/items/1"},
        {"PUT", "/billing/cart/coupon"},
        {"DELETE", "/billing/cart/coupon"},
        {"POST", "/billing/checkout"},
        {"POST", "/billing/invoices/1/payments"},
        {"GET", "/billing/credits"},
        {"GET", "/billing/credits/transactions"},
        {"POST", "/billing/credits/deposits"},
        {"GET", "/billing/payments/1"},
        {"GET", "/billing/orders"},
        {"GET", "/billing/orders/1"},
    };
    char access[128], refresh[128];
    struct api_resp r;

    assert_int_equal(api_login(&server, "demo@example.com", "demo", access, refresh), 0);
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        assert_int_equal(api_call(&server, routes[i][0], routes[i][1], NULL, NULL, NULL, 0, &r), 0);
        assert_int_equal(r.status, 401);
        assert_string_equal(api_error_code(&r), "unauthenticated");
        api_resp_clear(&r);

        assert_int_equal(api_call(&server, routes[i][0], routes[i][1], "bogus", NULL, NULL, 0, &r),
                         0);
        assert_int_equal(r.status, 401);
        assert_string_equal(api_error_code(&r), "invalid_token");
        api_resp_clear(&r);

        /* Signed in, the guard lets the request through to the operation itself. */
        assert_int_equal(api_call(&server, routes[i][0], routes[i][1], access, NULL, NULL, 0, &r),
                         0);
        assert_int_not_equal(r.status, 401);
        assert_int_not_equal(r.status, 501);
        assert_string_equal(r.content_type, "application/json; charset=utf-8");
        api_resp_clear(&r);
    }
}

/* Quotes are public: no sign-in, and not built yet. */
static void test_quotes_public(void **state)
{
    struct api_resp r;

    /* No credential needed: the request is judged on its body. */
    assert_int_equal(api_post_json(&server, "/billing/quotes", "{\"items\":[]}", &r), 0);
    assert_int_equal(r.status, 422);
    assert_string_equal(api_error_code(&r), "validation_failed");
    api_resp_clear(&r);
}

static void test_survives_and_stops_cleanly(void **state)
{
    struct api_resp r;

    assert_int_equal(api_get(&server, "/billing/status", NULL, &r), 0);
    assert_int_equal(r.status, 200);
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
        cmocka_unit_test(test_account_routes_need_auth),
        cmocka_unit_test(test_quotes_public),
        cmocka_unit_test(test_survives_and_stops_cleanly),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
