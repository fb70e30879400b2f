/* test_invoices_errors.c: the invoice endpoints of a fresh sett-billingd over HTTP: the auth
 * wall, an account without invoices, pages and filters, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "api_fixture.h"

static struct api_server server;
static char token[128];

static void expect(const char *path, const char *tok, long status, const char *code,
                   const char *field)
{
    struct api_resp r;

    assert_int_equal(api_get(&server, path, tok, &r), 0);
    assert_int_equal(r.status, status);
    if (code)
        assert_string_equal(api_error_code(&r), code);
    if (field)
        assert_non_null(cJSON_GetObjectItem(api_error_details(&r), field));
    api_resp_clear(&r);
}

static void test_auth_wall(void **state)
{
    expect("/billing/invoices", NULL, 401, "unauthenticated", NULL);
    expect("/billing/invoices/1", NULL, 401, "unauthenticated", NULL);
    expect("/billing/invoices", "at_bogus", 401, "invalid_token", NULL);
    expect("/billing/invoices/1", "at_bogus", 401, "invalid_token", NULL);
}

static void test_empty_pages(void **state)
{
    static const char *const statuses[] = {"draft",   "pending",   "paid",
                                           "overdue", "cancelled", "refunded"};
    struct api_resp r;
    char path[96];

    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        snprintf(path, sizeof path, "/billing/invoices?status=%s&page=3&per_page=100", statuses[i]);
        assert_int_equal(api_get(&server, path, token, &r), 0);
        assert_int_equal(r.status, 200);
        assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
        assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "current_page"), 3);
        assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total_pages"), 1);
        api_resp_clear(&r);
    }
}

static void test_refusals(void **state)
{
    expect("/billing/invoices?status=open", token, 422, "validation_failed", "status");
    expect("/billing/invoices?status=Paid", token, 422, "validation_failed", "status");
    expect("/billing/invoices?page=x", token, 422, "validation_failed", "page");
    expect("/billing/invoices?page=2147483648", token, 422, "validation_failed", "page");
    expect("/billing/invoices?per_page=-1", token, 422, "validation_failed", "per_page");
    expect("/billing/invoices/1", token, 404, "not_found", NULL);
    expect("/billing/invoices/0", token, 404, "not_found", NULL);
    expect("/billing/invoices/INV-2025-000001", token, 404, "not_found", NULL);
}

static int setup(void **state)
{
    char refresh[128];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0)
        return -1;
    return api_login(&server, "demo@example.com", "demo", token, refresh);
}

static int teardown(void **state)
{
    assert_int_equal(api_server_stop(&server), 0);
    api_server_cleanup(&server);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_wall),
        cmocka_unit_test(test_empty_pages),
        cmocka_unit_test(test_refusals),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
