/* test_command.c: which exec requests settd runs as `sett COMMAND …`: the shop's four commands
 * with their own options, split at blanks; shell lines, other options, control bytes, NUL bytes
 * and oversized requests are refused with one printable line and the documented status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/command.h"

/* Parses `text` (of `len` bytes) and checks the status, and that a refusal's line is one line of
 * printable ASCII (it reaches the client's terminal) that starts with "settd: ". */
static int parse(const char *text, size_t len, struct command *cmd, char *msg, size_t n)
{
    int rc = command_parse(text, len, cmd, msg, n);

    if (rc != COMMAND_OK) {
        assert_true(strncmp(msg, "settd: ", 7) == 0);
        for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
            assert_true(*p >= 0x20 && *p < 0x7f);
    }
    return rc;
}

static void expect_words(const char *text, const char *const want[])
{
    struct command cmd;
    char msg[300];
    int i = 0;

    assert_int_equal(parse(text, strlen(text), &cmd, msg, sizeof msg), COMMAND_OK);
    for (; want[i]; i++) {
        assert_true(i < cmd.argc);
        assert_string_equal(cmd.argv[i], want[i]);
    }
    assert_int_equal(cmd.argc, i);
    assert_null(cmd.argv[i]);
}

static int refused(const char *text, size_t len, char *msg, size_t n)
{
    struct command cmd;
    return parse(text, len, &cmd, msg, n);
}

#define REFUSED(text, status, part)                                                                \
    do {                                                                                           \
        char m_[300];                                                                              \
        assert_int_equal(refused(text, sizeof text - 1, m_, sizeof m_), status);                   \
        if (!strstr(m_, part))                                                                     \
            fail_msg("'%s' not in '%s'", part, m_);                                                \
    } while (0)

static void test_commands_and_options(void **state)
{
    (void)state;
    expect_words("products", (const char *const[]){"products", NULL});
    expect_words("products --json", (const char *const[]){"products", "--json", NULL});
    expect_words("  services\t--status  active --json ",
                 (const char *const[]){"services", "--status", "active", "--json", NULL});
    expect_words("invoices --status=paid",
                 (const char *const[]){"invoices", "--status=paid", NULL});
    expect_words("credits --transactions --json",
                 (const char *const[]){"credits", "--transactions", "--json", NULL});
    expect_words("products --category game-servers --search Minecraft --help",
                 (const char *const[]){"products", "--category", "game-servers", "--search",
                                       "Minecraft", "--help", NULL});
    /* a value is the next word whatever it says, as sett's getopt reads it */
    expect_words("invoices --status --api",
                 (const char *const[]){"invoices", "--status", "--api", NULL});
    expect_words("products --search café",
                 (const char *const[]){"products", "--search", "café", NULL});
    /* sett itself says what is wrong with a value, or a value left out (its exit status 2) */
    expect_words("invoices --status bogus",
                 (const char *const[]){"invoices", "--status", "bogus", NULL});
    expect_words("services --status", (const char *const[]){"services", "--status", NULL});
}

static void test_not_a_shop_command(void **state)
{
    (void)state;
    REFUSED("sh -c id", COMMAND_NOT_FOUND, "'sh' is not a shop command");
    REFUSED("sett", COMMAND_NOT_FOUND, "'sett' is not a shop command");
    REFUSED("sett services", COMMAND_NOT_FOUND, "not a shop command");
    REFUSED("users --json", COMMAND_NOT_FOUND, "'users' is not a shop command");
    REFUSED("help", COMMAND_NOT_FOUND, "products, services, invoices and credits");
    REFUSED("Services", COMMAND_NOT_FOUND, "not a shop command");
    REFUSED("--json services", COMMAND_NOT_FOUND, "not a shop command");
    REFUSED("", COMMAND_NOT_FOUND, "no command");
    REFUSED(" \t ", COMMAND_NOT_FOUND, "no command");
    /* a long or non-ASCII word is not repeated */
    REFUSED("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", COMMAND_NOT_FOUND, "that word");
    REFUSED("prodüct", COMMAND_NOT_FOUND, "that word is not a shop command");
}

static void test_shell_lines(void **state)
{
    (void)state;
    REFUSED("services; id", COMMAND_NOT_FOUND, "no shell");
    REFUSED("services && id", COMMAND_NOT_FOUND, "no shell");
    REFUSED("services | sh", COMMAND_NOT_FOUND, "no shell");
    REFUSED("services $(id)", COMMAND_NOT_FOUND, "no shell");
    REFUSED("services `id`", COMMAND_NOT_FOUND, "no shell");
    REFUSED("products --search 'two words'", COMMAND_NOT_FOUND, "quotes");
    REFUSED("products --search \"two words\"", COMMAND_NOT_FOUND, "quotes");
    REFUSED("products --search a\\ b", COMMAND_NOT_FOUND, "no shell");
    REFUSED("services > /tmp/x", COMMAND_NOT_FOUND, "no shell");
    REFUSED("products --search *", COMMAND_NOT_FOUND, "no shell");
    REFUSED("services ~", COMMAND_NOT_FOUND, "no shell");
}

