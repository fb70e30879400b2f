/* scenarios_gateways.c: the real sett on a pty against a sett-billingd that takes money through
 * the local fake Stripe and fake PayPal (tests/support/fake_*.h), no sandbox: a purchase paid on
 * the fake's page and settled by its webhook, a refund, a failure, a late webhook (following the
 * payment settles it first) and a wrong amount held for the shop. The screens are checked by
 * their text (a golden file only for the held one), the server through its API, the gateway
 * through what the fake received. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "account_support.h"
#include "api_peek.h"
#include "child.h"
#include "fake_paypal.h"
#include "fake_stripe.h"
#include "operator_support.h"
#include "scenarios.h"
#include "tempdir.h"

#define GW_ROWS              43
#define GW_COLS              132
#define GW_EMAIL             "customer1@example.com"
#define GW_PASSWORD          "password"
#define GW_OPERATOR          "operator@example.com"
#define GW_OPERATOR_PASSWORD "operator-password-1"
/* Following a payment looks the gateway up at most every 5 s; sett polls every 2 s. */
#define GW_LATE_MS 25000

extern char **environ;

struct gw {
    struct fake_stripe *stripe;
    struct fake_paypal *paypal;
    char dir[PATH_MAX];
    char db[PATH_MAX + 16], port_file[PATH_MAX + 16], log[PATH_MAX + 16];
    char sk[PATH_MAX + 16], whsec[PATH_MAX + 16], pp_secret[PATH_MAX + 16];
    pid_t pid;
    char url[64], stripe_hook[128], paypal_hook[128];
    struct acct me, op;
    struct acct_prepare p;
    char env_config[600];
    const char *env[2];
    struct harness *h;
};

/* ---- the server and its gateways ---- */

static pid_t spawn(const char *const argv[], const char *log, int in_fd)
{
    int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(in_fd >= 0 ? in_fd : devnull, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execve(argv[0], (char *const *)argv, environ);
        _exit(127);
    }
    close(logfd);
    return pid;
}

static void dump_log(const struct gw *g)
{
    char *text = tempdir_read_file(g->log, NULL);
    fprintf(stderr, "---- sett-billingd output ----\n%s\n---- end ----\n", text ? text : "(none)");
    free(text);
}

/* `sett-billingd admin create`, the password on standard input, as a provisioning script does. */
static int create_operator(struct gw *g)
{
    const char *argv[] = {BILLINGD_BIN, "admin", "create", "--email",
                          GW_OPERATOR,  "--db",  g->db,    NULL};
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = spawn(argv, g->log, fds[0]);
    close(fds[0]);
    const char *line = GW_OPERATOR_PASSWORD "\n";
    ssize_t w = write(fds[1], line, strlen(line));
    close(fds[1]);
    int status = pid > 0 ? child_reap(pid, harness_ms(HARNESS_TIMEOUT_MS)) : -1;
    if (status == CHILD_RUNNING) {
        kill(pid, SIGKILL);
        child_reap(pid, 5000);
    }
    if (w < 0 || status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "gateways: admin create failed (status %d)\n", status);
        dump_log(g);
        return -1;
    }
    return 0;
}

static int write_secret(const char *path, const char *value)
{
    char line[200];
    snprintf(line, sizeof line, "%s\n", value);
    return tempdir_write_file(path, line, strlen(line));
}

