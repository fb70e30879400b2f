/* inproc_lifecycle_cancel.c: cancellation at the end of the period and at once, over HTTP: what
 * the service shows, which invoices are cancelled with it, withdrawal, and the refusals. */
#include "inproc_lifecycle.h"

#define DEMO_USER 1

static struct lc t;
static char token[128];

static int setup(void **state)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    lc_start(&t, lc_noon(2025, 6, 1));
    lc_login(&t, "demo@example.com", "demo", token);
    return 0;
}

static int teardown(void **state)
{
    lc_stop(&t);
    curl_global_cleanup();
    return 0;
}

static const char *const json_body[] = {"Content-Type: application/json", NULL};

static void cancel(int64_t svc, const char *body, struct lc_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/billing/services/%lld/cancellation", (long long)svc);
    lc_call(&t, "POST", path, token, json_body, body, r);
}

static void withdraw(int64_t svc, struct lc_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/billing/services/%lld/cancellation", (long long)svc);
    lc_call(&t, "DELETE", path, token, NULL, NULL, r);
}

static void get_service(int64_t svc, struct lc_resp *r)
{
    char path[64];

    snprintf(path, sizeof path, "/billing/services/%lld", (long long)svc);
    lc_call(&t, "GET", path, token, NULL, NULL, r);
    assert_int_equal(r->status, 200);
}

static const char *invoice_status(int64_t inv, char *buf, size_t size)
{
    return lc_text(&t, "SELECT status FROM invoices WHERE id = ?1", inv, buf, size);
}

/* The service runs to its due date, bills nothing more, and ends then with its server. */
static void test_end_of_period(void **state)
{
    int64_t svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", lc_noon(2025, 6, 1));
    cJSON *c;
    char buf[32];
    struct lc_resp r;

    billingd_set_clock(t.d, lc_noon(2025, 6, 10));
    cancel(svc, "{\"type\":\"end_of_period\",\"reason\":\"Moving to a bigger plan.\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(lc_data(&r), "status"), "active");
    assert_string_equal(lc_str(lc_data(&r), "next_due_date"), "2025-07-01");
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(lc_data(&r), "server")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(lc_data(&r), "invoices")));
    c = cJSON_GetObjectItem(lc_data(&r), "cancellation");
    assert_string_equal(lc_str(c, "type"), "end_of_period");
    assert_string_equal(lc_str(c, "reason"), "Moving to a bigger plan.");
    assert_string_equal(lc_str(c, "requested_at"), "2025-06-10T12:00:00Z");
    assert_string_equal(lc_str(c, "effective_at"), "2025-07-01T00:00:00Z");
    lc_resp_clear(&r);

    /* A second request, and a renewal, are refused while it is pending. */
    cancel(svc, "{\"type\":\"immediate\"}", &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "cancellation_pending");
    lc_resp_clear(&r);
    {
        char path[64];
        const char *headers[] = {"Idempotency-Key: eop-renew", NULL};

        snprintf(path, sizeof path, "/billing/services/%lld/renewals", (long long)svc);
        lc_call(&t, "POST", path, token, headers, NULL, &r);
        assert_int_equal(r.status, 409);
        assert_string_equal(lc_error(&r), "invalid_status");
        lc_resp_clear(&r);
    }

    /* No renewal invoice in the window; the service ends on its due date. */
    for (int day = 20; day <= 30; day++) {
        lc_run(&t, lc_noon(2025, 6, day));
        assert_string_equal(lc_status(&t, svc, buf, sizeof buf), "active");
    }
    assert_int_equal(lc_renewals(&t, svc), 0);
    lc_run(&t, lc_noon(2025, 7, 1));
    get_service(svc, &r);
    assert_string_equal(lc_str(lc_data(&r), "status"), "cancelled");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(lc_data(&r), "server")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(lc_data(&r), "next_due_date")));
    assert_string_equal(lc_str(cJSON_GetObjectItem(lc_data(&r), "cancellation"), "type"),
                        "end_of_period");
    lc_resp_clear(&r);
    lc_run(&t, lc_noon(2025, 8, 1));
    assert_int_equal(lc_renewals(&t, svc), 0);

    /* Over: nothing to withdraw, nothing more to cancel. */
    withdraw(svc, &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(lc_error(&r), "not_found");
    lc_resp_clear(&r);
    cancel(svc, "{\"type\":\"immediate\"}", &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "invalid_status");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(lc_details(&r), "status"), 0)->valuestring,
        "cancelled");
    lc_resp_clear(&r);
}

/* Cancelling after the renewal was issued cancels that invoice; withdrawing brings the same
 * invoice back rather than a second one. */
