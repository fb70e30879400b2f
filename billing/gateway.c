/* gateway.c: choosing a payment's gateway, opening its hosted page, and applying what the gateway
 * reports (webhook or look-up) through one path, including holding a payment that does not match.
 */
#include "billing/gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "billing/app.h"
#include "billing/audit.h"
#include "billing/billingd.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/gateway_http.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/order.h"
#include "billing/payment.h"
#include "billing/paymethod.h"

#define GATEWAY_DEFAULT_API_BASE "https://api.stripe.com"
#define GATEWAY_DEFAULT_TIMEOUT  10000 /* ms */
#define GATEWAY_PAYPAL_API_BASE  "https://api-m.paypal.com"

/* An http(s) URL without a trailing slash, copied; -1 when it is not one. */
static int gateway_url(const char *in, char *out, size_t size)
{
    size_t n = strlen(in);

    if ((strncmp(in, "https://", 8) != 0 && strncmp(in, "http://", 7) != 0) || n >= size ||
        strcspn(in, " \t\r\n\"<>") != n)
        return -1;
    memcpy(out, in, n + 1);
    while (n > 8 && out[n - 1] == '/')
        out[--n] = '\0';
    return 0;
}

/* Stripe's part of the configuration; nothing when no key was given. */
static int gateway_setup_stripe(struct gateway_settings *g, const struct billingd_config *cfg,
                                char *err, size_t errsz)
{
    if (gateway_url(cfg->stripe_api_base ? cfg->stripe_api_base : GATEWAY_DEFAULT_API_BASE,
                    g->stripe_api_base, sizeof g->stripe_api_base) != 0) {
        snprintf(err, errsz, "the Stripe API base must be an http(s) URL");
        return -1;
    }
    if (!cfg->stripe_secret_key || !*cfg->stripe_secret_key) {
        if (cfg->stripe_webhook_secret && *cfg->stripe_webhook_secret) {
            snprintf(err, errsz, "a Stripe webhook secret was given without a secret key");
            return -1;
        }
        return 0;
    }
    /* The messages name what is wrong, never the value. */
    if (strncmp(cfg->stripe_secret_key, "sk_test_", 8) != 0 &&
        strncmp(cfg->stripe_secret_key, "sk_live_", 8) != 0) {
        snprintf(err, errsz, "the Stripe secret key must start with sk_test_ or sk_live_");
        return -1;
    }
    if (strcspn(cfg->stripe_secret_key, " \t\r\n") != strlen(cfg->stripe_secret_key)) {
        snprintf(err, errsz, "the Stripe secret key holds spaces or line breaks");
        return -1;
    }
    if (!cfg->stripe_webhook_secret || strncmp(cfg->stripe_webhook_secret, "whsec_", 6) != 0) {
        snprintf(err, errsz, "Stripe needs its webhook signing secret (whsec_...) as well");
        return -1;
    }
    if (!g->public_url[0]) {
        snprintf(err, errsz, "Stripe needs --public-url, the server's own address for customers");
        return -1;
    }
    g->stripe_secret = strdup(cfg->stripe_secret_key);
    g->stripe_webhook = strdup(cfg->stripe_webhook_secret);
    if (!g->stripe_secret || !g->stripe_webhook) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    g->stripe_live = strncmp(g->stripe_secret, "sk_live_", 8) == 0;
    return 0;
}