static int server_start(struct gw *g)
{
    char public_url[] = "https://shop.example.com";
    const char *argv[] = {BILLINGD_BIN,
                          "--port",
                          "0",
                          "--port-file",
                          g->port_file,
                          "--db",
                          g->db,
                          "--quiet",
                          "--seed-users",
                          "1",
                          "--public-url",
                          public_url,
                          "--stripe-secret-key-file",
                          g->sk,
                          "--stripe-webhook-secret-file",
                          g->whsec,
                          "--stripe-api-base",
                          fake_stripe_url(g->stripe),
                          "--paypal-client-id",
                          FAKE_PAYPAL_CLIENT_ID,
                          "--paypal-secret-file",
                          g->pp_secret,
                          "--paypal-webhook-id",
                          FAKE_PAYPAL_WEBHOOK_ID,
                          "--paypal-api-base",
                          fake_paypal_url(g->paypal),
                          "--gateway-timeout",
                          "5",
                          NULL};
    g->pid = spawn(argv, g->log, -1);
    if (g->pid < 0)
        return -1;
    long long deadline = net_now_ms() + harness_ms(HARNESS_TIMEOUT_MS);
    for (;;) {
        int status;
        if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
            g->pid = -1;
            fprintf(stderr, "gateways: sett-billingd exited before listening\n");
            dump_log(g);
            return -1;
        }
        char *text = tempdir_read_file(g->port_file, NULL);
        int port = text ? atoi(text) : 0;
        free(text);
        if (port > 0 && net_port_accepts(port)) {
            snprintf(g->url, sizeof g->url, "http://127.0.0.1:%d", port);
            break;
        }
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "gateways: sett-billingd is not listening\n");
            dump_log(g);
            return -1;
        }
        poll(NULL, 0, 10);
    }
    snprintf(g->stripe_hook, sizeof g->stripe_hook, "%s/api/billing/webhooks/stripe", g->url);
    snprintf(g->paypal_hook, sizeof g->paypal_hook, "%s/api/billing/webhooks/paypal", g->url);
    return 0;
}

static void gw_stop(struct gw *g)
{
    harness_free(&g->h);
    if (g->pid > 0) {
        kill(g->pid, SIGTERM);
        if (child_reap(g->pid, 5000) == CHILD_RUNNING) {
            kill(g->pid, SIGKILL);
            child_reap(g->pid, 5000);
        }
        g->pid = -1;
    }
    fake_stripe_stop(&g->stripe);
    fake_paypal_stop(&g->paypal);
    if (g->dir[0])
        tempdir_remove(g->dir);
    acct_prepare_cleanup(&g->p);
}

/* The customer's credit balance set to `credits` (minor units) by the operator. */
static int give_credits(struct gw *g, long long credits)
{
    long status = 0;
    char *resp = NULL, path[96], body[200];
    if (acct_call(&g->me, "GET", "/auth/me", NULL, NULL, NULL, &status, &resp) != 0)
        return -1;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    free(resp);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "id");
    if (!cJSON_IsNumber(id)) {
        cJSON_Delete(env);
        return -1;
    }
    snprintf(path, sizeof path, "/admin/users/%lld/credits", (long long)id->valuedouble);
    cJSON_Delete(env);
    snprintf(body, sizeof body,
             "{\"amount\":{\"amount\":%lld,\"currency\":\"USD\"},\"reason\":\"Test credit\"}",
             credits);
    resp = NULL;
    int rc = acct_call(&g->op, "POST", path, body, NULL, "gw-credit-1", &status, &resp);
    if (rc != 0 || status < 200 || status >= 300) {
        fprintf(stderr, "gateways: credits: HTTP %ld %s\n", status, resp ? resp : "");
        rc = -1;
    }
    free(resp);
    return rc;
}

/* The fakes, the server with both gateways, a customer (with `credits`) whose session sett
 * holds, and sett on a terminal of rows x cols. */
