/* test_admin_coupons.c: operators create, list, change, disable and delete coupons: every field
 * checked, codes unique in any case, a disabled code refused at the cart with its dates kept, a
 * deleted code freed, each change audited. */
#include "commerce_fixture.h"

#include <curl/curl.h>

static struct api_server server;
static char demo[128], admin[128];

#define SUMMER                                                                                     \
    "{\"code\":\"summer25\",\"description\":\"25% off the first three months\","                   \
    "\"type\":\"percent\",\"percent_bps\":2500,\"duration\":\"repeating\",\"duration_cycles\":3,"  \
    "\"starts_at\":\"2025-06-01T00:00:00Z\",\"ends_at\":\"2025-08-31T23:59:59Z\","                 \
    "\"max_uses\":200,\"once_per_customer\":true,\"product_ids\":[1,2,3],\"cycles\":[\"monthly\"]" \
    "}"

static int64_t create(const char *body, struct api_resp *r)
{
    adm_call(&server, "POST", "/admin/coupons", admin, body, NULL, r);
    adm_expect(r, 201, NULL);
    return api_int(api_data(r), "id");
}

static void test_create(void **state)
{
    struct api_resp r;
    cJSON *d;

    create(SUMMER, &r);
    d = api_data(&r);
    assert_string_equal(api_str(d, "code"), "SUMMER25"); /* stored upper-case */
    assert_string_equal(api_str(d, "type"), "percent");
    assert_int_equal(api_int(d, "percent_bps"), 2500);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "amount_off")));
    assert_int_equal(api_int(d, "duration_cycles"), 3);
    assert_string_equal(api_str(d, "starts_at"), "2025-06-01T00:00:00Z");
    assert_string_equal(api_str(d, "ends_at"), "2025-08-31T23:59:59Z");
    assert_int_equal(api_int(d, "max_uses"), 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "once_per_customer")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "minimum_subtotal")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "product_ids")), 3);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "cycles"), 0)->valuestring,
                        "monthly");
    assert_int_equal(api_int(d, "uses"), 0);
    api_resp_clear(&r);

    create("{\"code\":\"FIVER\",\"type\":\"fixed\",\"amount_off\":{\"amount\":500,\"currency\":"
           "\"USD\"},\"duration\":\"once\",\"minimum_subtotal\":{\"amount\":2000,\"currency\":"
           "\"USD\"},\"starts_at\":\"2025-06-01T02:00:00+02:00\"}",
           &r);
    d = api_data(&r);
    assert_int_equal(adm_money(d, "amount_off"), 500);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "percent_bps")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "duration_cycles")));
    assert_int_equal(adm_money(d, "minimum_subtotal"), 2000);
    assert_string_equal(api_str(d, "starts_at"), "2025-06-01T00:00:00Z"); /* in UTC */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "max_uses")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "product_ids")), 0);
    api_resp_clear(&r);
}

static void test_codes_are_unique_in_any_case(void **state)
{
    struct api_resp r;

    adm_call(&server, "POST", "/admin/coupons", admin,
             "{\"code\":\"Summer25\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":"
             "\"once\"}",
             NULL, &r);
    adm_expect(&r, 409, "already_exists");
    assert_string_equal(adm_field(&r, "code"), "is already taken");
    api_resp_clear(&r);
}

