/* inproc_plan_change_races.c: plan changes under concurrency and retries: two changes of one
 * service at once make one (the other 409 change_pending); a retried change replays and makes
 * one invoice; two services racing for the last unit of a product get one; every refusal of
 * the change endpoints; paying with credits applies the change; withdrawing voids the invoice;
 * an operator's reversal puts the old plan back and is audited. */
#include <pthread.h>

#include "inproc_lifecycle.h"

#include "billing/ledger.h"

#define DEMO_USER 1

static struct lc t;
static char token[128], admin[128];
static pthread_barrier_t start;

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    lc_start(&t, lc_noon(2025, 3, 10));
    lc_exec(&t, "UPDATE settings SET value = '1' WHERE key = 'tax_enabled'");
    lc_login(&t, "demo@example.com", "demo", token);
    lc_login(&t, "admin@example.com", "admin", admin);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lc_stop(&t);
    curl_global_cleanup();
    return 0;
}

static void change(const char *method, const char *path, const char *key, const char *body,
                   struct lc_resp *r)
{
    char idem[96];
    const char *headers[] = {"Content-Type: application/json", idem, NULL};

    snprintf(idem, sizeof idem, "Idempotency-Key: %s", key ? key : "");
    if (!key)
        headers[1] = NULL;
    lc_call(&t, method, path, token, headers, body, r);
}

static int64_t slug_id(const char *slug)
{
    char sql[128];

    snprintf(sql, sizeof sql, "SELECT id FROM products WHERE slug = '%s' AND ?1 = ?1", slug);
    return lc_int(&t, sql, 0);
}

/* A Flex Memory service with its memory on record, as checkout leaves it. */
static int64_t flex_service(int64_t now)
{
    int64_t svc = lc_service(&t, DEMO_USER, "mc-flex", "monthly", now);
    char sql[160];

    snprintf(sql, sizeof sql,
             "UPDATE services SET options = '{\"memory_mb\":4096}', recurring_amount = 1000"
             " WHERE id = %lld",
             (long long)svc);
    lc_exec(&t, sql);
    return svc;
}

/* The quote's total for `target` on service `svc`. */
static int64_t quote_total(int64_t svc, const char *target)
{
    char path[96];
    struct lc_resp r;
    int64_t total;

    snprintf(path, sizeof path, "/billing/services/%lld/change-quote", (long long)svc);
    change("POST", path, NULL, target, &r);
    assert_int_equal(r.status, 200);
    total = lc_num(cJSON_GetObjectItem(lc_data(&r), "total"), "amount");
    lc_resp_clear(&r);
    return total;
}

/* A change request sent from a thread: plain curl (the checker is for the main thread). */
struct attempt {
    char path[96], body[256], key[48];
    long status;
    char answer[4096];
};

static size_t attempt_body(char *data, size_t size, size_t n, void *user)
{
    struct attempt *a = user;
    size_t have = strlen(a->answer), len = size * n;

    if (have + len < sizeof a->answer)
        memcpy(a->answer + have, data, len), a->answer[have + len] = '\0';
    return len;
}

static void *attempt_run(void *arg)
{
    struct attempt *a = arg;
    CURL *c = curl_easy_init();
    struct curl_slist *hl = NULL;
    char url[256], auth[192], idem[96];

    snprintf(url, sizeof url, "%s%s", t.base, a->path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", a->key);
    hl = curl_slist_append(hl, auth);
    hl = curl_slist_append(hl, idem);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, a->body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, attempt_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, a);
    pthread_barrier_wait(&start);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return NULL;
}

static void run_together(struct attempt *a, int n)
{
    pthread_t th[8];

    assert_int_equal(pthread_barrier_init(&start, NULL, (unsigned)n), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&th[i], NULL, attempt_run, &a[i]), 0);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
}

static void test_two_changes_at_once_make_one(void **state)
{
    int64_t svc = flex_service(lc_noon(2025, 3, 1));
    struct attempt a[2] = {0};
    int created = 0, pending = 0;

    (void)state;
    for (int i = 0; i < 2; i++) {
        const char *target =
            i ? "{\"options\":{\"memory_mb\":16384}}" : "{\"options\":{\"memory_mb\":8192}}";
        int64_t total = quote_total(svc, target);

        snprintf(a[i].path, sizeof a[i].path, "/billing/services/%lld/changes", (long long)svc);
        snprintf(a[i].body, sizeof a[i].body,
                 "{\"options\":{\"memory_mb\":%d},\"expected_total\":{\"amount\":%lld,"
                 "\"currency\":\"USD\"}}",
                 i ? 16384 : 8192, (long long)total);
        snprintf(a[i].key, sizeof a[i].key, "race-%d", i);
    }
    run_together(a, 2);
    for (int i = 0; i < 2; i++) {
        created += a[i].status == 201;
        pending += a[i].status == 409 && strstr(a[i].answer, "\"change_pending\"") != NULL;
    }
    assert_int_equal(created, 1);
    assert_int_equal(pending, 1);
    assert_int_equal(lc_int(&t, "SELECT count(*) FROM plan_changes WHERE service_id = ?1", svc), 1);
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM invoices WHERE kind = 'change' AND"
                            " service_id = ?1",
                            svc),
                     1);
}

