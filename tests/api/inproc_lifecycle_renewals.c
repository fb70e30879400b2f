/* inproc_lifecycle_renewals.c: one renewal invoice per period and one advance per payment,
 * whoever asks: the scheduler, the customer renewing early (and retrying), racing requests, and
 * a webhook delivered twice; the renewal's price (the one the service was sold at), coupon and
 * the payment that lifts an overdue suspension but not an operator's. */
#include "inproc_lifecycle.h"

#include <pthread.h>

#include "billing/audit.h"

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

static void renew(int64_t svc, const char *key, struct lc_resp *r)
{
    char path[64], header[300];
    const char *headers[] = {header, NULL};

    snprintf(path, sizeof path, "/billing/services/%lld/renewals", (long long)svc);
    snprintf(header, sizeof header, "Idempotency-Key: %s", key);
    lc_call(&t, "POST", path, token, key ? headers : NULL, NULL, r);
}

/* Early renewal, its retry, another key, the scheduler, and the webhook twice: one invoice, one
 * move of the due date. */
static void test_one_invoice_one_advance(void **state)
{
    int64_t now = lc_noon(2025, 6, 1), svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", now);
    int64_t inv, pay, balance;
    char buf[32], replayed[16];
    struct lc_resp r, again;
    cJSON *items;

    lc_run(&t, lc_noon(2025, 6, 10)); /* three weeks before the due date: nothing yet */
    assert_int_equal(lc_renewals(&t, svc), 0);
    renew(svc, "renew-june-1", &r);
    assert_int_equal(r.status, 201);
    inv = lc_num(lc_data(&r), "id");
    assert_string_equal(lc_str(lc_data(&r), "kind"), "renewal");
    assert_string_equal(lc_str(lc_data(&r), "status"), "pending");
    assert_string_equal(lc_str(lc_data(&r), "due_date"), "2025-07-01");
    assert_string_equal(lc_str(lc_data(&r), "issue_date"), "2025-06-10");
    assert_int_equal(lc_num(lc_data(&r), "service_id"), svc);
    items = cJSON_GetObjectItem(lc_data(&r), "items");
    assert_int_equal(cJSON_GetArraySize(items), 1); /* no setup fee on a renewal */
    assert_string_equal(
        lc_str(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "period"), "start"), "2025-07-01");
    assert_string_equal(lc_str(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "period"), "end"),
                        "2025-07-31");
    assert_int_equal(
        lc_num(cJSON_GetObjectItem(cJSON_GetObjectItem(lc_data(&r), "totals"), "total"), "amount"),
        1079);

    /* The same request again: the same answer, marked as a replay. */
    renew(svc, "renew-june-1", &again);
    assert_int_equal(again.status, 201);
    assert_int_equal(lc_num(lc_data(&again), "id"), inv);
    assert_int_equal(lc_header(&again, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    assert_string_equal(replayed, "true");
    lc_resp_clear(&again);
    /* A new request for the same period: refused, pointing at the invoice. */
    renew(svc, "renew-june-2", &again);
    assert_int_equal(again.status, 409);
    assert_string_equal(lc_error(&again), "renewal_exists");
    snprintf(buf, sizeof buf, "%lld", (long long)inv);
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(lc_details(&again), "invoice_id"), 0)->valuestring,
        buf);
    lc_resp_clear(&again);
    lc_resp_clear(&r);

    /* The scheduler reaches the window and finds the period billed. */
    lc_run(&t, lc_noon(2025, 6, 24));
    lc_run(&t, lc_noon(2025, 6, 25));
    assert_int_equal(lc_renewals(&t, svc), 1);

    /* The webhook settles the payment, then is delivered again. */
    pay = lc_pay(&t, inv, lc_noon(2025, 6, 25));
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-08-01");
    lc_settle(&t, pay, lc_noon(2025, 6, 25));
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-08-01");
    /* A superseded payment page paid anyway: the money goes to credit, the date stays. */
    balance = lc_int(&t, "SELECT credit_balance FROM users WHERE id = ?1", DEMO_USER);
    lc_settle(&t, lc_payment(&t, inv, 1079, lc_noon(2025, 6, 26)), lc_noon(2025, 6, 26));
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-08-01");
    assert_int_equal(lc_int(&t, "SELECT credit_balance FROM users WHERE id = ?1", DEMO_USER),
                     balance + 1079);
    /* And the lifecycle hook called directly once more changes nothing either. */
    {
        sqlite3 *conn = lc_db(&t);

        assert_int_equal(lifecycle_renewal_paid(conn, inv, lc_noon(2025, 6, 27)), API_OK);
        lc_db_done(&t);
    }
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-08-01");
    assert_int_equal(lc_renewals(&t, svc), 1);
    /* The next period comes in its own time. */
    lc_run(&t, lc_noon(2025, 7, 24));
    assert_int_equal(lc_renewals(&t, svc), 1);
    lc_run(&t, lc_noon(2025, 7, 25));
    assert_int_equal(lc_renewals(&t, svc), 2);
    assert_true(lc_renewal(&t, svc, "2025-08-01") > 0);
}

