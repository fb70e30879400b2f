/* stripe.c: Stripe as a gateway: Checkout Sessions for the hosted page, their look-up, refunds to
 * the card, and the signed events Stripe posts back. Secrets never leave this file but in the
 * Authorization header; Stripe's error messages are logged, never passed to customers. */
#include "billing/gateway.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/gateway_api.h"
#include "billing/gateway_http.h"
#include "billing/json_util.h"
#include "billing/stripe_signature.h"

/* The API version this code reads, pinned: the account's default moving on changes nothing. */
#define STRIPE_API_VERSION    "2024-06-20"
#define STRIPE_PAGE_DONE      "/pay/done"
#define STRIPE_PAGE_CANCELLED "/pay/cancelled"

/* Stripe's error objects: {"error":{"type":…,"code":…}}. */
static bool stripe_refusal(const cJSON *root, char *kind, size_t kindsz, char *detail,
                           size_t detailsz)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    const char *type = gateway_api_str(e, "type"), *code = gateway_api_str(e, "code");
    const char *t = type ? type : "";

    snprintf(kind, kindsz, "%s", t);
    snprintf(detail, detailsz, "%s%s%s", t[0] ? t : "HTTP error", code ? ", " : "",
             code ? code : "");
    return strcmp(t, "authentication_error") == 0;
}

static const struct gateway_api stripe_api = {
    .name = "Stripe",
    .credential = "key",
    .page = "a payment page",
    /* letters, digits and underscores */
    .id_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_",
    .refund_failed = {"failed", "canceled"},
    .garbled_is_fault = true,
    .refusal = stripe_refusal,
};

/* One call to Stripe's API: the parsed 2xx answer, or NULL with msg filled. */
static cJSON *stripe_call(struct billingd *app, const char *what, const char *method,
                          const char *path, const struct gateway_form *form, const char *idem,
                          char *msg, size_t msgsz)
{
    const struct gateway_settings *g = app->gateways;
    char url[GATEWAY_URL_CHARS];
    struct gateway_http_request req = {.method = method,
                                       .url = url,
                                       .bearer = g->stripe_secret,
                                       .idem_key = idem,
                                       .form = form ? form->text : NULL,
                                       .extra = "Stripe-Version: " STRIPE_API_VERSION,
                                       .timeout_ms = g->timeout_ms};
    struct gateway_http_reply r;
    int rc;

    snprintf(url, sizeof url, "%s%s", g->stripe_api_base, path);
    rc = gateway_http_send(&req, &r);
    return gateway_api_answer(app, &stripe_api, what, rc, &r, msg, msgsz);
}

static enum api_error stripe_start(struct billingd *app, const struct gateway_charge *c,
                                   struct gateway_hosted *out, char *msg, size_t msgsz)
{
    const struct gateway_settings *g = app->gateways;
    struct gateway_form f = {0};
    char currency[8];
    enum api_error err;
    cJSON *s;
    size_t i;

    for (i = 0; c->currency[i] && i < sizeof currency - 1; i++)
        currency[i] = (char)tolower((unsigned char)c->currency[i]);
    currency[i] = '\0';
    gateway_form_add(&f, "mode", "payment");
    gateway_form_add(&f, "line_items[0][quantity]", "1");
    gateway_form_add(&f, "line_items[0][price_data][currency]", currency);
    gateway_form_addf(&f, "line_items[0][price_data][unit_amount]", "%lld", (long long)c->amount);
    gateway_form_addf(&f, "line_items[0][price_data][product_data][name]", "Invoice %s",
                      c->invoice_number);
    gateway_form_addf(&f, "client_reference_id", "%lld", (long long)c->payment_id);
    gateway_form_addf(&f, "metadata[payment_id]", "%lld", (long long)c->payment_id);
    gateway_form_addf(&f, "metadata[invoice_id]", "%lld", (long long)c->invoice_id);
    gateway_form_add(&f, "metadata[invoice_number]", c->invoice_number);
    gateway_form_addf(&f, "payment_intent_data[metadata][payment_id]", "%lld",
                      (long long)c->payment_id);
    gateway_form_addf(&f, "success_url", "%s%s?session_id={CHECKOUT_SESSION_ID}", g->public_url,
                      STRIPE_PAGE_DONE);
    gateway_form_addf(&f, "cancel_url", "%s%s", g->public_url, STRIPE_PAGE_CANCELLED);
    gateway_form_addf(&f, "expires_at", "%lld", (long long)c->expires_at);
    if (f.failed) {
        gateway_form_clear(&f);
        return API_ERR_INTERNAL;
    }
    s = stripe_call(app, "checkout session", "POST", "/v1/checkout/sessions", &f, c->idem_key, msg,
                    msgsz);
    gateway_form_clear(&f);
    if (!s)
        return API_ERR_GATEWAY_ERROR;
    err = gateway_api_page(&stripe_api, gateway_api_str(s, "id"), gateway_api_str(s, "url"), out,
                           msg, msgsz);
    cJSON_Delete(s);
    return err;
}

/* A Checkout Session object as an outcome; `event` is the event type that carried it (NULL for a
 * look-up, which reads the session's own status). */