static void test_retry_replays_one_invoice(void **state)
{
    int64_t svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", lc_noon(2025, 3, 2));
    int64_t diamond = slug_id("mc-diamond"), gold = slug_id("mc-gold"), total, first;
    char path[96], body[160], other[160], target[64], replayed[16];
    struct lc_resp r;

    (void)state;
    snprintf(target, sizeof target, "{\"product_id\":%lld}", (long long)diamond);
    total = quote_total(svc, target);
    assert_true(total > 0);
    snprintf(path, sizeof path, "/billing/services/%lld/changes", (long long)svc);
    snprintf(body, sizeof body,
             "{\"product_id\":%lld,\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
             (long long)diamond, (long long)total);
    snprintf(other, sizeof other,
             "{\"product_id\":%lld,\"expected_total\":{\"amount\":1,\"currency\":\"USD\"}}",
             (long long)gold);
    change("POST", path, "retry-1", body, &r);
    assert_int_equal(r.status, 201);
    first = lc_num(cJSON_GetObjectItem(lc_data(&r), "change"), "id");
    assert_int_equal(
        lc_num(cJSON_GetObjectItem(
                   cJSON_GetObjectItem(cJSON_GetObjectItem(lc_data(&r), "invoice"), "totals"),
                   "total"),
               "amount"),
        total);
    lc_resp_clear(&r);
    for (int i = 0; i < 3; i++) {
        change("POST", path, "retry-1", body, &r);
        assert_int_equal(r.status, 201);
        assert_int_equal(lc_header(&r, "Idempotent-Replayed", replayed, sizeof replayed), 0);
        assert_int_equal(lc_num(cJSON_GetObjectItem(lc_data(&r), "change"), "id"), first);
        lc_resp_clear(&r);
    }
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM invoices WHERE kind = 'change' AND"
                            " service_id = ?1",
                            svc),
                     1);
    assert_int_equal(lc_int(&t,
                            "SELECT total FROM invoices WHERE kind = 'change' AND"
                            " service_id = ?1",
                            svc),
                     total);
    /* The same key with another body is refused; another key meets the waiting change. */
    change("POST", path, "retry-1", other, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "idempotency_key_reused");
    lc_resp_clear(&r);
    change("POST", path, "retry-2", body, &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "change_pending");
    lc_resp_clear(&r);
}

static void test_last_unit_goes_to_one(void **state)
{
    int64_t netherite = slug_id("mc-netherite");
    int64_t s1 = lc_service(&t, DEMO_USER, "mc-iron", "monthly", lc_noon(2025, 3, 3));
    int64_t s2 = lc_service(&t, DEMO_USER, "mc-iron", "monthly", lc_noon(2025, 3, 3));
    struct attempt a[2] = {0};
    char target[64];
    int created = 0, out = 0;

    (void)state;
    lc_exec(&t, "UPDATE products SET stock_available = 1 WHERE slug = 'mc-netherite'");
    snprintf(target, sizeof target, "{\"product_id\":%lld}", (long long)netherite);
    for (int i = 0; i < 2; i++) {
        int64_t svc = i ? s2 : s1;

        snprintf(a[i].path, sizeof a[i].path, "/billing/services/%lld/changes", (long long)svc);
        snprintf(a[i].body, sizeof a[i].body,
                 "{\"product_id\":%lld,\"expected_total\":{\"amount\":%lld,\"currency\":"
                 "\"USD\"}}",
                 (long long)netherite, (long long)quote_total(svc, target));
        snprintf(a[i].key, sizeof a[i].key, "stock-%d", i);
    }
    run_together(a, 2);
    for (int i = 0; i < 2; i++) {
        created += a[i].status == 201;
        out += a[i].status == 409 && strstr(a[i].answer, "\"out_of_stock\"") != NULL;
    }
    assert_int_equal(created, 1);
    assert_int_equal(out, 1);
    assert_int_equal(lc_int(&t, "SELECT stock_available FROM products WHERE id = ?1", netherite),
                     0);
}

