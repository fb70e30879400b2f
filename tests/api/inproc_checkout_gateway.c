/* inproc_checkout_gateway.c: what happens under the customer's feet: a price changed under the
 * server refuses checkout with nothing charged; the gateway's signed webhook settles a payment
 * once however often it is replayed, a forged one is refused, and money for an invoice already
 * paid goes to credit; an order left unpaid a day is cancelled with stock, coupon use and
 * credits given back; declining a payment already superseded leaves its order waiting. */
#include "inproc_commerce.h"

#include "billing/clock.h"
#include "billing/webhook.h"

#define DAY  86400
#define IRON "{\"product_id\":3,\"cycle\":\"monthly\"}" /* 899 + VAT 180 = 1079 */

static struct cx server;
static char buyer[128], late[128];
static const int64_t start_time = 1748779200; /* 2025-06-01 12:00 UTC */

static int setup(void **state)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    cx_start(&server, 2, start_time);
    cx_login(&server, "customer1@example.com", "password", buyer);
    cx_login(&server, "customer2@example.com", "password", late);
    return 0;
}

static int teardown(void **state)
{
    cx_stop(&server);
    curl_global_cleanup();
    return 0;
}

/* customerN's credit balance. */
static int64_t balance_of(int n)
{
    char sql[128];

    snprintf(sql, sizeof sql,
             "SELECT credit_balance FROM users WHERE email = 'customer%d@example.com'", n);
    return cx_int(&server, sql);
}

static long checkout(const char *token, int64_t version, int64_t total, const char *method,
                     bool use_credits, const char *key, struct cx_resp *r)
{
    struct cx_checkout c;

    cx_checkout_prepare(&c, version, total, method, use_credits, key);
    return cx_call(&server, "POST", "/api/v1/billing/checkout", token, c.headers, c.body, r);
}

static void test_a_price_changed_under_the_server_is_not_charged(void **state)
{
    struct cx_resp r;
    int64_t total = 0, v, balance;

    cx_credit(&server, cx_user(&server, 1), 300);
    balance = balance_of(1);
    v = (cx_add(&server, buyer, IRON), cx_cart(&server, buyer, &total));
    assert_int_equal(total, 1079);
    /* The operator raises the price while the customer looks at the cart. */
    cx_exec(&server, "UPDATE product_cycles SET price = 999 WHERE product_id = 3 AND"
                     " cycle = 'monthly'");
    assert_int_equal(checkout(buyer, v, total, "stripe", true, "price-1", &r), 409);
    assert_string_equal(cx_error(&r), "price_changed");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(
                                   cJSON_GetObjectItemCaseSensitive(r.json, "error"), "details"),
                               "total"),
                           0)
            ->valuestring,
        "1199");
    cx_resp_clear(&r);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM payments"), 0);
    assert_int_equal(balance_of(1), balance);
    assert_int_equal(cx_cart(&server, buyer, &total), v);
    assert_int_equal(total, 1199);
    /* Seen and confirmed, the new total goes through. */
    assert_int_equal(checkout(buyer, v, total, "stripe", false, "price-2", &r), 201);
    cx_resp_clear(&r);
    cx_exec(&server, "UPDATE product_cycles SET price = 899 WHERE product_id = 3 AND"
                     " cycle = 'monthly'");
}

/* A sandbox event for a payment's token, as JSON text (caller frees). */
static char *event(const char *id, const char *type, const char *token, int64_t amount)
{
    char *text = NULL;

    assert_true(asprintf(&text,
                         "{\"id\":\"%s\",\"type\":\"%s\",\"payment_token\":\"%s\",\"amount\":"
                         "{\"amount\":%lld,\"currency\":\"USD\"},\"created_at\":"
                         "\"2025-06-01T12:01:00Z\"}",
                         id, type, token, (long long)amount) > 0);
    return text;
}

