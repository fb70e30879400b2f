/* paypal.c: PayPal as a gateway: Orders v2 (intent CAPTURE) for the approval page, the capture
 * once the customer approved, look-ups, refunds of the capture, and webhooks verified through
 * PayPal's verify-webhook-signature call. The OAuth token is cached until shortly before it
 * expires; the client secret never leaves this file but in the token request. */
#include "billing/gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/decimal.h"
#include "billing/gateway_api.h"
#include "billing/gateway_http.h"

#define PAYPAL_TOKEN_MARGIN 60 /* seconds before its expiry a token is renewed */

/* PayPal's error objects: {"name":…,"details":[…]}. */
static bool paypal_refusal(const cJSON *root, char *kind, size_t kindsz, char *detail,
                           size_t detailsz)
{
    const char *name = gateway_api_str(root, "name");

    snprintf(kind, kindsz, "%s", name ? name : "");
    snprintf(detail, detailsz, "%s", name ? name : "HTTP error");
    return false;
}

static const struct gateway_api paypal_api = {
    .name = "PayPal",
    .credential = "credentials",
    .page = "an approval page",
    /* capitals, digits, and a few separators */
    .id_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    .refund_failed = {"FAILED", "CANCELLED"},
    .refusal = paypal_refusal,
};

/* A bearer token, from the cache or a new client-credentials grant. */
static int paypal_token(struct billingd *app, bool renew, char *out, size_t size, char *msg,
                        size_t msgsz)
{
    struct gateway_settings *g = app->gateways;
    int64_t now = clock_now(app);
    struct gateway_http_reply r;
    char url[300], *basic = NULL;
    cJSON *root = NULL;
    const cJSON *expires;
    const char *token;
    int rc = -1;

    pthread_mutex_lock(&g->paypal_lock);
    if (!renew && g->paypal_token[0] && g->paypal_token_expires > now + PAYPAL_TOKEN_MARGIN) {
        snprintf(out, size, "%s", g->paypal_token);
        pthread_mutex_unlock(&g->paypal_lock);
        return 0;
    }
    snprintf(url, sizeof url, "%s/v1/oauth2/token", g->paypal_api_base);
    if (asprintf(&basic, "%s:%s", g->paypal_client_id, g->paypal_secret) < 0)
        goto done;
    {
        struct gateway_http_request req = {.method = "POST",
                                           .url = url,
                                           .basic = basic,
                                           .form = "grant_type=client_credentials",
                                           .timeout_ms = g->timeout_ms};
        int sent = gateway_http_send(&req, &r);

        if (sent == 0 && r.status == 200 && (root = cJSON_Parse(r.body)) &&
            (token = gateway_api_str(root, "access_token")) &&
            strlen(token) < sizeof g->paypal_token && strlen(token) < size &&
            cJSON_IsNumber(expires = cJSON_GetObjectItem(root, "expires_in"))) {
            snprintf(g->paypal_token, sizeof g->paypal_token, "%s", token);
            g->paypal_token_expires = now + (int64_t)expires->valuedouble;
            snprintf(out, size, "%s", token);
            rc = 0;
        } else {
            gateway_api_fail(app, &paypal_api, "token", sent, &r, msg, msgsz);
        }
        gateway_http_reply_clear(&r);
    }
done:
    if (basic) {
        explicit_bzero(basic, strlen(basic));
        free(basic);
    }
    cJSON_Delete(root);
    pthread_mutex_unlock(&g->paypal_lock);
    return rc;
}

/* One call to PayPal's REST API with the cached token (renewed once on a 401); the parsed 2xx
 * answer, or NULL with msg filled. *status gets the HTTP status (0: no answer). */