struct racer {
    int64_t svc;
    char key[32];
    long status;
    int64_t invoice;
};

static void *race_renew(void *arg)
{
    struct racer *r = arg;
    struct lc_resp resp;

    renew(r->svc, r->key, &resp);
    r->status = resp.status;
    r->invoice = lc_num(lc_data(&resp), "id");
    if (resp.status == 409)
        r->invoice =
            strtoll(cJSON_GetArrayItem(cJSON_GetObjectItem(lc_details(&resp), "invoice_id"), 0)
                        ->valuestring,
                    NULL, 10);
    lc_resp_clear(&resp);
    return NULL;
}

static void *race_scheduler(void *arg)
{
    int *failed = arg;

    for (int i = 0; i < 5; i++)
        *failed |= billingd_run_scheduler(t.d) != 0;
    return NULL;
}

/* Eight early renewals with different keys and the scheduler at once: one invoice, and every
 * loser is told which one. */
static void test_racing_renewals(void **state)
{
    int64_t now = lc_noon(2025, 6, 1), svc = lc_service(&t, DEMO_USER, "mc-stone", "monthly", now);
    struct racer racers[8];
    pthread_t threads[9];
    int created = 0, scheduler_failed = 0;

    billingd_set_clock(t.d, lc_noon(2025, 6, 26)); /* inside the scheduler's window */
    for (int i = 0; i < 8; i++) {
        racers[i] = (struct racer){.svc = svc};
        snprintf(racers[i].key, sizeof racers[i].key, "race-%d", i);
        assert_int_equal(pthread_create(&threads[i], NULL, race_renew, &racers[i]), 0);
    }
    assert_int_equal(pthread_create(&threads[8], NULL, race_scheduler, &scheduler_failed), 0);
    for (int i = 0; i < 9; i++)
        pthread_join(threads[i], NULL);
    assert_int_equal(scheduler_failed, 0);
    assert_int_equal(lc_renewals(&t, svc), 1);
    for (int i = 0; i < 8; i++) {
        assert_true(racers[i].status == 201 || racers[i].status == 409);
        created += racers[i].status == 201;
        assert_int_equal(racers[i].invoice, lc_renewal(&t, svc, "2025-07-01"));
    }
    assert_true(created <= 1);
}

/* A renewal is priced by the one pricing function from today's catalog, without the setup fee,
 * with the service's repeating coupon while it has cycles left. */
static void test_renewal_price_and_coupon(void **state)
{
    int64_t now = lc_noon(2025, 6, 1), svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", now);
    int64_t first, second, third;

    lc_exec(&t, "INSERT INTO coupons(code, type, percent_bps, duration, duration_cycles,"
                " created_at) VALUES ('LOYAL50', 'percent', 5000, 'repeating', 3, 0)");
    lc_exec(&t, "UPDATE product_cycles SET setup_fee = 500 WHERE cycle = 'monthly'"
                " AND product_id = (SELECT id FROM products WHERE slug = 'mc-iron')");
    {
        char sql[200];

        snprintf(sql, sizeof sql,
                 "UPDATE services SET coupon_id = (SELECT id FROM coupons WHERE code = 'LOYAL50'),"
                 " coupon_cycles_left = 2 WHERE id = %lld",
                 (long long)svc);
        lc_exec(&t, sql);
    }
    lc_run(&t, lc_noon(2025, 6, 24));
    first = lc_renewal(&t, svc, "2025-07-01");
    assert_true(first > 0);
    /* 899 - 450 (50 %, rounded half up) = 449, VAT 90 (89.8): 539; no setup fee. */
    assert_int_equal(lc_int(&t, "SELECT subtotal FROM invoices WHERE id = ?1", first), 899);
    assert_int_equal(lc_int(&t, "SELECT discount FROM invoices WHERE id = ?1", first), 450);
    assert_int_equal(lc_int(&t, "SELECT total FROM invoices WHERE id = ?1", first), 539);
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM invoice_lines WHERE invoice_id = ?1"
                            " AND kind = 'setup_fee'",
                            first),
                     0);
    lc_pay(&t, first, lc_noon(2025, 6, 24));
    assert_int_equal(lc_int(&t, "SELECT coupon_cycles_left FROM services WHERE id = ?1", svc), 1);
    lc_run(&t, lc_noon(2025, 7, 25));
    second = lc_renewal(&t, svc, "2025-08-01");
    assert_int_equal(lc_int(&t, "SELECT discount FROM invoices WHERE id = ?1", second), 450);
    /* Paid twice over (a replayed webhook): one cycle of the coupon is used, not two. */
    lc_settle(&t, lc_pay(&t, second, lc_noon(2025, 7, 25)), lc_noon(2025, 7, 25));
    assert_int_equal(lc_int(&t, "SELECT coupon_cycles_left FROM services WHERE id = ?1", svc), 0);
    /* The catalog's price went up: the service keeps renewing at the price it was sold at. */
    lc_exec(&t, "UPDATE product_cycles SET price = 999 WHERE cycle = 'monthly'"
                " AND product_id = (SELECT id FROM products WHERE slug = 'mc-iron')");
    lc_run(&t, lc_noon(2025, 8, 25));
    third = lc_renewal(&t, svc, "2025-09-01");
    assert_int_equal(lc_int(&t, "SELECT discount FROM invoices WHERE id = ?1", third), 0);
    assert_int_equal(lc_int(&t, "SELECT subtotal FROM invoices WHERE id = ?1", third), 899);
    assert_int_equal(lc_int(&t, "SELECT total FROM invoices WHERE id = ?1", third), 1079);
    assert_int_equal(lc_int(&t, "SELECT recurring_amount FROM services WHERE id = ?1", svc), 899);
    lc_exec(&t, "UPDATE product_cycles SET price = 899, setup_fee = 0 WHERE cycle = 'monthly'"
                " AND product_id = (SELECT id FROM products WHERE slug = 'mc-iron')");
}

