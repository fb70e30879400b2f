/* endpoints_cart.c: quotes, the cart, checkout and payments as typed requests. */
#include "client/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DEFINE_FINISH(finish_quote, struct quote, decode_quote, quote_free, client_quote_cb)
DEFINE_FINISH(finish_payment, struct payment, decode_payment, payment_free, client_payment_cb)

/* The cart's version is the response's ETag when it sent one (the body's version otherwise). */
static void finish_cart(struct call *r, const char *body, size_t len, struct client_error *err)
{
    struct cart *value = NULL;
    long http = err->http_status;

    if (body && decode_cart(body, len, &value, err) < 0)
        value = NULL;
    err->http_status = http;
    if (value && r->resp_headers.etag[0])
        memcpy(value->etag, r->resp_headers.etag, sizeof(value->etag));
    if (r->cb)
        ((client_cart_cb)r->cb)(r->ud, value, err);
    else
        cart_free(&value);
}

static void finish_checkout(struct call *r, const char *body, size_t len, struct client_error *err)
{
    struct checkout_result *value = NULL;
    long http = err->http_status;

    if (body && decode_checkout(body, len, &value, err) < 0)
        value = NULL;
    err->http_status = http;
    if (value)
        value->replayed = r->resp_headers.replayed;
    if (r->cb)
        ((client_checkout_cb)r->cb)(r->ud, value, err);
    else
        checkout_result_free(&value);
}

/* Frees a body being built that cannot be completed. */
static cJSON *json_drop(cJSON *obj)
{
    cJSON_Delete(obj);
    return NULL;
}

/* {"memory_mb": 6144, ...}; NULL for an empty name or a value out of range. */
static cJSON *options_json(const struct option_choice *o, size_t n)
{
    cJSON *obj = cJSON_CreateObject();
    size_t i;

    for (i = 0; obj && i < n; i++) {
        if (!o[i].resource || !o[i].resource[0] || o[i].value < 0 ||
            o[i].value > ENDPOINT_INT_MAX ||
            !cJSON_AddNumberToObject(obj, o[i].resource, (double)o[i].value)) {
            cJSON_Delete(obj);
            return NULL;
        }
    }
    return obj;
}

