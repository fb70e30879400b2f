/* scenarios_kiosk.c: `sett --kiosk` against a real billing server: the guest account's cart
 * emptied at start and after the idle time (checked on the server), the attract screen, the keys
 * a kiosk swallows (Ctrl-C, Ctrl-Z, Ctrl-\, q), the quit chord, checkout switched off, and
 * sandbox checkout refused against a server whose status says it takes real money, and allowed
 * against one that says sandbox. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "account_support.h"
#include "api_peek.h"
#include "scenarios.h"

#define KIOSK_IDLE_S "4" /* short for a test, long enough for a slow (sanitized) start */
#define KEY_CTRL_X   "\x18"
#define KEY_CTRL_Q   "\x11"
#define KEY_CTRL_Z   "\x1a"
#define KEY_CTRL_BS  "\x1c"

struct kiosk_run {
    struct sett_run r;
    struct acct guest; /* the same account as the kiosk's guest, for looking at its cart */
    bool fill_cart;    /* leave a line and a coupon in the cart before the kiosk starts */
};

static int kiosk_prepare(struct sett_run *r, void *ud)
{
    struct kiosk_run *kr = ud;
    if (acct_login(&kr->guest, sett_run_server_url(r), ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0)
        return -1;
    if (!kr->fill_cart)
        return 0;
    if (acct_cart_add(&kr->guest, "mc-iron", "monthly", 1) != 0)
        return -1;
    return acct_cart_coupon(&kr->guest, "LOYAL5");
}

static int kiosk_start(struct kiosk_run *kr, const char *const *extra, bool fill_cart)
{
    static const char *const env[] = {"SETT_KIOSK_EMAIL=" ACCT_DEMO_EMAIL,
                                      "SETT_KIOSK_PASSWORD=" ACCT_DEMO_PASSWORD, NULL};
    memset(kr, 0, sizeof *kr);
    kr->fill_cart = fill_cart;
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .extra_args = extra,
                              .env = env,
                              .rows = 24,
                              .cols = 80,
                              .fixed_clock = true,
                              .prepare = kiosk_prepare,
                              .prepare_ud = kr};
    return sett_run_start(&kr->r, &o);
}

/* Lines and coupon of the guest account's cart on the server; 0, or -1. */
static int server_cart(const struct kiosk_run *kr, int *lines, bool *coupon)
{
    long status = 0;
    char *resp = NULL;
    int rc = -1;
    if (acct_call(&kr->guest, "GET", "/billing/cart", NULL, NULL, NULL, &status, &resp) != 0 ||
        status != 200)
        goto done;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    const cJSON *data = api_peek_data(env);
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(data, "items");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(data, "coupon");
    if (cJSON_IsArray(items) && c) {
        *lines = cJSON_GetArraySize(items);
        *coupon = !cJSON_IsNull(c);
        rc = 0;
    }
    cJSON_Delete(env);
done:
    free(resp);
    return rc;
}

/* Polls the server until the guest's cart has no line and no coupon (the kiosk empties it with
 * a few requests in a row); 0, or -1 with what is left. */
static int wait_server_cart_empty(struct kiosk_run *kr)
{
    long long until = net_now_ms() + harness_ms(HARNESS_TIMEOUT_MS);
    int lines = -1;
    bool coupon = true;
    while (net_now_ms() < until) {
        if (server_cart(kr, &lines, &coupon) == 0 && lines == 0 && !coupon)
            return 0;
        if (harness_pump(kr->r.h, 100) < 0)
            break;
    }
    fprintf(stderr, "the guest cart on the server still has %d lines%s\n", lines,
            coupon ? " and a coupon" : "");
    return -1;
}

