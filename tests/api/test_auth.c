/* test_auth.c: sign-in, token refresh and rotation, sign-out and /auth/me. */
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

#define DEMO_LOGIN "{\"email\":\"demo@example.com\",\"password\":\"demo\"}"

static struct api_server server;

static void post(const char *path, const char *json, long status, const char *code,
                 struct api_resp *r)
{
    assert_int_equal(api_post_json(&server, path, json, r), 0);
    assert_int_equal(r->status, status);
    assert_non_null(r->json);
    if (code)
        assert_string_equal(api_error_code(r), code);
}

static void expect_field(const struct api_resp *r, const char *field, const char *message)
{
    cJSON *msgs = cJSON_GetObjectItem(api_error_details(r), field);

    assert_true(cJSON_IsArray(msgs));
    assert_string_equal(cJSON_GetArrayItem(msgs, 0)->valuestring, message);
}

static void test_login_ok(void **state)
{
    struct api_resp r;
    cJSON *d, *user;

    post("/auth/login", DEMO_LOGIN, 200, NULL, &r);
    d = api_data(&r);
    assert_true(strlen(api_str(d, "access_token")) >= 32);
    assert_true(strlen(api_str(d, "refresh_token")) >= 32);
    assert_string_not_equal(api_str(d, "access_token"), api_str(d, "refresh_token"));
    assert_string_equal(api_str(d, "token_type"), "Bearer");
    assert_int_equal(api_int(d, "expires_in"), 900);
    user = cJSON_GetObjectItem(d, "user");
    assert_true(api_int(user, "id") > 0);
    assert_string_equal(api_str(user, "email"), "demo@example.com");
    assert_string_equal(api_str(user, "name"), "Demo Customer");
    api_resp_clear(&r);

    /* Email addresses are matched without regard to case. */
    post("/auth/login", "{\"email\":\"Demo@Example.COM\",\"password\":\"demo\"}", 200, NULL, &r);
    api_resp_clear(&r);
}

static void test_login_wrong_password(void **state)
{
    struct api_resp r;

    post("/auth/login", "{\"email\":\"demo@example.com\",\"password\":\"Demo\"}", 401,
         "invalid_credentials", &r);
    assert_null(api_data(&r));
    api_resp_clear(&r);
}

static void test_login_unknown_email(void **state)
{
    struct api_resp r;

    post("/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"demo\"}", 401,
         "invalid_credentials", &r);
    api_resp_clear(&r);
}

static void test_login_missing_fields(void **state)
{
    struct api_resp r;

    post("/auth/login", "{}", 422, "validation_failed", &r);
    expect_field(&r, "email", "is required");
    expect_field(&r, "password", "is required");
    api_resp_clear(&r);

    post("/auth/login", "{\"email\":\"demo@example.com\"}", 422, "validation_failed", &r);
    assert_null(cJSON_GetObjectItem(api_error_details(&r), "email"));
    expect_field(&r, "password", "is required");
    api_resp_clear(&r);

    post("/auth/login", "{\"email\":\"\",\"password\":\"demo\"}", 422, "validation_failed", &r);
    expect_field(&r, "email", "is required");
    api_resp_clear(&r);

    {
        char body[1400];
        snprintf(body, sizeof body, "{\"email\":\"%0255d\",\"password\":\"%01025d\"}", 0, 0);
        post("/auth/login", body, 422, "validation_failed", &r);
        expect_field(&r, "email", "must be at most 254 characters");
        expect_field(&r, "password", "must be at most 1024 characters");
        api_resp_clear(&r);
    }

    post("/auth/login", "{\"email\":42,\"password\":[\"demo\"]}", 422, "validation_failed", &r);
    expect_field(&r, "email", "must be a string");
    expect_field(&r, "password", "must be a string");
    api_resp_clear(&r);
}