static void test_refusals(void **state)
{
    int64_t svc = flex_service(lc_noon(2025, 3, 4));
    char path[96], quote[96], voice[64];
    struct lc_resp r;

    (void)state;
    snprintf(voice, sizeof voice, "{\"product_id\":%lld}", (long long)slug_id("ts3-10"));
    snprintf(path, sizeof path, "/billing/services/%lld/changes", (long long)svc);
    snprintf(quote, sizeof quote, "/billing/services/%lld/change-quote", (long long)svc);
    change("POST", path, NULL, "{\"cycle\":\"annual\"}", &r);
    assert_int_equal(r.status, 400);
    assert_string_equal(lc_error(&r), "idempotency_key_required");
    lc_resp_clear(&r);
    change("POST", path, "bad-1", "{\"cycle\":\"annual\"}", &r);
    assert_int_equal(r.status, 422);
    assert_string_equal(lc_detail(&r, "expected_total"), "is required");
    lc_resp_clear(&r);
    change("POST", path, "bad-2",
           "{\"options\":{\"memory_mb\":8192},\"expected_total\":{\"amount\":1,\"currency\":"
           "\"USD\"}}",
           &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "price_changed");
    lc_resp_clear(&r);
    change("POST", quote, NULL, "{\"options\":{\"memory_mb\":1000}}", &r);
    assert_int_equal(r.status, 422);
    assert_true(strstr(lc_detail(&r, "options.memory_mb"), "multiple of") != NULL);
    lc_resp_clear(&r);
    change("POST", quote, NULL, voice, &r); /* another category */
    assert_int_equal(r.status, 422);
    lc_resp_clear(&r);
    change("POST", quote, NULL, "{\"cycle\":\"monthly\"}", &r); /* the plan it has */
    assert_int_equal(r.status, 422);
    lc_resp_clear(&r);
    change("POST", quote, NULL, "{}", &r);
    assert_int_equal(r.status, 422);
    lc_resp_clear(&r);
    change("POST", "/billing/services/999999/change-quote", NULL, "{\"cycle\":\"annual\"}", &r);
    assert_int_equal(r.status, 404);
    lc_resp_clear(&r);
    lc_exec(&t, "UPDATE services SET status = 'suspended' WHERE id = (SELECT max(id) FROM"
                " services)");
    change("POST", quote, NULL, "{\"cycle\":\"annual\"}", &r);
    assert_int_equal(r.status, 409);
    assert_string_equal(lc_error(&r), "invalid_status");
    lc_resp_clear(&r);
}

/* Paid with credits, the change applies; the renewal bills the new price; an operator puts the
 * old plan back, audited. Then a withdrawn upgrade leaves its invoice cancelled. */
