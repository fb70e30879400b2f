/* shop.c: the stub billing shop of the commerce tests and its recording callbacks. */
#include "shop.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "harness.h"

static const char precondition_json[] = "{\"error\":{\"code\":\"precondition_failed\",\"message\":"
                                        "\"The cart changed since you last saw it.\","
                                        "\"details\":{}}}";
static const char price_changed_json[] =
    "{\"error\":{\"code\":\"price_changed\",\"message\":\"The cart total changed to $9.71.\","
    "\"details\":{\"total\":[\"971\"],\"currency\":[\"USD\"]}}}";
static const char rate_limited_json[] =
    "{\"error\":{\"code\":\"rate_limited\",\"message\":\"Too many attempts.\",\"details\":{}}}";
static const char invalid_token_json[] =
    "{\"error\":{\"code\":\"invalid_token\",\"message\":\"Expired.\",\"details\":{}}}";
static const char session_json[] =
    "{\"data\":{\"access_token\":\"new-access\",\"refresh_token\":\"new-refresh\","
    "\"token_type\":\"Bearer\",\"expires_in\":900}}";
static const char services_json[] =
    "{\"data\":[],\"meta\":{\"current_page\":2,\"per_page\":5,\"total\":0,\"total_pages\":1}}";

#define M(x) "{\"amount\":" #x ",\"currency\":\"USD\"}"

static void cart_reply(struct shop *w, int status, struct stub_response *resp)
{
    snprintf(w->cart, sizeof(w->cart),
             "{\"data\":{\"version\":%d,\"currency\":\"USD\",\"items\":[{\"id\":12,"
             "\"product\":{\"id\":3,\"slug\":\"mc-iron\",\"name\":\"Iron\"},\"cycle\":\"monthly\","
             "\"quantity\":1,\"unit_price\":" M(899) ",\"line_total\":" M(
                 899) "}],"
                      "\"coupon\":null,\"totals\":{\"subtotal\":" M(899) ",\"total\":" M(
                          971) ","
                               "\"due_now\":" M(971) "}}}",
             w->version);
    snprintf(w->etag_header, sizeof(w->etag_header), "ETag: \"cart-%d\"\r\n", w->version);
    resp->status = status;
    resp->body = w->cart;
    resp->headers = w->etag_header;
}

/* If-Match, when sent, must name the current version; else 412 with the current ETag. */
static bool stale(struct shop *w, const struct stub_request *req, struct stub_response *resp)
{
    char current[32];

    snprintf(current, sizeof(current), "\"cart-%d\"", w->version);
    if (!req->if_match[0] || strcmp(req->if_match, current) == 0)
        return false;
    snprintf(w->etag_header, sizeof(w->etag_header), "ETag: %s\r\n", current);
    resp->status = 412;
    resp->body = precondition_json;
    resp->headers = w->etag_header;
    return true;
}

static void checkout(struct shop *w, const struct stub_request *req, struct stub_response *resp)
{
    int n = w->checkout_calls++;

    if (n < MAX_SEEN) {
        snprintf(w->keys[n], sizeof(w->keys[n]), "%s", req->idempotency_key);
        snprintf(w->if_matches[n], sizeof(w->if_matches[n]), "%s", req->if_match);
        snprintf(w->bodies[n], sizeof(w->bodies[n]), "%s", req->body);
    }
    if (w->needs_new_token && strcmp(req->authorization, "Bearer new-access") != 0) {
        resp->status = 401;
        resp->body = invalid_token_json;
    } else if (n == 0 && w->hold_first_checkout) {
        resp->no_reply = true;
    } else if (stale(w, req, resp)) {
        /* 412 with the current ETag */
    } else if (!strstr(req->body, "\"amount\":971")) {
        resp->status = 409;
        resp->body = price_changed_json;
    } else {
        resp->status = 201;
        resp->body = w->checkout_json;
        if (w->done_key[0] && strcmp(w->done_key, req->idempotency_key) == 0)
            resp->headers = "Idempotent-Replayed: true\r\n";
        snprintf(w->done_key, sizeof(w->done_key), "%s", req->idempotency_key);
    }
}

static void route(void *ud, const struct stub_request *req, struct stub_response *resp)
{
    struct shop *w = ud;
    const char *p = req->path;

    if (strcmp(p, "/api/v1/billing/cart") == 0) {
        cart_reply(w, 200, resp);
    } else if (strcmp(p, "/api/v1/billing/cart/items") == 0) {
        if (!stale(w, req, resp) && ++w->version)
            cart_reply(w, 201, resp);
    } else if (strcmp(p, "/api/v1/billing/cart/items/12") == 0) {
        if (!stale(w, req, resp) && ++w->version)
            cart_reply(w, 200, resp);
    } else if (strcmp(p, "/api/v1/billing/cart/coupon") == 0) {
        resp->status = 429;
        resp->body = rate_limited_json;
        resp->headers = "Retry-After: 30\r\n";
    } else if (strcmp(p, "/api/v1/billing/checkout") == 0) {
        checkout(w, req, resp);
    } else if (strcmp(p, "/api/v1/auth/refresh") == 0) {
        resp->body = session_json;
    } else if (strcmp(p, "/api/v1/auth/logout") == 0) {
        resp->status = strcmp(req->authorization, "Bearer a1") == 0 ? 204 : 401;
        resp->body = resp->status == 204 ? NULL : invalid_token_json;
    } else if (strcmp(p, "/api/v1/billing/services/31/renewals") == 0) {
        resp->status = 201;
        resp->body = w->renewal_json;
    } else if (strncmp(p, "/api/v1/billing/services?", 25) == 0) {
        resp->body = services_json;
    } else {
        resp->status = 404;
        resp->body = "{\"error\":{\"code\":\"not_found\",\"message\":\"No.\",\"details\":{}}}";
    }
}

int shop_setup(void **state)
{
    struct shop_ctx *x = calloc(1, sizeof(*x));
    size_t len;

    x->w.version = 1;
    x->w.checkout_json = fixture_load("checkout.json", &len);
    x->w.renewal_json = fixture_load("invoice_renewal.json", &len);
    x->srv = stub_start(route, &x->w);
    x->c = harness_client(stub_url(x->srv), 0);
    *state = x;
    return 0;
}

int shop_teardown(void **state)
{
    struct shop_ctx *x = *state;

    client_free(&x->c);
    stub_stop(&x->srv);
    free(x->w.checkout_json);
    free(x->w.renewal_json);
    free(x);
    return 0;
}

static void record(struct got *g, void *value, const struct client_error *err)
{
    g->calls++;
    g->err = *err;
    g->value = value;
    if ((err->status == CLIENT_OK) != (value != NULL))
        fail_msg("value %p with status %s", value, client_status_str(err->status));
}

void on_cart(void *ud, struct cart *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_checkout(void *ud, struct checkout_result *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_invoice(void *ud, struct invoice *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_services(void *ud, struct service_page *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_done(void *ud, const struct client_error *err)
{
    struct got *g = ud;

    g->calls++;
    g->err = *err;
}

void shop_run(struct client *c)
{
    assert_int_equal(client_run_until_idle(c, 10000), 0);
}
