/* commerce_fixture.h: what the cart, coupon, checkout and credits HTTP tests share: cart calls
 * with If-Match, checkout with its headers, the sandbox page at the server root, and money. */
#ifndef SETT_TESTS_API_COMMERCE_FIXTURE_H
#define SETT_TESTS_API_COMMERCE_FIXTURE_H

#include "admin_fixture.h"

#include <stdlib.h>

/* The cart's version from a cart answer's ETag ("7" → 7), or -1. */
static inline int64_t cm_etag(const struct api_resp *r)
{
    char etag[32];

    if (api_header(r, "ETag", etag, sizeof etag) != 0 || etag[0] != '"')
        return -1;
    return strtoll(etag + 1, NULL, 10);
}

/* A call with a JSON body (may be NULL), If-Match on a version (-1: none) and an
 * Idempotency-Key (may be NULL); the answer must keep the contract. */
static inline void cm_call(const struct api_server *s, const char *method, const char *path,
                           const char *token, const char *json, int64_t if_match, const char *idem,
                           struct api_resp *r)
{
    char match[48], key[300];
    const char *headers[4] = {NULL, NULL, NULL, NULL};
    size_t n = 0;

    if (json)
        headers[n++] = "Content-Type: application/json";
    if (if_match >= 0) {
        snprintf(match, sizeof match, "If-Match: \"%lld\"", (long long)if_match);
        headers[n++] = match;
    }
    if (idem) {
        snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
        headers[n++] = key;
    }
    assert_int_equal(api_call(s, method, path, token, headers, json, json ? strlen(json) : 0, r),
                     0);
}

/* Adds a line (must answer 201); returns the cart's new version. */
static inline int64_t cm_add(const struct api_server *s, const char *token, const char *line)
{
    struct api_resp r;
    int64_t v;

    cm_call(s, "POST", "/billing/cart/items", token, line, -1, NULL, &r);
    adm_expect(&r, 201, NULL);
    v = cm_etag(&r);
    api_resp_clear(&r);
    return v;
}

/* The cart now: its version, and its totals.total. */
static inline int64_t cm_cart(const struct api_server *s, const char *token, int64_t *total)
{
    struct api_resp r;
    int64_t v;

    cm_call(s, "GET", "/billing/cart", token, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    v = cm_etag(&r);
    assert_int_equal(v, api_int(api_data(&r), "version"));
    if (total)
        *total = adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "total");
    api_resp_clear(&r);
    return v;
}

/* Applies a coupon code to the cart (answer in r). */
static inline void cm_coupon(const struct api_server *s, const char *token, const char *code,
                             struct api_resp *r)
{
    char body[128];

    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    cm_call(s, "PUT", "/billing/cart/coupon", token, body, -1, NULL, r);
}

/* Checks the cart out as it is now (its version and total) with this method. */
static inline void cm_checkout(const struct api_server *s, const char *token, const char *method,
                               bool use_credits, const char *idem, struct api_resp *r)
{
    char body[256];
    int64_t total = 0, v = cm_cart(s, token, &total);

    snprintf(body, sizeof body,
             "{\"payment_method\":\"%s\",\"use_credits\":%s,\"expected_total\":{\"amount\":%lld,"
             "\"currency\":\"USD\"}}",
             method, use_credits ? "true" : "false", (long long)total);
    cm_call(s, "POST", "/billing/checkout", token, body, v, idem, r);
}

/* The account's credit balance. */
static inline int64_t cm_balance(const struct api_server *s, const char *token)
{
    struct api_resp r;
    int64_t b;

    cm_call(s, "GET", "/billing/credits", token, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    b = adm_money(api_data(&r), "balance");
    api_resp_clear(&r);
    return b;
}

/* The same server addressed at its root, for the sandbox page and webhooks. */
static inline struct api_server cm_root(const struct api_server *s)
{
    struct api_server root = *s;

    snprintf(root.base, sizeof root.base, "http://127.0.0.1:%u", (unsigned)s->port);
    return root;
}

/* The path of a payment's hosted page, from next_action.url ("/sandbox/pay/ps_…"). */
static inline const char *cm_page(const cJSON *payment)
{
    const char *url = api_str(cJSON_GetObjectItem(payment, "next_action"), "url");
    const char *path = url ? strstr(url, "/sandbox/pay/") : NULL;

    assert_non_null(path);
    return path;
}

/* Presses Pay or Decline on the page (a form post, as a browser sends it). */
static inline void cm_press(const struct api_server *s, const char *page, const char *action,
                            struct api_resp *r)
{
    struct api_server root = cm_root(s);
    char body[32];
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};

    snprintf(body, sizeof body, "action=%s", action);
    assert_int_equal(api_call(&root, "POST", page, NULL, headers, body, strlen(body), r), 0);
}

/* A coupon made by the demo operator (a CouponWrite body); returns its id. */
static inline int64_t cm_make_coupon(const struct api_server *s, const char *body)
{
    char admin[128];
    struct api_resp r;
    int64_t id;

    adm_login(s, ADMIN_EMAIL, ADMIN_PASSWORD, admin);
    adm_call(s, "POST", "/admin/coupons", admin, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    return id;
}

#endif