static int gw_start(struct gw *g, long long credits, int rows, int cols)
{
    memset(g, 0, sizeof *g);
    g->pid = -1;
    if (!(g->stripe = fake_stripe_start()) || !(g->paypal = fake_paypal_start()) ||
        tempdir_make("sett-gateways", g->dir, sizeof g->dir) != 0 || acct_prepare_init(&g->p) != 0)
        return -1;
    snprintf(g->db, sizeof g->db, "%s/billing.db", g->dir);
    snprintf(g->port_file, sizeof g->port_file, "%s/port", g->dir);
    snprintf(g->log, sizeof g->log, "%s/log", g->dir);
    snprintf(g->sk, sizeof g->sk, "%s/stripe-key", g->dir);
    snprintf(g->whsec, sizeof g->whsec, "%s/stripe-webhook", g->dir);
    snprintf(g->pp_secret, sizeof g->pp_secret, "%s/paypal-secret", g->dir);
    if (write_secret(g->sk, FAKE_STRIPE_API_KEY) != 0 ||
        write_secret(g->whsec, FAKE_STRIPE_WEBHOOK_SECRET) != 0 ||
        write_secret(g->pp_secret, FAKE_PAYPAL_SECRET) != 0 || create_operator(g) != 0 ||
        server_start(g) != 0)
        return -1;
    if (acct_login(&g->me, g->url, GW_EMAIL, GW_PASSWORD) != 0 ||
        acct_login(&g->op, g->url, GW_OPERATOR, GW_OPERATOR_PASSWORD) != 0)
        return -1;
    if (credits && give_credits(g, credits) != 0)
        return -1;
    if (acct_store_session(g->p.config_dir, g->url, g->me.access, g->me.refresh) != 0)
        return -1;
    snprintf(g->env_config, sizeof g->env_config, "XDG_CONFIG_HOME=%s", g->p.config_dir);
    g->env[0] = g->env_config;
    const char *argv[] = {SETT_BIN, "--api", g->url, NULL};
    g->h = harness_start(argv, g->env, rows, cols);
    return g->h ? 0 : -1;
}

/* ---- the server's view ---- */

static cJSON *get(const struct acct *a, const char *path)
{
    long status = 0;
    char *resp = NULL;
    if (acct_call(a, "GET", path, NULL, NULL, NULL, &status, &resp) != 0 || status != 200) {
        fprintf(stderr, "gateways: GET %s: HTTP %ld %s\n", path, status, resp ? resp : "");
        free(resp);
        return NULL;
    }
    cJSON *env = cJSON_Parse(resp);
    free(resp);
    return env;
}

static long long money_at(const cJSON *o, const char *name)
{
    const cJSON *v =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, name), "amount");
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

static long long balance(const struct acct *a)
{
    cJSON *env = get(a, "/billing/credits");
    long long v = money_at(api_peek_data(env), "balance");
    cJSON_Delete(env);
    return v;
}

/* What the customer's one invoice and its payments say. */
struct invoice_state {
    long long id, total, paid, refunded;
    char status[24];
    int n_payments;
    long long last_payment; /* its id */
    long long last_amount;  /* what it asks the gateway for */
    char last_status[24];   /* the last payment's status */
    char link[512];         /* the last payment's next_action.url, "" when none */
    char number[64];
};

static int invoice_state(const struct acct *a, struct invoice_state *s)
{
    char path[96];
    memset(s, 0, sizeof *s);
    cJSON *list = get(a, "/billing/invoices");
    const cJSON *first = cJSON_GetArrayItem(api_peek_data(list), 0);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(first, "id");
    if (!cJSON_IsNumber(id) || cJSON_GetArraySize(api_peek_data(list)) != 1) {
        fprintf(stderr, "gateways: not exactly one invoice\n");
        cJSON_Delete(list);
        return -1;
    }
    s->id = (long long)id->valuedouble;
    cJSON_Delete(list);
    snprintf(path, sizeof path, "/billing/invoices/%lld", s->id);
    cJSON *env = get(a, path);
    const cJSON *inv = api_peek_data(env);
    if (!inv) {
        cJSON_Delete(env);
        return -1;
    }
    snprintf(s->status, sizeof s->status, "%s", api_peek_str(inv, "status"));
    snprintf(s->number, sizeof s->number, "%s", api_peek_str(inv, "number"));
    s->total = money_at(cJSON_GetObjectItemCaseSensitive(inv, "totals"), "total");
    s->paid = money_at(inv, "amount_paid");
    s->refunded = money_at(inv, "amount_refunded");
    const cJSON *pays = cJSON_GetObjectItemCaseSensitive(inv, "payments"), *pm, *last = NULL;
    cJSON_ArrayForEach(pm, pays)
    {
        const char *gwn = api_peek_str(pm, "gateway");
        s->n_payments++;
        if (gwn && strcmp(gwn, "credits") != 0)
            last = pm;
    }
    if (last) {
        s->last_payment = (long long)cJSON_GetObjectItemCaseSensitive(last, "id")->valuedouble;
        s->last_amount = money_at(last, "amount");
        snprintf(s->last_status, sizeof s->last_status, "%s", api_peek_str(last, "status"));
    }
    cJSON_Delete(env);
    if (!s->last_payment)
        return 0;
    snprintf(path, sizeof path, "/billing/payments/%lld", s->last_payment);
    env = get(a, path);
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "next_action");
    const char *url = api_peek_str(next, "url");
    snprintf(s->link, sizeof s->link, "%s", url ? url : "");
    cJSON_Delete(env);
    return 0;
}