static long deliver(const char *gateway, const char *body, const char *signature, struct cx_resp *r)
{
    char path[64], header[96];
    const char *headers[] = {header, NULL};

    snprintf(path, sizeof path, "/api/billing/webhooks/%s", gateway);
    snprintf(header, sizeof header, "X-Sandbox-Signature: %s", signature);
    return cx_call(&server, "POST", path, NULL, headers, body, r);
}

static void test_a_webhook_settles_once(void **state)
{
    struct cx_resp r;
    char token[64], sig[WEBHOOK_SIGNATURE_CHARS], forged[WEBHOOK_SIGNATURE_CHARS];
    int64_t total = 0, v, payment, invoice, ledger;
    char *body;
    const cJSON *pay;

    v = (cx_add(&server, buyer, IRON), cx_cart(&server, buyer, &total));
    assert_int_equal(checkout(buyer, v, total, "stripe", false, "hook-1", &r), 201);
    pay = cJSON_GetObjectItemCaseSensitive(cx_data(&r), "payment");
    snprintf(token, sizeof token, "%s",
             strrchr(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(pay, "next_action"), "url")
                         ->valuestring,
                     '/') +
                 1);
    payment = cx_num(pay, "id");
    invoice = cx_num(pay, "invoice_id");
    cx_resp_clear(&r);

    body = event("evt_once", "payment.succeeded", token, 1079);
    assert_int_equal(webhook_sign(server.d, body, strlen(body), sig), 0);
    /* Forged: the signature of another body. */
    assert_int_equal(webhook_sign(server.d, "{}", 2, forged), 0);
    assert_int_equal(deliver("stripe", body, forged, &r), 400);
    assert_string_equal(cx_error(&r), "invalid_signature");
    cx_resp_clear(&r);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM webhook_events"), 0);
    /* The right signature for the wrong gateway names no payment of it. */
    assert_int_equal(deliver("paypal", body, sig, &r), 422);
    cx_resp_clear(&r);

    assert_int_equal(deliver("stripe", body, sig, &r), 200);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "duplicate")));
    cx_resp_clear(&r);
    {
        char sql[128];

        snprintf(sql, sizeof sql, "SELECT status = 'paid' FROM invoices WHERE id = %lld",
                 (long long)invoice);
        assert_int_equal(cx_int(&server, sql), 1);
    }
    ledger = cx_int(&server, "SELECT count(*) FROM credit_ledger");
    for (int i = 0; i < 3; i++) {
        assert_int_equal(deliver("stripe", body, sig, &r), 200);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "duplicate")));
        cx_resp_clear(&r);
    }
    free(body);
    /* A new event id for the same settled payment changes nothing either. */
    body = event("evt_again", "payment.succeeded", token, 1079);
    assert_int_equal(webhook_sign(server.d, body, strlen(body), sig), 0);
    assert_int_equal(deliver("stripe", body, sig, &r), 200);
    cx_resp_clear(&r);
    free(body);
    {
        char sql[160];

        snprintf(sql, sizeof sql, "SELECT amount_paid FROM invoices WHERE id = %lld",
                 (long long)invoice);
        assert_int_equal(cx_int(&server, sql), 1079);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM payments WHERE id = %lld AND status ="
                 " 'paid'",
                 (long long)payment);
        assert_int_equal(cx_int(&server, sql), 1);
    }
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM credit_ledger"), ledger);
}

