/* admin_fixture.h: small helpers the identity and operator tests share: JSON calls with an
 * Idempotency-Key, expected statuses and codes, signing in and making API keys. */
#ifndef SETT_TESTS_API_ADMIN_FIXTURE_H
#define SETT_TESTS_API_ADMIN_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "api_fixture.h"

#define ADMIN_EMAIL    "admin@example.com"
#define ADMIN_PASSWORD "admin"
#define DEMO_EMAIL     "demo@example.com"
#define DEMO_PASSWORD  "demo"

/* A call with a JSON body (may be NULL) and an Idempotency-Key (may be NULL); the answer must keep
 * the contract. */
static inline void adm_call(const struct api_server *s, const char *method, const char *path,
                            const char *token, const char *json, const char *idem,
                            struct api_resp *r)
{
    char key[300];
    const char *headers[3] = {NULL, NULL, NULL};
    size_t n = 0;

    if (json)
        headers[n++] = "Content-Type: application/json";
    if (idem) {
        snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
        headers[n++] = key;
    }
    assert_int_equal(api_call(s, method, path, token, headers, json, json ? strlen(json) : 0, r),
                     0);
}

/* The status, and the error code when one is given; prints the body when they differ. */
static inline void adm_expect(const struct api_resp *r, long status, const char *code)
{
    if (r->status != status || (code && (!api_error_code(r) || strcmp(api_error_code(r), code))))
        fprintf(stderr, "expected %ld %s, got %ld: %s\n", status, code ? code : "", r->status,
                r->body ? r->body : "");
    assert_int_equal(r->status, status);
    if (code)
        assert_string_equal(api_error_code(r), code);
}

/* A call that must answer `status` (and `code`); the response is dropped. */
static inline void adm_check(const struct api_server *s, const char *method, const char *path,
                             const char *token, const char *json, long status, const char *code)
{
    struct api_resp r;

    adm_call(s, method, path, token, json, NULL, &r);
    adm_expect(&r, status, code);
    api_resp_clear(&r);
}

/* The first message for a field of a 422. */
static inline const char *adm_field(const struct api_resp *r, const char *field)
{
    cJSON *msgs = cJSON_GetObjectItem(api_error_details(r), field);

    if (!cJSON_IsArray(msgs) || !cJSON_GetArrayItem(msgs, 0)) {
        fprintf(stderr, "no details for %s in %s\n", field, r->body ? r->body : "");
        return "";
    }
    return cJSON_GetArrayItem(msgs, 0)->valuestring;
}

static inline void adm_login(const struct api_server *s, const char *email, const char *password,
                             char token[128])
{
    char refresh[128];

    assert_int_equal(api_login(s, email, password, token, refresh), 0);
}

