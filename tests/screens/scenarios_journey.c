/* scenarios_journey.c: a customer's whole journey through the real sett on a pty against a fresh
 * sett-billingd: browse, configure, fill the cart, a refused and an accepted coupon, checkout
 * with credits covering part, paying on the sandbox page, the service becoming active, the paid
 * invoice, a cancellation at the end of the period. Then the same checkout declined (the cart and
 * the credits as they were) and a price change between the cart and checkout (refused, shown,
 * not charged). The screens are checked by their text, the server by its API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_support.h"
#include "api_peek.h"
#include "scenarios.h"

#define WIDE_ROWS 43
#define WIDE_COLS 132

static int journey_start(struct acct_run *j, int (*setup)(const struct acct *, void *),
                         void *setup_ud)
{
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER, .rows = WIDE_ROWS, .cols = WIDE_COLS};
    return acct_run_start(j, o, setup != NULL, setup, setup_ud);
}

static int key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* The text of the first row holding `label` (trimmed), or -1. */
static int row_with(struct harness *h, const char *label, char *buf, size_t n)
{
    int row, col;
    if (harness_find(h, label, &row, &col) != 0)
        return -1;
    return harness_row_text(h, row, buf, n) < 0 ? -1 : 0;
}

/* The balance in minor units, or -1. */
static long long balance(const struct acct *a)
{
    cJSON *env = acct_get(a, "/billing/credits");
    long long v = api_peek_number(api_peek_data(env), "balance", "amount");
    cJSON_Delete(env);
    return v;
}

/* The cart: lines, coupon code and total, as one comparable line. */
static int cart_line(const struct acct *a, char *buf, size_t n)
{
    cJSON *env = acct_get(a, "/billing/cart");
    const cJSON *d = api_peek_data(env);
    const cJSON *item;
    size_t len = 0;
    if (!d) {
        cJSON_Delete(env);
        return -1;
    }
    buf[0] = '\0';
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(d, "items"))
    {
        const cJSON *product = cJSON_GetObjectItemCaseSensitive(item, "product");
        len +=
            (size_t)snprintf(buf + len, n - len, "%s/%s/%lld;", api_peek_str(product, "slug"),
                             api_peek_str(item, "cycle"), api_peek_number(item, "quantity", NULL));
    }
    const cJSON *coupon = cJSON_GetObjectItemCaseSensitive(d, "coupon");
    const cJSON *totals = cJSON_GetObjectItemCaseSensitive(d, "totals");
    snprintf(buf + len, n - len, "coupon=%s total=%lld",
             cJSON_IsObject(coupon) ? api_peek_str(coupon, "code") : "none",
             api_peek_number(totals, "total", "amount"));
    cJSON_Delete(env);
    return 0;
}

/* The cart of the journey: two products and a coupon. `ud` names the coupon. */
static int setup_cart(const struct acct *a, void *ud)
{
    if (acct_cart_add(a, "mc-iron", "monthly", 1) != 0 ||
        acct_cart_add(a, "custom-build", "quarterly", 1) != 0)
        return -1;
    return acct_cart_coupon(a, ud ? ud : "WELCOME10");
}

