/* test_limits.c: the connection counts behind --max-startups[-per-addr], --max-sessions[-per-addr].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ssh/limits.h"

static struct limits *limits_make(int startups, int per_addr, int sessions, int sess_per_addr)
{
    struct limits_config cfg = {startups, per_addr, sessions, sess_per_addr};
    struct limits *l = limits_new(&cfg);
    assert_non_null(l);
    return l;
}

static void test_startups_total_and_per_addr(void **state)
{
    struct limits *l = limits_make(4, 2, 10, 10);
    int a1, a2, b1, c1;
    (void)state;
    assert_true((a1 = limits_admit(l, "203.0.113.1")) >= 0);
    assert_true((a2 = limits_admit(l, "203.0.113.1")) >= 0);
    assert_int_equal(limits_admit(l, "203.0.113.1"), -1); /* the address's third */
    assert_true((b1 = limits_admit(l, "203.0.113.2")) >= 0);
    assert_true((c1 = limits_admit(l, "203.0.113.3")) >= 0);
    assert_int_equal(limits_admit(l, "203.0.113.4"), -1); /* four in total */
    assert_int_equal(limits_count(l, LIMITS_STARTUP, NULL), 4);
    limits_release(l, a1);
    assert_true(limits_admit(l, "203.0.113.1") >= 0); /* a slot came free */
    (void)a2;
    (void)b1;
    (void)c1;
    limits_free(&l);
    assert_null(l);
}

/* Signed-in connections stop counting as startups and count as sessions instead. */
static void test_promote(void **state)
{
    struct limits *l = limits_make(3, 3, 3, 2);
    int s[3];
    (void)state;
    for (int i = 0; i < 3; i++)
        assert_true((s[i] = limits_admit(l, "198.51.100.1")) >= 0);
    assert_int_equal(limits_admit(l, "198.51.100.1"), -1);
    assert_true(limits_promote(l, s[0]));
    assert_true(limits_promote(l, s[1]));
    assert_false(limits_promote(l, s[2])); /* two sessions per address */
    assert_int_equal(limits_count(l, LIMITS_SESSION, "198.51.100.1"), 2);
    assert_int_equal(limits_count(l, LIMITS_STARTUP, NULL), 1);
    /* the sessions' slots no longer hold back new connections */
    assert_true(limits_admit(l, "198.51.100.1") >= 0);
    assert_true(limits_admit(l, "198.51.100.2") >= 0);
    assert_false(limits_promote(l, s[0])); /* only a startup can be promoted */
    limits_free(&l);
}

static void test_sessions_total(void **state)
{
    struct limits *l = limits_make(10, 10, 2, 10);
    int a = limits_admit(l, "192.0.2.1"), b = limits_admit(l, "192.0.2.2"),
        c = limits_admit(l, "192.0.2.3");
    (void)state;
    assert_true(limits_promote(l, a));
    assert_true(limits_promote(l, b));
    assert_false(limits_promote(l, c));
    limits_release(l, a);
    assert_true(limits_promote(l, c));
    limits_free(&l);
}

/* Behind a PROXY header the address is learnt after the connection is admitted. */
static void test_address_later(void **state)
{
    struct limits *l = limits_make(5, 1, 5, 5);
    int a = limits_admit(l, ""), b = limits_admit(l, "");
    (void)state;
    assert_true(a >= 0 && b >= 0);
    assert_int_equal(limits_count(l, LIMITS_STARTUP, NULL), 2);
    assert_true(limits_set_addr(l, a, "203.0.113.9"));
    assert_false(limits_set_addr(l, b, "203.0.113.9"));
    assert_true(limits_set_addr(l, b, "203.0.113.10"));
    assert_false(limits_set_addr(l, b, "")); /* nonsense is refused, not counted */
    assert_false(limits_set_addr(l, 99, "203.0.113.11"));
    limits_free(&l);
}

static void test_pids(void **state)
{
    struct limits *l = limits_make(2, 2, 2, 2);
    int a = limits_admit(l, "192.0.2.1");
    (void)state;
    l->slots[a].pid = 4242;
    assert_int_equal(limits_find_pid(l, 4242), a);
    assert_int_equal(limits_find_pid(l, 4243), -1);
    limits_release(l, a);
    assert_int_equal(limits_find_pid(l, 4242), -1);
    assert_int_equal(limits_count(l, LIMITS_FREE, NULL), l->cap);
    limits_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_startups_total_and_per_addr),
        cmocka_unit_test(test_promote),
        cmocka_unit_test(test_sessions_total),
        cmocka_unit_test(test_address_later),
        cmocka_unit_test(test_pids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
