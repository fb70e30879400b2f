/* inproc_lifecycle_api.c: the service and invoice endpoints as a customer sees them: the
 * Service object, lists and their filters and pages, another customer's records as 404, and
 * every error these endpoints answer with. */
#include "inproc_lifecycle.h"

#define DEMO_USER 1

static struct lc t;
static char demo[128], other[128];
static int64_t other_id, mine_active, mine_suspended, theirs;

/* The demo customer has a quarterly service suspended for its unpaid renewal and a monthly one
 * with two renewals paid and the third overdue; the other customer has one paid up. */
static int setup(void **state)
{
    int64_t now = lc_noon(2025, 3, 31);

    curl_global_init(CURL_GLOBAL_DEFAULT);
    lc_start(&t, now);
    other_id = lc_customer(&t, "other@example.com", "other-password");
    lc_login(&t, "demo@example.com", "demo", demo);
    lc_login(&t, "other@example.com", "other-password", other);
    mine_suspended = lc_service(&t, DEMO_USER, "mc-dirt", "quarterly", lc_noon(2025, 3, 28));
    mine_active = lc_service(&t, DEMO_USER, "mc-iron", "monthly", now);
    theirs = lc_service(&t, other_id, "mc-iron", "monthly", now);
    lc_run(&t, lc_noon(2025, 4, 23));
    lc_pay(&t, lc_renewal(&t, mine_active, "2025-04-30"), lc_noon(2025, 4, 23));
    lc_pay(&t, lc_renewal(&t, theirs, "2025-04-30"), lc_noon(2025, 4, 23));
    lc_run(&t, lc_noon(2025, 5, 24));
    lc_pay(&t, lc_renewal(&t, mine_active, "2025-05-31"), lc_noon(2025, 5, 24));
    lc_pay(&t, lc_renewal(&t, theirs, "2025-05-31"), lc_noon(2025, 5, 24));
    lc_run(&t, lc_noon(2025, 6, 21));
    lc_run(&t, lc_noon(2025, 6, 23));
    lc_pay(&t, lc_renewal(&t, theirs, "2025-06-30"), lc_noon(2025, 6, 23));
    lc_run(&t, lc_noon(2025, 7, 2));
    return 0;
}

static int teardown(void **state)
{
    lc_stop(&t);
    curl_global_cleanup();
    return 0;
}

static void get(const char *path, const char *token, long status, const char *code,
                struct lc_resp *r)
{
    lc_call(&t, "GET", path, token, NULL, NULL, r);
    assert_int_equal(r->status, status);
    if (code)
        assert_string_equal(lc_error(r), code);
}

static void test_service_object(void **state)
{
    char path[64];
    struct lc_resp r;
    cJSON *s, *server, *product, *invoices;

    snprintf(path, sizeof path, "/billing/services/%lld", (long long)mine_active);
    get(path, demo, 200, NULL, &r);
    s = lc_data(&r);
    assert_int_equal(lc_num(s, "id"), mine_active);
    assert_string_equal(lc_str(s, "status"), "active");
    assert_string_equal(lc_str(s, "cycle"), "monthly");
    /* 31 March: due on the last day of each month, whatever its length. */
    assert_string_equal(lc_str(s, "next_due_date"), "2025-06-30");
    assert_int_equal(lc_num(cJSON_GetObjectItem(s, "recurring_price"), "amount"), 899);
    product = cJSON_GetObjectItem(s, "product");
    assert_string_equal(lc_str(product, "slug"), "mc-iron");
    assert_string_equal(lc_str(product, "category_slug"), "minecraft");
    assert_int_equal(lc_num(cJSON_GetObjectItem(s, "resources"), "memory_mb"), 4096);
    server = cJSON_GetObjectItem(s, "server");
    snprintf(path, sizeof path, "mc-iron-%lld", (long long)mine_active);
    assert_string_equal(lc_str(server, "name"), path);
    assert_non_null(strstr(lc_str(server, "address"), "203.0.113."));
    assert_non_null(strstr(lc_str(server, "node"), ".fra"));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "cancellation")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "suspension_reason")));
    assert_string_equal(lc_str(s, "activated_at"), "2025-03-31T12:00:00Z");
    /* Its three renewals, newest first. */
    invoices = cJSON_GetObjectItem(s, "invoices");
    assert_int_equal(cJSON_GetArraySize(invoices), 3);
    assert_string_equal(lc_str(cJSON_GetArrayItem(invoices, 0), "due_date"), "2025-06-30");
    assert_string_equal(lc_str(cJSON_GetArrayItem(invoices, 0), "status"), "overdue");
    assert_string_equal(lc_str(cJSON_GetArrayItem(invoices, 1), "status"), "paid");
    assert_int_equal(
        lc_num(cJSON_GetObjectItem(cJSON_GetArrayItem(invoices, 1), "amount_due"), "amount"), 0);
    lc_resp_clear(&r);

    snprintf(path, sizeof path, "/billing/services/%lld", (long long)mine_suspended);
    get(path, demo, 200, NULL, &r);
    assert_string_equal(lc_str(lc_data(&r), "status"), "suspended");
    assert_string_equal(lc_str(lc_data(&r), "suspension_reason"), "overdue");
    assert_string_equal(lc_str(lc_data(&r), "next_due_date"), "2025-06-28");
    lc_resp_clear(&r);
}

