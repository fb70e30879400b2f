/* test_kiosk_options.c: kiosk mode's settings: defaults, the [kiosk] keys, the quit chord's
 * notation, and the errors a bad value gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "screens/kiosk_options.h"
#include "tui/keymap.h"

static void test_defaults(void **state)
{
    struct kiosk_options k;
    char err[300] = "";
    (void)state;
    unsetenv("SETT_KIOSK_EMAIL");
    unsetenv("SETT_KIOSK_PASSWORD");
    kiosk_options_defaults(&k);
    assert_int_equal(kiosk_options_finish(&k, err, sizeof err), 0);
    assert_int_equal(k.checkout, KIOSK_CHECKOUT_OFF);
    assert_int_equal(k.idle_s, 120);
    assert_int_equal(k.n_quit_keys, 2);
    assert_int_equal(k.quit_keys[0], TUI_KEY_CTRL('x'));
    assert_int_equal(k.quit_keys[1], TUI_KEY_CTRL('q'));
    assert_string_equal(k.email, "");
}

static void test_ini_and_env(void **state)
{
    struct kiosk_options k;
    char err[300] = "";
    (void)state;
    kiosk_options_defaults(&k);
    kiosk_options_ini(&k, "checkout", "sandbox");
    kiosk_options_ini(&k, "idle", "30");
    kiosk_options_ini(&k, "quit", "F10");
    kiosk_options_ini(&k, "email", "kiosk@example.com");
    kiosk_options_ini(&k, "password", "from-file");
    kiosk_options_ini(&k, "unknown", "ignored");
    setenv("SETT_KIOSK_PASSWORD", "from-env", 1);
    assert_int_equal(kiosk_options_finish(&k, err, sizeof err), 0);
    unsetenv("SETT_KIOSK_PASSWORD");
    assert_int_equal(k.checkout, KIOSK_CHECKOUT_SANDBOX);
    assert_int_equal(k.idle_s, 30);
    assert_int_equal(k.n_quit_keys, 1);
    assert_int_equal(k.quit_keys[0], KEY_F(10));
    assert_string_equal(k.email, "kiosk@example.com");
    assert_string_equal(k.password, "from-env");
}

static void test_chords(void **state)
{
    int keys[KIOSK_CHORD_MAX];
    char err[200];
    (void)state;
    assert_int_equal(kiosk_chord_parse("C-x k", keys, KIOSK_CHORD_MAX, err, sizeof err), 2);
    assert_int_equal(keys[0], 0x18);
    assert_int_equal(keys[1], 'k');
    assert_int_equal(kiosk_chord_parse("  C-X   C-Q ", keys, KIOSK_CHORD_MAX, err, sizeof err), 2);
    assert_int_equal(keys[1], 0x11);
    assert_int_equal(kiosk_chord_parse("", keys, KIOSK_CHORD_MAX, err, sizeof err), -1);
    assert_string_equal(err, "no keys given");
    assert_int_equal(kiosk_chord_parse("C-x C-c", keys, KIOSK_CHORD_MAX, err, sizeof err), -1);
    assert_non_null(strstr(err, "swallowed"));
    assert_int_equal(kiosk_chord_parse("Ctrl-x", keys, KIOSK_CHORD_MAX, err, sizeof err), -1);
    assert_non_null(strstr(err, "'Ctrl-x' is not a key"));
    assert_int_equal(kiosk_chord_parse("a b c d", keys, KIOSK_CHORD_MAX, err, sizeof err), -1);
    assert_int_equal(kiosk_chord_parse("F13", keys, KIOSK_CHORD_MAX, err, sizeof err), -1);
}

static void test_bad_values(void **state)
{
    struct kiosk_options k;
    char err[300];
    (void)state;
    kiosk_options_defaults(&k);
    kiosk_options_ini(&k, "checkout", "live");
    assert_int_equal(kiosk_options_finish(&k, err, sizeof err), -1);
    assert_string_equal(err, "kiosk checkout must be off or sandbox, not 'live'");

    kiosk_options_defaults(&k);
    kiosk_options_ini(&k, "idle", "0");
    assert_int_equal(kiosk_options_finish(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "kiosk idle must be a number of seconds"));
    kiosk_options_ini(&k, "idle", "2m");
    assert_int_equal(kiosk_options_finish(&k, err, sizeof err), -1);

    kiosk_options_defaults(&k);
    kiosk_options_ini(&k, "email", "kiosk@example.com");
    assert_int_equal(kiosk_options_finish(&k, err, sizeof err), -1);
    assert_non_null(strstr(err, "both an e-mail and a password"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_ini_and_env),
        cmocka_unit_test(test_chords),
        cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
