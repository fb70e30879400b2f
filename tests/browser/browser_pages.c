/* browser_pages.c: the pages a customer's phone opens, in a real browser (Debian's Chromium,
 * headless, at a phone's viewport, driven by tests/browser/phone.js), while the real sett on an
 * 80x24 pseudo-terminal follows the payment against a fresh `sett-billingd --demo`:
 *   - the sandbox gateway's page paid on the phone: the terminal turns to paid, the invoice too;
 *   - the same declined: the terminal says so, the invoice stays unpaid, the credits come back;
 *   - the return pages of the real gateways (/pay/done, /pay/cancelled).
 * Chromium starts once per program; each test starts its own server and sett. A screenshot of
 * every page is written to the program's temporary directory, kept when a test fails.
 * Usage: browser_pages [TEST-NAME-PATTERN] */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account_support.h"
#include "api_peek.h"
#include "billingd_proc.h"
#include "phone.h"
#include "tempdir.h"

#define ROWS        24
#define COLS        80
#define PHONE_WIDTH 390   /* CSS pixels: phone.js's viewport */
#define STEP_MS     20000 /* one browser step: navigation, tap, screenshot */

static struct phone *phone;
static char workdir[512]; /* the program's temporary directory: profile and screenshots */

/* ---- what the phone shows ---- */

static const char *str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static long long num(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static bool has_button(const cJSON *page, const char *text)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(page, "buttons"))
    {
        /* and big enough to tap: Apple's and Google's guides ask for about 44-48 px */
        if (strcmp(str(b, "text"), text) == 0 && num(b, "height") >= 40 && num(b, "width") >= 44)
            return true;
    }
    return false;
}

static void print_page(const cJSON *page)
{
    char *s = cJSON_Print(page);
    fprintf(stderr, "phone sees:\n%s\n", s ? s : "?");
    cJSON_free(s);
}

/* What every page the phone opens must be: answered 200, made for a phone's screen (the viewport
 * meta), no wider than it, nothing loaded from outside, no script errors. */
static void assert_phone_page(const cJSON *page, const char *h1)
{
    if (num(page, "status") != 200 || strcmp(str(page, "h1"), h1) != 0 ||
        num(page, "scrollWidth") > PHONE_WIDTH || num(page, "innerWidth") != PHONE_WIDTH ||
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "wide")) != 0 ||
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "foreign")) != 0 ||
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "errors")) != 0)
        print_page(page);
    fprintf(stderr, "screenshot: %s\n", str(page, "shot"));
    assert_int_equal(num(page, "status"), 200);
    assert_string_equal(str(page, "h1"), h1);
    assert_non_null(strstr(str(page, "viewportMeta"), "width=device-width"));
    /* With a phone's viewport Chromium widens the layout viewport to content that does not fit
     * (and zooms out): innerWidth then grows with scrollWidth. Both are held to the screen's. */
    assert_int_equal(num(page, "screenWidth"), PHONE_WIDTH);
    assert_int_equal(num(page, "innerWidth"), PHONE_WIDTH);
    assert_true(num(page, "scrollWidth") <= PHONE_WIDTH);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "wide")), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "foreign")), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(page, "errors")), 0);
}

static void assert_page_says(const cJSON *page, const char *text)
{
    if (!strstr(str(page, "text"), text)) {
        fprintf(stderr, "the page does not say \"%s\"\n", text);
        print_page(page);
    }
    assert_non_null(strstr(str(page, "text"), text));
}

static void shot_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s.png", workdir, name);
}

/* ---- the terminal ---- */

struct shop {
    struct sett_run r;
    struct acct_prepare p;
    char env_config[600];
    const char *env[2];
};

