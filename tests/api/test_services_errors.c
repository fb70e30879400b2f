/* test_services_errors.c: the service endpoints of a fresh sett-billingd over HTTP: the auth
 * wall, an account without services, every refusal, and the --scheduler-interval flag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_fixture.h"

static struct api_server server;
static char token[128];
static const char *const json_type[] = {"Content-Type: application/json", NULL};

static void expect(const char *method, const char *path, const char *tok,
                   const char *const *headers, const char *body, long status, const char *code)
{
    struct api_resp r;

    assert_int_equal(
        api_call(&server, method, path, tok, headers, body, body ? strlen(body) : 0, &r), 0);
    assert_int_equal(r.status, status);
    if (code)
        assert_string_equal(api_error_code(&r), code);
    api_resp_clear(&r);
}

static void test_auth_wall(void **state)
{
    static const char *const routes[][2] = {
        {"GET", "/billing/services"},
        {"GET", "/billing/services/1"},
        {"POST", "/billing/services/1/cancellation"},
        {"DELETE", "/billing/services/1/cancellation"},
        {"POST", "/billing/services/1/renewals"},
    };

    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        expect(routes[i][0], routes[i][1], NULL, NULL, NULL, 401, "unauthenticated");
        expect(routes[i][0], routes[i][1], "at_bogus", NULL, NULL, 401, "invalid_token");
    }
}

static void test_no_services_yet(void **state)
{
    struct api_resp r;
    cJSON *meta;

    assert_int_equal(api_get(&server, "/billing/services", token, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
    meta = cJSON_GetObjectItem(r.json, "meta");
    assert_int_equal(api_int(meta, "total"), 0);
    assert_int_equal(api_int(meta, "total_pages"), 1);
    assert_int_equal(api_int(meta, "per_page"), 20);
    api_resp_clear(&r);
    assert_int_equal(api_get(&server, "/billing/services?status=active&per_page=5", token, &r), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "per_page"), 5);
    api_resp_clear(&r);
}

static void test_not_found(void **state)
{
    static const char *const ids[] = {"1", "424242", "abc", "0", "-3", "12345678901234567890"};
    const char *renew_headers[] = {"Idempotency-Key: nf-1", NULL};
    char path[96];

    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        snprintf(path, sizeof path, "/billing/services/%s", ids[i]);
        expect("GET", path, token, NULL, NULL, 404, "not_found");
        snprintf(path, sizeof path, "/billing/services/%s/cancellation", ids[i]);
        expect("POST", path, token, json_type, "{\"type\":\"immediate\"}", 404, "not_found");
        expect("DELETE", path, token, NULL, NULL, 404, "not_found");
        snprintf(path, sizeof path, "/billing/services/%s/renewals", ids[i]);
        expect("POST", path, token, renew_headers, NULL, 404, "not_found");
    }
}

/* The envelope's checks come before the service is looked up. */
static void test_refusals(void **state)
{
    expect("GET", "/billing/services?status=paused", token, NULL, NULL, 422, "validation_failed");
    expect("GET", "/billing/services?page=0", token, NULL, NULL, 422, "validation_failed");
    expect("GET", "/billing/services?per_page=1000", token, NULL, NULL, 422, "validation_failed");
    expect("POST", "/billing/services/1/renewals", token, NULL, NULL, 400,
           "idempotency_key_required");
    expect("POST", "/billing/services/1/cancellation", token, json_type, "not json", 400,
           "invalid_json");
    expect("POST", "/billing/services/1/cancellation", token, json_type, NULL, 400, "invalid_json");
    expect("POST", "/billing/services/1/cancellation", token,
           (const char *[]){"Content-Type: text/plain", NULL}, "{}", 415, "unsupported_media_type");
    expect("PATCH", "/billing/services/1", token, NULL, NULL, 405, "method_not_allowed");
    expect("GET", "/billing/services/1/renewals", token, NULL, NULL, 405, "method_not_allowed");
}

/* The server answers: it started and serves. */
static void expect_status_of(const struct api_server *s)
{
    struct api_resp r;

    assert_int_equal(api_get(s, "/billing/status", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
}

/* --scheduler-interval takes seconds; 0 (or -1) switches the scheduler off; a server with a
 * long interval still stops at once. */
static void test_scheduler_flag(void **state)
{
    static const char *const bad[] = {"abc", "-2", "86401", "", "1.5"};
    const char *off[] = {"--scheduler-interval", "0", NULL};
    const char *slow[] = {"--scheduler-interval", "86400", NULL};
    struct api_server s;
    struct timespec a, b;
    char out[2048], err[2048];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *argv[] = {BILLINGD_PATH, "--scheduler-interval", bad[i], NULL};

        assert_int_equal(api_run(argv, out, sizeof out, err, sizeof err), 2);
        assert_non_null(strstr(err, "scheduler interval"));
    }
    {
        const char *argv[] = {BILLINGD_PATH, "--help", NULL};

        assert_int_equal(api_run(argv, out, sizeof out, err, sizeof err), 0);
        assert_non_null(strstr(out, "--scheduler-interval SECONDS"));
    }
    for (int i = 0; i < 2; i++) {
        memset(&s, 0, sizeof s);
        assert_int_equal(api_server_start(&s, i == 0 ? off : slow), 0);
        expect_status_of(&s);
        clock_gettime(CLOCK_MONOTONIC, &a);
        assert_int_equal(api_server_stop(&s), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        assert_true(b.tv_sec - a.tv_sec < 3);
        api_server_cleanup(&s);
    }
}

static int setup(void **state)
{
    char refresh[128];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0)
        return -1;
    return api_login(&server, "demo@example.com", "demo", token, refresh);
}

static int teardown(void **state)
{
    assert_int_equal(api_server_stop(&server), 0);
    api_server_cleanup(&server);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_wall),      cmocka_unit_test(test_no_services_yet),
        cmocka_unit_test(test_not_found),      cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_scheduler_flag),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
