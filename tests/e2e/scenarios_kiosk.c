/* scenarios_kiosk.c: `settd --kiosk`: every SSH session is a kiosk storefront, where the keys that
 * would stop or suspend a program do nothing and only the kiosk's chord quits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"

/* Each key in turn: the session is still there and the screen has not changed. */
static int keys_do_nothing(const struct e2e_shop *s, struct harness *h)
{
    static const char *const keys[] = {"\x03", "\x1a", "\x1c", "q"};
    char *before = harness_screen_dup(h), *after = NULL;
    int rc = -1;

    for (size_t i = 0; before && i < sizeof keys / sizeof keys[0]; i++) {
        if (harness_send(h, keys[i]) != 0)
            goto done;
        harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS);
        free(after);
        after = harness_screen_dup(h);
        if (harness_exited(h) || !after || strcmp(before, after) != 0) {
            fprintf(stderr, "kiosk: key 0x%02x changed the session\n", (unsigned char)keys[i][0]);
            harness_print_screen(h, stderr, "after the key");
            e2e_shop_dump(s);
            goto done;
        }
    }
    rc = 0;
done:
    free(before);
    free(after);
    return rc;
}

int scenario_kiosk(void)
{
    const char *args[] = {"--kiosk", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "kiosk@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    /* a guest's store: no account to sign in or out of, no quit key offered */
    E_CHECK(&s, harness_wait_text(h, "Guest", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, !harness_screen_contains(h, "q quit"));
    E_CHECK(&s, keys_do_nothing(&s, h) == 0);
    /* the default chord, Ctrl-X then Ctrl-Q, ends the session with the terminal restored */
    E_CHECK(&s, e2e_quit_keys(&s, h, "\x18\x11") == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