/* The status of every service the customer has, as "active,pending,…". */
static int services(const struct acct *a, char *buf, size_t n)
{
    cJSON *env = get(a, "/billing/services");
    const cJSON *sv;
    size_t len = 0;
    if (!env)
        return -1;
    buf[0] = '\0';
    cJSON_ArrayForEach(sv, api_peek_data(env))
    {
        len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "",
                                api_peek_str(sv, "status"));
        if (len >= n)
            break;
    }
    cJSON_Delete(env);
    return 0;
}

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
                              struct invoice_state *s)
{
    char want[256];
    if (invoice_state(&g->me, s) != 0 || strcmp(s->last_status, "requires_action") != 0)
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
static size_t paypal_orders(struct fake_paypal *fp)
{
    struct fake_paypal_record rec;
    size_t n = 0;
    for (int i = 0; fake_paypal_request(fp, "POST", "/v2/checkout/orders", i, &rec); i++) {
        n += strcmp(rec.path, "/v2/checkout/orders") == 0;
        fake_paypal_record_clear(&rec);
    }
    return n;
}

/* Paid on the screen and on the server: the order, its service active, the invoice paid once. */
static int paid_everywhere(struct gw *g, int timeout_ms, struct invoice_state *s)
{
    char sv[200];
    struct harness *h = g->h;
    if (harness_wait_text(h, "your order is paid", timeout_ms) != 0 ||
        harness_wait_text(h, "Active · ", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (invoice_state(&g->me, s) != 0 || services(&g->me, sv, sizeof sv) != 0)
        return -1;
    if (strcmp(s->status, "paid") != 0 || s->paid != s->total || strcmp(sv, "active") != 0 ||
        strcmp(s->last_status, "paid") != 0) {
        fprintf(stderr, "gateways: invoice %s paid %lld of %lld, services %s, payment %s\n",
                s->status, s->paid, s->total, sv, s->last_status);
        return -1;
    }
    return 0;
}

/* ---- Stripe ---- */

/* Bought by card, paid on Stripe's page, its webhook (twice) settles it; then a refund. */
int scenario_gateways_stripe_purchase(void)
{
    struct gw g;
    struct invoice_state s, again;
    struct fake_stripe_record rec = {0};
    char session[128], event[64], v[64], sv[200];
    int rc = -1;
    H_CHECK(gw_start(&g, 0, GW_ROWS, GW_COLS) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", "Card (Stripe)") == 0);
    H_CHECK(shows_gateway_page(&g, fake_stripe_url(g.stripe), "/c/pay/cs_", &s) == 0);
    H_CHECK(id_after(s.link, "/c/pay/", session, sizeof session) == 0);
    H_CHECK(fake_stripe_sessions(g.stripe) == 1);
    /* the customer pays on Stripe's page; Stripe says so */
    H_CHECK(fake_stripe_complete(g.stripe, session, "paid", -1) == 0);
    H_CHECK(fake_stripe_deliver(g.stripe, g.stripe_hook, session, "checkout.session.completed",
                                event) == 200);
    H_CHECK(paid_everywhere(&g, HARNESS_TIMEOUT_MS, &s) == 0);
    H_CHECK(harness_wait_text(g.h, "with Card (Stripe)", HARNESS_TIMEOUT_MS) == 0);
    /* Stripe delivers again: applied once */
    H_CHECK(fake_stripe_deliver(g.stripe, g.stripe_hook, session, "checkout.session.completed",
                                event) == 200);
    H_CHECK(invoice_state(&g.me, &again) == 0 && again.paid == s.paid &&
            again.n_payments == s.n_payments);
    H_CHECK(services(&g.me, sv, sizeof sv) == 0 && strcmp(sv, "active") == 0);
    H_CHECK(fake_stripe_sessions(g.stripe) == 1);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/checkout/sessions") == 1);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/refunds") == 0);
    /* the operator refunds part of it: one refund at Stripe, shown to the customer */
    H_CHECK(refund(&g, s.id, 500) == 0);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/refunds") == 1);
    H_CHECK(fake_stripe_request(g.stripe, "POST", "/v1/refunds", -1, &rec));
    H_CHECK(fake_stripe_form_value(rec.body, "amount", v, sizeof v) && strcmp(v, "500") == 0);
    H_CHECK(invoice_state(&g.me, &again) == 0 && again.refunded == 500);
    H_CHECK(open_invoice(g.h) == 0);
    H_CHECK(harness_screen_contains(g.h, "Refunds"));
    H_CHECK(harness_screen_contains(g.h, "to Card (Stripe)"));
    H_CHECK(harness_screen_contains(g.h, "$5.00"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    fake_stripe_record_clear(&rec);
    gw_stop(&g);
    return rc;
}

/* A bank debit that fails after the page: declined, the credits it held back, the cart back. */
int scenario_gateways_stripe_failure(void)
{
    struct gw g;
    struct invoice_state s;
    char session[128], event[64], sv[200];
    int rc = -1;
    H_CHECK(gw_start(&g, 300, GW_ROWS, GW_COLS) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", "Card (Stripe)") == 0);
    H_CHECK(harness_wait_text(g.h, "$3.00 came from your credits.", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(balance(&g.me) == 0);
    H_CHECK(shows_gateway_page(&g, fake_stripe_url(g.stripe), "/c/pay/cs_", &s) == 0);
    H_CHECK(id_after(s.link, "/c/pay/", session, sizeof session) == 0);
    H_CHECK(fake_stripe_complete(g.stripe, session, "unpaid", -1) == 0);
    H_CHECK(fake_stripe_deliver(g.stripe, g.stripe_hook, session, "checkout.session.completed",
                                event) == 200);
    H_CHECK(harness_wait_text(g.h, "is being processed", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(fake_stripe_async(g.stripe, session, false) == 0);
    H_CHECK(fake_stripe_deliver(g.stripe, g.stripe_hook, session,
                                "checkout.session.async_payment_failed", event) == 200);
    H_CHECK(harness_wait_text(g.h, "Payment declined", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_says(g.h, "Nothing was charged, and the $3.00 from your credits went "
                                  "back to your balance."));
    H_CHECK(sett_wait_settled(g.h, "Your cart is as it was") == 0);
    H_CHECK(balance(&g.me) == 300);
    H_CHECK(invoice_state(&g.me, &s) == 0 && strcmp(s.last_status, "failed") == 0 &&
            strcmp(s.status, "paid") != 0);
    H_CHECK(services(&g.me, sv, sizeof sv) == 0 && strstr(sv, "active") == NULL);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/checkout/sessions") == 1);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/refunds") == 0);
    H_CHECK(key_settled(g.h, "c", "Due now") == 0 && harness_screen_contains(g.h, "Iron"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

/* Paid at Stripe, no webhook: following the payment finds it paid; the late webhook is a no-op. */
int scenario_gateways_stripe_late(void)
{
    struct gw g;
    struct invoice_state s, after;
    char session[128], event[64], sv[200];
    int rc = -1;
    H_CHECK(gw_start(&g, 0, GW_ROWS, GW_COLS) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", "Card (Stripe)") == 0);
    H_CHECK(shows_gateway_page(&g, fake_stripe_url(g.stripe), "/c/pay/cs_", &s) == 0);
    H_CHECK(id_after(s.link, "/c/pay/", session, sizeof session) == 0);
    H_CHECK(fake_stripe_complete(g.stripe, session, "paid", -1) == 0);
    H_CHECK(paid_everywhere(&g, harness_ms(GW_LATE_MS), &s) == 0);
    H_CHECK(fake_stripe_count(g.stripe, "GET", "/v1/checkout/sessions/") >= 1);
    H_CHECK(fake_stripe_deliver(g.stripe, g.stripe_hook, session, "checkout.session.completed",
                                event) == 200);
    H_CHECK(invoice_state(&g.me, &after) == 0 && after.paid == s.paid &&
            after.n_payments == s.n_payments && strcmp(after.status, "paid") == 0);
    H_CHECK(services(&g.me, sv, sizeof sv) == 0 && strcmp(sv, "active") == 0);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/checkout/sessions") == 1);
    H_CHECK(harness_screen_contains(g.h, "your order is paid"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

/* The held screen's golden file: the order and invoice numbers carry the year, made "YYYY". */
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
int scenario_gateways_stripe_held(void)
{
    struct gw g;
    struct invoice_state s;
    char session[128], event[64], sv[200], key[128], key_env[160];
    int rc = -1;
    H_CHECK(gw_start(&g, 300, 24, 80) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", "Card (Stripe)") == 0);
    H_CHECK(invoice_state(&g.me, &s) == 0);
    H_CHECK(s.last_amount == s.total - 300);
    H_CHECK(id_after(s.link, "/c/pay/", session, sizeof session) == 0);
    H_CHECK(fake_stripe_complete(g.stripe, session, "paid", s.last_amount - 100) == 0);
    H_CHECK(fake_stripe_deliver(g.stripe, g.stripe_hook, session, "checkout.session.completed",
                                event) == 200);
    H_CHECK(sett_wait_settled(g.h, "Payment on hold") == 0);
    H_CHECK(!harness_screen_contains(g.h, "Waiting for your payment"));
    H_CHECK(held_snapshot(g.h, "held_80x24") == 0);
    /* no spinner: the screen is finished, nothing is polled */
    H_CHECK(harness_wait_quiet(g.h, 2500, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(invoice_state(&g.me, &s) == 0 && strcmp(s.last_status, "held") == 0 &&
            strcmp(s.status, "paid") != 0 && s.paid == 300);
    H_CHECK(balance(&g.me) == 0);
    H_CHECK(fake_stripe_count(g.stripe, "POST", "/v1/refunds") == 0);
    H_CHECK(services(&g.me, sv, sizeof sv) == 0 && strstr(sv, "active") == NULL);
    /* the invoice says the same */
    H_CHECK(open_invoice(g.h) == 0);
    H_CHECK(harness_screen_contains(g.h, "On hold for review"));
    H_CHECK(harness_key(g.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0); /* the note under them */
    H_CHECK(harness_wait_text(g.h, "contact the shop", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_says(g.h, "A payment is on hold: it reached the shop but does not match "
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
    H_CHECK(acct_screen_says(g.h, "Refund it at the gateway, or settle the invoice by hand"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}

/* ---- PayPal ---- */

/* Bought with PayPal, approved on PayPal's page, its webhook captures it once; then a refund. */
int scenario_gateways_paypal_purchase(void)
{
    struct gw g;
    struct invoice_state s, again;
    struct fake_paypal_record rec = {0};
    char order[64], sv[200];
    int rc = -1;
    H_CHECK(gw_start(&g, 0, GW_ROWS, GW_COLS) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", "PayPal") == 0);
    H_CHECK(shows_gateway_page(&g, fake_paypal_url(g.paypal), "/checkoutnow?token=", &s) == 0);
    H_CHECK(id_after(s.link, "token=", order, sizeof order) == 0);
    H_CHECK(paypal_orders(g.paypal) == 1);
    H_CHECK(fake_paypal_approve(g.paypal, order) == 0);
    H_CHECK(fake_paypal_deliver(g.paypal, g.paypal_hook, order, "CHECKOUT.ORDER.APPROVED", false) ==
            200);
    H_CHECK(paid_everywhere(&g, HARNESS_TIMEOUT_MS, &s) == 0);
    H_CHECK(harness_wait_text(g.h, "with PayPal", HARNESS_TIMEOUT_MS) == 0);
    /* PayPal's capture event, and the approval again: nothing more */
    H_CHECK(fake_paypal_deliver(g.paypal, g.paypal_hook, order, "PAYMENT.CAPTURE.COMPLETED",
                                false) == 200);
    H_CHECK(fake_paypal_deliver(g.paypal, g.paypal_hook, order, "CHECKOUT.ORDER.APPROVED", false) ==
            200);
    H_CHECK(invoice_state(&g.me, &again) == 0 && again.paid == s.paid &&
            again.n_payments == s.n_payments);
    H_CHECK(services(&g.me, sv, sizeof sv) == 0 && strcmp(sv, "active") == 0);
    H_CHECK(paypal_orders(g.paypal) == 1);
    /* the operator refunds part of it: one refund of the capture, shown to the customer */
    H_CHECK(refund(&g, s.id, 500) == 0);
    H_CHECK(fake_paypal_count(g.paypal, "POST", "/v2/payments/captures/") == 1);
    H_CHECK(fake_paypal_request(g.paypal, "POST", "/v2/payments/captures/", -1, &rec));
    H_CHECK(strstr(rec.body, "\"5.00\"") != NULL);
    H_CHECK(invoice_state(&g.me, &again) == 0 && again.refunded == 500);
    H_CHECK(open_invoice(g.h) == 0);
    H_CHECK(harness_screen_contains(g.h, "Refunds"));
    H_CHECK(harness_screen_contains(g.h, "to PayPal"));
    H_CHECK(harness_screen_contains(g.h, "$5.00"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    fake_paypal_record_clear(&rec);
    gw_stop(&g);
    return rc;
}

/* Approved at PayPal, no webhook: following the payment captures it; the late event is a no-op. */
int scenario_gateways_paypal_late(void)
{
    struct gw g;
    struct invoice_state s, after;
    char order[64], sv[200];
    int rc = -1;
    H_CHECK(gw_start(&g, 0, GW_ROWS, GW_COLS) == 0);
    H_CHECK(buy(g.h, "mc-iron", "Iron", "PayPal") == 0);
    H_CHECK(shows_gateway_page(&g, fake_paypal_url(g.paypal), "/checkoutnow?token=", &s) == 0);
    H_CHECK(id_after(s.link, "token=", order, sizeof order) == 0);
    H_CHECK(fake_paypal_approve(g.paypal, order) == 0);
    H_CHECK(paid_everywhere(&g, harness_ms(GW_LATE_MS), &s) == 0);
    H_CHECK(fake_paypal_deliver(g.paypal, g.paypal_hook, order, "CHECKOUT.ORDER.APPROVED", false) ==
            200);
    H_CHECK(invoice_state(&g.me, &after) == 0 && after.paid == s.paid &&
            after.n_payments == s.n_payments && strcmp(after.status, "paid") == 0);
    H_CHECK(services(&g.me, sv, sizeof sv) == 0 && strcmp(sv, "active") == 0);
    H_CHECK(paypal_orders(g.paypal) == 1);
    H_CHECK(harness_screen_contains(g.h, "your order is paid"));
    H_CHECK(sett_run_quit(&(struct sett_run){.h = g.h}) == 0);
    rc = 0;
fail:
    gw_stop(&g);
    return rc;
}