/* A fresh demo server and sett on it at 80x24, signed in as the demo customer ($10.00 credit). */
static int shop_setup(void **state)
{
    struct shop *s = calloc(1, sizeof *s);
    if (!s || acct_prepare_init(&s->p) != 0) {
        free(s);
        return -1;
    }
    snprintf(s->env_config, sizeof s->env_config, "XDG_CONFIG_HOME=%s", s->p.config_dir);
    s->env[0] = s->env_config;
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .env = s->env,
                              .rows = ROWS,
                              .cols = COLS,
                              .prepare = acct_prepare,
                              .prepare_ud = &s->p};
    *state = s;
    return sett_run_start(&s->r, &o);
}

static int shop_teardown(void **state)
{
    struct shop *s = *state;
    if (s) {
        sett_run_stop(&s->r);
        acct_prepare_cleanup(&s->p);
        free(s);
    }
    return 0;
}

static void key_then(struct harness *h, const char *key, const char *text)
{
    assert_int_equal(harness_send(h, key), 0);
    assert_int_equal(sett_wait_settled(h, text), 0);
}

/* Polls the screen (no sleeping) until it says `text`, its words allowed to wrap. */
static void wait_says(struct harness *h, const char *text)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (!acct_screen_says(h, text)) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long ms =
            (now.tv_sec - start.tv_sec) * 1000LL + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (ms >= harness_ms(HARNESS_TIMEOUT_MS) || harness_pump(h, 100) < 0) {
            harness_print_screen(h, stderr, text);
            fail_msg("the terminal never said \"%s\"", text);
        }
    }
}

/* From the store: Iron into the cart, checked out with Card (Stripe) after the $10.00 of credit,
 * confirmed. Leaves the payment screen's amount in `amount` and its link in `url`. */
static void checkout_by_card(struct harness *h, char *amount, size_t amount_n, char *url,
                             size_t url_n)
{
    assert_int_equal(sett_wait_settled(h, "Credit balance"), 0); /* home, signed in */
    key_then(h, "s", "Dirt");
    assert_int_equal(harness_send(h, "/"), 0);
    assert_int_equal(harness_wait_text(h, "Search", HARNESS_TIMEOUT_MS), 0);
    assert_int_equal(harness_send(h, "mc-iron" HK_ENTER), 0);
    assert_int_equal(sett_wait_settled(h, "Iron"), 0);
    key_then(h, HK_ENTER, "Due today");
    assert_int_equal(harness_send(h, "a"), 0);
    assert_int_equal(harness_wait_text(h, "Added Iron", HARNESS_TIMEOUT_MS), 0);
    key_then(h, "c", "Due now");
    key_then(h, "o", "You pay now");
    key_then(h, "p", "You will be charged");
    wait_says(h, "with Card (Stripe), after $10.00 from your credits.");
    assert_int_equal(harness_send(h, "y"), 0);
    assert_int_equal(harness_wait_text(h, "/sandbox/pay/", HARNESS_TIMEOUT_MS), 0);
    assert_int_equal(harness_wait_text(h, "Waiting for your payment of ", HARNESS_TIMEOUT_MS), 0);
    /* the page is whole once its last words are there (the spinner never lets it fall quiet) */
    assert_int_equal(harness_wait_text(h, "Esc leaves this screen", HARNESS_TIMEOUT_MS), 0);
    /* the QR code of the link, beside or below the words */
    assert_true(harness_screen_contains(h, "█") || harness_screen_contains(h, "▀"));
    assert_int_equal(acct_screen_pay_url(h, url, url_n), 0);

    char *screen = harness_screen_dup(h);
    assert_non_null(screen);
    const char *at = strstr(screen, "Waiting for your payment of ");
    assert_non_null(at);
    at += strlen("Waiting for your payment of ");
    size_t len = strcspn(at, "… \n");
    assert_true(len > 1 && len < amount_n && at[0] == '$');
    memcpy(amount, at, len);
    amount[len] = '\0';
    free(screen);
    fprintf(stderr, "terminal: %s to pay at %s\n", amount, url);
}

