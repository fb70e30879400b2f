/* test_admin_refunds.c: operators refund paid invoices through the API, and the customer's
 * invoice, credit ledger and the audit log say the same: card parts go back to the card, credit
 * parts to the balance, nothing twice. */
#include "admin_fixture.h"

static struct api_server server;
static char demo[128], admin[128];

#define IRON 3 /* a fixed monthly plan of the demo catalog */

static int64_t demo_balance(void)
{
    struct api_resp r;
    int64_t b;

    adm_call(&server, "GET", "/billing/credits", demo, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    b = adm_money(api_data(&r), "balance");
    api_resp_clear(&r);
    return b;
}

static void refund(int64_t invoice_id, const char *body, const char *key, long status,
                   const char *code, struct api_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/admin/invoices/%lld/refunds", (long long)invoice_id);
    adm_call(&server, "POST", path, admin, body, key, r);
    adm_expect(r, status, code);
}

/* The customer's own view of an invoice. */
static cJSON *customer_invoice(int64_t id, struct api_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)id);
    adm_call(&server, "GET", path, demo, NULL, NULL, r);
    adm_expect(r, 200, NULL);
    return api_data(r);
}

/* Paid 500 from credits and the rest by card; refunds: part, then all that is left. */
static void test_split_payment_refunded_in_two_steps(void **state)
{
    struct adm_purchase p;
    struct api_resp r;
    cJSON *d, *inv, *ledger, *entry;
    int64_t card;

    adm_set_balance(&server, admin, 1, 500);
    adm_buy(&server, demo, IRON, "stripe", &p);
    assert_string_equal(p.payment_status, "requires_action");
    adm_sandbox_pay(p.pay_url);
    card = p.total - 500;
    assert_true(card > 50);
    assert_int_equal(demo_balance(), 0);

    /* Part: from the card, nothing to the balance; the invoice stays paid. */
    refund(p.invoice_id,
           "{\"amount\":{\"amount\":50,\"currency\":\"USD\"},\"reason\":\"Region unavailable\"}",
           "refund-1", 201, NULL, &r);
    d = api_data(&r);
    assert_int_equal(adm_money(cJSON_GetObjectItem(d, "refund"), "amount"), 50);
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "refund"), "gateway"), "stripe");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "refund"), "to_credits")));
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "refund"), "reason"), "Region unavailable");
    inv = cJSON_GetObjectItem(d, "invoice");
    assert_string_equal(api_str(inv, "status"), "paid");
    assert_int_equal(adm_money(inv, "amount_refunded"), 50);
    api_resp_clear(&r);
    assert_int_equal(demo_balance(), 0);

    /* The rest: the card part left, and the credits part back to the balance. */
    refund(p.invoice_id, "{\"reason\":\"Cancelled by us\"}", "refund-2", 201, NULL, &r);
    d = api_data(&r);
    assert_int_equal(adm_money(cJSON_GetObjectItem(d, "refund"), "amount"), p.total - 50);
    inv = cJSON_GetObjectItem(d, "invoice");
    assert_string_equal(api_str(inv, "status"), "refunded");
    assert_int_equal(adm_money(inv, "amount_refunded"), p.total);
    assert_int_equal(adm_money(inv, "amount_paid"), p.total);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(inv, "refunds")), 2);
    api_resp_clear(&r);
    assert_int_equal(demo_balance(), 500);

    /* The customer sees the same invoice; the ledger holds the refund. */
    inv = customer_invoice(p.invoice_id, &r);
    assert_string_equal(api_str(inv, "status"), "refunded");
    assert_int_equal(adm_money(inv, "amount_refunded"), p.total);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/billing/credits/transactions", demo, NULL, NULL, &r);
    ledger = api_data(&r);
    entry = cJSON_GetArrayItem(ledger, 0);
    assert_string_equal(api_str(entry, "type"), "refund");
    assert_int_equal(adm_money(entry, "amount"), 500);
    assert_int_equal(adm_money(entry, "balance_after"), 500);
    assert_int_equal(api_int(entry, "invoice_id"), p.invoice_id);
    api_resp_clear(&r);

    /* Nothing is left: refused, and nothing moves. */
    refund(p.invoice_id, "{\"reason\":\"Again\"}", "refund-3", 409, "invoice_not_refundable", &r);
    assert_string_equal(adm_field(&r, "status"), "refunded");
    api_resp_clear(&r);
    assert_int_equal(demo_balance(), 500);

    /* The services are not touched by a refund. */
    {
        char path[64];
        snprintf(path, sizeof path, "/billing/services/%lld", (long long)p.service_id);
        adm_call(&server, "GET", path, demo, NULL, NULL, &r);
        assert_string_equal(api_str(api_data(&r), "status"), "active");
        api_resp_clear(&r);
    }
}