/* PayPal's part: all of client id, secret and webhook id, or none. */
static int gateway_setup_paypal(struct gateway_settings *g, const struct billingd_config *cfg,
                                char *err, size_t errsz)
{
    bool id = cfg->paypal_client_id && *cfg->paypal_client_id;
    bool secret = cfg->paypal_secret && *cfg->paypal_secret;
    bool hook = cfg->paypal_webhook_id && *cfg->paypal_webhook_id;

    if (gateway_url(cfg->paypal_api_base ? cfg->paypal_api_base : GATEWAY_PAYPAL_API_BASE,
                    g->paypal_api_base, sizeof g->paypal_api_base) != 0) {
        snprintf(err, errsz, "the PayPal API base must be an http(s) URL");
        return -1;
    }
    if (!id && !secret && !hook)
        return 0;
    if (!id || !secret || !hook) {
        snprintf(err, errsz, "PayPal needs its client id, client secret and webhook id together");
        return -1;
    }
    if (strcspn(cfg->paypal_client_id, " \t\r\n:") != strlen(cfg->paypal_client_id) ||
        strcspn(cfg->paypal_webhook_id, " \t\r\n\"\\") != strlen(cfg->paypal_webhook_id)) {
        snprintf(err, errsz, "the PayPal client id or webhook id holds invalid characters");
        return -1;
    }
    if (!g->public_url[0]) {
        snprintf(err, errsz, "PayPal needs --public-url, the server's own address for customers");
        return -1;
    }
    g->paypal_client_id = strdup(cfg->paypal_client_id);
    g->paypal_secret = strdup(cfg->paypal_secret);
    g->paypal_webhook = strdup(cfg->paypal_webhook_id);
    if (!g->paypal_client_id || !g->paypal_secret || !g->paypal_webhook) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    g->paypal_live = !strstr(g->paypal_api_base, "sandbox");
    return 0;
}

int gateway_setup(struct billingd *app, const struct billingd_config *cfg, char *err, size_t errsz)
{
    struct gateway_settings *g = calloc(1, sizeof *g);

    if (!g) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    app->gateways = g;
    if (pthread_mutex_init(&g->paypal_lock, NULL) != 0) {
        snprintf(err, errsz, "cannot create the PayPal token lock");
        return -1;
    }
    g->paypal_lock_ready = true;
    g->timeout_ms = cfg->gateway_timeout_ms > 0 ? cfg->gateway_timeout_ms : GATEWAY_DEFAULT_TIMEOUT;
    if (cfg->public_url && gateway_url(cfg->public_url, g->public_url, sizeof g->public_url) != 0) {
        snprintf(err, errsz, "the public URL must be an http(s) URL");
        return -1;
    }
    if (gateway_setup_stripe(g, cfg, err, errsz) != 0 ||
        gateway_setup_paypal(g, cfg, err, errsz) != 0)
        return -1;
    if ((g->stripe_secret || g->paypal_secret) && gateway_http_init() != 0) {
        snprintf(err, errsz, "cannot initialise libcurl");
        return -1;
    }
    g->http_ready = g->stripe_secret || g->paypal_secret;
    return 0;
}

