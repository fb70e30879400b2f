/* test_transport.c: the client against a stub HTTP server: callbacks, keep-alive, errors, refresh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client/client.h"
#include "harness.h"

static void test_get_status(void **state)
{
    struct ctx *x = *state;
    struct outcome o = {0};
    struct stub_request req;
    struct billing_status *s;
    uint64_t id;

    id = client_get_status(x->c, on_status, &o);
    assert_true(id != 0);
    assert_int_equal(client_pending(x->c), 1);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(client_pending(x->c), 0);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.err.status, CLIENT_OK);
    assert_int_equal(o.err.http_status, 200);
    s = o.value;
    assert_true(s->enabled);
    assert_string_equal(s->currency.code, "EUR");
    assert_string_equal(s->currency.symbol, "€");
    billing_status_free(&s);

    stub_last(x->srv, &req);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.path, "/api/v1/billing/status");
    assert_string_equal(req.user_agent, "sett/" SETT_VERSION);
    assert_string_equal(req.accept, "application/json");
    assert_string_equal(req.authorization, ""); /* not signed in */
    assert_string_equal(req.forwarded_for, ""); /* a sett of its own names no one */
}

/* Behind settd, every request names the customer's own address; anything but an address is
 * never put into a header. */
static void test_forwarded_for(void **state)
{
    static const char *const good[] = {"203.0.113.7", "2001:db8::1"};
    static const char *const bad[] = {"203.0.113.7\r\nX-Evil: 1", "example.com", "1.2.3.4, 5.6.7.8",
                                      ""};
    struct ctx *x = *state;
    struct stub_request req;

    for (size_t i = 0; i < sizeof good / sizeof *good + sizeof bad / sizeof *bad; i++) {
        bool ok = i < sizeof good / sizeof *good;
        const char *addr = ok ? good[i] : bad[i - sizeof good / sizeof *good];
        struct client_config cfg = {.base_url = stub_url(x->srv), .forwarded_for = addr};
        struct client_error err;
        struct client *c = client_new(&cfg, &err);
        struct outcome o = {0};

        assert_non_null(c);
        assert_true(client_get_status(c, on_status, &o) != 0);
        assert_int_equal(client_run_until_idle(c, 5000), 0);
        assert_int_equal(o.err.status, CLIENT_OK);
        billing_status_free((struct billing_status **)&o.value);
        stub_last(x->srv, &req);
        assert_string_equal(req.forwarded_for, ok ? addr : "");
        client_free(&c);
    }
}

static void test_keep_alive(void **state)
{
    struct ctx *x = *state;
    struct outcome a = {0}, b = {0}, p = {0};
    uint64_t id1, id2, id3;

    id1 = client_get_status(x->c, on_status, &a);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    id2 = client_get_categories(x->c, on_categories, &b);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    id3 = client_get_product(x->c, "mc-iron", on_product, &p);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_true(id1 && id2 && id3 && id1 != id2 && id2 != id3);
    assert_int_equal(a.err.status, CLIENT_OK);
    assert_int_equal(b.err.status, CLIENT_OK);
    assert_int_equal(p.err.status, CLIENT_OK);
    assert_int_equal(((struct category_list *)b.value)->n, 1);
    assert_string_equal(((struct product *)p.value)->slug, "mc-iron");
    billing_status_free((struct billing_status **)&a.value);
    category_list_free((struct category_list **)&b.value);
    product_free((struct product **)&p.value);
    assert_int_equal(stub_requests(x->srv), 3);
    assert_int_equal(stub_accepts(x->srv), 1);
}

/* A burst of requests shares a few connections: settd runs hundreds of clients against one
 * billing server, which must not run out of connections. */
static void test_connection_cap(void **state)
{
    struct ctx *x = *state;
    struct outcome o[10] = {{0}};

    for (int i = 0; i < 10; i++)
        assert_true(client_get_status(x->c, on_status, &o[i]) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(o[i].err.status, CLIENT_OK);
        billing_status_free((struct billing_status **)&o[i].value);
    }
    assert_int_equal(stub_requests(x->srv), 10);
    assert_true(stub_accepts(x->srv) >= 1 && stub_accepts(x->srv) <= 3);
}

/* The time limit is each answer's: requests waiting for one of the capped connections do not
 * time out while they wait, even when a burst takes longer to serve than the limit. */
static void test_queue_outside_limit(void **state)
{
    struct ctx *x = *state;
    /* a request on one of the 3 connections waits at most for the two others' answers before
     * its own (3 x LATE_MS): the limit leaves as much again for a busy machine */
    struct client *c = harness_client(stub_url(x->srv), 8 * LATE_MS);
    struct outcome o[20] = {{0}};

    for (int i = 0; i < 20; i++) /* 20 answers in a row take 2.5 times the limit */
        assert_true(client_get_product(c, "late", on_product, &o[i]) != 0);
    assert_int_equal(client_run_until_idle(c, 10000), 0);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(o[i].err.status, CLIENT_OK);
        product_free((struct product **)&o[i].value);
    }
    client_free(&c);
}