/* The audit log holds who refunded, why, and how much. */
static void test_audit_holds_the_refunds(void **state)
{
    struct api_resp r;
    cJSON *list, *e;

    adm_call(&server, "GET", "/admin/audit-log?target_type=invoice", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    assert_int_equal(cJSON_GetArraySize(list), 2);
    e = cJSON_GetArrayItem(list, 0);
    assert_string_equal(api_str(e, "action"), "invoice.refund");
    assert_string_equal(api_str(e, "reason"), "Cancelled by us");
    assert_string_equal(api_str(cJSON_GetObjectItem(e, "actor"), "type"), "user");
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "actor"), "id"), 2);
    assert_string_equal(api_str(cJSON_GetObjectItem(e, "actor"), "name"), "Demo Operator");
    assert_string_equal(api_str(cJSON_GetObjectItem(e, "target"), "type"), "invoice");
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "details"), "to_balance"), 500);
    e = cJSON_GetArrayItem(list, 1);
    assert_string_equal(api_str(e, "reason"), "Region unavailable");
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "details"), "amount"), 50);
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "details"), "to_balance"), 0);
    api_resp_clear(&r);
}

/* to_credits: the card's money goes to the balance instead. */
static void test_refund_to_credits(void **state)
{
    struct adm_purchase p;
    struct api_resp r;
    int64_t before;

    adm_set_balance(&server, admin, 1, 0);
    adm_buy(&server, demo, IRON, "stripe-only", &p);
    adm_sandbox_pay(p.pay_url);
    before = demo_balance();
    refund(p.invoice_id,
           "{\"amount\":{\"amount\":300,\"currency\":\"USD\"},\"reason\":\"Goodwill\","
           "\"to_credits\":true}",
           "to-credits", 201, NULL, &r);
    assert_true(cJSON_IsTrue(
        cJSON_GetObjectItem(cJSON_GetObjectItem(api_data(&r), "refund"), "to_credits")));
    assert_string_equal(api_str(cJSON_GetObjectItem(api_data(&r), "invoice"), "status"), "paid");
    api_resp_clear(&r);
    assert_int_equal(demo_balance(), before + 300);
}

