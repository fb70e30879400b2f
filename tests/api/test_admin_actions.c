/* test_admin_actions.c: operators suspend and unsuspend services and approve orders with a reason,
 * see each customer's figures, and customers never see one another's records. */
#include "admin_fixture.h"

static struct api_server server;
static char demo[128], admin[128], other[128];

#define IRON  3
#define STONE 2

#define OTHER_KEY                                                                                  \
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEm/ussHSg9rHA2FfyjUGey/K4mpYLVN/Tgx9/xVtw5z "            \
    "player@laptop"
#define OTHER_FP "SHA256:LAazDM1vqNWl/imCM8ECEGTpz8LN0Tm4kTZanR99x2s"

static struct adm_purchase bought; /* demo's active Iron, paid with credits */

static void service_action(const char *verb, int64_t id, const char *body, long status,
                           const char *code, struct api_resp *r)
{
    char path[80];

    snprintf(path, sizeof path, "/admin/services/%lld/%s", (long long)id, verb);
    adm_call(&server, "POST", path, admin, body, NULL, r);
    adm_expect(r, status, code);
}

static void test_suspend_and_unsuspend(void **state)
{
    struct api_resp r;
    cJSON *d, *e;
    char path[64];

    adm_set_balance(&server, admin, 1, 5000);
    adm_buy(&server, demo, IRON, "credits", &bought);
    assert_string_equal(bought.payment_status, "paid");

    service_action("suspend", bought.service_id, "{\"reason\":\"Chargeback opened\"}", 200, NULL,
                   &r);
    d = api_data(&r);
    assert_string_equal(api_str(d, "status"), "suspended");
    assert_string_equal(api_str(d, "suspension_reason"), "Chargeback opened");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(d, "invoices")));
    api_resp_clear(&r);
    /* The customer sees it too. */
    snprintf(path, sizeof path, "/billing/services/%lld", (long long)bought.service_id);
    adm_call(&server, "GET", path, demo, NULL, NULL, &r);
    assert_string_equal(api_str(api_data(&r), "status"), "suspended");
    api_resp_clear(&r);

    service_action("suspend", bought.service_id, "{\"reason\":\"Again\"}", 409, "invalid_status",
                   &r);
    assert_string_equal(adm_field(&r, "status"), "suspended");
    api_resp_clear(&r);
    service_action("unsuspend", bought.service_id, "{\"reason\":\"Chargeback withdrawn\"}", 200,
                   NULL, &r);
    assert_string_equal(api_str(api_data(&r), "status"), "active");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(api_data(&r), "suspension_reason")));
    api_resp_clear(&r);
    service_action("unsuspend", bought.service_id, "{\"reason\":\"Again\"}", 409, "invalid_status",
                   &r);
    assert_string_equal(adm_field(&r, "status"), "active");
    api_resp_clear(&r);

    service_action("suspend", 99999, "{\"reason\":\"x\"}", 404, "not_found", &r);
    api_resp_clear(&r);
    service_action("suspend", bought.service_id, "{}", 422, "validation_failed", &r);
    assert_string_equal(adm_field(&r, "reason"), "is required");
    api_resp_clear(&r);
    service_action("suspend", bought.service_id, "{\"reason\":\"\"}", 422, "validation_failed", &r);
    api_resp_clear(&r);

    /* The audit log has both, with the operator's reasons. */
    adm_call(&server, "GET", "/admin/audit-log?target_type=service", admin, NULL, NULL, &r);
    e = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(e, "action"), "service.unsuspend");
    assert_string_equal(api_str(e, "reason"), "Chargeback withdrawn");
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "target"), "id"), bought.service_id);
    e = cJSON_GetArrayItem(api_data(&r), 1);
    assert_string_equal(api_str(e, "action"), "service.suspend");
    assert_string_equal(api_str(e, "reason"), "Chargeback opened");
    api_resp_clear(&r);
}