/* Each customer sees only their own records. */
static void test_lists_and_filters(void **state)
{
    struct lc_resp r;
    cJSON *meta;

    get("/billing/services", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 2);
    assert_int_equal(lc_num(cJSON_GetArrayItem(lc_data(&r), 0), "id"), mine_active);
    assert_int_equal(lc_num(cJSON_GetObjectItem(r.json, "meta"), "total"), 2);
    lc_resp_clear(&r);
    get("/billing/services?status=suspended", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 1);
    assert_int_equal(lc_num(cJSON_GetArrayItem(lc_data(&r), 0), "id"), mine_suspended);
    lc_resp_clear(&r);
    get("/billing/services?status=terminated", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 0);
    assert_int_equal(lc_num(cJSON_GetObjectItem(r.json, "meta"), "total_pages"), 1);
    lc_resp_clear(&r);
    get("/billing/services?per_page=1&page=2", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 1);
    assert_int_equal(lc_num(cJSON_GetArrayItem(lc_data(&r), 0), "id"), mine_suspended);
    meta = cJSON_GetObjectItem(r.json, "meta");
    assert_int_equal(lc_num(meta, "total_pages"), 2);
    assert_int_equal(lc_num(meta, "current_page"), 2);
    lc_resp_clear(&r);
    get("/billing/services?page=9", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 0);
    lc_resp_clear(&r);
    get("/billing/services", other, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 1);
    assert_int_equal(lc_num(cJSON_GetArrayItem(lc_data(&r), 0), "id"), theirs);
    lc_resp_clear(&r);

    /* Invoices: the demo's four renewals, two paid, two overdue. */
    get("/billing/invoices", demo, 200, NULL, &r);
    assert_int_equal(lc_num(cJSON_GetObjectItem(r.json, "meta"), "total"), 4);
    lc_resp_clear(&r);
    get("/billing/invoices?status=overdue", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 2);
    assert_string_equal(lc_str(cJSON_GetArrayItem(lc_data(&r), 0), "status"), "overdue");
    assert_int_equal(
        lc_num(cJSON_GetObjectItem(cJSON_GetArrayItem(lc_data(&r), 0), "amount_due"), "amount"),
        1079);
    lc_resp_clear(&r);
    get("/billing/invoices?status=paid&per_page=100", demo, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 2);
    lc_resp_clear(&r);
    get("/billing/invoices?status=refunded", other, 200, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 0);
    lc_resp_clear(&r);
}

static void test_invoice_detail(void **state)
{
    int64_t inv = lc_renewal(&t, mine_active, "2025-04-30");
    char path[64];
    struct lc_resp r;

    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)inv);
    get(path, demo, 200, NULL, &r);
    assert_string_equal(lc_str(lc_data(&r), "kind"), "renewal");
    assert_string_equal(lc_str(lc_data(&r), "status"), "paid");
    assert_int_equal(lc_num(lc_data(&r), "service_id"), mine_active);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(lc_data(&r), "payments")), 1);
    lc_resp_clear(&r);
    get(path, other, 404, "not_found", &r);
    lc_resp_clear(&r);
}

/* Another customer's ids answer exactly as ids that do not exist. */
static void test_other_customers_records_are_not_found(void **state)
{
    static const char *const methods[] = {"GET", "POST", "DELETE", "POST"};
    static const char *const suffixes[] = {"", "/cancellation", "/cancellation", "/renewals"};
    const char *headers[] = {"Content-Type: application/json", "Idempotency-Key: k-404", NULL};
    char path[96];
    struct lc_resp r;

    for (int pass = 0; pass < 2; pass++) {
        int64_t id = pass == 0 ? theirs : 99999;

        for (size_t i = 0; i < 4; i++) {
            snprintf(path, sizeof path, "/billing/services/%lld%s", (long long)id, suffixes[i]);
            lc_call(&t, methods[i], path, demo, headers,
                    strcmp(methods[i], "GET") == 0 || strcmp(methods[i], "DELETE") == 0
                        ? NULL
                        : "{\"type\":\"immediate\"}",
                    &r);
            assert_int_equal(r.status, 404);
            assert_string_equal(lc_error(&r), "not_found");
            lc_resp_clear(&r);
        }
        snprintf(path, sizeof path, "/billing/invoices/%lld",
                 (long long)(pass == 0 ? lc_renewal(&t, theirs, "2025-04-30") : 99999));
        get(path, demo, 404, "not_found", &r);
        lc_resp_clear(&r);
    }
    /* Nothing happened to the other customer's service. */
    assert_int_equal(
        lc_int(&t, "SELECT count(*) FROM service_cancellations WHERE service_id = ?1", theirs), 0);
    /* Ids that are not ids. */
    static const char *const junk[] = {"/billing/services/abc",
                                       "/billing/services/0",
                                       "/billing/services/-1",
                                       "/billing/services/1e3",
                                       "/billing/services/99999999999999999999",
                                       "/billing/invoices/x",
                                       "/billing/invoices/007"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        get(junk[i], demo, 404, "not_found", &r);
        lc_resp_clear(&r);
    }
}