static int free_port(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t alen = sizeof(addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &alen), 0);
    port = ntohs(addr.sin_port);
    close(fd); /* bound, never listened: connecting is refused */
    return port;
}

static void test_connect_refused(void **state)
{
    char url[64];
    struct client *c;
    struct outcome o = {0};

    (void)state;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", free_port());
    c = harness_client(url, 0);
    assert_true(client_get_status(c, on_status, &o) != 0);
    assert_int_equal(client_run_until_idle(c, 5000), 0);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.err.status, CLIENT_ERR_TRANSPORT);
    assert_int_equal(o.err.http_status, 0);
    assert_true(o.err.message[0] != '\0');
    client_free(&c);
    assert_null(c);
}

static void test_tls_failure(void **state)
{
    struct ctx *x = *state;
    struct client *c;
    struct outcome o = {0};
    char url[64];

    snprintf(url, sizeof(url), "https://127.0.0.1:%d", stub_port(x->srv));
    c = harness_client(url, 0);
    assert_true(client_get_status(c, on_status, &o) != 0);
    assert_int_equal(client_run_until_idle(c, 5000), 0);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.err.status, CLIENT_ERR_TLS);
    assert_true(o.err.message[0] != '\0');
    client_free(&c);
}

static void test_timeout(void **state)
{
    struct ctx *x = *state;
    struct client *c = harness_client(stub_url(x->srv), 300);
    struct outcome o = {0};
    int64_t t0 = harness_now_ms(), elapsed;

    assert_true(client_get_product(c, "slow", on_product, &o) != 0);
    assert_int_equal(client_run_until_idle(c, 5000), 0);
    elapsed = harness_now_ms() - t0;
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.err.status, CLIENT_ERR_TIMEOUT);
    assert_true(elapsed >= 250);
    assert_true(elapsed < 3000);
    client_free(&c);
}

static void test_cancel(void **state)
{
    struct ctx *x = *state;
    struct outcome o = {0};
    uint64_t id;
    int64_t t0;

    id = client_get_product(x->c, "slow", on_product, &o);
    assert_true(id != 0);
    /* let the request reach the server before cancelling it */
    while (stub_requests(x->srv) == 0) {
        client_wait(x->c, NULL, 0, 50);
        client_dispatch(x->c);
    }
    client_cancel(x->c, id);
    client_cancel(x->c, id);     /* twice: a no-op */
    client_cancel(x->c, 0);      /* never an id */
    client_cancel(x->c, id + 7); /* unknown */
    assert_int_equal(client_pending(x->c), 0);
    t0 = harness_now_ms();
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_true(harness_now_ms() - t0 < 2000);
    assert_int_equal(o.calls, 0);
}

struct cancel_other {
    struct client *c;
    uint64_t other;
    int calls;
};

static void on_status_cancel(void *ud, struct billing_status *v, const struct client_error *err)
{
    struct cancel_other *co = ud;

    co->calls++;
    client_cancel(co->c, co->other);
    billing_status_free(&v);
}

/* Whichever finishes first cancels the other, even if its answer is already queued. */
static void test_cancel_from_callback(void **state)
{
    struct ctx *x = *state;
    struct cancel_other a = {.c = x->c}, b = {.c = x->c};
    uint64_t ida, idb;

    ida = client_get_status(x->c, on_status_cancel, &a);
    idb = client_get_status(x->c, on_status_cancel, &b);
    a.other = idb;
    b.other = ida;
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(a.calls + b.calls, 1);
    assert_int_equal(client_pending(x->c), 0);
}

static void test_http_errors(void **state)
{
    struct ctx *x = *state;
    struct outcome boom = {0}, missing = {0}, garbage = {0}, huge = {0};

    client_get_product(x->c, "boom", on_product, &boom);
    client_get_product(x->c, "missing", on_product, &missing);
    client_get_product(x->c, "garbage", on_product, &garbage);
    client_get_product(x->c, "huge", on_product, &huge);
    assert_int_equal(client_run_until_idle(x->c, 10000), 0);

    assert_int_equal(boom.err.status, CLIENT_ERR_HTTP);
    assert_int_equal(boom.err.http_status, 500);
    assert_int_equal(missing.err.status, CLIENT_ERR_API);
    assert_int_equal(missing.err.http_status, 404);
    assert_string_equal(missing.err.code, "not_found");
    assert_string_equal(missing.err.message, "No such thing.");
    assert_int_equal(garbage.err.status, CLIENT_ERR_JSON);
    assert_int_equal(garbage.err.http_status, 200);
    assert_int_equal(huge.err.status, CLIENT_ERR_HTTP);
    assert_non_null(strstr(huge.err.message, "too large"));
}

