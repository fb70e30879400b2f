/* test_admin_users.c: operators search accounts and read one account's overview and records;
 * customers get 403 on every operator route. */
#include "admin_fixture.h"

#include <curl/curl.h>

static struct api_server server;
static char demo[128], admin[128];

/* Every operator operation, with a body where it takes one. */
static const char *const admin_routes[][3] = {
    {"GET", "/admin/users", NULL},
    {"GET", "/admin/users/1", NULL},
    {"GET", "/admin/users/1/services", NULL},
    {"GET", "/admin/users/1/invoices", NULL},
    {"GET", "/admin/users/1/orders", NULL},
    {"GET", "/admin/users/1/credits", NULL},
    {"POST", "/admin/users/1/credits",
     "{\"amount\":{\"amount\":500,\"currency\":\"USD\"},"
     "\"reason\":\"x\"}"},
    {"GET", "/admin/users/1/credits/transactions", NULL},
    {"GET", "/admin/orders", NULL},
    {"POST", "/admin/orders/1/approve", "{\"reason\":\"x\"}"},
    {"GET", "/admin/invoices/1", NULL},
    {"POST", "/admin/invoices/1/refunds", "{\"reason\":\"x\"}"},
    {"POST", "/admin/services/1/suspend", "{\"reason\":\"x\"}"},
    {"POST", "/admin/services/1/unsuspend", "{\"reason\":\"x\"}"},
    {"GET", "/admin/audit-log", NULL},
    {"GET", "/admin/settings", NULL},
    {"PATCH", "/admin/settings", "{\"billing_licensed\":false}"},
    {"GET", "/admin/coupons", NULL},
    {"POST", "/admin/coupons",
     "{\"code\":\"X\",\"type\":\"percent\",\"percent_bps\":1,"
     "\"duration\":\"once\"}"},
    {"PATCH", "/admin/coupons/1", "{\"max_uses\":1}"},
    {"DELETE", "/admin/coupons/1", NULL},
};

static int64_t coupon_count(void)
{
    struct api_resp r;
    int64_t n;

    adm_call(&server, "GET", "/admin/coupons", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    n = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    return n;
}

static void test_customers_get_403_everywhere(void **state)
{
    struct api_resp r;
    int64_t coupons = coupon_count();

    for (size_t i = 0; i < sizeof admin_routes / sizeof admin_routes[0]; i++) {
        adm_check(&server, admin_routes[i][0], admin_routes[i][1], NULL, admin_routes[i][2], 401,
                  "unauthenticated");
        adm_call(&server, admin_routes[i][0], admin_routes[i][1], demo, admin_routes[i][2], "k1",
                 &r);
        adm_expect(&r, 403, "forbidden");
        assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "admin"));
        api_resp_clear(&r);
    }
    /* Nothing happened: the licence is still on, no coupon was made. */
    adm_check(&server, "GET", "/billing/categories", NULL, NULL, 200, NULL);
    assert_int_equal(coupon_count(), coupons);
}

static int64_t search_total(const char *query)
{
    struct api_resp r;
    char path[256];
    int64_t total;

    snprintf(path, sizeof path, "/admin/users%s", query);
    adm_call(&server, "GET", path, admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    total = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    assert_int_equal(cJSON_GetArraySize(api_data(&r)) > 0, total > 0);
    api_resp_clear(&r);
    return total;
}

static void test_search(void **state)
{
    struct api_resp r;
    cJSON *list;

    adm_call(&server, "GET", "/admin/users", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 2);
    /* Newest first: the operator was seeded after the demo customer. */
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 0), "email"), ADMIN_EMAIL);
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 0), "role"), "admin");
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 1), "email"), DEMO_EMAIL);
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 1), "role"), "customer");
    api_resp_clear(&r);

    assert_int_equal(search_total("?q=DEMO%40EXAMPLE"), 1); /* e-mail, any case */
    assert_int_equal(search_total("?q=operator"), 1);       /* name */
    assert_int_equal(search_total("?q=1"), 1);              /* id */
    assert_int_equal(search_total("?q=example.com"), 2);
    assert_int_equal(search_total("?q=nobody"), 0);
    assert_int_equal(search_total("?q="), 2);
    assert_int_equal(search_total("?q=%25"), 0); /* no wildcards */
    assert_int_equal(search_total("?per_page=1&page=2"), 2);

    adm_call(&server, "GET", "/admin/users?per_page=1&page=2", admin, NULL, NULL, &r);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "email"), DEMO_EMAIL);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total_pages"), 2);
    api_resp_clear(&r);
}

