/* inproc_lifecycle_year.c: a monthly service lives through a year with the clock fixed and the
 * scheduler run every day: one renewal invoice per month on the calendar, suspension when one
 * is left unpaid, unsuspension when it is paid, termination when a later one never is. */
#include "inproc_lifecycle.h"

#define IRON_MONTHLY      899
#define IRON_WITH_VAT     1079 /* 899 + round_half_up(899 * 20 %) */
#define RENEWAL_LEAD_DAYS 7

/* Pays every renewal invoice the day it is issued, for a year from 31 January 2025. */
static void test_paid_year_has_twelve_renewals_on_the_calendar(void **state)
{
    static const char *const starts[] = {"2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31",
                                         "2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30",
                                         "2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31"};
    static const char *const ends[] = {"2025-03-30", "2025-04-29", "2025-05-30", "2025-06-29",
                                       "2025-07-30", "2025-08-30", "2025-09-29", "2025-10-30",
                                       "2025-11-29", "2025-12-30", "2026-01-30", "2026-02-27"};
    int64_t start = lc_noon(2025, 1, 31), user = 1, svc;
    size_t issued = 0;
    char buf[32];
    struct lc t;

    lc_start(&t, start);
    svc = lc_service(&t, user, "mc-iron", "monthly", start);
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2025-02-28");
    assert_int_equal(lc_int(&t, "SELECT anchor_day FROM services WHERE id = ?1", svc), 31);
    for (int day = 0; day <= 365; day++) {
        int64_t now = start + (int64_t)day * DAY;
        struct date today = date_from_unix(now);
        int64_t inv;

        lc_run(&t, now);
        assert_string_equal(lc_status(&t, svc, buf, sizeof buf), "active");
        inv = issued < 12 ? lc_renewal(&t, svc, starts[issued]) : INT64_MIN;
        /* Nothing but the period that comes next is ever billed. */
        assert_int_equal(lc_renewals(&t, svc), (int64_t)issued + (inv != INT64_MIN));
        if (inv != INT64_MIN) {
            char date[DATE_CHARS];
            struct date due;

            /* Issued exactly renewal_invoice_days before its period, never earlier. */
            assert_true(date_parse(starts[issued], &due));
            date_format(date_add_days(due, -RENEWAL_LEAD_DAYS), date);
            date_format(today, buf);
            assert_string_equal(buf, date);
            assert_string_equal(
                lc_text(&t, "SELECT period_end FROM invoices WHERE id = ?1", inv, buf, sizeof buf),
                ends[issued]);
            assert_string_equal(
                lc_text(&t, "SELECT due_date FROM invoices WHERE id = ?1", inv, buf, sizeof buf),
                starts[issued]);
            assert_int_equal(lc_int(&t, "SELECT subtotal FROM invoices WHERE id = ?1", inv),
                             IRON_MONTHLY);
            assert_int_equal(lc_int(&t, "SELECT total FROM invoices WHERE id = ?1", inv),
                             IRON_WITH_VAT);
            lc_pay(&t, inv, now);
            issued++;
            /* Paid: the next period is the one due, a calendar month on. */
            assert_string_equal(lc_due(&t, svc, buf, sizeof buf),
                                issued < 12 ? starts[issued] : "2026-02-28");
        }
    }
    assert_int_equal(issued, 12);
    assert_int_equal(lc_renewals(&t, svc), 12);
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM invoices WHERE service_id = ?1"
                            " AND status = 'paid'",
                            svc),
                     12);
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM audit_log WHERE target_id = ?1"
                            " AND target_type = 'service'",
                            svc),
                     0);
    lc_stop(&t);
}

/* Checks the service's status at the end of a day. */
static void expect_status(struct lc *t, int64_t svc, const char *status)
{
    char buf[16];

    assert_string_equal(lc_status(t, svc, buf, sizeof buf), status);
}

/* 2024 (a leap year) from 31 January: the May renewal is paid a week late, so the service is
 * suspended on the third day overdue and active again the moment it is paid; the October one
 * is never paid, so the service is suspended and then terminated on the fourteenth day. */
