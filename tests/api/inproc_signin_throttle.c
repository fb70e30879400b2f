/* inproc_signin_throttle.c: sign-in under attack. Wrong passwords bring growing delays (429 with
 * Retry-After) that refuse even the right password until they pass (the clock is advanced, not
 * slept); a flood of sign-ins for made-up e-mails leaves a real one answered in bounded time;
 * X-Forwarded-For counts only from a trusted proxy, and then keeps customers' limits (sign-in
 * and coupons) apart. */
#include <sys/time.h>

#include "inproc_commerce.h"

#include "billing/auth.h"
#include "billing/login_guard.h"
#include "billing/peer.h"

#define T0     1780000000 /* a fixed "now" (2026) */
#define IRON   "{\"product_id\":3,\"cycle\":\"monthly\"}"
#define FLOOD  96
#define EXTRA  24 /* seeded accounts beyond the ones named below */
#define BUSY_S 2  /* LOGIN_BUSY_RETRY */

/* A fresh server with test accounts, its clock fixed at T0; `trust` makes loopback a trusted
 * proxy (as settd's embedded server does). */
static void start(struct cx *t, bool trust)
{
    static const char *const loopback[] = {"127.0.0.1", "::1"};
    struct billingd_config cfg = {.port = 0,
                                  .quiet = true,
                                  .scheduler_interval = -1,
                                  .seed_users = 8 + EXTRA,
                                  .demo = true,
                                  .trusted_proxies = trust ? loopback : NULL,
                                  .n_trusted_proxies = trust ? 2 : 0};
    char db[128], err[256];

    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sett-throttle-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(db, sizeof db, "%s/billing.db", t->dir);
    cfg.db_path = db;
    if (billingd_start(&cfg, &t->d, err, sizeof err) != 0)
        fail_msg("billingd_start: %s", err);
    billingd_set_clock(t->d, T0);
    snprintf(t->base, sizeof t->base, "http://127.0.0.1:%u", (unsigned)billingd_port(t->d));
}

/* One sign-in, optionally "from" an address (X-Forwarded-For); the status. */
static long login(struct cx *t, const char *email, const char *password, const char *from,
                  struct cx_resp *r)
{
    char body[256], xff[96];
    const char *headers[2] = {NULL, NULL};

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    if (from) {
        snprintf(xff, sizeof xff, "X-Forwarded-For: %s", from);
        headers[0] = xff;
    }
    return cx_call(t, "POST", "/api/v1/auth/login", NULL, headers, body, r);
}

static long login_status(struct cx *t, const char *email, const char *password, const char *from)
{
    struct cx_resp r;
    long status = login(t, email, password, from, &r);

    cx_resp_clear(&r);
    return status;
}

/* The Retry-After of a 429 (or 503), checked against details.retry_after for a 429. */
static int retry_after(const struct cx_resp *r)
{
    const char *h = r->headers ? strcasestr(r->headers, "\nRetry-After:") : NULL;
    int secs;

    if (!h && r->headers && strncasecmp(r->headers, "Retry-After:", 12) == 0)
        h = r->headers - 1;
    assert_non_null(h);
    secs = atoi(h + 13);
    assert_true(secs >= 1);
    if (r->status == 429) {
        cJSON *details = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(r->json, "error"), "details");
        cJSON *list = cJSON_GetObjectItemCaseSensitive(details, "retry_after");

        assert_true(cJSON_IsArray(list));
        assert_int_equal(atoi(cJSON_GetArrayItem(list, 0)->valuestring), secs);
    }
    return secs;
}