static void test_products_query(void **state)
{
    struct ctx *x = *state;
    struct product_query q = {.category = "mine craft", .q = "a&b=c/ü", .page = 2, .per_page = 5};
    struct outcome o = {0};
    struct stub_request req;

    assert_true(client_get_products(x->c, &q, on_products, &o) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(o.err.status, CLIENT_OK);
    assert_int_equal(((struct product_page *)o.value)->meta.current_page, 2);
    product_page_free((struct product_page **)&o.value);
    stub_last(x->srv, &req);
    assert_string_equal(req.path,
                        "/api/v1/billing/products?category=mine%20craft&q=a%26b%3Dc%2F%C3%BC"
                        "&page=2&per_page=5");
    assert_int_equal(client_get_product(x->c, NULL, on_product, &o), 0);
    assert_int_equal(client_get_product(x->c, "", on_product, &o), 0);
}

static void test_base_url_forms(void **state)
{
    struct ctx *x = *state;
    struct client_config cfg = {0};
    struct client_error err;
    struct outcome o = {0};
    struct stub_request req;
    struct client *c;
    char url[96];

    snprintf(url, sizeof(url), "%s/api/v1/", stub_url(x->srv));
    c = harness_client(url, 0);
    client_get_status(c, on_status, &o);
    assert_int_equal(client_run_until_idle(c, 5000), 0);
    assert_int_equal(o.err.status, CLIENT_OK);
    billing_status_free((struct billing_status **)&o.value);
    stub_last(x->srv, &req);
    assert_string_equal(req.path, "/api/v1/billing/status");
    client_free(&c);

    cfg.base_url = "ftp://example.com";
    assert_null(client_new(&cfg, &err));
    assert_int_equal(err.status, CLIENT_ERR_USAGE);
    assert_null(client_new(NULL, &err));
    assert_int_equal(err.status, CLIENT_ERR_USAGE);
}

static void test_wait_extra_fds(void **state)
{
    struct ctx *x = *state;
    struct pollfd pfd;
    int fds[2];
    int64_t t0;
    char ch;

    assert_int_equal(pipe(fds), 0);
    pfd = (struct pollfd){.fd = fds[0], .events = POLLIN};
    t0 = harness_now_ms();
    assert_int_equal(client_wait(x->c, &pfd, 1, 100), 0);
    assert_true(harness_now_ms() - t0 >= 80);
    assert_int_equal(pfd.revents, 0);

    assert_int_equal(write(fds[1], "k", 1), 1);
    t0 = harness_now_ms();
    assert_int_equal(client_wait(x->c, &pfd, 1, 5000), 1);
    assert_true(pfd.revents & POLLIN);
    assert_true(harness_now_ms() - t0 < 2000);
    assert_int_equal(read(fds[0], &ch, 1), 1);

    /* a hung-up fd is reported, not silently spun on */
    close(fds[1]);
    assert_int_equal(client_wait(x->c, &pfd, 1, 5000), 1);
    assert_true(pfd.revents & POLLHUP);
    close(fds[0]);

    /* a wakeup ends a wait with nothing else to do */
    client_wakeup(x->c);
    t0 = harness_now_ms();
    assert_int_equal(client_wait(x->c, NULL, 0, 5000), 0);
    assert_true(harness_now_ms() - t0 < 2000);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* Arms a 100 ms alarm and waits: the wait must end because of it, well before its own 5 s
 * timeout. A wait may also end for network activity first; then the loop waits again. */
static void wait_for_alarm(struct client *c)
{
    struct itimerval it = {.it_value = {.tv_usec = 100000}};
    sig_atomic_t before = alarms;
    int64_t t0 = harness_now_ms();

    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
    while (alarms == before && harness_now_ms() - t0 < 2000) {
        assert_int_equal(client_wait(c, NULL, 0, 5000), 0);
        client_dispatch(c);
    }
    assert_true(alarms > before);
    assert_true(harness_now_ms() - t0 < 2000);
}

/* A terminal resize (SIGWINCH) must reach the caller's loop at once, not after the timeout. */
static void test_signal_ends_wait(void **state)
{
    struct ctx *x = *state;
    struct sigaction sa = {.sa_handler = on_alarm}, old;
    struct itimerval off = {0};
    struct outcome o = {0};

    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    wait_for_alarm(x->c);

    /* the same with a request in flight that will not finish */
    client_get_product(x->c, "slow", on_product, &o);
    client_dispatch(x->c);
    wait_for_alarm(x->c);
    assert_int_equal(o.calls, 0);
    /* no alarm may outlive its handler */
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old, NULL);
}

static void test_free_with_pending(void **state)
{
    struct ctx *x = *state;
    struct outcome a = {0}, b = {0};

    client_set_tokens(x->c, "old-access", "old-refresh");
    client_get_product(x->c, "slow", on_product, &a);
    client_get_product(x->c, "secret", on_product, &b);
    client_wait(x->c, NULL, 0, 20);
    client_dispatch(x->c);
    assert_int_equal(client_pending(x->c), 2);
    client_free(&x->c);
    assert_null(x->c);
    client_free(&x->c);
    assert_int_equal(a.calls + b.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get_status, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_forwarded_for, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_keep_alive, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_connection_cap, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_queue_outside_limit, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_connect_refused, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_tls_failure, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_timeout, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_cancel, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_cancel_from_callback, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_http_errors, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_products_query, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_base_url_forms, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_wait_extra_fds, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_signal_ends_wait, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_free_with_pending, harness_setup, harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
