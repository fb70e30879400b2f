/* paymethod.h: which payment methods can take money now: credits when they are on, the card and
 * PayPal gateways when the sandbox gateway runs (--sandbox, --demo) or a real one is configured. */
#ifndef SETT_BILLING_PAYMETHOD_H
#define SETT_BILLING_PAYMETHOD_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "billing/settings.h"

struct billingd;

/* Whether the sandbox gateway is served: /sandbox/pay/... exists and no real money moves. */
bool gateway_sandbox(const struct billingd *app);
/* Whether the gateway `stripe` or `paypal` can take a payment: the sandbox, or a real gateway. */
bool gateway_live(const struct billingd *app, const char *gateway);
/* Whether a payment method can be used in this store now: "credits" needs credits on; "stripe"
 * and "paypal" need the operator's settings to list them and the gateway to be live. */
bool payment_method_available(const struct billingd *app, const struct settings *set,
                              const char *method);
/* Appends the available methods to `list` (stripe, paypal, credits); 0 or -1. */
int paymethod_list(const struct billingd *app, const struct settings *set, cJSON *list);
/* One line for the start-up message: "credits, stripe (sandbox), paypal (sandbox)",
 * "credits only", or "none". */
void paymethod_describe(const struct billingd *app, const struct settings *set, char *buf,
                        size_t size);

#endif
