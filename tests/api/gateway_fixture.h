/* gateway_fixture.h: what the Stripe and PayPal API tests share: sett-billingd started against a
 * local fake gateway with its secrets in files, a checkout that leaves a payment waiting on the
 * gateway's page, and the payment, service and invoice as the customer or the operator sees
 * them. */
#ifndef SETT_TESTS_API_GATEWAY_FIXTURE_H
#define SETT_TESTS_API_GATEWAY_FIXTURE_H

#include "commerce_fixture.h"

#include <unistd.h>

/* mc-gold monthly: 1299 + VAT 260 = 1559. ts3-10 monthly: 199 + VAT 40 = 239. */
#define GW_GOLD_MONTHLY "{\"product_id\":4,\"cycle\":\"monthly\"}"
#define GW_TS3_MONTHLY  "{\"product_id\":16,\"cycle\":\"monthly\"}"

struct gw_fixture {
    struct api_server server;
    char demo[128], admin[128]; /* the demo customer's and operator's tokens */
    char hook_url[128];         /* where the gateway posts its webhooks */
    char dir[64];               /* the secret files' */
    char secrets[2][300];
    int n_secrets;
};

/* Writes a secret file of one line (two at most) for sett-billingd; its path, or NULL. */
static inline const char *gw_secret(struct gw_fixture *fx, const char *gateway, const char *name,
                                    const char *value)
{
    char *path;
    FILE *f;
    int rc;

    if (fx->n_secrets == 2)
        return NULL;
    if (fx->n_secrets == 0) {
        snprintf(fx->dir, sizeof fx->dir, "/tmp/sett-%s-XXXXXX", gateway);
        if (!mkdtemp(fx->dir))
            return NULL;
    }
    path = fx->secrets[fx->n_secrets];
    snprintf(path, sizeof fx->secrets[0], "%s/%s", fx->dir, name);
    if (!(f = fopen(path, "w")))
        return NULL;
    rc = fprintf(f, "%s\n", value);
    if (fclose(f) != 0 || rc < 0)
        return NULL;
    fx->n_secrets++;
    return path;
}

/* Starts sett-billingd with the gateway's arguments (NULL-ended) and signs the demo customer and
 * operator in. 0 or -1. */
static inline int gw_start(struct gw_fixture *fx, const char *gateway, const char *const *args)
{
    if (api_server_start(&fx->server, args) != 0)
        return -1;
    snprintf(fx->hook_url, sizeof fx->hook_url, "http://127.0.0.1:%u/api/billing/webhooks/%s",
             (unsigned)fx->server.port, gateway);
    adm_login(&fx->server, DEMO_EMAIL, DEMO_PASSWORD, fx->demo);
    adm_login(&fx->server, ADMIN_EMAIL, ADMIN_PASSWORD, fx->admin);
    return 0;
}

/* Starts sett-billingd against a (fake) Stripe at api_base, with the secret key and webhook
 * secret in files (in /tmp/sett-<name>-…), https://shop.example.com/ as its public URL and this
 * --gateway-timeout in seconds. 0 or -1. */
static inline int gw_start_stripe(struct gw_fixture *fx, const char *name, const char *api_base,
                                  const char *key, const char *webhook_secret, const char *timeout)
{
    const char *args[] = {"--stripe-secret-key-file",
                          NULL,
                          "--stripe-webhook-secret-file",
                          NULL,
                          "--stripe-api-base",
                          api_base,
                          "--public-url",
                          "https://shop.example.com/",
                          "--gateway-timeout",
                          timeout,
                          NULL};

    if (!(args[1] = gw_secret(fx, name, "sk", key)) ||
        !(args[3] = gw_secret(fx, name, "whsec", webhook_secret)))
        return -1;
    return gw_start(fx, "stripe", args);
}

/* Stops the server and removes the secrets; 0 when it stopped cleanly. */
static inline int gw_stop(struct gw_fixture *fx)
{
    int rc = api_server_stop(&fx->server);

    api_server_cleanup(&fx->server);
    for (int i = 0; i < fx->n_secrets; i++)
        unlink(fx->secrets[i]);
    if (fx->n_secrets)
        rmdir(fx->dir);
    return rc == 0 ? 0 : -1;
}

