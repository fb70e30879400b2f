/* fake_paypal.c: the fake PayPal REST API: tokens, orders, captures, refunds, verification, on
 * the shared fake gateway server (fake_gateway.c) configured with PayPal's wire format. */
#include "fake_paypal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#define PP_ORDERS_MAX 64

struct pp_order {
    char id[32], status[24], value[24], currency[8], custom_id[32], capture_id[32];
    char capture_status[16];
    /* What the next capture does (fake_paypal_capture_outcome, fake_paypal_capture_timeout). */
    char next_status[16], next_value[24], captured[24];
    int capture_delay_ms;
};

struct fake_paypal {
    struct fake_gateway core; /* the server, its lock, records, replay and faults */
    struct pp_order orders[PP_ORDERS_MAX];
    size_t n_orders;
    int seq;
    char token[64];
    unsigned char sign_key[32]; /* stands in for PayPal's certificate */
};

static char *pp_print(cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);

    cJSON_Delete(j);
    if (!s)
        abort();
    return s;
}

static char *pp_error(const char *name, const char *issue)
{
    char *s = NULL;

    if (asprintf(&s, "{\"name\":\"%s\",\"message\":\"fake\",\"details\":[{\"issue\":\"%s\"}]}",
                 name, issue) < 0)
        abort();
    return s;
}

static struct pp_order *pp_find(struct fake_paypal *fp, const char *id)
{
    for (size_t i = 0; i < fp->n_orders; i++)
        if (strcmp(fp->orders[i].id, id) == 0)
            return &fp->orders[i];
    return NULL;
}

static cJSON *pp_capture_json(const struct pp_order *o)
{
    cJSON *c = cJSON_CreateObject(), *amount = cJSON_AddObjectToObject(c, "amount");
    cJSON *rel =
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(c, "supplementary_data"), "related_ids");

    cJSON_AddStringToObject(c, "id", o->capture_id);
    cJSON_AddStringToObject(c, "status", o->capture_status);
    cJSON_AddStringToObject(amount, "currency_code", o->currency);
    cJSON_AddStringToObject(amount, "value", o->captured[0] ? o->captured : o->value);
    cJSON_AddStringToObject(c, "custom_id", o->custom_id);
    cJSON_AddStringToObject(rel, "order_id", o->id);
    return c;
}

static cJSON *pp_order_json(const struct fake_paypal *fp, const struct pp_order *o)
{
    cJSON *j = cJSON_CreateObject(), *units = cJSON_AddArrayToObject(j, "purchase_units");
    cJSON *unit = cJSON_CreateObject(), *amount, *links, *link;
    char href[256];

    cJSON_AddStringToObject(j, "id", o->id);
    cJSON_AddStringToObject(j, "intent", "CAPTURE");
    cJSON_AddStringToObject(j, "status", o->status);
    cJSON_AddItemToArray(units, unit);
    cJSON_AddStringToObject(unit, "reference_id", o->custom_id);
    cJSON_AddStringToObject(unit, "custom_id", o->custom_id);
    amount = cJSON_AddObjectToObject(unit, "amount");
    cJSON_AddStringToObject(amount, "currency_code", o->currency);
    cJSON_AddStringToObject(amount, "value", o->value);
    if (o->capture_id[0])
        cJSON_AddItemToArray(
            cJSON_AddArrayToObject(cJSON_AddObjectToObject(unit, "payments"), "captures"),
            pp_capture_json(o));
    links = cJSON_AddArrayToObject(j, "links");
    link = cJSON_CreateObject();
    snprintf(href, sizeof href, "%s/checkoutnow?token=%s", fp->core.url, o->id);
    cJSON_AddStringToObject(link, "href", href);
    cJSON_AddStringToObject(link, "rel", "payer-action");
    cJSON_AddStringToObject(link, "method", "GET");
    cJSON_AddItemToArray(links, link);
    return j;
}

