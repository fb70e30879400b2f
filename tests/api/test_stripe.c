/* test_stripe.c: card payments through Stripe Checkout, against the local fake Stripe
 * (tests/support/fake_stripe.c): the session and what is sent to create it, signed webhooks that
 * pay, fail, repeat or arrive late (a look-up settles first), forged ones, a wrong amount held for
 * an operator, refunds back to the card, Stripe failing at checkout, and a superseded session
 * expired at Stripe. */
#include "gateway_fixture.h"

#include "fake_stripe.h"

#include <time.h>

static struct gw_fixture fx;
static struct fake_stripe *stripe;

static int setup(void **state)
{
    (void)state;
    if (!(stripe = fake_stripe_start()))
        return -1;
    return gw_start_stripe(&fx, "stripe", fake_stripe_url(stripe), FAKE_STRIPE_API_KEY,
                           FAKE_STRIPE_WEBHOOK_SECRET, "1");
}

static int teardown(void **state)
{
    int rc = gw_stop(&fx);

    (void)state;
    fake_stripe_stop(&stripe);
    return rc;
}

/* The session id from a payment's next_action.url (the fake's ".../c/pay/cs_test_…"). */
#define STRIPE_PAGE "/c/pay/"

/* A webhook posted through the contract checker: the answer's status. */
static long hook(const char *body, const char *signature, struct api_resp *r)
{
    struct api_server root = cm_root(&fx.server);
    char sig[300];
    const char *headers[] = {"Content-Type: application/json; charset=utf-8", sig, NULL};

    snprintf(sig, sizeof sig, "Stripe-Signature: %s", signature);
    assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/stripe", NULL, headers, body,
                              strlen(body), r),
                     0);
    return r->status;
}

/* Signs and posts an event about a session now; the answer's status. */
static long deliver(const char *session, const char *type)
{
    char id[64], sig[200];
    char *body = fake_stripe_event(stripe, session, type, id);
    struct api_resp r;
    long status;

    assert_non_null(body);
    fake_stripe_sign(body, FAKE_STRIPE_WEBHOOK_SECRET, (int64_t)time(NULL), sig, sizeof sig);
    status = hook(body, sig, &r);
    api_resp_clear(&r);
    free(body);
    return status;
}

/* Checks out one line with Stripe (201); the payment, invoice, first service and session. */
static void buy(const char *line, bool use_credits, const char *key, struct gw_bought *b)
{
    gw_buy(&fx, "stripe", STRIPE_PAGE, line, use_credits, key, b);
}