static void gateway_secret_free(char **s)
{
    if (*s) {
        sodium_memzero(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void gateway_teardown(struct billingd *app)
{
    struct gateway_settings *g = app->gateways;

    if (!g)
        return;
    if (g->http_ready)
        gateway_http_cleanup();
    gateway_secret_free(&g->stripe_secret);
    gateway_secret_free(&g->stripe_webhook);
    gateway_secret_free(&g->paypal_client_id);
    gateway_secret_free(&g->paypal_secret);
    gateway_secret_free(&g->paypal_webhook);
    sodium_memzero(g->paypal_token, sizeof g->paypal_token);
    if (g->paypal_lock_ready)
        pthread_mutex_destroy(&g->paypal_lock);
    free(g);
    app->gateways = NULL;
}

bool gateway_paypal_configured(const struct billingd *app, bool *live)
{
    const struct gateway_settings *g = app ? app->gateways : NULL;

    if (live)
        *live = g && g->paypal_live;
    return g && g->paypal_secret;
}

bool gateway_stripe_configured(const struct billingd *app, bool *live)
{
    const struct gateway_settings *g = app ? app->gateways : NULL;

    if (live)
        *live = g && g->stripe_live;
    return g && g->stripe_secret;
}

const struct gateway_ops *gateway_for(const struct billingd *app, const char *method)
{
    if (strcmp(method, "stripe") == 0 && gateway_stripe_configured(app, NULL))
        return &gateway_stripe_ops;
    if (strcmp(method, "paypal") == 0 && gateway_paypal_configured(app, NULL))
        return &gateway_paypal_ops;
    if ((strcmp(method, "stripe") == 0 || strcmp(method, "paypal") == 0) && gateway_sandbox(app))
        return &gateway_sandbox_ops;
    return NULL;
}

void gateway_idem_key(const char *purpose, int64_t user_id, const char *client_key,
                      const char *detail, char out[GATEWAY_IDEM_CHARS])
{
    crypto_hash_sha256_state s;
    unsigned char hash[crypto_hash_sha256_BYTES];
    char user[24], hex[2 * sizeof hash + 1];

    snprintf(user, sizeof user, "%lld", (long long)user_id);
    crypto_hash_sha256_init(&s);
    crypto_hash_sha256_update(&s, (const unsigned char *)purpose, strlen(purpose) + 1);
    crypto_hash_sha256_update(&s, (const unsigned char *)user, strlen(user) + 1);
    crypto_hash_sha256_update(&s, (const unsigned char *)client_key, strlen(client_key) + 1);
    crypto_hash_sha256_update(&s, (const unsigned char *)detail, strlen(detail) + 1);
    crypto_hash_sha256_final(&s, hash);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    snprintf(out, GATEWAY_IDEM_CHARS, "sett-%s-%.48s", purpose, hex);
}

static int gateway_exec(sqlite3 *conn, const char *sql, int64_t id, const char *a, const char *b)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (a)
        sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
    if (b)
        sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

enum api_error gateway_prepare(struct billingd *app, sqlite3 *conn, const struct settings *set,
                               int64_t payment_id, int64_t user_id, const char *client_key,
                               struct gateway_call *call)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT p.status, p.gateway, p.amount, p.invoice_id,"
                                        " i.number, p.created_at FROM payments p"
                                        " JOIN invoices i ON i.id = p.invoice_id WHERE p.id = ?");
    struct gateway_charge *c = &call->charge;
    char status[16] = "", method[16] = "", detail[96];
    const struct gateway_ops *ops;
    int64_t created = 0;

    memset(call, 0, sizeof *call);
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(status, sizeof status, "%s", db_text(st, 0));
        snprintf(method, sizeof method, "%s", db_text(st, 1));
        c->amount = sqlite3_column_int64(st, 2);
        c->invoice_id = sqlite3_column_int64(st, 3);
        snprintf(call->number, sizeof call->number, "%s", db_text(st, 4));
        created = sqlite3_column_int64(st, 5);
    }
    db_finalize(st);
    if (strcmp(status, "requires_action") != 0)
        return API_OK;
    if (!(ops = gateway_for(app, method)))
        return API_ERR_PAYMENT_METHOD_UNAVAILABLE;
    if (!ops->start)
        return API_OK; /* the sandbox: this server's own page, from the payment's token */
    /* The gateway compares a replayed request with the first, so everything sent follows from
     * the key: the client's key, the payment (an undone attempt's retry gets the same id back
     * unless another payment came in between) and the hour it was made in. Such a retry
     * replays the gateway's page; any other opens a new one, and a page made by an attempt
     * that failed was never shown to anyone and expires. */
    c->payment_id = payment_id;
    c->exponent = set->currency_exponent;
    c->expires_at = created - created % 3600 + PAYMENT_TTL - 3600;
    snprintf(call->currency, sizeof call->currency, "%s", set->currency_code);
    snprintf(detail, sizeof detail, "%lld/%lld/%lld", (long long)payment_id, (long long)c->amount,
             (long long)c->expires_at);
    gateway_idem_key("session", user_id, client_key ? client_key : "", detail, call->idem);
    /* The sandbox page must never serve a real gateway's payment: the token goes now, before
     * the payment is seen by anyone. */
    if (gateway_exec(conn, "UPDATE payments SET token = NULL WHERE id = ?1", payment_id, NULL,
                     NULL) != 1)
        return API_ERR_INTERNAL;
    call->ops = ops;
    return API_OK;
}

enum api_error gateway_call(struct billingd *app, struct gateway_call *call, char *msg,
                            size_t msgsz)
{
    if (!call->ops)
        return API_OK;
    call->charge.currency = call->currency;
    call->charge.invoice_number = call->number;
    call->charge.idem_key = call->idem;
    return call->ops->start(app, &call->charge, &call->hosted, msg, msgsz);
}