/* From the store: the product found by `query`, opened. */
static int open_product(struct harness *h, const char *query, const char *name)
{
    if (harness_send(h, "/") != 0 || harness_wait_text(h, "Search", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (harness_send(h, query) != 0 || harness_send(h, HK_ENTER) != 0)
        return -1;
    if (sett_wait_settled(h, name) != 0)
        return -1;
    return key_settled(h, HK_ENTER, "Due today");
}

int scenario_journey_purchase(void)
{
    struct acct_run j;
    struct harness *h;
    struct acct me;
    char before[300], after[300], url[512];
    int rc = -1;
    H_CHECK(journey_start(&j, NULL, NULL) == 0);
    h = j.r.h;
    /* browse, then configure: more memory, a new price from the server */
    H_CHECK(sett_wait_settled(h, "Dirt") == 0);
    H_CHECK(open_product(h, "custom-build", "Build Your Own") == 0);
    H_CHECK(row_with(h, "Due today", before, sizeof before) == 0);
    H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0); /* memory */
    H_CHECK(harness_send(h, "++") == 0);
    H_CHECK(harness_wait_text(h, "‹ 6 GB ›", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_gone(h, "Pricing", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(row_with(h, "Due today", after, sizeof after) == 0);
    H_CHECK(strcmp(before, after) != 0);
    /* adding asks for the sign-in first, then adds */
    H_CHECK(harness_send(h, "a") == 0);
    H_CHECK(harness_wait_text(h, "E-mail:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_DEMO_EMAIL HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Password:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_DEMO_PASSWORD HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Added Build Your Own", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Cart 1 ·", HARNESS_TIMEOUT_MS) == 0);
    /* a second product */
    H_CHECK(key_settled(h, HK_ESC, "search") == 0);
    H_CHECK(key_settled(h, HK_ESC, "Dirt") == 0); /* the search cleared */
    H_CHECK(open_product(h, "mc-iron", "Iron") == 0);
    H_CHECK(harness_send(h, "a") == 0);
    H_CHECK(harness_wait_text(h, "Added Iron", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Cart 2 ·", HARNESS_TIMEOUT_MS) == 0);
    /* the cart: a refused coupon with its reason, then one that applies */
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(harness_screen_contains(h, "Build Your Own") && harness_screen_contains(h, "Iron"));
    H_CHECK(harness_send(h, "C") == 0);
    H_CHECK(harness_wait_text(h, "Coupon code:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "EXPIRED" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Coupon EXPIRED refused", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "(coupon_expired)", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "C") == 0);
    H_CHECK(harness_wait_text(h, "Coupon code:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "WELCOME10" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Coupon WELCOME10 applied", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Discount", HARNESS_TIMEOUT_MS) == 0);
    /* checkout: credits pay part, the card the rest */
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(harness_screen_contains(h, "after $10.00 from your credits"));
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(acct_screen_says(h, "with Card (Stripe), after $10.00 from your credits."));
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Waiting for your payment", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "/sandbox/pay/", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_screen_contains(h, "█")); /* the QR code */
    H_CHECK(acct_screen_pay_url(h, url, sizeof url) == 0);
    H_CHECK(acct_sandbox(url, "pay") == 200);
    /* paid: the order, the invoice, the services set up */
    H_CHECK(harness_wait_text(h, "your order is paid", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_screen_contains(h, "ORD-"));
    H_CHECK(harness_wait_gone(h, "Setting up", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Active · ", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Cart empty", HARNESS_TIMEOUT_MS) == 0);
    /* the invoice is paid, with both payments */
    H_CHECK(key_settled(h, "i", "Status") == 0);
    H_CHECK(key_settled(h, HK_ENTER, "Payments") == 0);
    H_CHECK(harness_screen_contains(h, "Account credits"));
    H_CHECK(harness_screen_contains(h, "Card (Stripe)"));
    H_CHECK(row_with(h, "Amount due", after, sizeof after) == 0 && strstr(after, "$0.00"));
    H_CHECK(row_with(h, "Card (Stripe)", after, sizeof after) == 0 && strstr(after, "Paid"));
    /* cancel the configured server at the end of its period */
    H_CHECK(key_settled(h, "v", "Next due") == 0);
    H_CHECK(harness_find(h, "Build Your Own", &(int){0}, &(int){0}) == 0);
    for (int i = 0; i < 4; i++) { /* select its row */
        char sel[300];
        H_CHECK(harness_row_text(h, 2 + i, sel, sizeof sel) >= 0);
        if (strstr(sel, "Build Your Own"))
            break;
        H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    }
    H_CHECK(key_settled(h, HK_ENTER, "Server") == 0);
    H_CHECK(harness_screen_contains(h, "Build Your Own"));
    H_CHECK(harness_send(h, "X") == 0);
    H_CHECK(harness_wait_text(h, "At the end of the period", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Reason", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "Moving to a bigger plan" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "at the end of the period?", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Cancellation requested", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Moving to a bigger plan", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "v", "Next due") == 0);
    H_CHECK(harness_screen_contains(h, "ends 20"));
    /* and the server agrees */
    H_CHECK(acct_login(&me, sett_run_server_url(&j.r), ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) == 0);
    H_CHECK(balance(&me) == 0);
    H_CHECK(sett_run_quit(&j.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&j);
    return rc;
}

/* The same checkout declined: nothing charged, the cart and the credits as they were. */
static int declined(const char *coupon)
{
    struct acct_run j;
    struct harness *h;
    char cart_before[600], cart_after[600], url[512];
    long long credits_before;
    int rc = -1;
    H_CHECK(journey_start(&j, setup_cart, (void *)coupon) == 0);
    h = j.r.h;
    H_CHECK(cart_line(&j.p.session, cart_before, sizeof cart_before) == 0);
    credits_before = balance(&j.p.session);
    H_CHECK(credits_before > 0);
    H_CHECK(harness_wait_text(h, "Cart 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "/sandbox/pay/", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_pay_url(h, url, sizeof url) == 0);
    H_CHECK(acct_sandbox(url, "decline") == 200);
    H_CHECK(harness_wait_text(h, "Payment declined", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Nothing was charged", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Your cart is as it was") == 0);
    H_CHECK(cart_line(&j.p.session, cart_after, sizeof cart_after) == 0);
    if (strcmp(cart_before, cart_after) != 0)
        fprintf(stderr, "cart before: %s\ncart after:  %s\n", cart_before, cart_after);
    H_CHECK(strcmp(cart_before, cart_after) == 0);
    H_CHECK(balance(&j.p.session) == credits_before);
    /* and the screens say the same */
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    char shown[64];
    snprintf(shown, sizeof shown, "Coupon %s", coupon);
    H_CHECK(harness_screen_contains(h, shown));
    H_CHECK(harness_screen_contains(h, "Build Your Own") && harness_screen_contains(h, "Iron"));
    H_CHECK(key_settled(h, "$", "Balance") == 0);
    H_CHECK(harness_screen_contains(h, "$10.00"));
    H_CHECK(sett_run_quit(&j.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&j);
    return rc;
}

/* The tax rate changes while the customer reviews the order: checkout is refused, both totals
 * are shown, nothing is charged; the new total can then be paid. */
int scenario_journey_declined(void)
{
    return declined("LOYAL5");
}

/* The same with a coupon once per customer: declining must give its use back (the order is
 * cancelled), or it cannot return to the cart. */
int scenario_journey_declined_once(void)
{
    return declined("WELCOME10");
}

int scenario_journey_price_change(void)
{
    const char *coupon = "WELCOME10";
    struct acct_run j;
    struct harness *h;
    char old_total[300], cart_before[600], cart_after[600];
    int rc = -1;
    H_CHECK(journey_start(&j, setup_cart, (void *)coupon) == 0);
    h = j.r.h;
    H_CHECK(harness_wait_text(h, "Cart 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(key_settled(h, "c", "Due now") == 0);
    H_CHECK(key_settled(h, "o", "You pay now") == 0);
    H_CHECK(row_with(h, "Total", old_total, sizeof old_total) == 0);
    H_CHECK(cart_line(&j.p.session, cart_before, sizeof cart_before) == 0);
    long long credits_before = balance(&j.p.session);
    H_CHECK(acct_admin_settings(sett_run_server_url(&j.r), "{\"tax\":{\"rate_bps\":2500}}") == 0);
    H_CHECK(key_settled(h, "p", "You will be charged") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "The total changed from", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Nothing was charged", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "VAT 25%") == 0);
    /* the old total is named in the message, and the new one is on the page */
    const char *dollar = strrchr(old_total, '$');
    H_CHECK(dollar != NULL);
    char said[64];
    snprintf(said, sizeof said, "from %s to", dollar);
    H_CHECK(harness_screen_contains(h, said));
    /* nothing happened on the server */
    H_CHECK(balance(&j.p.session) == credits_before);
    H_CHECK(cart_line(&j.p.session, cart_after, sizeof cart_after) == 0);
    H_CHECK(strstr(cart_after, "coupon=WELCOME10") != NULL);
    const char *lines_end = strstr(cart_before, "coupon=");
    H_CHECK(lines_end && strncmp(cart_before, cart_after, (size_t)(lines_end - cart_before)) == 0);
    cJSON *orders = acct_get(&j.p.session, "/billing/orders");
    const cJSON *meta = orders ? cJSON_GetObjectItemCaseSensitive(orders, "meta") : NULL;
    long long n_orders = api_peek_number(meta, "total", NULL);
    cJSON_Delete(orders);
    H_CHECK(n_orders == 0);
    H_CHECK(sett_run_quit(&j.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&j);
    return rc;
}
