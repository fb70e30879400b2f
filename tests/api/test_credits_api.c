/* test_credits_api.c: the credit balance and its ledger, deposits (limits, one unpaid at a time,
 * never paid with credits, added when paid), and credits switched off: balances kept, nothing
 * deposited or spent. */
#include "commerce_fixture.h"

static struct api_server server;
static char demo[128];

static int setup(void **state)
{
    if (api_server_start(&server, NULL) != 0)
        return -1;
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    return 0;
}

static int teardown(void **state)
{
    /* A clean exit, also under the sanitizers: nothing leaked or misused in the server. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    return rc == 0 ? 0 : -1;
}

static void test_the_balance_and_its_ledger(void **state)
{
    struct api_resp r;
    const cJSON *row;

    cm_call(&server, "GET", "/billing/credits", demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(api_data(&r), "balance"), 1000);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "enabled")));
    assert_int_equal(adm_money(api_data(&r), "min_deposit"), 500);
    assert_int_equal(adm_money(api_data(&r), "max_deposit"), 50000);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(api_data(&r), "pending_deposit_invoice_id")));
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/credits/transactions", demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    row = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(row, "type"), "adjustment");
    assert_int_equal(adm_money(row, "amount"), 1000);
    assert_int_equal(adm_money(row, "balance_after"), 1000);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "invoice_id")));
    api_resp_clear(&r);
    adm_check(&server, "GET", "/billing/credits/transactions?page=0", demo, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/billing/credits", NULL, NULL, 401, "unauthenticated");
}

static void expect_amount(const char *body, const char *field, const char *message)
{
    struct api_resp r;

    cm_call(&server, "POST", "/billing/credits/deposits", demo, body, -1, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, field), message);
    api_resp_clear(&r);
}

static void test_a_deposit_is_an_invoice_paid_through_a_gateway(void **state)
{
    struct api_resp r, again, page;
    char path[64], id_text[24], replayed[8];
    int64_t id;
    const cJSON *row;

    expect_amount("{\"amount\":{\"amount\":499,\"currency\":\"USD\"}}", "amount",
                  "must be at least $5.00");
    expect_amount("{\"amount\":{\"amount\":50001,\"currency\":\"USD\"}}", "amount",
                  "must be at most $500.00");
    expect_amount("{\"amount\":{\"amount\":2500,\"currency\":\"EUR\"}}", "amount.currency",
                  "must be the store currency");
    expect_amount("{}", "amount", "is required");

    cm_call(&server, "POST", "/billing/credits/deposits", demo,
            "{\"amount\":{\"amount\":2500,\"currency\":\"USD\"}}", -1, "dep-1", &r);
    adm_expect(&r, 201, NULL);
    id = api_int(api_data(&r), "id");
    assert_string_equal(api_str(api_data(&r), "kind"), "deposit");
    assert_int_equal(adm_money(api_data(&r), "amount_due"), 2500);
    /* Deposits carry no tax: tax is due when the credit is spent. */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(
                         cJSON_GetObjectItem(api_data(&r), "totals"), "tax_lines")),
                     0);
    /* A retry with its key replays it rather than being refused as a second deposit. */
    cm_call(&server, "POST", "/billing/credits/deposits", demo,
            "{\"amount\":{\"amount\":2500,\"currency\":\"USD\"}}", -1, "dep-1", &again);
    adm_expect(&again, 201, NULL);
    assert_int_equal(api_header(&again, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    assert_int_equal(api_int(api_data(&again), "id"), id);
    api_resp_clear(&again);
    api_resp_clear(&r);

    cm_call(&server, "POST", "/billing/credits/deposits", demo,
            "{\"amount\":{\"amount\":1000,\"currency\":\"USD\"}}", -1, NULL, &r);
    adm_expect(&r, 409, "deposit_pending");
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    assert_string_equal(adm_field(&r, "invoice_id"), id_text);
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/credits", demo, NULL, -1, NULL, &r);
    assert_int_equal(api_int(api_data(&r), "pending_deposit_invoice_id"), id);
    api_resp_clear(&r);

    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)id);
    cm_call(&server, "POST", path, demo, "{\"payment_method\":\"credits\"}", -1, "dep-pay-1", &r);
    adm_expect(&r, 422, "payment_method_unavailable");
    api_resp_clear(&r);
    cm_call(&server, "POST", path, demo, "{\"payment_method\":\"stripe\",\"use_credits\":true}", -1,
            "dep-pay-2", &r);
    adm_expect(&r, 422, "payment_method_unavailable");
    api_resp_clear(&r);
    cm_call(&server, "POST", path, demo, "{\"payment_method\":\"stripe\"}", -1, "dep-pay-3", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(api_data(&r), "amount"), 2500);
    assert_int_equal(cm_balance(&server, demo), 1000); /* not before it is paid */
    cm_press(&server, cm_page(api_data(&r)), "pay", &page);
    assert_int_equal(page.status, 200);
    api_resp_clear(&page);
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 3500);
    cm_call(&server, "GET", "/billing/credits/transactions?per_page=1", demo, NULL, -1, NULL, &r);
    row = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(row, "type"), "deposit");
    assert_int_equal(adm_money(row, "amount"), 2500);
    assert_int_equal(adm_money(row, "balance_after"), 3500);
    assert_int_equal(api_int(row, "invoice_id"), id);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 2);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total_pages"), 2);
    api_resp_clear(&r);
}

static void test_switched_off_credits_are_kept_but_frozen(void **state)
{
    struct api_resp r;
    char admin[128];

    adm_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"credits_enabled\":false}", 200, NULL);
    cm_call(&server, "GET", "/billing/credits", demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "enabled")));
    assert_int_equal(adm_money(api_data(&r), "balance"), 3500);
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/credits/deposits", demo,
            "{\"amount\":{\"amount\":1000,\"currency\":\"USD\"}}", -1, NULL, &r);
    adm_expect(&r, 403, "credits_disabled");
    api_resp_clear(&r);
    cm_add(&server, demo, "{\"product_id\":16,\"cycle\":\"monthly\"}");
    cm_call(&server, "GET", "/billing/cart", demo, NULL, -1, NULL, &r);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "credits_available"),
                     0);
    api_resp_clear(&r);
    cm_checkout(&server, demo, "credits", false, "off-1", &r);
    adm_expect(&r, 422, "payment_method_unavailable");
    api_resp_clear(&r);
    /* use_credits is then no use: the gateway is asked for everything. */
    cm_checkout(&server, demo, "stripe", true, "off-2", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "payment"), "amount"), 239);
    assert_int_equal(adm_money(cJSON_GetObjectItem(api_data(&r), "payment"), "credits_applied"), 0);
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 3500);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"credits_enabled\":true}", 200, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_balance_and_its_ledger),
        cmocka_unit_test(test_a_deposit_is_an_invoice_paid_through_a_gateway),
        cmocka_unit_test(test_switched_off_credits_are_kept_but_frozen),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
