/* test_checkout_flow.c: checkout over HTTP from the customer's side: every refusal (headers, body,
 * cart, coupon, method, credits, total), paying with credits alone, part credits and the sandbox
 * page, a declined deposit that stays payable, a declined order that is cancelled (credits,
 * stock and coupon use back) and checked out again, idempotent replays, and records another account
 * cannot see. */
#include "commerce_fixture.h"

static struct api_server server;
static char demo[128], other[128];

/* ts3-10 monthly: 199 + VAT 40 = 239. mc-gold monthly: 1299 + VAT 260 = 1559. */
#define TS3_MONTHLY  "{\"product_id\":16,\"cycle\":\"monthly\"}"
#define GOLD_MONTHLY "{\"product_id\":4,\"cycle\":\"monthly\"}"
/* mc-netherite: 2 in stock. */
#define NETHERITE_MONTHLY "{\"product_id\":6,\"cycle\":\"monthly\"}"

static int setup(void **state)
{
    const char *args[] = {"--seed-users", "1", NULL};

    if (api_server_start(&server, args) != 0)
        return -1;
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    adm_login(&server, "customer1@example.com", "password", other);
    return 0;
}

static int teardown(void **state)
{
    /* A clean exit, also under the sanitizers: nothing leaked or misused in the server. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    return rc == 0 ? 0 : -1;
}

static const cJSON *part(const struct api_resp *r, const char *name)
{
    return cJSON_GetObjectItem(api_data(r), name);
}

static int64_t orders(const char *token)
{
    struct api_resp r;
    int64_t n;

    cm_call(&server, "GET", "/billing/orders", token, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    n = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    return n;
}

static void test_refusals_before_anything_happens(void **state)
{
    struct api_resp r;
    const char *body = "{\"payment_method\":\"stripe\",\"use_credits\":false,"
                       "\"expected_total\":{\"amount\":0,\"currency\":\"USD\"}}";
    int64_t v = cm_cart(&server, demo, NULL);

    cm_call(&server, "POST", "/billing/checkout", demo, body, v, NULL, &r);
    adm_expect(&r, 400, "idempotency_key_required");
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/checkout", demo, body, -1, "k-428", &r);
    adm_expect(&r, 428, "precondition_required");
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/checkout", demo, body, v, "k-empty", &r);
    adm_expect(&r, 409, "cart_empty");
    api_resp_clear(&r);
    cm_add(&server, demo, TS3_MONTHLY);
    cm_call(&server, "POST", "/billing/checkout", demo, body, v, "k-412", &r);
    adm_expect(&r, 412, "precondition_failed");
    assert_int_equal(cm_etag(&r), v + 1);
    api_resp_clear(&r);
    cm_call(&server, "POST", "/billing/checkout", demo,
            "{\"payment_method\":\"cash\",\"expected_total\":{\"amount\":1,\"currency\":\"EUR\"}}",
            v + 1, "k-422", &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "payment_method"), "must be one of stripe, paypal, credits");
    assert_string_equal(adm_field(&r, "use_credits"), "is required");
    assert_string_equal(adm_field(&r, "expected_total.currency"), "must be the store currency");
    api_resp_clear(&r);
    /* The total the customer saw is not the total now: refused, nothing charged. */
    cm_call(&server, "POST", "/billing/checkout", demo,
            "{\"payment_method\":\"credits\",\"use_credits\":true,"
            "\"expected_total\":{\"amount\":199,\"currency\":\"USD\"}}",
            v + 1, "k-409", &r);
    adm_expect(&r, 409, "price_changed");
    assert_string_equal(adm_field(&r, "total"), "239");
    assert_string_equal(adm_field(&r, "currency"), "USD");
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 1000);
    assert_int_equal(orders(demo), 0);
    assert_int_equal(cm_cart(&server, demo, NULL), v + 1);
}

static void test_credits_alone_pay_at_once(void **state)
{
    struct api_resp r;
    const cJSON *services;

    cm_checkout(&server, demo, "credits", false, "credits-1", &r);
    adm_expect(&r, 201, NULL);
    assert_string_equal(api_str(part(&r, "payment"), "status"), "paid");
    assert_string_equal(api_str(part(&r, "payment"), "gateway"), "credits");
    assert_int_equal(adm_money(part(&r, "payment"), "amount"), 239);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(part(&r, "payment"), "next_action")));
    assert_string_equal(api_str(part(&r, "invoice"), "status"), "paid");
    assert_int_equal(adm_money(part(&r, "invoice"), "amount_paid"), 239);
    assert_string_equal(api_str(part(&r, "order"), "status"), "completed");
    services = part(&r, "services");
    assert_int_equal(cJSON_GetArraySize(services), 1);
    assert_string_equal(api_str(cJSON_GetArrayItem(services, 0), "status"), "active");
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 1000 - 239);
    /* The cart was emptied by the checkout. */
    cm_call(&server, "GET", "/billing/cart", demo, NULL, -1, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "items")), 0);
    api_resp_clear(&r);
}