static void test_validation(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\"}", "code"},
        {"{\"code\":\"A\",\"percent_bps\":100,\"duration\":\"once\"}", "type"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100}", "duration"},
        {"{\"code\":\"has space\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\"}",
         "code"},
        {"{\"code\":\"\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\"}", "code"},
        {"{\"code\":\"A\",\"type\":\"half\",\"duration\":\"once\"}", "type"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"duration\":\"once\"}", "percent_bps"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":0,\"duration\":\"once\"}",
         "percent_bps"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":10001,\"duration\":\"once\"}",
         "percent_bps"},
        {"{\"code\":\"A\",\"type\":\"fixed\",\"duration\":\"once\"}", "amount_off"},
        {"{\"code\":\"A\",\"type\":\"fixed\",\"amount_off\":{\"amount\":5,\"currency\":\"EUR\"},"
         "\"duration\":\"once\"}",
         "amount_off.currency"},
        {"{\"code\":\"A\",\"type\":\"fixed\",\"amount_off\":{\"amount\":0,\"currency\":\"USD\"},"
         "\"duration\":\"once\"}",
         "amount_off.amount"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"amount_off\":{\"amount\":5,"
         "\"currency\":\"USD\"},\"duration\":\"once\"}",
         "amount_off"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"repeating\"}",
         "duration_cycles"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"duration_cycles\":2}",
         "duration_cycles"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"starts_at\":\"2025-09-01T00:00:00Z\",\"ends_at\":\"2025-08-01T00:00:00Z\"}",
         "ends_at"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"starts_at\":\"2025-02-30T00:00:00Z\"}",
         "starts_at"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"max_uses\":0}",
         "max_uses"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"product_ids\":[999999]}",
         "product_ids"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"product_ids\":[1,1]}",
         "product_ids"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"cycles\":[\"weekly\"]}",
         "cycles"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"uses\":5}",
         "uses"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"once_per_customer\":\"yes\"}",
         "once_per_customer"},
        {"{\"code\":\"A\",\"type\":\"percent\",\"percent_bps\":100,\"duration\":\"once\","
         "\"disabled\":1}",
         "disabled"},
    };
    struct api_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        adm_call(&server, "POST", "/admin/coupons", admin, bad[i].body, NULL, &r);
        adm_expect(&r, 422, "validation_failed");
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
}

static void test_list_and_search(void **state)
{
    struct api_resp r;
    cJSON *list;

    adm_call(&server, "GET", "/admin/coupons", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    /* Newest first (the demo seed may hold older coupons). */
    assert_true(api_int(cJSON_GetObjectItem(r.json, "meta"), "total") >= 2);
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 0), "code"), "FIVER");
    assert_string_equal(api_str(cJSON_GetArrayItem(list, 1), "code"), "SUMMER25");
    api_resp_clear(&r);
    adm_call(&server, "GET", "/admin/coupons?q=three%20MONTHS", admin, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "code"), "SUMMER25");
    api_resp_clear(&r);
    adm_call(&server, "GET", "/admin/coupons?q=fiver&per_page=1&page=2", admin, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    api_resp_clear(&r);
    adm_check(&server, "GET", "/admin/coupons?per_page=101", admin, NULL, 422, "validation_failed");
}

static void test_update(void **state)
{
    struct api_resp r;
    cJSON *d;
    int64_t id = create("{\"code\":\"PATCHME\",\"type\":\"percent\",\"percent_bps\":1000,"
                        "\"duration\":\"forever\"}",
                        &r);
    char path[64];

    api_resp_clear(&r);
    snprintf(path, sizeof path, "/admin/coupons/%lld", (long long)id);
    adm_call(&server, "PATCH", path, admin,
             "{\"ends_at\":\"2025-09-15T23:59:59Z\",\"max_uses\":300}", NULL, &r);
    adm_expect(&r, 200, NULL);
    d = api_data(&r);
    assert_string_equal(api_str(d, "ends_at"), "2025-09-15T23:59:59Z");
    assert_int_equal(api_int(d, "max_uses"), 300);
    assert_int_equal(api_int(d, "percent_bps"), 1000); /* untouched */
    api_resp_clear(&r);
    /* Another type: the old type's amount goes. */
    adm_call(&server, "PATCH", path, admin,
             "{\"type\":\"fixed\",\"amount_off\":{\"amount\":250,\"currency\":\"USD\"},"
             "\"max_uses\":null}",
             NULL, &r);
    adm_expect(&r, 200, NULL);
    d = api_data(&r);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "percent_bps")));
    assert_int_equal(adm_money(d, "amount_off"), 250);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "max_uses")));
    api_resp_clear(&r);
    adm_check(&server, "PATCH", path, admin, "{}", 422, "validation_failed");
    adm_check(&server, "PATCH", path, admin, "{\"type\":\"percent\"}", 422, "validation_failed");
    adm_check(&server, "PATCH", path, admin, "{\"code\":\"fiver\"}", 409, "already_exists");
    adm_check(&server, "PATCH", "/admin/coupons/99999", admin, "{\"max_uses\":1}", 404,
              "not_found");
    adm_check(&server, "PATCH", "/admin/coupons/x", admin, "{\"max_uses\":1}", 404, "not_found");
}