static void test_order_approval(void **state)
{
    struct adm_purchase p;
    struct api_resp r;
    char path[80];
    cJSON *list;
    bool listed = false;

    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"auto_activate\":false}", 200, NULL);
    adm_buy(&server, demo, STONE, "credits", &p);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"auto_activate\":true}", 200, NULL);

    adm_call(&server, "GET", "/admin/orders?status=pending_approval", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    for (int i = 0; i < cJSON_GetArraySize(list); i++) {
        assert_string_equal(api_str(cJSON_GetArrayItem(list, i), "status"), "pending_approval");
        listed |= api_int(cJSON_GetArrayItem(list, i), "id") == p.order_id;
    }
    assert_true(listed);
    api_resp_clear(&r);

    snprintf(path, sizeof path, "/admin/orders/%lld/approve", (long long)p.order_id);
    adm_call(&server, "POST", path, admin, "{\"reason\":\"Identity checked\"}", NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "completed");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/services/%lld", (long long)p.service_id);
    adm_call(&server, "GET", path, demo, NULL, NULL, &r);
    assert_string_equal(api_str(api_data(&r), "status"), "active");
    api_resp_clear(&r);

    snprintf(path, sizeof path, "/admin/orders/%lld/approve", (long long)p.order_id);
    adm_call(&server, "POST", path, admin, "{\"reason\":\"Twice\"}", NULL, &r);
    adm_expect(&r, 409, "invalid_status");
    assert_string_equal(adm_field(&r, "status"), "completed");
    api_resp_clear(&r);
    adm_check(&server, "POST", "/admin/orders/99999/approve", admin, "{\"reason\":\"x\"}", 404,
              "not_found");
    adm_check(&server, "POST", path, admin, "{\"reason\":5}", 422, "validation_failed");

    adm_call(&server, "GET", "/admin/audit-log?target_type=order&per_page=1", admin, NULL, NULL,
             &r);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "action"), "order.approve");
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "reason"), "Identity checked");
    api_resp_clear(&r);
}

/* The overview adds up the customer's records; the record lists show them. */
static void test_account_figures(void **state)
{
    struct adm_purchase unpaid;
    struct api_resp r;
    cJSON *u;
    char path[64];

    adm_set_balance(&server, admin, 1, 0);
    adm_buy(&server, demo, IRON, "stripe-only", &unpaid);
    adm_call(&server, "GET", "/admin/users/1", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    u = api_data(&r);
    assert_int_equal(api_int(u, "active_services"), 2); /* Iron, Stone; the third is pending */
    assert_int_equal(api_int(u, "unpaid_invoices"), 1);
    assert_int_equal(adm_money(u, "total_due"), unpaid.total);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(u, "next_due_date")));
    assert_int_equal(adm_money(u, "credit_balance"), 0);
    api_resp_clear(&r);

    adm_call(&server, "GET", "/admin/users/1/services?status=active", admin, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 2);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/admin/users/1/invoices?status=pending", admin, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetArrayItem(api_data(&r), 0), "id"), unpaid.invoice_id);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/admin/users/1/orders", admin, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 3);
    assert_int_equal(api_int(cJSON_GetArrayItem(api_data(&r), 0), "id"), unpaid.order_id);
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/admin/invoices/%lld", (long long)unpaid.invoice_id);
    adm_call(&server, "GET", path, admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "pending");
    api_resp_clear(&r);
    /* Invoices exist now: the currency is fixed. */
    adm_call(&server, "PATCH", "/admin/settings", admin, "{\"currency\":{\"code\":\"EUR\"}}", NULL,
             &r);
    adm_expect(&r, 422, "validation_failed");
    assert_true(adm_field(&r, "currency")[0] != '\0');
    api_resp_clear(&r);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"currency\":{\"symbol\":\"US$\"}}",
              200, NULL);
}

