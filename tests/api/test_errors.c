/* test_errors.c: the error envelope for bad routes, methods and bodies, and hostile requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

#define BODY_LIMIT (64 * 1024)

static struct api_server server;
static const char *const json_type[] = {"Content-Type: application/json", NULL};

/* The response is a proper error envelope with this status and code. */
static void expect_error(const struct api_resp *r, long status, const char *code)
{
    cJSON *error = cJSON_GetObjectItem(r->json, "error");

    assert_int_equal(r->status, status);
    assert_string_equal(r->content_type, "application/json; charset=utf-8");
    assert_non_null(error);
    assert_string_equal(api_error_code(r), code);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(error, "message")));
    assert_true(cJSON_IsObject(api_error_details(r)));
}

static void call(const char *method, const char *path, const char *const *headers, const char *body,
                 size_t len, struct api_resp *r)
{
    assert_int_equal(api_call(&server, method, path, NULL, headers, body, len, r), 0);
}

static void test_unknown_route(void **state)
{
    static const char *const paths[] = {
        "/billing/nope",      "/billing/products/mc-iron/extra", "/billing", "/", "/auth",
        "/billing//products", "/billing/cart/items/1/2",
    };
    struct api_resp r;

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        call("GET", paths[i], NULL, NULL, 0, &r);
        expect_error(&r, 404, "not_found");
        api_resp_clear(&r);
    }
    /* Outside the API base path too. */
    {
        struct api_server root = server;
        snprintf(root.base, sizeof root.base, "http://127.0.0.1:%u", (unsigned)server.port);
        assert_int_equal(api_call(&root, "GET", "/index.html", NULL, NULL, NULL, 0, &r), 0);
        expect_error(&r, 404, "not_found");
        api_resp_clear(&r);
    }
}

static void test_trailing_slash(void **state)
{
    struct api_resp r;

    call("GET", "/billing/status/", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
}

static void test_wrong_method(void **state)
{
    struct api_resp r;

    call("DELETE", "/billing/status", NULL, NULL, 0, &r);
    expect_error(&r, 405, "method_not_allowed");
    assert_string_equal(r.allow, "GET");
    api_resp_clear(&r);

    call("GET", "/auth/login", NULL, NULL, 0, &r);
    expect_error(&r, 405, "method_not_allowed");
    assert_string_equal(r.allow, "POST");
    api_resp_clear(&r);

    call("PUT", "/billing/products/mc-iron", NULL, NULL, 0, &r);
    expect_error(&r, 405, "method_not_allowed");
    api_resp_clear(&r);

    /* A path with several methods lists them all. */
    call("GET", "/billing/cart/items/1", NULL, NULL, 0, &r);
    expect_error(&r, 405, "method_not_allowed");
    assert_string_equal(r.allow, "PATCH, DELETE");
    api_resp_clear(&r);

    call("BREW", "/billing/status", NULL, NULL, 0, &r);
    assert_true(r.status == 405 || r.status == 400 || r.status == 501);
    api_resp_clear(&r);
}

static void test_head_is_get(void **state)
{
    struct api_resp r;

    call("HEAD", "/billing/status", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, 0);
    api_resp_clear(&r);
}

static void test_invalid_json(void **state)
{
    static const char *const bodies[] = {
        "not json",
        "{\"email\":",
        "[\"email\",\"password\"]",
        "\"a string\"",
        "42",
        "null",
        "{\"email\":\"a\"} {\"x\":1}",
        "{\"email\":\"a\",}",
        "{'email':'a'}",
    };
    struct api_resp r;

    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        call("POST", "/auth/login", json_type, bodies[i], strlen(bodies[i]), &r);
        expect_error(&r, 400, "invalid_json");
        api_resp_clear(&r);
    }
    /* An empty body and a body with a NUL byte in it. */
    call("POST", "/auth/login", json_type, "", 0, &r);
    expect_error(&r, 400, "invalid_json");
    api_resp_clear(&r);
    call("POST", "/auth/login", json_type, "{\"email\":\"a\0b\"}", 15, &r);
    expect_error(&r, 400, "invalid_json");
    api_resp_clear(&r);
    /* JSON text is UTF-8: a stray byte is refused before anything can store it. */
    call("POST", "/auth/login", json_type, "{\"email\":\"a\x9b\",\"password\":\"x\"}", 29, &r);
    expect_error(&r, 400, "invalid_json");
    api_resp_clear(&r);
}

static void test_unsupported_media_type(void **state)
{
    static const char *const form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    static const char *const text[] = {"Content-Type: text/plain", NULL};
    static const char *const jsonish[] = {"Content-Type: application/jsonp", NULL};
    static const char *const with_charset[] = {"Content-Type: application/json; charset=utf-8",
                                               NULL};
    const char *body = "{\"email\":\"demo@example.com\",\"password\":\"wrong\"}";
    struct api_resp r;

    call("POST", "/auth/login", form, body, strlen(body), &r);
    expect_error(&r, 415, "unsupported_media_type");
    api_resp_clear(&r);
    call("POST", "/auth/login", text, body, strlen(body), &r);
    expect_error(&r, 415, "unsupported_media_type");
    api_resp_clear(&r);
    call("POST", "/auth/login", jsonish, body, strlen(body), &r);
    expect_error(&r, 415, "unsupported_media_type");
    api_resp_clear(&r);
    call("POST", "/auth/login", with_charset, body, strlen(body), &r);
    expect_error(&r, 401, "invalid_credentials");
    api_resp_clear(&r);
}