static void test_idempotent(void **state)
{
    struct adm_purchase p;
    struct api_resp first, again;
    char replayed[16];
    static const char body[] = "{\"amount\":{\"amount\":100,\"currency\":\"USD\"},\"reason\":"
                               "\"Once\",\"to_credits\":true}";
    int64_t before;

    adm_set_balance(&server, admin, 1, 2000);
    adm_buy(&server, demo, IRON, "credits", &p);
    assert_string_equal(p.payment_status, "paid");
    before = demo_balance();
    refund(p.invoice_id, body, "same-key", 201, NULL, &first);
    refund(p.invoice_id, body, "same-key", 201, NULL, &again);
    assert_string_equal(first.body, again.body);
    assert_int_equal(api_header(&again, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    api_resp_clear(&first);
    api_resp_clear(&again);
    assert_int_equal(demo_balance(), before + 100); /* once */
    refund(p.invoice_id, "{\"reason\":\"Other\"}", "same-key", 409, "idempotency_key_reused",
           &first);
    api_resp_clear(&first);
    adm_check(&server, "POST", "/admin/invoices/1/refunds", admin, "{\"reason\":\"x\"}", 400,
              "idempotency_key_required");
}

static void test_refusals(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"amount\":{\"amount\":999999,\"currency\":\"USD\"},\"reason\":\"x\"}", "amount"},
        {"{\"amount\":{\"amount\":0,\"currency\":\"USD\"},\"reason\":\"x\"}", "amount.amount"},
        {"{\"amount\":{\"amount\":-5,\"currency\":\"USD\"},\"reason\":\"x\"}", "amount.amount"},
        {"{\"amount\":{\"amount\":5,\"currency\":\"EUR\"},\"reason\":\"x\"}", "amount.currency"},
        {"{\"amount\":{\"amount\":5,\"currency\":\"USD\"}}", "reason"},
        {"{\"reason\":\"x\",\"to_credits\":\"yes\"}", "to_credits"},
    };
    struct adm_purchase paid, unpaid;
    struct api_resp r;
    char key[32];
    int64_t before;

    adm_set_balance(&server, admin, 1, 2000);
    adm_buy(&server, demo, IRON, "credits", &paid);
    before = demo_balance();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(key, sizeof key, "bad-%zu", i);
        refund(paid.invoice_id, bad[i].body, key, 422, "validation_failed", &r);
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
    assert_int_equal(demo_balance(), before);
    refund(99999, "{\"reason\":\"x\"}", "nobody", 404, "not_found", &r);
    api_resp_clear(&r);
    /* An invoice still waiting for its card payment has nothing to refund. */
    adm_set_balance(&server, admin, 1, 0);
    adm_buy(&server, demo, IRON, "stripe-only", &unpaid);
    refund(unpaid.invoice_id, "{\"reason\":\"x\"}", "unpaid", 409, "invoice_not_refundable", &r);
    assert_string_equal(adm_field(&r, "status"), "pending");
    api_resp_clear(&r);
}

/* A deposit bought credit: refunding it takes that credit back, never to credits again. */
static void test_deposit_refund(void **state)
{
    struct api_resp r;
    int64_t invoice_id, before;
    char url[256];

    adm_set_balance(&server, admin, 1, 0);
    adm_call(&server, "POST", "/billing/credits/deposits", demo,
             "{\"amount\":{\"amount\":2500,\"currency\":\"USD\"}}", "deposit-1", &r);
    adm_expect(&r, 201, NULL);
    invoice_id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    {
        char path[64], body[] = "{\"payment_method\":\"stripe\"}";
        snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)invoice_id);
        adm_call(&server, "POST", path, demo, body, "deposit-pay", &r);
        adm_expect(&r, 201, NULL);
        snprintf(url, sizeof url, "%s",
                 api_str(cJSON_GetObjectItem(api_data(&r), "next_action"), "url"));
        api_resp_clear(&r);
    }
    adm_sandbox_pay(url);
    before = demo_balance();
    assert_int_equal(before, 2500);
    refund(invoice_id, "{\"reason\":\"x\",\"to_credits\":true}", "dep-credits", 422,
           "validation_failed", &r);
    assert_true(adm_field(&r, "to_credits")[0] != '\0');
    api_resp_clear(&r);
    refund(invoice_id, "{\"amount\":{\"amount\":1000,\"currency\":\"USD\"},\"reason\":\"x\"}",
           "dep-1", 201, NULL, &r);
    api_resp_clear(&r);
    assert_int_equal(demo_balance(), 1500);
    /* Once the credit is spent, it cannot be refunded. */
    adm_set_balance(&server, admin, 1, 100);
    refund(invoice_id, "{\"reason\":\"x\"}", "dep-2", 422, "validation_failed", &r);
    assert_true(adm_field(&r, "amount")[0] != '\0');
    api_resp_clear(&r);
    assert_int_equal(demo_balance(), 100);
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
        cmocka_unit_test(test_split_payment_refunded_in_two_steps),
        cmocka_unit_test(test_audit_holds_the_refunds),
        cmocka_unit_test(test_refund_to_credits),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_deposit_refund),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