static void test_late_and_unpaid_renewals(void **state)
{
    int64_t start = lc_noon(2024, 1, 31), user = 1, svc, late = 0, unpaid = 0;
    char buf[256];
    struct lc t;

    lc_start(&t, start);
    svc = lc_service(&t, user, "mc-iron", "monthly", start);
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2024-02-29");
    for (int day = 0; day <= 365; day++) {
        int64_t now = start + (int64_t)day * DAY;
        int64_t inv;

        lc_run(&t, now);
        date_format(date_from_unix(now), buf);
        inv = lc_int(&t,
                     "SELECT id FROM invoices WHERE service_id = ?1 AND kind = 'renewal'"
                     " AND status IN ('pending', 'overdue')",
                     svc);
        if (inv == INT64_MIN)
            continue;
        if (lc_renewal(&t, svc, "2024-05-31") == inv) {
            late = inv;
            if (strcmp(buf, "2024-06-07") < 0)
                continue; /* left unpaid for a week */
        }
        if (lc_renewal(&t, svc, "2024-09-30") == inv) {
            unpaid = inv;
            continue; /* never paid */
        }
        lc_pay(&t, inv, now);
    }
    assert_true(late > 0 && unpaid > 0);
    /* Eight renewals were issued (February 29 to September 30); none after termination. */
    assert_int_equal(lc_renewals(&t, svc), 8);
    expect_status(&t, svc, "terminated");
    assert_string_equal(
        lc_text(&t, "SELECT status FROM invoices WHERE id = ?1", unpaid, buf, sizeof buf),
        "cancelled");
    assert_string_equal(
        lc_text(&t, "SELECT status FROM invoices WHERE id = ?1", late, buf, sizeof buf), "paid");
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM services WHERE id = ?1 AND"
                            " next_due_date IS NULL AND server_name IS NULL",
                            svc),
                     1);
    assert_string_equal(
        lc_text(&t,
                "SELECT group_concat(action || '@' || date(created_at, 'unixepoch'),"
                " ' ') FROM (SELECT * FROM audit_log WHERE target_type = 'service'"
                " AND target_id = ?1 ORDER BY id)",
                svc, buf, sizeof buf),
        "service.suspend@2024-06-03 service.unsuspend@2024-06-07 "
        "service.suspend@2024-10-03 service.terminate@2024-10-14");
    lc_stop(&t);
}

/* The same two invoices, watched day by day around their due dates. */
static void test_suspension_days(void **state)
{
    int64_t start = lc_noon(2024, 4, 30), user = 1, svc, inv;
    char buf[32];
    struct lc t;

    lc_start(&t, start);
    svc = lc_service(&t, user, "mc-iron", "monthly", start);
    assert_string_equal(lc_due(&t, svc, buf, sizeof buf), "2024-05-30");
    lc_run(&t, lc_noon(2024, 5, 22));
    assert_int_equal(lc_renewals(&t, svc), 0);
    lc_run(&t, lc_noon(2024, 5, 23));
    inv = lc_renewal(&t, svc, "2024-05-30");
    assert_true(inv > 0);
    lc_run(&t, lc_noon(2024, 5, 30)); /* due today: not overdue yet */
    assert_string_equal(
        lc_text(&t, "SELECT status FROM invoices WHERE id = ?1", inv, buf, sizeof buf), "pending");
    lc_run(&t, lc_noon(2024, 5, 31));
    assert_string_equal(
        lc_text(&t, "SELECT status FROM invoices WHERE id = ?1", inv, buf, sizeof buf), "overdue");
    expect_status(&t, svc, "active");
    lc_run(&t, lc_noon(2024, 6, 1));
    expect_status(&t, svc, "active");
    lc_run(&t, lc_noon(2024, 6, 2)); /* three days overdue */
    expect_status(&t, svc, "suspended");
    lc_run(&t, lc_noon(2024, 6, 12));
    expect_status(&t, svc, "suspended");
    lc_run(&t, lc_noon(2024, 6, 13)); /* fourteen days overdue */
    expect_status(&t, svc, "terminated");
    assert_string_equal(
        lc_text(&t, "SELECT status FROM invoices WHERE id = ?1", inv, buf, sizeof buf),
        "cancelled");
    /* A pass later changes nothing more. */
    lc_run(&t, lc_noon(2024, 7, 1));
    assert_int_equal(lc_renewals(&t, svc), 1);
    lc_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paid_year_has_twelve_renewals_on_the_calendar),
        cmocka_unit_test(test_late_and_unpaid_renewals),
        cmocka_unit_test(test_suspension_days),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
