/* scenarios_gateways.c: the real sett on a pty against a sett-billingd that takes money through
 * the local fake Stripe and fake PayPal (gateways_support.h), no sandbox: a purchase paid on the
 * fake's page and settled by its webhook, a refund, a failure (a bank debit that fails, a
 * declined capture), a late webhook (following the payment settles it first) and a wrong amount
 * held for the shop. One body per scenario, driven by a table per gateway (struct gw_kind). The
 * screens are checked by their text (a golden file only for the held ones), the server through
 * its API, the gateway through what the fake received. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "account_support.h"
#include "gateways_support.h"
#include "operator_support.h"
#include "scenarios.h"
#include "tempdir.h"

/* ---- the screen ---- */

/* True if `link` is on the screen, allowing it to wrap onto the next rows (their indent cut). */
static bool screen_has_link(struct harness *h, const char *link)
{
    char *text = harness_screen_dup(h), *joined = text ? malloc(strlen(text) + 1) : NULL;
    bool found = false;
    if (joined) {
        size_t o = 0;
        bool line_start = true;
        for (const char *p = text; *p; p++) {
            if (*p == '\n') {
                line_start = true;
                continue;
            }
            if (line_start && *p == ' ')
                continue;
            line_start = false;
            joined[o++] = *p;
        }
        joined[o] = '\0';
        found = strstr(joined, link) != NULL;
    }
    if (!found)
        harness_print_screen(h, stderr, link);
    free(text);
    free(joined);
    return found;
}

/* acct_screen_says, showing the screen when it does not. */
static bool says(struct harness *h, const char *text)
{
    if (acct_screen_says(h, text))
        return true;
    harness_print_screen(h, stderr, text);
    return false;
}

static int key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* From the start: the product found by its slug added to the cart, the cart, the review, `method`
 * chosen ("Card (Stripe)" or "PayPal"), confirmed: the payment screen is waiting. */
static int buy(struct harness *h, const char *slug, const char *name, const char *method)
{
    char chosen[64];
    if (sett_wait_settled(h, "Cart empty") != 0 || harness_send(h, "s") != 0 ||
        sett_wait_settled(h, "Dirt") != 0)
        return -1;
    if (harness_send(h, "/") != 0 || harness_wait_text(h, "Search", HARNESS_TIMEOUT_MS) != 0 ||
        harness_send(h, slug) != 0 || key_settled(h, HK_ENTER, name) != 0 ||
        key_settled(h, HK_ENTER, "Due today") != 0)
        return -1;
    if (harness_send(h, "a") != 0 || harness_wait_text(h, "Cart 1 ·", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (key_settled(h, "c", "Due now") != 0 || key_settled(h, "o", "You pay now") != 0)
        return -1;
    snprintf(chosen, sizeof chosen, "● %s", method);
    for (int i = 0; i < 4 && !harness_screen_contains(h, chosen); i++)
        if (harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) != 0 ||
            harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) != 0)
            return -1;
    if (!harness_screen_contains(h, chosen)) {
        harness_print_screen(h, stderr, chosen);
        return -1;
    }
    if (key_settled(h, "p", "You will be charged") != 0 || harness_send(h, "y") != 0)
        return -1;
    return harness_wait_text(h, "Waiting for your payment", HARNESS_TIMEOUT_MS);
}

/* The payment screen shows the gateway's own page (the server's record of it) and its QR code. */
static int shows_gateway_page(struct gw *g, const char *base, const char *path,
                              struct gw_invoice *s)
{
    char want[256];
    if (gw_invoice_state(&g->me, s) != 0 || strcmp(s->last_status, "requires_action") != 0)
        return -1;
    snprintf(want, sizeof want, "%s%s", base, path);
    if (strncmp(s->link, want, strlen(want)) != 0) {
        fprintf(stderr, "gateways: link %s is not the fake's %s\n", s->link, want);
        return -1;
    }
    if (harness_wait_text(g->h, path, HARNESS_TIMEOUT_MS) != 0 || !screen_has_link(g->h, s->link))
        return -1;
    return harness_wait_text(g->h, "█", HARNESS_TIMEOUT_MS); /* the QR code */
}

