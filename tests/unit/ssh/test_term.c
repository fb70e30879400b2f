/* test_term.c: what a client may ask of the terminal: sizes are clamped, unknown TERMs replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "ssh/term.h"

static void test_clamp_sides(void **state)
{
    (void)state;
    assert_int_equal(term_clamp_side(80), 80);
    assert_int_equal(term_clamp_side(1), 1);
    assert_int_equal(term_clamp_side(500), 500);
    assert_int_equal(term_clamp_side(501), 500);
    assert_int_equal(term_clamp_side(100000), 500);
    assert_int_equal(term_clamp_side(0), 1);
    assert_int_equal(term_clamp_side(-5), 1);
    assert_int_equal(term_clamp_side(-2147483648LL), 1);
    assert_int_equal(term_clamp_side(4294967295LL), 500);
    assert_int_equal(term_clamp_pixels(-1), 0);
    assert_int_equal(term_clamp_pixels(640), 640);
    assert_int_equal(term_clamp_pixels(1000000), 65535);
}

static void test_term_known_and_fallback(void **state)
{
    static const char *const none[] = {"/nonexistent-terminfo", NULL};
    char out[TERM_NAME_MAX];
    (void)state;
    /* the system's database (ncurses-base is always installed with ncurses) */
    term_choose("xterm", NULL, out, sizeof out);
    assert_string_equal(out, "xterm");
    term_choose("vt100", NULL, out, sizeof out);
    assert_string_equal(out, "vt100");
    term_choose("no-such-terminal-anywhere", NULL, out, sizeof out);
    assert_string_equal(out, TERM_FALLBACK);
    term_choose("xterm", none, out, sizeof out);
    assert_string_equal(out, TERM_FALLBACK);
    term_choose(NULL, NULL, out, sizeof out);
    assert_string_equal(out, TERM_FALLBACK);
    term_choose("", NULL, out, sizeof out);
    assert_string_equal(out, TERM_FALLBACK);
}

/* Names that could escape the terminfo directories or carry control bytes never pass. */
static void test_term_hostile_names(void **state)
{
    static const char *bad[] = {"../../etc/passwd", "x/../../xterm", ".hidden", "-xterm",
                                "xterm\033[2J",     "xterm 256",     "x\ny"};
    char dir[] = "/tmp/term-test-XXXXXX", path[256], out[TERM_NAME_MAX], longname[200];
    const char *dirs[] = {dir, NULL};
    FILE *f;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/m/my-term", dir);
    assert_non_null(f = fopen(path, "w"));
    fclose(f);
    term_choose("my-term", dirs, out, sizeof out);
    assert_string_equal(out, "my-term");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        term_choose(bad[i], dirs, out, sizeof out);
        assert_string_equal(out, TERM_FALLBACK);
    }
    memset(longname, 'm', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    term_choose(longname, dirs, out, sizeof out);
    assert_string_equal(out, TERM_FALLBACK);
    unlink(path);
    snprintf(path, sizeof path, "%s/m", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clamp_sides),
        cmocka_unit_test(test_term_known_and_fallback),
        cmocka_unit_test(test_term_hostile_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