static void test_withdraw_restores_the_renewal(void **state)
{
    int64_t svc = lc_service(&t, DEMO_USER, "mc-stone", "monthly", lc_noon(2025, 6, 1));
    int64_t inv;
    char buf[32];
    struct lc_resp r;

    lc_run(&t, lc_noon(2025, 6, 24));
    inv = lc_renewal(&t, svc, "2025-07-01");
    assert_true(inv > 0);
    cancel(svc, "{\"type\":\"end_of_period\"}", &r);
    assert_int_equal(r.status, 201);
    assert_true(cJSON_IsNull(
        cJSON_GetObjectItem(cJSON_GetObjectItem(lc_data(&r), "cancellation"), "reason")));
    lc_resp_clear(&r);
    assert_string_equal(invoice_status(inv, buf, sizeof buf), "cancelled");

    withdraw(svc, &r);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(lc_data(&r), "cancellation")));
    assert_string_equal(lc_str(lc_data(&r), "status"), "active");
    lc_resp_clear(&r);
    assert_string_equal(invoice_status(inv, buf, sizeof buf), "pending");
    withdraw(svc, &r);
    assert_int_equal(r.status, 404);
    lc_resp_clear(&r);

    /* Billing goes on as before: the same invoice, paid, moves the date. */
    lc_run(&t, lc_noon(2025, 6, 25));
    assert_int_equal(lc_renewals(&t, svc), 1);
    lc_pay(&t, inv, lc_noon(2025, 6, 25));
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-08-01");
}

/* At once: the service ends now, its server goes, its unpaid invoices are cancelled and the
 * paid ones stay paid. */