static cJSON *line_json(const struct line_request *l)
{
    cJSON *obj, *opts;

    if (!l || l->product_id <= 0 || l->product_id > ENDPOINT_INT_MAX ||
        (unsigned)l->cycle >= CYCLE_COUNT || l->quantity < 0 || (l->n_options && !l->options))
        return NULL;
    obj = cJSON_CreateObject();
    opts = options_json(l->options, l->n_options);
    if (!obj || !opts || !cJSON_AddNumberToObject(obj, "product_id", (double)l->product_id) ||
        !cJSON_AddStringToObject(obj, "cycle", billing_cycle_str(l->cycle)) ||
        !cJSON_AddItemToObject(obj, "options", opts)) {
        cJSON_Delete(opts);
        cJSON_Delete(obj);
        return NULL;
    }
    if (!cJSON_AddNumberToObject(obj, "quantity", l->quantity ? l->quantity : 1)) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

/* An If-Match to send: NULL for none, `bad` set when it could not go in a header. */
static const char *if_match_of(const char *if_match, bool *bad)
{
    *bad = false;
    if (!if_match || !if_match[0])
        return NULL;
    *bad = !header_value_ok(if_match);
    return if_match;
}

static uint64_t start_cart(struct client *c, const char *method, const char *path, char *body,
                           const char *if_match, client_cart_cb cb, void *ud)
{
    bool bad;
    const char *im = if_match_of(if_match, &bad);

    if (bad || !path) {
        free(body);
        return 0;
    }
    return endpoint_start_with(c, method, path, body, im, NULL, finish_cart, (void (*)(void))cb,
                               ud);
}

uint64_t client_quote(struct client *c, const struct quote_request *q, client_quote_cb cb, void *ud)
{
    cJSON *obj, *items;
    size_t i;

    if (!q || !q->n_items || !q->items)
        return 0;
    obj = cJSON_CreateObject();
    items = cJSON_AddArrayToObject(obj, "items");
    for (i = 0; items && i < q->n_items; i++) {
        cJSON *line = line_json(&q->items[i]);

        if (!line || !cJSON_AddItemToArray(items, line)) {
            cJSON_Delete(line);
            items = NULL;
        }
    }
    if (!items || (q->coupon && q->coupon[0] && !cJSON_AddStringToObject(obj, "coupon", q->coupon)))
        obj = json_drop(obj);
    if (!obj)
        return 0;
    return endpoint_start(c, "POST", "/billing/quotes", endpoint_json(obj), finish_quote,
                          (void (*)(void))cb, ud);
}

uint64_t client_get_cart(struct client *c, client_cart_cb cb, void *ud)
{
    return start_cart(c, "GET", "/billing/cart", NULL, NULL, cb, ud);
}

uint64_t client_cart_add(struct client *c, const struct line_request *line, const char *if_match,
                         client_cart_cb cb, void *ud)
{
    cJSON *obj = line_json(line);

    if (!obj)
        return 0;
    return start_cart(c, "POST", "/billing/cart/items", endpoint_json(obj), if_match, cb, ud);
}

uint64_t client_cart_update(struct client *c, int64_t item_id, const struct cart_item_patch *p,
                            const char *if_match, client_cart_cb cb, void *ud)
{
    char path[64];
    cJSON *obj, *opts = NULL;

    if (item_id <= 0 || !p || (!p->set_cycle && !p->set_options && !p->quantity) ||
        (p->set_cycle && (unsigned)p->cycle >= CYCLE_COUNT) || p->quantity < 0 ||
        (p->set_options && p->n_options && !p->options))
        return 0;
    obj = cJSON_CreateObject();
    if (p->set_options && (!(opts = options_json(p->options, p->n_options)) ||
                           !cJSON_AddItemToObject(obj, "options", opts))) {
        cJSON_Delete(opts);
        obj = json_drop(obj);
    }
    if (obj &&
        ((p->set_cycle && !cJSON_AddStringToObject(obj, "cycle", billing_cycle_str(p->cycle))) ||
         (p->quantity && !cJSON_AddNumberToObject(obj, "quantity", p->quantity))))
        obj = json_drop(obj);
    if (!obj)
        return 0;
    snprintf(path, sizeof(path), "/billing/cart/items/%" PRId64, item_id);
    return start_cart(c, "PATCH", path, endpoint_json(obj), if_match, cb, ud);
}

uint64_t client_cart_remove(struct client *c, int64_t item_id, const char *if_match,
                            client_cart_cb cb, void *ud)
{
    char path[64];

    if (item_id <= 0)
        return 0;
    snprintf(path, sizeof(path), "/billing/cart/items/%" PRId64, item_id);
    return start_cart(c, "DELETE", path, NULL, if_match, cb, ud);
}

uint64_t client_cart_apply_coupon(struct client *c, const char *code, const char *if_match,
                                  client_cart_cb cb, void *ud)
{
    cJSON *obj;

    if (!code || !code[0])
        return 0;
    obj = cJSON_CreateObject();
    if (obj && !cJSON_AddStringToObject(obj, "code", code))
        obj = json_drop(obj);
    if (!obj)
        return 0;
    return start_cart(c, "PUT", "/billing/cart/coupon", endpoint_json(obj), if_match, cb, ud);
}

uint64_t client_cart_remove_coupon(struct client *c, const char *if_match, client_cart_cb cb,
                                   void *ud)
{
    return start_cart(c, "DELETE", "/billing/cart/coupon", NULL, if_match, cb, ud);
}

uint64_t client_checkout(struct client *c, const struct checkout_request *r, client_checkout_cb cb,
                         void *ud)
{
    cJSON *obj, *total;

    if (!r || !r->payment_method || !r->payment_method[0] || !header_value_ok(r->cart_etag) ||
        !header_value_ok(r->idempotency_key))
        return 0;
    obj = cJSON_CreateObject();
    total = endpoint_money_json(&r->expected_total);
    if (!obj || !total || !cJSON_AddStringToObject(obj, "payment_method", r->payment_method) ||
        !cJSON_AddBoolToObject(obj, "use_credits", r->use_credits) ||
        !cJSON_AddItemToObject(obj, "expected_total", total)) {
        cJSON_Delete(total);
        cJSON_Delete(obj);
        return 0;
    }
    return endpoint_start_with(c, "POST", "/billing/checkout", endpoint_json(obj), r->cart_etag,
                               r->idempotency_key, finish_checkout, (void (*)(void))cb, ud);
}

uint64_t client_get_payment(struct client *c, int64_t payment_id, client_payment_cb cb, void *ud)
{
    char path[64];

    if (payment_id <= 0)
        return 0;
    snprintf(path, sizeof(path), "/billing/payments/%" PRId64, payment_id);
    return endpoint_start(c, "GET", path, NULL, finish_payment, (void (*)(void))cb, ud);
}

uint64_t client_pay_invoice(struct client *c, int64_t invoice_id, const char *payment_method,
                            bool use_credits, const char *idempotency_key, client_payment_cb cb,
                            void *ud)
{
    char path[64];
    cJSON *obj;

    if (invoice_id <= 0 || !payment_method || !payment_method[0] ||
        !header_value_ok(idempotency_key))
        return 0;
    obj = cJSON_CreateObject();
    if (obj && (!cJSON_AddStringToObject(obj, "payment_method", payment_method) ||
                !cJSON_AddBoolToObject(obj, "use_credits", use_credits)))
        obj = json_drop(obj);
    if (!obj)
        return 0;
    snprintf(path, sizeof(path), "/billing/invoices/%" PRId64 "/payments", invoice_id);
    return endpoint_start_with(c, "POST", path, endpoint_json(obj), NULL, idempotency_key,
                               finish_payment, (void (*)(void))cb, ud);
}
