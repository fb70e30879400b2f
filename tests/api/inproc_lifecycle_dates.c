/* inproc_lifecycle_dates.c: the calendar arithmetic behind due dates: months are calendar
 * months from an anchor day, clamped at month end, across leap years and year ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "billing/clock.h"

static void assert_date(struct date got, const char *want)
{
    char buf[DATE_CHARS];

    date_format(got, buf);
    assert_string_equal(buf, want);
}

static struct date d(const char *s)
{
    struct date out;

    assert_true(date_parse(s, &out));
    return out;
}

/* 31 January is due 28 February, then 31 March again: the anchor day, not the clamped day,
 * decides the next month. */
static void test_month_end_clamps_and_recovers(void **state)
{
    struct date due = d("2025-01-31");
    static const char *const want[] = {"2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31",
                                       "2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30",
                                       "2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31"};

    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        due = date_add_months(due, 1, 31);
        assert_date(due, want[i]);
    }
    /* Without the anchor a chain of months would drift to the 28th for good. */
    assert_date(date_add_months(date_add_months(d("2025-01-31"), 1, 0), 1, 0), "2025-03-28");
}

static void test_leap_years(void **state)
{
    assert_date(date_add_months(d("2024-01-31"), 1, 31), "2024-02-29");
    assert_date(date_add_months(d("2024-01-30"), 1, 30), "2024-02-29");
    assert_date(date_add_months(d("2024-01-29"), 1, 29), "2024-02-29");
    assert_date(date_add_months(d("2024-01-28"), 1, 28), "2024-02-28");
    /* 2100 is not a leap year; 2000 was. */
    assert_date(date_add_months(d("2100-01-31"), 1, 31), "2100-02-28");
    assert_date(date_add_months(d("2000-01-31"), 1, 31), "2000-02-29");
    /* A service started on 29 February renews on the 28th in ordinary years and the 29th in
     * leap ones. */
    assert_date(date_add_months(d("2024-02-29"), 12, 29), "2025-02-28");
    assert_date(date_add_months(d("2024-02-29"), 48, 29), "2028-02-29");
    assert_date(date_add_months(d("2025-02-28"), 12, 29), "2026-02-28");
    assert_true(date_parse("2024-02-29", &(struct date){0}));
    assert_false(date_parse("2025-02-29", &(struct date){0}));
    assert_false(date_parse("1900-02-29", &(struct date){0}));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
}

static void test_year_ends_and_long_cycles(void **state)
{
    assert_date(date_add_months(d("2025-12-15"), 1, 15), "2026-01-15");
    assert_date(date_add_months(d("2025-11-30"), 3, 30), "2026-02-28");
    assert_date(date_add_months(d("2025-08-31"), 6, 31), "2026-02-28");
    assert_date(date_add_months(d("2025-10-31"), 12, 31), "2026-10-31");
    assert_date(date_add_months(d("2023-03-31"), 24, 31), "2025-03-31");
    assert_date(date_add_days(d("2025-12-31"), 1), "2026-01-01");
    assert_date(date_add_days(d("2024-03-01"), -1), "2024-02-29");
    assert_date(date_add_days(d("2026-01-01"), -7), "2025-12-25");
    assert_int_equal(date_diff_days(d("2025-01-31"), d("2025-02-28")), 28);
    assert_int_equal(date_diff_days(d("2024-01-31"), d("2024-02-29")), 29);
    assert_int_equal(date_diff_days(d("2025-01-01"), d("2026-01-01")), 365);
    assert_int_equal(date_diff_days(d("2024-01-01"), d("2025-01-01")), 366);
    assert_int_equal(date_diff_days(d("2025-03-01"), d("2025-02-01")), -28);
}

/* Unix seconds and dates agree at day boundaries (UTC). */
static void test_unix_round_trip(void **state)
{
    int64_t t = date_to_unix(d("2025-06-01"));

    assert_int_equal(t, 1748736000);
    assert_date(date_from_unix(t), "2025-06-01");
    assert_date(date_from_unix(t - 1), "2025-05-31");
    assert_date(date_from_unix(t + 86399), "2025-06-01");
    assert_date(date_from_unix(0), "1970-01-01");
    assert_int_equal(date_compare(d("2025-06-01"), d("2025-06-02")), -1);
    assert_int_equal(date_compare(d("2026-01-01"), d("2025-12-31")), 1);
    assert_int_equal(date_compare(d("2025-06-01"), d("2025-06-01")), 0);
}

static void test_parse_is_strict(void **state)
{
    static const char *const bad[] = {"2025-6-01",  "2025-06-1",   "2025-13-01",  "2025-00-10",
                                      "2025-04-31", "2025-06-01x", " 2025-06-01", "",
                                      "2025/06/01", "20250601",    "2025-06-00"};
    struct date out;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(date_parse(bad[i], &out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month_end_clamps_and_recovers),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_year_ends_and_long_cycles),
        cmocka_unit_test(test_unix_round_trip),
        cmocka_unit_test(test_parse_is_strict),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