static void test_money_for_a_paid_invoice_goes_to_credit(void **state)
{
    struct cx_resp r;
    char token[64], path[96], sig[WEBHOOK_SIGNATURE_CHARS];
    int64_t total = 0, v, invoice, balance;
    const cJSON *pay;
    char *body;

    v = (cx_add(&server, late, IRON), cx_cart(&server, late, &total));
    assert_int_equal(checkout(late, v, total, "stripe", false, "first-page", &r), 201);
    pay = cJSON_GetObjectItemCaseSensitive(cx_data(&r), "payment");
    snprintf(token, sizeof token, "%s",
             strrchr(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(pay, "next_action"), "url")
                         ->valuestring,
                     '/') +
                 1);
    invoice = cx_num(pay, "invoice_id");
    cx_resp_clear(&r);
    /* A second payment supersedes the first page, and pays the invoice. */
    snprintf(path, sizeof path, "/api/v1/billing/invoices/%lld/payments", (long long)invoice);
    {
        const char *headers[] = {"Idempotency-Key: second-page", NULL};

        assert_int_equal(
            cx_call(&server, "POST", path, late, headers, "{\"payment_method\":\"paypal\"}", &r),
            201);
    }
    {
        const char *url = cJSON_GetObjectItemCaseSensitive(
                              cJSON_GetObjectItemCaseSensitive(cx_data(&r), "next_action"), "url")
                              ->valuestring;
        const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
        struct cx_resp page;

        assert_int_equal(
            cx_call(&server, "POST", strstr(url, "/sandbox/"), NULL, headers, "action=pay", &page),
            200);
        cx_resp_clear(&page);
    }
    cx_resp_clear(&r);
    balance = balance_of(2);
    /* The gateway settles the superseded page anyway: the customer is not charged twice. */
    body = event("evt_late", "payment.succeeded", token, 1079);
    assert_int_equal(webhook_sign(server.d, body, strlen(body), sig), 0);
    assert_int_equal(deliver("stripe", body, sig, &r), 200);
    cx_resp_clear(&r);
    free(body);
    assert_int_equal(balance_of(2), balance + 1079);
    {
        char sql[128];

        snprintf(sql, sizeof sql, "SELECT amount_paid FROM invoices WHERE id = %lld",
                 (long long)invoice);
        assert_int_equal(cx_int(&server, sql), 1079);
    }
}

static void test_an_order_unpaid_for_a_day_is_cancelled(void **state)
{
    struct cx_resp r;
    char page[96], sql[160];
    int64_t total = 0, v, order, balance;
    const cJSON *pay;

    cx_exec(&server, "UPDATE products SET stock_limited = 1, stock_available = 4 WHERE id = 4");
    cx_exec(&server, "INSERT INTO coupons(code, type, percent_bps, duration, max_uses, created_at)"
                     " VALUES ('DAYONE', 'percent', 1000, 'once', 1, 0)");
    cx_credit(&server, cx_user(&server, 1), 500);
    balance = balance_of(1);
    cx_add(&server, buyer, "{\"product_id\":4,\"cycle\":\"monthly\",\"quantity\":2}");
    {
        const char *none[] = {NULL};

        assert_int_equal(cx_call(&server, "PUT", "/api/v1/billing/cart/coupon", buyer, none,
                                 "{\"code\":\"DAYONE\"}", &r),
                         200);
        cx_resp_clear(&r);
    }
    v = cx_cart(&server, buyer, &total);
    assert_int_equal(checkout(buyer, v, total, "stripe", true, "unpaid-1", &r), 201);
    pay = cJSON_GetObjectItemCaseSensitive(cx_data(&r), "payment");
    assert_int_equal(cx_money(pay, "credits_applied"), balance);
    snprintf(page, sizeof page, "%s",
             strstr(cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(pay, "next_action"), "url")
                        ->valuestring,
                    "/sandbox/"));
    order = cx_num(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "order"), "id");
    cx_resp_clear(&r);
    assert_int_equal(cx_int(&server, "SELECT stock_available FROM products WHERE id = 4"), 2);
    assert_int_equal(cx_int(&server, "SELECT uses FROM coupons WHERE code = 'DAYONE'"), 1);
    assert_int_equal(balance_of(1), 0);

    /* 23 hours on, the order still waits. */
    billingd_set_clock(server.d, start_time + 23 * 3600);
    assert_int_equal(billingd_run_scheduler(server.d), 0);
    snprintf(sql, sizeof sql, "SELECT status = 'pending_payment' FROM orders WHERE id = %lld",
             (long long)order);
    assert_int_equal(cx_int(&server, sql), 1);
    /* A day and an hour on, it is cancelled and everything it held is given back. */
    billingd_set_clock(server.d, start_time + DAY + 3600);
    assert_int_equal(billingd_run_scheduler(server.d), 0);
    snprintf(sql, sizeof sql, "SELECT status = 'cancelled' FROM orders WHERE id = %lld",
             (long long)order);
    assert_int_equal(cx_int(&server, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM services WHERE order_id = %lld AND status = 'cancelled'",
             (long long)order);
    assert_int_equal(cx_int(&server, sql), 2);
    snprintf(sql, sizeof sql, "SELECT status = 'cancelled' FROM invoices WHERE order_id = %lld",
             (long long)order);
    assert_int_equal(cx_int(&server, sql), 1);
    assert_int_equal(cx_int(&server, "SELECT stock_available FROM products WHERE id = 4"), 4);
    assert_int_equal(cx_int(&server, "SELECT uses FROM coupons WHERE code = 'DAYONE'"), 0);
    assert_int_equal(balance_of(1), balance);
    /* The page no longer takes money. */
    {
        const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};

        assert_int_equal(cx_call(&server, "POST", page, NULL, headers, "action=pay", &r), 409);
        cx_resp_clear(&r);
    }
    billingd_set_clock(server.d, start_time);
}

