/* gateways_support.c: the fakes, sett-billingd with both gateways, the signed-in customer and
 * operator, sett on a pty, and the server's view of the customer's invoice, for the gateway
 * scenarios. */
#include "gateways_support.h"

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
#include "operator_support.h"
#include "scenarios.h"
#include "tempdir.h"

extern char **environ;

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

void gw_stop(struct gw *g)
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
int gw_start(struct gw *g, long long credits, int rows, int cols)
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

long long gw_balance(const struct acct *a)
{
    cJSON *env = get(a, "/billing/credits");
    long long v = money_at(api_peek_data(env), "balance");
    cJSON_Delete(env);
    return v;
}

int gw_invoice_state(const struct acct *a, struct gw_invoice *s)
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
int gw_services(const struct acct *a, char *buf, size_t n)
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