static void test_wrong_passwords_lock_even_the_right_one(void **state)
{
    struct cx t;
    struct cx_resp r;
    int limited = 0, wait = 0;

    (void)state;
    start(&t, false);
    /* 20 wrong passwords: the first LOGIN_ACCOUNT_FREE + 1 are checked, the rest refused */
    for (int i = 0; i < 20; i++) {
        long status = login(&t, "customer1@example.com", "wrong", NULL, &r);

        if (i <= LOGIN_ACCOUNT_FREE) {
            assert_int_equal(status, 401);
        } else {
            assert_int_equal(status, 429);
            assert_string_equal(cx_error(&r), "rate_limited");
            wait = retry_after(&r);
            limited++;
        }
        cx_resp_clear(&r);
    }
    assert_int_equal(limited, 20 - LOGIN_ACCOUNT_FREE - 1);
    assert_int_equal(wait, LOGIN_DELAY_FIRST);
    /* while the delay runs, the right password is refused too */
    assert_int_equal(login(&t, "customer1@example.com", "password", NULL, &r), 429);
    assert_int_equal(retry_after(&r), wait);
    cx_resp_clear(&r);
    billingd_set_clock(t.d, T0 + wait - 1);
    assert_int_equal(login(&t, "customer1@example.com", "password", NULL, &r), 429);
    assert_int_equal(retry_after(&r), 1);
    cx_resp_clear(&r);
    /* one more failure after the delay doubles it */
    billingd_set_clock(t.d, T0 + wait);
    assert_int_equal(login_status(&t, "customer1@example.com", "wrong", NULL), 401);
    assert_int_equal(login(&t, "customer1@example.com", "password", NULL, &r), 429);
    assert_int_equal(retry_after(&r), 2 * LOGIN_DELAY_FIRST);
    cx_resp_clear(&r);
    /* once it passes, the right password signs in, and that clears the account's failures */
    billingd_set_clock(t.d, T0 + wait + 2 * LOGIN_DELAY_FIRST);
    assert_int_equal(login_status(&t, "customer1@example.com", "password", NULL), 200);
    for (int i = 0; i < LOGIN_ACCOUNT_FREE; i++)
        assert_int_equal(login_status(&t, "customer1@example.com", "wrong", NULL), 401);
    /* the other accounts were never touched */
    assert_int_equal(login_status(&t, "customer2@example.com", "password", NULL), 200);
    cx_stop(&t);
}

static void test_unknown_emails_are_throttled_too(void **state)
{
    struct cx t;
    struct cx_resp r;

    (void)state;
    start(&t, false);
    for (int i = 0; i <= LOGIN_ACCOUNT_FREE; i++)
        assert_int_equal(login_status(&t, "Nobody@Example.com", "guess", NULL), 401);
    /* the e-mail counts in any case */
    assert_int_equal(login(&t, "nobody@example.com", "guess", NULL, &r), 429);
    assert_int_equal(retry_after(&r), LOGIN_DELAY_FIRST);
    cx_resp_clear(&r);
    cx_stop(&t);
}

/* Guessing across many accounts from one address meets the address's limit. */
static void test_one_address_many_accounts(void **state)
{
    struct cx t;
    struct cx_resp r;
    char email[64];

    (void)state;
    start(&t, false);
    for (int i = 1; i <= LOGIN_ADDR_FREE + 1; i++) {
        snprintf(email, sizeof email, "customer%d@example.com", i);
        assert_int_equal(login_status(&t, email, "wrong", NULL), 401);
    }
    assert_int_equal(login(&t, "customer30@example.com", "password", NULL, &r), 429);
    assert_int_equal(retry_after(&r), LOGIN_DELAY_FIRST);
    cx_resp_clear(&r);
    cx_stop(&t);
}

/* X-Forwarded-For from a peer that is not a trusted proxy is the client's own say-so: ignored.
 */
static void test_forwarded_for_ignored_from_an_untrusted_peer(void **state)
{
    struct cx t;
    char email[64], from[32];

    (void)state;
    start(&t, false);
    for (int i = 1; i <= LOGIN_ADDR_FREE + 1; i++) {
        snprintf(email, sizeof email, "customer%d@example.com", i);
        snprintf(from, sizeof from, "198.51.100.%d", i);
        assert_int_equal(login_status(&t, email, "wrong", from), 401);
    }
    assert_int_equal(login_status(&t, "customer30@example.com", "password", "203.0.113.50"), 429);
    cx_stop(&t);
}