/* Creates an API key with these scopes (a JSON array) and copies its secret (>= 64 bytes). */
static inline int64_t adm_key(const struct api_server *s, const char *token, const char *scopes,
                              char *key)
{
    char body[256];
    struct api_resp r;
    int64_t id;

    snprintf(body, sizeof body, "{\"name\":\"test key\",\"scopes\":%s}", scopes);
    adm_call(s, "POST", "/auth/api-keys", token, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    snprintf(key, 64, "%s", api_str(api_data(&r), "key"));
    id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    return id;
}

/* A Money amount of an object member. */
static inline int64_t adm_money(const cJSON *obj, const char *name)
{
    return api_int(cJSON_GetObjectItem(obj, name), "amount");
}

/* Sets an account's credit balance to exactly `target` with an operator adjustment. */
static inline void adm_set_balance(const struct api_server *s, const char *admin, int64_t user_id,
                                   int64_t target)
{
    static int n;
    char path[64], body[160], key[32];
    struct api_resp r;
    int64_t now;

    snprintf(path, sizeof path, "/admin/users/%lld/credits", (long long)user_id);
    adm_call(s, "GET", path, admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    now = adm_money(api_data(&r), "balance");
    api_resp_clear(&r);
    if (now == target)
        return;
    snprintf(body, sizeof body,
             "{\"amount\":{\"amount\":%lld,\"currency\":\"USD\"},\"reason\":\"test setup\"}",
             (long long)(target - now));
    snprintf(key, sizeof key, "set-balance-%d", ++n);
    adm_call(s, "POST", path, admin, body, key, &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
}

/* What a checkout made. */
struct adm_purchase {
    int64_t order_id, invoice_id, service_id, payment_id, total;
    char payment_status[24];
    char pay_url[256]; /* the sandbox page while the payment requires action */
};

/* Puts one product (monthly, default options) in the customer's cart, with a coupon code unless
 * NULL, and checks out: `method` is "credits" (credits pay all), "stripe" with use_credits
 * (credits first, the rest waits on the sandbox page), or "stripe-only". */
static inline void adm_buy_with(const struct api_server *s, const char *token, int64_t product_id,
                                const char *coupon, const char *method, struct adm_purchase *out)
{
    static int n;
    char etag[32], body[256], key[64], if_match[64];
    const char *headers[4] = {"Content-Type: application/json", if_match, key, NULL};
    struct api_resp r;
    cJSON *d;

    memset(out, 0, sizeof *out);
    snprintf(body, sizeof body, "{\"product_id\":%lld,\"cycle\":\"monthly\"}",
             (long long)product_id);
    adm_call(s, "POST", "/billing/cart/items", token, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    out->total = adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "total");
    api_resp_clear(&r);
    if (coupon) {
        snprintf(body, sizeof body, "{\"code\":\"%s\"}", coupon);
        adm_call(s, "PUT", "/billing/cart/coupon", token, body, NULL, &r);
        adm_expect(&r, 200, NULL);
        assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
        out->total = adm_money(cJSON_GetObjectItem(api_data(&r), "totals"), "total");
        api_resp_clear(&r);
    }
    snprintf(if_match, sizeof if_match, "If-Match: %s", etag);
    snprintf(key, sizeof key, "Idempotency-Key: buy-%d-%lld", ++n, (long long)product_id);
    snprintf(body, sizeof body,
             "{\"payment_method\":\"%s\",\"use_credits\":%s,"
             "\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
             strcmp(method, "credits") == 0 ? "credits" : "stripe",
             strcmp(method, "stripe-only") == 0 ? "false" : "true", (long long)out->total);
    assert_int_equal(
        api_call(s, "POST", "/billing/checkout", token, headers, body, strlen(body), &r), 0);
    adm_expect(&r, 201, NULL);
    d = api_data(&r);
    out->order_id = api_int(cJSON_GetObjectItem(d, "order"), "id");
    out->invoice_id = api_int(cJSON_GetObjectItem(d, "invoice"), "id");
    out->service_id = api_int(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "services"), 0), "id");
    out->payment_id = api_int(cJSON_GetObjectItem(d, "payment"), "id");
    snprintf(out->payment_status, sizeof out->payment_status, "%s",
             api_str(cJSON_GetObjectItem(d, "payment"), "status"));
    if (cJSON_IsObject(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "payment"), "next_action")))
        snprintf(
            out->pay_url, sizeof out->pay_url, "%s",
            api_str(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "payment"), "next_action"), "url"));
    api_resp_clear(&r);
}

static inline void adm_buy(const struct api_server *s, const char *token, int64_t product_id,
                           const char *method, struct adm_purchase *out)
{
    adm_buy_with(s, token, product_id, NULL, method, out);
}

static inline size_t adm_discard(char *data, size_t size, size_t n, void *user)
{
    return size * n;
}

/* Presses Pay on the sandbox gateway's page (outside /api/v1, a form post). */
static inline void adm_sandbox_pay(const char *url)
{
    CURL *c = curl_easy_init();
    long status = 0;

    assert_non_null(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "action=pay");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, adm_discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    assert_int_equal(status, 200);
}

#endif
