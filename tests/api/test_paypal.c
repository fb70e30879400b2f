/* test_paypal.c: PayPal payments through Orders v2 against the local fake PayPal
 * (tests/support/fake_paypal.c): the OAuth token (cached), the order and its amount as PayPal's
 * decimal string, approval then capture by webhook or by a look-up when the webhook is late,
 * verification of every webhook through PayPal, forged events, refunds of the capture, PayPal
 * failing at checkout, and captures that misbehave: declined, pending then completed or denied,
 * of another amount, with an expired token, timed out; an order superseded before its approval is
 * never captured. */
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
static void buy_with(const char *line, bool use_credits, const char *key, struct gw_bought *b)
{
    gw_buy(&fx, "paypal", "token=", line, use_credits, key, b);
    assert_int_equal(strncmp(b->url, fake_paypal_url(paypal), strlen(fake_paypal_url(paypal))), 0);
}

static void buy(const char *line, const char *key, struct gw_bought *b)
{
    buy_with(line, false, key, b);
}

/* Approves the order at PayPal and delivers the approval; the webhook's HTTP status. */
static long approve(const struct gw_bought *b)
{
    assert_int_equal(fake_paypal_approve(paypal, b->ref), 0);
    return fake_paypal_deliver(paypal, fx.hook_url, b->ref, "CHECKOUT.ORDER.APPROVED", false);
}

static long deliver(const struct gw_bought *b, const char *type)
{
    return fake_paypal_deliver(paypal, fx.hook_url, b->ref, type, false);
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

/* PayPal declined the capture: the payment fails, its credits come back, the order is cancelled
 * (as a Stripe asynchronous failure). */
static void test_a_declined_capture_fails_the_payment_and_returns_credits(void **state)
{
    int64_t before = cm_balance(&fx.server, fx.demo);
    struct gw_bought b;

    (void)state;
    assert_true(before > 0);
    buy_with(GW_GOLD_MONTHLY, true, "pp-declined-1", &b);
    assert_int_equal(b.credits, before);
    assert_int_equal(cm_balance(&fx.server, fx.demo), 0);
    assert_int_equal(fake_paypal_capture_outcome(paypal, b.ref, "DECLINED", NULL), 0);
    assert_int_equal(approve(&b), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "failed");
    assert_int_equal(cm_balance(&fx.server, fx.demo), before);
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "cancelled");
    /* The approval again changes nothing (the capture replays). */
    assert_int_equal(deliver(&b, "CHECKOUT.ORDER.APPROVED"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "failed");
    assert_int_equal(cm_balance(&fx.server, fx.demo), before);
}

/* A PENDING capture keeps the payment pending until PayPal says COMPLETED or DENIED. */
static void test_a_pending_capture_waits_for_completed_or_denied(void **state)
{
    struct gw_bought done, denied;

    (void)state;
    buy(GW_TS3_MONTHLY, "pp-pending-1", &done);
    assert_int_equal(fake_paypal_capture_outcome(paypal, done.ref, "PENDING", NULL), 0);
    assert_int_equal(approve(&done), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, done.payment), "pending");
    assert_int_equal(deliver(&done, "PAYMENT.CAPTURE.PENDING"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, done.payment), "pending");
    assert_string_equal(gw_status(&fx, GW_SERVICE, done.service), "pending");
    assert_int_equal(fake_paypal_capture_settle(paypal, done.ref, "COMPLETED"), 0);
    assert_int_equal(deliver(&done, "PAYMENT.CAPTURE.COMPLETED"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, done.payment), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, done.service), "active");

    buy(GW_TS3_MONTHLY, "pp-pending-2", &denied);
    assert_int_equal(fake_paypal_capture_outcome(paypal, denied.ref, "PENDING", NULL), 0);
    assert_int_equal(approve(&denied), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, denied.payment), "pending");
    assert_int_equal(fake_paypal_capture_settle(paypal, denied.ref, "DENIED"), 0);
    assert_int_equal(deliver(&denied, "PAYMENT.CAPTURE.DENIED"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, denied.payment), "failed");
    assert_string_equal(gw_status(&fx, GW_SERVICE, denied.service), "cancelled");
    /* The denial again changes nothing. */
    assert_int_equal(deliver(&denied, "PAYMENT.CAPTURE.DENIED"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, denied.payment), "failed");
}