static cJSON *paypal_call(struct billingd *app, const char *what, const char *method,
                          const char *path, const char *json, const char *request_id, char *msg,
                          size_t msgsz, long *status)
{
    const struct gateway_settings *g = app->gateways;
    char url[GATEWAY_URL_CHARS], token[1024];
    struct gateway_http_reply r = {0};
    int rc = -1;

    snprintf(url, sizeof url, "%s%s", g->paypal_api_base, path);
    for (int attempt = 0; attempt < 2; attempt++) {
        struct gateway_http_request req = {.method = method,
                                           .url = url,
                                           .bearer = token,
                                           .idem_key = request_id,
                                           .idem_header = "PayPal-Request-Id",
                                           .form = json,
                                           .json = json != NULL,
                                           .timeout_ms = g->timeout_ms};

        if (paypal_token(app, attempt > 0, token, sizeof token, msg, msgsz) != 0) {
            explicit_bzero(token, sizeof token);
            *status = 0;
            return NULL;
        }
        gateway_http_reply_clear(&r);
        rc = gateway_http_send(&req, &r);
        if (rc != 0 || r.status != 401)
            break;
    }
    explicit_bzero(token, sizeof token);
    *status = rc == 0 ? r.status : 0;
    return gateway_api_answer(app, &paypal_api, what, rc, &r, msg, msgsz);
}

/* The store's currency exponent now (the operator may change settings while we run). Takes the
 * database: only for the paths that run without it (webhooks, look-ups), never from start or
 * refund, which run inside the caller's transaction and get the settings passed in. */
static int paypal_exponent(struct billingd *app)
{
    struct settings set;
    int exponent = 2;

    if (settings_load(db_acquire(app->db), &set) == 0)
        exponent = set.currency_exponent;
    db_release(app->db);
    return exponent;
}

static bool paypal_money(const cJSON *amount, int exponent, struct gateway_outcome *o)
{
    const char *value = gateway_api_str(amount, "value"),
               *cur = gateway_api_str(amount, "currency_code");

    if (!value || !cur || strlen(cur) >= sizeof o->currency ||
        decimal_parse(value, exponent, &o->amount) != 0)
        return false;
    snprintf(o->currency, sizeof o->currency, "%s", cur);
    return true;
}

/* A capture object's state, amount and id. */
static bool paypal_capture_read(const cJSON *c, int exponent, struct gateway_outcome *o)
{
    const char *status = gateway_api_str(c, "status"), *id = gateway_api_str(c, "id");

    if (!status || !gateway_api_id_ok(&paypal_api, id))
        return false;
    snprintf(o->charge_ref, sizeof o->charge_ref, "%s", id);
    if (!paypal_money(cJSON_GetObjectItemCaseSensitive(c, "amount"), exponent, o))
        o->amount = -1;
    if (strcmp(status, "COMPLETED") == 0 || strcmp(status, "REFUNDED") == 0 ||
        strcmp(status, "PARTIALLY_REFUNDED") == 0)
        o->state = GATEWAY_PAID;
    else if (strcmp(status, "PENDING") == 0)
        o->state = GATEWAY_PROCESSING;
    else
        o->state = GATEWAY_FAILED; /* DECLINED, FAILED */
    return true;
}

/* An order object: OPEN until captured, then as its capture. *approved when it waits for us. */
static bool paypal_order_read(const cJSON *order, int exponent, struct gateway_outcome *o,
                              bool *approved)
{
    const char *id = gateway_api_str(order, "id"), *status = gateway_api_str(order, "status");
    const cJSON *unit = cJSON_GetArrayItem(cJSON_GetObjectItem(order, "purchase_units"), 0);
    const cJSON *payments = cJSON_GetObjectItemCaseSensitive(unit, "payments");
    const cJSON *capture = cJSON_GetArrayItem(cJSON_GetObjectItem(payments, "captures"), 0);
    const char *custom = gateway_api_str(unit, "custom_id");

    memset(o, 0, sizeof *o);
    *approved = false;
    if (!gateway_api_id_ok(&paypal_api, id) || !status)
        return false;
    snprintf(o->ref, sizeof o->ref, "%s", id);
    if (custom)
        snprintf(o->client_ref, sizeof o->client_ref, "%s", custom);
    o->state = GATEWAY_OPEN;
    if (strcmp(status, "APPROVED") == 0)
        *approved = true;
    else if (strcmp(status, "VOIDED") == 0)
        o->state = GATEWAY_EXPIRED;
    else if (strcmp(status, "COMPLETED") == 0 && !paypal_capture_read(capture, exponent, o))
        return false;
    return true;
}

