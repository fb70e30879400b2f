/* fake_paypal.h: a local stand-in for PayPal's REST API (OAuth client credentials, Orders v2,
 * capture refunds, verify-webhook-signature) that records every request, sends webhooks with
 * PayPal's transmission headers, and misbehaves on demand. */
#ifndef SETT_TEST_FAKE_PAYPAL_H
#define SETT_TEST_FAKE_PAYPAL_H

#include <stdbool.h>
#include <stddef.h>

#include "fake_gateway.h"

struct fake_paypal;

#define FAKE_PAYPAL_CLIENT_ID  "AfakeClientId0123456789"
#define FAKE_PAYPAL_SECRET     "EfakeSecret-0123456789abcdef"
#define FAKE_PAYPAL_WEBHOOK_ID "8PT597110X687430LKGECATA"

struct fake_paypal *fake_paypal_start(void);
const char *fake_paypal_url(const struct fake_paypal *fp); /* "http://127.0.0.1:PORT" */
void fake_paypal_stop(struct fake_paypal **fp);

/* The next `times` API requests (not token requests) answer 500. */
void fake_paypal_fail(struct fake_paypal *fp, int times);

/* What the next capture of an order does: its status ("COMPLETED", "DECLINED", "PENDING"; NULL:
 * COMPLETED) and the amount it collected as PayPal's decimal string (NULL: the order's own). The
 * order completes either way, as PayPal answers a capture (201). 0, or -1 for no such order. */
int fake_paypal_capture_outcome(struct fake_paypal *fp, const char *order_id, const char *status,
                                const char *value);
/* A PENDING capture settles: "COMPLETED" or "DENIED" (then deliver PAYMENT.CAPTURE.<status>). */
int fake_paypal_capture_settle(struct fake_paypal *fp, const char *order_id, const char *status);
/* The next capture of an order is made, then answered only after delay_ms (a client times out). */
int fake_paypal_capture_timeout(struct fake_paypal *fp, const char *order_id, int delay_ms);
/* The OAuth token expires now: every API request with it answers 401 until a new one is taken. */
void fake_paypal_expire_token(struct fake_paypal *fp);

/* One recorded request; request_id is its PayPal-Request-Id. */
struct fake_paypal_record {
    FAKE_GATEWAY_RECORD(request_id);
};
size_t fake_paypal_count(struct fake_paypal *fp, const char *method, const char *path_prefix);
/* A copy of the index-th matching request (-1: the last). */
bool fake_paypal_request(struct fake_paypal *fp, const char *method, const char *path_prefix,
                         int index, struct fake_paypal_record *out);
void fake_paypal_record_clear(struct fake_paypal_record *r);

/* The payer approves the order on PayPal's page. 0 or -1. */
int fake_paypal_approve(struct fake_paypal *fp, const char *order_id);
/* The event PayPal would send about an order now (CHECKOUT.ORDER.APPROVED,
 * PAYMENT.CAPTURE.COMPLETED …), signed for FAKE_PAYPAL_WEBHOOK_ID, posted to url; with
 * `tamper` one byte of the body changes after signing. The HTTP status, or -1. */
long fake_paypal_deliver(struct fake_paypal *fp, const char *url, const char *order_id,
                         const char *type, bool tamper);

#endif