static void test_credits_pay_withdraw_and_reverse(void **state)
{
    int64_t svc = flex_service(lc_noon(2025, 3, 10));
    int64_t total, change_id, invoice;
    char path[128], body[192];
    struct lc_resp r;
    sqlite3 *conn;

    (void)state;
    conn = lc_db(&t);
    assert_int_equal(db_begin(conn), 0);
    assert_int_equal(ledger_post(conn, DEMO_USER, "adjustment", 100000, "test", 0, 0,
                                 lc_noon(2025, 3, 10), NULL),
                     API_OK);
    assert_int_equal(db_commit(conn), 0);
    lc_db_done(&t);
    billingd_set_clock(t.d, lc_noon(2025, 3, 20));
    total = quote_total(svc, "{\"options\":{\"memory_mb\":8192}}");
    snprintf(path, sizeof path, "/billing/services/%lld/changes", (long long)svc);
    snprintf(body, sizeof body,
             "{\"options\":{\"memory_mb\":8192},\"expected_total\":{\"amount\":%lld,\"currency\":"
             "\"USD\"}}",
             (long long)total);
    change("POST", path, "credits-1", body, &r);
    assert_int_equal(r.status, 201);
    change_id = lc_num(cJSON_GetObjectItem(lc_data(&r), "change"), "id");
    invoice = lc_num(cJSON_GetObjectItem(lc_data(&r), "invoice"), "id");
    lc_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/invoices/%lld/payments", (long long)invoice);
    change("POST", path, "pay-1", "{\"payment_method\":\"credits\"}", &r);
    assert_int_equal(r.status, 201);
    lc_resp_clear(&r);
    assert_int_equal(
        lc_int(&t, "SELECT status = 'applied' FROM plan_changes WHERE id = ?1", change_id), 1);
    assert_string_equal(
        lc_text(&t, "SELECT options FROM services WHERE id = ?1", svc, body, sizeof body),
        "{\"memory_mb\":8192}");
    assert_int_equal(lc_int(&t, "SELECT recurring_amount FROM services WHERE id = ?1", svc),
                     100 + 8 * 225);
    lc_run(&t, lc_noon(2025, 4, 4));
    assert_int_equal(lc_int(&t,
                            "SELECT subtotal FROM invoices WHERE kind = 'renewal' AND"
                            " service_id = ?1",
                            svc),
                     100 + 8 * 225);
    /* The operator's view and reversal. */
    snprintf(path, sizeof path, "/admin/services/%lld/changes", (long long)svc);
    lc_call(&t, "GET", path, admin, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(lc_data(&r)), 1);
    lc_resp_clear(&r);
    snprintf(path, sizeof path, "/admin/services/%lld/changes/%lld/reversal", (long long)svc,
             (long long)change_id);
    lc_call(&t, "POST", path, admin, (const char *const[]){"Content-Type: application/json", NULL},
            "{\"reason\":\"Asked for the old plan back.\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(lc_str(lc_data(&r), "status"), "reversed");
    lc_resp_clear(&r);
    assert_int_equal(lc_int(&t, "SELECT recurring_amount FROM services WHERE id = ?1", svc),
                     100 + 4 * 225);
    assert_int_equal(lc_int(&t,
                            "SELECT subtotal FROM invoices WHERE kind = 'renewal' AND"
                            " service_id = ?1",
                            svc),
                     100 + 4 * 225);
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM audit_log WHERE action ="
                            " 'service.plan_change_reverse' AND target_id = ?1",
                            svc),
                     1);
    /* An upgrade withdrawn before it is paid: its invoice is cancelled, nothing changes. */
    total = quote_total(svc, "{\"cycle\":\"annual\"}");
    snprintf(path, sizeof path, "/billing/services/%lld/changes", (long long)svc);
    snprintf(body, sizeof body,
             "{\"cycle\":\"annual\",\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
             (long long)total);
    change("POST", path, "withdraw-1", body, &r);
    assert_int_equal(r.status, 201);
    change_id = lc_num(cJSON_GetObjectItem(lc_data(&r), "change"), "id");
    invoice = lc_num(cJSON_GetObjectItem(lc_data(&r), "invoice"), "id");
    lc_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/services/%lld/changes/%lld", (long long)svc,
             (long long)change_id);
    lc_call(&t, "DELETE", path, token, NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    lc_resp_clear(&r);
    lc_call(&t, "DELETE", path, token, NULL, NULL, &r);
    assert_int_equal(r.status, 409);
    lc_resp_clear(&r);
    assert_int_equal(lc_int(&t, "SELECT status = 'cancelled' FROM invoices WHERE id = ?1", invoice),
                     1);
    assert_string_equal(
        lc_text(&t, "SELECT cycle FROM services WHERE id = ?1", svc, body, sizeof body), "monthly");
}

/* An upgrade paid only after the renewal of the next period was paid can no longer apply to the
 * period it was priced for: it is withdrawn and its money goes to the balance. */
static void test_upgrade_paid_too_late(void **state)
{
    int64_t svc = flex_service(lc_noon(2025, 5, 1)), total, invoice, balance;
    char path[96], body[192];
    struct lc_resp r;

    (void)state;
    billingd_set_clock(t.d, lc_noon(2025, 5, 10));
    total = quote_total(svc, "{\"options\":{\"memory_mb\":6144}}");
    snprintf(path, sizeof path, "/billing/services/%lld/changes", (long long)svc);
    snprintf(body, sizeof body,
             "{\"options\":{\"memory_mb\":6144},\"expected_total\":{\"amount\":%lld,\"currency\":"
             "\"USD\"}}",
             (long long)total);
    change("POST", path, "late-1", body, &r);
    assert_int_equal(r.status, 201);
    invoice = lc_num(cJSON_GetObjectItem(lc_data(&r), "invoice"), "id");
    lc_resp_clear(&r);
    lc_run(&t, lc_noon(2025, 5, 26));
    lc_pay(&t, lc_renewal(&t, svc, "2025-06-01"), lc_noon(2025, 5, 26));
    balance = lc_int(&t, "SELECT credit_balance FROM users WHERE id = ?1", DEMO_USER);
    lc_pay(&t, invoice, lc_noon(2025, 5, 27));
    assert_int_equal(lc_int(&t, "SELECT credit_balance FROM users WHERE id = ?1", DEMO_USER),
                     balance + total);
    assert_int_equal(
        lc_int(&t, "SELECT status = 'cancelled' FROM plan_changes WHERE invoice_id = ?1", invoice),
        1);
    assert_int_equal(lc_int(&t, "SELECT recurring_amount FROM services WHERE id = ?1", svc), 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_changes_at_once_make_one),
        cmocka_unit_test(test_retry_replays_one_invoice),
        cmocka_unit_test(test_last_unit_goes_to_one),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_credits_pay_withdraw_and_reverse),
        cmocka_unit_test(test_upgrade_paid_too_late),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
