/* test_errors.c: the exit statuses and messages of `sett COMMAND`: usage, a dead server, refused
 * credentials, a customer asking for operators' data, and the server refusing a request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "billingd_proc.h"
#include "cli_support.h"
#include "netutil.h"
#include "tempdir.h"

static struct billingd_proc *server;
static const char *url;
static struct cli_home home;
static char customer[512], customer_refresh[512], customer_key[64];

static int setup(void **state)
{
    (void)state;
    server = billingd_proc_start(BILLINGD_BIN, NULL, 20000);
    if (!server || cli_home_make(&home) != 0)
        return -1;
    url = billingd_proc_url(server);
    if (cli_login(url, "demo@example.com", "demo", customer, customer_refresh) != 0 ||
        cli_api_key(url, customer, "[\"billing\"]", customer_key) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    billingd_proc_stop(&server);
    cli_home_remove(&home);
    return 0;
}

/* Runs sett; asserts the exit status, that stdout stayed empty, and that stderr says `says`. */
static void expect_failure(const char *const *args, const char *const *env, int status,
                           const char *says)
{
    struct cli_result r;
    assert_int_equal(cli_run(&home, args, env, 0, &r), 0);
    if (r.status != status || !strstr(r.err, says))
        fprintf(stderr, "status %d, stderr: %s\n", r.status, r.err);
    assert_int_equal(r.status, status);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, says));
    assert_true(strncmp(r.err, "sett: ", 6) == 0);
    cli_result_clear(&r);
}

static void test_usage(void **state)
{
    (void)state;
    expect_failure((const char *[]){"products", "--frobnicate", NULL}, NULL, 2, "--frobnicate");
    expect_failure((const char *[]){"products", "--status", "paid", NULL}, NULL, 2,
                   "'--status' is not an option of this command");
    expect_failure((const char *[]){"invoices", "--status", "unpaid-ish", NULL}, NULL, 2,
                   "'unpaid-ish' is not a status");
    expect_failure((const char *[]){"services", "extra", NULL}, NULL, 2,
                   "unexpected argument 'extra'");
    expect_failure((const char *[]){"products", "--api", NULL}, NULL, 2, "'--api'");
    expect_failure((const char *[]){"help", "frobnicate", NULL}, NULL, 2, "no command");
    /* not a command: the storefront's own options refuse it before any terminal is touched */
    expect_failure((const char *[]){"frobnicate", NULL}, NULL, 2, "frobnicate");
    expect_failure((const char *[]){"products", "--api", "ftp://example.com", NULL}, NULL, 2,
                   "http://");
}

static void test_help(void **state)
{
    struct cli_result r;
    (void)state;
    assert_int_equal(cli_run(&home, (const char *[]){"help", NULL}, NULL, 0, &r), 0);
    assert_int_equal(r.status, 0);
    for (const char *const *w =
             (const char *const[]){"products", "services", "invoices", "credits", "users", "--json",
                                   "Exit status", "5  signed in, but not allowed", NULL};
         *w; w++)
        assert_non_null(strstr(r.out, *w));
    cli_result_clear(&r);
    assert_int_equal(cli_run(&home, (const char *[]){"invoices", "--help", NULL}, NULL, 0, &r), 0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Usage: sett invoices [--status STATUS]"));
    assert_non_null(strstr(r.out, "overdue"));
    assert_non_null(strstr(r.out, "3  the server is unreachable"));
    assert_string_equal(r.err, "");
    cli_result_clear(&r);
    /* the storefront's help names the commands */
    assert_int_equal(cli_run(&home, (const char *[]){"--help", NULL}, NULL, 0, &r), 0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "sett help"));
    cli_result_clear(&r);
}

static void test_dead_server(void **state)
{
    struct dead_port dead;
    char api[64];
    (void)state;
    assert_int_equal(dead_port_open(&dead), 0);
    snprintf(api, sizeof api, "http://127.0.0.1:%d", dead.port);
    expect_failure((const char *[]){"products", "--api", api, NULL}, NULL, 3,
                   "could not reach the server");
    expect_failure((const char *[]){"products", "--api", api, "--json", NULL}, NULL, 3,
                   "could not reach the server");
    char env_key[128];
    snprintf(env_key, sizeof env_key, "SETT_API_KEY=%s", customer_key);
    expect_failure((const char *[]){"invoices", "--api", api, NULL},
                   (const char *[]){env_key, NULL}, 3, "could not reach the server");
    dead_port_close(&dead);
}

/* A server that answers every request with 200 and a body that is not the API's JSON. */
struct liar {
    int fd;
    const char *body;
};

