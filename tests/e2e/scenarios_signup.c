/* scenarios_signup.c: sign-up switched off: a key the shop knows still gets in, a new key is told
 * why on its terminal and gets no account. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "account_support.h"
#include "e2e_scenarios.h"
#include "e2e_support.h"

/* A session with `k` reaches the store and quits cleanly. */
static int gets_in(struct e2e_shop *s, const struct e2e_key *k)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, 24, 80);
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    E_CHECK(s, e2e_quit(s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

int scenario_signup_off(void)
{
    struct e2e_shop s = {0};
    struct e2e_key known = {0}, fresh = {0};
    struct harness *h = NULL;
    char fp[96];
    int rc = -1, status = 0;
    H_CHECK(e2e_key_make(&known, "known@e2e") == 0);
    H_CHECK(e2e_key_make(&fresh, "fresh@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);
    /* the first key signs up while it still can */
    E_CHECK(&s, gets_in(&s, &known) == 0);
    E_CHECK(&s, e2e_account_of(&s, known.fingerprint, NULL) > 0);
    E_CHECK(&s, acct_admin_settings(e2e_shop_api(&s), "{\"signup_enabled\":false}") == 0);

    /* a new key: the reason on its terminal, then the connection ends by itself */
    h = e2e_session(&s, &fresh, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, harness_wait_text(h, "has no account here yet", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, harness_wait_exit(h, harness_ms(10000), &status) == 0);
    E_CHECK(&s, WIFEXITED(status) && WEXITSTATUS(status) != 0);
    E_CHECK(&s, !harness_screen_contains(h, "Dirt"));
    snprintf(fp, sizeof fp, "fp=%s ", fresh.fingerprint);
    E_CHECK(&s, settd_proc_wait_log(s.settd, fp, 1, harness_ms(5000)) == 0);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=signup-disabled", 1, harness_ms(5000)) == 0);
    E_CHECK(&s, e2e_account_of(&s, fresh.fingerprint, NULL) == 0);

    /* the known key is the same account as before */
    E_CHECK(&s, gets_in(&s, &known) == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&known);
    e2e_key_remove(&fresh);
    return rc;
}