/* The token of a payment object's hosted page. */
static void page_token(const cJSON *pay, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s",
             strrchr(cJSON_GetObjectItemCaseSensitive(
                         cJSON_GetObjectItemCaseSensitive(pay, "next_action"), "url")
                         ->valuestring,
                     '/') +
                 1);
}

/* Signs and delivers a payment.failed event; the order's and invoice's status after it. */
static void decline(const char *id, const char *gateway, const char *token, int64_t order,
                    const char *order_status, const char *invoice_status)
{
    struct cx_resp r;
    char sig[WEBHOOK_SIGNATURE_CHARS], sql[200];
    char *body = event(id, "payment.failed", token, 1079);

    assert_int_equal(webhook_sign(server.d, body, strlen(body), sig), 0);
    assert_int_equal(deliver(gateway, body, sig, &r), 200);
    cx_resp_clear(&r);
    free(body);
    snprintf(sql, sizeof sql,
             "SELECT o.status = '%s' AND i.status = '%s' FROM orders o"
             " JOIN invoices i ON i.id = o.invoice_id WHERE o.id = %lld",
             order_status, invoice_status, (long long)order);
    assert_int_equal(cx_int(&server, sql), 1);
}

/* Only a real decline cancels an order: a payment a newer one superseded changes nothing. */
static void test_a_superseded_payment_declined_leaves_the_order(void **state)
{
    struct cx_resp r;
    char old[64], now[64], path[64];
    const char *headers[] = {"Idempotency-Key: super-2", NULL};
    int64_t total = 0, v, order, invoice;

    v = (cx_add(&server, late, IRON), cx_cart(&server, late, &total));
    assert_int_equal(checkout(late, v, total, "stripe", false, "super-1", &r), 201);
    page_token(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "payment"), old, sizeof old);
    order = cx_num(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "order"), "id");
    invoice = cx_num(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "invoice"), "id");
    cx_resp_clear(&r);
    snprintf(path, sizeof path, "/api/v1/billing/invoices/%lld/payments", (long long)invoice);
    assert_int_equal(
        cx_call(&server, "POST", path, late, headers, "{\"payment_method\":\"paypal\"}", &r), 201);
    page_token(cx_data(&r), now, sizeof now);
    cx_resp_clear(&r);
    decline("evt_superseded", "stripe", old, order, "pending_payment", "pending");
    decline("evt_declined", "paypal", now, order, "cancelled", "cancelled");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_price_changed_under_the_server_is_not_charged),
        cmocka_unit_test(test_a_webhook_settles_once),
        cmocka_unit_test(test_money_for_a_paid_invoice_goes_to_credit),
        cmocka_unit_test(test_an_order_unpaid_for_a_day_is_cancelled),
        cmocka_unit_test(test_a_superseded_payment_declined_leaves_the_order),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