/* The fake's "certificate" signature over what PayPal signs: id|time|webhook id|body digest. */
static void pp_sign(const struct fake_paypal *fp, const char *id, const char *time_,
                    const char *webhook_id, const char *event, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES], mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof digest + 1], *msg = NULL;

    crypto_hash_sha256(digest, (const unsigned char *)event, strlen(event));
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (asprintf(&msg, "%s|%s|%s|%s", id, time_, webhook_id, hex) < 0)
        abort();
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, strlen(msg), fp->sign_key);
    sodium_bin2hex(out, 65, mac, sizeof mac);
    free(msg);
}

static char *pp_verify(struct fake_paypal *fp, const char *body, unsigned *status)
{
    cJSON *req = cJSON_Parse(body), *event = cJSON_GetObjectItem(req, "webhook_event");
    const char *fields[] = {"auth_algo",        "cert_url",          "transmission_id",
                            "transmission_sig", "transmission_time", "webhook_id"};
    const char *sig = cJSON_GetStringValue(cJSON_GetObjectItem(req, "transmission_sig"));
    const char *hook = cJSON_GetStringValue(cJSON_GetObjectItem(req, "webhook_id"));
    char want[65], *text;
    bool ok = event != NULL;

    for (size_t i = 0; i < 6; i++)
        ok = ok && cJSON_IsString(cJSON_GetObjectItem(req, fields[i]));
    if (!ok) {
        cJSON_Delete(req);
        *status = 400;
        return pp_error("INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER");
    }
    text = cJSON_PrintUnformatted(event);
    pp_sign(fp, cJSON_GetStringValue(cJSON_GetObjectItem(req, "transmission_id")),
            cJSON_GetStringValue(cJSON_GetObjectItem(req, "transmission_time")), hook, text, want);
    ok = strcmp(hook, FAKE_PAYPAL_WEBHOOK_ID) == 0 && strcmp(sig, want) == 0;
    free(text);
    cJSON_Delete(req);
    *status = 200;
    return fake_gateway_strdup(ok ? "{\"verification_status\":\"SUCCESS\"}"
                                  : "{\"verification_status\":\"FAILURE\"}");
}

static char *pp_create(struct fake_paypal *fp, const char *body, unsigned *status)
{
    cJSON *req = cJSON_Parse(body);
    cJSON *unit = cJSON_GetArrayItem(cJSON_GetObjectItem(req, "purchase_units"), 0);
    cJSON *amount = cJSON_GetObjectItem(unit, "amount");
    const char *value = cJSON_GetStringValue(cJSON_GetObjectItem(amount, "value"));
    const char *cur = cJSON_GetStringValue(cJSON_GetObjectItem(amount, "currency_code"));
    const char *intent = cJSON_GetStringValue(cJSON_GetObjectItem(req, "intent"));
    struct pp_order *o;

    if (!value || !cur || !intent || strcmp(intent, "CAPTURE") != 0 ||
        fp->n_orders == PP_ORDERS_MAX) {
        cJSON_Delete(req);
        *status = 422;
        return pp_error("UNPROCESSABLE_ENTITY", "INVALID_PARAMETER_VALUE");
    }
    o = &fp->orders[fp->n_orders++];
    memset(o, 0, sizeof *o);
    snprintf(o->id, sizeof o->id, "5O%014d", ++fp->seq);
    snprintf(o->status, sizeof o->status, "PAYER_ACTION_REQUIRED");
    snprintf(o->value, sizeof o->value, "%s", value);
    snprintf(o->currency, sizeof o->currency, "%s", cur);
    snprintf(o->custom_id, sizeof o->custom_id, "%s",
             cJSON_GetStringValue(cJSON_GetObjectItem(unit, "custom_id"))
                 ? cJSON_GetStringValue(cJSON_GetObjectItem(unit, "custom_id"))
                 : "");
    cJSON_Delete(req);
    *status = 200;
    return pp_print(pp_order_json(fp, o));
}

