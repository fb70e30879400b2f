/* inproc_lifecycle_checkout.c: a service's life from a real checkout, all over HTTP: bought
 * with credits on 31 January and provisioned, billed on the calendar, paid late through
 * POST /billing/invoices/{id}/payments (which lifts the suspension), renewed early, cancelled. */
#include "inproc_lifecycle.h"

#include "billing/ledger.h"

#define DEMO_USER 1

static struct lc t;
static char token[128];

static int setup(void **state)
{
    sqlite3 *conn;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    lc_start(&t, lc_noon(2025, 1, 31));
    lc_login(&t, "demo@example.com", "demo", token);
    conn = lc_db(&t);
    assert_int_equal(db_begin(conn), 0);
    assert_int_equal(ledger_post(conn, DEMO_USER, "adjustment", 100000, "Test funds", 0, 0,
                                 lc_noon(2025, 1, 31), NULL),
                     API_OK);
    assert_int_equal(db_commit(conn), 0);
    lc_db_done(&t);
    return 0;
}

static int teardown(void **state)
{
    lc_stop(&t);
    curl_global_cleanup();
    return 0;
}

static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* Buys one Iron monthly with credits; returns the new service's id. */
static int64_t buy_iron(void)
{
    char body[256], etag[32], if_match[64];
    const char *headers[] = {"Content-Type: application/json", if_match,
                             "Idempotency-Key: checkout-iron", NULL};
    int64_t iron = lc_int(&t, "SELECT id FROM products WHERE slug = 'mc-iron'", 0), total, svc;
    struct lc_resp r;
    cJSON *services;

    snprintf(body, sizeof body, "{\"product_id\":%lld,\"cycle\":\"monthly\"}", (long long)iron);
    lc_call(&t, "POST", "/billing/cart/items", token, json_type, body, &r);
    assert_int_equal(r.status, 201);
    lc_resp_clear(&r);
    lc_call(&t, "GET", "/billing/cart", token, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(lc_header(&r, "ETag", etag, sizeof etag), 0);
    total =
        lc_num(cJSON_GetObjectItem(cJSON_GetObjectItem(lc_data(&r), "totals"), "total"), "amount");
    assert_int_equal(total, 1079);
    lc_resp_clear(&r);
    snprintf(if_match, sizeof if_match, "If-Match: %s", etag);
    snprintf(body, sizeof body,
             "{\"payment_method\":\"credits\",\"use_credits\":true,"
             "\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
             (long long)total);
    lc_call(&t, "POST", "/billing/checkout", token, headers, body, &r);
    assert_int_equal(r.status, 201);
    services = cJSON_GetObjectItem(lc_data(&r), "services");
    assert_int_equal(cJSON_GetArraySize(services), 1);
    svc = lc_num(cJSON_GetArrayItem(services, 0), "id");
    lc_resp_clear(&r);
    return svc;
}

static void get_service(int64_t svc, struct lc_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/billing/services/%lld", (long long)svc);
    lc_call(&t, "GET", path, token, NULL, NULL, r);
    assert_int_equal(r->status, 200);
}

/* Pays an invoice from the credit balance through the API. */
static void pay(int64_t inv, const char *key)
{
    char path[64], header[128];
    const char *headers[] = {"Content-Type: application/json", header, NULL};
    struct lc_resp r;

    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)inv);
    snprintf(header, sizeof header, "Idempotency-Key: %s", key);
    lc_call(&t, "POST", path, token, headers, "{\"payment_method\":\"credits\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(lc_data(&r), "status"), "paid");
    lc_resp_clear(&r);
}

static void test_a_bought_service_lives_on_the_calendar(void **state)
{
    int64_t svc = buy_iron(), inv;
    char path[96];
    struct lc_resp r;
    cJSON *s, *invoices;

    /* Provisioned at once (auto-activation): due a calendar month on, clamped to February. */
    get_service(svc, &r);
    s = lc_data(&r);
    assert_string_equal(lc_str(s, "status"), "active");
    assert_string_equal(lc_str(s, "next_due_date"), "2025-02-28");
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(s, "server")));
    invoices = cJSON_GetObjectItem(s, "invoices");
    assert_int_equal(cJSON_GetArraySize(invoices), 1);
    assert_string_equal(lc_str(cJSON_GetArrayItem(invoices, 0), "kind"), "order");
    assert_string_equal(lc_str(cJSON_GetArrayItem(invoices, 0), "status"), "paid");
    lc_resp_clear(&r);

    /* February's renewal comes a week early and is paid on time. */
    lc_run(&t, lc_noon(2025, 2, 20));
    assert_int_equal(lc_renewals(&t, svc), 0);
    lc_run(&t, lc_noon(2025, 2, 21));
    inv = lc_renewal(&t, svc, "2025-02-28");
    assert_true(inv > 0);
    pay(inv, "pay-feb");
    get_service(svc, &r);
    assert_string_equal(lc_str(lc_data(&r), "next_due_date"), "2025-03-31");
    lc_resp_clear(&r);

    /* March's is left unpaid into suspension, then paid: active again, due 30 April. */
    lc_run(&t, lc_noon(2025, 3, 24));
    inv = lc_renewal(&t, svc, "2025-03-31");
    lc_run(&t, lc_noon(2025, 4, 1));
    lc_run(&t, lc_noon(2025, 4, 3));
    get_service(svc, &r);
    assert_string_equal(lc_str(lc_data(&r), "status"), "suspended");
    assert_string_equal(lc_str(lc_data(&r), "suspension_reason"), "overdue");
    lc_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)inv);
    lc_call(&t, "GET", path, token, NULL, NULL, &r);
    assert_string_equal(lc_str(lc_data(&r), "status"), "overdue");
    lc_resp_clear(&r);
    pay(inv, "pay-mar");
    get_service(svc, &r);
    assert_string_equal(lc_str(lc_data(&r), "status"), "active");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(lc_data(&r), "suspension_reason")));
    assert_string_equal(lc_str(lc_data(&r), "next_due_date"), "2025-04-30");
    lc_resp_clear(&r);

    /* Renewed early by the customer, then cancelled at the end of the period it paid for. */
    {
        const char *headers[] = {"Idempotency-Key: early-apr", NULL};

        snprintf(path, sizeof path, "/billing/services/%lld/renewals", (long long)svc);
        lc_call(&t, "POST", path, token, headers, NULL, &r);
        assert_int_equal(r.status, 201);
        inv = lc_num(lc_data(&r), "id");
        lc_resp_clear(&r);
    }
    pay(inv, "pay-apr");
    snprintf(path, sizeof path, "/billing/services/%lld/cancellation", (long long)svc);
    lc_call(&t, "POST", path, token, json_type, "{\"type\":\"end_of_period\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(cJSON_GetObjectItem(lc_data(&r), "cancellation"), "effective_at"),
                        "2025-05-31T00:00:00Z");
    lc_resp_clear(&r);
    lc_run(&t, lc_noon(2025, 5, 30));
    assert_int_equal(lc_renewals(&t, svc), 3);
    lc_run(&t, lc_noon(2025, 5, 31));
    get_service(svc, &r);
    assert_string_equal(lc_str(lc_data(&r), "status"), "cancelled");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(lc_data(&r), "invoices")), 4);
    lc_resp_clear(&r);
    /* Every invoice is settled one way or the other: nothing left open. */
    lc_call(&t, "GET", "/billing/invoices?status=pending", token, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 0);
    lc_resp_clear(&r);
    lc_call(&t, "GET", "/billing/invoices?status=paid", token, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 4);
    lc_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_bought_service_lives_on_the_calendar),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
