/* scenarios_faults.c: the other side's faults as the customer meets them: the billing server
 * killed and started again while a payment is followed, the network black-holed while a payment
 * is followed and while a screen loads, a reply cut off half-way. Each checks what the screen
 * says (what happened, never a verdict on a payment it cannot know), that sett recovers, and
 * through the API what the money says afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_support.h"
#include "api_peek.h"
#include "scenarios.h"

/* sett's --api-timeout for these runs, in seconds: a black hole shows as an error this soon. */
#define API_TIMEOUT_S "2"
/* A cut reply ends after this many bytes: past the headers, well before the end of the body. */
#define CUT_BYTES 400
/* How long the proxy holds each reply where a black hole must fall in the middle of a request:
 * longer than sett takes to show its loading state, shorter than API_TIMEOUT_S. */
#define HELD_MS 800
/* How long the screen is watched while the payment is paid and sett cannot see it. */
#define BLIND_MS 3000

#define PAID       "your order is paid"
#define RETRY_HINT "r retry · Esc back"

/* Two lines in the demo customer's cart (who also has the welcome credit). */
static int setup_cart(const struct acct *a, void *ud)
{
    (void)ud;
    if (acct_cart_add(a, "mc-iron", "monthly", 1) != 0)
        return -1;
    return acct_cart_add(a, "custom-build", "quarterly", 1);
}

/* sett signed in as the demo customer with two lines in the cart, on its home screen; with
 * SETT_BACKEND_SLOW behind a proxy that forwards (for now) every reply delay_ms late. */
static int faults_start(struct acct_run *f, enum sett_backend backend, int delay_ms)
{
    static const char *const args[] = {"--api-timeout", API_TIMEOUT_S, NULL};
    struct sett_run_opts o = {
        .backend = backend, .delay_ms = delay_ms, .extra_args = args, .rows = 24, .cols = 80};
    if (acct_run_start(f, o, true, setup_cart, NULL) != 0)
        return -1;
    return sett_wait_settled(f->r.h, "Cart 2");
}

/* A word on the payment it has no grounds for. */
static bool says_failed(struct harness *h)
{
    return harness_screen_contains(h, "declined") || harness_screen_contains(h, "expired") ||
           harness_screen_contains(h, "failed") ||
           harness_screen_contains(h, "Nothing was charged");
}

/* Waits for `text` (its words may wrap) while checking every frame for a verdict on the
 * payment. */
static int wait_no_verdict(struct harness *h, const char *text, int ms)
{
    long long until = net_now_ms() + harness_ms(ms);
    for (;;) {
        if (says_failed(h)) {
            harness_print_screen(h, stderr, "a verdict on a payment sett cannot know");
            return -1;
        }
        if (text && acct_screen_says(h, text))
            return 0;
        if (net_now_ms() >= until)
            break;
        if (harness_pump(h, 50) < 0)
            return -1;
    }
    if (!text)
        return 0;
    harness_print_screen(h, stderr, text);
    return -1;
}

/* c, o, p, y: the order placed and its payment followed. The sandbox page's link, on the server
 * itself (not through the proxy), in url. */
static int start_payment(struct acct_run *f, char *url, size_t n)
{
    struct harness *h = f->r.h;
    char shown[512];
    if (sett_key_settled(h, "c", "Due now") != 0 || sett_key_settled(h, "o", "You pay now") != 0 ||
        sett_key_settled(h, "p", "You will be charged") != 0 || harness_send(h, "y") != 0 ||
        harness_wait_text(h, "Waiting for your payment", HARNESS_TIMEOUT_MS) != 0 ||
        acct_screen_pay_url(h, shown, sizeof shown) != 0)
        return -1;
    snprintf(url, n, "%s%s", f->p.session.url, strstr(shown, "/sandbox/pay/"));
    return 0;
}

static long long amount_of(const cJSON *o, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "amount");
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

/* The server's view afterwards: one order, its invoice paid in full exactly once (one gateway
 * payment beside the credits, the paid payments adding up to the total). */