enum api_error gateway_store(sqlite3 *conn, const struct gateway_call *call)
{
    if (!call->ops)
        return API_OK;
    return gateway_exec(conn,
                        "UPDATE payments SET gateway_ref = ?2, redirect_url = ?3 WHERE id = ?1",
                        call->charge.payment_id, call->hosted.ref, call->hosted.url) == 1
               ? API_OK
               : API_ERR_INTERNAL;
}

enum api_error gateway_refund_prepare(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                                      int64_t amount, const char *idem_key,
                                      struct gateway_refund_call *call, char *msg, size_t msgsz)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT gateway, charge_ref FROM payments WHERE id = ?"
                                        " AND charge_ref IS NOT NULL");

    memset(call, 0, sizeof *call);
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(call->method, sizeof call->method, "%s", db_text(st, 0));
        snprintf(call->charge, sizeof call->charge, "%s", db_text(st, 1));
    }
    db_finalize(st);
    if (!call->charge[0])
        return API_OK; /* collected by the sandbox: no real money to send back */
    if (!(call->ops = gateway_for(app, call->method)) || !call->ops->refund) {
        call->ops = NULL;
        snprintf(msg, msgsz,
                 "The %s gateway that took this payment is not configured now, so "
                 "it cannot be refunded to the card; refund it to credits instead.",
                 call->method);
        return API_ERR_GATEWAY_ERROR;
    }
    if (settings_load(conn, &call->set) != 0)
        return API_ERR_INTERNAL;
    call->amount = amount;
    snprintf(call->idem, sizeof call->idem, "%s", idem_key);
    return API_OK;
}

enum api_error gateway_refund_call(struct billingd *app, struct gateway_refund_call *call,
                                   char *msg, size_t msgsz)
{
    if (!call->ops)
        return API_OK;
    return call->ops->refund(app, call->charge, call->amount, &call->set, call->idem, call->ref,
                             msg, msgsz);
}

/* Holds a payment the gateway collected with another amount or currency than it was for. */
static enum api_error gateway_hold(sqlite3 *conn, int64_t payment_id, int64_t expected,
                                   const char *store_currency, const struct gateway_outcome *o,
                                   int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "UPDATE payments SET status = 'held', held_reason = ?2,"
                                        " settled_at = ?3 WHERE id = ?1 AND status IN"
                                        " ('requires_action', 'pending')");
    cJSON *details = cJSON_CreateObject();
    enum api_error err = API_ERR_INTERNAL;
    char reason[160];
    int changed = -1;

    snprintf(reason, sizeof reason,
             "The gateway collected %lld %s; the payment was for %lld %s. Held for an operator.",
             (long long)o->amount, o->currency, (long long)expected, store_currency);
    if (st) {
        sqlite3_bind_int64(st, 1, payment_id);
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, now);
        if (sqlite3_step(st) == SQLITE_DONE)
            changed = sqlite3_changes(conn);
        db_finalize(st);
    }
    /* Audited with the figures, as integers (json_add_int), never as floating point. */
    if (changed >= 0 && details && cJSON_AddStringToObject(details, "actor", "gateway") &&
        json_add_int(details, "expected_amount", expected) &&
        json_add_int(details, "received_amount", o->amount) &&
        cJSON_AddStringToObject(details, "received_currency", o->currency) &&
        cJSON_AddStringToObject(details, "gateway_ref", o->ref) &&
        (changed == 0 ||
         audit_record(conn, 0, "payment.hold", "payment", payment_id, reason, details, now) == 0))
        err = API_OK;
    cJSON_Delete(details);
    return err;
}

/* Audits a payment reported paid after it stopped waiting. */
static enum api_error gateway_late_paid(sqlite3 *conn, int64_t payment_id,
                                        const struct gateway_outcome *o, int64_t now)
{
    cJSON *details = cJSON_CreateObject();
    enum api_error err = API_ERR_INTERNAL;

    if (details && cJSON_AddStringToObject(details, "actor", "gateway") &&
        cJSON_AddStringToObject(details, "gateway_ref", o->ref) &&
        json_add_int(details, "received_amount", o->amount) &&
        audit_record(conn, 0, "payment.paid_after_abandon", "payment", payment_id,
                     "The gateway reported a payment paid after it was superseded or expired.",
                     details, now) == 0)
        err = API_OK;
    cJSON_Delete(details);
    return err;
}