/* The id after `marker` in a link ("/c/pay/" → cs_test_…, "token=" → the PayPal order). */
static int id_after(const char *link, const char *marker, char *out, size_t n)
{
    const char *at = strstr(link, marker);
    if (!at)
        return -1;
    at += strlen(marker);
    size_t len = strcspn(at, "&?#/");
    if (!len || len >= n)
        return -1;
    memcpy(out, at, len);
    out[len] = '\0';
    return 0;
}

/* The invoice in sett: i, Enter. */
static int open_invoice(struct harness *h)
{
    if (key_settled(h, "i", "Status") != 0)
        return -1;
    return key_settled(h, HK_ENTER, "Payments");
}

/* An operator's refund of `amount` back the way it was paid. */
static int refund(struct gw *g, long long invoice, long long amount)
{
    char path[96], body[200];
    long status = 0;
    char *resp = NULL;
    snprintf(path, sizeof path, "/admin/invoices/%lld/refunds", invoice);
    snprintf(body, sizeof body,
             "{\"amount\":{\"amount\":%lld,\"currency\":\"USD\"},\"reason\":\"Goodwill\"}", amount);
    int rc = acct_call(&g->op, "POST", path, body, NULL, "gw-refund-1", &status, &resp);
    if (rc != 0 || status != 201) {
        fprintf(stderr, "gateways: refund: HTTP %ld %s\n", status, resp ? resp : "");
        rc = -1;
    }
    free(resp);
    return rc;
}