static void test_search_validation(void **state)
{
    char path[300] = "/admin/users?q=";
    struct api_resp r;

    memset(path + strlen(path), 'a', 201);
    adm_call(&server, "GET", path, admin, NULL, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_true(adm_field(&r, "q")[0] != '\0');
    api_resp_clear(&r);
    adm_check(&server, "GET", "/admin/users?page=0", admin, NULL, 422, "validation_failed");
    adm_check(&server, "GET", "/admin/users?per_page=x", admin, NULL, 422, "validation_failed");
}

static void test_one_account(void **state)
{
    struct api_resp r;
    int64_t balance;
    cJSON *u;

    adm_call(&server, "GET", "/billing/credits", demo, NULL, NULL, &r);
    balance = adm_money(api_data(&r), "balance");
    api_resp_clear(&r);

    adm_call(&server, "GET", "/admin/users/1", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    u = api_data(&r);
    assert_int_equal(api_int(u, "id"), 1);
    assert_string_equal(api_str(u, "email"), DEMO_EMAIL);
    assert_string_equal(api_str(u, "name"), "Demo Customer");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(u, "last_login_at"))); /* signed in above */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(u, "ssh_keys")), 0);
    assert_int_equal(adm_money(u, "credit_balance"), balance);
    assert_int_equal(api_int(u, "active_services"), 0);
    assert_int_equal(api_int(u, "unpaid_invoices"), 0);
    assert_int_equal(adm_money(u, "total_due"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(u, "next_due_date")));
    api_resp_clear(&r);

    adm_check(&server, "GET", "/admin/users/999", admin, NULL, 404, "not_found");
    adm_check(&server, "GET", "/admin/users/0", admin, NULL, 404, "not_found");
    adm_check(&server, "GET", "/admin/users/-1", admin, NULL, 404, "not_found");
    adm_check(&server, "GET", "/admin/users/abc", admin, NULL, 404, "not_found");
    adm_check(&server, "GET", "/admin/users/99999999999999999999", admin, NULL, 404, "not_found");
}

static void test_records_of_an_account(void **state)
{
    static const char *const lists[] = {"services", "invoices", "orders", "credits/transactions"};
    char path[96];
    struct api_resp r;

    /* The operator's own account has no records. */
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        snprintf(path, sizeof path, "/admin/users/2/%s", lists[i]);
        adm_call(&server, "GET", path, admin, NULL, NULL, &r);
        adm_expect(&r, 200, NULL);
        assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
        assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 0);
        api_resp_clear(&r);
        snprintf(path, sizeof path, "/admin/users/999/%s", lists[i]);
        adm_check(&server, "GET", path, admin, NULL, 404, "not_found");
        snprintf(path, sizeof path, "/admin/users/1/%s?per_page=0", lists[i]);
        adm_check(&server, "GET", path, admin, NULL, 422, "validation_failed");
    }
    adm_check(&server, "GET", "/admin/users/1/services?status=active", admin, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/users/1/services?status=paid", admin, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/admin/users/1/invoices?status=overdue", admin, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/users/1/invoices?status=active", admin, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/admin/users/1/orders?status=pending_approval", admin, NULL, 200,
              NULL);
    adm_check(&server, "GET", "/admin/users/1/orders?status=late", admin, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/admin/orders?status=pending_approval", admin, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/orders?status=nope", admin, NULL, 422, "validation_failed");
    adm_check(&server, "GET", "/admin/invoices/999", admin, NULL, 404, "not_found");
    adm_check(&server, "GET", "/admin/users/999/credits", admin, NULL, 404, "not_found");

    adm_call(&server, "GET", "/admin/users/2/credits", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(api_data(&r), "balance"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "enabled")));
    assert_int_equal(adm_money(api_data(&r), "min_deposit"), 500);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(api_data(&r), "pending_deposit_invoice_id")));
    api_resp_clear(&r);
}

static void test_audit_log_filters(void **state)
{
    adm_check(&server, "GET", "/admin/audit-log?target_type=planet", admin, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/admin/audit-log?target_id=3", admin, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/admin/audit-log?actor_id=x", admin, NULL, 422, "validation_failed");
    adm_check(&server, "GET", "/admin/audit-log?actor_id=2&target_type=user&target_id=1", admin,
              NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/audit-log?page=2&per_page=100", admin, NULL, 200, NULL);
}

static int setup(void **state)
{
    char refresh[128];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0)
        return -1;
    return api_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo, refresh) ||
           api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh);
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
        cmocka_unit_test(test_customers_get_403_everywhere),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_search_validation),
        cmocka_unit_test(test_one_account),
        cmocka_unit_test(test_records_of_an_account),
        cmocka_unit_test(test_audit_log_filters),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
