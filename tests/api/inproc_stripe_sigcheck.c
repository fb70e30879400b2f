/* inproc_stripe_sigcheck.c: billing/stripe_signature.c on its own: the header's forms, every v1
 * tried, the tolerance on both sides of the clock, and what is refused. Agreement with Stripe's
 * own library is test_stripe_signature.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "billing/stripe_signature.h"

#define SECRET "whsec_test_secret"
#define BODY   "{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\"}"
#define NOW    1765000000

static enum stripe_signature_result check(const char *header, int64_t now)
{
    return stripe_signature_verify(header, BODY, strlen(BODY), SECRET, now,
                                   STRIPE_SIGNATURE_TOLERANCE);
}

static void test_forms(void **state)
{
    char good[128], other[128], header[512];

    (void)state;
    assert_int_equal(stripe_signature_make(BODY, strlen(BODY), SECRET, NOW, good, sizeof good), 0);
    assert_int_equal(check(good, NOW), STRIPE_SIGNATURE_OK);
    /* Rolled secrets: any v1 may match, in any place; other schemes are ignored. */
    assert_int_equal(
        stripe_signature_make(BODY, strlen(BODY), "whsec_old", NOW, other, sizeof other), 0);
    snprintf(header, sizeof header, "%s,%s,v0=abc", good, strchr(other, ',') + 1);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_OK);
    snprintf(header, sizeof header, "t=%d,%s,%s", NOW, strchr(other, ',') + 1,
             strchr(good, ',') + 1);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_OK);
    /* Only the other secret's signature: no match. */
    assert_int_equal(check(other, NOW), STRIPE_SIGNATURE_MISMATCH);
    /* Another body under the same header. */
    assert_int_equal(stripe_signature_verify(good, BODY " ", strlen(BODY) + 1, SECRET, NOW, 300),
                     STRIPE_SIGNATURE_MISMATCH);
    /* The timestamp is signed: changing it breaks the signature. */
    snprintf(header, sizeof header, "t=%d,%s", NOW + 1, strchr(good, ',') + 1);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_MISMATCH);
}

static void test_tolerance(void **state)
{
    char good[128];

    (void)state;
    assert_int_equal(stripe_signature_make(BODY, strlen(BODY), SECRET, NOW, good, sizeof good), 0);
    assert_int_equal(check(good, NOW + 300), STRIPE_SIGNATURE_OK);
    assert_int_equal(check(good, NOW + 301), STRIPE_SIGNATURE_STALE);
    assert_int_equal(check(good, NOW - 300), STRIPE_SIGNATURE_OK);
    assert_int_equal(check(good, NOW - 301), STRIPE_SIGNATURE_STALE);
}

static void test_malformed(void **state)
{
    char good[128], header[256];

    (void)state;
    assert_int_equal(stripe_signature_make(BODY, strlen(BODY), SECRET, NOW, good, sizeof good), 0);
    assert_int_equal(check(NULL, NOW), STRIPE_SIGNATURE_MALFORMED);
    assert_int_equal(check("", NOW), STRIPE_SIGNATURE_MALFORMED);
    assert_int_equal(check(strchr(good, ',') + 1, NOW), STRIPE_SIGNATURE_MALFORMED); /* no t */
    snprintf(header, sizeof header, "t=%d", NOW);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_MALFORMED); /* no v1 */
    snprintf(header, sizeof header, "t=%dx,%s", NOW, strchr(good, ',') + 1);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_MALFORMED);
    snprintf(header, sizeof header, "t=-5,%s", strchr(good, ',') + 1);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_MALFORMED);
    /* A truncated or uppercased v1 never matches. */
    snprintf(header, sizeof header, "%.*s", (int)strlen(good) - 1, good);
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_MISMATCH);
    snprintf(header, sizeof header, "%s", good);
    for (char *p = strchr(header, ',') + 4; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    assert_int_equal(check(header, NOW), STRIPE_SIGNATURE_MISMATCH);
    /* No secret configured: nothing verifies. */
    assert_int_equal(stripe_signature_verify(good, BODY, strlen(BODY), "", NOW, 300),
                     STRIPE_SIGNATURE_MALFORMED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_tolerance),
        cmocka_unit_test(test_malformed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
