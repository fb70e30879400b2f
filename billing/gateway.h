/* gateway.h: the seam between payments and the gateways that collect them. A gateway is a struct
 * of operations (start a hosted payment, look one up, refund, verify and read a webhook); the
 * sandbox is one, Stripe another, chosen per payment method. Whatever a gateway reports, by
 * webhook or by look-up, reaches the payment through one function, gateway_apply. */
#ifndef SETT_BILLING_GATEWAY_H
#define SETT_BILLING_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/request.h"
#include "billing/settings.h"

struct billingd;
struct billingd_config;

#define GATEWAY_REF_CHARS    160 /* a gateway's ids: sessions, payment intents, refunds, events */
#define GATEWAY_URL_CHARS    1024
#define GATEWAY_IDEM_CHARS   80 /* Idempotency-Key sent to a gateway */
#define GATEWAY_LOOKUP_EVERY 5  /* seconds between look-ups of one waiting payment */

/* What to collect on a hosted page. */
struct gateway_charge {
    int64_t payment_id, invoice_id, amount;
    const char *currency;       /* the store's ISO code, "USD" */
    int exponent;               /* its minor units: 10^exponent per major unit */
    const char *invoice_number; /* "INV-2025-000142" */
    const char *idem_key;       /* the gateway's Idempotency-Key (gateway_idem_key) */
    int64_t expires_at;         /* Unix seconds */
};

/* The hosted payment a gateway opened. */
struct gateway_hosted {
    char ref[GATEWAY_REF_CHARS]; /* its id at the gateway (a Checkout Session's cs_…) */
    char url[GATEWAY_URL_CHARS]; /* where the customer pays */
};

enum gateway_state {
    GATEWAY_OPEN,       /* not paid yet */
    GATEWAY_PROCESSING, /* the customer paid by a method that settles later */
    GATEWAY_PAID,
    GATEWAY_FAILED,
    GATEWAY_EXPIRED,
};

/* Where a hosted payment stands, as the gateway says (a webhook or a look-up). */
struct gateway_outcome {
    char ref[GATEWAY_REF_CHARS];        /* the hosted payment's id */
    char client_ref[GATEWAY_REF_CHARS]; /* our payment id as we gave it, when the gateway echoes it
                                         */
    enum gateway_state state;
    int64_t amount;                     /* collected, in minor units (PAID) */
    char currency[8];                   /* upper case, "USD" */
    char charge_ref[GATEWAY_REF_CHARS]; /* the charge to refund later (Stripe: pi_…) */
};

/* A verified webhook. */
struct gateway_event {
    char id[GATEWAY_REF_CHARS];
    bool relevant; /* false: a type this server does not act on (answered 2xx, ignored) */
    struct gateway_outcome outcome;
};

struct gateway_ops {
    const char *name; /* "stripe", "sandbox" */
    /* Opens a hosted payment; API_ERR_GATEWAY_ERROR with a message for the customer. */
    enum api_error (*start)(struct billingd *app, const struct gateway_charge *c,
                            struct gateway_hosted *out, char *msg, size_t msgsz);
    /* Asks the gateway where a hosted payment stands (NULL: events only). */
    enum api_error (*lookup)(struct billingd *app, const char *ref, struct gateway_outcome *out);
    /* Sends `amount` (minor units of the store's currency) of a charge back (NULL: nothing to
     * send, pretend money). */
    enum api_error (*refund)(struct billingd *app, const char *charge_ref, int64_t amount,
                             const struct settings *set, const char *idem_key,
                             char refund_ref[GATEWAY_REF_CHARS], char *msg, size_t msgsz);
    /* Closes a hosted payment the shop gave up on, so that it can no longer be paid (NULL:
     * nothing to close; PayPal's unapproved orders expire by themselves). */
    enum api_error (*cancel)(struct billingd *app, const char *ref, const char *idem_key, char *msg,
                             size_t msgsz);
    /* Verifies a webhook's signature (API_ERR_INVALID_SIGNATURE) and reads it
     * (API_ERR_INVALID_JSON, API_ERR_VALIDATION_FAILED). NULL: the sandbox's own receiver. */
    enum api_error (*webhook)(struct billingd *app, const struct request *req,
                              struct gateway_event *out);
};

extern const struct gateway_ops gateway_sandbox_ops;
extern const struct gateway_ops gateway_stripe_ops;
extern const struct gateway_ops gateway_paypal_ops;

/* The server's gateway configuration, from billingd_config (secrets held in memory only). */
struct gateway_settings {
    char *stripe_secret;  /* sk_test_… or sk_live_…; NULL: Stripe not configured */
    char *stripe_webhook; /* whsec_… */
    char stripe_api_base[256];
    char public_url[256];
    long timeout_ms;
    bool stripe_live;
    /* PayPal: the REST app's client id and secret (NULL: not configured), the webhook's id. */
    char *paypal_client_id, *paypal_secret, *paypal_webhook;
    char paypal_api_base[256];
    bool paypal_live;
    /* The OAuth token, cached until shortly before it expires. */
    pthread_mutex_t paypal_lock;
    bool paypal_lock_ready;
    bool http_ready; /* libcurl initialised (a real gateway is configured) */
    char paypal_token[1024];
    int64_t paypal_token_expires;
};

/* Reads a secret from a file of one line (the trailing line break dropped) into a new string;
 * 0, or -1 with a message that names the file, never its content. */
int gateway_secret_read(const char *path, char **out, char *err, size_t errsz);