static void test_a_purchase_is_paid_by_a_signed_webhook(void **state)
{
    struct fake_stripe_record rec;
    struct gw_bought b;
    char v[256], want[64];

    (void)state;
    buy(GW_GOLD_MONTHLY, false, "stripe-buy-1", &b);
    assert_int_equal(b.amount, 1559);
    /* What Stripe was asked for: the invoice's due amount, the store currency, our ids. */
    assert_true(fake_stripe_request(stripe, "POST", "/v1/checkout/sessions", -1, &rec));
    assert_string_equal(rec.auth, "Bearer " FAKE_STRIPE_API_KEY);
    assert_int_equal(strncmp(rec.idem_key, "sett-session-", 13), 0);
    assert_true(fake_stripe_form_value(rec.body, "mode", v, sizeof v));
    assert_string_equal(v, "payment");
    assert_true(
        fake_stripe_form_value(rec.body, "line_items[0][price_data][unit_amount]", v, sizeof v));
    assert_string_equal(v, "1559");
    assert_true(
        fake_stripe_form_value(rec.body, "line_items[0][price_data][currency]", v, sizeof v));
    assert_string_equal(v, "usd");
    assert_true(fake_stripe_form_value(rec.body, "line_items[0][quantity]", v, sizeof v));
    assert_string_equal(v, "1");
    snprintf(want, sizeof want, "%lld", (long long)b.payment);
    assert_true(fake_stripe_form_value(rec.body, "client_reference_id", v, sizeof v));
    assert_string_equal(v, want);
    assert_true(fake_stripe_form_value(rec.body, "metadata[payment_id]", v, sizeof v));
    assert_string_equal(v, want);
    assert_true(fake_stripe_form_value(rec.body, "success_url", v, sizeof v));
    assert_string_equal(v, "https://shop.example.com/pay/done?session_id={CHECKOUT_SESSION_ID}");
    assert_true(fake_stripe_form_value(rec.body, "cancel_url", v, sizeof v));
    assert_string_equal(v, "https://shop.example.com/pay/cancelled");
    assert_true(fake_stripe_form_value(rec.body, "expires_at", v, sizeof v));
    assert_true(atoll(v) > time(NULL) + 30 * 60 && atoll(v) <= time(NULL) + 24 * 3600);
    fake_stripe_record_clear(&rec);
    /* Nothing happens until Stripe says so. */
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "requires_action");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", -1), 0);
    assert_int_equal(deliver(b.ref, "checkout.session.completed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
}

/* Stripe's failure of an asynchronous payment fails ours and gives the credits it held back. */
static void test_an_async_failure_fails_the_payment_and_returns_credits(void **state)
{
    int64_t before = cm_balance(&fx.server, fx.demo);
    struct gw_bought b;

    (void)state;
    assert_true(before > 0);
    buy(GW_GOLD_MONTHLY, true, "stripe-fail-1", &b);
    assert_int_equal(b.credits, before);
    assert_int_equal(b.amount, 1559 - before);
    assert_int_equal(cm_balance(&fx.server, fx.demo), 0);
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "unpaid", -1), 0);
    assert_int_equal(deliver(b.ref, "checkout.session.completed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "pending");
    assert_int_equal(fake_stripe_async(stripe, b.ref, false), 0);
    assert_int_equal(deliver(b.ref, "checkout.session.async_payment_failed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "failed");
    assert_int_equal(cm_balance(&fx.server, fx.demo), before);
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "cancelled");
    /* A success arriving after the failure (out of order) changes nothing. */
    assert_int_equal(deliver(b.ref, "checkout.session.expired"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "failed");
    assert_int_equal(cm_balance(&fx.server, fx.demo), before);
}

/* No webhook yet: following the payment asks Stripe, and the webhook that comes later is a
 * no-op. */
static void test_a_late_webhook_is_caught_up_by_a_look_up(void **state)
{
    size_t gets = fake_stripe_count(stripe, "GET", "/v1/checkout/sessions/");
    int64_t balance = cm_balance(&fx.server, fx.demo);
    struct gw_bought b;
    char path[64];
    struct api_resp r;

    (void)state;
    buy(GW_TS3_MONTHLY, false, "stripe-late-1", &b);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "requires_action");
    assert_true(fake_stripe_count(stripe, "GET", "/v1/checkout/sessions/") > gets);
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", -1), 0);
    assert_string_equal(gw_follow(&fx, b.payment, "paid"), "paid");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
    assert_int_equal(deliver(b.ref, "checkout.session.completed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    assert_int_equal(cm_balance(&fx.server, fx.demo), balance); /* no surplus credited */
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)b.invoice);
    cm_call(&fx.server, "GET", path, fx.demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "paid");
    assert_int_equal(adm_money(api_data(&r), "amount_paid"), 239);
    api_resp_clear(&r);
}

/* The same event twice is applied once; a forged, re-keyed or old one is refused. */
static void test_duplicate_and_forged_webhooks(void **state)
{
    struct gw_bought b;
    struct api_resp r;
    char id[64], sig[200];
    char *body;

    (void)state;
    buy(GW_TS3_MONTHLY, false, "stripe-forge-1", &b);
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", -1), 0);
    body = fake_stripe_event(stripe, b.ref, "checkout.session.completed", id);
    assert_non_null(body);
    /* One byte changed: the signature no longer matches. */
    fake_stripe_sign(body, FAKE_STRIPE_WEBHOOK_SECRET, (int64_t)time(NULL), sig, sizeof sig);
    {
        char *digit = strstr(body, "\"amount_total\":") + strlen("\"amount_total\":");

        *digit = *digit == '9' ? '8' : (char)(*digit + 1);
    }
    hook(body, sig, &r);
    adm_expect(&r, 400, "invalid_signature");
    api_resp_clear(&r);
    free(body);
    body = fake_stripe_event(stripe, b.ref, "checkout.session.completed", id);
    fake_stripe_sign(body, "whsec_another", (int64_t)time(NULL), sig, sizeof sig);
    assert_int_equal(hook(body, sig, &r), 400);
    api_resp_clear(&r);
    fake_stripe_sign(body, FAKE_STRIPE_WEBHOOK_SECRET, (int64_t)time(NULL) - 301, sig, sizeof sig);
    assert_int_equal(hook(body, sig, &r), 400);
    api_resp_clear(&r);
    assert_int_equal(hook(body, "", &r), 400);
    api_resp_clear(&r);
    /* Seen from the operator's side, which never asks Stripe: nothing changed. */
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
    /* A signature among others (a rotated secret) is enough. */
    fake_stripe_sign(body, FAKE_STRIPE_WEBHOOK_SECRET, (int64_t)time(NULL), sig, sizeof sig);
    {
        char two[400];

        snprintf(two, sizeof two, "%s,v1=%064d", sig, 0);
        assert_int_equal(hook(body, two, &r), 200);
        assert_false(cJSON_IsTrue(gw_part(&r, "duplicate")));
        api_resp_clear(&r);
    }
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    assert_int_equal(hook(body, sig, &r), 200);
    assert_true(cJSON_IsTrue(gw_part(&r, "duplicate")));
    api_resp_clear(&r);
    free(body);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
}

/* Stripe collected another amount than the payment's: held for an operator, nothing active. */
static void test_a_wrong_amount_is_held_and_activates_nothing(void **state)
{
    struct gw_bought b;

    (void)state;
    buy(GW_TS3_MONTHLY, false, "stripe-wrong-1", &b);
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", b.amount - 100), 0);
    assert_int_equal(deliver(b.ref, "checkout.session.completed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "held");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
    gw_expect_audit(&fx, b.payment, "payment.hold");
    /* A later success event does not release it either. */
    assert_int_equal(deliver(b.ref, "checkout.session.async_payment_succeeded"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "held");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "pending");
}

/* An operator's refund of a Stripe payment goes back to the card, once. */
static void test_a_refund_goes_back_to_the_card(void **state)
{
    struct fake_stripe_record rec;
    struct gw_bought b;
    struct api_resp r;
    char path[64], v[128], pi[64];
    size_t before;

    (void)state;
    buy(GW_GOLD_MONTHLY, false, "stripe-refund-1", &b);
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", -1), 0);
    assert_int_equal(deliver(b.ref, "checkout.session.completed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "paid");
    before = fake_stripe_count(stripe, "POST", "/v1/refunds");
    snprintf(path, sizeof path, "/admin/invoices/%lld/refunds", (long long)b.invoice);
    for (int i = 0; i < 2; i++) {
        adm_call(&fx.server, "POST", path, fx.admin,
                 "{\"amount\":{\"amount\":500,\"currency\":\"USD\"},\"reason\":\"Goodwill\"}",
                 "stripe-refund-op-1", &r);
        adm_expect(&r, 201, NULL);
        assert_int_equal(adm_money(gw_part(&r, "refund"), "amount"), 500);
        assert_false(cJSON_IsTrue(cJSON_GetObjectItem(gw_part(&r, "refund"), "to_credits")));
        api_resp_clear(&r);
    }
    assert_int_equal(fake_stripe_count(stripe, "POST", "/v1/refunds"), before + 1);
    assert_true(fake_stripe_request(stripe, "POST", "/v1/refunds", -1, &rec));
    assert_true(fake_stripe_form_value(rec.body, "amount", v, sizeof v));
    assert_string_equal(v, "500");
    assert_true(fake_stripe_form_value(rec.body, "payment_intent", pi, sizeof pi));
    assert_int_equal(strncmp(pi, "pi_", 3), 0);
    assert_int_equal(strncmp(rec.idem_key, "sett-refund-", 12), 0);
    fake_stripe_record_clear(&rec);
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)b.invoice);
    cm_call(&fx.server, "GET", path, fx.demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(api_data(&r), "amount_refunded"), 500);
    api_resp_clear(&r);
    /* Stripe refusing a refund leaves nothing refunded. */
    fake_stripe_fault(stripe, FAKE_STRIPE_5XX, 1, 0);
    snprintf(path, sizeof path, "/admin/invoices/%lld/refunds", (long long)b.invoice);
    adm_call(&fx.server, "POST", path, fx.admin,
             "{\"amount\":{\"amount\":100,\"currency\":\"USD\"},\"reason\":\"Again\"}",
             "stripe-refund-op-2", &r);
    adm_expect(&r, 502, "gateway_error");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)b.invoice);
    cm_call(&fx.server, "GET", path, fx.demo, NULL, -1, NULL, &r);
    assert_int_equal(adm_money(api_data(&r), "amount_refunded"), 500);
    api_resp_clear(&r);
}

static int64_t orders(void)
{
    struct api_resp r;
    int64_t n;

    cm_call(&fx.server, "GET", "/billing/orders", fx.demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    n = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    return n;
}

/* Stripe failing at checkout: a clear error, no order, and the retry makes one session. */
static void test_stripe_failing_at_checkout_charges_nothing(void **state)
{
    size_t sessions = fake_stripe_sessions(stripe);
    int64_t n = orders(), balance = cm_balance(&fx.server, fx.demo);
    struct api_resp r;

    (void)state;
    cm_add(&fx.server, fx.demo, GW_TS3_MONTHLY);
    fake_stripe_fault(stripe, FAKE_STRIPE_5XX, 1, 0);
    cm_checkout(&fx.server, fx.demo, "stripe", false, "stripe-5xx-1", &r);
    adm_expect(&r, 502, "gateway_error");
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "Stripe"));
    assert_null(strstr(r.body, "sk_test"));
    api_resp_clear(&r);
    assert_int_equal(orders(), n);
    assert_int_equal(cm_balance(&fx.server, fx.demo), balance);
    assert_int_equal(fake_stripe_sessions(stripe), sessions);
    cm_checkout(&fx.server, fx.demo, "stripe", false, "stripe-5xx-1", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    assert_int_equal(fake_stripe_sessions(stripe), sessions + 1);
    assert_int_equal(orders(), n + 1);

    /* A timeout after Stripe made the session: the retry with the same key gets that session. */
    cm_add(&fx.server, fx.demo, GW_TS3_MONTHLY);
    n = orders();
    fake_stripe_fault(stripe, FAKE_STRIPE_SLOW, 1, 2500);
    cm_checkout(&fx.server, fx.demo, "stripe", false, "stripe-slow-1", &r);
    adm_expect(&r, 502, "gateway_error");
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "in time"));
    api_resp_clear(&r);
    assert_int_equal(orders(), n);
    assert_int_equal(fake_stripe_sessions(stripe), sessions + 2);
    cm_checkout(&fx.server, fx.demo, "stripe", false, "stripe-slow-1", &r);
    adm_expect(&r, 201, NULL);
    {
        /* Both attempts sent the same key; Stripe answered the second from the first. */
        size_t posts = fake_stripe_count(stripe, "POST", "/v1/checkout/sessions");
        struct fake_stripe_record a, c;
        char session[96];

        assert_true(
            fake_stripe_request(stripe, "POST", "/v1/checkout/sessions", (int)posts - 2, &a));
        assert_true(fake_stripe_request(stripe, "POST", "/v1/checkout/sessions", -1, &c));
        assert_string_equal(a.idem_key, c.idem_key);
        assert_string_equal(a.body, c.body);
        fake_stripe_record_clear(&a);
        fake_stripe_record_clear(&c);
        gw_ref(gw_part(&r, "payment"), STRIPE_PAGE, session, sizeof session);
        assert_int_equal(strncmp(session, "cs_test_", 8), 0);
    }
    api_resp_clear(&r);
    assert_int_equal(fake_stripe_sessions(stripe), sessions + 2);
    assert_int_equal(orders(), n + 1);
}