/* "INV-…" from the page's "Invoice INV-… · Card". */
static void invoice_of(const cJSON *page, char *number, size_t n)
{
    const char *at = strstr(str(page, "text"), "Invoice INV-");
    assert_non_null(at);
    at += strlen("Invoice ");
    size_t len = strcspn(at, " \n");
    assert_true(len < n);
    memcpy(number, at, len);
    number[len] = '\0';
}

/* The customer's invoice by number, from the API (free with cJSON_Delete), and its data. */
static cJSON *invoice_get(const struct acct *a, const char *number, const cJSON **inv)
{
    long status = 0;
    char *resp = NULL, path[64] = "";
    cJSON *list = NULL, *one = NULL;
    const cJSON *item;
    assert_int_equal(acct_call(a, "GET", "/billing/invoices", NULL, NULL, NULL, &status, &resp), 0);
    assert_int_equal(status, 200);
    list = cJSON_Parse(resp);
    free(resp);
    cJSON_ArrayForEach(item, api_peek_data(list))
    {
        if (strcmp(str(item, "number"), number) == 0)
            snprintf(path, sizeof path, "/billing/invoices/%lld", num(item, "id"));
    }
    cJSON_Delete(list);
    assert_true(path[0] != '\0');
    resp = NULL;
    assert_int_equal(acct_call(a, "GET", path, NULL, NULL, NULL, &status, &resp), 0);
    assert_int_equal(status, 200);
    one = cJSON_Parse(resp);
    free(resp);
    *inv = api_peek_data(one);
    assert_non_null(*inv);
    return one;
}

/* The card payment of the invoice `number`, from GET /billing/payments/{id} (free with
 * cJSON_Delete), and its data. */
static cJSON *card_payment(const struct acct *a, const char *number, const cJSON **pay)
{
    const cJSON *inv, *item;
    char path[64] = "";
    long status = 0;
    char *resp = NULL;
    cJSON *env = invoice_get(a, number, &inv);
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(inv, "payments"))
    {
        if (strcmp(str(item, "gateway"), "stripe") == 0)
            snprintf(path, sizeof path, "/billing/payments/%lld", num(item, "id"));
    }
    cJSON_Delete(env);
    assert_true(path[0] != '\0');
    assert_int_equal(acct_call(a, "GET", path, NULL, NULL, NULL, &status, &resp), 0);
    assert_int_equal(status, 200);
    env = cJSON_Parse(resp);
    free(resp);
    *pay = api_peek_data(env);
    assert_non_null(*pay);
    return env;
}

/* The API agrees with the terminal before the phone acts: the payment waits for the customer at
 * the link the terminal shows, for the amount it shows. */
static void assert_api_waits(const struct acct *a, const char *number, const char *url,
                             const char *amount)
{
    const cJSON *pay;
    char money[32];
    cJSON *env = card_payment(a, number, &pay);
    long long minor = num(cJSON_GetObjectItemCaseSensitive(pay, "amount"), "amount");
    snprintf(money, sizeof money, "$%lld.%02lld", minor / 100, minor % 100);
    assert_string_equal(str(pay, "status"), "requires_action");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(pay, "next_action"), "url"), url);
    assert_string_equal(money, amount);
    cJSON_Delete(env);
}

static void assert_payment_status(const struct acct *a, const char *number, const char *want)
{
    const cJSON *pay;
    cJSON *env = card_payment(a, number, &pay);
    assert_string_equal(str(pay, "status"), want);
    cJSON_Delete(env);
}

static long long balance(const struct acct *a)
{
    long status = 0;
    char *resp = NULL;
    assert_int_equal(acct_call(a, "GET", "/billing/credits", NULL, NULL, NULL, &status, &resp), 0);
    assert_int_equal(status, 200);
    cJSON *j = cJSON_Parse(resp);
    free(resp);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(api_peek_data(j), "balance");
    long long v = num(b, "amount");
    cJSON_Delete(j);
    return v;
}

/* ---- the tests ---- */