/* PayPal captured another amount than the payment's: held for an operator, nothing active. */
static void test_a_wrong_captured_amount_is_held(void **state)
{
    struct gw_bought b;

    (void)state;
    buy(GW_TS3_MONTHLY, "pp-wrong-1", &b);
    assert_int_equal(fake_paypal_capture_outcome(paypal, b.ref, "COMPLETED", "1.39"), 0);
    assert_int_equal(approve(&b), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "held");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
    gw_expect_audit(&fx, b.payment, "payment.hold");
    /* The capture's own event does not release it. */
    assert_int_equal(deliver(&b, "PAYMENT.CAPTURE.COMPLETED"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "held");
}

/* PayPal expired the token: the server takes a new one and sends the request once more. */
static void test_an_expired_token_is_renewed_and_the_request_retried(void **state)
{
    size_t tokens = fake_paypal_count(paypal, "POST", "/v1/oauth2/token");
    size_t orders = fake_paypal_count(paypal, "POST", "/v2/checkout/orders");
    struct fake_paypal_record rec;
    struct gw_bought b;

    (void)state;
    fake_paypal_expire_token(paypal);
    buy(GW_TS3_MONTHLY, "pp-token-1", &b);
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v1/oauth2/token"), tokens + 1);
    /* The order was refused once (401), then made with the new token. */
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v2/checkout/orders"), orders + 2);
    assert_true(fake_paypal_request(paypal, "POST", "/v2/checkout/orders", (int)orders, &rec));
    assert_int_equal(rec.status, 401);
    fake_paypal_record_clear(&rec);
    assert_true(fake_paypal_request(paypal, "POST", "/v2/checkout/orders", -1, &rec));
    assert_int_equal(rec.status, 200);
    fake_paypal_record_clear(&rec);
    /* And it expires again before the capture: renewed again, captured once. */
    fake_paypal_expire_token(paypal);
    assert_int_equal(approve(&b), 200);
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v1/oauth2/token"), tokens + 2);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
}

/* The capture timed out: the payment stays waiting (nothing failed), the look-up finds the
 * capture PayPal made and finishes it, and capturing again replays (PayPal-Request-Id). */
static void test_a_capture_timeout_is_finished_by_the_look_up(void **state)
{
    struct fake_paypal_record rec;
    struct gw_bought b;
    char path[160], want[160];
    size_t captures;

    (void)state;
    buy(GW_TS3_MONTHLY, "pp-timeout-1", &b);
    assert_int_equal(fake_paypal_capture_timeout(paypal, b.ref, 3000), 0);
    assert_int_equal(approve(&b), 502); /* not applied: PayPal sends it again */
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
    assert_string_equal(gw_follow(&fx, b.payment, "paid"), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
    assert_int_equal(deliver(&b, "CHECKOUT.ORDER.APPROVED"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    /* Every capture of the order went with the same PayPal-Request-Id. */
    snprintf(path, sizeof path, "/v2/checkout/orders/%s/capture", b.ref);
    snprintf(want, sizeof want, "sett-capture-%s", b.ref);
    captures = fake_paypal_count(paypal, "POST", path);
    assert_true(captures >= 1);
    for (size_t i = 0; i < captures; i++) {
        assert_true(fake_paypal_request(paypal, "POST", path, (int)i, &rec));
        assert_string_equal(rec.request_id, want);
        fake_paypal_record_clear(&rec);
    }
}

/* A payment held for another amount, captured as `value`. */
static void held(const char *key, const char *value, struct gw_bought *b)
{
    buy(GW_TS3_MONTHLY, key, b);
    assert_int_equal(fake_paypal_capture_outcome(paypal, b->ref, "COMPLETED", value), 0);
    assert_int_equal(approve(b), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b->payment), "held");
}

/* POST /admin/payments/{id}/release as `token`; the response (cleared by the caller). */
static void release(int64_t payment, const char *token, const char *body, struct api_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/admin/payments/%lld/release", (long long)payment);
    adm_call(&fx.server, "POST", path, token, body, NULL, r);
}

/* More than was due: the invoice paid, the services active, the surplus to credits, audited. */
static void test_an_operator_releases_a_held_payment_in_full(void **state)
{
    int64_t balance = cm_balance(&fx.server, fx.demo);
    struct gw_bought b;
    struct api_resp r;

    (void)state;
    held("pp-release-1", "3.39", &b); /* 239 due */
    release(b.payment, fx.admin, "{\"reason\":\"The customer paid more on purpose.\"}", &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "paid");
    assert_int_equal(adm_money(api_data(&r), "amount_paid"), 239);
    api_resp_clear(&r);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
    assert_int_equal(cm_balance(&fx.server, fx.demo), balance + 100);
    {
        char path[96];

        snprintf(path, sizeof path, "/admin/audit-log?target_type=payment&target_id=%lld",
                 (long long)b.payment);
        adm_call(&fx.server, "GET", path, fx.admin, NULL, NULL, &r);
        adm_expect(&r, 200, NULL);
        assert_int_equal(cJSON_GetArraySize(api_data(&r)), 2);
        api_resp_clear(&r);
    }
    /* Released once: again is 409. */
    release(b.payment, fx.admin, "{\"reason\":\"Again.\"}", &r);
    adm_expect(&r, 409, "invalid_status");
    api_resp_clear(&r);
}

/* Less than was due: what arrived is recorded, the rest stays due, nothing activates. */
static void test_an_operator_releases_a_short_held_payment(void **state)
{
    struct gw_bought b;
    struct api_resp r;

    (void)state;
    held("pp-release-2", "1.39", &b);
    release(b.payment, fx.admin, "{\"reason\":\"Accept the part; the customer pays the rest.\"}",
            &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "pending");
    assert_int_equal(adm_money(api_data(&r), "amount_paid"), 139);
    api_resp_clear(&r);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
}

/* Only an operator, only a held payment, only with a reason. */
static void test_releasing_is_refused_unless_held_by_an_operator_with_a_reason(void **state)
{
    struct gw_bought b, paid;
    struct api_resp r;

    (void)state;
    held("pp-release-3", "2.00", &b);
    release(b.payment, fx.demo, "{\"reason\":\"Mine.\"}", &r);
    adm_expect(&r, 403, NULL);
    api_resp_clear(&r);
    release(b.payment, fx.admin, "{}", &r);
    adm_expect(&r, 422, "validation_failed");
    api_resp_clear(&r);
    release(999999, fx.admin, "{\"reason\":\"No such payment.\"}", &r);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "held");
    buy(GW_TS3_MONTHLY, "pp-release-4", &paid);
    assert_int_equal(approve(&paid), 200);
    release(paid.payment, fx.admin, "{\"reason\":\"Not held.\"}", &r);
    adm_expect(&r, 409, "invalid_status");
    api_resp_clear(&r);
}

/* Sent back instead: one refund of what was captured, the payment failed, the order cancelled. */
static void test_an_operator_refunds_a_held_payment(void **state)
{
    struct fake_paypal_record rec;
    struct gw_bought b;
    struct api_resp r;
    char path[64];
    size_t refunds = fake_paypal_count(paypal, "POST", "/v2/payments/captures/");
    cJSON *body;

    (void)state;
    held("pp-release-5", "1.39", &b);
    snprintf(path, sizeof path, "/admin/payments/%lld/refund", (long long)b.payment);
    adm_call(&fx.server, "POST", path, fx.admin, "{\"reason\":\"Wrong amount, sent back.\"}", NULL,
             &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "cancelled");
    api_resp_clear(&r);
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v2/payments/captures/"), refunds + 1);
    assert_true(fake_paypal_request(paypal, "POST", "/v2/payments/captures/", -1, &rec));
    body = cJSON_Parse(rec.body);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "amount"), "value")),
        "1.39");
    cJSON_Delete(body);
    fake_paypal_record_clear(&rec);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "failed");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "cancelled");
    /* Once: asked again, it is no longer held. */
    adm_call(&fx.server, "POST", path, fx.admin, "{\"reason\":\"Again.\"}", NULL, &r);
    adm_expect(&r, 409, "invalid_status");
    api_resp_clear(&r);
    assert_int_equal(fake_paypal_count(paypal, "POST", "/v2/payments/captures/"), refunds + 1);
}

