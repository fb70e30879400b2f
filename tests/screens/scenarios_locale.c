/* scenarios_locale.c: sett without a UTF-8 locale (LANG=C, as many SSH clients and serial
 * consoles give): its own glyphs drawn in ASCII and lines with the terminal's line-drawing set,
 * so no '?' stands in for a character sett chose. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_support.h"
#include "scenarios.h"
#include "sett_run.h"

/* True when every '?' on the screen is the help key's hint ("? help"): the demo catalog holds
 * none, so any other stands in for a character the locale could not show. */
static bool no_stand_ins(struct harness *h)
{
    int rows, cols;
    char line[1024];

    harness_size(h, &rows, &cols);
    for (int y = 0; y < rows; y++) {
        if (harness_row_text(h, y, line, sizeof line) < 0)
            return false;
        for (const char *q = strchr(line, '?'); q; q = strchr(q + 1, '?')) {
            if (y == rows - 1 && strncmp(q, "? help", 6) == 0)
                continue;
            harness_print_screen(h, stderr, "a '?' that sett put there");
            fprintf(stderr, "row %d: %s\n", y, line);
            return false;
        }
        for (const unsigned char *c = (const unsigned char *)line; *c; c++) {
            /* the line-drawing set renders as box characters; nothing else outside ASCII */
            if (*c >= 0x80 && strncmp((const char *)c, "\u2502", 3) != 0 &&
                strncmp((const char *)c, "\u2500", 3) != 0) {
                harness_print_screen(h, stderr, "a character outside ASCII");
                fprintf(stderr, "row %d: %s\n", y, line);
                return false;
            }
            if (*c >= 0x80)
                c += 2;
        }
    }
    return true;
}

/* True when every byte sett wrote is ASCII: lines go out as the terminal's line-drawing set. */
static bool raw_ascii(const struct harness *h)
{
    size_t len;
    const unsigned char *raw = harness_raw(h, &len);
    for (size_t i = 0; i < len; i++) {
        if (raw[i] >= 0x80) {
            fprintf(stderr, "byte 0x%02x at %zu of the output\n", raw[i], i);
            return false;
        }
    }
    return true;
}

static int key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* The demo customer signed in, LANG=C and LC_ALL=C: the store, a product added, the cart. */
int scenario_locale_c(void)
{
    struct sett_run r = {0};
    struct acct_prepare p = {0};
    char env_config[600], text[320], *names[2] = {0};
    const char *env[] = {env_config, "LANG=C", "LC_ALL=C", NULL};
    int rc = -1, n = 0;

    H_CHECK(acct_prepare_init(&p) == 0);
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", p.config_dir);
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .env = env,
                              .rows = 24,
                              .cols = 80,
                              .fixed_clock = true,
                              .prepare = acct_prepare,
                              .prepare_ud = &p};
    H_CHECK(sett_run_start(&r, &o) == 0);
    n = sett_peek_product_names(&r, "", names, 2);
    H_CHECK(n == 2);
    H_CHECK(sett_wait_settled(r.h, "Credit balance") == 0);

    /* the store: the marker, the separators, the badge and the sandbox mark in ASCII */
    H_CHECK(key_settled(r.h, "s", names[0]) == 0);
    H_CHECK(no_stand_ins(r.h));
    snprintf(text, sizeof text, "> %s", names[0]);
    H_CHECK(harness_screen_contains(r.h, text));
    H_CHECK(harness_screen_contains(r.h, " RAM - "));
    H_CHECK(harness_screen_contains(r.h, "Cart empty - Demo Customer"));
    H_CHECK(harness_screen_contains(r.h, "SANDBOX - no real money"));
    H_CHECK(harness_snapshot(r.h, "locale_store_80x24") == 0);

    /* the second product, its title "Store > NAME" */
    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_ENTER, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, names[1]) == 0);
    H_CHECK(no_stand_ins(r.h));
    snprintf(text, sizeof text, "Store > %s", names[1]);
    H_CHECK(harness_screen_contains(r.h, text));
    H_CHECK(harness_snapshot(r.h, "locale_product_80x24") == 0);

    /* added: the status line and the badge; then the cart */
    H_CHECK(harness_send(r.h, "a") == 0);
    snprintf(text, sizeof text, "Added %s (", names[1]);
    H_CHECK(harness_wait_text(r.h, text, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(r.h, "Cart 1 - ", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(no_stand_ins(r.h));
    H_CHECK(key_settled(r.h, "c", "Due now") == 0);
    H_CHECK(no_stand_ins(r.h));
    snprintf(text, sizeof text, "> %s", names[1]);
    H_CHECK(harness_screen_contains(r.h, text));
    H_CHECK(harness_screen_contains(r.h, "x1"));
    H_CHECK(harness_snapshot(r.h, "locale_cart_80x24") == 0);
    H_CHECK(raw_ascii(r.h));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_names_free(names, n > 0 ? n : 0);
    sett_run_stop(&r);
    acct_prepare_cleanup(&p);
    return rc;
}

/* LANG=C alone (no LC_ALL), browsing without an account: the same ASCII store. */
int scenario_locale_lang_c(void)
{
    struct sett_run r = {0};
    char text[320], *names[1] = {0};
    const char *env[] = {"LANG=C", "LC_ALL=", NULL};
    int rc = -1, n = 0;

    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER, .env = env, .rows = 24, .cols = 80};
    H_CHECK(sett_run_start(&r, &o) == 0);
    n = sett_peek_product_names(&r, "", names, 1);
    H_CHECK(n == 1);
    H_CHECK(sett_wait_settled(r.h, names[0]) == 0);
    H_CHECK(no_stand_ins(r.h));
    snprintf(text, sizeof text, "> %s", names[0]);
    H_CHECK(harness_screen_contains(r.h, text));
    H_CHECK(harness_screen_contains(r.h, " RAM - "));
    H_CHECK(harness_screen_contains(r.h, "SANDBOX - no real money"));
    H_CHECK(raw_ascii(r.h));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_names_free(names, n > 0 ? n : 0);
    sett_run_stop(&r);
    return rc;
}

/* A store in euros under LANG=C: the symbol the locale cannot show is spelled as its code. */
static int set_euro(struct sett_run *r, void *ud)
{
    (void)ud;
    return acct_admin_settings(sett_run_server_url(r),
                               "{\"currency\":{\"code\":\"EUR\",\"symbol\":\"\u20ac\"}}");
}

int scenario_locale_currency(void)
{
    struct sett_run r = {0};
    char *names[1] = {0};
    const char *env[] = {"LANG=C", "LC_ALL=C", NULL};
    int rc = -1, n = 0;

    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .env = env, .rows = 24, .cols = 80, .prepare = set_euro};
    H_CHECK(sett_run_start(&r, &o) == 0);
    n = sett_peek_product_names(&r, "", names, 1);
    H_CHECK(n == 1);
    H_CHECK(harness_wait_text(r.h, "from EUR ", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, names[0]) == 0);
    H_CHECK(no_stand_ins(r.h));
    H_CHECK(raw_ascii(r.h));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_names_free(names, n > 0 ? n : 0);
    sett_run_stop(&r);
    return rc;
}