/* A JSON object of exactly `size` bytes: {"pad":"xxxx…"}. */
static char *padded_body(size_t size)
{
    char *b = malloc(size + 1);

    memset(b, 'x', size);
    memcpy(b, "{\"pad\":\"", 8);
    memcpy(b + size - 2, "\"}", 2);
    b[size] = '\0';
    return b;
}

static void test_payload_too_large(void **state)
{
    static const char *const no_expect[] = {"Content-Type: application/json", "Expect:", NULL};
    static const char *const expect[] = {"Content-Type: application/json", "Expect: 100-continue",
                                         NULL};
    char *big = padded_body(BODY_LIMIT + 1);
    char *limit = padded_body(BODY_LIMIT);
    struct api_resp r;

    /* The client sends it all: the server reads past it and refuses. */
    call("POST", "/auth/login", no_expect, big, BODY_LIMIT + 1, &r);
    expect_error(&r, 413, "payload_too_large");
    api_resp_clear(&r);
    /* The client asks first: refused before the body is sent. */
    call("POST", "/auth/login", expect, big, BODY_LIMIT + 1, &r);
    expect_error(&r, 413, "payload_too_large");
    api_resp_clear(&r);
    /* Exactly at the limit is read and judged on its content. */
    call("POST", "/auth/login", no_expect, limit, BODY_LIMIT, &r);
    expect_error(&r, 422, "validation_failed");
    api_resp_clear(&r);
    free(big);
    free(limit);
}

/* Odd requests get an answer, never a crash and never a 500. */
static void test_hostile_requests(void **state)
{
    static const char *const paths[] = {
        "/billing/products/%00",
        "/billing/products/%ff%fe",
        "/billing/products/%1b%5b2J",
        "/billing/products/..%2f..%2fetc%2fpasswd",
        "/billing/products/' OR 1=1 --",
        "/billing/products?q=%00",
        "/billing/products?q=%e2%28%a1",
        "/billing/products?category=%1b]0;x%07",
        "/billing/products?page=1&page=2&per_page=3&per_page=200",
        "/billing/products?q",
        "/billing/products?category",
        "/billing/products/9223372036854775807",
        "/billing/products/99999999999999999999999999",
        "/billing/products/-1",
    };
    struct api_resp r;
    char *long_query = malloc(6000);

    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char path[256];
        /* curl refuses raw spaces in URLs; encode them. */
        size_t k = 0;
        for (const char *p = paths[i]; *p && k < sizeof path - 4; p++) {
            if (*p == ' ') {
                memcpy(path + k, "%20", 3);
                k += 3;
            } else {
                path[k++] = *p;
            }
        }
        path[k] = '\0';
        call("GET", path, NULL, NULL, 0, &r);
        assert_true(r.status == 200 || r.status == 404 || r.status == 422 || r.status == 400);
        assert_non_null(r.json);
        api_resp_clear(&r);
    }
    /* A NUL in the path must not cut it short into another route (the list). */
    call("GET", "/billing/products/%00", NULL, NULL, 0, &r);
    expect_error(&r, 404, "not_found");
    api_resp_clear(&r);

    snprintf(long_query, 6000, "/billing/products?q=");
    memset(long_query + strlen(long_query), 'a', 5000);
    long_query[5020] = '\0';
    call("GET", long_query, NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
    free(long_query);

    /* Deeply nested JSON. */
    {
        size_t depth = 20000;
        char *deep = malloc(2 * depth + 1);
        memset(deep, '[', depth);
        memset(deep + depth, ']', depth);
        deep[2 * depth] = '\0';
        call("POST", "/auth/login", json_type, deep, 2 * depth, &r);
        expect_error(&r, 400, "invalid_json");
        api_resp_clear(&r);
        free(deep);
    }
}

struct burst {
    int ok;
};

static void *burst_run(void *arg)
{
    struct burst *b = arg;

    for (int i = 0; i < 15; i++) {
        struct api_resp r;
        const char *path = i % 3 == 0   ? "/billing/products?per_page=100"
                           : i % 3 == 1 ? "/billing/categories"
                                        : "/billing/products/custom-build";
        if (api_get(&server, path, NULL, &r) == 0 && r.status == 200 && r.json)
            b->ok++;
        api_resp_clear(&r);
    }
    return NULL;
}

static void test_concurrent_requests(void **state)
{
    pthread_t threads[8];
    struct burst bursts[8] = {{0}};

    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, burst_run, &bursts[i]), 0);
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(bursts[i].ok, 15);
    }
}

static void test_survives_and_stops_cleanly(void **state)
{
    struct api_resp r;

    call("GET", "/billing/status", NULL, NULL, 0, &r);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
    assert_int_equal(api_server_stop(&server), 0);
}

static int setup(void **state)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return api_server_start(&server, NULL);
}

static int teardown(void **state)
{
    api_server_cleanup(&server);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_route),
        cmocka_unit_test(test_trailing_slash),
        cmocka_unit_test(test_wrong_method),
        cmocka_unit_test(test_head_is_get),
        cmocka_unit_test(test_invalid_json),
        cmocka_unit_test(test_unsupported_media_type),
        cmocka_unit_test(test_payload_too_large),
        cmocka_unit_test(test_hostile_requests),
        cmocka_unit_test(test_concurrent_requests),
        cmocka_unit_test(test_survives_and_stops_cleanly),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
