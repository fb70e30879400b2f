/* harness.c: the stub server's routes and the callbacks shared by the client's network tests. */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define HUGE_BODY ((size_t)9 << 20)

static const char status_json[] =
    "{\"data\":{\"enabled\":true,\"licensed\":true,\"credits_enabled\":false,"
    "\"currency\":{\"code\":\"EUR\",\"symbol\":\"€\",\"exponent\":2},"
    "\"gateways\":[\"stripe\"]}}";
static const char categories_json[] = "{\"data\":[{\"id\":1,\"slug\":\"minecraft\",\"name\":"
                                      "\"Minecraft\"}]}";
static const char product_json[] =
    "{\"data\":{\"id\":3,\"slug\":\"mc-iron\",\"name\":\"Iron\",\"pricing_model\":\"fixed\","
    "\"cycles\":[{\"cycle\":\"monthly\",\"price\":{\"amount\":899,\"currency\":\"USD\"}}]}}";
static const char page_json[] = "{\"data\":[],\"meta\":{\"current_page\":2,\"per_page\":5,"
                                "\"total\":0,\"total_pages\":0}}";
static const char new_session_json[] =
    "{\"data\":{\"access_token\":\"new-access\",\"refresh_token\":\"new-refresh\","
    "\"token_type\":\"Bearer\",\"expires_in\":900,\"user\":{\"id\":1,\"email\":"
    "\"demo@example.com\",\"name\":\"Demo\"}}}";
static const char invalid_token_json[] =
    "{\"error\":{\"code\":\"invalid_token\",\"message\":\"The token is invalid or expired.\","
    "\"details\":{}}}";
static const char bad_login_json[] = "{\"error\":{\"code\":\"invalid_credentials\",\"message\":"
                                     "\"Wrong email or password.\",\"details\":{}}}";
static const char not_found_json[] =
    "{\"error\":{\"code\":\"not_found\",\"message\":\"No such thing.\",\"details\":{}}}";

static bool path_is(const struct stub_request *req, const char *path)
{
    return strcmp(req->path, path) == 0;
}

static void route(void *ud, const struct stub_request *req, struct stub_response *resp)
{
    struct world *w = ud;

    if (path_is(req, "/api/v1/billing/status")) {
        resp->body = status_json;
    } else if (path_is(req, "/api/v1/billing/categories")) {
        resp->body = categories_json;
    } else if (strncmp(req->path, "/api/v1/billing/products?", 25) == 0) {
        resp->body = page_json;
    } else if (path_is(req, "/api/v1/billing/products/mc-iron")) {
        resp->body = product_json;
    } else if (path_is(req, "/api/v1/billing/products/slow")) {
        resp->no_reply = true;
    } else if (path_is(req, "/api/v1/billing/products/late")) {
        poll(NULL, 0, LATE_MS); /* the stub answers one request at a time */
        resp->body = product_json;
    } else if (path_is(req, "/api/v1/billing/products/secret")) {
        if (strcmp(req->authorization, "Bearer new-access") == 0) {
            resp->body = product_json;
        } else {
            resp->status = 401;
            resp->body = invalid_token_json;
        }
    } else if (path_is(req, "/api/v1/auth/refresh")) {
        w->refresh_calls++;
        if (w->refresh_ok && strstr(req->body, "\"old-refresh\"")) {
            resp->body = new_session_json;
        } else {
            resp->status = 401;
            resp->body = invalid_token_json;
        }
    } else if (path_is(req, "/api/v1/auth/login")) {
        if (strstr(req->body, "\"password\":\"demo\"")) {
            resp->body = new_session_json;
        } else {
            resp->status = 401;
            resp->body = bad_login_json;
        }
    } else if (path_is(req, "/api/v1/billing/products/boom")) {
        resp->status = 500;
        resp->content_type = "text/html";
        resp->body = "<h1>Internal Server Error</h1>";
    } else if (path_is(req, "/api/v1/billing/products/garbage")) {
        resp->body = "{\"data\": {not json";
    } else if (path_is(req, "/api/v1/billing/products/huge")) {
        resp->body = w->huge;
        resp->body_len = HUGE_BODY;
    } else {
        resp->status = 404;
        resp->body = not_found_json;
    }
}

struct client *harness_client(const char *url, long total_timeout_ms)
{
    struct client_config cfg = {.base_url = url, .total_timeout_ms = total_timeout_ms};
    struct client_error err;
    struct client *c = client_new(&cfg, &err);

    if (!c)
        fail_msg("client_new: %s", err.message);
    return c;
}

int harness_setup(void **state)
{
    struct ctx *x = calloc(1, sizeof(*x));

    x->w.refresh_ok = true;
    x->w.huge = malloc(HUGE_BODY);
    memset(x->w.huge, 'a', HUGE_BODY);
    x->srv = stub_start(route, &x->w);
    x->c = harness_client(stub_url(x->srv), 0);
    *state = x;
    return 0;
}

int harness_teardown(void **state)
{
    struct ctx *x = *state;

    client_free(&x->c);
    stub_stop(&x->srv);
    free(x->w.huge);
    free(x);
    return 0;
}

static void record(struct outcome *o, void *value, const struct client_error *err)
{
    o->calls++;
    o->err = *err;
    o->value = value;
    /* the contract: a value exactly when the status is OK */
    if ((err->status == CLIENT_OK) != (value != NULL))
        fail_msg("value %p with status %s", value, client_status_str(err->status));
}

void on_status(void *ud, struct billing_status *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_categories(void *ud, struct category_list *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_products(void *ud, struct product_page *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_product(void *ud, struct product *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_session(void *ud, struct auth_session *v, const struct client_error *err)
{
    record(ud, v, err);
}

void on_tokens(void *ud, const char *access_token, const char *refresh_token)
{
    struct tokens_seen *t = ud;

    t->calls++;
    t->cleared = !access_token && !refresh_token;
    snprintf(t->access, sizeof(t->access), "%s", access_token ? access_token : "");
    snprintf(t->refresh, sizeof(t->refresh), "%s", refresh_token ? refresh_token : "");
}

int64_t harness_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