static void test_credits_alone_must_cover_the_total(void **state)
{
    struct api_resp r;
    int64_t v;

    v = cm_add(&server, demo, GOLD_MONTHLY);
    cm_checkout(&server, demo, "credits", false, "short-1", &r);
    adm_expect(&r, 402, "insufficient_credits");
    assert_string_equal(adm_field(&r, "balance"), "761");
    assert_string_equal(adm_field(&r, "required"), "1559");
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 761);
    assert_int_equal(cm_cart(&server, demo, NULL), v);
}

static void test_part_credits_and_the_sandbox_page(void **state)
{
    struct api_resp r, page;
    struct api_server root = cm_root(&server);
    char path[160], pay[64], invoice[64];
    int64_t quote_total, cart_total, payment_id, invoice_id;

    cm_call(&server, "POST", "/billing/quotes", NULL, "{\"items\":[" GOLD_MONTHLY "]}", -1, NULL,
            &r);
    quote_total = adm_money(part(&r, "totals"), "total");
    api_resp_clear(&r);
    cm_cart(&server, demo, &cart_total);
    assert_int_equal(quote_total, 1559);
    assert_int_equal(cart_total, quote_total);

    cm_checkout(&server, demo, "stripe", true, "part-1", &r);
    adm_expect(&r, 201, NULL);
    assert_string_equal(api_str(part(&r, "payment"), "status"), "requires_action");
    assert_int_equal(adm_money(part(&r, "payment"), "amount"), 1559 - 761);
    assert_int_equal(adm_money(part(&r, "payment"), "credits_applied"), 761);
    assert_int_equal(adm_money(cJSON_GetObjectItem(part(&r, "invoice"), "totals"), "total"),
                     cart_total);
    assert_int_equal(adm_money(part(&r, "invoice"), "amount_due"), 1559 - 761);
    assert_string_equal(api_str(part(&r, "order"), "status"), "pending_payment");
    assert_string_equal(api_str(cJSON_GetArrayItem(part(&r, "services"), 0), "status"), "pending");
    snprintf(path, sizeof path, "%s", cm_page(part(&r, "payment")));
    snprintf(invoice, sizeof invoice, "%s", api_str(part(&r, "invoice"), "number"));
    payment_id = api_int(part(&r, "payment"), "id");
    invoice_id = api_int(part(&r, "invoice"), "id");
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 0);

    assert_int_equal(api_get(&root, path, NULL, &page), 0);
    assert_int_equal(page.status, 200);
    assert_non_null(strstr(page.content_type, "text/html"));
    assert_non_null(strstr(page.body, "<form method=\"post\">"));
    assert_non_null(strstr(page.body, "value=\"pay\""));
    assert_non_null(strstr(page.body, "value=\"decline\""));
    assert_non_null(strstr(page.body, "$7.98"));
    assert_non_null(strstr(page.body, invoice));
    api_resp_clear(&page);

    cm_press(&server, path, "refund", &page); /* neither button */
    assert_int_equal(page.status, 400);
    assert_non_null(strstr(page.content_type, "text/html"));
    api_resp_clear(&page);
    cm_press(&server, path, "pay", &page);
    assert_int_equal(page.status, 200);
    assert_non_null(strstr(page.body, "Payment complete"));
    api_resp_clear(&page);
    snprintf(pay, sizeof pay, "/billing/payments/%lld", (long long)payment_id);
    cm_call(&server, "GET", pay, demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "paid");
    api_resp_clear(&r);
    snprintf(pay, sizeof pay, "/billing/invoices/%lld", (long long)invoice_id);
    cm_call(&server, "GET", pay, demo, NULL, -1, NULL, &r);
    assert_string_equal(api_str(api_data(&r), "status"), "paid");
    assert_int_equal(adm_money(api_data(&r), "amount_paid"), 1559);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(api_data(&r), "payments")), 2);
    api_resp_clear(&r);
    /* Pressing again: the payment is no longer waiting. */
    cm_press(&server, path, "pay", &page);
    assert_int_equal(page.status, 409);
    api_resp_clear(&page);
}