/* From a trusted proxy it names the client: one address's failures do not lock out another. */
static void test_forwarded_for_used_from_a_trusted_proxy(void **state)
{
    struct cx t;
    char email[64];

    (void)state;
    start(&t, true);
    for (int i = 1; i <= LOGIN_ADDR_FREE + 1; i++) {
        snprintf(email, sizeof email, "customer%d@example.com", i);
        assert_int_equal(login_status(&t, email, "wrong", "198.51.100.7"), 401);
    }
    assert_int_equal(login_status(&t, "customer30@example.com", "password", "198.51.100.7"), 429);
    /* a client cannot pick its address: what it prepends is left of the proxy's own entry */
    assert_int_equal(
        login_status(&t, "customer30@example.com", "password", "203.0.113.1, 198.51.100.7"), 429);
    assert_int_equal(login_status(&t, "customer30@example.com", "password", "203.0.113.50"), 200);
    /* the proxy's own traffic (no header) is its own address */
    assert_int_equal(login_status(&t, "customer31@example.com", "password", NULL), 200);
    cx_stop(&t);
}

/* Three customers guess coupon codes behind one proxy; a fourth, at another address behind the
 * same proxy, still applies a good code. At the guessers' address, it would wait. */
static void test_coupon_limits_follow_the_forwarded_address(void **state)
{
    struct cx t;
    struct cx_resp r;
    char tokens[4][128], body[64], xff_a[64], xff_b[64];
    const char *from_a[] = {xff_a, NULL}, *from_b[] = {xff_b, NULL};

    (void)state;
    start(&t, true);
    snprintf(xff_a, sizeof xff_a, "X-Forwarded-For: 198.51.100.10");
    snprintf(xff_b, sizeof xff_b, "X-Forwarded-For: 198.51.100.20");
    for (int i = 0; i < 4; i++) {
        snprintf(body, sizeof body, "customer%d@example.com", i + 1);
        cx_login(&t, body, "password", tokens[i]);
        cx_add(&t, tokens[i], IRON);
    }
    for (int u = 0; u < 3; u++)
        for (int i = 0; i < 10; i++) {
            snprintf(body, sizeof body, "{\"code\":\"GUESS%d%d\"}", u, i);
            assert_int_equal(
                cx_call(&t, "PUT", "/api/v1/billing/cart/coupon", tokens[u], from_a, body, &r),
                422);
            cx_resp_clear(&r);
        }
    assert_int_equal(cx_call(&t, "PUT", "/api/v1/billing/cart/coupon", tokens[3], from_b,
                             "{\"code\":\"WELCOME10\"}", &r),
                     200);
    cx_resp_clear(&r);
    assert_int_equal(
        cx_call(&t, "DELETE", "/api/v1/billing/cart/coupon", tokens[3], from_b, NULL, &r) / 100, 2);
    cx_resp_clear(&r);
    assert_int_equal(cx_call(&t, "PUT", "/api/v1/billing/cart/coupon", tokens[3], from_a,
                             "{\"code\":\"WELCOME10\"}", &r),
                     429);
    assert_true(retry_after(&r) >= 1);
    cx_resp_clear(&r);
    cx_stop(&t);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct attempt {
    struct cx *t;
    char email[64], from[48];
    const char *password;
    long status;
    bool valid, has_retry;
    int64_t ms;
};

static pthread_barrier_t go;

static void *attempt_run(void *arg)
{
    struct attempt *a = arg;
    struct cx_resp r;
    char body[256], xff[96];
    const char *headers[] = {xff, NULL};
    int64_t t0;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", a->email, a->password);
    snprintf(xff, sizeof xff, "X-Forwarded-For: %s", a->from);
    pthread_barrier_wait(&go);
    t0 = now_ms();
    a->status = cx_http(a->t, "POST", "/api/v1/auth/login", NULL, headers, body, &r);
    a->ms = now_ms() - t0;
    a->valid = r.valid;
    a->has_retry = r.headers && strcasestr(r.headers, "Retry-After:");
    cx_resp_clear(&r);
    return NULL;
}

/* 96 sign-ins for made-up e-mails from 96 addresses (a botnet: no per-address limit helps) and
 * one real customer's. Each made-up one costs a full hash, so the two slots are overbooked for
 * seconds: the real sign-in is answered within the slot wait plus one check (200, or 503 with
 * Retry-After), never left queueing, and so is every attempt of the flood. */
static void test_a_flood_of_unknown_emails_does_not_hang_a_real_sign_in(void **state)
{
    struct cx t;
    struct attempt a[FLOOD + 1];
    pthread_t threads[FLOOD + 1];
    int busy = 0;
    /* the slot wait, the real check, and room for a loaded 2-core machine */
    const int64_t bound_ms = AUTH_PWHASH_WAIT_MS + 3000;

    (void)state;
    start(&t, true);
    memset(a, 0, sizeof a);
    for (int i = 0; i <= FLOOD; i++) {
        a[i].t = &t;
        if (i < FLOOD) {
            snprintf(a[i].email, sizeof a[i].email, "made-up-%d@example.net", i);
            snprintf(a[i].from, sizeof a[i].from, "198.51.%d.%d", 100 + i / 200, i % 200 + 1);
            a[i].password = "guess";
        } else {
            snprintf(a[i].email, sizeof a[i].email, "customer1@example.com");
            snprintf(a[i].from, sizeof a[i].from, "203.0.113.77");
            a[i].password = "password";
        }
    }
    assert_int_equal(pthread_barrier_init(&go, NULL, FLOOD + 1), 0);
    for (int i = 0; i <= FLOOD; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, attempt_run, &a[i]), 0);
    for (int i = 0; i <= FLOOD; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&go);
    for (int i = 0; i <= FLOOD; i++) {
        if (!a[i].valid || a[i].ms > bound_ms)
            fail_msg("%s answered %ld in %lld ms (bound %lld ms)%s", a[i].email, a[i].status,
                     (long long)a[i].ms, (long long)bound_ms,
                     a[i].valid ? "" : ", outside the contract");
        if (a[i].status == 503) {
            assert_true(a[i].has_retry);
            busy++;
        } else {
            assert_int_equal(a[i].status, i < FLOOD ? 401 : 200);
        }
    }
    fprintf(stderr, "flood of %d: %d answered 503; the real sign-in %ld in %lld ms\n", FLOOD,
            busy - (a[FLOOD].status == 503), a[FLOOD].status, (long long)a[FLOOD].ms);
    /* 96 full-cost checks on two slots take longer than the wait: some were sent away */
    assert_true(busy > 0);
    /* a busy answer checked nothing and counted nothing: the real customer signs in now */
    assert_int_equal(login_status(&t, "customer1@example.com", "password", "203.0.113.77"), 200);
    cx_stop(&t);
}