static char *pp_route(void *owner, const char *method, const char *url, const char *body,
                      unsigned *status)
{
    struct fake_paypal *fp = owner;
    struct pp_order *o;
    char id[64] = "";

    if (strcmp(method, "POST") == 0 && strcmp(url, "/v2/checkout/orders") == 0)
        return pp_create(fp, body, status);
    if (strcmp(method, "POST") == 0 &&
        strcmp(url, "/v1/notifications/verify-webhook-signature") == 0)
        return pp_verify(fp, body, status);
    if (strcmp(method, "GET") == 0 && sscanf(url, "/v2/checkout/orders/%63[^/]", id) == 1 &&
        (o = pp_find(fp, id))) {
        *status = 200;
        return pp_print(pp_order_json(fp, o));
    }
    if (strcmp(method, "POST") == 0 &&
        sscanf(url, "/v2/checkout/orders/%63[^/]/capture", id) == 1 && (o = pp_find(fp, id))) {
        if (strcmp(o->status, "COMPLETED") == 0) {
            *status = 422;
            return pp_error("UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED");
        }
        if (strcmp(o->status, "APPROVED") != 0) {
            *status = 422;
            return pp_error("UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED");
        }
        /* Declined or pending captures complete the order too, as PayPal answers them (201). */
        snprintf(o->status, sizeof o->status, "COMPLETED");
        snprintf(o->capture_id, sizeof o->capture_id, "3C%014d", ++fp->seq);
        snprintf(o->capture_status, sizeof o->capture_status, "%s",
                 o->next_status[0] ? o->next_status : "COMPLETED");
        snprintf(o->captured, sizeof o->captured, "%s",
                 o->next_value[0] ? o->next_value : o->value);
        *status = 201;
        return pp_print(pp_order_json(fp, o));
    }
    if (strcmp(method, "POST") == 0 &&
        sscanf(url, "/v2/payments/captures/%63[^/]/refund", id) == 1) {
        for (size_t i = 0; i < fp->n_orders; i++)
            if (strcmp(fp->orders[i].capture_id, id) == 0) {
                char *out = NULL;

                if (asprintf(&out, "{\"id\":\"1R%014d\",\"status\":\"COMPLETED\"}", ++fp->seq) < 0)
                    abort();
                *status = 201;
                return out;
            }
    }
    *status = 404;
    return pp_error("RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID");
}

/* Tokens by client credentials (HTTP Basic); every other request needs the current token. */
static char *pp_gate(void *owner, const char *method, const char *url, const char *auth,
                     const char *body, unsigned *status)
{
    struct fake_paypal *fp = owner;
    char bearer[96], basic[256], creds[128], id[32];
    char *answer = NULL;
    struct pp_order *o;

    if (strcmp(url, "/v1/oauth2/token") == 0) {
        snprintf(creds, sizeof creds, "%s:%s", FAKE_PAYPAL_CLIENT_ID, FAKE_PAYPAL_SECRET);
        memcpy(basic, "Basic ", 6);
        sodium_bin2base64(basic + 6, sizeof basic - 6, (const unsigned char *)creds, strlen(creds),
                          sodium_base64_VARIANT_ORIGINAL);
        if (!auth || strcmp(auth, basic) != 0 || strcmp(body, "grant_type=client_credentials")) {
            *status = 401;
            return fake_gateway_strdup("{\"error\":\"invalid_client\"}");
        }
        snprintf(fp->token, sizeof fp->token, "A21AAfakeToken%04d", ++fp->seq);
        *status = 200;
        if (asprintf(&answer,
                     "{\"scope\":\"https://uri.paypal.com/services/payments\","
                     "\"access_token\":\"%s\",\"token_type\":\"Bearer\","
                     "\"expires_in\":32400}",
                     fp->token) < 0)
            abort();
        return answer;
    }
    snprintf(bearer, sizeof bearer, "Bearer %s", fp->token);
    if (!fp->token[0] || !auth || strcmp(auth, bearer) != 0) {
        *status = 401;
        return pp_error("AUTHENTICATION_FAILURE", "INVALID_TOKEN");
    }
    /* A capture told to be slow: the core's SLOW fault, armed for this one request. */
    if (strcmp(method, "POST") == 0 &&
        sscanf(url, "/v2/checkout/orders/%31[^/]/capture", id) == 1 && (o = pp_find(fp, id)) &&
        o->capture_delay_ms > 0) {
        fp->core.fault = FAKE_GATEWAY_SLOW;
        fp->core.fault_times = 1;
        fp->core.delay_ms = o->capture_delay_ms;
        o->capture_delay_ms = 0;
    }
    return NULL;
}