/* Captures an approved order; a capture already made answers as the order. */
static enum api_error paypal_capture(struct billingd *app, const char *order_id,
                                     struct gateway_outcome *o)
{
    char path[GATEWAY_REF_CHARS + 48], request_id[GATEWAY_REF_CHARS + 16], msg[160];
    int exponent = paypal_exponent(app);
    bool approved;
    long status;
    cJSON *order;

    snprintf(path, sizeof path, "/v2/checkout/orders/%s/capture", order_id);
    /* One capture per order, whoever asks (webhook, look-up) and however often. */
    snprintf(request_id, sizeof request_id, "sett-capture-%s", order_id);
    order = paypal_call(app, "capture", "POST", path, "{}", request_id, msg, sizeof msg, &status);
    if (!order && status == 422) {
        snprintf(path, sizeof path, "/v2/checkout/orders/%s", order_id);
        order =
            paypal_call(app, "order look-up", "GET", path, NULL, NULL, msg, sizeof msg, &status);
    }
    if (!order)
        return API_ERR_GATEWAY_ERROR;
    if (!paypal_order_read(order, exponent, o, &approved)) {
        cJSON_Delete(order);
        return API_ERR_GATEWAY_ERROR;
    }
    cJSON_Delete(order);
    return API_OK;
}

static enum api_error paypal_start(struct billingd *app, const struct gateway_charge *c,
                                   struct gateway_hosted *out, char *msg, size_t msgsz)
{
    const struct gateway_settings *g = app->gateways;
    cJSON *body = cJSON_CreateObject(), *units, *unit, *amount, *ctx, *order = NULL, *link;
    char value[40], id[32], url[300], *text = NULL;
    const char *href = NULL;
    enum api_error err = API_ERR_INTERNAL;
    long status;

    snprintf(id, sizeof id, "%lld", (long long)c->payment_id);
    if (!body || decimal_format(c->amount, c->exponent, value, sizeof value) != 0 ||
        !cJSON_AddStringToObject(body, "intent", "CAPTURE") ||
        !(units = cJSON_AddArrayToObject(body, "purchase_units")) ||
        !(unit = cJSON_CreateObject()) || !cJSON_AddItemToArray(units, unit) ||
        !cJSON_AddStringToObject(unit, "reference_id", id) ||
        !cJSON_AddStringToObject(unit, "custom_id", id) ||
        !cJSON_AddStringToObject(unit, "description", c->invoice_number) ||
        !(amount = cJSON_AddObjectToObject(unit, "amount")) ||
        !cJSON_AddStringToObject(amount, "currency_code", c->currency) ||
        !cJSON_AddStringToObject(amount, "value", value) ||
        !(ctx = cJSON_AddObjectToObject(
              cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "payment_source"), "paypal"),
              "experience_context")) ||
        !cJSON_AddStringToObject(ctx, "user_action", "PAY_NOW") ||
        !cJSON_AddStringToObject(ctx, "shipping_preference", "NO_SHIPPING"))
        goto done;
    snprintf(url, sizeof url, "%s/pay/done", g->public_url);
    if (!cJSON_AddStringToObject(ctx, "return_url", url))
        goto done;
    snprintf(url, sizeof url, "%s/pay/cancelled", g->public_url);
    if (!cJSON_AddStringToObject(ctx, "cancel_url", url) || !(text = cJSON_PrintUnformatted(body)))
        goto done;
    order = paypal_call(app, "order", "POST", "/v2/checkout/orders", text, c->idem_key, msg, msgsz,
                        &status);
    err = API_ERR_GATEWAY_ERROR;
    if (!order)
        goto done;
    cJSON_ArrayForEach(link, cJSON_GetObjectItemCaseSensitive(order, "links"))
    {
        const char *rel = gateway_api_str(link, "rel");

        if (rel && (strcmp(rel, "payer-action") == 0 || strcmp(rel, "approve") == 0))
            href = gateway_api_str(link, "href");
    }
    err = gateway_api_page(&paypal_api, gateway_api_str(order, "id"), href, out, msg, msgsz);