static void *liar_serve(void *ud)
{
    struct liar *l = ud;
    char req[4096], head[256];
    int c;
    while ((c = accept(l->fd, NULL, NULL)) >= 0) {
        ssize_t got = recv(c, req, sizeof req, 0); /* one small GET: read, then answer */
        (void)got;
        int n = snprintf(head, sizeof head,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                         strlen(l->body));
        if (send(c, head, (size_t)n, MSG_NOSIGNAL) < 0 ||
            send(c, l->body, strlen(l->body), MSG_NOSIGNAL) < 0)
            perror("liar");
        close(c);
    }
    return NULL;
}

static void test_malformed_answer(void **state)
{
    char api[64];
    pthread_t t;
    (void)state;
    const char *bodies[] = {"this is not JSON", "{\"data\":{\"not\":\"a list\"}}", NULL};
    for (const char *const *body = bodies; *body; body++) {
        int port;
        struct liar l = {net_listen_loopback(&port), *body};
        assert_true(l.fd >= 0);
        assert_int_equal(pthread_create(&t, NULL, liar_serve, &l), 0);
        snprintf(api, sizeof api, "http://127.0.0.1:%d", port);
        expect_failure((const char *[]){"products", "--api", api, "--json", NULL}, NULL, 3,
                       "malformed");
        shutdown(l.fd, SHUT_RDWR); /* ends the accept loop */
        pthread_join(t, NULL);
        close(l.fd);
    }
}

static void test_bad_credentials(void **state)
{
    char key_file[700];
    (void)state;
    /* a key of the right shape that the server does not know */
    const char *unknown = "SETT_API_KEY=bp_0000000000000000000000000000000000000000";
    expect_failure((const char *[]){"services", "--api", url, NULL},
                   (const char *[]){unknown, NULL}, 4, "(invalid_token)");
    /* the same from a file */
    snprintf(key_file, sizeof key_file, "%s/key", home.dir);
    assert_int_equal(tempdir_write_file(key_file, unknown + strlen("SETT_API_KEY="), 43), 0);
    expect_failure((const char *[]){"credits", "--api", url, "--api-key-file", key_file, NULL},
                   NULL, 4, "(invalid_token)");
    /* a stored session the server no longer knows: the refresh is refused too */
    assert_int_equal(cli_store_session(&home, url, "expired-access", "expired-refresh"), 0);
    expect_failure((const char *[]){"invoices", "--api", url, NULL}, NULL, 4, "sign in");
    /* no session at all for this API */
    assert_int_equal(cli_store_session(&home, "http://elsewhere.example", "a", "b"), 0);
    expect_failure((const char *[]){"invoices", "--api", url, NULL}, NULL, 4, "not signed in");
}

static void test_forbidden(void **state)
{
    char env_key[128];
    (void)state;
    snprintf(env_key, sizeof env_key, "SETT_API_KEY=%s", customer_key);
    expect_failure((const char *[]){"users", "--api", url, NULL}, (const char *[]){env_key, NULL},
                   5, "(forbidden)");
    /* a customer's stored session, too */
    assert_int_equal(cli_store_session(&home, url, customer, customer_refresh), 0);
    expect_failure((const char *[]){"users", "--api", url, "--search", "demo", "--json", NULL},
                   NULL, 5, "(forbidden)");
}

static void test_refused(void **state)
{
    (void)state;
    /* the server's own refusal: its message and code, exit 1 */
    expect_failure(
        (const char *[]){"products", "--api", url, "--category", "no-such-category", NULL}, NULL, 1,
        "sett: ");
}

static void test_stored_session_is_used_and_kept(void **state)
{
    struct cli_result r;
    (void)state;
    char access[512], refresh[512];
    assert_int_equal(cli_login(url, "demo@example.com", "demo", access, refresh), 0);
    /* an access token the server refuses, with a good refresh token: sett refreshes and stores
     * the new pair, as the storefront does */
    assert_int_equal(cli_store_session(&home, url, "stale-access-token", refresh), 0);
    assert_int_equal(
        cli_run(&home, (const char *[]){"credits", "--api", url, "--json", NULL}, NULL, 0, &r), 0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\"balance\":{\"amount\":1000,\"currency\":\"USD\"}"));
    cli_result_clear(&r);
    char path[700];
    snprintf(path, sizeof path, "%s/sett/credentials", home.config);
    char *text = tempdir_read_file(path, NULL);
    assert_non_null(text);
    assert_null(strstr(text, "stale-access-token"));
    assert_non_null(strstr(text, url));
    free(text);
}

/* The storefront without a terminal on stdin (a cron job that forgot the command) says so and
 * exits at once, instead of waiting for keys that never come. */
static void test_storefront_without_terminal(void **state)
{
    const char *args[] = {"--api", url, NULL};
    (void)state;
    expect_failure(args, NULL, 1, "needs a terminal");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_dead_server),
        cmocka_unit_test(test_malformed_answer),
        cmocka_unit_test(test_bad_credentials),
        cmocka_unit_test(test_forbidden),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_stored_session_is_used_and_kept),
        cmocka_unit_test(test_storefront_without_terminal),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
