/* test_utf8.c: the strict UTF-8 decoder the sanitizer and the command line's JSON output share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/utf8.h"

static int cp;

/* Decodes the start of `s` (its bytes up to the NUL) and returns the bytes consumed. */
static size_t dec(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    return tui_utf8_decode(p, p + strlen(s), &cp);
}

static void test_valid_sequences(void **state)
{
    (void)state;
    assert_int_equal(dec("A"), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(dec("\xc3\xa9"), 2); /* é */
    assert_int_equal(cp, 0xE9);
    assert_int_equal(dec("\xe2\x82\xac"), 3); /* € */
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(dec("\xf0\x9f\x98\x80"), 4); /* 😀 */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(dec("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF, the last one */
    assert_int_equal(cp, 0x10FFFF);
}

static void test_invalid_lead_bytes(void **state)
{
    (void)state;
    assert_int_equal(dec("\x80x"), 1); /* a lone continuation byte */
    assert_int_equal(cp, -1);
    assert_int_equal(dec("\xc0\xaf"), 1); /* overlong lead */
    assert_int_equal(cp, -1);
    assert_int_equal(dec("\xf5\x80\x80\x80"), 1); /* above U+10FFFF */
    assert_int_equal(cp, -1);
}

static void test_invalid_sequences_consume_their_valid_prefix(void **state)
{
    (void)state;
    assert_int_equal(dec("\xe0\x80\x80"), 1); /* overlong three-byte form */
    assert_int_equal(cp, -1);
    assert_int_equal(dec("\xed\xa0\x80"), 1); /* a surrogate */
    assert_int_equal(cp, -1);
    assert_int_equal(dec("\xf4\x90\x80\x80"), 1); /* U+110000 */
    assert_int_equal(cp, -1);
    assert_int_equal(dec("\xe2\x82x"), 2); /* cut short by an ASCII byte */
    assert_int_equal(cp, -1);
    assert_int_equal(dec("\xf0\x9f\x98"), 3); /* cut short by the end of the text */
    assert_int_equal(cp, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_sequences),
        cmocka_unit_test(test_invalid_lead_bytes),
        cmocka_unit_test(test_invalid_sequences_consume_their_valid_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
