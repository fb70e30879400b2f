/* paymethod.c: which payment methods can take money now (credits, and the gateways that are live).
 */
#include "billing/paymethod.h"

#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/billingd.h"
#include "billing/db.h"
#include "billing/gateway.h"

static const char *const paymethod_gateways[] = {"stripe", "paypal"};

bool gateway_sandbox(const struct billingd *app)
{
    return app && app->sandbox;
}

bool gateway_live(const struct billingd *app, const char *gateway)
{
    if (strcmp(gateway, "stripe") != 0 && strcmp(gateway, "paypal") != 0)
        return false;
    /* A real gateway, once configured, is live here too. */
    if (strcmp(gateway, "stripe") == 0 && gateway_stripe_configured(app, NULL))
        return true;
    if (strcmp(gateway, "paypal") == 0 && gateway_paypal_configured(app, NULL))
        return true;
    return gateway_sandbox(app);
}

/* How a gateway takes money: " (Stripe, test mode)", " (PayPal, live)", " (sandbox)". */
static const char *paymethod_label(const struct billingd *app, const char *gateway)
{
    bool live;

    if (strcmp(gateway, "stripe") == 0 && gateway_stripe_configured(app, &live))
        return live ? " (Stripe, live)" : " (Stripe, test mode)";
    if (strcmp(gateway, "paypal") == 0 && gateway_paypal_configured(app, &live))
        return live ? " (PayPal, live)" : " (PayPal, sandbox)";
    return gateway_sandbox(app) ? " (sandbox)" : "";
}

/* Whether the operator's comma-separated list names the gateway. */
static bool paymethod_listed(const struct settings *set, const char *gateway)
{
    char list[sizeof set->gateways + 2], want[24];

    snprintf(list, sizeof list, ",%s,", set->gateways);
    snprintf(want, sizeof want, ",%s,", gateway);
    return strstr(list, want) != NULL;
}

bool payment_method_available(const struct billingd *app, const struct settings *set,
                              const char *method)
{
    if (strcmp(method, "credits") == 0)
        return set->credits_enabled;
    return gateway_live(app, method) && paymethod_listed(set, method);
}

int paymethod_list(const struct billingd *app, const struct settings *set, cJSON *list)
{
    for (size_t i = 0; i < sizeof paymethod_gateways / sizeof paymethod_gateways[0]; i++)
        if (payment_method_available(app, set, paymethod_gateways[i]) &&
            !cJSON_AddItemToArray(list, cJSON_CreateString(paymethod_gateways[i])))
            return -1;
    if (set->credits_enabled && !cJSON_AddItemToArray(list, cJSON_CreateString("credits")))
        return -1;
    return 0;
}

void paymethod_describe(const struct billingd *app, const struct settings *set, char *buf,
                        size_t size)
{
    size_t n = 0;
    int gateways = 0;

    buf[0] = '\0';
    if (set->credits_enabled)
        n += (size_t)snprintf(buf, size, "credits");
    for (size_t i = 0; i < sizeof paymethod_gateways / sizeof paymethod_gateways[0]; i++) {
        if (!payment_method_available(app, set, paymethod_gateways[i]) || n >= size)
            continue;
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s", n ? ", " : "", paymethod_gateways[i],
                              paymethod_label(app, paymethod_gateways[i]));
        gateways++;
    }
    if (n == 0)
        snprintf(buf, size, "none");
    else if (gateways == 0 && n < size)
        snprintf(buf + n, size - n, " only");
}

int billingd_gateways_text(struct billingd *d, char *buf, size_t size)
{
    struct settings set;
    sqlite3 *conn = db_acquire(d->db);
    int rc = settings_load(conn, &set);

    db_release(d->db);
    if (rc != 0) {
        snprintf(buf, size, "unknown (cannot read the settings)");
        return -1;
    }
    paymethod_describe(d, &set, buf, size);
    return 0;
}