static void test_options_that_reach_past_the_session(void **state)
{
    (void)state;
    /* another API would get the session's token; a file or database of the server's */
    REFUSED("services --api http://evil.example", COMMAND_USAGE, "'--api'");
    REFUSED("services --api=http://evil.example", COMMAND_USAGE, "services does not take");
    REFUSED("services --api-key-file /etc/passwd", COMMAND_USAGE, "'--api-key-file'");
    REFUSED("services --data-dir /tmp", COMMAND_USAGE, "'--data-dir'");
    /* getopt takes an unambiguous abbreviation: settd takes whole names only */
    REFUSED("services --ap=http://evil.example", COMMAND_USAGE, "does not take");
    REFUSED("services --stat paid", COMMAND_USAGE, "'--stat'");
    REFUSED("services --js", COMMAND_USAGE, "'--js'");
    /* the storefront's options, another command's, short ones, extra words, "--" */
    REFUSED("services --kiosk", COMMAND_USAGE, "'--kiosk'");
    REFUSED("services --theme=x", COMMAND_USAGE, "--status STATUS, --json, --help");
    REFUSED("services --transactions", COMMAND_USAGE, "'--transactions'");
    REFUSED("credits --status paid", COMMAND_USAGE, "'--status'");
    REFUSED("invoices -h", COMMAND_USAGE, "'-h'");
    REFUSED("invoices -- --json", COMMAND_USAGE, "'--'");
    REFUSED("invoices extra", COMMAND_USAGE, "'extra'");
    REFUSED("invoices --json=yes", COMMAND_USAGE, "'--json=yes'");
    REFUSED("credits --transactions=1", COMMAND_USAGE, "'--transactions=1'");
    REFUSED("products --bogus", COMMAND_USAGE, "--category SLUG, --search TEXT, --json, --help");
    /* the value of a valued option is skipped, not checked: the word after it is */
    REFUSED("products --search x --data-dir /", COMMAND_USAGE, "'--data-dir'");
}

static void test_garbage(void **state)
{
    char big[COMMAND_MAX_LEN + 2], msg[300];
    struct command cmd;
    (void)state;
    /* NUL, C0, DEL, escape sequences, C1 (as UTF-8), line breaks, invalid UTF-8 */
    REFUSED("services\0; id", COMMAND_NOT_FOUND, "control characters (or a NUL byte)");
    REFUSED("\0", COMMAND_NOT_FOUND, "NUL");
    REFUSED("services\n--json", COMMAND_NOT_FOUND, "control characters");
    REFUSED("services\r", COMMAND_NOT_FOUND, "control characters");
    REFUSED("services\x1b[2J", COMMAND_NOT_FOUND, "control characters");
    REFUSED("services\x7f", COMMAND_NOT_FOUND, "control characters");
    REFUSED("services \xc2\x9b"
            "2J",
            COMMAND_NOT_FOUND, "UTF-8");
    REFUSED("services \xff", COMMAND_NOT_FOUND, "UTF-8");
    REFUSED("services \xc3", COMMAND_NOT_FOUND, "UTF-8");
    REFUSED("products --search \xed\xa0\x80", COMMAND_NOT_FOUND, "UTF-8"); /* a surrogate */
    REFUSED("products --search \xc0\xaf", COMMAND_NOT_FOUND, "UTF-8");     /* overlong */
    /* too long: bytes and words */
    memset(big, 'a', sizeof big);
    assert_int_equal(parse(big, COMMAND_MAX_LEN + 1, &cmd, msg, sizeof msg), COMMAND_NOT_FOUND);
    assert_non_null(strstr(msg, "too long"));
    memcpy(big, "products --json", 15);
    memset(big + 15, ' ', COMMAND_MAX_LEN - 15);
    assert_int_equal(parse(big, COMMAND_MAX_LEN, &cmd, msg, sizeof msg), COMMAND_OK);
    REFUSED("products --json --json --json --json --json --json --json --json --json --json "
            "--json --json --json --json --json --json",
            COMMAND_NOT_FOUND, "at most 16 words");
    expect_words("products --json --json --json --json --json --json --json --json --json --json "
                 "--json --json --json --json --json",
                 (const char *const[]){"products", "--json", "--json", "--json", "--json", "--json",
                                       "--json", "--json", "--json", "--json", "--json", "--json",
                                       "--json", "--json", "--json", "--json", NULL});
    /* a tiny message buffer is still a string */
    assert_int_equal(parse("sh", 2, &cmd, msg, 8), COMMAND_NOT_FOUND);
    assert_int_equal(strlen(msg), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands_and_options),
        cmocka_unit_test(test_not_a_shop_command),
        cmocka_unit_test(test_shell_lines),
        cmocka_unit_test(test_options_that_reach_past_the_session),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