static int paid_once(const struct acct *a)
{
    cJSON *list = acct_get(a, "/billing/orders"), *inv = NULL;
    const cJSON *o = cJSON_GetArrayItem(api_peek_data(list), 0);
    char path[64];
    int rc = -1, gateway = 0;
    long long paid = 0;
    H_CHECK(list && cJSON_GetArraySize(api_peek_data(list)) == 1);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "invoice_id");
    H_CHECK(cJSON_IsNumber(id));
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)id->valuedouble);
    inv = acct_get(a, path);
    const cJSON *d = api_peek_data(inv);
    H_CHECK(d && strcmp(api_peek_str(d, "status"), "paid") == 0);
    const cJSON *pm;
    cJSON_ArrayForEach(pm, cJSON_GetObjectItemCaseSensitive(d, "payments"))
    {
        if (strcmp(api_peek_str(pm, "status"), "paid") != 0)
            continue;
        gateway += strcmp(api_peek_str(pm, "gateway"), "credits") != 0;
        paid += amount_of(pm, "amount");
    }
    long long total = amount_of(cJSON_GetObjectItemCaseSensitive(d, "totals"), "total");
    fprintf(stderr, "invoice: total %lld, paid %lld in %d gateway payment(s), due %lld\n", total,
            paid, gateway, amount_of(d, "amount_due"));
    H_CHECK(gateway == 1 && total > 0 && paid == total && amount_of(d, "amount_paid") == total);
    H_CHECK(amount_of(d, "amount_due") == 0);
    rc = 0;
fail:
    cJSON_Delete(list);
    cJSON_Delete(inv);
    return rc;
}

/* The customer pays on the sandbox page at `url`. */
static int pay_on_page(const char *url)
{
    long status = acct_sandbox(url, "pay");
    if (status >= 200 && status < 400)
        return 0;
    fprintf(stderr, "the sandbox page answered %ld\n", status);
    return -1;
}

/* sett shows the order paid with no key pressed (and no verdict before, no lost contact after),
 * the server has it paid once, and sett quits cleanly. */