/* An order whose payment a newer one superseded is never captured, even once approved: the
 * webhook is acknowledged and ignored (audited), and the new payment still works. */
static void test_a_superseded_order_is_not_captured(void **state)
{
    struct gw_bought b, again;
    struct api_resp r;
    char path[160];

    (void)state;
    buy(GW_TS3_MONTHLY, "pp-supersede-1", &b);
    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)b.invoice);
    adm_call(&fx.server, "POST", path, fx.demo, "{\"payment_method\":\"paypal\"}", "pp-supersede-2",
             &r);
    adm_expect(&r, 201, NULL);
    again = b;
    again.payment = api_int(api_data(&r), "id");
    gw_ref(api_data(&r), "token=", again.ref, sizeof again.ref);
    api_resp_clear(&r);
    assert_string_not_equal(again.ref, b.ref);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "expired");
    /* The payer approves the old order anyway: acknowledged, nothing captured. */
    assert_int_equal(approve(&b), 200);
    snprintf(path, sizeof path, "/v2/checkout/orders/%s/capture", b.ref);
    assert_int_equal(fake_paypal_count(paypal, "POST", path), 0);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "expired");
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
    gw_expect_audit(&fx, b.payment, "payment.capture_refused");
    /* The new payment is captured and pays the invoice. */
    assert_int_equal(approve(&again), 200);
    snprintf(path, sizeof path, "/v2/checkout/orders/%s/capture", again.ref);
    assert_int_equal(fake_paypal_count(paypal, "POST", path), 1);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, again.payment), "paid");
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
    snprintf(path, sizeof path, "/v2/checkout/orders/%s/capture", b.ref);
    assert_int_equal(fake_paypal_count(paypal, "POST", path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_purchase_is_captured_when_the_payer_approves),
        cmocka_unit_test(test_a_late_webhook_is_caught_up_by_a_look_up),
        cmocka_unit_test(test_forged_webhooks_are_refused),
        cmocka_unit_test(test_a_refund_goes_back_through_the_capture),
        cmocka_unit_test(test_paypal_failing_at_checkout_charges_nothing),
        cmocka_unit_test(test_a_declined_capture_fails_the_payment_and_returns_credits),
        cmocka_unit_test(test_a_pending_capture_waits_for_completed_or_denied),
        cmocka_unit_test(test_a_wrong_captured_amount_is_held),
        cmocka_unit_test(test_an_expired_token_is_renewed_and_the_request_retried),
        cmocka_unit_test(test_a_capture_timeout_is_finished_by_the_look_up),
        cmocka_unit_test(test_an_operator_releases_a_held_payment_in_full),
        cmocka_unit_test(test_an_operator_releases_a_short_held_payment),
        cmocka_unit_test(test_releasing_is_refused_unless_held_by_an_operator_with_a_reason),
        cmocka_unit_test(test_an_operator_refunds_a_held_payment),
        cmocka_unit_test(test_a_superseded_order_is_not_captured),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
