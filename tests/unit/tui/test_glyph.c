/* test_glyph.c: the glyph table: which form a locale gets, and sett's own text in ASCII. */
#include <langinfo.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/glyph.h"
#include "tui/utf8.h"

static void test_codeset(void **state)
{
    (void)state;
    assert_true(tui_codeset_utf8("UTF-8"));
    assert_true(tui_codeset_utf8("utf-8"));
    assert_true(tui_codeset_utf8("UTF8"));
    assert_false(tui_codeset_utf8("ANSI_X3.4-1968")); /* glibc's name for ASCII: LANG=C */
    assert_false(tui_codeset_utf8("ISO-8859-1"));
    assert_false(tui_codeset_utf8(""));
    assert_false(tui_codeset_utf8(NULL));
}

/* The choice as tui_new makes it, from the locale the program runs in. */
static void test_locale_choice(void **state)
{
    (void)state;
    assert_non_null(setlocale(LC_ALL, "C"));
    assert_false(tui_codeset_utf8(nl_langinfo(CODESET)));
    if (setlocale(LC_ALL, "C.UTF-8") || setlocale(LC_ALL, "en_US.UTF-8"))
        assert_true(tui_codeset_utf8(nl_langinfo(CODESET)));
    setlocale(LC_ALL, "C");
}

/* Every glyph: one UTF-8 character, and ASCII stand-in that is printable, non-empty and safe
 * inside a format string. */
static void test_table_pairs(void **state)
{
    (void)state;
    for (int g = 0; g < GLYPH_COUNT; g++) {
        const char *u = tui_glyph_pick((enum tui_glyph)g, true);
        const char *a = tui_glyph_pick((enum tui_glyph)g, false);
        int cp;
        size_t n =
            tui_utf8_decode((const unsigned char *)u, (const unsigned char *)u + strlen(u), &cp);
        assert_int_equal(n, strlen(u));
        assert_true(cp >= 0x80);
        assert_true(a[0] != '\0');
        for (const char *c = a; *c; c++) {
            assert_true(*c >= 0x20 && *c < 0x7f);
            assert_true(*c != '%');
        }
    }
    assert_string_equal(tui_glyph_pick(GLYPH_MARKER, false), ">");
    assert_string_equal(tui_glyph_pick(GLYPH_MARKER, true), "\u203a");
    assert_string_equal(tui_glyph_pick(GLYPH_SEPARATOR, false), "-");
    assert_string_equal(tui_glyph_pick(GLYPH_SEPARATOR, true), "\u00b7");
    assert_string_equal(tui_glyph_pick(GLYPH_ELLIPSIS, false), "...");
    assert_string_equal(tui_glyph_pick(GLYPH_COUNT, false), "");
}

static void test_own_text_in_ascii(void **state)
{
    char out[64];
    (void)state;
    assert_int_equal(tui_glyphs_ascii("Cart \u203a Remove", out, sizeof out), 13);
    assert_string_equal(out, "Cart > Remove");
    tui_glyphs_ascii("Loading your cart\u2026", out, sizeof out);
    assert_string_equal(out, "Loading your cart...");
    tui_glyphs_ascii("Cart %d \u00b7 %s", out, sizeof out);
    assert_string_equal(out, "Cart %d - %s");
    tui_glyphs_ascii("SANDBOX \u2014 no real money", out, sizeof out);
    assert_string_equal(out, "SANDBOX - no real money");
    tui_glyphs_ascii("\u2039 %s \u203a", out, sizeof out);
    assert_string_equal(out, "< %s >");
    /* what is not in the table is left alone */
    tui_glyphs_ascii("caf\u00e9 \u00d7 2", out, sizeof out);
    assert_string_equal(out, "caf\u00e9 x 2");
    tui_glyphs_ascii(NULL, out, sizeof out);
    assert_string_equal(out, "");
}

/* A stand-in that does not fit whole is left out, never cut. */
static void test_own_text_truncated(void **state)
{
    char out[8];
    (void)state;
    assert_int_equal(tui_glyphs_ascii("Wait\u2026", out, sizeof out), 7);
    assert_string_equal(out, "Wait...");
    assert_int_equal(tui_glyphs_ascii("Waits\u2026", out, sizeof out), 5);
    assert_string_equal(out, "Waits");
    assert_int_equal(tui_glyphs_ascii("x", out, 0), 0);
}

/* Text from the shop in a locale without it: look-alikes for punctuation, nothing for letters. */
static void test_ascii_look_alike(void **state)
{
    (void)state;
    assert_int_equal(tui_glyph_ascii_char(0x2014), '-'); /* em dash, from the glyph table */
    assert_int_equal(tui_glyph_ascii_char(0x00b7), '-'); /* middle dot */
    assert_int_equal(tui_glyph_ascii_char(0x2019), '\'');
    assert_int_equal(tui_glyph_ascii_char(0x201c), '"');
    assert_int_equal(tui_glyph_ascii_char(0x00a0), ' ');
    assert_int_equal(tui_glyph_ascii_char(0x2026), 0); /* "..." is wider than the character */
    assert_int_equal(tui_glyph_ascii_char(0x00e4), 0); /* a letter stays a stand-in */
    assert_int_equal(tui_glyph_ascii_char('a'), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codeset),
        cmocka_unit_test(test_locale_choice),
        cmocka_unit_test(test_table_pairs),
        cmocka_unit_test(test_own_text_in_ascii),
        cmocka_unit_test(test_own_text_truncated),
        cmocka_unit_test(test_ascii_look_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