static void test_pay_on_phone(void **state)
{
    struct shop *s = *state;
    struct harness *h = s->r.h;
    char amount[32], url[512], title[64], number[64], shot[600], said[160];
    cJSON *page, *env;
    const cJSON *inv;

    checkout_by_card(h, amount, sizeof amount, url, sizeof url);
    shot_path(shot, sizeof shot, "pay-page");
    page = phone_open(phone, url, shot, harness_ms(STEP_MS));
    assert_non_null(page);
    snprintf(title, sizeof title, "Pay %s", amount); /* the amount the terminal showed */
    assert_phone_page(page, title);
    assert_page_says(page, "Card");
    if (!has_button(page, "Pay") || !has_button(page, "Decline"))
        print_page(page);
    assert_true(has_button(page, "Pay"));
    assert_true(has_button(page, "Decline"));
    invoice_of(page, number, sizeof number);
    cJSON_Delete(page);
    assert_api_waits(&s->p.session, number, url, amount);

    shot_path(shot, sizeof shot, "pay-page-paid");
    page = phone_tap(phone, "Pay", shot, harness_ms(STEP_MS));
    assert_non_null(page);
    assert_phone_page(page, "Payment complete");
    snprintf(said, sizeof said, "%s paid for invoice %s", amount, number);
    assert_page_says(page, said);
    assert_page_says(page, "return to the terminal");
    cJSON_Delete(page);

    /* the terminal follows: paid, the service set up */
    assert_int_equal(harness_wait_text(h, "your order is paid", HARNESS_TIMEOUT_MS), 0);
    assert_true(harness_screen_contains(h, number));
    assert_int_equal(harness_wait_text(h, "Active", HARNESS_TIMEOUT_MS), 0);

    /* the server: the invoice is paid, the credit spent */
    env = invoice_get(&s->p.session, number, &inv);
    if (strcmp(str(inv, "status"), "paid") != 0)
        print_page(inv);
    assert_string_equal(str(inv, "status"), "paid");
    assert_int_equal(num(cJSON_GetObjectItemCaseSensitive(inv, "amount_due"), "amount"), 0);
    cJSON_Delete(env);
    assert_payment_status(&s->p.session, number, "paid");
    assert_int_equal(balance(&s->p.session), 0);

    /* the link again: closed */
    shot_path(shot, sizeof shot, "pay-page-again");
    page = phone_open(phone, url, shot, harness_ms(STEP_MS));
    assert_non_null(page);
    assert_phone_page(page, "Payment closed");
    assert_page_says(page, "This payment was already completed.");
    assert_false(has_button(page, "Pay"));
    cJSON_Delete(page);

    assert_int_equal(sett_run_quit(&s->r), 0);
}

static void test_decline_on_phone(void **state)
{
    struct shop *s = *state;
    struct harness *h = s->r.h;
    char amount[32], url[512], title[64], number[64], shot[600];
    cJSON *page, *env;
    const cJSON *inv;
    long long credits_before = balance(&s->p.session);

    assert_int_equal(credits_before, 1000);
    checkout_by_card(h, amount, sizeof amount, url, sizeof url);
    assert_int_equal(balance(&s->p.session), 0); /* held by the payment */
    shot_path(shot, sizeof shot, "decline-page");
    page = phone_open(phone, url, shot, harness_ms(STEP_MS));
    assert_non_null(page);
    snprintf(title, sizeof title, "Pay %s", amount);
    assert_phone_page(page, title);
    assert_true(has_button(page, "Decline"));
    invoice_of(page, number, sizeof number);
    cJSON_Delete(page);
    assert_api_waits(&s->p.session, number, url, amount);

    shot_path(shot, sizeof shot, "decline-page-declined");
    page = phone_tap(phone, "Decline", shot, harness_ms(STEP_MS));
    assert_non_null(page);
    assert_phone_page(page, "Payment declined");
    assert_page_says(page, "was declined");
    assert_page_says(page, "Nothing was charged");
    assert_page_says(page, "return to the terminal");
    cJSON_Delete(page);

    /* the terminal: declined, the credits back, the cart put back */
    assert_int_equal(harness_wait_text(h, "Payment declined", HARNESS_TIMEOUT_MS), 0);
    wait_says(h, "The payment was declined.");
    wait_says(h, "Nothing was charged, and the $10.00 from your credits went back to your "
                 "balance.");
    wait_says(h, "Your cart is as it was");

    /* the server: the invoice unpaid, the credits returned */
    env = invoice_get(&s->p.session, number, &inv);
    if (strcmp(str(inv, "status"), "cancelled") != 0)
        print_page(inv);
    assert_string_equal(str(inv, "status"), "cancelled"); /* with its order: never paid */
    assert_false(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(inv, "paid_at")));
    assert_int_equal(num(cJSON_GetObjectItemCaseSensitive(inv, "amount_paid"), "amount"), 0);
    cJSON_Delete(env);
    assert_payment_status(&s->p.session, number, "failed");
    assert_int_equal(balance(&s->p.session), credits_before);

    assert_int_equal(sett_run_quit(&s->r), 0);
}