/* A renewal due while the service's coupon is switched off is priced in full, and the coupon
 * discounts again once it is switched back on. */
static void test_renewal_with_disabled_coupon(void **state)
{
    int64_t now = lc_noon(2025, 6, 1), svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", now);
    int64_t first, second;
    char sql[200];

    lc_exec(&t, "INSERT INTO coupons(code, type, percent_bps, duration, created_at, disabled)"
                " VALUES ('PAUSED50', 'percent', 5000, 'forever', 0, 1)");
    snprintf(sql, sizeof sql,
             "UPDATE services SET coupon_id = (SELECT id FROM coupons WHERE code = 'PAUSED50'),"
             " coupon_cycles_left = NULL WHERE id = %lld",
             (long long)svc);
    lc_exec(&t, sql);
    lc_run(&t, lc_noon(2025, 6, 24));
    first = lc_renewal(&t, svc, "2025-07-01");
    assert_true(first > 0);
    assert_int_equal(lc_int(&t, "SELECT subtotal FROM invoices WHERE id = ?1", first), 899);
    assert_int_equal(lc_int(&t, "SELECT discount FROM invoices WHERE id = ?1", first), 0);
    lc_pay(&t, first, lc_noon(2025, 6, 24));
    lc_exec(&t, "UPDATE coupons SET disabled = 0 WHERE code = 'PAUSED50'");
    lc_run(&t, lc_noon(2025, 7, 25));
    second = lc_renewal(&t, svc, "2025-08-01");
    assert_true(second > 0);
    assert_int_equal(lc_int(&t, "SELECT discount FROM invoices WHERE id = ?1", second), 450);
}

/* A service renews at its own price and options after its product is hidden, its cycle is
 * withdrawn and its option repriced and narrowed past what the customer has. */