static void test_query_errors(void **state)
{
    static const char *const bad[][2] = {
        {"/billing/services?status=expired", "status"},
        {"/billing/services?status=", "status"},
        {"/billing/services?page=0", "page"},
        {"/billing/services?page=-2", "page"},
        {"/billing/services?per_page=101", "per_page"},
        {"/billing/services?per_page=ten", "per_page"},
        {"/billing/invoices?status=unpaid", "status"},
        {"/billing/invoices?status=ACTIVE", "status"},
        {"/billing/invoices?page=1.5", "page"},
        {"/billing/invoices?per_page=0", "per_page"},
    };
    struct lc_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        get(bad[i][0], demo, 422, "validation_failed", &r);
        assert_non_null(cJSON_GetObjectItem(lc_details(&r), bad[i][1]));
        lc_resp_clear(&r);
    }
}

/* Renewal refusals: no key, a key reused for another request, a service that cannot renew. */
static void test_renewal_errors(void **state)
{
    char path[96], other_path[96];
    const char *key_a[] = {"Idempotency-Key: renew-a", NULL};
    struct lc_resp r;
    int64_t inv;

    snprintf(path, sizeof path, "/billing/services/%lld/renewals", (long long)mine_active);
    lc_call(&t, "POST", path, demo, NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(lc_error(&r), "idempotency_key_required");
    lc_resp_clear(&r);
    /* Its period's invoice was issued by the scheduler: 409 with that invoice's id. */
    lc_call(&t, "POST", path, demo, key_a, NULL, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "renewal_exists");
    inv = lc_renewal(&t, mine_active, "2025-06-30");
    assert_int_equal(
        strtoll(
            cJSON_GetArrayItem(cJSON_GetObjectItem(lc_details(&r), "invoice_id"), 0)->valuestring,
            NULL, 10),
        inv);
    lc_resp_clear(&r);
    /* Paid, the next period can be billed early, once. */
    lc_pay(&t, inv, lc_noon(2025, 7, 2));
    lc_call(&t, "POST", path, demo, key_a, NULL, &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(lc_data(&r), "due_date"), "2025-07-31");
    lc_resp_clear(&r);
    /* The same key for another service's renewal is another request. */
    snprintf(other_path, sizeof other_path, "/billing/services/%lld/renewals",
             (long long)mine_suspended);
    lc_call(&t, "POST", other_path, demo, key_a, NULL, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "idempotency_key_reused");
    lc_resp_clear(&r);
    lc_call(&t, "POST", path, demo, (const char *[]){"Idempotency-Key: bad key", NULL}, NULL, &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(lc_error(&r), "idempotency_key_required");
    lc_resp_clear(&r);
}

static void test_auth_and_licence(void **state)
{
    struct lc_resp r;

    get("/billing/services", NULL, 401, "unauthenticated", &r);
    lc_resp_clear(&r);
    get("/billing/invoices/1", "nonsense", 401, "invalid_token", &r);
    lc_resp_clear(&r);
    lc_exec(&t, "UPDATE settings SET value = '0' WHERE key = 'billing_enabled'");
    get("/billing/services", demo, 403, "billing_disabled", &r);
    lc_resp_clear(&r);
    lc_exec(&t, "UPDATE settings SET value = '1' WHERE key = 'billing_enabled'");
    lc_call(&t, "PUT", "/billing/services/1", demo, NULL, NULL, &r);
    assert_int_equal(r.status, 405);
    lc_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_object),
        cmocka_unit_test(test_lists_and_filters),
        cmocka_unit_test(test_invoice_detail),
        cmocka_unit_test(test_other_customers_records_are_not_found),
        cmocka_unit_test(test_query_errors),
        cmocka_unit_test(test_renewal_errors),
        cmocka_unit_test(test_auth_and_licence),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
