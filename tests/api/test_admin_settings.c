/* test_admin_settings.c: operators read and change the module's settings: partial changes, every
 * field validated, nothing half-applied, the store sees a change at once, and each is audited. */
#include "admin_fixture.h"

#include <curl/curl.h>

static struct api_server server;
static char demo[128], admin[128];

static cJSON *get_settings(struct api_resp *r)
{
    adm_call(&server, "GET", "/admin/settings", admin, NULL, NULL, r);
    adm_expect(r, 200, NULL);
    return api_data(r);
}

static void test_defaults(void **state)
{
    struct api_resp r;
    cJSON *d = get_settings(&r), *gw = cJSON_GetObjectItem(d, "gateways");

    assert_string_equal(api_str(cJSON_GetObjectItem(d, "currency"), "code"), "USD");
    assert_int_equal(api_int(cJSON_GetObjectItem(d, "currency"), "exponent"), 2);
    assert_int_equal(api_int(cJSON_GetObjectItem(d, "tax"), "rate_bps"), 2000);
    /* Card gateways only: credits have their own switch. */
    assert_int_equal(cJSON_GetArraySize(gw), 2);
    assert_string_equal(cJSON_GetArrayItem(gw, 0)->valuestring, "stripe");
    assert_string_equal(cJSON_GetArrayItem(gw, 1)->valuestring, "paypal");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "credits_enabled")));
    assert_int_equal(adm_money(d, "credits_min_deposit"), 500);
    assert_int_equal(adm_money(d, "credits_max_deposit"), 50000);
    assert_int_equal(api_int(d, "auto_suspend_days"), 3);
    assert_int_equal(api_int(d, "auto_terminate_days"), 14);
    assert_int_equal(api_int(d, "renewal_invoice_days"), 7);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "downgrades_immediate")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "billing_licensed")));
    api_resp_clear(&r);
}

static void test_partial_change_takes_effect_at_once(void **state)
{
    struct api_resp r;
    cJSON *d, *tax, *gw;

    adm_call(&server, "PATCH", "/admin/settings", admin,
             "{\"tax\":{\"rate_bps\":1900},\"auto_activate\":false,\"gateways\":[\"paypal\"],"
             "\"auto_suspend_days\":5,\"renewal_invoice_days\":10,\"downgrades_immediate\":true,"
             "\"credits_max_deposit\":{\"amount\":90000,\"currency\":\"USD\"}}",
             NULL, &r);
    adm_expect(&r, 200, NULL);
    d = api_data(&r);
    tax = cJSON_GetObjectItem(d, "tax");
    assert_int_equal(api_int(tax, "rate_bps"), 1900);
    assert_string_equal(api_str(tax, "name"), "VAT"); /* the rest of tax is kept */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(tax, "enabled")));
    assert_int_equal(api_int(d, "auto_suspend_days"), 5);
    assert_int_equal(api_int(d, "renewal_invoice_days"), 10);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "downgrades_immediate")));
    assert_int_equal(adm_money(d, "credits_max_deposit"), 90000);
    api_resp_clear(&r);

    /* The store sees it on the next request. */
    adm_call(&server, "GET", "/billing/status", NULL, NULL, NULL, &r);
    d = api_data(&r);
    assert_int_equal(api_int(cJSON_GetObjectItem(d, "tax"), "rate_bps"), 1900);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "auto_activate")));
    gw = cJSON_GetObjectItem(d, "gateways");
    assert_int_equal(cJSON_GetArraySize(gw), 2);
    assert_string_equal(cJSON_GetArrayItem(gw, 0)->valuestring, "paypal");
    assert_string_equal(cJSON_GetArrayItem(gw, 1)->valuestring, "credits");
    api_resp_clear(&r);

    /* Credits off: not offered as a way to pay any more. */
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"credits_enabled\":false}", 200, NULL);
    adm_call(&server, "GET", "/billing/status", NULL, NULL, NULL, &r);
    d = api_data(&r);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "credits_enabled")));
    gw = cJSON_GetObjectItem(d, "gateways");
    assert_int_equal(cJSON_GetArraySize(gw), 1);
    assert_string_equal(cJSON_GetArrayItem(gw, 0)->valuestring, "paypal");
    api_resp_clear(&r);

    adm_check(&server, "PATCH", "/admin/settings", admin,
              "{\"credits_enabled\":true,\"gateways\":[\"stripe\",\"paypal\"],"
              "\"tax\":{\"rate_bps\":2000},\"auto_activate\":true}",
              200, NULL);
    adm_call(&server, "GET", "/billing/status", NULL, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "gateways")), 3);
    api_resp_clear(&r);
}