static void test_immediate(void **state)
{
    int64_t svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", lc_noon(2025, 5, 1));
    int64_t paid, unpaid;
    char buf[32];
    struct lc_resp r;

    lc_run(&t, lc_noon(2025, 5, 25));
    paid = lc_renewal(&t, svc, "2025-06-01");
    lc_pay(&t, paid, lc_noon(2025, 5, 25));
    lc_run(&t, lc_noon(2025, 6, 25));
    unpaid = lc_renewal(&t, svc, "2025-07-01");
    assert_true(unpaid > 0);
    lc_run(&t, lc_noon(2025, 7, 3)); /* overdue, not yet suspended */
    assert_string_equal(invoice_status(unpaid, buf, sizeof buf), "overdue");

    cancel(svc, "{\"type\":\"immediate\",\"reason\":\"Closing the community.\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(lc_data(&r), "status"), "cancelled");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(lc_data(&r), "server")));
    assert_string_equal(lc_str(cJSON_GetObjectItem(lc_data(&r), "cancellation"), "effective_at"),
                        "2025-07-03T12:00:00Z");
    lc_resp_clear(&r);
    assert_string_equal(invoice_status(unpaid, buf, sizeof buf), "cancelled");
    assert_string_equal(invoice_status(paid, buf, sizeof buf), "paid");
    /* An immediate cancellation has happened: there is nothing to withdraw. */
    withdraw(svc, &r);
    assert_int_equal(r.status, 404);
    lc_resp_clear(&r);
    lc_run(&t, lc_noon(2025, 8, 1));
    assert_string_equal(lc_status(&t, svc, buf, sizeof buf), "cancelled");
    assert_int_equal(lc_renewals(&t, svc), 2);
}

/* A service whose paid period is already over (suspended for an unpaid renewal) ends at once
 * even when asked for the end of the period: that end has passed. */
static void test_end_of_period_already_past(void **state)
{
    int64_t svc = lc_service(&t, DEMO_USER, "mc-dirt", "monthly", lc_noon(2025, 5, 1));
    int64_t inv;
    char buf[32];
    struct lc_resp r;

    lc_run(&t, lc_noon(2025, 5, 25));
    lc_run(&t, lc_noon(2025, 6, 5));
    assert_string_equal(lc_status(&t, svc, buf, sizeof buf), "suspended");
    inv = lc_renewal(&t, svc, "2025-06-01");
    cancel(svc, "{\"type\":\"end_of_period\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(lc_data(&r), "status"), "cancelled");
    lc_resp_clear(&r);
    assert_string_equal(invoice_status(inv, buf, sizeof buf), "cancelled");
}

/* A service never paid for (its order still open) can be cancelled; the order's invoice then has
 * nothing left to bill and is cancelled too. */
static void test_pending_service(void **state)
{
    int64_t svc, inv;
    char sql[400], buf[32];
    struct lc_resp r;

    lc_exec(&t, "INSERT INTO orders(number, user_id, status, subtotal, discount, tax, total,"
                " created_at, updated_at) VALUES ('ORD-T-1', 1, 'pending_payment', 299, 0, 60,"
                " 359, 0, 0)");
    lc_exec(&t, "INSERT INTO invoices(number, user_id, kind, status, order_id, subtotal, total,"
                " issued_at, due_date) SELECT 'INV-T-1', 1, 'order', 'pending', id, 299, 359, 0,"
                " '2025-07-03' FROM orders WHERE number = 'ORD-T-1'");
    snprintf(sql, sizeof sql,
             "INSERT INTO services(user_id, order_id, product_id, name, status, cycle, months,"
             " recurring_amount, anchor_day, created_at) SELECT 1, o.id, p.id, 'Dirt',"
             " 'pending', 'monthly', 1, 299, 3, %lld FROM orders o, products p"
             " WHERE o.number = 'ORD-T-1' AND p.slug = 'mc-dirt'",
             (long long)lc_noon(2025, 7, 3));
    lc_exec(&t, sql);
    svc = lc_int(&t, "SELECT max(id) FROM services", 0);
    inv = lc_int(&t, "SELECT id FROM invoices WHERE number = 'INV-T-1'", 0);
    cancel(svc, "{\"type\":\"end_of_period\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(lc_str(lc_data(&r), "status"), "cancelled");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(lc_data(&r), "invoices")), 1);
    lc_resp_clear(&r);
    assert_string_equal(invoice_status(inv, buf, sizeof buf), "cancelled");
}

/* Every refusal of the body, each with its field. */
static void test_validation(void **state)
{
    static const struct {
        const char *body;
        const char *field;
    } bad[] = {
        {"{}", "type"},
        {"{\"type\":null}", "type"},
        {"{\"type\":\"tomorrow\"}", "type"},
        {"{\"type\":7}", "type"},
        {"{\"type\":\"immediate\",\"reason\":12}", "reason"},
    };
    /* Not UTF-8 is not JSON text at all: refused before any field is looked at. */
    static const char *const not_utf8[] = {
        "{\"type\":\"immediate\",\"reason\":\"\xff\xfe\"}",
        "{\"type\":\"immediate\",\"reason\":\"\xc0\xaf\"}",
    };
    int64_t svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", lc_noon(2025, 7, 3));
    char *long_reason = malloc(1100);
    char path[64];
    struct lc_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cancel(svc, bad[i].body, &r);
        assert_int_equal(r.status, 422);
        assert_string_equal(lc_error(&r), "validation_failed");
        assert_non_null(cJSON_GetObjectItem(lc_details(&r), bad[i].field));
        lc_resp_clear(&r);
    }
    for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++) {
        cancel(svc, not_utf8[i], &r);
        assert_int_equal(r.status, 400);
        assert_string_equal(lc_error(&r), "invalid_json");
        lc_resp_clear(&r);
    }
    /* 1000 characters are fine (é is one character in two bytes); 1001 are not. */
    strcpy(long_reason, "{\"type\":\"end_of_period\",\"reason\":\"");
    for (int i = 0; i < 1001; i++)
        strcat(long_reason, i ? "a" : "\xc3\xa9");
    strcat(long_reason, "\"}");
    cancel(svc, long_reason, &r);
    assert_int_equal(r.status, 422);
    assert_non_null(cJSON_GetObjectItem(lc_details(&r), "reason"));
    lc_resp_clear(&r);
    memmove(strstr(long_reason, "aa"), strstr(long_reason, "aa") + 1,
            strlen(strstr(long_reason, "aa")));
    cancel(svc, long_reason, &r);
    assert_int_equal(r.status, 201);
    assert_int_equal(strlen(lc_str(cJSON_GetObjectItem(lc_data(&r), "cancellation"), "reason")),
                     1001);
    lc_resp_clear(&r);
    free(long_reason);

    /* The envelope's own errors come first. */
    snprintf(path, sizeof path, "/billing/services/%lld/cancellation", (long long)svc);
    lc_call(&t, "POST", path, token, json_body, "[1]", &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(lc_error(&r), "invalid_json");
    lc_resp_clear(&r);
    lc_call(&t, "POST", path, token, (const char *[]){"Content-Type: text/plain", NULL},
            "type=immediate", &r);
    assert_int_equal(r.status, 415);
    lc_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_end_of_period),
        cmocka_unit_test(test_withdraw_restores_the_renewal),
        cmocka_unit_test(test_immediate),
        cmocka_unit_test(test_end_of_period_already_past),
        cmocka_unit_test(test_pending_service),
        cmocka_unit_test(test_validation),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