static char *pp_fault_error(void)
{
    return pp_error("INTERNAL_SERVER_ERROR", "INTERNAL_SERVICE_ERROR");
}

/* PayPal-Request-Id: on any method, a key with the same path replays the first successful answer
 * (whatever the body); a failure is not kept. */
static const struct fake_gateway_wire pp_wire = {
    .idem_header = "PayPal-Request-Id",
    .idem_keep_below = 300,
    .gate = pp_gate,
    .route = pp_route,
    .fault_error = pp_fault_error,
};

_Static_assert(offsetof(struct fake_paypal, core) == 0, "the fake PayPal is a fake gateway");

struct fake_paypal *fake_paypal_start(void)
{
    struct fake_paypal *fp;

    if (sodium_init() < 0 || !(fp = fake_gateway_new(sizeof *fp, &pp_wire)))
        return NULL;
    /* Before anyone knows the URL, so before any request is signed. */
    randombytes_buf(fp->sign_key, sizeof fp->sign_key);
    return fp;
}

const char *fake_paypal_url(const struct fake_paypal *fp)
{
    return fp->core.url;
}

void fake_paypal_stop(struct fake_paypal **pfp)
{
    if (!pfp)
        return;
    fake_gateway_free(*pfp ? &(*pfp)->core : NULL);
    *pfp = NULL;
}

void fake_paypal_fail(struct fake_paypal *fp, int times)
{
    fake_gateway_fault(&fp->core, FAKE_GATEWAY_5XX, times, 0);
}

size_t fake_paypal_count(struct fake_paypal *fp, const char *method, const char *path_prefix)
{
    return fake_gateway_count(&fp->core, method, path_prefix);
}

_Static_assert(sizeof(struct fake_paypal_record) == sizeof(struct fake_gateway_record),
               "a PayPal record is a gateway record");

bool fake_paypal_request(struct fake_paypal *fp, const char *method, const char *path_prefix,
                         int index, struct fake_paypal_record *out)
{
    return fake_gateway_request(&fp->core, method, path_prefix, index, out);
}

void fake_paypal_record_clear(struct fake_paypal_record *r)
{
    free(r->body);
    r->body = NULL;
}

int fake_paypal_approve(struct fake_paypal *fp, const char *order_id)
{
    struct pp_order *o;
    int rc = -1;

    pthread_mutex_lock(&fp->core.lock);
    if ((o = pp_find(fp, order_id)) && strcmp(o->status, "PAYER_ACTION_REQUIRED") == 0) {
        snprintf(o->status, sizeof o->status, "APPROVED");
        rc = 0;
    }
    pthread_mutex_unlock(&fp->core.lock);
    return rc;
}

/* Runs fn on an order under the lock; 0, or -1 when there is no such order or fn refuses. */
static int pp_with_order(struct fake_paypal *fp, const char *order_id,
                         int (*fn)(struct pp_order *o, const char *a, const char *b, int n),
                         const char *a, const char *b, int n)
{
    struct pp_order *o;
    int rc = -1;

    pthread_mutex_lock(&fp->core.lock);
    if ((o = pp_find(fp, order_id)))
        rc = fn(o, a, b, n);
    pthread_mutex_unlock(&fp->core.lock);
    return rc;
}

static int pp_set_outcome(struct pp_order *o, const char *status, const char *value, int n)
{
    (void)n;
    snprintf(o->next_status, sizeof o->next_status, "%s", status ? status : "");
    snprintf(o->next_value, sizeof o->next_value, "%s", value ? value : "");
    return 0;
}