/* A second customer (made by SSH sign-in) sees none of demo's records, by list or by id. */
static void test_customers_see_only_their_own(void **state)
{
    static const char *const paths[] = {"/billing/invoices/", "/billing/orders/",
                                        "/billing/services/", "/billing/payments/"};
    const int64_t ids[] = {bought.invoice_id, bought.order_id, bought.service_id,
                           bought.payment_id};
    struct api_resp r;
    char path[80];

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        snprintf(path, sizeof path, "%s%lld", paths[i], (long long)ids[i]);
        adm_check(&server, "GET", path, demo, NULL, 200, NULL);
        adm_check(&server, "GET", path, other, NULL, 404, "not_found");
    }
    adm_call(&server, "GET", "/billing/invoices", other, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 0);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/billing/services", other, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 0);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/billing/credits/transactions", other, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 0);
    api_resp_clear(&r);
    /* And the operator routes are closed to both. */
    snprintf(path, sizeof path, "/admin/invoices/%lld", (long long)bought.invoice_id);
    adm_check(&server, "GET", path, other, NULL, 403, "forbidden");
    adm_check(&server, "GET", "/admin/users/1", other, NULL, 403, "forbidden");
    adm_check(&server, "GET", "/admin/users/1/invoices", demo, NULL, 403, "forbidden");
}

/* Coupon uses count at checkout; max_uses may not go below them; a deleted code stops at once. */
static void test_coupon_uses(void **state)
{
    struct adm_purchase p;
    struct api_resp r;
    char path[64];
    int64_t id;

    adm_call(
        &server, "POST", "/admin/coupons", admin,
        "{\"code\":\"TENOFF\",\"type\":\"percent\",\"percent_bps\":1000,\"duration\":\"once\"}",
        NULL, &r);
    adm_expect(&r, 201, NULL);
    id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    adm_set_balance(&server, admin, 1, 10000);
    for (int i = 0; i < 2; i++)
        adm_buy_with(&server, demo, IRON, "tenoff", "credits", &p);
    snprintf(path, sizeof path, "/admin/coupons/%lld", (long long)id);
    adm_call(&server, "PATCH", path, admin, "{\"max_uses\":1}", NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_non_null(strstr(adm_field(&r, "max_uses"), "(2)"));
    api_resp_clear(&r);
    adm_call(&server, "PATCH", path, admin, "{\"max_uses\":2}", NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_int(api_data(&r), "uses"), 2);
    api_resp_clear(&r);
    adm_check(&server, "DELETE", path, admin, NULL, 204, NULL);
    adm_check(&server, "PUT", "/billing/cart/coupon", demo, "{\"code\":\"TENOFF\"}", 422,
              "coupon_not_found");
    /* The invoices that used it keep their discount and code. */
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)p.invoice_id);
    adm_call(&server, "GET", path, demo, NULL, NULL, &r);
    assert_string_equal(api_str(api_data(&r), "coupon_code"), "TENOFF");
    assert_true(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "discount") > 0);
    api_resp_clear(&r);
}

static int setup(void **state)
{
    char refresh[128], body[512];
    const char *json[] = {"Content-Type: application/json", NULL};
    struct api_resp r;
    char key[64] = "";

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0 ||
        api_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo, refresh) != 0 ||
        api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh) != 0)
        return -1;
    snprintf(body, sizeof body, "{\"name\":\"settd\",\"scopes\":[\"ssh\"]}");
    if (api_call(&server, "POST", "/auth/api-keys", admin, json, body, strlen(body), &r) == 0 &&
        r.status == 201)
        snprintf(key, sizeof key, "%s", api_str(api_data(&r), "key"));
    api_resp_clear(&r);
    snprintf(body, sizeof body, "{\"public_key\":\"%s\",\"fingerprint\":\"%s\"}", OTHER_KEY,
             OTHER_FP);
    if (!key[0] || api_call(&server, "POST", "/auth/ssh", key, json, body, strlen(body), &r) != 0 ||
        r.status != 201)
        return -1;
    snprintf(other, sizeof other, "%s", api_str(api_data(&r), "access_token"));
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
        cmocka_unit_test(test_suspend_and_unsuspend),
        cmocka_unit_test(test_order_approval),
        cmocka_unit_test(test_account_figures),
        cmocka_unit_test(test_customers_see_only_their_own),
        cmocka_unit_test(test_coupon_uses),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