static bool stripe_session_read(const cJSON *s, const char *event, struct gateway_outcome *o)
{
    const char *id = gateway_api_str(s, "id"), *status = gateway_api_str(s, "status");
    const char *paid = gateway_api_str(s, "payment_status"), *cur = gateway_api_str(s, "currency");
    const char *ref = gateway_api_str(s, "client_reference_id");
    const cJSON *pi = cJSON_GetObjectItemCaseSensitive(s, "payment_intent");
    size_t i;

    memset(o, 0, sizeof *o);
    if (!gateway_api_id_ok(&stripe_api, id) || !paid)
        return false;
    snprintf(o->ref, sizeof o->ref, "%s", id);
    if (ref)
        snprintf(o->client_ref, sizeof o->client_ref, "%s", ref);
    if (cJSON_IsObject(pi))
        pi = cJSON_GetObjectItemCaseSensitive(pi, "id");
    if (cJSON_IsString(pi) && gateway_api_id_ok(&stripe_api, pi->valuestring))
        snprintf(o->charge_ref, sizeof o->charge_ref, "%s", pi->valuestring);
    if (!json_get_int(cJSON_GetObjectItemCaseSensitive(s, "amount_total"), &o->amount))
        o->amount = -1;
    for (i = 0; cur && cur[i] && i < sizeof o->currency - 1; i++)
        o->currency[i] = (char)toupper((unsigned char)cur[i]);
    o->currency[i] = '\0';
    bool settled = strcmp(paid, "paid") == 0 || strcmp(paid, "no_payment_required") == 0;
    if (!event)
        o->state = status && strcmp(status, "expired") == 0 ? GATEWAY_EXPIRED
                   : status && strcmp(status, "complete") == 0
                       ? settled ? GATEWAY_PAID : GATEWAY_PROCESSING
                       : GATEWAY_OPEN;
    else if (strcmp(event, "checkout.session.completed") == 0)
        o->state = settled ? GATEWAY_PAID : GATEWAY_PROCESSING;
    else if (strcmp(event, "checkout.session.async_payment_succeeded") == 0)
        o->state = GATEWAY_PAID;
    else if (strcmp(event, "checkout.session.async_payment_failed") == 0)
        o->state = GATEWAY_FAILED;
    else
        o->state = GATEWAY_EXPIRED;
    return true;
}

static enum api_error stripe_lookup(struct billingd *app, const char *ref,
                                    struct gateway_outcome *out)
{
    char path[GATEWAY_REF_CHARS + 32], msg[160];
    cJSON *s;
    bool ok;

    if (!gateway_api_id_ok(&stripe_api, ref))
        return API_ERR_NOT_FOUND;
    snprintf(path, sizeof path, "/v1/checkout/sessions/%s", ref);
    if (!(s = stripe_call(app, "session look-up", "GET", path, NULL, NULL, msg, sizeof msg)))
        return API_ERR_GATEWAY_ERROR;
    ok = stripe_session_read(s, NULL, out);
    cJSON_Delete(s);
    return ok ? API_OK : API_ERR_GATEWAY_ERROR;
}

static enum api_error stripe_refund(struct billingd *app, const char *charge_ref, int64_t amount,
                                    const struct settings *set, const char *idem_key,
                                    char refund_ref[GATEWAY_REF_CHARS], char *msg, size_t msgsz)
{
    struct gateway_form f = {0};
    enum api_error err;
    cJSON *r;

    (void)set; /* Stripe counts in the charge's own minor units */
    gateway_form_add(&f, "payment_intent", charge_ref);
    gateway_form_addf(&f, "amount", "%lld", (long long)amount);
    if (f.failed) {
        gateway_form_clear(&f);
        return API_ERR_INTERNAL;
    }
    r = stripe_call(app, "refund", "POST", "/v1/refunds", &f, idem_key, msg, msgsz);
    gateway_form_clear(&f);
    if (!r)
        return API_ERR_GATEWAY_ERROR;
    err = gateway_api_refund(&stripe_api, r, refund_ref, msg, msgsz);
    cJSON_Delete(r);
    return err;
}

/* Expires an open Checkout Session: it can no longer be paid. */
static enum api_error stripe_cancel(struct billingd *app, const char *ref, const char *idem_key,
                                    char *msg, size_t msgsz)
{
    char path[GATEWAY_REF_CHARS + 40];
    cJSON *s;

    if (!gateway_api_id_ok(&stripe_api, ref))
        return API_ERR_NOT_FOUND;
    snprintf(path, sizeof path, "/v1/checkout/sessions/%s/expire", ref);
    if (!(s = stripe_call(app, "session expiry", "POST", path, NULL, idem_key, msg, msgsz)))
        return API_ERR_GATEWAY_ERROR;
    cJSON_Delete(s);
    return API_OK;
}

static const char *const stripe_events[] = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
};

static enum api_error stripe_webhook(struct billingd *app, const struct request *req,
                                     struct gateway_event *out)
{
    const char *header = request_header(req, "Stripe-Signature");
    const cJSON *data, *object;
    const char *type;

    if (stripe_signature_verify(header, req->body, req->body_len, app->gateways->stripe_webhook,
                                clock_now(app), STRIPE_SIGNATURE_TOLERANCE) != STRIPE_SIGNATURE_OK)
        return API_ERR_INVALID_SIGNATURE;
    if (!(type = gateway_api_event(req->json, "type", out)))
        return API_ERR_INVALID_JSON;
    for (size_t i = 0; i < sizeof stripe_events / sizeof stripe_events[0]; i++)
        out->relevant |= strcmp(type, stripe_events[i]) == 0;
    if (!out->relevant)
        return API_OK;
    data = cJSON_GetObjectItemCaseSensitive(req->json, "data");
    object = cJSON_GetObjectItemCaseSensitive(data, "object");
    if (!stripe_session_read(object, type, &out->outcome))
        return API_ERR_INVALID_JSON;
    return API_OK;
}

const struct gateway_ops gateway_stripe_ops = {
    .name = "stripe",
    .start = stripe_start,
    .lookup = stripe_lookup,
    .refund = stripe_refund,
    .cancel = stripe_cancel,
    .webhook = stripe_webhook,
};
