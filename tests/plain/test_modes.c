/* test_modes.c: when plain mode is chosen (--plain, TERM=dumb, ACCESSIBLE), end of input, a bad
 * choice, a dead server, and operator mode refusing a customer's account. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "billingd_proc.h"
#include "netutil.h"
#include "plain_support.h"

/* Runs sett with `env` on a pipe or a pty, ends its input at once: the exit status. */
static int run_to_eof(const char *const *args, const char *const *env, bool pty,
                      struct plain_run *r)
{
    if (plain_start(r, args, env, pty) != 0)
        return -1;
    if (plain_expect(r, "> ") != 0)
        return -1;
    return plain_finish(r);
}

static void test_auto_dumb(void **state)
{
    struct plain_run r;
    (void)state;
    const char *args[] = {"--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=dumb", NULL};
    assert_int_equal(run_to_eof(args, env, true, &r), 0);
    assert_non_null(strstr(r.text, "sett, plain mode."));
    assert_non_null(strstr(r.text, "Store. 5 categories."));
    assert_non_null(strstr(r.text, "Goodbye."));
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

static void test_auto_accessible(void **state)
{
    struct plain_run r;
    (void)state;
    /* a terminal that could hold the full screen: ACCESSIBLE still chooses plain mode */
    const char *args[] = {"--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=xterm-256color", "ACCESSIBLE=1", NULL};
    assert_int_equal(run_to_eof(args, env, true, &r), 0);
    assert_non_null(strstr(r.text, "sett, plain mode."));
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

static void test_auto_unset_term(void **state)
{
    struct plain_run r;
    (void)state;
    const char *args[] = {"--api", plain_server_url(), NULL};
    assert_int_equal(run_to_eof(args, NULL, false, &r), 0);
    assert_non_null(strstr(r.text, "sett, plain mode."));
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

static void test_eof_quits(void **state)
{
    struct plain_run r;
    (void)state;
    const char *args[] = {"--plain", "--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=xterm-256color", NULL};
    assert_int_equal(run_to_eof(args, env, false, &r), 0);
    assert_non_null(strstr(r.text, "Goodbye."));
    plain_free(&r);
    /* also in the middle of a question: the e-mail prompt */
    assert_int_equal(plain_start(&r, args, env, false), 0);
    assert_int_equal(plain_expect(&r, "> "), 0);
    assert_int_equal(plain_send(&r, "c"), 0);
    assert_int_equal(plain_expect(&r, "E-mail"), 0);
    assert_int_equal(plain_finish(&r), 0);
    plain_free(&r);
}

static void test_bad_choice(void **state)
{
    struct plain_run r;
    (void)state;
    const char *args[] = {"--plain", "--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=xterm-256color", NULL};
    assert_int_equal(plain_start(&r, args, env, false), 0);
    assert_int_equal(plain_expect(&r, "> "), 0);
    assert_int_equal(plain_send(&r, "99"), 0);
    assert_int_equal(plain_expect(&r, "There is no category 99: type a number from 1 to 5."), 0);
    assert_int_equal(plain_send(&r, "zz"), 0);
    assert_int_equal(plain_expect(&r, "\"zz\" is not a choice here. Type ? for what you can type."),
                     0);
    /* help lists this screen's commands and the global ones */
    assert_int_equal(plain_send(&r, "?"), 0);
    assert_int_equal(plain_expect(&r, "a number: open that category"), 0);
    assert_int_equal(plain_expect(&r, "/: search every product"), 0);
    assert_int_equal(plain_expect(&r, "q: quit"), 0);
    /* a search, a product added; bad choices lose nothing */
    assert_int_equal(plain_send(&r, "/iron"), 0);
    assert_int_equal(plain_expect(&r, "Search for \"iron\": "), 0);
    assert_int_equal(plain_send(&r, "1"), 0);
    assert_int_equal(plain_expect(&r, "Product: Iron."), 0);
    assert_int_equal(plain_send(&r, "9"), 0);
    assert_int_equal(plain_expect(&r, "There is no cycle 9"), 0);
    assert_int_equal(plain_send(&r, "n 0"), 0);
    assert_int_equal(plain_expect(&r, "The quantity stays 1"), 0);
    assert_int_equal(plain_send(&r, "a"), 0);
    assert_int_equal(plain_expect(&r, "E-mail"), 0);
    assert_int_equal(plain_send(&r, "demo@example.com"), 0);
    assert_int_equal(plain_send(&r, "wrong"), 0);
    assert_int_equal(plain_expect(&r, "Could not sign in: "), 0);
    assert_int_equal(plain_send(&r, "a"), 0);
    assert_int_equal(plain_expect(&r, "E-mail"), 0);
    assert_int_equal(plain_send(&r, "demo@example.com"), 0);
    assert_int_equal(plain_send(&r, "demo"), 0);
    assert_int_equal(plain_expect(&r, "Added Iron, monthly, to the cart. Cart: 1 item, $"), 0);
    assert_int_equal(plain_send(&r, "c"), 0);
    assert_int_equal(plain_expect(&r, "Cart: 1 item"), 0);
    assert_int_equal(plain_send(&r, "d 7"), 0);
    assert_int_equal(plain_expect(&r, "There is no line 7: type 1, the only one."), 0);
    assert_int_equal(plain_send(&r, "o"), 0);
    assert_int_equal(plain_expect(&r, "How would you like to pay?"), 0);
    assert_int_equal(plain_send(&r, "8"), 0);
    assert_int_equal(plain_expect(&r, "That is not one of the choices; nothing was paid."), 0);
    assert_int_equal(plain_expect(&r, "Checkout cancelled; the cart is as it was."), 0);
    assert_int_equal(plain_send(&r, ""), 0);
    assert_int_equal(plain_expect(&r, "Cart: 1 item"), 0);
    assert_int_equal(plain_send(&r, "d 1"), 0);
    assert_int_equal(plain_expect(&r, "Removed Iron from the cart. Cart: empty."), 0);
    assert_int_equal(plain_send(&r, "q"), 0);
    assert_int_equal(plain_finish(&r), 0);
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

static void test_dead_server(void **state)
{
    struct plain_run r;
    struct dead_port dead;
    char url[64];
    (void)state;
    assert_int_equal(dead_port_open(&dead), 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead.port);
    const char *args[] = {"--plain", "--api", url, NULL};
    assert_int_equal(plain_start(&r, args, NULL, false), 0);
    assert_int_equal(plain_finish(&r), 3);
    assert_non_null(r.errtext);
    assert_non_null(strstr(r.errtext, "sett: cannot open the shop at http://127.0.0.1:"));
    assert_non_null(strstr(r.errtext, "Could not reach the server"));
    plain_free(&r);
    dead_port_close(&dead);
}

/* Operator mode with a customer's account: refused, nothing of it shown, status 3. */
static void test_operator_refused(void **state)
{
    struct plain_run r;
    (void)state;
    const char *args[] = {"--plain", "--operator", "--api", plain_server_url(), NULL};
    assert_int_equal(plain_start(&r, args, NULL, false), 0);
    assert_int_equal(plain_expect(&r, "Operator mode needs an operator account."), 0);
    assert_int_equal(plain_expect(&r, "E-mail (an empty line cancels):"), 0);
    assert_int_equal(plain_send(&r, "demo@example.com"), 0);
    assert_int_equal(plain_send(&r, "demo"), 0);
    assert_int_equal(plain_finish(&r), 3);
    assert_non_null(strstr(r.errtext, "sett: This account is not an operator: "));
    assert_null(strstr(r.text, "Customers"));
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

/* Names and descriptions full of terminal controls are printed without them. */
static void test_hostile_catalog(void **state)
{
    struct plain_run r;
    (void)state;
    struct billingd_proc *hostile = billingd_proc_start(BILLINGD_BIN, HOSTILE_CATALOG, 20000);
    assert_non_null(hostile);
    const char *args[] = {"--plain", "--api", billingd_proc_url(hostile), NULL};
    assert_int_equal(plain_start(&r, args, NULL, true), 0);
    assert_int_equal(plain_expect(&r, "1. Evil"), 0);
    assert_int_equal(plain_send(&r, "1"), 0);
    assert_int_equal(plain_expect(&r, "1. Box"), 0);
    assert_int_equal(plain_send(&r, "1"), 0);
    assert_int_equal(plain_expect(&r, "Product: Box"), 0);
    assert_int_equal(plain_send(&r, "b"), 0);
    assert_int_equal(plain_send(&r, "2"), 0);
    assert_int_equal(plain_expect(&r, "Billing cycles:"), 0);
    assert_int_equal(plain_send(&r, "/evil"), 0);
    assert_int_equal(plain_expect(&r, "Search for \"evil\""), 0);
    assert_int_equal(plain_finish(&r), 0);
    if (plain_has_escape(&r))
        fprintf(stderr, "transcript:\n%s\n", r.text);
    assert_false(plain_has_escape(&r));
    plain_free(&r);
    billingd_proc_stop(&hostile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_dumb),        cmocka_unit_test(test_auto_accessible),
        cmocka_unit_test(test_auto_unset_term),  cmocka_unit_test(test_eof_quits),
        cmocka_unit_test(test_bad_choice),       cmocka_unit_test(test_dead_server),
        cmocka_unit_test(test_operator_refused), cmocka_unit_test(test_hostile_catalog),
    };
    return cmocka_run_group_tests(tests, plain_server_setup, plain_server_teardown);
}