static void test_me(void **state)
{
    char access[128], refresh[128];
    struct api_resp r;

    assert_int_equal(api_login(&server, "demo@example.com", "demo", access, refresh), 0);
    assert_int_equal(api_get(&server, "/auth/me", access, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(api_str(api_data(&r), "email"), "demo@example.com");
    assert_string_equal(api_str(api_data(&r), "name"), "Demo Customer");
    assert_true(api_int(api_data(&r), "id") > 0);
    api_resp_clear(&r);
}

static void test_me_without_or_with_bad_token(void **state)
{
    static const char *const basic[] = {"Authorization: Basic ZGVtbzpkZW1v", NULL};
    static const char *const empty[] = {"Authorization: Bearer ", NULL};
    char access[128], refresh[128];
    struct api_resp r;

    assert_int_equal(api_get(&server, "/auth/me", NULL, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "unauthenticated");
    assert_string_equal(r.www_authenticate, "Bearer realm=\"sett\"");
    api_resp_clear(&r);

    assert_int_equal(api_call(&server, "GET", "/auth/me", NULL, basic, NULL, 0, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "unauthenticated");
    api_resp_clear(&r);

    assert_int_equal(api_call(&server, "GET", "/auth/me", NULL, empty, NULL, 0, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "unauthenticated");
    api_resp_clear(&r);

    assert_int_equal(api_get(&server, "/auth/me", "not-a-real-token", &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "invalid_token");
    assert_string_equal(r.www_authenticate, "Bearer realm=\"sett\", error=\"invalid_token\"");
    api_resp_clear(&r);

    /* A refresh token is not an access token. */
    assert_int_equal(api_login(&server, "demo@example.com", "demo", access, refresh), 0);
    assert_int_equal(api_get(&server, "/auth/me", refresh, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "invalid_token");
    api_resp_clear(&r);
}

static char *refresh_body(const char *token)
{
    char *json = malloc(256);

    snprintf(json, 256, "{\"refresh_token\":\"%s\"}", token);
    return json;
}

static void test_refresh_rotates(void **state)
{
    char access[128], refresh[128];
    struct api_resp r, me;
    char *body;
    char *new_access, *new_refresh;

    assert_int_equal(api_login(&server, "demo@example.com", "demo", access, refresh), 0);
    body = refresh_body(refresh);
    post("/auth/refresh", body, 200, NULL, &r);
    new_access = strdup(api_str(api_data(&r), "access_token"));
    new_refresh = strdup(api_str(api_data(&r), "refresh_token"));
    assert_string_equal(api_str(api_data(&r), "token_type"), "Bearer");
    assert_int_equal(api_int(api_data(&r), "expires_in"), 900);
    assert_string_equal(api_str(cJSON_GetObjectItem(api_data(&r), "user"), "email"),
                        "demo@example.com");
    assert_string_not_equal(new_refresh, refresh);
    assert_string_not_equal(new_access, access);
    api_resp_clear(&r);

    /* The new access token works. */
    assert_int_equal(api_get(&server, "/auth/me", new_access, &me), 0);
    assert_int_equal(me.status, 200);
    api_resp_clear(&me);

    /* The old refresh token is spent. */
    post("/auth/refresh", body, 401, "invalid_token", &r);
    api_resp_clear(&r);
    free(body);

    /* Replaying a spent token revokes its whole family: the pair issued from it is gone too. */
    body = refresh_body(new_refresh);
    post("/auth/refresh", body, 401, "invalid_token", &r);
    api_resp_clear(&r);
    assert_int_equal(api_get(&server, "/auth/me", new_access, &me), 0);
    assert_int_equal(me.status, 401);
    assert_string_equal(api_error_code(&me), "invalid_token");
    api_resp_clear(&me);
    free(body);
    free(new_access);
    free(new_refresh);
}

static void test_refresh_errors(void **state)
{
    struct api_resp r;

    post("/auth/refresh", "{}", 422, "validation_failed", &r);
    expect_field(&r, "refresh_token", "is required");
    api_resp_clear(&r);
    post("/auth/refresh", "{\"refresh_token\":7}", 422, "validation_failed", &r);
    expect_field(&r, "refresh_token", "must be a string");
    api_resp_clear(&r);
    post("/auth/refresh", "{\"refresh_token\":\"forged\"}", 401, "invalid_token", &r);
    api_resp_clear(&r);
}

struct race {
    const char *body;
    long status;
};

static void *race_refresh(void *arg)
{
    struct race *race = arg;
    struct api_resp r;

    if (api_post_json(&server, "/auth/refresh", race->body, &r) == 0)
        race->status = r.status;
    api_resp_clear(&r);
    return NULL;
}

/* Two clients refreshing the same token at once: exactly one wins. */
static void test_refresh_race(void **state)
{
    char access[128], refresh[128];
    struct race races[4];
    pthread_t threads[4];
    char *body;
    int ok = 0;

    assert_int_equal(api_login(&server, "demo@example.com", "demo", access, refresh), 0);
    body = refresh_body(refresh);
    for (int i = 0; i < 4; i++) {
        races[i] = (struct race){body, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, race_refresh, &races[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_true(races[i].status == 200 || races[i].status == 401);
        ok += races[i].status == 200;
    }
    assert_int_equal(ok, 1);
    free(body);
}

static void test_logout(void **state)
{
    char access[128], refresh[128], other_access[128], other_refresh[128];
    struct api_resp r;
    char *body;

    assert_int_equal(api_login(&server, "demo@example.com", "demo", access, refresh), 0);
    assert_int_equal(api_login(&server, "demo@example.com", "demo", other_access, other_refresh),
                     0);
    assert_int_equal(api_call(&server, "POST", "/auth/logout", access, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    api_resp_clear(&r);

    /* Both tokens of that sign-in stop working at once. */
    assert_int_equal(api_get(&server, "/auth/me", access, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "invalid_token");
    api_resp_clear(&r);
    body = refresh_body(refresh);
    post("/auth/refresh", body, 401, "invalid_token", &r);
    api_resp_clear(&r);
    free(body);

    /* Another sign-in of the same account is untouched. */
    assert_int_equal(api_get(&server, "/auth/me", other_access, &r), 0);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);

    assert_int_equal(api_call(&server, "POST", "/auth/logout", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "unauthenticated");
    api_resp_clear(&r);
    assert_int_equal(api_call(&server, "POST", "/auth/logout", access, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(api_error_code(&r), "invalid_token");
    api_resp_clear(&r);
}

static void test_survives_and_stops_cleanly(void **state)
{
    struct api_resp r;

    assert_int_equal(api_get(&server, "/billing/status", NULL, &r), 0);
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
        cmocka_unit_test(test_login_ok),
        cmocka_unit_test(test_login_wrong_password),
        cmocka_unit_test(test_login_unknown_email),
        cmocka_unit_test(test_login_missing_fields),
        cmocka_unit_test(test_me),
        cmocka_unit_test(test_me_without_or_with_bad_token),
        cmocka_unit_test(test_refresh_rotates),
        cmocka_unit_test(test_refresh_errors),
        cmocka_unit_test(test_refresh_race),
        cmocka_unit_test(test_logout),
        cmocka_unit_test(test_survives_and_stops_cleanly),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
