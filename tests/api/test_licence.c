/* test_licence.c: without the billing licence (or with billing switched off) every /billing
 * endpoint but the status refuses, the status says why, operators keep their endpoints, and an
 * operator's switch takes effect on the very next request. */
#include "admin_fixture.h"

#include <curl/curl.h>

#define BILLING_KEY "{\"name\":\"k\",\"scopes\":[\"billing\"]}"
#define ADMIN_KEY   "{\"name\":\"k\",\"scopes\":[\"admin\"]}"

static struct api_server server;
static char demo[128], admin[128], demo_key[64], admin_key[64];

/* Every /billing operation of the contract but the status, with its method. */
static const char *const billing_routes[][2] = {
    {"GET", "/billing/categories"},
    {"GET", "/billing/products"},
    {"GET", "/billing/products/mc-iron"},
    {"POST", "/billing/quotes"},
    {"GET", "/billing/cart"},
    {"POST", "/billing/cart/items"},
    {"PATCH", "/billing/cart/items/1"},
    {"DELETE", "/billing/cart/items/1"},
    {"PUT", "/billing/cart/coupon"},
    {"DELETE", "/billing/cart/coupon"},
    {"POST", "/billing/checkout"},
    {"GET", "/billing/payments/1"},
    {"GET", "/billing/orders"},
    {"GET", "/billing/orders/1"},
    {"GET", "/billing/services"},
    {"GET", "/billing/services/1"},
    {"POST", "/billing/services/1/cancellation"},
    {"DELETE", "/billing/services/1/cancellation"},
    {"POST", "/billing/services/1/renewals"},
    {"GET", "/billing/invoices"},
    {"GET", "/billing/invoices/1"},
    {"POST", "/billing/invoices/1/payments"},
    {"GET", "/billing/credits"},
    {"GET", "/billing/credits/transactions"},
    {"POST", "/billing/credits/deposits"},
};

#define N_ROUTES (sizeof billing_routes / sizeof billing_routes[0])

static void set(const char *patch)
{
    adm_check(&server, "PATCH", "/admin/settings", admin, patch, 200, NULL);
}

/* Each billing route, signed in as a customer, by token and by a billing key, answers `code`. */
static void every_route_refuses(const char *code)
{
    for (size_t i = 0; i < N_ROUTES; i++) {
        adm_check(&server, billing_routes[i][0], billing_routes[i][1], demo, "{}", 403, code);
        adm_check(&server, billing_routes[i][0], billing_routes[i][1], demo_key, "{}", 403, code);
        /* Operators are customers of the store too: the same answer. */
        adm_check(&server, billing_routes[i][0], billing_routes[i][1], admin, "{}", 403, code);
    }
}

static void expect_status(bool licensed, bool enabled)
{
    struct api_resp r;

    adm_call(&server, "GET", "/billing/status", NULL, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "licensed")), licensed);
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "enabled")), enabled);
    api_resp_clear(&r);
}

static void test_unlicensed(void **state)
{
    struct api_resp r;

    adm_check(&server, "GET", "/billing/categories", NULL, NULL, 200, NULL);
    set("{\"billing_licensed\":false}");
    expect_status(false, true);
    every_route_refuses("billing_not_licensed");
    /* Public catalog routes are closed too, signed in or not. */
    adm_check(&server, "GET", "/billing/products", NULL, NULL, 403, "billing_not_licensed");
    adm_check(&server, "POST", "/billing/quotes", NULL, "{\"items\":[]}", 403,
              "billing_not_licensed");
    /* The message says why, for clients that show it. */
    adm_call(&server, "GET", "/billing/categories", NULL, NULL, NULL, &r);
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "licence"));
    api_resp_clear(&r);
    /* Operators still reach their endpoints, and switch it back. */
    adm_check(&server, "GET", "/admin/settings", admin, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/users", admin_key, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/audit-log", admin, NULL, 200, NULL);
    set("{\"billing_licensed\":true}");
    expect_status(true, true);
    adm_check(&server, "GET", "/billing/categories", NULL, NULL, 200, NULL);
}

static void test_switched_off(void **state)
{
    set("{\"billing_enabled\":false}");
    expect_status(true, false);
    every_route_refuses("billing_disabled");
    /* The licence is checked first. */
    set("{\"billing_licensed\":false}");
    adm_check(&server, "GET", "/billing/categories", NULL, NULL, 403, "billing_not_licensed");
    expect_status(false, false);
    set("{\"billing_licensed\":true,\"billing_enabled\":true}");
    adm_check(&server, "GET", "/billing/categories", NULL, NULL, 200, NULL);
}

/* Without a credential the account routes still say "sign in" first; a key without the billing
 * scope is refused for that before the licence is looked at. */
static void test_order_of_checks(void **state)
{
    set("{\"billing_licensed\":false}");
    adm_check(&server, "GET", "/billing/cart", NULL, NULL, 401, "unauthenticated");
    adm_check(&server, "GET", "/billing/cart", admin_key, NULL, 403, "forbidden");
    adm_check(&server, "GET", "/billing/status", NULL, NULL, 200, NULL);
    set("{\"billing_licensed\":true}");
}

static int setup(void **state)
{
    char refresh[128];
    const char *json[] = {"Content-Type: application/json", NULL};
    struct api_resp r;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0 ||
        api_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo, refresh) != 0 ||
        api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh) != 0)
        return -1;
    if (api_call(&server, "POST", "/auth/api-keys", demo, json, BILLING_KEY, strlen(BILLING_KEY),
                 &r) != 0 ||
        r.status != 201)
        return -1;
    snprintf(demo_key, sizeof demo_key, "%s", api_str(api_data(&r), "key"));
    api_resp_clear(&r);
    if (api_call(&server, "POST", "/auth/api-keys", admin, json, ADMIN_KEY, strlen(ADMIN_KEY),
                 &r) != 0 ||
        r.status != 201)
        return -1;
    snprintf(admin_key, sizeof admin_key, "%s", api_str(api_data(&r), "key"));
    api_resp_clear(&r);
    return 0;
}

static int teardown(void **state)
{
    /* A clean stop: no crash, and under the sanitizers no leak reported at exit. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    curl_global_cleanup();
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unlicensed),
        cmocka_unit_test(test_switched_off),
        cmocka_unit_test(test_order_of_checks),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