/* Runs the attempts together (all released at once); returns when all have an answer. */
static void run_together(struct attempt *a, int n)
{
    pthread_t threads[64];

    assert_true(n <= 64);
    assert_int_equal(pthread_barrier_init(&go, NULL, (unsigned)n), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, attempt_run, &a[i]), 0);
    for (int i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&go);
}

/* 30 guesses at one account sent at once are let in together, but each waits for a hashing
 * slot and is asked again there: only the free ones and what the two slots already held get
 * checked. 30 customers signing in at once to one shared account (a kiosk's guest account)
 * from one address trip nothing: successes never count. */
static void test_parallel_guesses_and_parallel_customers(void **state)
{
    struct cx t;
    struct attempt a[30];
    int checked = 0;

    (void)state;
    start(&t, true);
    memset(a, 0, sizeof a);
    for (int i = 0; i < 30; i++) {
        a[i].t = &t;
        snprintf(a[i].email, sizeof a[i].email, "customer3@example.com");
        snprintf(a[i].from, sizeof a[i].from, "198.51.100.%d", i + 1);
        a[i].password = "wrong";
    }
    run_together(a, 30);
    for (int i = 0; i < 30; i++) {
        assert_true(a[i].valid);
        assert_true(a[i].status == 401 || a[i].status == 429 || a[i].status == 503);
        checked += a[i].status == 401;
        if (a[i].status != 401)
            assert_true(a[i].has_retry);
    }
    fprintf(stderr, "30 parallel guesses at one account: %d checked\n", checked);
    assert_true(checked >= 1 && checked <= LOGIN_ACCOUNT_FREE + 1 + AUTH_PWHASH_SLOTS);

    memset(a, 0, sizeof a);
    for (int i = 0; i < 30; i++) {
        a[i].t = &t;
        snprintf(a[i].email, sizeof a[i].email, "customer4@example.com");
        snprintf(a[i].from, sizeof a[i].from, "203.0.113.9");
        a[i].password = "password";
    }
    run_together(a, 30);
    for (int i = 0; i < 30; i++) {
        assert_true(a[i].valid);
        assert_true(a[i].status == 200 || a[i].status == 503);
    }
    cx_stop(&t);
}