/* The newest coupon audit entry: its action and what it recorded of `member`. */
static void expect_audit(const char *action, const char *member, bool value)
{
    struct api_resp r;
    const cJSON *e;

    adm_call(&server, "GET", "/admin/audit-log?target_type=coupon&per_page=1", admin, NULL, NULL,
             &r);
    adm_expect(&r, 200, NULL);
    e = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(e, "action"), action);
    assert_true(cJSON_IsBool(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "details"), member)));
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "details"), member)),
                     value);
    api_resp_clear(&r);
}

static void test_disable_and_enable(void **state)
{
    struct api_resp r;
    const cJSON *d, *coupon;
    int64_t id = create("{\"code\":\"SWITCH10\",\"type\":\"percent\",\"percent_bps\":1000,"
                        "\"duration\":\"once\",\"starts_at\":\"2020-01-01T00:00:00Z\","
                        "\"ends_at\":\"2099-12-31T23:59:59Z\",\"max_uses\":40}",
                        &r);
    char path[64];

    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(api_data(&r), "disabled")));
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/admin/coupons/%lld", (long long)id);
    cm_add(&server, demo, "{\"product_id\":3,\"cycle\":\"monthly\"}");
    cm_coupon(&server, demo, "SWITCH10", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);

    /* Off: the dates and the limit stay; the cart holding it no longer gets the discount. */
    adm_call(&server, "PATCH", path, admin, "{\"disabled\":true}", NULL, &r);
    adm_expect(&r, 200, NULL);
    d = api_data(&r);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "disabled")));
    assert_string_equal(api_str(d, "starts_at"), "2020-01-01T00:00:00Z");
    assert_string_equal(api_str(d, "ends_at"), "2099-12-31T23:59:59Z");
    assert_int_equal(api_int(d, "max_uses"), 40);
    api_resp_clear(&r);
    expect_audit("coupon.update", "disabled", true);
    cm_call(&server, "GET", "/billing/cart", demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    coupon = cJSON_GetObjectItem(api_data(&r), "coupon");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(coupon, "valid")));
    assert_string_equal(api_str(coupon, "invalid_reason"), "coupon_disabled");
    assert_int_equal(adm_money(coupon, "discount"), 0);
    api_resp_clear(&r);
    adm_check(&server, "DELETE", "/billing/cart/coupon", demo, NULL, 200, NULL);
    cm_coupon(&server, demo, "switch10", &r);
    adm_expect(&r, 422, "coupon_disabled");
    assert_string_equal(api_str(cJSON_GetObjectItem(r.json, "error"), "message"),
                        "Coupon SWITCH10 is switched off at the moment.");
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/quotes", NULL,
            "{\"items\":[{\"product_id\":3,\"cycle\":\"monthly\"}],\"coupon\":\"SWITCH10\"}", -1,
            NULL, &r);
    adm_expect(&r, 422, "coupon_disabled");
    api_resp_clear(&r);
    /* Still listed, and still holding its code. */
    adm_call(&server, "GET", "/admin/coupons?q=switch10", admin, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(api_data(&r), 0), "disabled")));
    api_resp_clear(&r);
    adm_check(&server, "POST", "/admin/coupons", admin,
              "{\"code\":\"switch10\",\"type\":\"percent\",\"percent_bps\":100,"
              "\"duration\":\"once\"}",
              409, "already_exists");

    /* Only a boolean switches it. */
    adm_call(&server, "PATCH", path, admin, "{\"disabled\":\"false\"}", NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "disabled"), "must be true or false");
    api_resp_clear(&r);
    adm_check(&server, "PATCH", path, admin, "{\"disabled\":null}", 422, "validation_failed");
    adm_check(&server, "PATCH", path, admin, "{\"disabled\":0}", 422, "validation_failed");

    /* On again: it applies as before. */
    adm_call(&server, "PATCH", path, admin, "{\"disabled\":false}", NULL, &r);
    adm_expect(&r, 200, NULL);
    d = api_data(&r);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "disabled")));
    assert_string_equal(api_str(d, "ends_at"), "2099-12-31T23:59:59Z");
    api_resp_clear(&r);
    expect_audit("coupon.update", "disabled", false);
    cm_coupon(&server, demo, "SWITCH10", &r);
    adm_expect(&r, 200, NULL);
    coupon = cJSON_GetObjectItem(api_data(&r), "coupon");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(coupon, "valid")));
    assert_true(adm_money(coupon, "discount") > 0);
    api_resp_clear(&r);
    adm_check(&server, "DELETE", "/billing/cart/coupon", demo, NULL, 200, NULL);
}