/* Quits with the chord and checks that sett exited with 0 and gave the terminal back. */
static int quit_by_chord(struct sett_run *r)
{
    int status;
    size_t mark = harness_raw_len(r->h);
    if (harness_send(r->h, KEY_CTRL_X) != 0 || harness_send(r->h, KEY_CTRL_Q) != 0)
        return -1;
    if (harness_wait_exit(r->h, harness_ms(5000), &status) != 0) {
        harness_print_screen(r->h, stderr, "sett did not exit after C-x C-q");
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "sett exited with status 0x%x\n", status);
        return -1;
    }
    if (harness_raw_find(r->h, mark, "\x1b[?1049l", 8) < 0 || harness_altscreen(r->h) ||
        !harness_cursor_visible(r->h)) {
        fprintf(stderr, "the terminal was not restored\n");
        return -1;
    }
    return 0;
}

/* Lets time pass while reading the output (a kiosk's timers are wall-clock). */
static int pass_ms(struct harness *h, int ms)
{
    long long until = net_now_ms() + ms;
    while (net_now_ms() < until)
        if (harness_pump(h, 50) < 0)
            return -1;
    return 0;
}

/* A cart left by the last guest is emptied at start; a line added, then the idle time: the
 * attract screen, the cart empty on the server, and any key opens the store with an empty
 * cart badge. */
