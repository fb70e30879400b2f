/* test_money.c: money formatting and the currency table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "client/money.h"

static const char *fmt(int64_t amount, const char *code)
{
    static char buf[128];
    struct money m = {.amount = amount};

    memcpy(m.currency, code, strlen(code) + 1);
    money_format(&m, NULL, buf, sizeof(buf));
    return buf;
}

static void test_usd(void **state)
{
    (void)state;
    assert_string_equal(fmt(1299, "USD"), "$12.99");
    assert_string_equal(fmt(0, "USD"), "$0.00");
    assert_string_equal(fmt(5, "USD"), "$0.05");
    assert_string_equal(fmt(50, "USD"), "$0.50");
    assert_string_equal(fmt(100, "USD"), "$1.00");
    assert_string_equal(fmt(99999, "USD"), "$999.99");
    assert_string_equal(fmt(100000, "USD"), "$1,000.00");
    assert_string_equal(fmt(123456789, "USD"), "$1,234,567.89");
    assert_string_equal(fmt(100000000000, "USD"), "$1,000,000,000.00");
}

static void test_negative(void **state)
{
    (void)state;
    assert_string_equal(fmt(-105, "USD"), "-$1.05");
    assert_string_equal(fmt(-5, "USD"), "-$0.05");
    assert_string_equal(fmt(-123456, "EUR"), "-€1,234.56");
    assert_string_equal(fmt(-1, "JPY"), "-¥1");
    assert_string_equal(fmt(-12345, "KWD"), "-12.345 KWD");
    assert_string_equal(fmt(-1250, "XYZ"), "-12.50 XYZ");
}

static void test_exponents(void **state)
{
    (void)state;
    assert_string_equal(fmt(1200, "JPY"), "¥1,200");
    assert_string_equal(fmt(0, "JPY"), "¥0");
    assert_string_equal(fmt(999, "JPY"), "¥999");
    assert_string_equal(fmt(1000000, "KRW"), "₩1,000,000");
    assert_string_equal(fmt(12500, "KWD"), "12.500 KWD");
    assert_string_equal(fmt(5, "KWD"), "0.005 KWD");
    assert_string_equal(fmt(0, "KWD"), "0.000 KWD");
    assert_string_equal(fmt(1234567, "BHD"), "1,234.567 BHD");
}

static void test_symbols_and_codes(void **state)
{
    (void)state;
    assert_string_equal(fmt(1099, "EUR"), "€10.99");
    assert_string_equal(fmt(1099, "GBP"), "£10.99");
    assert_string_equal(fmt(500, "CAD"), "CA$5.00");
    assert_string_equal(fmt(500, "AUD"), "A$5.00");
    assert_string_equal(fmt(1250, "CHF"), "12.50 CHF");
    assert_string_equal(fmt(1250, "SEK"), "12.50 kr");
    assert_string_equal(fmt(1250, "XYZ"), "12.50 XYZ");
    assert_string_equal(fmt(123456, "XYZ"), "1,234.56 XYZ");
    /* an empty code prints a bare number rather than garbage */
    assert_string_equal(fmt(1250, ""), "12.50");
}

static void test_int64_edges(void **state)
{
    (void)state;
    assert_string_equal(fmt(INT64_MAX, "USD"), "$92,233,720,368,547,758.07");
    assert_string_equal(fmt(INT64_MIN, "USD"), "-$92,233,720,368,547,758.08");
    assert_string_equal(fmt(INT64_MIN + 1, "USD"), "-$92,233,720,368,547,758.07");
    assert_string_equal(fmt(INT64_MIN, "JPY"), "-¥9,223,372,036,854,775,808");
    assert_string_equal(fmt(INT64_MAX, "JPY"), "¥9,223,372,036,854,775,807");
    assert_string_equal(fmt(INT64_MIN, "KWD"), "-9,223,372,036,854,775.808 KWD");
}

