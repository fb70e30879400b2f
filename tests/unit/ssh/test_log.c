/* test_log.c: the disconnect line's exact shape, which operators' log parsers rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ssh/log.h"

static void test_full_line(void **state)
{
    struct conn_log l = {.addr = "203.0.113.7:40000",
                         .fp = "SHA256:dlOybTxYUHSigOKdE7g2s50PGD1Zzl7+/vDEDcy5CHM",
                         .term = "xterm-256color",
                         .cols = 120,
                         .rows = 40,
                         .mode = "plain",
                         .start_ns = 1000000000};
    char line[400];
    (void)state;
    log_format_disconnect(&l, "quit", 1000000000 + 12345000000LL, line, sizeof line);
    assert_string_equal(line,
                        "settd: disconnect addr=203.0.113.7:40000 "
                        "fp=SHA256:dlOybTxYUHSigOKdE7g2s50PGD1Zzl7+/vDEDcy5CHM "
                        "term=xterm-256color size=120x40 mode=plain duration=12.3s reason=quit");
}

static void test_before_sign_in(void **state)
{
    struct conn_log l = {.addr = "[2001:db8::5]:5555", .start_ns = 0};
    char line[400];
    (void)state;
    log_format_disconnect(&l, "grace-timeout", 30000000000LL, line, sizeof line);
    assert_string_equal(line, "settd: disconnect addr=[2001:db8::5]:5555 fp=- term=- size=- "
                              "mode=- duration=30.0s reason=grace-timeout");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_line),
        cmocka_unit_test(test_before_sign_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
