/* inproc_stripe_expiry.c: a Stripe payment left unpaid a day expires here, and its Checkout
 * Session is expired at Stripe by the scheduler's pass (the local fake Stripe), once; a failed
 * attempt is tried again by the next pass, 3 tries in all; should the customer still pay the
 * abandoned session, the money is kept and the operator sees why in the audit log. */
#include "inproc_commerce.h"

#include <time.h>

#include "fake_stripe.h"

#define DAY    86400
#define TS3    "{\"product_id\":16,\"cycle\":\"monthly\"}" /* 199 + VAT 40 = 239 */
#define MARKER "/c/pay/"

static struct cx server;
static struct fake_stripe *stripe;
static char buyer[128];

static int setup(void **state)
{
    char db[128], err[256];
    struct billingd_config cfg = {.port = 0,
                                  .quiet = true,
                                  .scheduler_interval = -1,
                                  .seed_users = 1,
                                  .demo = true,
                                  .stripe_secret_key = FAKE_STRIPE_API_KEY,
                                  .stripe_webhook_secret = FAKE_STRIPE_WEBHOOK_SECRET,
                                  .public_url = "https://shop.example.com/",
                                  .gateway_timeout_ms = 2000};

    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!(stripe = fake_stripe_start()))
        return -1;
    cfg.stripe_api_base = fake_stripe_url(stripe);
    memset(&server, 0, sizeof server);
    snprintf(server.dir, sizeof server.dir, "/tmp/sett-expiry-XXXXXX");
    assert_non_null(mkdtemp(server.dir));
    snprintf(db, sizeof db, "%s/billing.db", server.dir);
    cfg.db_path = db;
    if (billingd_start(&cfg, &server.d, err, sizeof err) != 0)
        fail_msg("billingd_start: %s", err);
    snprintf(server.base, sizeof server.base, "http://127.0.0.1:%u",
             (unsigned)billingd_port(server.d));
    cx_login(&server, "customer1@example.com", "password", buyer);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cx_stop(&server);
    fake_stripe_stop(&stripe);
    curl_global_cleanup();
    return 0;
}

/* Checks out one line with Stripe at the real time; the payment's id and its session. */
static int64_t buy(const char *key, char *session, size_t size)
{
    struct cx_checkout c;
    struct cx_resp r;
    int64_t total = 0, version, payment;
    const cJSON *p;
    const char *url, *at;

    billingd_set_clock(server.d, 0);
    version = (cx_add(&server, buyer, TS3), cx_cart(&server, buyer, &total));
    cx_checkout_prepare(&c, version, total, "stripe", false, key);
    assert_int_equal(
        cx_call(&server, "POST", "/api/v1/billing/checkout", buyer, c.headers, c.body, &r), 201);
    p = cJSON_GetObjectItem(cx_data(&r), "payment");
    payment = cx_num(p, "id");
    url = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "next_action"), "url"));
    assert_non_null(url);
    assert_non_null(at = strstr(url, MARKER));
    snprintf(session, size, "%s", at + strlen(MARKER));
    cx_resp_clear(&r);
    return payment;
}

static size_t expiries(const char *session)
{
    char path[160];

    snprintf(path, sizeof path, "/v1/checkout/sessions/%s/expire", session);
    return fake_stripe_count(stripe, "POST", path);
}

/* A day on, the scheduler's pass expires the payment and, once, its session at Stripe. */
static void test_a_payment_expired_here_expires_its_session(void **state)
{
    char session[96], sql[160];
    int64_t payment;

    (void)state;
    payment = buy("expiry-1", session, sizeof session);
    assert_int_equal(billingd_run_scheduler(server.d), 0);
    assert_int_equal(expiries(session), 0);
    billingd_set_clock(server.d, (int64_t)time(NULL) + DAY + 60);
    assert_int_equal(billingd_run_scheduler(server.d), 0);
    snprintf(sql, sizeof sql, "SELECT status = 'expired' FROM payments WHERE id = %lld",
             (long long)payment);
    assert_int_equal(cx_int(&server, sql), 1);
    assert_int_equal(expiries(session), 1);
    /* Stripe refuses to complete it now; later passes send nothing more. */
    assert_int_equal(fake_stripe_complete(stripe, session, "paid", -1), -1);
    assert_int_equal(billingd_run_scheduler(server.d), 0);
    assert_int_equal(expiries(session), 1);
}

/* Stripe failing: each pass tries once more, 3 tries in all; if the customer pays the session
 * meanwhile, the money is not lost, and the audit log says what happened. */
static void test_a_failed_expiry_is_retried_then_a_late_payment_is_audited(void **state)
{
    char session[96], sql[200], id[64];
    int64_t payment;

    (void)state;
    payment = buy("expiry-2", session, sizeof session);
    fake_stripe_fault(stripe, FAKE_STRIPE_5XX, 10, 0);
    billingd_set_clock(server.d, (int64_t)time(NULL) + DAY + 60);
    for (size_t tries = 1; tries <= 4; tries++) {
        assert_int_equal(billingd_run_scheduler(server.d), 0);
        assert_int_equal(expiries(session), tries < 3 ? tries : 3);
    }
    fake_stripe_fault(stripe, FAKE_STRIPE_5XX, 0, 0);
    /* The customer pays the page the shop gave up on; Stripe's webhook still reaches us. */
    assert_int_equal(fake_stripe_complete(stripe, session, "paid", -1), 0);
    billingd_set_clock(server.d, 0);
    snprintf(sql, sizeof sql, "%s/api/billing/webhooks/stripe", server.base);
    assert_int_equal(fake_stripe_deliver(stripe, sql, session, "checkout.session.completed", id),
                     200);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.paid_after_abandon'"
             " AND target_id = %lld",
             (long long)payment);
    assert_int_equal(cx_int(&server, sql), 1);
    snprintf(sql, sizeof sql, "SELECT status IN ('paid', 'held') FROM payments WHERE id = %lld",
             (long long)payment);
    assert_int_equal(cx_int(&server, sql), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_payment_expired_here_expires_its_session),
        cmocka_unit_test(test_a_failed_expiry_is_retried_then_a_late_payment_is_audited),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
