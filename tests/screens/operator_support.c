/* operator_support.c: what the operator scenarios share: a server holding the demo customer's
 * history, `sett --operator` on it (with an API key or without), and reading the API after. */
#include "operator_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_peek.h"

/* POST /auth/api-keys as `email`: the secret into `out`. 0 or -1. */
int op_make_key(const char *url, const char *email, const char *pass, const char *scopes, char *out,
                size_t n)
{
    struct acct a;
    char body[200], *resp = NULL;
    long status = 0;
    int rc = -1;
    if (acct_login(&a, url, email, pass) != 0)
        return -1;
    snprintf(body, sizeof body, "{\"name\":\"screens\",\"scopes\":[\"%s\"]}", scopes);
    if (acct_call(&a, "POST", "/auth/api-keys", body, NULL, NULL, &status, &resp) == 0 &&
        status == 201) {
        cJSON *env = resp ? cJSON_Parse(resp) : NULL;
        const char *key = api_peek_str(api_peek_data(env), "key");
        if (key) {
            snprintf(out, n, "%s", key);
            rc = 0;
        }
        cJSON_Delete(env);
    }
    if (rc != 0)
        fprintf(stderr, "api key: HTTP %ld %s\n", status, resp ? resp : "");
    free(resp);
    return rc;
}

/* The demo customer's history: one order paid with credits (the refund scenario refunds its
 * invoice), one paid by card, one waiting for PayPal. */
int op_customer_history(const char *url, long *paid_invoice)
{
    struct acct a;
    char pay[512];
    if (acct_login(&a, url, ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0)
        return -1;
    if (acct_cart_add(&a, "mc-dirt", "monthly", 1) != 0 ||
        acct_checkout(&a, "credits", false, pay, sizeof pay) != 0)
        return -1;
    if (acct_cart_add(&a, "mc-iron", "monthly", 1) != 0 ||
        acct_checkout(&a, "stripe", true, pay, sizeof pay) != 0 || !pay[0] ||
        acct_sandbox(pay, "pay") != 200)
        return -1;
    if (acct_cart_add(&a, "valheim-hearth", "monthly", 1) != 0 ||
        acct_checkout(&a, "paypal", false, pay, sizeof pay) != 0)
        return -1;
    /* the oldest invoice is the one paid with credits */
    cJSON *env = NULL;
    long status = 0;
    char *resp = NULL;
    *paid_invoice = 0;
    if (acct_call(&a, "GET", "/billing/invoices?per_page=100", NULL, NULL, NULL, &status, &resp) ==
            0 &&
        (env = resp ? cJSON_Parse(resp) : NULL)) {
        const cJSON *item;
        cJSON_ArrayForEach(item, api_peek_data(env))
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
            if (cJSON_IsNumber(id))
                *paid_invoice = (long)id->valuedouble; /* newest first: the last is the oldest */
        }
    }
    cJSON_Delete(env);
    free(resp);
    return *paid_invoice ? 0 : -1;
}

static int operator_prepare(struct sett_run *r, void *ud)
{
    struct op_run *o = ud;
    char key[128];
    const char *url = sett_run_server_url(r);
    if (op_customer_history(url, &o->invoice_id) != 0)
        return -1;
    if (o->approval) {
        struct acct a;
        char pay[512];
        if (acct_admin_settings(url, "{\"auto_activate\":false}") != 0 ||
            acct_login(&a, url, ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0 ||
            acct_cart_add(&a, "mc-stone", "monthly", 1) != 0 ||
            acct_checkout(&a, "stripe", false, pay, sizeof pay) != 0 || !pay[0] ||
            acct_sandbox(pay, "pay") != 200)
            return -1;
    }
    if (!o->with_key)
        return 0;
    if (op_make_key(url, o->key_email, o->key_pass, o->scopes, key, sizeof key) != 0)
        return -1;
    snprintf(o->key_env, sizeof o->key_env, "SETT_API_KEY=%s", key);
    return 0;
}

/* sett --operator against a fixed-day server holding the demo customer's history; with a key of
 * `email` (NULL: none, so sett asks for a sign-in). */
int op_start(struct op_run *o, const char *email, const char *pass, const char *scopes,
             bool approval)
{
    static const char *const args[] = {"--operator", NULL};
    memset(o, 0, sizeof *o);
    snprintf(o->config_dir, sizeof o->config_dir, "/tmp/sett-op-XXXXXX");
    if (!mkdtemp(o->config_dir))
        return -1;
    snprintf(o->config_env, sizeof o->config_env, "XDG_CONFIG_HOME=%s", o->config_dir);
    o->with_key = email != NULL;
    o->approval = approval;
    o->key_email = email;
    o->key_pass = pass;
    o->scopes = scopes;
    o->env[0] = o->config_env;
    o->env[1] = o->with_key ? o->key_env : NULL;
    struct sett_run_opts opts = {.backend = SETT_BACKEND_SERVER,
                                 .extra_args = args,
                                 .env = o->env,
                                 .rows = 24,
                                 .cols = 80,
                                 .fixed_clock = true,
                                 .prepare = operator_prepare,
                                 .prepare_ud = o};
    return sett_run_start(&o->r, &opts);
}

void op_stop(struct op_run *o)
{
    char cmd[600];
    sett_run_stop(&o->r);
    if (o->config_dir[0] && strncmp(o->config_dir, "/tmp/sett-op-", 13) == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", o->config_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", o->config_dir);
    }
}

int op_key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* From the search: find the demo customer and open the account. */
int op_open_demo(struct harness *h)
{
    if (op_key_settled(h, "w", "Find customer") != 0 || harness_send(h, "demo@" HK_ENTER) != 0 ||
        sett_wait_settled(h, "Customers matching \"demo@\"") != 0)
        return -1;
    return op_key_settled(h, HK_ENTER, "Credit balance");
}

/* GET with the operator's session; the envelope (cJSON_Delete) or NULL. */
cJSON *op_admin_get(const struct acct *admin, const char *path)
{
    char *resp = NULL;
    long status = 0;
    cJSON *env = NULL;
    if (acct_call(admin, "GET", path, NULL, NULL, NULL, &status, &resp) == 0 && status == 200)
        env = cJSON_Parse(resp);
    free(resp);
    return env;
}

long long op_money_of(const cJSON *obj, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "amount");
    return cJSON_IsNumber(a) ? (long long)a->valuedouble : -1;
}
