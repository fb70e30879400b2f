/* inproc_decimal.c: money as a gateway's decimal string and back (billing/decimal.c), exactly,
 * for every exponent a currency may have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "billing/decimal.h"

static void test_format(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(decimal_format(1559, 2, out, sizeof out), 0);
    assert_string_equal(out, "15.59");
    assert_int_equal(decimal_format(5, 2, out, sizeof out), 0);
    assert_string_equal(out, "0.05");
    assert_int_equal(decimal_format(-5, 2, out, sizeof out), 0);
    assert_string_equal(out, "-0.05");
    assert_int_equal(decimal_format(1200, 0, out, sizeof out), 0);
    assert_string_equal(out, "1200");
    assert_int_equal(decimal_format(12500, 3, out, sizeof out), 0);
    assert_string_equal(out, "12.500");
    assert_int_equal(decimal_format(INT64_MIN, 2, out, sizeof out), 0);
    assert_string_equal(out, "-92233720368547758.08");
    assert_int_equal(decimal_format(1, 5, out, sizeof out), -1);
    assert_int_equal(decimal_format(123456, 2, out, 5), -1);
}

static void test_parse(void **state)
{
    int64_t v = -1;

    (void)state;
    assert_int_equal(decimal_parse("15.59", 2, &v), 0);
    assert_int_equal(v, 1559);
    assert_int_equal(decimal_parse("15.5", 2, &v), 0);
    assert_int_equal(v, 1550);
    assert_int_equal(decimal_parse("15", 2, &v), 0);
    assert_int_equal(v, 1500);
    assert_int_equal(decimal_parse("1200", 0, &v), 0);
    assert_int_equal(v, 1200);
    assert_int_equal(decimal_parse("0.001", 3, &v), 0);
    assert_int_equal(v, 1);
    /* Refused: more digits than the currency has, signs, empty parts, junk, overflow. */
    assert_int_equal(decimal_parse("15.591", 2, &v), -1);
    assert_int_equal(decimal_parse("1.5", 0, &v), -1);
    assert_int_equal(decimal_parse("-1.00", 2, &v), -1);
    assert_int_equal(decimal_parse("+1.00", 2, &v), -1);
    assert_int_equal(decimal_parse(".50", 2, &v), -1);
    assert_int_equal(decimal_parse("1.", 2, &v), -1);
    assert_int_equal(decimal_parse("", 2, &v), -1);
    assert_int_equal(decimal_parse("1e3", 2, &v), -1);
    assert_int_equal(decimal_parse("1.0.0", 2, &v), -1);
    assert_int_equal(decimal_parse("1234567890123456", 2, &v), -1);
}

static void test_round_trip(void **state)
{
    char out[32];
    int64_t v;

    (void)state;
    for (int e = 0; e <= 4; e++)
        for (int64_t m = 0; m < 100000; m += 997) {
            assert_int_equal(decimal_format(m, e, out, sizeof out), 0);
            assert_int_equal(decimal_parse(out, e, &v), 0);
            assert_int_equal(v, m);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
