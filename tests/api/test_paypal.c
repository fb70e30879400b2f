/* test_paypal.c: PayPal payments through Orders v2 against the local fake PayPal
 * (tests/support/fake_paypal.c): the OAuth token (cached), the order and its amount as PayPal's
 * decimal string, approval then capture by webhook or by a look-up when the webhook is late,
 * verification of every webhook through PayPal, forged events, refunds of the capture, and
 * PayPal failing at checkout. */
#include "gateway_fixture.h"

#include "fake_paypal.h"

static struct gw_fixture fx;
static struct fake_paypal *paypal;

static int setup(void **state)
{
    const char *args[] = {"--paypal-client-id",
                          FAKE_PAYPAL_CLIENT_ID,
                          "--paypal-secret-file",
                          NULL,
                          "--paypal-webhook-id",
                          FAKE_PAYPAL_WEBHOOK_ID,
                          "--paypal-api-base",
                          NULL,
                          "--public-url",
                          "https://shop.example.com",
                          "--gateway-timeout",
                          "2",
                          NULL};

    (void)state;
    if (!(paypal = fake_paypal_start()) ||
        !(args[3] = gw_secret(&fx, "paypal", "secret", FAKE_PAYPAL_SECRET)))
        return -1;
    args[7] = fake_paypal_url(paypal);
    return gw_start(&fx, "paypal", args);
}

static int teardown(void **state)
{
    int rc = gw_stop(&fx);

    (void)state;
    fake_paypal_stop(&paypal);
    return rc;
}

/* Checks out one line with PayPal (201): the order is the token of its approval page, at the
 * fake. */
static void buy(const char *line, const char *key, struct gw_bought *b)
{
    gw_buy(&fx, "paypal", "token=", line, false, key, b);
    assert_int_equal(strncmp(b->url, fake_paypal_url(paypal), strlen(fake_paypal_url(paypal))), 0);
}

static void test_a_purchase_is_captured_when_the_payer_approves(void **state)
{
    struct fake_paypal_record rec;
    struct gw_bought b;
    char want[64];
    cJSON *body, *unit;

    (void)state;
    buy(GW_GOLD_MONTHLY, "pp-buy-1", &b);
    /* The token by client credentials (HTTP Basic), the order with a Bearer token. */
    assert_true(fake_paypal_request(paypal, "POST", "/v1/oauth2/token", -1, &rec));
    assert_int_equal(strncmp(rec.auth, "Basic ", 6), 0);
    fake_paypal_record_clear(&rec);
    assert_true(fake_paypal_request(paypal, "POST", "/v2/checkout/orders", -1, &rec));
    assert_int_equal(strncmp(rec.auth, "Bearer ", 7), 0);
    assert_int_equal(strncmp(rec.request_id, "sett-session-", 13), 0);
    body = cJSON_Parse(rec.body);
    unit = cJSON_GetArrayItem(cJSON_GetObjectItem(body, "purchase_units"), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(body, "intent")), "CAPTURE");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(unit, "amount"), "value")),
        "15.59");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(
                            cJSON_GetObjectItem(unit, "amount"), "currency_code")),
                        "USD");
    snprintf(want, sizeof want, "%lld", (long long)b.payment);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(unit, "custom_id")), want);
    cJSON_Delete(body);
    fake_paypal_record_clear(&rec);
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
    /* Approved on PayPal's page: the webhook is verified through PayPal, then we capture. */
    assert_int_equal(fake_paypal_approve(paypal, b.ref), 0);
    assert_int_equal(
        fake_paypal_deliver(paypal, fx.hook_url, b.ref, "CHECKOUT.ORDER.APPROVED", false), 200);
    assert_int_equal(
        fake_paypal_count(paypal, "POST", "/v1/notifications/verify-webhook-signature"), 1);
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v2/checkout/orders/"), 1); /* capture */
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "paid");
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
    /* The capture's own event afterwards changes nothing. */
    assert_int_equal(
        fake_paypal_deliver(paypal, fx.hook_url, b.ref, "PAYMENT.CAPTURE.COMPLETED", false), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
}