/* The pages Stripe sends the customer back to. */
static void test_the_return_pages(void **state)
{
    struct api_server root = cm_root(&fx.server);
    struct api_resp r;

    (void)state;
    assert_int_equal(
        api_call(&root, "GET", "/pay/done?session_id=cs_test_x", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "return to the terminal"));
    api_resp_clear(&r);
    assert_int_equal(api_call(&root, "GET", "/pay/cancelled", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Nothing was charged"));
    api_resp_clear(&r);
}

/* Paying the invoice again supersedes the waiting payment: its session is expired at Stripe once
 * (so the customer can no longer pay it), and the new payment's session pays the invoice. */
static void test_a_superseded_session_is_expired_at_stripe(void **state)
{
    struct fake_stripe_record rec;
    struct gw_bought b;
    struct api_resp r;
    char path[160], ref[96];
    int64_t again;

    (void)state;
    buy(GW_TS3_MONTHLY, false, "stripe-supersede-1", &b);
    snprintf(path, sizeof path, "/v1/checkout/sessions/%s/expire", b.ref);
    assert_int_equal(fake_stripe_count(stripe, "POST", path), 0);
    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)b.invoice);
    adm_call(&fx.server, "POST", path, fx.demo, "{\"payment_method\":\"stripe\"}",
             "stripe-supersede-2", &r);
    adm_expect(&r, 201, NULL);
    again = api_int(api_data(&r), "id");
    gw_ref(api_data(&r), STRIPE_PAGE, ref, sizeof ref);
    api_resp_clear(&r);
    assert_true(again != b.payment);
    assert_string_not_equal(ref, b.ref);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "expired");
    /* Exactly one expiry, of the first session, with an Idempotency-Key. */
    snprintf(path, sizeof path, "/v1/checkout/sessions/%s/expire", b.ref);
    assert_int_equal(fake_stripe_count(stripe, "POST", path), 1);
    assert_true(fake_stripe_request(stripe, "POST", path, -1, &rec));
    assert_int_equal(strncmp(rec.idem_key, "sett-expire-", 12), 0);
    fake_stripe_record_clear(&rec);
    snprintf(path, sizeof path, "/v1/checkout/sessions/%s/expire", ref);
    assert_int_equal(fake_stripe_count(stripe, "POST", path), 0);
    /* The first page can no longer be paid; the second one can. */
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", -1), -1);
    assert_int_equal(fake_stripe_complete(stripe, ref, "paid", -1), 0);
    assert_int_equal(deliver(ref, "checkout.session.completed"), 200);
    assert_string_equal(gw_status(&fx, GW_PAYMENT, again), "paid");
    assert_string_equal(gw_status(&fx, GW_PAYMENT, b.payment), "expired");
    assert_string_equal(gw_status(&fx, GW_SERVICE, b.service), "active");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_purchase_is_paid_by_a_signed_webhook),
        cmocka_unit_test(test_an_async_failure_fails_the_payment_and_returns_credits),
        cmocka_unit_test(test_a_late_webhook_is_caught_up_by_a_look_up),
        cmocka_unit_test(test_duplicate_and_forged_webhooks),
        cmocka_unit_test(test_a_wrong_amount_is_held_and_activates_nothing),
        cmocka_unit_test(test_a_refund_goes_back_to_the_card),
        cmocka_unit_test(test_stripe_failing_at_checkout_charges_nothing),
        cmocka_unit_test(test_the_return_pages),
        cmocka_unit_test(test_a_superseded_session_is_expired_at_stripe),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
