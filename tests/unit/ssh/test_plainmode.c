/* test_plainmode.c: which sessions get plain mode: the chosen user name, no terminal, or a
 * terminal of type dumb; any other name and terminal get the full screen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ssh/options.h"
#include "ssh/plainmode.h"

static void test_user_name(void **state)
{
    (void)state;
    assert_true(plainmode_wanted("plain", "plain", true, "xterm-256color"));
    assert_true(plainmode_wanted("reader", "reader", true, "xterm"));
    assert_false(plainmode_wanted("plain", "guest", true, "xterm-256color"));
    assert_false(plainmode_wanted("reader", "plain", true, "xterm-256color"));
    /* the whole name, with its case */
    assert_false(plainmode_wanted("plain", "Plain", true, "xterm-256color"));
    assert_false(plainmode_wanted("plain", "plainer", true, "xterm-256color"));
    assert_false(plainmode_wanted("plain", "plai", true, "xterm-256color"));
    assert_false(plainmode_wanted("plain", "", true, "xterm-256color"));
    assert_false(plainmode_wanted("plain", NULL, true, "xterm-256color"));
}

static void test_switched_off(void **state)
{
    (void)state;
    /* --plain-user '': no name asks for it, and an empty name is no match */
    assert_false(plainmode_wanted("", "plain", true, "xterm-256color"));
    assert_false(plainmode_wanted("", "", true, "xterm-256color"));
    assert_false(plainmode_wanted(NULL, "plain", true, "xterm-256color"));
    /* the terminal still decides */
    assert_true(plainmode_wanted("", "guest", true, "dumb"));
    assert_true(plainmode_wanted("", "guest", false, NULL));
}

static void test_terminal(void **state)
{
    (void)state;
    assert_true(plainmode_wanted("plain", "guest", true, "dumb"));
    assert_false(plainmode_wanted("plain", "guest", true, "xterm"));
    assert_false(plainmode_wanted("plain", "guest", true, "vt100"));
    assert_false(plainmode_wanted("plain", "guest", true, "dumb-ish"));
    assert_false(plainmode_wanted("plain", "guest", true, "DUMB"));
    /* a pty request with no name: settd's fallback terminal, full screen */
    assert_false(plainmode_wanted("plain", "guest", true, ""));
    assert_false(plainmode_wanted("plain", "guest", true, NULL));
}

static void test_no_pty(void **state)
{
    (void)state;
    /* a shell without a terminal (ssh -T): there is nothing to draw a screen on */
    assert_true(plainmode_wanted("plain", "guest", false, NULL));
    assert_true(plainmode_wanted("plain", "guest", false, ""));
    assert_true(plainmode_wanted("plain", "plain", false, NULL));
}

/* settd's command line: `plain` by default, another name, or none with ''. */
static void test_option(void **state)
{
    char *base[] = {"settd", "--data-dir", "/nonexistent/settd", "--sett", "/bin/true"};
    char *named[] = {"settd",        "--data-dir", "/nonexistent/settd", "--sett", "/bin/true",
                     "--plain-user", "reader"};
    char *off[] = {
        "settd", "--data-dir", "/nonexistent/settd", "--sett", "/bin/true", "--plain-user", ""};
    char *equals[] = {"settd",     "--data-dir",   "/nonexistent/settd", "--sett",
                      "/bin/true", "--plain-user="}; /* as /etc/default/settd can write it */
    struct settd_options o;
    int code;
    (void)state;
    assert_int_equal(options_parse(5, base, &o, &code), 0);
    assert_string_equal(o.plain_user, "plain");
    assert_int_equal(options_parse(7, named, &o, &code), 0);
    assert_string_equal(o.plain_user, "reader");
    assert_int_equal(options_parse(7, off, &o, &code), 0);
    assert_string_equal(o.plain_user, "");
    assert_int_equal(options_parse(6, equals, &o, &code), 0);
    assert_string_equal(o.plain_user, "");
    assert_false(plainmode_wanted(o.plain_user, "plain", true, "xterm-256color"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_name), cmocka_unit_test(test_switched_off),
        cmocka_unit_test(test_terminal),  cmocka_unit_test(test_no_pty),
        cmocka_unit_test(test_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
