/* test_wrap.c: word wrap by display width: ASCII, wide characters, long words, paragraphs. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tui/internal.h"

/* The wrapped lines joined with '|', each sanitized as it would be drawn. */
static const char *lines_of(const char *text, int width)
{
    static char out[512];
    struct wrap_iter w;
    struct wrap_line line;
    size_t len = 0;

    out[0] = '\0';
    wrap_init(&w, text, width);
    for (int n = 0; wrap_next(&w, &line); n++) {
        char raw[256], clean[256];
        assert_true(line.len < sizeof raw);
        memcpy(raw, line.start, line.len);
        raw[line.len] = '\0';
        tui_sanitize(raw, clean, sizeof clean, false);
        assert_int_equal(line.width, tui_text_width(clean));
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s", n ? "|" : "", clean);
    }
    return out;
}

static void test_ascii(void **state)
{
    assert_int_equal(tui_wrap_count("hello world", 20), 1);
    assert_int_equal(tui_wrap_count("hello world", 11), 1);
    assert_int_equal(tui_wrap_count("hello world", 10), 2);
    assert_string_equal(lines_of("hello world", 10), "hello|world");
    assert_string_equal(lines_of("the quick brown fox jumps", 10), "the quick|brown fox|jumps");
    assert_int_equal(tui_wrap_count("the quick brown fox jumps", 10), 3);
    assert_string_equal(lines_of("aaaa bbbb", 4), "aaaa|bbbb");
    /* spaces at a wrap vanish; spaces inside a line stay */
    assert_string_equal(lines_of("aaaa     bbbb", 4), "aaaa|bbbb");
    assert_string_equal(lines_of("a  b", 10), "a  b");
    assert_string_equal(lines_of("trailing   ", 8), "trailing");
    assert_int_equal(tui_wrap_count("trailing   ", 8), 1);
}

static void test_empty_and_paragraphs(void **state)
{
    assert_int_equal(tui_wrap_count("", 10), 0);
    assert_int_equal(tui_wrap_count(NULL, 10), 0);
    assert_int_equal(tui_wrap_count("\n", 10), 1);
    assert_int_equal(tui_wrap_count("a\n", 10), 1);
    assert_int_equal(tui_wrap_count("a\n\n", 10), 2);
    assert_int_equal(tui_wrap_count("a\nb", 10), 2);
    assert_string_equal(lines_of("one\n\ntwo three", 5), "one||two|three");
    assert_int_equal(tui_wrap_count("one\n\ntwo three", 5), 4);
    /* a paragraph that ends exactly at a wrap does not add an empty line */
    assert_string_equal(lines_of("abcd efgh\nij", 4), "abcd|efgh|ij");
    assert_string_equal(lines_of("abcd \nij", 4), "abcd|ij");
    /* indentation is kept while it fits */
    assert_string_equal(lines_of("  - item\n  - other", 10), "  - item|  - other");
    assert_string_equal(lines_of("    abcdef", 6), "abcdef");
    /* Windows line ends and tabs */
    assert_string_equal(lines_of("a\r\nb\tc", 10), "a|b c");
}

static void test_long_words(void **state)
{
    assert_string_equal(lines_of("abcdefghij", 4), "abcd|efgh|ij");
    assert_int_equal(tui_wrap_count("abcdefghij", 4), 3);
    assert_string_equal(lines_of("see https://example.com/a/long/path ok", 12),
                        "see|https://exam|ple.com/a/lo|ng/path ok");
    assert_int_equal(tui_wrap_count("abcdefgh", 4), 2);
}

static void test_wide_characters(void **state)
{
    /* each of these is two columns wide */
    assert_int_equal(tui_wrap_count("日本語のテキスト", 16), 1);
    assert_int_equal(tui_wrap_count("日本語のテキスト", 8), 2);
    assert_string_equal(lines_of("日本語のテキスト", 8), "日本語の|テキスト");
    /* an odd width leaves the last column empty rather than splitting a character */
    assert_string_equal(lines_of("日本語のテキスト", 7), "日本語|のテキ|スト");
    assert_string_equal(lines_of("ab 日本 cd", 6), "ab 日|本 cd");
    assert_string_equal(lines_of("😀😀😀 ok", 4), "😀😀|😀|ok");
    assert_string_equal(lines_of("😀😀😀 ok", 5), "😀😀|😀 ok");
    assert_string_equal(lines_of("price 日本円", 8), "price 日|本円");
    assert_string_equal(lines_of("café crème", 5), "café|crème");
    assert_string_equal(lines_of("e\xcc\x81t\xc3\xa9", 2), "e\xcc\x81t|\xc3\xa9");
}

static void test_width_one(void **state)
{
    assert_string_equal(lines_of("ab c", 1), "a|b|c");
    assert_int_equal(tui_wrap_count("ab c", 1), 3);
    /* a character wider than the line still takes a line of its own: no endless loop */
    assert_int_equal(tui_wrap_count("日本", 1), 2);
    assert_int_equal(tui_wrap_count("x", 0), 0);
    assert_int_equal(tui_wrap_count("x", -3), 0);
}

static void test_controls_do_not_count(void **state)
{
    assert_string_equal(lines_of("\033[31mred\033[0m text", 4), "red|text");
    assert_string_equal(lines_of("\033]0;title\007abc def", 3), "abc|def");
    assert_int_equal(tui_wrap_count("\033]0;a very long title that is not text\007x", 2), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),      cmocka_unit_test(test_empty_and_paragraphs),
        cmocka_unit_test(test_long_words), cmocka_unit_test(test_wide_characters),
        cmocka_unit_test(test_width_one),  cmocka_unit_test(test_controls_do_not_count),
    };

    if (!setlocale(LC_ALL, "C.UTF-8"))
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