done:
    cJSON_free(text);
    cJSON_Delete(body);
    cJSON_Delete(order);
    return err;
}

static enum api_error paypal_lookup(struct billingd *app, const char *ref,
                                    struct gateway_outcome *out)
{
    char path[GATEWAY_REF_CHARS + 32], msg[160];
    bool approved = false, ok;
    long status;
    cJSON *order;

    if (!gateway_api_id_ok(&paypal_api, ref))
        return API_ERR_NOT_FOUND;
    snprintf(path, sizeof path, "/v2/checkout/orders/%s", ref);
    if (!(order =
              paypal_call(app, "order look-up", "GET", path, NULL, NULL, msg, sizeof msg, &status)))
        return API_ERR_GATEWAY_ERROR;
    ok = paypal_order_read(order, paypal_exponent(app), out, &approved);
    cJSON_Delete(order);
    if (!ok)
        return API_ERR_GATEWAY_ERROR;
    /* Approved on PayPal's page: the money moves only when we capture, and never for a payment
     * the shop gave up on. */
    return approved && gateway_capture_allowed(app, "paypal", ref) ? paypal_capture(app, ref, out)
                                                                   : API_OK;
}

static enum api_error paypal_refund(struct billingd *app, const char *charge_ref, int64_t amount,
                                    const struct settings *set, const char *idem_key,
                                    char refund_ref[GATEWAY_REF_CHARS], char *msg, size_t msgsz)
{
    char path[GATEWAY_REF_CHARS + 48], body[160], value[40];
    enum api_error err;
    long http;
    cJSON *r;

    if (!gateway_api_id_ok(&paypal_api, charge_ref) ||
        decimal_format(amount, set->currency_exponent, value, sizeof value) != 0)
        return API_ERR_INTERNAL;
    snprintf(path, sizeof path, "/v2/payments/captures/%s/refund", charge_ref);
    snprintf(body, sizeof body, "{\"amount\":{\"value\":\"%s\",\"currency_code\":\"%s\"}}", value,
             set->currency_code);
    if (!(r = paypal_call(app, "refund", "POST", path, body, idem_key, msg, msgsz, &http)))
        return API_ERR_GATEWAY_ERROR;
    err = gateway_api_refund(&paypal_api, r, refund_ref, msg, msgsz);
    cJSON_Delete(r);
    return err;
}

/* Asks PayPal whether the transmission headers sign this exact body for our webhook. The event
 * goes back byte for byte as it came: re-encoding it could change what was signed. */
static enum api_error paypal_verify(struct billingd *app, const struct request *req)
{
    static const char *const headers[][2] = {
        {"auth_algo", "PAYPAL-AUTH-ALGO"},
        {"cert_url", "PAYPAL-CERT-URL"},
        {"transmission_id", "PAYPAL-TRANSMISSION-ID"},
        {"transmission_sig", "PAYPAL-TRANSMISSION-SIG"},
        {"transmission_time", "PAYPAL-TRANSMISSION-TIME"},
    };
    cJSON *head = cJSON_CreateObject(), *answer = NULL;
    char *text = NULL, *body = NULL, msg[160];
    enum api_error err = API_ERR_INVALID_SIGNATURE;
    const char *verdict;
    size_t n;
    long status;