static void test_renewal_outlives_the_catalog(void **state)
{
    int64_t now = lc_noon(2025, 6, 1), svc, inv, line;
    char sql[200], buf[64];

    svc = lc_service(&t, DEMO_USER, "mc-flex", "quarterly", now);
    /* 16 GB: 270 + 16 * 225 * 3 months. */
    snprintf(sql, sizeof sql,
             "UPDATE services SET options = '{\"memory_mb\":16384}', recurring_amount = 11070"
             " WHERE id = %lld",
             (long long)svc);
    lc_exec(&t, sql);
    lc_exec(&t, "UPDATE products SET visible = 0 WHERE slug = 'mc-flex'");
    lc_exec(&t, "DELETE FROM product_cycles WHERE cycle = 'quarterly'"
                " AND product_id = (SELECT id FROM products WHERE slug = 'mc-flex')");
    lc_exec(&t, "UPDATE product_options SET unit_price = 300, max_value = 8192"
                " WHERE product_id = (SELECT id FROM products WHERE slug = 'mc-flex')");
    lc_run(&t, lc_noon(2025, 8, 25));
    inv = lc_renewal(&t, svc, "2025-09-01");
    assert_true(inv > 0);
    assert_int_equal(lc_int(&t, "SELECT subtotal FROM invoices WHERE id = ?1", inv), 11070);
    assert_int_equal(lc_int(&t, "SELECT total FROM invoices WHERE id = ?1", inv), 13284);
    line = lc_int(&t, "SELECT id FROM invoice_lines WHERE invoice_id = ?1 AND kind = 'item'", inv);
    assert_int_equal(lc_int(&t, "SELECT unit_amount FROM invoice_lines WHERE id = ?1", line),
                     11070);
    assert_string_equal(
        lc_text(&t, "SELECT cycle FROM invoice_lines WHERE id = ?1", line, buf, sizeof buf),
        "quarterly");
    assert_string_equal(
        lc_text(&t, "SELECT period_end FROM invoice_lines WHERE id = ?1", line, buf, sizeof buf),
        "2025-11-30");
    lc_pay(&t, inv, lc_noon(2025, 8, 26));
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-12-01");
    assert_int_equal(lc_int(&t, "SELECT recurring_amount FROM services WHERE id = ?1", svc), 11070);
}

/* Paying the overdue renewal lifts the scheduler's suspension, not an operator's. */
static void test_payment_lifts_only_overdue_suspension(void **state)
{
    int64_t now = lc_noon(2025, 6, 1);
    int64_t overdue = lc_service(&t, DEMO_USER, "mc-dirt", "monthly", now);
    int64_t held = lc_service(&t, DEMO_USER, "mc-dirt", "monthly", now);
    int64_t inv;
    char buf[32];
    sqlite3 *conn;

    conn = lc_db(&t);
    assert_int_equal(db_begin(conn), 0);
    assert_int_equal(lifecycle_suspend(conn, held, now), API_OK);
    assert_int_equal(audit_record(conn, 2, "service.suspend", "service", held,
                                  "Chargeback opened on the last payment.", NULL, now),
                     0);
    assert_int_equal(db_commit(conn), 0);
    lc_db_done(&t);
    lc_run(&t, lc_noon(2025, 6, 24)); /* both renewals issued: the held service still owes */
    lc_run(&t, lc_noon(2025, 7, 4));  /* both three days overdue */
    assert_string_equal(lc_status(&t, overdue, buf, sizeof buf), "suspended");
    assert_string_equal(lc_status(&t, held, buf, sizeof buf), "suspended");

    inv = lc_renewal(&t, overdue, "2025-07-01");
    lc_pay(&t, inv, lc_noon(2025, 7, 5));
    assert_string_equal(lc_status(&t, overdue, buf, sizeof buf), "active");
    assert_string_equal(lc_due(&t, overdue, buf, sizeof buf), "2025-08-01");

    inv = lc_renewal(&t, held, "2025-07-01");
    lc_pay(&t, inv, lc_noon(2025, 7, 5));
    assert_string_equal(lc_status(&t, held, buf, sizeof buf), "suspended");
    assert_string_equal(lc_due(&t, held, buf, sizeof buf), "2025-08-01");
    /* Paid up, the scheduler leaves both alone. */
    lc_run(&t, lc_noon(2025, 7, 6));
    assert_string_equal(lc_status(&t, overdue, buf, sizeof buf), "active");
}

/* One-time services are never renewed, and their renewal is refused. */
static void test_one_time_never_renews(void **state)
{
    int64_t now = lc_noon(2025, 6, 1), svc;
    char buf[32];
    struct lc_resp r;

    lc_exec(&t, "INSERT INTO product_cycles(product_id, cycle, months, price)"
                " SELECT id, 'one_time', 1, 4999 FROM products WHERE slug = 'mc-dirt'");
    svc = lc_service(&t, DEMO_USER, "mc-dirt", "one_time", now);
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "");
    for (int m = 1; m <= 3; m++)
        lc_run(&t, now + (int64_t)m * 31 * DAY);
    assert_int_equal(lc_renewals(&t, svc), 0);
    assert_string_equal(lc_status(&t, svc, buf, sizeof buf), "active");
    renew(svc, "one-time", &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "invalid_status");
    lc_resp_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_invoice_one_advance),
        cmocka_unit_test(test_racing_renewals),
        cmocka_unit_test(test_renewal_price_and_coupon),
        cmocka_unit_test(test_renewal_with_disabled_coupon),
        cmocka_unit_test(test_renewal_outlives_the_catalog),
        cmocka_unit_test(test_payment_lifts_only_overdue_suspension),
        cmocka_unit_test(test_one_time_never_renews),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