static void test_validation(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{}", "settings"},
        {"{\"colour\":\"red\"}", "colour"},
        {"{\"tax\":{}}", "tax"},
        {"{\"tax\":5}", "tax"},
        {"{\"tax\":{\"rate_bps\":10001}}", "tax.rate_bps"},
        {"{\"tax\":{\"rate_bps\":-1}}", "tax.rate_bps"},
        {"{\"tax\":{\"rate_bps\":12.5}}", "tax.rate_bps"},
        {"{\"tax\":{\"name\":\"\"}}", "tax.name"},
        {"{\"tax\":{\"name\":\"123456789012345678901234567890123\"}}", "tax.name"},
        {"{\"tax\":{\"inclusive\":\"yes\"}}", "tax.inclusive"},
        {"{\"currency\":{\"code\":\"usd\"}}", "currency.code"},
        {"{\"currency\":{\"exponent\":5}}", "currency.exponent"},
        {"{\"currency\":{\"symbol\":\"12345678\"}}", "currency.symbol"},
        {"{\"gateways\":[\"credits\"]}", "gateways"},
        {"{\"gateways\":[\"stripe\",\"stripe\"]}", "gateways"},
        {"{\"gateways\":\"stripe\"}", "gateways"},
        {"{\"credits_min_deposit\":{\"amount\":100,\"currency\":\"EUR\"}}",
         "credits_min_deposit.currency"},
        {"{\"credits_min_deposit\":{\"amount\":0,\"currency\":\"USD\"}}",
         "credits_min_deposit.amount"},
        {"{\"credits_min_deposit\":500}", "credits_min_deposit"},
        {"{\"credits_min_deposit\":{\"amount\":9000000,\"currency\":\"USD\"}}",
         "credits_max_deposit"},
        {"{\"renewal_invoice_days\":61}", "renewal_invoice_days"},
        {"{\"auto_suspend_days\":-1}", "auto_suspend_days"},
        {"{\"auto_terminate_days\":\"14\"}", "auto_terminate_days"},
        {"{\"signup_enabled\":1}", "signup_enabled"},
        {"{\"billing_licensed\":null}", "billing_licensed"},
    };
    struct api_resp r, before, after;

    get_settings(&before);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        adm_call(&server, "PATCH", "/admin/settings", admin, bad[i].body, NULL, &r);
        adm_expect(&r, 422, "validation_failed");
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
    /* A good change next to a bad one is not applied either. */
    adm_check(&server, "PATCH", "/admin/settings", admin,
              "{\"auto_activate\":false,\"tax\":{\"rate_bps\":99999}}", 422, "validation_failed");
    get_settings(&after);
    assert_string_equal(before.body, after.body);
    api_resp_clear(&before);
    api_resp_clear(&after);
    adm_check(&server, "PATCH", "/admin/settings", admin, "[1]", 400, "invalid_json");
}

/* The currency may change while no invoice exists. */
static void test_currency_change(void **state)
{
    struct api_resp r;
    cJSON *cur;

    adm_call(&server, "PATCH", "/admin/settings", admin,
             "{\"currency\":{\"code\":\"EUR\",\"symbol\":\"\xe2\x82\xac\"}}", NULL, &r);
    adm_expect(&r, 200, NULL);
    cur = cJSON_GetObjectItem(api_data(&r), "currency");
    assert_string_equal(api_str(cur, "code"), "EUR");
    assert_int_equal(api_int(cur, "exponent"), 2);
    /* Amounts are in the store's currency now. */
    assert_string_equal(
        api_str(cJSON_GetObjectItem(api_data(&r), "credits_min_deposit"), "currency"), "EUR");
    api_resp_clear(&r);
    adm_call(&server, "GET", "/billing/status", NULL, NULL, NULL, &r);
    assert_string_equal(api_str(cJSON_GetObjectItem(api_data(&r), "currency"), "code"), "EUR");
    api_resp_clear(&r);
    adm_check(&server, "PATCH", "/admin/settings", admin,
              "{\"currency\":{\"code\":\"USD\",\"symbol\":\"$\"}}", 200, NULL);
}

/* Each change is in the audit log with what it was and what it became. */
static void test_audited(void **state)
{
    struct api_resp r;
    cJSON *e, *change;

    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"auto_terminate_days\":21}", 200,
              NULL);
    adm_call(&server, "GET", "/admin/audit-log?target_type=settings&per_page=1", admin, NULL, NULL,
             &r);
    adm_expect(&r, 200, NULL);
    e = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(e, "action"), "settings.update");
    assert_string_equal(api_str(cJSON_GetObjectItem(e, "target"), "type"), "settings");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "target"), "id")));
    assert_string_equal(api_str(cJSON_GetObjectItem(e, "actor"), "type"), "user");
    assert_string_equal(api_str(cJSON_GetObjectItem(e, "actor"), "name"), "Demo Operator");
    change = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "details"), "changes"),
                                 "auto_terminate_days");
    assert_string_equal(api_str(change, "from"), "14");
    assert_string_equal(api_str(change, "to"), "21");
    api_resp_clear(&r);
}

static void test_customers_cannot(void **state)
{
    adm_check(&server, "GET", "/admin/settings", demo, NULL, 403, "forbidden");
    adm_check(&server, "PATCH", "/admin/settings", demo, "{\"billing_licensed\":false}", 403,
              "forbidden");
    adm_check(&server, "GET", "/admin/settings", NULL, NULL, 401, "unauthenticated");
    adm_check(&server, "GET", "/billing/categories", NULL, NULL, 200, NULL);
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
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_partial_change_takes_effect_at_once),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_currency_change),
        cmocka_unit_test(test_audited),
        cmocka_unit_test(test_customers_cannot),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
