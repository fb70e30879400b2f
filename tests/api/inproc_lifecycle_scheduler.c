/* inproc_lifecycle_scheduler.c: the scheduler thread billingd_start runs: it works on the real
 * clock, stands aside while a test has fixed the clock, and stops at once with the server. */
#include "inproc_lifecycle.h"

#include <time.h>

#define DEMO_USER 1

static double seconds_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Waits up to `seconds` for the service's renewal count to reach `want`. */
static bool wait_for_renewals(struct lc *t, int64_t svc, int64_t want, double seconds)
{
    struct timespec start, nap = {0, 50 * 1000 * 1000};

    clock_gettime(CLOCK_MONOTONIC, &start);
    while (seconds_since(&start) < seconds) {
        if (lc_renewals(t, svc) >= want)
            return true;
        nanosleep(&nap, NULL);
    }
    return lc_renewals(t, svc) >= want;
}

/* A service due in four days (bought 27 days ago) is billed by the thread on its own. */
static void test_thread_runs_on_the_real_clock(void **state)
{
    int64_t real = (int64_t)time(NULL);
    struct lc t;
    int64_t svc;

    lc_start_with(&t, 0, 1);
    svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", real - 27 * DAY);
    assert_true(wait_for_renewals(&t, svc, 1, 10.0));
    lc_stop(&t);
}

/* With the clock fixed the thread leaves the calendar to the test's own passes. */
static void test_thread_stands_aside_for_a_fixed_clock(void **state)
{
    int64_t real = (int64_t)time(NULL);
    struct timespec nap = {2, 500 * 1000 * 1000};
    struct lc t;
    int64_t svc;

    lc_start_with(&t, real, 1);
    svc = lc_service(&t, DEMO_USER, "mc-iron", "monthly", real - 27 * DAY);
    nanosleep(&nap, NULL); /* two and a half intervals */
    assert_int_equal(lc_renewals(&t, svc), 0);
    assert_int_equal(billingd_run_scheduler(t.d), 0);
    assert_int_equal(lc_renewals(&t, svc), 1);
    /* Back on the real clock, the thread takes over again (and finds nothing left to do). */
    billingd_set_clock(t.d, 0);
    nanosleep(&nap, NULL);
    assert_int_equal(lc_renewals(&t, svc), 1);
    lc_stop(&t);
}

/* Stopping does not wait for the next run, however far away it is. */
static void test_stop_is_prompt(void **state)
{
    static const int intervals[] = {0, 3600};
    struct timespec start, nap = {0, 200 * 1000 * 1000};

    for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]; i++) {
        struct lc t;

        lc_start_with(&t, 0, intervals[i]);
        nanosleep(&nap, NULL); /* the first pass is over; the thread sleeps */
        clock_gettime(CLOCK_MONOTONIC, &start);
        lc_stop(&t);
        assert_true(seconds_since(&start) < 2.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_runs_on_the_real_clock),
        cmocka_unit_test(test_thread_stands_aside_for_a_fixed_clock),
        cmocka_unit_test(test_stop_is_prompt),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