enum api_error gateway_apply(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                             const struct gateway_outcome *o, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT status, amount FROM payments WHERE id = ?");
    struct settings set;
    const char *currency = set.currency_code;
    char status[16] = "";
    int64_t amount = 0;
    bool waiting;

    if (!st || settings_load(conn, &set) != 0) {
        db_finalize(st);
        return API_ERR_INTERNAL;
    }
    sqlite3_bind_int64(st, 1, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(status, sizeof status, "%s", db_text(st, 0));
        amount = sqlite3_column_int64(st, 1);
    }
    db_finalize(st);
    if (!status[0])
        return API_ERR_NOT_FOUND;
    if (o->charge_ref[0] &&
        gateway_exec(conn,
                     "UPDATE payments SET charge_ref = ?2 WHERE id = ?1 AND charge_ref IS NULL",
                     payment_id, o->charge_ref, NULL) < 0)
        return API_ERR_INTERNAL;
    waiting = strcmp(status, "requires_action") == 0 || strcmp(status, "pending") == 0;
    switch (o->state) {
    case GATEWAY_OPEN:
        return API_OK;
    case GATEWAY_PROCESSING:
        return waiting && gateway_exec(conn,
                                       "UPDATE payments SET status = 'pending' WHERE id = ?1"
                                       " AND status = 'requires_action'",
                                       payment_id, NULL, NULL) < 0
                   ? API_ERR_INTERNAL
                   : API_OK;
    case GATEWAY_PAID:
        if (strcmp(status, "paid") == 0 || strcmp(status, "held") == 0)
            return API_OK;
        /* Paid on a page the shop gave up on (a race with closing it): the money is kept as
         * always (it settles the invoice or becomes credit), and the operator can see why. */
        if (!waiting && gateway_late_paid(conn, payment_id, o, now) != API_OK)
            return API_ERR_INTERNAL;
        if (o->amount != amount || strcasecmp(o->currency, currency) != 0)
            return waiting ? gateway_hold(conn, payment_id, amount, currency, o, now) : API_OK;
        return invoice_settle_payment(app, conn, payment_id, now);
    case GATEWAY_FAILED:
        return order_payment_declined(conn, payment_id, now);
    case GATEWAY_EXPIRED:
        return payment_fail(conn, payment_id, "expired", now);
    }
    return API_OK;
}

/* The sandbox: its page is this server's own (/sandbox/pay/{token}), its events come through
 * webhook.c, and its money is pretend, so there is nothing to ask or send back. */
const struct gateway_ops gateway_sandbox_ops = {
    .name = "sandbox",
};

int gateway_secret_read(const char *path, char **out, char *err, size_t errsz)
{
    char buf[512];
    size_t n;
    FILE *f = fopen(path, "r");

    *out = NULL;
    if (!f) {
        snprintf(err, errsz, "cannot read %s", path);
        return -1;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* One line: the trailing line break (and blanks) an editor adds is not part of the key. */
    while (n > 0 &&
           (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = '\0';
    if (n == 0 || n == sizeof buf - 1 || strchr(buf, '\n')) {
        sodium_memzero(buf, sizeof buf);
        snprintf(err, errsz, "%s must hold the secret alone, on one line", path);
        return -1;
    }
    *out = strdup(buf);
    sodium_memzero(buf, sizeof buf);
    if (!*out) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    return 0;
}

const char *billingd_paypal_mode(const struct billingd *d)
{
    bool live;

    if (!gateway_paypal_configured(d, &live))
        return NULL;
    return live ? "live" : "sandbox";
}

const char *billingd_stripe_mode(const struct billingd *d)
{
    bool live;

    if (!gateway_stripe_configured(d, &live))
        return NULL;
    return live ? "live" : "test";
}
