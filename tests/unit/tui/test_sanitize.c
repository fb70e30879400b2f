/* test_sanitize.c: nothing from the API may reach the terminal as a control sequence. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/tui.h"

static char out[1024];

static const char *san(const char *in)
{
    tui_sanitize(in, out, sizeof out, false);
    return out;
}

static const char *san_nl(const char *in)
{
    tui_sanitize(in, out, sizeof out, true);
    return out;
}

static void test_plain_text_unchanged(void **state)
{
    assert_string_equal(san("Game Server 4 GB"), "Game Server 4 GB");
    assert_string_equal(san(""), "");
    assert_string_equal(san(NULL), "");
    assert_int_equal(tui_sanitize("abc", out, sizeof out, false), 3);
}

static void test_escape_sequences(void **state)
{
    assert_string_equal(san("a\033b"), "a");                      /* two-byte ESC b */
    assert_string_equal(san("\033[31mred\033[0m"), "red");        /* SGR */
    assert_string_equal(san("x\033[2J\033[H\033[10;20Hy"), "xy"); /* clear, cursor moves */
    assert_string_equal(san("\033[?1049h\033[?25lz"), "z");       /* private modes */
    assert_string_equal(san("\033(Bok"), "ok");                   /* charset designation */
    assert_string_equal(san("\033#8ok"), "ok");
    assert_string_equal(san("end\033"), "end"); /* lone ESC at the end */
    assert_string_equal(san("\033\033[1mx"), "x");
    assert_string_equal(san("\033[31"), ""); /* unterminated CSI */
}

static void test_osc_and_strings(void **state)
{
    assert_string_equal(san("\033]0;pwned\007after"), "after");   /* title, BEL */
    assert_string_equal(san("\033]2;pwned\033\\after"), "after"); /* title, ST */
    assert_string_equal(san("\033]8;;https://evil.example/\033\\click\033]8;;\033\\"), "click");
    assert_string_equal(san("\033]52;c;aGVsbG8=\007x"), "x"); /* clipboard write */
    assert_string_equal(san("\033Pq#0;2;0;0;0\033\\x"), "x"); /* DCS (sixel) */
    assert_string_equal(san("\033_apc\033\\x"), "x");
    assert_string_equal(san("\033^pm\033\\x"), "x");
    assert_string_equal(san("\033Xsos\033\\x"), "x");
    assert_string_equal(san("\033]0;never ends"), "");
    /* an ESC that is not ST ends the string and starts a sequence of its own */
    assert_string_equal(san("\033]0;t\033[1mx"), "x");
}

