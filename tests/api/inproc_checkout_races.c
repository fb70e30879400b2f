/* inproc_checkout_races.c: the money path under concurrency: 200 checkouts of 10 units sell
 * exactly 10; 100 retries of one checkout make one order, one invoice, one charge; concurrent
 * spends never take credit below zero; concurrent checkouts never use a coupon past max_uses. */
#include "inproc_commerce.h"

#define BUYERS 200
#define STOCK  10
#define IRON   "{\"product_id\":3,\"cycle\":\"monthly\"}"
#define TS3    "{\"product_id\":16,\"cycle\":\"monthly\"}" /* 199 + VAT 40 = 239 */

static struct cx server;
static char tokens[BUYERS][128];

/* Everyone starts together. */
static pthread_barrier_t start;

struct attempt {
    const char *token;
    struct cx_checkout req;
    const char *path;
    long status;
    char code[48];
    int64_t order_id;
    bool valid;
};

/* One checkout, retried with the same Idempotency-Key while no answer comes back (a client
 * would do the same after a dropped connection; the key makes it safe). */
static void *attempt_run(void *arg)
{
    struct attempt *a = arg;
    struct cx_resp r;

    pthread_barrier_wait(&start);
    for (int tries = 0; tries < 50; tries++) {
        if (cx_http(&server, "POST", a->path, a->token, a->req.headers, a->req.body, &r))
            break;
        cx_resp_clear(&r);
        usleep(20 * 1000);
    }
    a->status = r.status;
    a->valid = r.valid;
    snprintf(a->code, sizeof a->code, "%s", cx_error(&r));
    a->order_id = cx_num(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "order"), "id");
    if (!a->order_id)
        a->order_id = cx_num(cx_data(&r), "id");
    cx_resp_clear(&r);
    return NULL;
}

/* Runs the attempts at once; returns when all have an answer. */
static void run_all(struct attempt *a, size_t n)
{
    pthread_t *threads = calloc(n, sizeof *threads);

    assert_non_null(threads);
    assert_int_equal(pthread_barrier_init(&start, NULL, (unsigned)n), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, attempt_run, &a[i]), 0);
    for (size_t i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
    free(threads);
    for (size_t i = 0; i < n; i++)
        assert_true(a[i].valid);
}

static int setup(void **state)
{
    char email[64];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    cx_start(&server, BUYERS, 0);
    for (int i = 0; i < BUYERS; i++) {
        snprintf(email, sizeof email, "customer%d@example.com", i + 1);
        cx_login(&server, email, "password", tokens[i]);
    }
    return 0;
}

static int teardown(void **state)
{
    cx_stop(&server);
    curl_global_cleanup();
    return 0;
}

static void test_two_hundred_checkouts_of_ten_units(void **state)
{
    struct attempt *a = calloc(BUYERS, sizeof *a);
    int sold = 0, refused = 0;
    char key[32];

    assert_non_null(a);
    cx_exec(&server, "UPDATE products SET stock_limited = 1, stock_available = 10 WHERE id = 3");
    for (int i = 0; i < BUYERS; i++) {
        int64_t total = 0,
                v = (cx_add(&server, tokens[i], IRON), cx_cart(&server, tokens[i], &total));

        snprintf(key, sizeof key, "stock-%d", i);
        a[i].token = tokens[i];
        a[i].path = "/api/v1/billing/checkout";
        cx_checkout_prepare(&a[i].req, v, total, "stripe", false, key);
    }
    run_all(a, BUYERS);
    for (int i = 0; i < BUYERS; i++) {
        if (a[i].status == 201)
            sold++;
        else if (a[i].status == 409 && strcmp(a[i].code, "out_of_stock") == 0)
            refused++;
        else
            fprintf(stderr, "buyer %d: %ld %s\n", i, a[i].status, a[i].code);
    }
    assert_int_equal(sold, STOCK);
    assert_int_equal(refused, BUYERS - STOCK);
    assert_int_equal(cx_int(&server, "SELECT stock_available FROM products WHERE id = 3"), 0);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM orders"), STOCK);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM invoices WHERE kind = 'order'"), STOCK);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM services WHERE product_id = 3"), STOCK);
    /* The refused kept their carts; the buyers' are empty. */
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM cart_items"), BUYERS - STOCK);
    free(a);
    /* The next tests start from empty carts. */
    cx_exec(&server, "DELETE FROM cart_items; UPDATE carts SET version = version + 1");
}

static void test_a_hundred_retries_make_one_order(void **state)
{
    struct attempt a[100];
    int64_t user = cx_user(&server, 1), total = 0, v, orders_before, ledger_before;

    memset(a, 0, sizeof a);
    cx_credit(&server, user, 5000);
    v = (cx_add(&server, tokens[0], TS3), cx_cart(&server, tokens[0], &total));
    orders_before = cx_int(&server, "SELECT count(*) FROM orders");
    ledger_before = cx_int(&server, "SELECT count(*) FROM credit_ledger");
    for (int i = 0; i < 100; i++) {
        a[i].token = tokens[0];
        a[i].path = "/api/v1/billing/checkout";
        cx_checkout_prepare(&a[i].req, v, total, "credits", false, "one-key");
    }
    run_all(a, 100);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(a[i].status, 201);
        assert_int_equal(a[i].order_id, a[0].order_id);
    }
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM orders"), orders_before + 1);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM credit_ledger"), ledger_before + 1);
    assert_int_equal(cx_int(&server, "SELECT credit_balance FROM users WHERE email ="
                                     " 'customer1@example.com'"),
                     5000 - 239);
    {
        char sql[160];

        snprintf(sql, sizeof sql, "SELECT count(*) FROM invoices WHERE order_id = %lld",
                 (long long)a[0].order_id);
        assert_int_equal(cx_int(&server, sql), 1);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM payments p JOIN orders o ON o.invoice_id = p.invoice_id"
                 " WHERE o.id = %lld",
                 (long long)a[0].order_id);
        assert_int_equal(cx_int(&server, sql), 1);
    }
    /* The same key with another body is refused, and changes nothing. */
    {
        struct cx_checkout other;
        struct cx_resp r;

        cx_checkout_prepare(&other, v, total, "stripe", false, "one-key");
        assert_int_equal(cx_call(&server, "POST", "/api/v1/billing/checkout", tokens[0],
                                 other.headers, other.body, &r),
                         409);
        assert_string_equal(cx_error(&r), "idempotency_key_reused");
        cx_resp_clear(&r);
        assert_int_equal(cx_int(&server, "SELECT count(*) FROM orders"), orders_before + 1);
    }
}

