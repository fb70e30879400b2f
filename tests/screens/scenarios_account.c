/* scenarios_account.c: the account screens (sign-in, home, cart, checkout and payment,
 * services, invoices, credits, the licence gate) as golden screens at 80x24, the main ones at
 * 132x43 and 40x12, each with its empty, loading and error states. Records are made through the
 * API before sett starts, on a server living on a fixed day, so every number and date is the
 * same on every run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account_support.h"
#include "api_peek.h"
#include "scenarios.h"

/* Every reply this late: long enough to see each loading state, short enough for a test. */
#define LOADING_DELAY_MS 3000
/* What a spinning screen (a payment being followed) is given to finish its frame. */
#define SETTLE_SPIN_MS 300

/* Starts sett with a stored session of the demo customer (made by `setup` first). */
static int account_start(struct acct_run *ar, enum sett_backend backend, int rows, int cols,
                         const char *catalog, int (*setup)(const struct acct *, void *))
{
    struct sett_run_opts o = {.backend = backend,
                              .catalog = catalog,
                              .delay_ms = LOADING_DELAY_MS,
                              .rows = rows,
                              .cols = cols,
                              .fixed_clock = true};
    return acct_run_start(ar, o, true, setup, NULL);
}

/* A key, then the screen with `text` settled. */
static int key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* For screens that never go quiet (a payment followed, a spinner): the text, then a moment. */
static int spinning(struct harness *h, const char *text)
{
    if (harness_wait_text(h, text, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    long long until = net_now_ms() + harness_ms(SETTLE_SPIN_MS);
    while (net_now_ms() < until)
        if (harness_pump(h, 50) < 0)
            return -1;
    return 0;
}

static int resize_settled(struct harness *h, int rows, int cols, const char *text)
{
    if (harness_resize(h, rows, cols) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* ---- records ---- */

/* A cart with two lines and a coupon (one any customer may use any number of times, so a
 * declined payment can put it back). */
static int setup_shopping(const struct acct *a, void *ud)
{
    if (acct_cart_add(a, "mc-iron", "monthly", 1) != 0 ||
        acct_cart_add(a, "custom-build", "quarterly", 1) != 0)
        return -1;
    return acct_cart_coupon(a, "LOYAL5");
}

/* The id of the first service of a product, or 0. */
static long service_of(const struct acct *a, const char *slug)
{
    long status = 0, id = 0;
    char *resp = NULL;
    if (acct_call(a, "GET", "/billing/services?per_page=100", NULL, NULL, NULL, &status, &resp) !=
        0)
        return 0;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    const cJSON *item;
    cJSON_ArrayForEach(item, api_peek_data(env))
    {
        const cJSON *product = cJSON_GetObjectItemCaseSensitive(item, "product");
        const char *s = api_peek_str(product, "slug");
        const cJSON *sid = cJSON_GetObjectItemCaseSensitive(item, "id");
        if (s && strcmp(s, slug) == 0 && cJSON_IsNumber(sid) && !id)
            id = (long)sid->valuedouble;
    }
    cJSON_Delete(env);
    free(resp);
    return id;
}

/* A customer with history: a server paid with credits (cancelled at the end of its period),
 * two paid by card with credits first, and an order still waiting for PayPal. */
static int setup_owner(const struct acct *a, void *ud)
{
    char url[512], path[128];
    long status = 0;
    char *resp = NULL;
    if (acct_cart_add(a, "mc-dirt", "monthly", 1) != 0 ||
        acct_checkout(a, "credits", false, url, sizeof url) != 0)
        return -1;
    if (acct_cart_add(a, "mc-gold", "quarterly", 1) != 0 ||
        acct_cart_add(a, "mc-iron", "monthly", 1) != 0 ||
        acct_checkout(a, "stripe", true, url, sizeof url) != 0 || !url[0] ||
        acct_sandbox(url, "pay") != 200)
        return -1;
    if (acct_cart_add(a, "valheim-hearth", "monthly", 1) != 0 ||
        acct_checkout(a, "paypal", false, url, sizeof url) != 0)
        return -1;
    long dirt = service_of(a, "mc-dirt");
    if (!dirt)
        return -1;
    snprintf(path, sizeof path, "/billing/services/%ld/cancellation", dirt);
    if (acct_call(a, "POST", path,
                  "{\"type\":\"end_of_period\",\"reason\":\"Moving to a bigger plan.\"}", NULL,
                  NULL, &status, &resp) != 0 ||
        status != 201) {
        fprintf(stderr, "cancellation: HTTP %ld %s\n", status, resp ? resp : "");
        free(resp);
        return -1;
    }
    free(resp);
    return 0;
}

/* The history above, and a line in the cart. */
static int setup_owner_cart(const struct acct *a, void *ud)
{
    if (setup_owner(a, ud) != 0)
        return -1;
    return acct_cart_add(a, "mc-stone", "monthly", 1);
}

/* ---- sign-in ---- */

/* L on the store asks for the e-mail and the password (shown as bullets, never echoed); a
 * wrong one says so; the right one opens home and stores the session 0600. */
int scenario_account_signin(void)
{
    struct sett_run r;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .rows = 24, .cols = 80, .fixed_clock = true};
    char path[1024];
    struct stat sb;
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(sett_wait_settled(r.h, "Dirt") == 0);
    H_CHECK(harness_send(r.h, "L") == 0);
    H_CHECK(harness_wait_text(r.h, "E-mail:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(r.h, "signin_80x24") == 0);
    size_t mark = harness_raw_len(r.h);
    H_CHECK(harness_send(r.h, ACCT_DEMO_EMAIL HK_ENTER) == 0);
    H_CHECK(harness_wait_text(r.h, "Password:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "hunter2" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(r.h, "do not match an account", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_raw_find(r.h, mark, "hunter2", 7) < 0); /* never on the terminal */
    H_CHECK(acct_snapshot(r.h, "signin_error_80x24") == 0);
    /* r asks again, the e-mail kept */
    H_CHECK(harness_send(r.h, "r") == 0);
    H_CHECK(harness_wait_text(r.h, "E-mail: " ACCT_DEMO_EMAIL, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(r.h, "Password:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, ACCT_DEMO_PASSWORD) == 0);
    H_CHECK(harness_wait_text(r.h, "Password: ••••", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, HK_ENTER) == 0);
    H_CHECK(sett_wait_settled(r.h, "Credit balance") == 0);
    H_CHECK(harness_wait_text(r.h, "Demo Customer", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(r.h, "home_80x24") == 0);
    snprintf(path, sizeof path, "%s/.config/sett/credentials", harness_home(r.h));
    H_CHECK(stat(path, &sb) == 0);
    H_CHECK((sb.st_mode & 0777) == 0600);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* Wrong passwords until the server makes the account wait: the screen says for how long (the
 * server's Retry-After; its clock stands still, so the delay never runs out here). */
int scenario_account_signin_throttled(void)
{
    struct sett_run r;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .rows = 24, .cols = 80, .fixed_clock = true};
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(sett_wait_settled(r.h, "Dirt") == 0);
    H_CHECK(harness_send(r.h, "L") == 0);
    /* 5 free failures and a 6th that starts the delay, then one the server refuses unchecked */
    for (int i = 0; i < 7; i++) {
        H_CHECK(harness_wait_text(r.h, "E-mail:", HARNESS_TIMEOUT_MS) == 0);
        H_CHECK(harness_send(r.h, i == 0 ? ACCT_DEMO_EMAIL HK_ENTER : HK_ENTER) == 0);
        H_CHECK(harness_wait_text(r.h, "Password:", HARNESS_TIMEOUT_MS) == 0);
        H_CHECK(harness_send(r.h, "hunter2" HK_ENTER) == 0);
        H_CHECK(harness_wait_text(r.h, i < 6 ? "do not match an account" : "Too many attempts",
                                  HARNESS_TIMEOUT_MS) == 0);
        if (i < 6)
            H_CHECK(harness_send(r.h, "r") == 0);
    }
    H_CHECK(harness_wait_text(r.h, "Too many attempts. Try again in 2 s.", HARNESS_TIMEOUT_MS) ==
            0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* ---- home ---- */

int scenario_account_home(void)
{
    struct acct_run ar;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_owner) == 0);
    H_CHECK(sett_wait_settled(ar.r.h, "Credit balance") == 0);
    H_CHECK(harness_wait_text(ar.r.h, "Demo Customer", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(ar.r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(ar.r.h, "home_owner_80x24") == 0);
    H_CHECK(resize_settled(ar.r.h, 43, 132, "Credit balance") == 0);
    H_CHECK(acct_snapshot(ar.r.h, "home_132x43") == 0);
    H_CHECK(resize_settled(ar.r.h, 12, 40, "Services") == 0);
    H_CHECK(acct_snapshot(ar.r.h, "home_40x12") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* ---- cart and checkout ---- */

int scenario_account_cart(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_shopping) == 0);
    h = ar.r.h;
    H_CHECK(harness_wait_text(h, "Cart 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(acct_snapshot(h, "cart_80x24") == 0);
    H_CHECK(resize_settled(h, 43, 132, "Due now") == 0);
    H_CHECK(acct_snapshot(h, "cart_132x43") == 0);
    H_CHECK(resize_settled(h, 12, 40, "Total") == 0);
    H_CHECK(acct_snapshot(h, "cart_40x12") == 0);
    H_CHECK(resize_settled(h, 24, 80, "Due now") == 0);
    /* removing asks first; n leaves it */
    H_CHECK(key_settled(h, "d", "from your cart?") == 0);
    H_CHECK(acct_snapshot(h, "cart_remove_80x24") == 0);
    H_CHECK(key_settled(h, "n", "Due now") == 0);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(acct_snapshot(h, "checkout_80x24") == 0);
    H_CHECK(resize_settled(h, 43, 132, "You pay now") == 0);
    H_CHECK(acct_snapshot(h, "checkout_132x43") == 0);
    H_CHECK(resize_settled(h, 12, 40, "Your order") == 0);
    H_CHECK(acct_snapshot(h, "checkout_40x12") == 0);
    H_CHECK(resize_settled(h, 24, 80, "You pay now") == 0);
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(acct_snapshot(h, "confirm_80x24") == 0);
    H_CHECK(key_settled(h, "n", "You pay now") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* The payment page (link and QR code) at three sizes, then paid; and another run declined. */
int scenario_account_payment(void)
{
    struct acct_run ar;
    struct harness *h;
    char url[512];
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_shopping) == 0);
    h = ar.r.h;
    H_CHECK(harness_wait_text(h, "Cart 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Cart empty", HARNESS_TIMEOUT_MS) == 0); /* checkout took it */
    H_CHECK(spinning(h, "Waiting for your payment") == 0);
    H_CHECK(acct_snapshot(h, "payment_80x24") == 0);
    H_CHECK(harness_resize(h, 43, 132) == 0);
    H_CHECK(spinning(h, "Order ORD-2025-000001 · invoice INV-2025-000001") == 0);
    H_CHECK(acct_snapshot(h, "payment_132x43") == 0);
    H_CHECK(harness_resize(h, 12, 40) == 0);
    H_CHECK(spinning(h, "Open the link above") == 0);
    H_CHECK(acct_snapshot(h, "payment_40x12") == 0);
    H_CHECK(harness_resize(h, 24, 80) == 0);
    H_CHECK(spinning(h, "Scan the code") == 0);
    H_CHECK(acct_screen_pay_url(h, url, sizeof url) == 0);
    H_CHECK(acct_sandbox(url, "pay") == 200);
    H_CHECK(harness_wait_text(h, "your order is paid", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Active") == 0);
    H_CHECK(acct_snapshot(h, "paid_80x24") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    acct_run_stop(&ar);

    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_shopping) == 0);
    h = ar.r.h;
    H_CHECK(harness_wait_text(h, "Cart 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0); /* PayPal */
    H_CHECK(key_settled(h, "p", "with PayPal") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(spinning(h, "Waiting for your payment") == 0);
    H_CHECK(acct_screen_pay_url(h, url, sizeof url) == 0);
    H_CHECK(acct_sandbox(url, "decline") == 200);
    H_CHECK(sett_wait_settled(h, "Your cart is as it was") == 0);
    H_CHECK(acct_snapshot(h, "declined_80x24") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* ---- services, invoices, credits ---- */

int scenario_account_lists(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_owner) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    H_CHECK(key_settled(h, "v", "Next due") == 0);
    H_CHECK(acct_snapshot(h, "services_80x24") == 0);
    H_CHECK(resize_settled(h, 43, 132, "Next due") == 0);
    H_CHECK(acct_snapshot(h, "services_132x43") == 0);
    H_CHECK(resize_settled(h, 12, 40, "Price") == 0);
    H_CHECK(acct_snapshot(h, "services_40x12") == 0);
    H_CHECK(resize_settled(h, 24, 80, "Next due") == 0);
    /* the last one is the first bought: Dirt, cancelled at the end of its period */
    H_CHECK(harness_key(h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Cancellation requested") == 0);
    H_CHECK(acct_snapshot(h, "service_80x24") == 0);
    H_CHECK(key_settled(h, "X", "Withdraw the cancellation") == 0);
    H_CHECK(key_settled(h, "n", "Cancellation requested") == 0);
    /* another one: the cancellation asks when */
    H_CHECK(key_settled(h, "v", "Next due") == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Invoices") == 0);
    H_CHECK(key_settled(h, "X", "When should") == 0);
    H_CHECK(acct_snapshot(h, "choice_80x24") == 0);
    H_CHECK(harness_send(h, HK_ESC) == 0);
    H_CHECK(key_settled(h, "i", "Status") == 0);
    H_CHECK(acct_snapshot(h, "invoices_80x24") == 0);
    H_CHECK(resize_settled(h, 43, 132, "Status") == 0);
    H_CHECK(acct_snapshot(h, "invoices_132x43") == 0);
    H_CHECK(resize_settled(h, 12, 40, "f: next") == 0);
    H_CHECK(acct_snapshot(h, "invoices_40x12") == 0);
    H_CHECK(resize_settled(h, 24, 80, "Status") == 0);
    H_CHECK(key_settled(h, "f", "Invoices · Paid") == 0);
    H_CHECK(acct_snapshot(h, "invoices_paid_80x24") == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Amount due") == 0);
    H_CHECK(acct_snapshot(h, "invoice_80x24") == 0);
    H_CHECK(key_settled(h, "$", "Balance") == 0);
    H_CHECK(acct_snapshot(h, "credits_80x24") == 0);
    H_CHECK(key_settled(h, "F", "Amount to add") == 0);
    H_CHECK(acct_snapshot(h, "credits_add_80x24") == 0);
    H_CHECK(harness_send(h, HK_ESC) == 0);
    /* a pending service's plan does not change; Iron's does: the same plan first, then the
     * next product priced to the second */
    H_CHECK(key_settled(h, "v", "Next due") == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Invoices") == 0);
    H_CHECK(key_settled(h, "U", "can change its plan") == 0);
    H_CHECK(key_settled(h, "v", "Next due") == 0);
    H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Invoices") == 0);
    H_CHECK(key_settled(h, "U", "the plan the service has") == 0);
    H_CHECK(acct_snapshot(h, "plan_80x24") == 0);
    H_CHECK(key_settled(h, "+", "Due now") == 0);
    H_CHECK(acct_snapshot(h, "plan_upgrade_80x24") == 0);
    H_CHECK(key_settled(h, "p", "is invoiced now") == 0);
    H_CHECK(acct_snapshot(h, "plan_confirm_80x24") == 0);
    /* confirmed: the invoice opens for payment; unpaid, the service shows the change waiting,
     * and U withdraws it */
    H_CHECK(key_settled(h, "y", "Pay with") == 0);
    H_CHECK(key_settled(h, HK_ESC, "Plan change waiting") == 0);
    H_CHECK(acct_snapshot(h, "service_change_80x24") == 0);
    H_CHECK(key_settled(h, "U", "Withdraw the change to Gold") == 0);
    H_CHECK(key_settled(h, "y", "Plan change withdrawn") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* A customer with nothing yet (a catalog without the demo's welcome credit). */
int scenario_account_empty(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, "../../../billing/demo-catalog.json",
                          NULL) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    H_CHECK(harness_wait_text(h, "Cart empty", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(h, "home_empty_80x24") == 0);
    H_CHECK(key_settled(h, "c", "Your cart is empty") == 0);
    H_CHECK(acct_snapshot(h, "cart_empty_80x24") == 0);
    H_CHECK(key_settled(h, "v", "no services yet") == 0);
    H_CHECK(acct_snapshot(h, "services_empty_80x24") == 0);
    H_CHECK(key_settled(h, "i", "no invoices yet") == 0);
    H_CHECK(acct_snapshot(h, "invoices_empty_80x24") == 0);
    H_CHECK(key_settled(h, "f", "No paid invoices") == 0);
    H_CHECK(key_settled(h, "$", "No changes to your balance yet") == 0);
    H_CHECK(acct_snapshot(h, "credits_empty_80x24") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* Every reply 3 s late: each screen's loading state, one after the other. */
int scenario_account_loading(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SLOW, 24, 80, NULL, setup_owner_cart) == 0);
    h = ar.r.h;
    H_CHECK(spinning(h, "Credit balance") == 0);
    H_CHECK(acct_snapshot(h, "home_loading_80x24") == 0);
    /* everything in: the badge (its own requests) cannot change under the snapshots below */
    H_CHECK(harness_wait_text(h, "Cart 1", harness_ms(4 * LOADING_DELAY_MS)) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, harness_ms(4 * LOADING_DELAY_MS)) == 0);
    static const struct {
        const char *key, *loading, *loaded, *golden;
    } steps[] = {
        {"c", "Loading your cart", "Due now", "cart_loading_80x24"},
        {"o", "Loading your cart", "You pay now", "checkout_loading_80x24"},
        {"v", "Loading your services", "Next due", "services_loading_80x24"},
        {HK_ENTER, "Loading the service", "Server", "service_loading_80x24"},
        {"i", "Loading your invoices", "Status", "invoices_loading_80x24"},
        {HK_ENTER, "Loading the invoice", "Amount due", "invoice_loading_80x24"},
        {"$", "Loading your credits", "Balance", "credits_loading_80x24"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        H_CHECK(harness_send(h, steps[i].key) == 0);
        H_CHECK(spinning(h, steps[i].loading) == 0);
        H_CHECK(acct_snapshot(h, steps[i].golden) == 0);
        H_CHECK(harness_wait_text(h, steps[i].loaded, harness_ms(3 * LOADING_DELAY_MS)) == 0);
        H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, harness_ms(3 * LOADING_DELAY_MS)) == 0);
    }
    H_CHECK(sett_run_quit(&ar.r) == 0);
    acct_run_stop(&ar);

    /* signing in, slowly */
    H_CHECK(account_start(&ar, SETT_BACKEND_SLOW, 24, 80, NULL, NULL) == 0);
    h = ar.r.h;
    H_CHECK(spinning(h, "Credit balance") == 0);
    H_CHECK(harness_wait_text(h, "Cart empty", harness_ms(4 * LOADING_DELAY_MS)) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, harness_ms(4 * LOADING_DELAY_MS)) == 0);
    H_CHECK(key_settled(h, "L", "Dirt") == 0); /* signed out: the store */
    H_CHECK(harness_send(h, "L") == 0);
    H_CHECK(harness_wait_text(h, "E-mail:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_DEMO_EMAIL HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Password:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_DEMO_PASSWORD HK_ENTER) == 0);
    H_CHECK(spinning(h, "Signing in") == 0);
    H_CHECK(acct_snapshot(h, "signin_loading_80x24") == 0);
    H_CHECK(harness_wait_text(h, "Credit balance", harness_ms(4 * LOADING_DELAY_MS)) == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* Nothing answers: each section says so, with the retry hint; home marks what it could not
 * load. */
int scenario_account_errors(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_DEAD, 24, 80, NULL, NULL) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "unavailable") == 0);
    H_CHECK(acct_snapshot(h, "home_error_80x24") == 0);
    static const struct {
        const char *key, *golden;
    } steps[] = {
        {"c", "cart_error_80x24"},
        {"v", "services_error_80x24"},
        {"i", "invoices_error_80x24"},
        {"$", "credits_error_80x24"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        H_CHECK(key_settled(h, steps[i].key, "r retry · Esc back") == 0);
        H_CHECK(harness_screen_contains(h, "Could not reach the server"));
        H_CHECK(acct_snapshot(h, steps[i].golden) == 0);
    }
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* The server goes away between a list and what opens from it. */
static int error_after(const char *key, const char *loaded, const char *open, const char *golden)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_owner_cart) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    H_CHECK(key_settled(h, key, loaded) == 0);
    H_CHECK(billingd_proc_stop(&ar.r.server) == 0);
    H_CHECK(key_settled(h, open, "r retry · Esc back") == 0);
    H_CHECK(acct_snapshot(h, golden) == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* The server goes away while a payment is followed: the screen says so and keeps trying. */
static int payment_lost(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_shopping) == 0);
    h = ar.r.h;
    H_CHECK(harness_wait_text(h, "Cart 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Cart empty", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(spinning(h, "Waiting for your payment") == 0);
    H_CHECK(billingd_proc_stop(&ar.r.server) == 0);
    H_CHECK(spinning(h, "Lost contact with the server") == 0);
    H_CHECK(acct_snapshot(h, "payment_lost_80x24") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

int scenario_account_detail_errors(void)
{
    int rc = 0;
    rc |= error_after("v", "Next due", HK_ENTER, "service_error_80x24");
    rc |= error_after("i", "Status", HK_ENTER, "invoice_error_80x24");
    rc |= error_after("c", "Due now", "o", "checkout_error_80x24");
    rc |= payment_lost();
    return rc ? -1 : 0;
}

/* Without the billing licence: the reason, and no billing menu, wherever the customer goes. */
int scenario_account_unlicensed(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, "unlicensed-catalog.json", NULL) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "not licensed") == 0);
    H_CHECK(!harness_screen_contains(h, "Services"));
    H_CHECK(!harness_screen_contains(h, "Credit balance"));
    H_CHECK(acct_snapshot(h, "unlicensed_home_80x24") == 0);
    H_CHECK(key_settled(h, "s", "not licensed") == 0);
    H_CHECK(acct_snapshot(h, "unlicensed_store_80x24") == 0);
    H_CHECK(key_settled(h, "c", "not licensed") == 0);
    H_CHECK(!harness_screen_contains(h, "Due now"));
    H_CHECK(key_settled(h, "i", "not licensed") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    acct_run_stop(&ar);

    /* switched off by the operator: the same, with its own reason */
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, "disabled-catalog.json", NULL) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "switched off") == 0);
    H_CHECK(!harness_screen_contains(h, "Credit balance"));
    H_CHECK(key_settled(h, "v", "switched off") == 0);
    H_CHECK(!harness_screen_contains(h, "Next due"));
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* A sold-out product says so and adds nothing. */
int scenario_account_soldout(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, NULL) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    H_CHECK(key_settled(h, "s", "Dirt") == 0);
    H_CHECK(harness_send(h, "/Launch Site" HK_ENTER) == 0);
    H_CHECK(sett_wait_settled(h, "Launch Site") == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Sold out: this product") == 0);
    H_CHECK(key_settled(h, "a", "cannot be ordered right now") == 0);
    H_CHECK(harness_screen_contains(h, "Cart empty"));
    H_CHECK(acct_snapshot(h, "product_soldout_80x24") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* ---- refusals: each its own message, nothing charged, the cart as it was ---- */

/* The number of lines in the cart, or -1. */
static int cart_lines(const struct acct *a)
{
    long status = 0;
    char *resp = NULL;
    if (acct_call(a, "GET", "/billing/cart", NULL, NULL, NULL, &status, &resp) != 0)
        return -1;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    free(resp);
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "items"));
    cJSON_Delete(env);
    return n;
}

static int setup_last_units(const struct acct *a, void *ud)
{
    return acct_cart_add(a, "mc-netherite", "monthly", 2); /* both of the two in stock */
}

/* The review shown, then something changes behind it (`change`), then p y. */
static int refused_at_checkout(int (*setup)(const struct acct *, void *),
                               int (*change)(struct acct_run *), const char *says,
                               const char *golden)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    int lines = cart_lines(&ar.p.session);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(change(&ar) == 0);
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, says, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_says(h, "Nothing was charged") ||
            acct_screen_says(h, "nothing is charged"));
    if (golden)
        H_CHECK(acct_snapshot(h, golden) == 0);
    if (ar.r.server) /* the cart is as it was */
        H_CHECK(cart_lines(&ar.p.session) == lines);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

static int expire_coupon(struct acct_run *ar)
{
    /* LOYAL5 is the fourth demo coupon */
    return acct_admin(sett_run_server_url(&ar->r), "PATCH", "/admin/coupons/4",
                      "{\"ends_at\":\"2025-01-01T00:00:00Z\"}");
}

static int sell_last_units(struct acct_run *ar)
{
    struct acct other;
    char url[512];
    if (acct_login(&other, sett_run_server_url(&ar->r), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0 ||
        acct_cart_add(&other, "mc-netherite", "monthly", 2) != 0)
        return -1;
    return acct_checkout(&other, "stripe", false, url, sizeof url); /* reserves them */
}

static int lose_network(struct acct_run *ar)
{
    return billingd_proc_stop(&ar->r.server) == 0 ? 0 : -1;
}

int scenario_account_refusals(void)
{
    int rc = 0;
    rc |= refused_at_checkout(setup_shopping, expire_coupon, "The coupon no longer applies",
                              "checkout_refused_80x24");
    rc |= refused_at_checkout(setup_last_units, sell_last_units, "has just sold out", NULL);
    rc |= refused_at_checkout(setup_shopping, lose_network, "The connection to the server was lost",
                              "checkout_lost_80x24");
    return rc ? -1 : 0;
}

/* A cart changed in another session: the change is refused (412), the cart shown as it is. */
int scenario_account_cart_conflict(void)
{
    struct acct_run ar;
    struct harness *h;
    int rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, NULL, setup_shopping) == 0);
    h = ar.r.h;
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(acct_cart_add(&ar.p.session, "mc-dirt", "monthly", 1) == 0); /* elsewhere */
    H_CHECK(harness_send(h, "+") == 0);
    H_CHECK(harness_wait_text(h, "changed in another session", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Dirt") == 0);
    H_CHECK(harness_wait_text(h, "Cart 3", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(h, "cart_conflict_80x24") == 0);
    H_CHECK(sett_run_quit(&ar.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}

/* ---- hostile names through the account screens ---- */

/* Bought and paid (the sandbox page), then in the cart again. */
static int setup_hostile(const struct acct *a, void *ud)
{
    char url[512];
    if (acct_cart_add(a, "evil-box", "monthly", 1) != 0 ||
        acct_checkout(a, "stripe", false, url, sizeof url) != 0 || !url[0] ||
        acct_sandbox(url, "pay") != 200)
        return -1;
    return acct_cart_add(a, "evil-box", "monthly", 1);
}

/* The catalog's escape sequences in product names reach the cart, checkout, services and
 * invoices (their lines are named after products): each screen shows the plain text, with its
 * header and footer, and nothing else reaches the terminal. */
int scenario_account_hostile(void)
{
    struct acct_run ar;
    struct harness *h;
    char line[1024];
    int rows, cols, rc = -1;
    H_CHECK(account_start(&ar, SETT_BACKEND_SERVER, 24, 80, "hostile-catalog.json",
                          setup_hostile) == 0);
    h = ar.r.h;
    harness_size(h, &rows, &cols);
    H_CHECK(sett_wait_settled(h, "Credit balance") == 0);
    static const struct {
        const char *key, *text, *title;
    } steps[] = {
        {"c", "Evil Red Box", "Cart"},
        {"o", "Evil Red Box", "Checkout"},
        {"v", "Evil Red Box", "Services"},
        {HK_ENTER, "Evil Red Box", "Services › Evil Red Box"},
        {"i", "Status", "Invoices"},
        {HK_ENTER, "Evil Red Box (Hostile Goods), monthly", "Invoices › INV-"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        H_CHECK(key_settled(h, steps[i].key, steps[i].text) == 0);
        H_CHECK(harness_row_text(h, 0, line, sizeof line) >= 0 && strstr(line, steps[i].title));
        H_CHECK(harness_row_text(h, rows - 1, line, sizeof line) >= 0 && strstr(line, "quit"));
        H_CHECK(harness_altscreen(h));
        H_CHECK(screens_raw_clean(h) == 0);
    }
    H_CHECK(sett_run_quit(&ar.r) == 0);
    H_CHECK(screens_raw_clean(h) == 0);
    rc = 0;
fail:
    acct_run_stop(&ar);
    return rc;
}