/* Starts a payment of an invoice; the path of its page in out. */
static void pay_invoice(const char *token, int64_t invoice_id, const char *body, const char *key,
                        char *out, size_t outsz)
{
    struct api_resp r;
    char path[64];

    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)invoice_id);
    cm_call(&server, "POST", path, token, body, -1, key, &r);
    adm_expect(&r, 201, NULL);
    snprintf(out, outsz, "%s", cm_page(api_data(&r)));
    api_resp_clear(&r);
}

/* A status field of GET path (an order, an invoice or a payment). */
static void expect_status(const char *path, const char *status)
{
    struct api_resp r;

    cm_call(&server, "GET", path, demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), status);
    api_resp_clear(&r);
}

static void press(const char *page, const char *action, long status)
{
    struct api_resp r;

    cm_press(&server, page, action, &r);
    assert_int_equal(r.status, status);
    api_resp_clear(&r);
}

/* What the ledger adds up to, and how much of it returned credits of one invoice. */
static int64_t ledger_sum(const char *token, int64_t invoice_id, int64_t *returned)
{
    struct api_resp r;
    const cJSON *row;
    int64_t sum = 0;

    *returned = 0;
    cm_call(&server, "GET", "/billing/credits/transactions?per_page=100", token, NULL, -1, NULL,
            &r);
    adm_expect(&r, 200, NULL);
    assert_true(cJSON_GetArraySize(api_data(&r)) < 100);
    cJSON_ArrayForEach(row, api_data(&r))
    {
        sum += adm_money(row, "amount");
        if (strcmp(api_str(row, "type"), "refund") == 0 && api_int(row, "invoice_id") == invoice_id)
            *returned += adm_money(row, "amount");
    }
    api_resp_clear(&r);
    return sum;
}

static int64_t netherite_left(void)
{
    struct api_resp r;
    int64_t left;

    cm_call(&server, "GET", "/billing/products/mc-netherite", NULL, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    left = api_int(cJSON_GetObjectItem(api_data(&r), "stock"), "available");
    api_resp_clear(&r);
    return left;
}

/* A declined deposit leaves its invoice payable: the next payment of it adds the funds. */
static void test_a_declined_deposit_stays_payable(void **state)
{
    struct api_resp r;
    char page[160], path[64];
    int64_t invoice_id;

    cm_call(&server, "POST", "/billing/credits/deposits", demo,
            "{\"amount\":{\"amount\":2000,\"currency\":\"USD\"}}", -1, NULL, &r);
    adm_expect(&r, 201, NULL);
    invoice_id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    pay_invoice(demo, invoice_id, "{\"payment_method\":\"paypal\"}", "deposit-1", page,
                sizeof page);
    press(page, "decline", 200);
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)invoice_id);
    expect_status(path, "pending");
    pay_invoice(demo, invoice_id, "{\"payment_method\":\"paypal\"}", "deposit-2", page,
                sizeof page);
    press(page, "pay", 200);
    expect_status(path, "paid");
    assert_int_equal(cm_balance(&server, demo), 2000);
}