    for (size_t i = 0; head && i < sizeof headers / sizeof headers[0]; i++) {
        const char *v = request_header(req, headers[i][1]);

        if (!v || !*v || strlen(v) > 1000 || !cJSON_AddStringToObject(head, headers[i][0], v))
            goto done;
    }
    if (!head || !cJSON_AddStringToObject(head, "webhook_id", app->gateways->paypal_webhook) ||
        !(text = cJSON_PrintUnformatted(head)) || !req->body)
        goto done;
    n = strlen(text);
    /* {"auth_algo":…,"webhook_id":"…"} → {…,"webhook_event":<raw body>} */
    if (!(body = malloc(n + req->body_len + 32)))
        goto done;
    memcpy(body, text, n - 1);
    n = n - 1 + (size_t)sprintf(body + n - 1, ",\"webhook_event\":");
    memcpy(body + n, req->body, req->body_len);
    memcpy(body + n + req->body_len, "}", 2);
    answer = paypal_call(app, "webhook verification", "POST",
                         "/v1/notifications/verify-webhook-signature", body, NULL, msg, sizeof msg,
                         &status);
    if (!answer) {
        err = API_ERR_GATEWAY_ERROR; /* not verified either way: PayPal sends it again */
        goto done;
    }
    verdict = gateway_api_str(answer, "verification_status");
    err = verdict && strcmp(verdict, "SUCCESS") == 0 ? API_OK : API_ERR_INVALID_SIGNATURE;
done:
    cJSON_free(text);
    free(body);
    cJSON_Delete(head);
    cJSON_Delete(answer);
    return err;
}

static enum api_error paypal_webhook(struct billingd *app, const struct request *req,
                                     struct gateway_event *out)
{
    const cJSON *resource = cJSON_GetObjectItemCaseSensitive(req->json, "resource");
    const char *type, *order_id;
    enum api_error err;

    if ((err = paypal_verify(app, req)) != API_OK)
        return err;
    if (!(type = gateway_api_event(req->json, "event_type", out)) || !cJSON_IsObject(resource))
        return API_ERR_INVALID_JSON;
    if (strcmp(type, "CHECKOUT.ORDER.APPROVED") == 0) {
        /* The customer approved: capture now (idempotent), and apply what the capture says. */
        order_id = gateway_api_str(resource, "id");
        if (!gateway_api_id_ok(&paypal_api, order_id))
            return API_ERR_INVALID_JSON;
        /* A payment the shop gave up on (a newer one replaced it, it expired) is not captured:
         * acknowledged and ignored; the order, never captured, lapses at PayPal. */
        if (!gateway_capture_allowed(app, "paypal", order_id))
            return API_OK;
        out->relevant = true;
        return paypal_capture(app, order_id, &out->outcome);
    }
    if (strncmp(type, "PAYMENT.CAPTURE.", 16) == 0 && strcmp(type + 16, "REFUNDED") != 0 &&
        strcmp(type + 16, "REVERSED") != 0) {
        const cJSON *related = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(resource, "supplementary_data"), "related_ids");

        order_id = gateway_api_str(related, "order_id");
        memset(&out->outcome, 0, sizeof out->outcome);
        if (!gateway_api_id_ok(&paypal_api, order_id) ||
            !paypal_capture_read(resource, paypal_exponent(app), &out->outcome))
            return API_ERR_INVALID_JSON;
        snprintf(out->outcome.ref, sizeof out->outcome.ref, "%s", order_id);
        out->relevant = true;
        return API_OK;
    }
    return API_OK; /* other event types: acknowledged, ignored */
}

const struct gateway_ops gateway_paypal_ops = {
    .name = "paypal",
    .start = paypal_start,
    .lookup = paypal_lookup,
    .refund = paypal_refund,
    .webhook = paypal_webhook,
};