static inline const cJSON *gw_part(const struct api_resp *r, const char *name)
{
    return cJSON_GetObjectItem(api_data(r), name);
}

/* What a test follows by its status. */
enum gw_view {
    GW_PAYMENT, /* as the customer follows it (which may ask the gateway) */
    GW_SERVICE,
    GW_INVOICE, /* as an operator sees it (no look-up at the gateway on this path) */
};

/* The status of a payment, service or invoice now. */
static inline const char *gw_status(struct gw_fixture *fx, enum gw_view view, int64_t id)
{
    static const struct {
        const char *path;
        bool as_admin;
    } views[] = {
        [GW_PAYMENT] = {"/billing/payments/", false},
        [GW_SERVICE] = {"/billing/services/", false},
        [GW_INVOICE] = {"/admin/invoices/", true},
    };
    static char status[3][32];
    char path[64];
    struct api_resp r;

    snprintf(path, sizeof path, "%s%lld", views[view].path, (long long)id);
    if (views[view].as_admin)
        adm_call(&fx->server, "GET", path, fx->admin, NULL, NULL, &r);
    else
        cm_call(&fx->server, "GET", path, fx->demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    snprintf(status[view], sizeof status[view], "%s", api_str(api_data(&r), "status"));
    api_resp_clear(&r);
    return status[view];
}

/* A payment's audit trail, as the operator reads it, is one entry: `action`. */
static inline void gw_expect_audit(struct gw_fixture *fx, int64_t payment, const char *action)
{
    struct api_resp r;
    char path[96];

    snprintf(path, sizeof path, "/admin/audit-log?target_type=payment&target_id=%lld",
             (long long)payment);
    adm_call(&fx->server, "GET", path, fx->admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "action"), action);
    api_resp_clear(&r);
}

/* Follows a payment as the customer does until it is `want` (the look-up at the gateway runs at
 * most every few seconds), for 8 seconds at most; its status then. */
static inline const char *gw_follow(struct gw_fixture *fx, int64_t payment, const char *want)
{
    for (int i = 0; i < 80 && strcmp(gw_status(fx, GW_PAYMENT, payment), want) != 0; i++)
        usleep(100 * 1000);
    return gw_status(fx, GW_PAYMENT, payment);
}

/* The gateway's id of a payment's hosted payment: what follows `marker` in next_action.url. */
static inline void gw_ref(const cJSON *payment, const char *marker, char *out, size_t size)
{
    const char *url = api_str(cJSON_GetObjectItem(payment, "next_action"), "url");
    const char *at = url ? strstr(url, marker) : NULL;

    assert_non_null(at);
    snprintf(out, size, "%s", at + strlen(marker));
}

/* A checkout with one line, waiting on the gateway's page. */
struct gw_bought {
    int64_t payment, invoice, service, amount, credits;
    char url[512]; /* the page: next_action.url */
    char ref[96];  /* the gateway's id of it (a session, an order) */
};

/* Checks out one line with the gateway (201, requires_action); ref is what follows `marker` in
 * the page's URL. */
static inline void gw_buy(struct gw_fixture *fx, const char *gateway, const char *marker,
                          const char *line, bool use_credits, const char *key, struct gw_bought *b)
{
    struct api_resp r;
    const cJSON *payment;

    cm_add(&fx->server, fx->demo, line);
    cm_checkout(&fx->server, fx->demo, gateway, use_credits, key, &r);
    adm_expect(&r, 201, NULL);
    payment = gw_part(&r, "payment");
    b->payment = api_int(payment, "id");
    b->invoice = api_int(gw_part(&r, "invoice"), "id");
    b->service = api_int(cJSON_GetArrayItem(gw_part(&r, "services"), 0), "id");
    b->amount = adm_money(payment, "amount");
    b->credits = adm_money(payment, "credits_applied");
    assert_string_equal(api_str(payment, "status"), "requires_action");
    assert_string_equal(api_str(payment, "gateway"), gateway);
    assert_non_null(api_str(cJSON_GetObjectItem(payment, "next_action"), "url"));
    snprintf(b->url, sizeof b->url, "%s",
             api_str(cJSON_GetObjectItem(payment, "next_action"), "url"));
    gw_ref(payment, marker, b->ref, sizeof b->ref);
    api_resp_clear(&r);
}

#endif