static void test_given_currency(void **state)
{
    struct currency usd = {.code = "USD", .symbol = "US$", .exponent = 2};
    struct currency abc = {.code = "ABC", .symbol = "", .exponent = 3};
    struct currency wide = {.code = "WID", .symbol = "W", .exponent = 40};
    struct currency neg = {.code = "NEG", .symbol = "N$", .exponent = -2};
    struct money m = {.amount = 1299, .currency = "USD"};
    char buf[64];

    (void)state;
    money_format(&m, &usd, buf, sizeof(buf));
    assert_string_equal(buf, "US$12.99");
    /* a currency for another code is ignored: the table wins */
    memcpy(m.currency, "EUR", 4);
    money_format(&m, &usd, buf, sizeof(buf));
    assert_string_equal(buf, "€12.99");
    memcpy(m.currency, "ABC", 4);
    m.amount = 1234;
    money_format(&m, &abc, buf, sizeof(buf));
    assert_string_equal(buf, "1.234 ABC");
    /* absurd exponents are clamped, never overflow the buffer */
    memcpy(m.currency, "WID", 4);
    m.amount = 1;
    money_format(&m, &wide, buf, sizeof(buf));
    assert_string_equal(buf, "0.000000000000000001 W");
    memcpy(m.currency, "NEG", 4);
    m.amount = 42;
    money_format(&m, &neg, buf, sizeof(buf));
    assert_string_equal(buf, "N$42");
}

static void test_small_buffers(void **state)
{
    struct money m = {.amount = 1299, .currency = "USD"};
    struct money eur = {.amount = 1099, .currency = "EUR"};
    char buf[8];

    (void)state;
    assert_int_equal(money_format(&m, NULL, buf, 4), 6);
    assert_string_equal(buf, "$12");
    assert_int_equal(money_format(&m, NULL, buf, 1), 6);
    assert_string_equal(buf, "");
    assert_int_equal(money_format(&m, NULL, NULL, 0), 6);
    assert_int_equal(money_format(&m, NULL, buf, 7), 6);
    assert_string_equal(buf, "$12.99");
    /* "€" is three bytes: never cut in half */
    assert_int_equal(money_format(&eur, NULL, buf, 3), 8);
    assert_string_equal(buf, "");
    money_format(&eur, NULL, buf, 4);
    assert_string_equal(buf, "€");
    money_format(&eur, NULL, buf, 5);
    assert_string_equal(buf, "€1");
    assert_int_equal(money_format(NULL, NULL, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
}

static void test_unterminated_code(void **state)
{
    struct money m = {.amount = 100};
    char buf[32];

    (void)state;
    memcpy(m.currency, "ABCD", 4); /* no NUL: only three letters may be read */
    money_format(&m, NULL, buf, sizeof(buf));
    assert_string_equal(buf, "1.00 ABC");
}

static void test_lookup(void **state)
{
    struct currency c;

    (void)state;
    assert_int_equal(currency_lookup("USD", &c), 0);
    assert_string_equal(c.code, "USD");
    assert_string_equal(c.symbol, "$");
    assert_int_equal(c.exponent, 2);
    assert_int_equal(currency_lookup("jpy", &c), 0);
    assert_string_equal(c.code, "JPY");
    assert_int_equal(c.exponent, 0);
    assert_int_equal(currency_lookup("KWD", &c), 0);
    assert_string_equal(c.symbol, "");
    assert_int_equal(c.exponent, 3);
    assert_int_equal(currency_lookup("XYZ", &c), -1);
    assert_int_equal(currency_lookup("", &c), -1);
    assert_int_equal(currency_lookup(NULL, &c), -1);
    assert_int_equal(currency_lookup("EUR", NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usd),           cmocka_unit_test(test_negative),
        cmocka_unit_test(test_exponents),     cmocka_unit_test(test_symbols_and_codes),
        cmocka_unit_test(test_int64_edges),   cmocka_unit_test(test_given_currency),
        cmocka_unit_test(test_small_buffers), cmocka_unit_test(test_unterminated_code),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