static int pp_set_settled(struct pp_order *o, const char *status, const char *unused, int n)
{
    (void)unused;
    (void)n;
    if (strcmp(o->capture_status, "PENDING") != 0)
        return -1;
    snprintf(o->capture_status, sizeof o->capture_status, "%s", status);
    return 0;
}

static int pp_set_delay(struct pp_order *o, const char *a, const char *b, int delay_ms)
{
    (void)a;
    (void)b;
    o->capture_delay_ms = delay_ms;
    return 0;
}

int fake_paypal_capture_outcome(struct fake_paypal *fp, const char *order_id, const char *status,
                                const char *value)
{
    return pp_with_order(fp, order_id, pp_set_outcome, status, value, 0);
}

int fake_paypal_capture_settle(struct fake_paypal *fp, const char *order_id, const char *status)
{
    return pp_with_order(fp, order_id, pp_set_settled, status, NULL, 0);
}

int fake_paypal_capture_timeout(struct fake_paypal *fp, const char *order_id, int delay_ms)
{
    return pp_with_order(fp, order_id, pp_set_delay, NULL, NULL, delay_ms);
}

void fake_paypal_expire_token(struct fake_paypal *fp)
{
    pthread_mutex_lock(&fp->core.lock);
    fp->token[0] = '\0';
    pthread_mutex_unlock(&fp->core.lock);
}

long fake_paypal_deliver(struct fake_paypal *fp, const char *url, const char *order_id,
                         const char *type, bool tamper)
{
    char id[32], tid[64], when[32], sig[65], cert[160], tid_line[96], when_line[64], sig_line[96];
    const char *headers[] = {"Content-Type: application/json",
                             "PAYPAL-AUTH-ALGO: SHA256withRSA",
                             cert,
                             tid_line,
                             when_line,
                             sig_line,
                             NULL};
    cJSON *event = cJSON_CreateObject();
    struct pp_order *o;
    char *body;
    long status;
    time_t now = time(NULL);

    pthread_mutex_lock(&fp->core.lock);
    if (!(o = pp_find(fp, order_id))) {
        pthread_mutex_unlock(&fp->core.lock);
        cJSON_Delete(event);
        return -1;
    }
    snprintf(tid, sizeof tid, "b2384410-%08d-11ef-a1f0-fake", ++fp->seq);
    snprintf(id, sizeof id, "WH-FAKE%08d", fp->seq);
    cJSON_AddStringToObject(event, "id", id);
    cJSON_AddStringToObject(event, "event_version", "1.0");
    cJSON_AddStringToObject(event, "event_type", type);
    cJSON_AddStringToObject(event, "resource_version", "2.0");
    cJSON_AddItemToObject(event, "resource",
                          strncmp(type, "PAYMENT.CAPTURE.", 16) == 0 ? pp_capture_json(o)
                                                                     : pp_order_json(fp, o));
    body = pp_print(event);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    pp_sign(fp, tid, when, FAKE_PAYPAL_WEBHOOK_ID, body, sig);
    pthread_mutex_unlock(&fp->core.lock);
    if (tamper) {
        /* One digit of the amount: still JSON, no longer what was signed. */
        char *digit = strstr(body, "\"value\":\"");

        if (digit) {
            digit += strlen("\"value\":\"");
            *digit = *digit == '9' ? '8' : (char)(*digit + 1);
        }
    }
    snprintf(cert, sizeof cert, "PAYPAL-CERT-URL: %s/v1/notifications/certs/CERT-fake",
             fp->core.url);
    snprintf(tid_line, sizeof tid_line, "PAYPAL-TRANSMISSION-ID: %s", tid);
    snprintf(when_line, sizeof when_line, "PAYPAL-TRANSMISSION-TIME: %s", when);
    snprintf(sig_line, sizeof sig_line, "PAYPAL-TRANSMISSION-SIG: %s", sig);
    status = fake_gateway_post(url, body, headers);
    free(body);
    return status;
}