static void test_a_declined_order_is_cancelled_and_everything_comes_back(void **state)
{
    struct api_resp r;
    char page[160], path[64];
    int64_t invoice_id, order_id, payment_id, returned;

    cm_add(&server, demo, GOLD_MONTHLY);
    cm_checkout(&server, demo, "paypal", true, "decline-1", &r);
    adm_expect(&r, 201, NULL);
    /* 2000 of credits cover the whole 1559: nothing is left for the gateway. */
    assert_string_equal(api_str(part(&r, "payment"), "status"), "not_required");
    assert_string_equal(api_str(part(&r, "order"), "status"), "completed");
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 2000 - 1559);

    /* A stock-limited product with a once-per-customer coupon, part paid with the 441 left. */
    assert_int_equal(netherite_left(), 2);
    cm_add(&server, demo, NETHERITE_MONTHLY);
    cm_coupon(&server, demo, "WELCOME10", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    cm_checkout(&server, demo, "paypal", true, "decline-2", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(part(&r, "payment"), "credits_applied"), 441);
    snprintf(page, sizeof page, "%s", cm_page(part(&r, "payment")));
    invoice_id = api_int(part(&r, "invoice"), "id");
    order_id = api_int(part(&r, "order"), "id");
    payment_id = api_int(part(&r, "payment"), "id");
    api_resp_clear(&r);
    assert_int_equal(cm_balance(&server, demo), 0);
    assert_int_equal(netherite_left(), 1);

    press(page, "decline", 200);
    /* The order is cancelled: the credits come back once, the stock and the coupon use too. */
    snprintf(path, sizeof path, "/billing/payments/%lld", (long long)payment_id);
    expect_status(path, "failed");
    snprintf(path, sizeof path, "/billing/orders/%lld", (long long)order_id);
    expect_status(path, "cancelled");
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)invoice_id);
    expect_status(path, "cancelled");
    assert_int_equal(cm_balance(&server, demo), 441);
    assert_int_equal(ledger_sum(demo, invoice_id, &returned), 441);
    assert_int_equal(returned, 441);
    assert_int_equal(netherite_left(), 2);
    press(page, "pay", 409); /* the declined page takes no money */
    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)invoice_id);
    cm_call(&server, "POST", path, demo, "{\"payment_method\":\"stripe\"}", -1, "retry-1", &r);
    adm_expect(&r, 409, "invoice_not_payable");
    assert_string_equal(adm_field(&r, "status"), "cancelled");
    api_resp_clear(&r);

    /* Checking out again: the coupon is accepted once more, and this time the payment goes
     * through. */
    cm_add(&server, demo, NETHERITE_MONTHLY);
    cm_coupon(&server, demo, "WELCOME10", &r);
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);
    cm_checkout(&server, demo, "stripe", true, "decline-3", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(part(&r, "payment"), "credits_applied"), 441);
    snprintf(page, sizeof page, "%s", cm_page(part(&r, "payment")));
    order_id = api_int(part(&r, "order"), "id");
    api_resp_clear(&r);
    press(page, "pay", 200);
    snprintf(path, sizeof path, "/billing/orders/%lld", (long long)order_id);
    expect_status(path, "completed");
    assert_int_equal(cm_balance(&server, demo), 0);
    assert_int_equal(ledger_sum(demo, 0, &returned), 0);
    assert_int_equal(netherite_left(), 1);
}

static void test_a_retry_replays_and_a_new_body_is_refused(void **state)
{
    struct api_resp first, again;
    const char *body = "{\"payment_method\":\"stripe\",\"use_credits\":false,"
                       "\"expected_total\":{\"amount\":239,\"currency\":\"USD\"}}";
    char replayed[16];
    int64_t v, n;

    v = cm_add(&server, other, TS3_MONTHLY);
    cm_call(&server, "POST", "/billing/checkout", other, body, v, "replay-1", &first);
    adm_expect(&first, 201, NULL);
    assert_int_not_equal(api_header(&first, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    n = orders(other);
    /* The cart is empty and its version moved on; the same request still replays. */
    cm_call(&server, "POST", "/billing/checkout", other, body, v, "replay-1", &again);
    adm_expect(&again, 201, NULL);
    assert_int_equal(api_header(&again, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    assert_string_equal(replayed, "true");
    assert_int_equal(api_int(cJSON_GetObjectItem(api_data(&again), "order"), "id"),
                     api_int(cJSON_GetObjectItem(api_data(&first), "order"), "id"));
    api_resp_clear(&again);
    assert_int_equal(orders(other), n);
    cm_call(&server, "POST", "/billing/checkout", other,
            "{\"payment_method\":\"paypal\",\"use_credits\":false,"
            "\"expected_total\":{\"amount\":239,\"currency\":\"USD\"}}",
            v, "replay-1", &again);
    adm_expect(&again, 409, "idempotency_key_reused");
    api_resp_clear(&again);
    api_resp_clear(&first);
    assert_int_equal(orders(other), n);
}

static void test_another_accounts_records_are_not_found(void **state)
{
    struct api_resp r;
    char path[64];
    int64_t order_id, invoice_id, payment_id;

    cm_call(&server, "GET", "/billing/orders", other, NULL, -1, NULL, &r);
    order_id = api_int(cJSON_GetArrayItem(api_data(&r), 0), "id");
    invoice_id = api_int(cJSON_GetArrayItem(api_data(&r), 0), "invoice_id");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/orders/%lld", (long long)order_id);
    adm_check(&server, "GET", path, demo, NULL, 404, "not_found");
    adm_check(&server, "GET", path, other, NULL, 200, NULL);
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)invoice_id);
    cm_call(&server, "GET", path, other, NULL, -1, NULL, &r);
    payment_id =
        api_int(cJSON_GetArrayItem(cJSON_GetObjectItem(api_data(&r), "payments"), 0), "id");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/payments/%lld", (long long)payment_id);
    adm_check(&server, "GET", path, demo, NULL, 404, "not_found");
    adm_check(&server, "GET", "/billing/payments/abc", demo, NULL, 404, "not_found");
    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)invoice_id);
    cm_call(&server, "POST", path, demo, "{\"payment_method\":\"stripe\"}", -1, "steal-1", &r);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
}