static int seen_paid_once(struct acct_run *f)
{
    if (wait_no_verdict(f->r.h, PAID, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    /* the frame that says so may still be arriving: the settled screen is what is judged */
    if (harness_wait_quiet(f->r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) != 0 || says_failed(f->r.h))
        return -1;
    if (harness_screen_contains(f->r.h, "Lost contact")) {
        harness_print_screen(f->r.h, stderr, "paid, and still saying contact is lost");
        return -1;
    }
    if (paid_once(&f->p.session) != 0)
        return -1;
    if (sett_run_quit(&f->r) != 0) {
        harness_print_screen(f->r.h, stderr, "q after the payment");
        return -1;
    }
    return 0;
}

/* The billing server is killed while the payment is followed: the screen says it cannot be
 * reached and keeps checking; the server starts again on the same port and database, the
 * customer pays on the page, and sett shows it paid with no key pressed. */
int scenario_faults_payment_restart(void)
{
    struct acct_run f;
    char url[600];
    int rc = -1;
    H_CHECK(faults_start(&f, SETT_BACKEND_SERVER, 0) == 0);
    struct harness *h = f.r.h;
    H_CHECK(start_payment(&f, url, sizeof url) == 0);
    H_CHECK(billingd_proc_kill(f.r.server) != -1);
    H_CHECK(wait_no_verdict(h, "it cannot be reached", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_says(h, "Lost contact with the server (it cannot be reached); still "
                                "checking…"));
    H_CHECK(harness_screen_contains(h, "Waiting for your payment"));
    H_CHECK(wait_no_verdict(h, NULL, BLIND_MS) == 0);
    H_CHECK(billingd_proc_restart(f.r.server, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(pay_on_page(url) == 0);
    H_CHECK(seen_paid_once(&f) == 0);
    rc = 0;
fail:
    acct_run_stop(&f);
    return rc;
}

/* The reverse: the customer pays while the network between sett and the server swallows every
 * request. sett says the server does not answer, never that the payment failed, and shows it
 * paid on its own once the path is back. */
int scenario_faults_payment_blackhole(void)
{
    struct acct_run f;
    char url[600];
    int rc = -1;
    H_CHECK(faults_start(&f, SETT_BACKEND_SLOW, 0) == 0);
    struct harness *h = f.r.h;
    H_CHECK(start_payment(&f, url, sizeof url) == 0);
    slow_proxy_set_fault(f.r.proxy, PROXY_BLACKHOLE, 0);
    H_CHECK(wait_no_verdict(h, "it did not answer in time", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(pay_on_page(url) == 0);
    H_CHECK(wait_no_verdict(h, NULL, BLIND_MS) == 0);
    H_CHECK(!harness_screen_contains(h, PAID));
    H_CHECK(harness_screen_contains(h, "Waiting for your payment"));
    slow_proxy_set_fault(f.r.proxy, PROXY_FORWARD, 0);
    H_CHECK(seen_paid_once(&f) == 0);
    rc = 0;
fail:
    acct_run_stop(&f);
    return rc;
}

/* The cart's lines as the screen lists them (both products), loaded. */
static bool cart_shown(struct harness *h)
{
    return harness_screen_contains(h, "Iron") && harness_screen_contains(h, "Due now");
}

/* The path black-holed while a screen loads: its loading state, then a timeout with the retry
 * hint; once the path is back, r loads it, nothing lost. */
int scenario_faults_blackhole_load(void)
{
    struct acct_run f;
    int rc = -1;
    H_CHECK(faults_start(&f, SETT_BACKEND_SLOW, HELD_MS) == 0);
    struct harness *h = f.r.h;
    H_CHECK(harness_send(h, "c") == 0);
    H_CHECK(harness_wait_text(h, "Loading", HARNESS_TIMEOUT_MS) == 0);
    /* the request has reached the server; its answer, held by the proxy, falls into the hole */
    slow_proxy_set_fault(f.r.proxy, PROXY_BLACKHOLE, 0);
    H_CHECK(sett_wait_settled(h, RETRY_HINT) == 0);
    H_CHECK(harness_screen_contains(h, "did not answer in time"));
    H_CHECK(!cart_shown(h));
    slow_proxy_set_fault(f.r.proxy, PROXY_FORWARD, 0);
    H_CHECK(sett_key_settled(h, "r", "Due now") == 0);
    H_CHECK(cart_shown(h) && !harness_screen_contains(h, RETRY_HINT));
    H_CHECK(harness_screen_contains(h, "Cart 2"));
    cJSON *cart = acct_get(&f.p.session, "/billing/cart");
    int lines = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(api_peek_data(cart), "items"));
    cJSON_Delete(cart);
    H_CHECK(lines == 2);
    H_CHECK(sett_run_quit(&f.r) == 0);
    rc = 0;
fail:
    acct_run_stop(&f);
    return rc;
}

/* Nothing on the screen that a cut reply could have put there: no replacement character, no
 * piece of JSON. */
static bool screen_clean(struct harness *h)
{
    return !harness_screen_contains(h, "\xef\xbf\xbd") && !harness_screen_contains(h, "{\"") &&
           !harness_screen_contains(h, "\"data\"");
}

static int orders_awaiting_payment(const struct acct *a)
{
    cJSON *list = acct_get(a, "/billing/orders?status=pending_payment");
    int n = list ? cJSON_GetArraySize(api_peek_data(list)) : -1;
    cJSON_Delete(list);
    return n;
}

/* Replies cut off half-way: loading the cart gives a clear error and r loads it once replies
 * come whole; the order's reply cut off after the server placed it: sett does not call it
 * failed, and r shows the same order (placed once) and its payment. */
int scenario_faults_cut_reply(void)
{
    struct acct_run f;
    char url[600];
    int rc = -1;
    H_CHECK(faults_start(&f, SETT_BACKEND_SLOW, 0) == 0);
    struct harness *h = f.r.h;
    slow_proxy_set_fault(f.r.proxy, PROXY_CUT, CUT_BYTES);
    H_CHECK(sett_key_settled(h, "c", RETRY_HINT) == 0);
    H_CHECK(harness_screen_contains(h, "connection to the server broke off"));
    H_CHECK(!cart_shown(h) && screen_clean(h));
    slow_proxy_set_fault(f.r.proxy, PROXY_FORWARD, 0);
    H_CHECK(sett_key_settled(h, "r", "Due now") == 0);
    H_CHECK(cart_shown(h) && screen_clean(h));

    H_CHECK(sett_key_settled(h, "o", "You pay now") == 0);
    H_CHECK(sett_key_settled(h, "p", "You will be charged") == 0);
    slow_proxy_set_fault(f.r.proxy, PROXY_CUT, CUT_BYTES);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(wait_no_verdict(h, "r sends the same order again", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_says(h, "If the order went through, r shows it"));
    H_CHECK(screen_clean(h));
    H_CHECK(orders_awaiting_payment(&f.p.session) == 1); /* placed, not paid yet */
    slow_proxy_set_fault(f.r.proxy, PROXY_FORWARD, 0);
    H_CHECK(harness_send(h, "r") == 0);
    H_CHECK(wait_no_verdict(h, "Waiting for your payment", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_pay_url(h, url, sizeof url) == 0);
    H_CHECK(pay_on_page(url) == 0);
    H_CHECK(seen_paid_once(&f) == 0);
    rc = 0;
fail:
    acct_run_stop(&f);
    return rc;
}