static void test_concurrent_spends_never_go_below_zero(void **state)
{
    struct attempt a[12];
    int64_t user = cx_user(&server, 2), invoices[12];
    char paths[12][64], keys[12][32];
    int paid = 0, short_of_credit = 0;

    memset(a, 0, sizeof a);
    /* Twelve unpaid invoices of 239 each... */
    for (int i = 0; i < 12; i++) {
        struct cx_checkout c;
        struct cx_resp r;
        int64_t total = 0,
                v = (cx_add(&server, tokens[1], TS3), cx_cart(&server, tokens[1], &total));

        snprintf(keys[i], sizeof keys[i], "unpaid-%d", i);
        cx_checkout_prepare(&c, v, total, "stripe", false, keys[i]);
        assert_int_equal(
            cx_call(&server, "POST", "/api/v1/billing/checkout", tokens[1], c.headers, c.body, &r),
            201);
        invoices[i] = cx_num(cJSON_GetObjectItemCaseSensitive(cx_data(&r), "invoice"), "id");
        cx_resp_clear(&r);
    }
    /* ...and credit for four of them, all spent at once. */
    cx_credit(&server, user, 4 * 239 + 50);
    for (int i = 0; i < 12; i++) {
        snprintf(paths[i], sizeof paths[i], "/api/v1/billing/invoices/%lld/payments",
                 (long long)invoices[i]);
        snprintf(keys[i], sizeof keys[i], "spend-%d", i);
        a[i].token = tokens[1];
        a[i].path = paths[i];
        snprintf(a[i].req.key, sizeof a[i].req.key, "Idempotency-Key: %s", keys[i]);
        snprintf(a[i].req.body, sizeof a[i].req.body, "{\"payment_method\":\"credits\"}");
        a[i].req.headers[0] = a[i].req.key;
    }
    run_all(a, 12);
    for (int i = 0; i < 12; i++) {
        if (a[i].status == 201)
            paid++;
        else if (a[i].status == 402 && strcmp(a[i].code, "insufficient_credits") == 0)
            short_of_credit++;
    }
    assert_int_equal(paid, 4);
    assert_int_equal(short_of_credit, 8);
    assert_int_equal(cx_int(&server, "SELECT credit_balance FROM users WHERE email ="
                                     " 'customer2@example.com'"),
                     50);
    /* The balance is what the ledger adds up to, and no row ever went below zero. */
    assert_int_equal(cx_int(&server,
                            "SELECT sum(amount) FROM credit_ledger WHERE user_id ="
                            " (SELECT id FROM users WHERE email = 'customer2@example.com')"),
                     50);
    assert_int_equal(cx_int(&server, "SELECT min(balance_after) >= 0 FROM credit_ledger"), 1);
}

static void test_concurrent_checkouts_never_pass_max_uses(void **state)
{
    enum { TAKERS = 30, USES = 5 };
    struct attempt a[TAKERS];
    int ok = 0, exhausted = 0;
    char key[32];

    memset(a, 0, sizeof a);
    cx_exec(&server, "INSERT INTO coupons(code, type, percent_bps, duration, max_uses, created_at)"
                     " VALUES ('RACE5', 'percent', 1000, 'once', 5, 0)");
    for (int i = 0; i < TAKERS; i++) {
        const char *token = tokens[100 + i];
        struct cx_resp r;
        int64_t total = 0, v;

        cx_add(&server, token, TS3);
        assert_int_equal(cx_call(&server, "PUT", "/api/v1/billing/cart/coupon", token, NULL,
                                 "{\"code\":\"RACE5\"}", &r),
                         200);
        cx_resp_clear(&r);
        v = cx_cart(&server, token, &total);
        snprintf(key, sizeof key, "race-%d", i);
        a[i].token = token;
        a[i].path = "/api/v1/billing/checkout";
        cx_checkout_prepare(&a[i].req, v, total, "stripe", false, key);
    }
    run_all(a, TAKERS);
    for (int i = 0; i < TAKERS; i++) {
        if (a[i].status == 201)
            ok++;
        else if (a[i].status == 422 && strcmp(a[i].code, "coupon_exhausted") == 0)
            exhausted++;
    }
    assert_int_equal(ok, USES);
    assert_int_equal(exhausted, TAKERS - USES);
    assert_int_equal(cx_int(&server, "SELECT uses FROM coupons WHERE code = 'RACE5'"), USES);
    assert_int_equal(cx_int(&server, "SELECT count(*) FROM coupon_redemptions r JOIN coupons c"
                                     " ON c.id = r.coupon_id WHERE c.code = 'RACE5'"),
                     USES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_hundred_checkouts_of_ten_units),
        cmocka_unit_test(test_a_hundred_retries_make_one_order),
        cmocka_unit_test(test_concurrent_spends_never_go_below_zero),
        cmocka_unit_test(test_concurrent_checkouts_never_pass_max_uses),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