/* Copies and checks the gateway part of the configuration. 0, or -1 with a message (which never
 * holds a secret). */
int gateway_setup(struct billingd *app, const struct billingd_config *cfg, char *err, size_t errsz);
void gateway_teardown(struct billingd *app);

/* The gateway that collects this payment method now: Stripe when it is configured, else the
 * sandbox when the server runs it, else NULL (unavailable). "credits" has none. */
const struct gateway_ops *gateway_for(const struct billingd *app, const char *method);
/* Whether real Stripe is configured (a secret key); *live when that key is sk_live_. */
bool gateway_stripe_configured(const struct billingd *app, bool *live);
/* Whether real PayPal is configured; *live when its API is not PayPal's sandbox. */
bool gateway_paypal_configured(const struct billingd *app, bool *live);

/* A stable Idempotency-Key for the gateway from what makes a request the same one: a client's
 * retry sends the same key, so the gateway sees the same key and creates nothing twice. */
void gateway_idem_key(const char *purpose, int64_t user_id, const char *client_key,
                      const char *detail, char out[GATEWAY_IDEM_CHARS]);

/* Sends the part of an operator's refund that a payment collected back through its gateway (a
 * payment with a charge at a real gateway; anything else has nothing to send) and records the
 * gateway's refund id on refund_id. Inside the caller's transaction. */
enum api_error gateway_refund_payment(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                                      int64_t amount, int64_t refund_id, const char *idem_key,
                                      char *msg, size_t msgsz);

/* Sending part of an operator's refund back through a payment's gateway, in two steps so that no
 * database lock is held while the gateway answers: gateway_refund_prepare, inside the transaction
 * that records the refund, reads the payment's charge (a payment with no charge at a real gateway
 * has nothing to send: ops stays NULL); gateway_refund_call sends it with no database held. */
struct gateway_refund_call {
    const struct gateway_ops *ops;
    char method[16], charge[GATEWAY_REF_CHARS], idem[GATEWAY_IDEM_CHARS];
    int64_t amount;
    struct settings set;
    char ref[GATEWAY_REF_CHARS]; /* the gateway's refund id, after gateway_refund_call */
};

/* API_ERR_GATEWAY_ERROR (with msg) when the payment's gateway is not configured now. */
enum api_error gateway_refund_prepare(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                                      int64_t amount, const char *idem_key,
                                      struct gateway_refund_call *call, char *msg, size_t msgsz);
enum api_error gateway_refund_call(struct billingd *app, struct gateway_refund_call *call,
                                   char *msg, size_t msgsz);

/* Opening the hosted page of a payment payment_start left waiting (requires_action) takes three
 * steps, so that no database lock is held while a gateway answers (up to --gateway-timeout):
 * gateway_prepare, inside the transaction that made the payment, reads what to send and takes
 * the sandbox token off a real gateway's payment; gateway_call asks the gateway with no database
 * held; gateway_store, in a second transaction, records the gateway's ref and URL. */
struct gateway_call {
    const struct gateway_ops *ops; /* NULL: nothing to ask (no page, or the sandbox's own) */
    struct gateway_charge charge;
    char currency[8], number[40], idem[GATEWAY_IDEM_CHARS];
    struct gateway_hosted hosted;
};

/* A payment that needs no page (paid, not_required, credits) or whose page is the sandbox's
 * leaves call->ops NULL. API_ERR_PAYMENT_METHOD_UNAVAILABLE when the method has no gateway now.
 * The gateway's Idempotency-Key follows from client_key and the payment, so the retry of a
 * request whose attempt was undone (same ids again) sends the same key and the same body. */
enum api_error gateway_prepare(struct billingd *app, sqlite3 *conn, const struct settings *set,
                               int64_t payment_id, int64_t user_id, const char *client_key,
                               struct gateway_call *call);
/* Outside any transaction. API_ERR_GATEWAY_ERROR with a message for the customer. */
enum api_error gateway_call(struct billingd *app, struct gateway_call *call, char *msg,
                            size_t msgsz);
/* Inside the second transaction: the page gateway_call opened, on the payment. */
enum api_error gateway_store(sqlite3 *conn, const struct gateway_call *call);

/* Applies what a gateway reports about a payment, inside the caller's transaction: the one path
 * for webhooks and look-ups. PAID with another amount or currency than the payment's holds it
 * for an operator (status "held", audited) and activates nothing. Reports about a payment that
 * has moved on change nothing. */
enum api_error gateway_apply(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                             const struct gateway_outcome *o, int64_t now);

/* GET /billing/payments/{id} for a payment still waiting on a gateway that can be asked: at most
 * every GATEWAY_LOOKUP_EVERY seconds, asks it without holding the database, then applies the
 * answer. Takes and releases the database itself; true when the gateway's answer was applied. */
bool gateway_refresh(struct billingd *app, int64_t payment_id);

/* Closes at their gateway the hosted pages of payments given up on (payment_abandon marked
 * them), with no database held: after the transaction that gave them up, and on every scheduler
 * pass. A failure is logged and tried again by a later call, 3 tries in all. */
void gateway_close_abandoned(struct billingd *app);

/* Whether an approved hosted payment may be captured: false (audited "payment.capture_refused")
 * when its payment is no longer waiting (superseded, expired, failed). Takes the database. */
bool gateway_capture_allowed(struct billingd *app, const char *gateway, const char *ref);

/* POST /api/billing/webhooks/{gateway} for gateways with a webhook operation. */
void gateway_webhook(struct request *req, struct reply *rep, const struct gateway_ops *ops);

#endif