static void test_a_late_webhook_is_caught_up_by_a_look_up(void **state)
{
    struct gw_bought b;

    (void)state;
    buy(GW_TS3_MONTHLY, "pp-late-1", &b);
    assert_int_equal(fake_paypal_approve(paypal, b.ref), 0);
    assert_string_equal(gw_follow(&fx, b.payment, "paid"), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
    assert_int_equal(
        fake_paypal_deliver(paypal, fx.hook_url, b.ref, "CHECKOUT.ORDER.APPROVED", false), 200);
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "paid");
}

static void test_forged_webhooks_are_refused(void **state)
{
    struct api_server root = cm_root(&fx.server);
    const char *headers[] = {"Content-Type: application/json", NULL};
    struct api_resp r;
    struct gw_bought b;

    (void)state;
    buy(GW_TS3_MONTHLY, "pp-forge-1", &b);
    assert_int_equal(fake_paypal_approve(paypal, b.ref), 0);
    assert_int_equal(
        fake_paypal_deliver(paypal, fx.hook_url, b.ref, "CHECKOUT.ORDER.APPROVED", true), 400);
    /* No transmission headers at all. */
    {
        const char *unsigned_event = "{\"id\":\"WH-1\",\"event_type\":\"CHECKOUT.ORDER.APPROVED\"}";

        assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/paypal", NULL, headers,
                                  unsigned_event, strlen(unsigned_event), &r),
                         0);
    }
    adm_expect(&r, 400, "invalid_signature");
    api_resp_clear(&r);
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
}

static void test_a_refund_goes_back_through_the_capture(void **state)
{
    struct fake_paypal_record rec;
    struct gw_bought b;
    struct api_resp r;
    char path[64];
    cJSON *body;

    (void)state;
    buy(GW_GOLD_MONTHLY, "pp-refund-1", &b);
    assert_int_equal(fake_paypal_approve(paypal, b.ref), 0);
    assert_int_equal(
        fake_paypal_deliver(paypal, fx.hook_url, b.ref, "CHECKOUT.ORDER.APPROVED", false), 200);
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "paid");
    snprintf(path, sizeof path, "/admin/invoices/%lld/refunds", (long long)b.invoice);
    adm_call(&fx.server, "POST", path, fx.admin,
             "{\"amount\":{\"amount\":500,\"currency\":\"USD\"},\"reason\":\"Goodwill\"}",
             "pp-refund-op-1", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v2/payments/captures/"), 1);
    assert_true(fake_paypal_request(paypal, "POST", "/v2/payments/captures/", -1, &rec));
    assert_non_null(strstr(rec.path, "/refund"));
    assert_int_equal(strncmp(rec.request_id, "sett-refund-", 12), 0);
    body = cJSON_Parse(rec.body);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "amount"), "value")),
        "5.00");
    cJSON_Delete(body);
    fake_paypal_record_clear(&rec);
}

static void test_paypal_failing_at_checkout_charges_nothing(void **state)
{
    struct api_resp r;

    (void)state;
    cm_add(&fx.server, fx.demo, GW_TS3_MONTHLY);
    fake_paypal_fail(paypal, 1);
    cm_checkout(&fx.server, fx.demo, "paypal", false, "pp-5xx-1", &r);
    adm_expect(&r, 502, "gateway_error");
    assert_non_null(strstr(r.body, "PayPal"));
    assert_null(strstr(r.body, FAKE_PAYPAL_SECRET));
    api_resp_clear(&r);
    cm_checkout(&fx.server, fx.demo, "paypal", false, "pp-5xx-1", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    /* One token served everything: it is cached until it expires. */
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v1/oauth2/token"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_purchase_is_captured_when_the_payer_approves),
        cmocka_unit_test(test_a_late_webhook_is_caught_up_by_a_look_up),
        cmocka_unit_test(test_forged_webhooks_are_refused),
        cmocka_unit_test(test_a_refund_goes_back_through_the_capture),
        cmocka_unit_test(test_paypal_failing_at_checkout_charges_nothing),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