/* The walk over proxy headers, without a server. */
static void test_client_address_rules(void **state)
{
    struct peer_net nets[3];
    char out[PEER_ADDR_CHARS], key[64];

    (void)state;
    assert_int_equal(peer_net_parse("127.0.0.1", &nets[0]), 0);
    assert_int_equal(peer_net_parse("10.0.0.0/8", &nets[1]), 0);
    assert_int_equal(peer_net_parse("fd00::/8", &nets[2]), 0);
    assert_int_equal(peer_net_parse("10.0.0.5/8", &(struct peer_net){0}), -1);
    assert_int_equal(peer_net_parse("example.com", &(struct peer_net){0}), -1);
    assert_int_equal(peer_net_parse("10.0.0.0/33", &(struct peer_net){0}), -1);
    assert_true(peer_net_match(nets, 3, "10.200.1.1"));
    assert_true(peer_net_match(nets, 3, "fd12::1"));
    assert_false(peer_net_match(nets, 3, "11.0.0.1"));
    /* untrusted peer: headers ignored */
    assert_string_equal(peer_client_addr(nets, 3, "192.0.2.1", NULL, "198.51.100.1", out),
                        "192.0.2.1");
    /* trusted: the rightmost entry that is not a trusted proxy */
    assert_string_equal(
        peer_client_addr(nets, 3, "127.0.0.1", NULL, "203.0.113.9, 198.51.100.1, 10.1.1.1", out),
        "198.51.100.1");
    assert_string_equal(peer_client_addr(nets, 3, "127.0.0.1", NULL, " 198.51.100.1:4711 ", out),
                        "198.51.100.1");
    assert_string_equal(peer_client_addr(nets, 3, "127.0.0.1",
                                         "for=192.0.2.60;proto=http, for=\"[2001:db8::17]:4711\"",
                                         "198.51.100.1", out),
                        "2001:db8::17");
    assert_string_equal(peer_client_addr(nets, 3, "127.0.0.1", NULL, "::ffff:198.51.100.2", out),
                        "198.51.100.2");
    /* garbage stops the walk at the hop that wrote it */
    assert_string_equal(
        peer_client_addr(nets, 3, "127.0.0.1", NULL, "198.51.100.1, unknown, 10.0.0.9", out),
        "10.0.0.9");
    assert_string_equal(peer_client_addr(nets, 3, "127.0.0.1", "for=unknown", NULL, out),
                        "127.0.0.1");
    /* padding on the left cannot push the real hop out */
    {
        char list[2048] = "";

        for (int i = 0; i < 100; i++)
            strcat(list, "203.0.113.1, ");
        strcat(list, "198.51.100.3");
        assert_string_equal(peer_client_addr(nets, 3, "127.0.0.1", NULL, list, out),
                            "198.51.100.3");
    }
    peer_limit_key("2001:db8:1:2:3:4:5:6", key, sizeof key);
    assert_string_equal(key, "2001:db8:1:2::/64");
    peer_limit_key("198.51.100.3", key, sizeof key);
    assert_string_equal(key, "198.51.100.3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_address_rules),
        cmocka_unit_test(test_wrong_passwords_lock_even_the_right_one),
        cmocka_unit_test(test_unknown_emails_are_throttled_too),
        cmocka_unit_test(test_one_address_many_accounts),
        cmocka_unit_test(test_forwarded_for_ignored_from_an_untrusted_peer),
        cmocka_unit_test(test_forwarded_for_used_from_a_trusted_proxy),
        cmocka_unit_test(test_coupon_limits_follow_the_forwarded_address),
        cmocka_unit_test(test_parallel_guesses_and_parallel_customers),
        cmocka_unit_test(test_a_flood_of_unknown_emails_does_not_hang_a_real_sign_in),
    };

    curl_global_init(CURL_GLOBAL_DEFAULT);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