static void test_delete_frees_the_code(void **state)
{
    struct api_resp r;
    int64_t id = create("{\"code\":\"GONE\",\"type\":\"percent\",\"percent_bps\":500,"
                        "\"duration\":\"once\"}",
                        &r),
            again;
    char path[64];

    api_resp_clear(&r);
    snprintf(path, sizeof path, "/admin/coupons/%lld", (long long)id);
    adm_call(&server, "DELETE", path, admin, NULL, NULL, &r);
    assert_int_equal(r.status, 204);
    api_resp_clear(&r);
    adm_check(&server, "DELETE", path, admin, NULL, 404, "not_found");
    adm_check(&server, "PATCH", path, admin, "{\"max_uses\":1}", 404, "not_found");
    adm_call(&server, "GET", "/admin/coupons?q=GONE", admin, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
    api_resp_clear(&r);
    again = create("{\"code\":\"gone\",\"type\":\"fixed\",\"amount_off\":{\"amount\":100,"
                   "\"currency\":\"USD\"},\"duration\":\"once\"}",
                   &r);
    assert_int_not_equal(again, id);
    assert_string_equal(api_str(api_data(&r), "code"), "GONE");
    api_resp_clear(&r);
}

static void test_audited_and_operators_only(void **state)
{
    struct api_resp r;
    cJSON *list;
    const char *actions[3];

    adm_call(&server, "GET", "/admin/audit-log?target_type=coupon&per_page=3", admin, NULL, NULL,
             &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    for (int i = 0; i < 3; i++)
        actions[i] = api_str(cJSON_GetArrayItem(list, i), "action");
    /* Newest first: the last test created GONE again after deleting it. */
    assert_string_equal(actions[0], "coupon.create");
    assert_string_equal(actions[1], "coupon.delete");
    assert_string_equal(actions[2], "coupon.create");
    api_resp_clear(&r);
    adm_check(&server, "GET", "/admin/coupons", demo, NULL, 403, "forbidden");
    adm_check(&server, "POST", "/admin/coupons", demo, SUMMER, 403, "forbidden");
    adm_check(&server, "PATCH", "/admin/coupons/1", demo, "{\"max_uses\":1}", 403, "forbidden");
    adm_check(&server, "DELETE", "/admin/coupons/1", demo, NULL, 403, "forbidden");
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
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_codes_are_unique_in_any_case),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_list_and_search),
        cmocka_unit_test(test_update),
        cmocka_unit_test(test_disable_and_enable),
        cmocka_unit_test(test_delete_frees_the_code),
        cmocka_unit_test(test_audited_and_operators_only),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
