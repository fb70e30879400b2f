/* test_text.c: what settd writes to a customer's terminal from outside text (the billing API's
 * refusal messages) carries no control byte: escape sequences, C0, DEL, C1 are gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/text.h"

static void expect(const char *in, const char *want)
{
    char out[256];

    text_sanitize(in, out, sizeof out);
    assert_string_equal(out, want);
    for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
        assert_true(*p >= 0x20 && *p != 0x7f);
        assert_false(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
    }
}

static void test_sequences_and_controls_are_dropped(void **state)
{
    (void)state;
    expect("plain text", "plain text");
    expect("\x1b[2J\x1b[31mred\x1b[0m", "red");
    expect("a\x1b]0;owned\x07"
           "b",
           "ab");
    expect("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb");
    expect("a\x1bPq#0;2;0;0;0\x1b\\b", "ab");
    expect("a\xc2\x9b"
           "31mb",
           "ab"); /* CSI as C1 */
    expect("a\xc2\x9d"
           "0;t\xc2\x9c"
           "b",
           "ab"); /* OSC ... ST as C1 */
    expect("a\xc2\x85"
           "b",
           "ab"); /* NEL */
    expect("line\r\nnext\tend\x7f\x08", "linenextend");
    expect("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac");
    expect("bad \xff\xc0\xaf end", "bad ??? end");
    expect("\x1b", "");
    expect("\x1b[", "");
}

static void test_output_is_bounded(void **state)
{
    char out[6];

    (void)state;
    assert_int_equal(text_sanitize("abcdefgh", out, sizeof out), 5);
    assert_string_equal(out, "abcde");
    /* a character is never cut */
    assert_int_equal(text_sanitize("abcd\xe2\x82\xac", out, sizeof out), 4);
    assert_string_equal(out, "abcd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequences_and_controls_are_dropped),
        cmocka_unit_test(test_output_is_bounded),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