/* A server alone, for the pages nothing on the terminal leads to; stopped by the teardown even
 * when an assertion ends the test. */
static int server_setup(void **state)
{
    struct billingd_proc *b = billingd_proc_start(BILLINGD_BIN, NULL, harness_ms(15000));
    *state = b;
    return b ? 0 : -1;
}

static int server_teardown(void **state)
{
    struct billingd_proc *b = *state;
    int status = billingd_proc_stop(&b);
    *state = NULL;
    return status == 0 ? 0 : -1;
}

static void test_return_pages(void **state)
{
    struct billingd_proc *b = *state;
    char url[256], shot[600];
    cJSON *page;

    snprintf(url, sizeof url, "%s/pay/done", billingd_proc_url(b));
    shot_path(shot, sizeof shot, "pay-done");
    page = phone_open(phone, url, shot, harness_ms(STEP_MS));
    assert_non_null(page);
    assert_phone_page(page, "Thank you");
    assert_page_says(page, "Your payment is being confirmed.");
    assert_page_says(page, "return to the terminal");
    assert_string_equal(str(page, "title"), "Thank you");
    cJSON_Delete(page);

    snprintf(url, sizeof url, "%s/pay/cancelled", billingd_proc_url(b));
    shot_path(shot, sizeof shot, "pay-cancelled");
    page = phone_open(phone, url, shot, harness_ms(STEP_MS));
    assert_non_null(page);
    assert_phone_page(page, "Payment not completed");
    assert_page_says(page, "Nothing was charged.");
    assert_page_says(page, "Return to the terminal");
    cJSON_Delete(page);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pay_on_phone, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_decline_on_phone, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_return_pages, server_setup, server_teardown),
    };
    char profile[600];
    int failed;

    signal(SIGPIPE, SIG_IGN); /* a driver that died is an error from write(), not the end */
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    if (tempdir_make("sett-browser", workdir, sizeof workdir) != 0) {
        perror("browser_pages: temporary directory");
        return 1;
    }
    snprintf(profile, sizeof profile, "%s/chromium-profile", workdir);
    phone = phone_start(NODE_BIN, PHONE_JS, TOOLS_DIR, CHROMIUM_BIN, profile, harness_ms(30000));
    if (!phone) {
        fprintf(stderr, "browser_pages: no browser: FAILED (a missing browser is a failure)\n");
        tempdir_remove(workdir);
        return 1;
    }
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    phone_stop(&phone);
    tempdir_remove(profile);
    if (failed || getenv("SETT_KEEP_SCREENSHOTS")) {
        fprintf(stderr, "browser_pages: screenshots kept in %s\n", workdir);
    } else {
        fprintf(stderr,
                "browser_pages: all passed; screenshots removed with %s "
                "(SETT_KEEP_SCREENSHOTS=1 keeps them)\n",
                workdir);
        tempdir_remove(workdir);
    }
    return failed ? 1 : 0;
}