static void test_c1_controls(void **state)
{
    /* UTF-8 encoded C1: U+009B is CSI, U+009D OSC, U+0090 DCS, U+009C ST */
    assert_string_equal(san("a\xc2\x9b"
                            "31mb"),
                        "ab");
    assert_string_equal(san("a\xc2\x9d"
                            "0;title\x07"
                            "b"),
                        "ab");
    assert_string_equal(san("a\xc2\x9d"
                            "0;title\xc2\x9c"
                            "b"),
                        "ab");
    assert_string_equal(san("a\xc2\x90"
                            "q\xc2\x9c"
                            "b"),
                        "ab");
    assert_string_equal(san("a\xc2\x85"
                            "b"),
                        "ab"); /* NEL */
    /* raw bytes 0x80-0x9F are not UTF-8: replaced, never passed through */
    assert_string_equal(san("a\x9b"
                            "b"),
                        "a\xef\xbf\xbd"
                        "b");
    assert_string_equal(san("\x9d\x90\x85"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_c0_controls(void **state)
{
    assert_string_equal(san("ding\007!"), "ding!");
    assert_string_equal(san("abc\b\b\bxyz"), "abcxyz");
    assert_string_equal(san("over\rwrite"), "overwrite");
    assert_string_equal(san("del\x7f"
                            "ete"),
                        "delete");
    assert_string_equal(san("a\x01\x02\x0e\x0f\x18\x1a\x1c\x1f"
                            "b"),
                        "ab");
    assert_string_equal(san("tab\there"), "tab here");
}

static void test_newlines(void **state)
{
    assert_string_equal(san("one\ntwo"), "one two");
    assert_string_equal(san_nl("one\ntwo"), "one\ntwo");
    assert_string_equal(san_nl("one\r\ntwo\n"), "one\ntwo\n");
    assert_string_equal(san_nl("a\tb"), "a b");
}

static void test_invalid_utf8(void **state)
{
    const char *fffd = "\xef\xbf\xbd";

    assert_string_equal(san("\xff"), fffd);
    assert_string_equal(san("a\xc3"), "a\xef\xbf\xbd");               /* truncated at the end */
    assert_string_equal(san("\xc3(x"), "\xef\xbf\xbd(x");             /* bad continuation */
    assert_string_equal(san("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd"); /* overlong '/' */
    assert_string_equal(san("\xe0\x80\xaf"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(san("\xc1\x9b"), "\xef\xbf\xbd\xef\xbf\xbd"); /* overlong ESC [ */
    assert_string_equal(san("\xed\xa0\x80"),
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
    assert_string_equal(san("\xf4\x90\x80\x80"),                 /* above U+10FFFF */
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal(san("\xe2\x82"), fffd); /* one U+FFFD for a cut-off sequence */
}

static void test_wide_and_bidi(void **state)
{
    assert_string_equal(san("日本語 😀 café"), "日本語 😀 café");
    assert_string_equal(san("e\xcc\x81"), "e\xcc\x81"); /* combining acute kept */
    /* RLO, LRE, PDF, RLI, PDI dropped; LRM kept */
    assert_string_equal(san("\xe2\x80\xae"
                            "evil\xe2\x80\xac"),
                        "evil");
    assert_string_equal(san("a\xe2\x80\xaa"
                            "b\xe2\x81\xa7"
                            "c\xe2\x81\xa9"),
                        "abc");
    assert_string_equal(san("a\xe2\x80\x8e"
                            "b"),
                        "a\xe2\x80\x8e"
                        "b");
}

static void test_truncation(void **state)
{
    char small[8];

    memset(small, 'Z', sizeof small);
    assert_int_equal(tui_sanitize("abcdefghij", small, 4, false), 3);
    assert_string_equal(small, "abc");
    assert_int_equal(small[4], 'Z'); /* nothing written past outsz */

    /* "日" is three bytes: 6 bytes of room hold one, not one and a half */
    assert_int_equal(tui_sanitize("日本語", small, 6, false), 3);
    assert_string_equal(small, "日");
    assert_int_equal(tui_sanitize("日本語", small, 7, false), 6);
    assert_int_equal(tui_sanitize("😀x", small, 4, false), 0);
    assert_string_equal(small, "");
    assert_int_equal(tui_sanitize("abc", small, 1, false), 0);
    assert_string_equal(small, "");
    assert_int_equal(tui_sanitize("abc", small, 0, false), 0);
    assert_int_equal(tui_sanitize("abc", NULL, 10, false), 0);
}

static void test_width(void **state)
{
    assert_int_equal(tui_text_width("hello"), 5);
    assert_int_equal(tui_text_width("日本"), 4);
    assert_int_equal(tui_text_width("😀"), 2);
    assert_int_equal(tui_text_width("e\xcc\x81"), 1);
    assert_int_equal(tui_text_width("\033[31mred\033[0m"), 3);
    assert_int_equal(tui_text_width("\xff"), 1);             /* U+FFFD */
    assert_int_equal(tui_text_width("\xf3\xb0\x80\x80"), 1); /* private use: unprintable here */
    assert_int_equal(tui_text_width(""), 0);
    assert_int_equal(tui_text_width(NULL), 0);
}

/* Checks the guarantee itself on the output: valid UTF-8, no C0 (but '\n' when allowed), no
 * DEL, no C1, no bidi controls. */
static void assert_safe(const char *s, bool nl_ok)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned c = *p, cp, n;
        if (c < 0x80) {
            assert_true(c >= 0x20 || (nl_ok && c == '\n'));
            assert_true(c != 0x7f);
            p++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else {
            assert_true(c >= 0xF0 && c <= 0xF4);
            n = 4;
            cp = c & 0x07;
        }
        for (unsigned i = 1; i < n; i++) {
            assert_true((p[i] & 0xC0) == 0x80);
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        assert_true(cp >= (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u)); /* not overlong */
        assert_false(cp >= 0xD800 && cp <= 0xDFFF);
        assert_true(cp <= 0x10FFFF);
        assert_false(cp >= 0x80 && cp <= 0x9F);
        assert_false((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
        p += n;
    }
}

static void test_random_bytes(void **state)
{
    static const unsigned char interesting[] = {0x1b, '[',  ']',  'P',  '\\', 0x07, 0x9b,
                                                0x9c, 0x9d, 0xc2, 0xe2, 0x80, 0xae, 0xf0,
                                                0xed, '\n', '\r', 0x7f, 0x00, 'm',  ';'};
    char in[128], small[64];
    uint32_t seed = 12345;

    for (int round = 0; round < 20000; round++) {
        size_t len = 0, n;
        seed = seed * 1103515245u + 12345u;
        n = (seed >> 16) % (sizeof in - 1);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            unsigned char c =
                (r & 1) ? interesting[(r >> 1) % sizeof interesting] : (unsigned char)(r >> 3);
            if (c)
                in[len++] = (char)c;
        }
        in[len] = '\0';
        bool nl = round & 1;
        size_t outsz = 1 + (size_t)(seed >> 20) % sizeof small;
        memset(small, 0x55, sizeof small);
        size_t w = tui_sanitize(in, small, outsz, nl);
        assert_true(w < outsz);
        assert_int_equal(strlen(small), w);
        for (size_t i = outsz; i < sizeof small; i++)
            assert_int_equal((unsigned char)small[i], 0x55);
        assert_safe(small, nl);
        tui_sanitize(in, out, sizeof out, nl);
        assert_safe(out, nl);
        /* a truncated result is a prefix of the full one */
        assert_memory_equal(small, out, w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_unchanged), cmocka_unit_test(test_escape_sequences),
        cmocka_unit_test(test_osc_and_strings),      cmocka_unit_test(test_c1_controls),
        cmocka_unit_test(test_c0_controls),          cmocka_unit_test(test_newlines),
        cmocka_unit_test(test_invalid_utf8),         cmocka_unit_test(test_wide_and_bidi),
        cmocka_unit_test(test_truncation),           cmocka_unit_test(test_width),
        cmocka_unit_test(test_random_bytes),
    };

    if (!setlocale(LC_ALL, "C.UTF-8"))
        return 1; /* widths need a UTF-8 locale: a missing one is a broken setup */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