int scenario_kiosk_idle(void)
{
    static const char *const args[] = {"--kiosk", "--kiosk-idle", KIOSK_IDLE_S, NULL};
    struct kiosk_run kr;
    int rc = -1, lines = -1;
    bool coupon = true;
    H_CHECK(kiosk_start(&kr, args, true) == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Cart empty · Guest") == 0);
    H_CHECK(wait_server_cart_empty(&kr) == 0);
    H_CHECK(harness_screen_contains(kr.r.h, "Dirt"));
    H_CHECK(harness_snapshot(kr.r.h, "kiosk_store_80x24") == 0);

    H_CHECK(harness_key(kr.r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_send(kr.r.h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(kr.r.h, "Setup fee", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_send(kr.r.h, "a") == 0);
    H_CHECK(harness_wait_text(kr.r.h, "Cart 1 ·", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(server_cart(&kr, &lines, &coupon) == 0 && lines == 1);

    /* no key for the idle time */
    H_CHECK(harness_wait_text(kr.r.h, "Press any key to start", harness_ms(HARNESS_TIMEOUT_MS)) ==
            0);
    H_CHECK(wait_server_cart_empty(&kr) == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Minecraft") == 0);
    H_CHECK(!harness_screen_contains(kr.r.h, "Cart")); /* full screen: no header */
    H_CHECK(harness_snapshot(kr.r.h, "kiosk_attract_80x24") == 0);

    H_CHECK(harness_send(kr.r.h, "x") == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Cart empty · Guest") == 0);
    H_CHECK(harness_screen_contains(kr.r.h, "Dirt"));
    H_CHECK(!harness_screen_contains(kr.r.h, "Setup fee")); /* back at the store, not the product */
    H_CHECK(quit_by_chord(&kr.r) == 0);
    rc = 0;
fail:
    sett_run_stop(&kr.r);
    return rc;
}

/* Ctrl-C, Ctrl-Z, Ctrl-\ and q change nothing and stop nothing; a chord whose second key comes
 * too late does not quit; the footer and the help have no sign-in, account or quit keys; the
 * chord quits and restores the terminal. */
int scenario_kiosk_keys(void)
{
    static const char *const args[] = {"--kiosk", NULL};
    static const char *const swallowed[] = {HK_CTRL_C, KEY_CTRL_Z, KEY_CTRL_BS, "q", "L", "H"};
    struct kiosk_run kr;
    char *before = NULL, *after = NULL;
    int rc = -1;
    H_CHECK(kiosk_start(&kr, args, false) == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Cart empty · Guest") == 0);
    H_CHECK(harness_altscreen(kr.r.h));
    before = harness_screen_dup(kr.r.h);
    H_CHECK(before != NULL);
    for (size_t i = 0; i < sizeof swallowed / sizeof swallowed[0]; i++) {
        H_CHECK(harness_send(kr.r.h, swallowed[i]) == 0);
        H_CHECK(harness_wait_quiet(kr.r.h, SETT_QUIET_MS, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
        H_CHECK(!harness_exited(kr.r.h));
        H_CHECK(kill(harness_pid(kr.r.h), 0) == 0);
        after = harness_screen_dup(kr.r.h);
        H_CHECK(after != NULL);
        if (harness_diff_text(swallowed[i], before, after, stderr) != 0) {
            harness_fail_at(__FILE__, __LINE__, "a swallowed key changed the screen");
            goto fail;
        }
        free(after);
        after = NULL;
    }
    /* the footer and the help overlay come from the keymap, without the kiosk's absent keys */
    H_CHECK(!harness_screen_contains(kr.r.h, "quit"));
    H_CHECK(!harness_screen_contains(kr.r.h, "account"));
    H_CHECK(!harness_screen_contains(kr.r.h, "home"));
    H_CHECK(harness_send(kr.r.h, "?") == 0);
    H_CHECK(harness_wait_text(kr.r.h, "Press any key to close", harness_ms(HARNESS_TIMEOUT_MS)) ==
            0);
    H_CHECK(harness_screen_contains(kr.r.h, "Open the cart"));
    H_CHECK(!harness_screen_contains(kr.r.h, "Sign in"));
    H_CHECK(!harness_screen_contains(kr.r.h, "Quit sett"));
    H_CHECK(!harness_screen_contains(kr.r.h, "home screen"));
    H_CHECK(harness_send(kr.r.h, " ") == 0);
    H_CHECK(harness_wait_gone(kr.r.h, "Press any key to close", harness_ms(HARNESS_TIMEOUT_MS)) ==
            0);

    /* the chord's keys more than 2 s apart: no quit */
    H_CHECK(harness_send(kr.r.h, KEY_CTRL_X) == 0);
    H_CHECK(pass_ms(kr.r.h, 2500) == 0);
    H_CHECK(harness_send(kr.r.h, KEY_CTRL_Q) == 0);
    H_CHECK(harness_wait_quiet(kr.r.h, SETT_QUIET_MS, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(!harness_exited(kr.r.h));
    H_CHECK(harness_screen_contains(kr.r.h, "Cart empty · Guest"));
    H_CHECK(quit_by_chord(&kr.r) == 0);
    rc = 0;
fail:
    free(before);
    free(after);
    sett_run_stop(&kr.r);
    return rc;
}

/* Checkout off (the default): the cart says so, has no checkout key and shows none of the guest
 * account's credits; o does nothing. */
int scenario_kiosk_checkout_off(void)
{
    static const char *const args[] = {"--kiosk", NULL};
    struct kiosk_run kr;
    int rc = -1;
    H_CHECK(kiosk_start(&kr, args, false) == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Cart empty · Guest") == 0);
    H_CHECK(harness_key(kr.r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_send(kr.r.h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(kr.r.h, "Setup fee", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_send(kr.r.h, "a") == 0);
    H_CHECK(harness_wait_text(kr.r.h, "Cart 1 ·", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_send(kr.r.h, "c") == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Checkout is not available at this kiosk.") == 0);
    H_CHECK(!harness_screen_contains(kr.r.h, "checkout"));
    H_CHECK(!harness_screen_contains(kr.r.h, "Credits"));
    H_CHECK(harness_snapshot(kr.r.h, "kiosk_cart_80x24") == 0);
    H_CHECK(harness_send(kr.r.h, "o") == 0);
    H_CHECK(harness_wait_quiet(kr.r.h, SETT_QUIET_MS, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_screen_contains(kr.r.h, "Checkout is not available at this kiosk."));
    H_CHECK(!harness_screen_contains(kr.r.h, "Pay with"));
    H_CHECK(quit_by_chord(&kr.r) == 0);
    rc = 0;
fail:
    sett_run_stop(&kr.r);
    return rc;
}

/* Sandbox checkout against --api: the server takes real money (no --sandbox: its status says
 * sandbox: false), so sett refuses to start, and says why. */
int scenario_kiosk_sandbox_refused(void)
{
    static const char *const args[] = {"--kiosk", "--kiosk-checkout", "sandbox", NULL};
    static const char *const env[] = {"SETT_KIOSK_EMAIL=" ACCT_DEMO_EMAIL,
                                      "SETT_KIOSK_PASSWORD=" ACCT_DEMO_PASSWORD, NULL};
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .extra_args = args,
                              .env = env,
                              .rows = 24,
                              .cols = 80,
                              .real_money = true};
    struct sett_run r;
    int rc = -1, status;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(harness_wait_exit(r.h, harness_ms(HARNESS_TIMEOUT_MS), &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    H_CHECK(acct_screen_says(r.h, "kiosk checkout = sandbox needs a billing server that runs "
                                  "the sandbox"));
    H_CHECK(acct_screen_says(r.h, "takes real money"));
    H_CHECK(acct_screen_says(r.h, "use checkout = off."));
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* Sandbox checkout against --api on a server that says it is a sandbox: the kiosk starts and
 * offers checkout. */
int scenario_kiosk_sandbox_remote(void)
{
    static const char *const args[] = {"--kiosk", "--kiosk-checkout", "sandbox", NULL};
    struct kiosk_run kr;
    int rc = -1;
    H_CHECK(kiosk_start(&kr, args, false) == 0);
    H_CHECK(sett_wait_settled(kr.r.h, "Cart empty") == 0);
    H_CHECK(harness_wait_text(kr.r.h, "SANDBOX", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(quit_by_chord(&kr.r) == 0);
    rc = 0;
fail:
    sett_run_stop(&kr.r);
    return rc;
}

/* The guest account's credit balance in minor units on the server at `base_url`, or -1. */
static long long guest_balance(const char *base_url)
{
    struct acct a;
    long status = 0;
    char *resp = NULL;
    long long v = -1;
    if (acct_login(&a, base_url, ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0 ||
        acct_call(&a, "GET", "/billing/credits", NULL, NULL, NULL, &status, &resp) != 0 ||
        status != 200)
        goto done;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    const cJSON *bal = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "balance");
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(bal, "amount");
    if (cJSON_IsNumber(amount))
        v = (long long)amount->valuedouble;
    cJSON_Delete(env);
done:
    free(resp);
    return v;
}

/* Sandbox checkout on the embedded server (the demo customer as the guest): the cart offers
 * checkout, the payment screen offers the card and PayPal but never the credits, the sandbox
 * page pays the order, and the guest account's $10.00 of credit is untouched. */
int scenario_kiosk_sandbox(void)
{
    static const char *const args[] = {"--kiosk", "--kiosk-checkout", "sandbox", NULL};
    struct sett_run r;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_EMBEDDED, .extra_args = args, .rows = 24, .cols = 80};
    struct harness *h;
    char url[512], base[512];
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    h = r.h;
    H_CHECK(sett_wait_settled(h, "Cart empty · Guest") == 0);
    H_CHECK(harness_key(h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_send(h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Setup fee", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_send(h, "a") == 0);
    H_CHECK(harness_wait_text(h, "Cart 1 ·", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_send(h, "c") == 0);
    H_CHECK(sett_wait_settled(h, "Due now") == 0);
    H_CHECK(harness_screen_contains(h, "o checkout"));
    H_CHECK(!harness_screen_contains(h, "not available"));
    H_CHECK(!harness_screen_contains(h, "Credits"));
    H_CHECK(harness_send(h, "o") == 0);
    H_CHECK(sett_wait_settled(h, "You pay now") == 0);
    H_CHECK(!harness_screen_contains(h, "credits"));
    H_CHECK(!harness_screen_contains(h, "Credits"));
    H_CHECK(harness_send(h, "p") == 0);
    H_CHECK(sett_wait_settled(h, "You will be charged") == 0);
    H_CHECK(acct_screen_says(h, "with Card (Stripe)"));
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "/sandbox/pay/", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(acct_screen_pay_url(h, url, sizeof url) == 0);
    H_CHECK(acct_sandbox(url, "pay") == 200);
    H_CHECK(harness_wait_text(h, "your order is paid", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    snprintf(base, sizeof base, "%s", url);
    char *cut = strstr(base, "/sandbox/");
    H_CHECK(cut != NULL);
    *cut = '\0';
    H_CHECK(guest_balance(base) == 1000);
    H_CHECK(quit_by_chord(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}
