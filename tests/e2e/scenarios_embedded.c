/* scenarios_embedded.c: `settd` alone is a demo shop over SSH: with no API it serves every
 * session from its embedded billing server, whose accounts (and the host key) outlive a restart. */
#include <stdio.h>
#include <string.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "tempdir.h"

/* settd with nothing but a data directory. */
static int start_alone(struct e2e_shop *s, const char *data)
{
    const char *args[] = {"--data-dir", data, NULL};
    memset(s, 0, sizeof *s);
    s->settd = settd_proc_start(SETTD_BIN, args, harness_ms(HARNESS_TIMEOUT_MS));
    return s->settd ? 0 : -1;
}

/* The host key's fingerprint from settd's first log line. */
static int host_key_of(const struct e2e_shop *s, char *fp, size_t n)
{
    char line[256];
    const char *at;
    if (settd_proc_log_line(s->settd, "settd: host key SHA256:", line, sizeof line) != 0 ||
        !(at = strstr(line, "SHA256:")))
        return -1;
    snprintf(fp, n, "%s", at);
    return 0;
}

/* A session with `k` that waits for the store and for the header's cart to say `cart`; with
 * `add`, puts the second product in the cart first. */
static int visit(struct e2e_shop *s, const struct e2e_key *k, bool add, const char *cart)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, 24, 80);
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    if (add) {
        E_CHECK(s, harness_key(h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
        E_CHECK(s, harness_send(h, HK_ENTER) == 0);
        E_CHECK(s, harness_wait_text(h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
        E_CHECK(s, harness_send(h, "a") == 0);
    }
    E_CHECK(s, harness_wait_text(h, cart, HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, e2e_quit(s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

int scenario_embedded(void)
{
    char dir[512] = "", data[600], first[96] = "", again[96] = "";
    struct e2e_shop s = {0};
    struct e2e_key k = {0}, other = {0};
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "alone@e2e") == 0);
    H_CHECK(e2e_key_make(&other, "other@e2e") == 0);
    H_CHECK(tempdir_make("settd-alone", dir, sizeof dir) == 0);
    snprintf(data, sizeof data, "%s/data", dir);

    /* a new key signs up on the embedded server and fills its cart */
    H_CHECK(start_alone(&s, data) == 0);
    E_CHECK(&s, host_key_of(&s, first, sizeof first) == 0);
    E_CHECK(&s, visit(&s, &k, true, "Cart 1 ·") == 0);
    E_CHECK(&s, e2e_shop_stop(&s) == 0);

    /* restarted on the same data: the same host key, the same account with its cart */
    H_CHECK(start_alone(&s, data) == 0);
    E_CHECK(&s, host_key_of(&s, again, sizeof again) == 0);
    E_CHECK(&s, strcmp(first, again) == 0);
    E_CHECK(&s, visit(&s, &k, false, "Cart 1 ·") == 0);
    /* another key is another account */
    E_CHECK(&s, visit(&s, &other, false, "Cart empty") == 0);
    rc = 0;
fail:
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (dir[0])
        tempdir_remove(dir);
    e2e_key_remove(&k);
    e2e_key_remove(&other);
    return rc;
}
