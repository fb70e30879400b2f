/* test_stripe_hang.c: Stripe hanging on a checkout, a payment of an invoice or a refund holds up
 * no one else: the shop's other requests answer at once, a duplicate of the hung request gets
 * 409 idempotency_key_in_progress, the hung one ends in a clear error having charged and
 * refunded nothing (credits, stock and cart back), and its retry with the same key makes exactly
 * one session or refund at the fake. */
#include "gateway_fixture.h"

#include "fake_stripe.h"

#include <pthread.h>
#include <time.h>

#define HANG_TIMEOUT "4"  /* --gateway-timeout, seconds */
#define HANG_MS      6000 /* how long the fake keeps the request: past the timeout */
#define PROMPT_MS    1500 /* what "at once" means while a request hangs: well under the hang */
#define STRIPE_PAGE  "/c/pay/"
/* TeamSpeak 128 Slots: limited stock. */
#define HANG_SLUG "ts3-128"

static struct gw_fixture fx;
static struct fake_stripe *stripe;

static int setup(void **state)
{
    const char *args[] = {"--stripe-secret-key-file",
                          NULL,
                          "--stripe-webhook-secret-file",
                          NULL,
                          "--stripe-api-base",
                          NULL,
                          "--public-url",
                          "https://shop.example.com/",
                          "--gateway-timeout",
                          HANG_TIMEOUT,
                          NULL};

    (void)state;
    if (!(stripe = fake_stripe_start()) ||
        !(args[1] = gw_secret(&fx, "stripe-hang", "sk", FAKE_STRIPE_API_KEY)) ||
        !(args[3] = gw_secret(&fx, "stripe-hang", "whsec", FAKE_STRIPE_WEBHOOK_SECRET)))
        return -1;
    args[5] = fake_stripe_url(stripe);
    return gw_start(&fx, "stripe", args);
}

static int teardown(void **state)
{
    int rc = gw_stop(&fx);

    (void)state;
    fake_stripe_stop(&stripe);
    return rc;
}

static int64_t ms_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One request sent from another thread (no cmocka asserts there). */
struct bg_call {
    pthread_t thread;
    const char *method, *token;
    char path[96], body[512], headers[3][320];
    struct api_resp r;
    int rc;
};

static void *bg_run(void *arg)
{
    struct bg_call *c = arg;
    const char *headers[] = {c->headers[0], c->headers[1][0] ? c->headers[1] : NULL,
                             c->headers[1][0] && c->headers[2][0] ? c->headers[2] : NULL, NULL};

    c->rc = api_call(&fx.server, c->method, c->path, c->token, headers, c->body, strlen(c->body),
                     &c->r);
    return NULL;
}

static void bg_start(struct bg_call *c, const char *method, const char *path, const char *token,
                     const char *body, const char *idem, int64_t if_match)
{
    memset(c, 0, sizeof *c);
    c->method = method;
    c->token = token;
    snprintf(c->path, sizeof c->path, "%s", path);
    snprintf(c->body, sizeof c->body, "%s", body);
    snprintf(c->headers[0], sizeof c->headers[0], "Content-Type: application/json");
    snprintf(c->headers[1], sizeof c->headers[1], "Idempotency-Key: %s", idem);
    if (if_match >= 0)
        snprintf(c->headers[2], sizeof c->headers[2], "If-Match: \"%lld\"", (long long)if_match);
    assert_int_equal(pthread_create(&c->thread, NULL, bg_run, c), 0);
}

static void bg_join(struct bg_call *c)
{
    assert_int_equal(pthread_join(c->thread, NULL), 0);
    assert_int_equal(c->rc, 0);
}

/* Waits until the fake has received `n` requests to path (the hung one has reached it). */
static void wait_for_fake(const char *path, size_t n)
{
    for (int i = 0; i < 300 && fake_stripe_count(stripe, "POST", path) < n; i++)
        usleep(10 * 1000);
    assert_true(fake_stripe_count(stripe, "POST", path) >= n);
}

/* While a request hangs at the fake: the catalogue, another account's cart and a sign-in all
 * answer promptly. */