/* PayPal orders created (not captures, which share the prefix). */
static int paid_everywhere(struct gw *g, int timeout_ms, struct gw_invoice *s)
{
    char sv[200];
    struct harness *h = g->h;
    if (harness_wait_text(h, "your order is paid", timeout_ms) != 0 ||
        harness_wait_text(h, "Active · ", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (gw_invoice_state(&g->me, s) != 0 || gw_services(&g->me, sv, sizeof sv) != 0)
        return -1;
    if (strcmp(s->status, "paid") != 0 || s->paid != s->total || strcmp(sv, "active") != 0 ||
        strcmp(s->last_status, "paid") != 0) {
        fprintf(stderr, "gateways: invoice %s paid %lld of %lld, services %s, payment %s\n",
                s->status, s->paid, s->total, sv, s->last_status);
        return -1;
    }
    return 0;
}

static int held_snapshot(struct harness *h, const char *name)
{
    char path[1024];
    char *screen = harness_screen_dup(h);
    int rc = -1;
    if (!screen)
        return -1;
    for (char *p = screen; (p = strstr(p, "-20")) != NULL; p++)
        if (p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9' && p[5] == '-')
            memcpy(p + 1, "YYYY", 4);
    snprintf(path, sizeof path, "%s/%s.txt", SCREENS_GOLDEN_DIR, name);
    const char *update = getenv("UPDATE_SNAPSHOTS");
    if (update && strcmp(update, "1") == 0) {
        rc = tempdir_write_file(path, screen, strlen(screen));
    } else {
        char *want = tempdir_read_file(path, NULL);
        if (!want)
            fprintf(stderr, "gateways: no golden file %s (UPDATE_SNAPSHOTS=1 writes it)\n", path);
        else if (harness_diff_text(name, want, screen, stderr) == 0)
            rc = 0;
        else
            fprintf(stderr, "---- actual %s ----\n%s", name, screen);
        free(want);
    }
    free(screen);
    return rc;
}

/* Stripe collects another amount: held, nothing activated, the credits used kept with it, the
 * customer told to ask the shop. */

/* ---- the gateways, as a scenario drives them ---- */

/* One gateway's part in a scenario: what sett calls it, its page, and what its fake does when the
 * customer pays, when the payment fails, and what it received. `ref` is the gateway's id of the
 * payment (a Checkout Session, a PayPal order). */
struct gw_kind {
    const char *method; /* as sett lists it */
    const char *page;   /* the page's path at the fake, up to the id */
    const char *marker; /* what precedes the id in the page's link */
    const char *(*url)(const struct gw *g);
    /* The customer pays on the page, `amount` collected (-1: the payment's own); nothing said. */
    int (*pay)(struct gw *g, const char *ref, long long amount);
    /* The gateway tells the server (its webhook); the HTTP status. */
    long (*tell)(struct gw *g, const char *ref);
    /* The payment fails at the gateway after the page, and the gateway says so; the screen may
     * show the steps in between. */
    int (*decline)(struct gw *g, const char *ref);
    size_t (*pages)(struct gw *g);   /* hosted pages opened */
    size_t (*lookups)(struct gw *g); /* the server's look-ups of a page */
    /* Refunds sent; *last gets the last one's amount in minor units. */
    size_t (*refunds)(struct gw *g, long long *last);
};

static const char *stripe_url(const struct gw *g)
{
    return fake_stripe_url(g->stripe);
}

static int stripe_pay(struct gw *g, const char *ref, long long amount)
{
    return fake_stripe_complete(g->stripe, ref, "paid", amount);
}

static long stripe_tell(struct gw *g, const char *ref)
{
    char event[64];
    return fake_stripe_deliver(g->stripe, g->stripe_hook, ref, "checkout.session.completed", event);
}

/* A bank debit: processing after the page, then failed. */
static int stripe_decline(struct gw *g, const char *ref)
{
    char event[64];
    if (fake_stripe_complete(g->stripe, ref, "unpaid", -1) != 0 || stripe_tell(g, ref) != 200 ||
        harness_wait_text(g->h, "is being processed", HARNESS_TIMEOUT_MS) != 0 ||
        fake_stripe_async(g->stripe, ref, false) != 0)
        return -1;
    return fake_stripe_deliver(g->stripe, g->stripe_hook, ref,
                               "checkout.session.async_payment_failed", event) == 200
               ? 0
               : -1;
}

static size_t stripe_pages(struct gw *g)
{
    return fake_stripe_count(g->stripe, "POST", "/v1/checkout/sessions");
}

static size_t stripe_lookups(struct gw *g)
{
    return fake_stripe_count(g->stripe, "GET", "/v1/checkout/sessions/");
}

static size_t stripe_refunds(struct gw *g, long long *last)
{
    struct fake_stripe_record rec = {0};
    char v[64];
    size_t n = fake_stripe_count(g->stripe, "POST", "/v1/refunds");
    *last = -1;
    if (n && fake_stripe_request(g->stripe, "POST", "/v1/refunds", -1, &rec) &&
        fake_stripe_form_value(rec.body, "amount", v, sizeof v))
        *last = atoll(v);
    fake_stripe_record_clear(&rec);
    return n;
}

static const char *paypal_url(const struct gw *g)
{
    return fake_paypal_url(g->paypal);
}

/* Approved on PayPal's page; the capture will collect `amount` (USD cents). */
static int paypal_pay(struct gw *g, const char *ref, long long amount)
{
    char value[32];
    snprintf(value, sizeof value, "%lld.%02lld", amount / 100, amount % 100);
    if (fake_paypal_capture_outcome(g->paypal, ref, "COMPLETED", amount < 0 ? NULL : value) != 0)
        return -1;
    return fake_paypal_approve(g->paypal, ref);
}

static long paypal_tell(struct gw *g, const char *ref)
{
    return fake_paypal_deliver(g->paypal, g->paypal_hook, ref, "CHECKOUT.ORDER.APPROVED", false);
}

/* Approved, and the capture declined. */
static int paypal_decline(struct gw *g, const char *ref)
{
    if (fake_paypal_capture_outcome(g->paypal, ref, "DECLINED", NULL) != 0 ||
        fake_paypal_approve(g->paypal, ref) != 0)
        return -1;
    return paypal_tell(g, ref) == 200 ? 0 : -1;
}

/* Orders created (not captures, which share the prefix). */
static size_t paypal_pages(struct gw *g)
{
    struct fake_paypal_record rec;
    size_t n = 0;
    for (int i = 0; fake_paypal_request(g->paypal, "POST", "/v2/checkout/orders", i, &rec); i++) {
        n += strcmp(rec.path, "/v2/checkout/orders") == 0;
        fake_paypal_record_clear(&rec);
    }
    return n;
}

static size_t paypal_lookups(struct gw *g)
{
    return fake_paypal_count(g->paypal, "GET", "/v2/checkout/orders/");
}

static size_t paypal_refunds(struct gw *g, long long *last)
{
    struct fake_paypal_record rec = {0};
    size_t n = fake_paypal_count(g->paypal, "POST", "/v2/payments/captures/");
    cJSON *body = NULL;
    *last = -1;
    if (n && fake_paypal_request(g->paypal, "POST", "/v2/payments/captures/", -1, &rec) &&
        (body = cJSON_Parse(rec.body))) {
        const char *v =
            cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(body, "amount"), "value"));
        long long major, minor;
        if (v && sscanf(v, "%lld.%2lld", &major, &minor) == 2)
            *last = major * 100 + minor;
    }
    cJSON_Delete(body);
    fake_paypal_record_clear(&rec);
    return n;
}

static const struct gw_kind stripe = {
    .method = "Card (Stripe)",
    .page = "/c/pay/cs_",
    .marker = "/c/pay/",
    .url = stripe_url,
    .pay = stripe_pay,
    .tell = stripe_tell,
    .decline = stripe_decline,
    .pages = stripe_pages,
    .lookups = stripe_lookups,
    .refunds = stripe_refunds,
};

static const struct gw_kind paypal = {
    .method = "PayPal",
    .page = "/checkoutnow?token=",
    .marker = "token=",
    .url = paypal_url,
    .pay = paypal_pay,
    .tell = paypal_tell,
    .decline = paypal_decline,
    .pages = paypal_pages,
    .lookups = paypal_lookups,
    .refunds = paypal_refunds,
};

/* Bought with the gateway, waiting on its page: the page on the screen, its id in ref. */
static int bought(struct gw *g, const struct gw_kind *k, struct gw_invoice *s, char *ref, size_t n)
{
    if (buy(g->h, "mc-iron", "Iron", k->method) != 0 ||
        shows_gateway_page(g, k->url(g), k->page, s) != 0)
        return -1;
    return id_after(s->link, k->marker, ref, n);
}

/* ---- the scenarios, one body for every gateway ---- */

/* Bought, paid on the gateway's page, its webhook (twice) settles it once; then a refund. */
static int purchase(const struct gw_kind *k)
{
    struct gw g;
    struct gw_invoice s, again;
    char ref[128], sv[200], with[64], to[64];
    long long last = 0;
    int rc = -1;
    H_CHECK(gw_start(&g, 0, GW_ROWS, GW_COLS) == 0);
    H_CHECK(bought(&g, k, &s, ref, sizeof ref) == 0);
    H_CHECK(k->pages(&g) == 1);
    /* the customer pays on the gateway's page; the gateway says so */
    H_CHECK(k->pay(&g, ref, -1) == 0);
    H_CHECK(k->tell(&g, ref) == 200);
    H_CHECK(paid_everywhere(&g, HARNESS_TIMEOUT_MS, &s) == 0);
    snprintf(with, sizeof with, "with %s", k->method);
    H_CHECK(harness_wait_text(g.h, with, HARNESS_TIMEOUT_MS) == 0);
    /* the gateway says it again: applied once */
    H_CHECK(k->tell(&g, ref) == 200);
    H_CHECK(gw_invoice_state(&g.me, &again) == 0 && again.paid == s.paid &&
            again.n_payments == s.n_payments);
    H_CHECK(gw_services(&g.me, sv, sizeof sv) == 0 && strcmp(sv, "active") == 0);
    H_CHECK(k->pages(&g) == 1);
    H_CHECK(k->refunds(&g, &last) == 0);
    /* the operator refunds part of it: one refund at the gateway, shown to the customer */
    H_CHECK(refund(&g, s.id, 500) == 0);
    H_CHECK(k->refunds(&g, &last) == 1 && last == 500);
    H_CHECK(gw_invoice_state(&g.me, &again) == 0 && again.refunded == 500);
    H_CHECK(open_invoice(g.h) == 0);
    H_CHECK(harness_screen_contains(g.h, "Refunds"));
    snprintf(to, sizeof to, "to %s", k->method);
    H_CHECK(harness_screen_contains(g.h, to));
    H_CHECK(harness_screen_contains(g.h, "$5.00"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

/* The payment fails at the gateway after its page: declined, the credits it held back, the cart
 * back. */
static int failure(const struct gw_kind *k)
{
    struct gw g;
    struct gw_invoice s;
    char ref[128], sv[200];
    long long last = 0;
    int rc = -1;
    H_CHECK(gw_start(&g, 300, GW_ROWS, GW_COLS) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", k->method) == 0);
    H_CHECK(harness_wait_text(g.h, "$3.00 came from your credits.", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(gw_balance(&g.me) == 0);
    H_CHECK(shows_gateway_page(&g, k->url(&g), k->page, &s) == 0);
    H_CHECK(id_after(s.link, k->marker, ref, sizeof ref) == 0);
    H_CHECK(k->decline(&g, ref) == 0);
    H_CHECK(sett_wait_settled(g.h, "Payment declined") == 0);
    H_CHECK(says(g.h, "Nothing was charged, and the $3.00 from your credits went "
                      "back to your balance."));
    H_CHECK(sett_wait_settled(g.h, "Your cart is as it was") == 0);
    H_CHECK(gw_balance(&g.me) == 300);
    H_CHECK(gw_invoice_state(&g.me, &s) == 0 && strcmp(s.last_status, "failed") == 0 &&
            strcmp(s.status, "paid") != 0);
    H_CHECK(gw_services(&g.me, sv, sizeof sv) == 0 && strstr(sv, "active") == NULL);
    H_CHECK(k->pages(&g) == 1);
    H_CHECK(k->refunds(&g, &last) == 0);
    H_CHECK(key_settled(g.h, "c", "Due now") == 0 && harness_screen_contains(g.h, "Iron"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

/* Paid at the gateway, no webhook: following the payment finds it paid (a look-up); the late
 * webhook is a no-op. */
static int late(const struct gw_kind *k)
{
    struct gw g;
    struct gw_invoice s, after;
    char ref[128], sv[200];
    int rc = -1;
    H_CHECK(gw_start(&g, 0, GW_ROWS, GW_COLS) == 0);
    H_CHECK(bought(&g, k, &s, ref, sizeof ref) == 0);
    H_CHECK(k->pay(&g, ref, -1) == 0);
    H_CHECK(paid_everywhere(&g, harness_ms(GW_LATE_MS), &s) == 0);
    H_CHECK(k->lookups(&g) >= 1);
    H_CHECK(k->tell(&g, ref) == 200);
    H_CHECK(gw_invoice_state(&g.me, &after) == 0 && after.paid == s.paid &&
            after.n_payments == s.n_payments && strcmp(after.status, "paid") == 0);
    H_CHECK(gw_services(&g.me, sv, sizeof sv) == 0 && strcmp(sv, "active") == 0);
    H_CHECK(k->pages(&g) == 1);
    H_CHECK(harness_screen_contains(g.h, "your order is paid"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

/* The gateway collects another amount: held, nothing activated, the credits used kept with it,
 * the customer told to ask the shop; the operator told what to do. */
static int held(const struct gw_kind *k, const char *golden)
{
    struct gw g;
    struct gw_invoice s;
    char ref[128], sv[200], key[128], key_env[160];
    long long last = 0;
    int rc = -1;
    H_CHECK(gw_start(&g, 300, 24, 80) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", k->method) == 0);
    H_CHECK(gw_invoice_state(&g.me, &s) == 0);
    H_CHECK(s.last_amount == s.total - 300);
    H_CHECK(id_after(s.link, k->marker, ref, sizeof ref) == 0);
    H_CHECK(k->pay(&g, ref, s.last_amount - 100) == 0);
    H_CHECK(k->tell(&g, ref) == 200);
    H_CHECK(sett_wait_settled(g.h, "Payment on hold") == 0);
    H_CHECK(!harness_screen_contains(g.h, "Waiting for your payment"));
    H_CHECK(held_snapshot(g.h, golden) == 0);
    /* no spinner: the screen is finished, nothing is polled */
    H_CHECK(harness_wait_quiet(g.h, 2500, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(gw_invoice_state(&g.me, &s) == 0 && strcmp(s.last_status, "held") == 0 &&
            strcmp(s.status, "paid") != 0 && s.paid == 300);
    H_CHECK(gw_balance(&g.me) == 0);
    H_CHECK(k->refunds(&g, &last) == 0);
    H_CHECK(gw_services(&g.me, sv, sizeof sv) == 0 && strstr(sv, "active") == NULL);
    /* the invoice says the same */
    H_CHECK(open_invoice(g.h) == 0);
    H_CHECK(harness_screen_contains(g.h, "On hold for review"));
    H_CHECK(harness_key(g.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0); /* the note under them */
    H_CHECK(harness_wait_text(g.h, "contact the shop", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(says(g.h, "A payment is on hold: it reached the shop but does not match "
                      "this invoice"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    /* the operator's view of the same invoice says what to do about it */
    harness_free(&g.h);
    H_CHECK(op_make_key(g.url, GW_OPERATOR, GW_OPERATOR_PASSWORD, "admin", key, sizeof key) == 0);
    snprintf(key_env, sizeof key_env, "SETT_API_KEY=%s", key);
    H_CHECK(
        (g.h = harness_start((const char *const[]){SETT_BIN, "--operator", "--api", g.url, NULL},
                             (const char *const[]){key_env, NULL}, 24, 80)) != NULL);
    H_CHECK(sett_wait_settled(g.h, GW_EMAIL) == 0); /* newest first: the customer */
    H_CHECK(op_key_settled(g.h, HK_ENTER, "Credit balance") == 0);
    H_CHECK(open_invoice(g.h) == 0);
    H_CHECK(harness_screen_contains(g.h, "On hold for review"));
    H_CHECK(harness_key(g.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(g.h, "payment.hold", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(says(g.h, "K releases it (the invoice takes what arrived). Or refund it at the "
                      "gateway, or settle the invoice by hand"));
    /* the operator releases it: what arrived pays the invoice in part, the rest stays due */
    H_CHECK(op_key_settled(g.h, "K", "Reason (required):") == 0);
    H_CHECK(op_key_settled(g.h, "Customer confirmed by mail." HK_ENTER,
                           "Accept the held payment") == 0);
    H_CHECK(says(g.h, "Reason: Customer confirmed by mail."));
    H_CHECK(harness_send(g.h, "y") == 0);
    H_CHECK(harness_wait_text(g.h, "Released the held payment", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(gw_invoice_state(&g.me, &s) == 0 && strcmp(s.last_status, "paid") == 0 &&
            strcmp(s.status, "pending") == 0 && s.paid == s.total - 100);
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

int scenario_gateways_stripe_purchase(void)
{
    return purchase(&stripe);
}

int scenario_gateways_stripe_failure(void)
{
    return failure(&stripe);
}

int scenario_gateways_stripe_late(void)
{
    return late(&stripe);
}

int scenario_gateways_stripe_held(void)
{
    return held(&stripe, "held_80x24");
}

int scenario_gateways_paypal_purchase(void)
{
    return purchase(&paypal);
}

/* A declined capture. */
int scenario_gateways_paypal_failure(void)
{
    return failure(&paypal);
}

int scenario_gateways_paypal_late(void)
{
    return late(&paypal);
}

int scenario_gateways_paypal_held(void)
{
    return held(&paypal, "held_paypal_80x24");
}