static void test_orders_list_newest_first(void **state)
{
    struct api_resp r;

    cm_call(&server, "GET", "/billing/orders?per_page=2", demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 2);
    assert_true(api_int(cJSON_GetArrayItem(api_data(&r), 0), "id") >
                api_int(cJSON_GetArrayItem(api_data(&r), 1), "id"));
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 5);
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/orders?status=completed", demo, NULL, -1, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 4);
    api_resp_clear(&r);
    /* The declined one. */
    cm_call(&server, "GET", "/billing/orders?status=cancelled", demo, NULL, -1, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    api_resp_clear(&r);
    cm_call(&server, "GET", "/billing/orders?page=9", demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 5);
    api_resp_clear(&r);
    adm_check(&server, "GET", "/billing/orders?status=shipped", demo, NULL, 422,
              "validation_failed");
    adm_check(&server, "GET", "/billing/orders?per_page=101", demo, NULL, 422, "validation_failed");
}

static void test_a_switched_off_gateway_is_unavailable(void **state)
{
    struct api_resp r;
    char admin[128];

    adm_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"gateways\":[\"stripe\"]}", 200, NULL);
    cm_add(&server, other, TS3_MONTHLY);
    cm_checkout(&server, other, "paypal", false, "paypal-off", &r);
    adm_expect(&r, 422, "payment_method_unavailable");
    assert_string_equal(adm_field(&r, "payment_method"), "is not enabled");
    api_resp_clear(&r);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"gateways\":[\"stripe\",\"paypal\"]}",
              200, NULL);
    cm_checkout(&server, other, "paypal", false, "paypal-on", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
}

static void test_the_sandbox_and_webhook_refuse_strangers(void **state)
{
    struct api_server root = cm_root(&server);
    struct api_resp r;
    const char *json[] = {"Content-Type: application/json",
                          "X-Sandbox-Signature: sha256=00000000000000000000000000000000000000000"
                          "00000000000000000000000",
                          NULL};
    const char *event = "{\"id\":\"evt_x\",\"type\":\"payment.succeeded\",\"payment_token\":"
                        "\"ps_AAAAAAAAAAAAAAAAAAAAAAAA\",\"amount\":{\"amount\":1,\"currency\":"
                        "\"USD\"},\"created_at\":\"2025-06-01T12:00:00Z\"}";

    assert_int_equal(api_get(&root, "/sandbox/pay/ps_AAAAAAAAAAAAAAAAAAAAAAAA", NULL, &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.content_type, "text/html"));
    api_resp_clear(&r);
    assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/stripe", NULL, json, event,
                              strlen(event), &r),
                     0);
    adm_expect(&r, 400, "invalid_signature");
    api_resp_clear(&r);
    assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/stripe", NULL, json, event,
                              strlen(event) - 1, &r),
                     0);
    assert_int_equal(r.status, 400); /* a cut body: not JSON, and not signed either */
    api_resp_clear(&r);
    json[1] = NULL;
    assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/stripe", NULL, json, event,
                              strlen(event), &r),
                     0);
    adm_expect(&r, 400, "invalid_signature");
    api_resp_clear(&r);
    assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/bitcoin", NULL, json, event,
                              strlen(event), &r),
                     0);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals_before_anything_happens),
        cmocka_unit_test(test_credits_alone_pay_at_once),
        cmocka_unit_test(test_credits_alone_must_cover_the_total),
        cmocka_unit_test(test_part_credits_and_the_sandbox_page),
        cmocka_unit_test(test_a_declined_deposit_stays_payable),
        cmocka_unit_test(test_a_declined_order_is_cancelled_and_everything_comes_back),
        cmocka_unit_test(test_a_retry_replays_and_a_new_body_is_refused),
        cmocka_unit_test(test_another_accounts_records_are_not_found),
        cmocka_unit_test(test_orders_list_newest_first),
        cmocka_unit_test(test_a_switched_off_gateway_is_unavailable),
        cmocka_unit_test(test_the_sandbox_and_webhook_refuse_strangers),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