static void others_answer_promptly(void)
{
    char access[1024], refresh[1024];
    struct api_resp r;
    int64_t t;

    t = ms_now();
    cm_call(&fx.server, "GET", "/billing/products", NULL, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    assert_in_range(ms_now() - t, 0, PROMPT_MS);
    t = ms_now();
    cm_call(&fx.server, "POST", "/billing/cart/items", fx.admin, GW_TS3_MONTHLY, -1, NULL, &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    assert_in_range(ms_now() - t, 0, PROMPT_MS);
    t = ms_now();
    assert_int_equal(api_login(&fx.server, DEMO_EMAIL, DEMO_PASSWORD, access, refresh), 0);
    assert_in_range(ms_now() - t, 0, PROMPT_MS);
}

/* The limited product's id and units left. */
static int64_t hang_product(int64_t *stock)
{
    struct api_resp r;
    const cJSON *p;
    int64_t id = 0;

    cm_call(&fx.server, "GET", "/billing/products?per_page=100", NULL, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(r.json, "data"))
    {
        if (strcmp(api_str(p, "slug"), HANG_SLUG) == 0) {
            id = api_int(p, "id");
            *stock = api_int(cJSON_GetObjectItem(p, "stock"), "available");
        }
    }
    api_resp_clear(&r);
    assert_true(id > 0);
    return id;
}

static int64_t count_of(const char *path)
{
    struct api_resp r;
    int64_t n;

    cm_call(&fx.server, "GET", path, fx.demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    n = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    return n;
}

/* The number of lines in the demo customer's cart. */
static int cart_lines(void)
{
    struct api_resp r;
    int n;

    cm_call(&fx.server, "GET", "/billing/cart", fx.demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    n = cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "items"));
    api_resp_clear(&r);
    return n;
}

static void test_a_hung_checkout_holds_up_no_one(void **state)
{
    size_t sessions = fake_stripe_sessions(stripe);
    size_t posts = fake_stripe_count(stripe, "POST", "/v1/checkout/sessions");
    int64_t stock, after, balance, total = 0, version, orders = count_of("/billing/orders");
    int64_t product = hang_product(&stock);
    struct fake_stripe_record a, c;
    struct bg_call hung;
    struct api_resp r;
    char line[96], body[256];
    const cJSON *payment;

    (void)state;
    adm_set_balance(&fx.server, fx.admin, 1, 100); /* the demo customer */
    balance = cm_balance(&fx.server, fx.demo);
    assert_int_equal(balance, 100);
    snprintf(line, sizeof line, "{\"product_id\":%lld,\"cycle\":\"monthly\"}", (long long)product);
    cm_add(&fx.server, fx.demo, line);
    version = cm_cart(&fx.server, fx.demo, &total);
    assert_int_equal(cart_lines(), 1);
    snprintf(body, sizeof body,
             "{\"payment_method\":\"stripe\",\"use_credits\":true,\"expected_total\":"
             "{\"amount\":%lld,\"currency\":\"USD\"}}",
             (long long)total);

    fake_stripe_fault(stripe, FAKE_STRIPE_SLOW, 1, HANG_MS);
    bg_start(&hung, "POST", "/billing/checkout", fx.demo, body, "hang-checkout-1", version);
    wait_for_fake("/v1/checkout/sessions", posts + 1);
    others_answer_promptly();
    /* The same request again while the first waits on Stripe: 409, and no second call. */
    cm_call(&fx.server, "POST", "/billing/checkout", fx.demo, body, version, "hang-checkout-1", &r);
    adm_expect(&r, 409, "idempotency_key_in_progress");
    api_resp_clear(&r);
    bg_join(&hung);
    adm_expect(&hung.r, 502, "gateway_error");
    assert_non_null(
        strstr(api_str(cJSON_GetObjectItem(hung.r.json, "error"), "message"), "in time"));
    api_resp_clear(&hung.r);

    /* Nothing charged: no order, the credits, the stock and the cart are as before. */
    assert_int_equal(count_of("/billing/orders"), orders);
    assert_int_equal(cm_balance(&fx.server, fx.demo), balance);
    hang_product(&after);
    assert_int_equal(after, stock);
    assert_int_equal(cart_lines(), 1);

    /* The retry with the same key gets the session Stripe made for the hung request. */
    cm_checkout(&fx.server, fx.demo, "stripe", true, "hang-checkout-1", &r);
    adm_expect(&r, 201, NULL);
    payment = gw_part(&r, "payment");
    assert_string_equal(api_str(payment, "status"), "requires_action");
    assert_int_equal(adm_money(payment, "credits_applied"), 100);
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(payment, "next_action"), "url"),
                           STRIPE_PAGE "cs_test_"));
    api_resp_clear(&r);
    assert_int_equal(fake_stripe_sessions(stripe), sessions + 1);
    assert_int_equal(fake_stripe_count(stripe, "POST", "/v1/checkout/sessions"), posts + 2);
    assert_true(fake_stripe_request(stripe, "POST", "/v1/checkout/sessions", (int)posts, &a));
    assert_true(fake_stripe_request(stripe, "POST", "/v1/checkout/sessions", -1, &c));
    assert_string_equal(a.idem_key, c.idem_key);
    assert_string_equal(a.body, c.body);
    fake_stripe_record_clear(&a);
    fake_stripe_record_clear(&c);
    assert_int_equal(count_of("/billing/orders"), orders + 1);
    assert_int_equal(cm_balance(&fx.server, fx.demo), 0);
    hang_product(&after);
    assert_int_equal(after, stock - 1);
    assert_int_equal(cart_lines(), 0);
    /* And a replay answers from the record, without asking Stripe again. */
    cm_call(&fx.server, "POST", "/billing/checkout", fx.demo, body, version, "hang-checkout-1", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    assert_int_equal(fake_stripe_count(stripe, "POST", "/v1/checkout/sessions"), posts + 2);
}

