/* fake_stripe.h: a local stand-in for Stripe's API (Checkout Sessions and their expiry, refunds)
 * that speaks its wire format (form-encoded bodies, Bearer sk_test_ keys, {"error":{…}} objects,
 * Idempotency-Key replay), records every request, sends signed webhooks, and misbehaves on
 * demand. */
#ifndef SETT_TEST_FAKE_STRIPE_H
#define SETT_TEST_FAKE_STRIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_gateway.h"

struct fake_stripe;

#define FAKE_STRIPE_API_KEY        "sk_test_fake51Hx0000000000000000000000000000"
#define FAKE_STRIPE_WEBHOOK_SECRET "whsec_fakeZ0tqYk7vD3mN8pL2sW9xC4bR6jH1"

enum fake_stripe_fault {
    FAKE_STRIPE_NORMAL = FAKE_GATEWAY_NORMAL,
    FAKE_STRIPE_5XX = FAKE_GATEWAY_5XX,   /* answer 500 with an api_error object, doing nothing */
    FAKE_STRIPE_SLOW = FAKE_GATEWAY_SLOW, /* do the work, then wait delay_ms before answering */
};

/* Listens on a free loopback port; NULL on failure. */
struct fake_stripe *fake_stripe_start(void);
const char *fake_stripe_url(const struct fake_stripe *fs); /* "http://127.0.0.1:PORT" */
void fake_stripe_stop(struct fake_stripe **fs);

/* The next `times` API requests misbehave so. */
void fake_stripe_fault(struct fake_stripe *fs, enum fake_stripe_fault fault, int times,
                       int delay_ms);

/* One recorded request; idem_key is its Idempotency-Key, body the form. */
struct fake_stripe_record {
    FAKE_GATEWAY_RECORD(idem_key);
};
/* Requests whose method and path start match (method NULL: any). */
size_t fake_stripe_count(struct fake_stripe *fs, const char *method, const char *path_prefix);
/* A copy of the index-th such request (-1: the last); false when there is none. */
bool fake_stripe_request(struct fake_stripe *fs, const char *method, const char *path_prefix,
                         int index, struct fake_stripe_record *out);
void fake_stripe_record_clear(struct fake_stripe_record *r);
/* The decoded value of `key` in a form body ("line_items[0][price_data][currency]"). */
bool fake_stripe_form_value(const char *body, const char *key, char *out, size_t size);

/* How many Checkout Sessions exist. */
size_t fake_stripe_sessions(struct fake_stripe *fs);
/* The customer finishes the hosted page: status complete with payment_status "paid" or "unpaid"
 * (an asynchronous method), collecting amount_total (-1: the session's amount). 0 or -1. */
int fake_stripe_complete(struct fake_stripe *fs, const char *session_id, const char *payment_status,
                         int64_t amount_total);
/* The asynchronous payment settled (paid) or failed (unpaid stays, the intent failed). */
int fake_stripe_async(struct fake_stripe *fs, const char *session_id, bool succeeded);
/* The session expires (as at its expires_at); the client's POST /v1/checkout/sessions/{id}/expire
 * does the same. An expired session can no longer be completed (-1). */
int fake_stripe_expire(struct fake_stripe *fs, const char *session_id);

/* The event Stripe would send now about a session (type "checkout.session.completed", …), as
 * its exact body, with a fresh event id copied to event_id (64 bytes). Free with free(). */
char *fake_stripe_event(struct fake_stripe *fs, const char *session_id, const char *type,
                        char event_id[64]);
/* "t=<t>,v1=<hex>" over "<t>.<body>" keyed with secret. */
void fake_stripe_sign(const char *body, const char *secret, int64_t t, char *out, size_t size);
/* Posts a webhook as Stripe does (JSON body, Stripe-Signature); the HTTP status, or -1. */
long fake_stripe_post(const char *url, const char *body, const char *signature);
/* Makes, signs (now, FAKE_STRIPE_WEBHOOK_SECRET) and posts an event to url. HTTP status or -1. */
long fake_stripe_deliver(struct fake_stripe *fs, const char *url, const char *session_id,
                         const char *type, char event_id[64]);

#endif