/* Paying an invoice again while Stripe hangs: the same, for
 * POST /billing/invoices/{id}/payments. */
static void test_a_hung_invoice_payment_holds_up_no_one(void **state)
{
    size_t sessions, posts;
    struct gw_bought b;
    struct bg_call hung;
    struct api_resp r;
    char path[96];
    const char *body = "{\"payment_method\":\"stripe\",\"use_credits\":false}";

    (void)state;
    gw_buy(&fx, "stripe", STRIPE_PAGE, GW_GOLD_MONTHLY, false, "hang-pay-buy", &b);
    sessions = fake_stripe_sessions(stripe);
    posts = fake_stripe_count(stripe, "POST", "/v1/checkout/sessions");
    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)b.invoice);
    fake_stripe_fault(stripe, FAKE_STRIPE_SLOW, 1, HANG_MS);
    bg_start(&hung, "POST", path, fx.demo, body, "hang-pay-1", -1);
    wait_for_fake("/v1/checkout/sessions", posts + 1);
    others_answer_promptly();
    cm_call(&fx.server, "POST", path, fx.demo, body, -1, "hang-pay-1", &r);
    adm_expect(&r, 409, "idempotency_key_in_progress");
    api_resp_clear(&r);
    bg_join(&hung);
    adm_expect(&hung.r, 502, "gateway_error");
    api_resp_clear(&hung.r);
    assert_string_equal(gw_status(&fx, GW_INVOICE, b.invoice), "pending");
    cm_call(&fx.server, "POST", path, fx.demo, body, -1, "hang-pay-1", &r);
    adm_expect(&r, 201, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "requires_action");
    api_resp_clear(&r);
    assert_int_equal(fake_stripe_sessions(stripe), sessions + 1);
}

/* An operator's refund while Stripe hangs: nothing refunded until Stripe answers, one refund at
 * Stripe after the retry. */
static void test_a_hung_refund_holds_up_no_one(void **state)
{
    const char *body = "{\"amount\":{\"amount\":300,\"currency\":\"USD\"},\"reason\":\"Outage\"}";
    struct fake_stripe_record a, c;
    struct gw_bought b;
    struct bg_call hung;
    struct api_resp r;
    char path[96], id[64], inv[96];
    size_t posts;

    (void)state;
    gw_buy(&fx, "stripe", STRIPE_PAGE, GW_GOLD_MONTHLY, false, "hang-refund-buy", &b);
    assert_int_equal(fake_stripe_complete(stripe, b.ref, "paid", -1), 0);
    assert_int_equal(
        fake_stripe_deliver(stripe, fx.hook_url, b.ref, "checkout.session.completed", id), 200);
    assert_string_equal(gw_follow(&fx, b.payment, "paid"), "paid");
    posts = fake_stripe_count(stripe, "POST", "/v1/refunds");
    snprintf(path, sizeof path, "/admin/invoices/%lld/refunds", (long long)b.invoice);
    snprintf(inv, sizeof inv, "/billing/invoices/%lld", (long long)b.invoice);
    fake_stripe_fault(stripe, FAKE_STRIPE_SLOW, 1, HANG_MS);
    bg_start(&hung, "POST", path, fx.admin, body, "hang-refund-1", -1);
    wait_for_fake("/v1/refunds", posts + 1);
    others_answer_promptly();
    adm_call(&fx.server, "POST", path, fx.admin, body, "hang-refund-1", &r);
    adm_expect(&r, 409, "idempotency_key_in_progress");
    api_resp_clear(&r);
    bg_join(&hung);
    adm_expect(&hung.r, 502, "gateway_error");
    api_resp_clear(&hung.r);
    cm_call(&fx.server, "GET", inv, fx.demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(api_data(&r), "amount_refunded"), 0);
    assert_string_equal(api_str(api_data(&r), "status"), "paid");
    api_resp_clear(&r);
    adm_call(&fx.server, "POST", path, fx.admin, body, "hang-refund-1", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(gw_part(&r, "refund"), "amount"), 300);
    api_resp_clear(&r);
    /* Both calls carried the same key and body: Stripe made one refund. */
    assert_int_equal(fake_stripe_count(stripe, "POST", "/v1/refunds"), posts + 2);
    assert_true(fake_stripe_request(stripe, "POST", "/v1/refunds", (int)posts, &a));
    assert_true(fake_stripe_request(stripe, "POST", "/v1/refunds", -1, &c));
    assert_string_equal(a.idem_key, c.idem_key);
    assert_string_equal(a.body, c.body);
    fake_stripe_record_clear(&a);
    fake_stripe_record_clear(&c);
    cm_call(&fx.server, "GET", inv, fx.demo, NULL, -1, NULL, &r);
    assert_int_equal(adm_money(api_data(&r), "amount_refunded"), 300);
    api_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_hung_checkout_holds_up_no_one),
        cmocka_unit_test(test_a_hung_invoice_payment_holds_up_no_one),
        cmocka_unit_test(test_a_hung_refund_holds_up_no_one),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
