/* test_apikeys.c: API keys: created once with their secret, listed without it, used as bearer
 * tokens within their scopes, and dead once revoked or expired. */
#include "admin_fixture.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct api_server server;
static char demo[128], admin[128];

static void test_create_list_and_use(void **state)
{
    struct api_resp r;
    cJSON *d, *list, *k;
    char key[64];
    const char *secret;

    adm_call(&server, "POST", "/auth/api-keys", demo,
             "{\"name\":\"Monthly report script\",\"scopes\":[\"billing\"]}", NULL, &r);
    adm_expect(&r, 201, NULL);
    d = api_data(&r);
    secret = api_str(d, "key");
    assert_int_equal(strlen(secret), 43);
    assert_memory_equal(secret, "bp_", 3);
    assert_int_equal(strspn(secret + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789"),
                     40);
    assert_int_equal(strlen(api_str(d, "prefix")), 7);
    assert_memory_equal(api_str(d, "prefix"), secret, 7);
    assert_string_equal(api_str(d, "name"), "Monthly report script");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "scopes"), 0)->valuestring,
                        "billing");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "last_used_at")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "expires_at")));
    snprintf(key, sizeof key, "%s", secret);
    api_resp_clear(&r);

    /* The secret is shown once: the list has the key without it. */
    adm_call(&server, "GET", "/auth/api-keys", demo, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    k = cJSON_GetArrayItem(list, 0);
    assert_null(cJSON_GetObjectItem(k, "key"));
    assert_null(strstr(r.body, key));
    api_resp_clear(&r);

    /* The key is a bearer token for its owner. */
    adm_call(&server, "GET", "/auth/me", key, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "email"), DEMO_EMAIL);
    api_resp_clear(&r);

    /* Its use is recorded. */
    adm_call(&server, "GET", "/auth/api-keys", demo, NULL, NULL, &r);
    k = cJSON_GetArrayItem(api_data(&r), 0);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(k, "last_used_at")));
    api_resp_clear(&r);
}

static void test_create_validation(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"scopes\":[\"billing\"]}", "name"},
        {"{\"name\":\"\",\"scopes\":[\"billing\"]}", "name"},
        {"{\"name\":7,\"scopes\":[\"billing\"]}", "name"},
        {"{\"name\":\"x\"}", "scopes"},
        {"{\"name\":\"x\",\"scopes\":[]}", "scopes"},
        {"{\"name\":\"x\",\"scopes\":[\"root\"]}", "scopes"},
        {"{\"name\":\"x\",\"scopes\":[\"billing admin\"]}", "scopes"},
        {"{\"name\":\"x\",\"scopes\":[\"billing\",\"billing\"]}", "scopes"},
        {"{\"name\":\"x\",\"scopes\":\"billing\"}", "scopes"},
        {"{\"name\":\"x\",\"scopes\":[\"billing\"],\"expires_at\":\"tomorrow\"}", "expires_at"},
        {"{\"name\":\"x\",\"scopes\":[\"billing\"],\"expires_at\":\"2001-01-01T00:00:00Z\"}",
         "expires_at"},
    };
    char name[160], body[256];
    struct api_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        adm_call(&server, "POST", "/auth/api-keys", demo, bad[i].body, NULL, &r);
        adm_expect(&r, 422, "validation_failed");
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
    memset(name, 'n', 101);
    name[101] = '\0';
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"scopes\":[\"billing\"]}", name);
    adm_call(&server, "POST", "/auth/api-keys", demo, body, NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "name"), "must be at most 100 characters");
    api_resp_clear(&r);
}

/* ssh and admin are operators' scopes; customers get 403 and no key. */
static void test_operator_scopes(void **state)
{
    struct api_resp r;
    char key[64];

    adm_check(&server, "POST", "/auth/api-keys", demo, "{\"name\":\"x\",\"scopes\":[\"admin\"]}",
              403, "forbidden");
    adm_check(&server, "POST", "/auth/api-keys", demo,
              "{\"name\":\"x\",\"scopes\":[\"billing\",\"ssh\"]}", 403, "forbidden");
    adm_key(&server, admin, "[\"admin\",\"ssh\",\"billing\"]", key);
    adm_call(&server, "GET", "/auth/api-keys", admin, NULL, NULL, &r);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(api_data(&r), 0), "scopes")), 3);
    api_resp_clear(&r);
}

/* Keys manage nothing about keys or sessions: those need an access token. */
static void test_keys_need_an_access_token(void **state)
{
    char key[64];
    int64_t id = adm_key(&server, demo, "[\"billing\"]", key);
    char path[64];

    adm_check(&server, "GET", "/auth/api-keys", key, NULL, 403, "forbidden");
    adm_check(&server, "POST", "/auth/api-keys", key, "{\"name\":\"x\",\"scopes\":[\"billing\"]}",
              403, "forbidden");
    snprintf(path, sizeof path, "/auth/api-keys/%lld", (long long)id);
    adm_check(&server, "DELETE", path, key, NULL, 403, "forbidden");
    adm_check(&server, "POST", "/auth/logout", key, NULL, 403, "forbidden");
    /* Still alive after all that. */
    adm_check(&server, "GET", "/auth/me", key, NULL, 200, NULL);
}

static void test_billing_scope(void **state)
{
    struct api_resp r;
    char billing[64], admin_only[64];

    adm_key(&server, demo, "[\"billing\"]", billing);
    adm_key(&server, admin, "[\"admin\"]", admin_only);
    /* A key with billing passes the scope check on an account route (whatever it answers). */
    adm_call(&server, "GET", "/billing/invoices", billing, NULL, NULL, &r);
    assert_int_not_equal(r.status, 403);
    assert_int_not_equal(r.status, 401);
    api_resp_clear(&r);
    /* One without billing does not, even an operator's. */
    adm_call(&server, "GET", "/billing/invoices", admin_only, NULL, NULL, &r);
    adm_expect(&r, 403, "forbidden");
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "billing"));
    api_resp_clear(&r);
    /* Public routes need no scope at all. */
    adm_check(&server, "GET", "/billing/status", admin_only, NULL, 200, NULL);
}

static void test_admin_scope(void **state)
{
    char with[64], without[64], customer[64];

    adm_key(&server, admin, "[\"admin\"]", with);
    adm_key(&server, admin, "[\"billing\",\"ssh\"]", without);
    adm_key(&server, demo, "[\"billing\"]", customer);
    adm_check(&server, "GET", "/admin/users", with, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/settings", with, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/users", without, NULL, 403, "forbidden");
    adm_check(&server, "GET", "/admin/users", customer, NULL, 403, "forbidden");
    adm_check(&server, "GET", "/admin/users", admin, NULL, 200, NULL);
    adm_check(&server, "GET", "/admin/users", demo, NULL, 403, "forbidden");
}

static void test_revoked_key_is_dead(void **state)
{
    char key[64], path[64];
    struct api_resp r;
    int64_t id = adm_key(&server, demo, "[\"billing\"]", key);

    snprintf(path, sizeof path, "/auth/api-keys/%lld", (long long)id);
    adm_check(&server, "GET", "/auth/me", key, NULL, 200, NULL);
    /* Another account cannot see or revoke it. */
    adm_check(&server, "DELETE", path, admin, NULL, 404, "not_found");
    adm_check(&server, "GET", "/auth/me", key, NULL, 200, NULL);
    adm_call(&server, "DELETE", path, demo, NULL, NULL, &r);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    api_resp_clear(&r);
    adm_check(&server, "GET", "/auth/me", key, NULL, 401, "invalid_token");
    adm_check(&server, "GET", "/billing/invoices", key, NULL, 401, "invalid_token");
    adm_check(&server, "DELETE", path, demo, NULL, 404, "not_found");
    adm_check(&server, "DELETE", "/auth/api-keys/abc", demo, NULL, 404, "not_found");
    adm_check(&server, "DELETE", "/auth/api-keys/0", demo, NULL, 404, "not_found");
    /* A key-shaped token that was never issued. */
    adm_check(&server, "GET", "/auth/me", "bp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, 401,
              "invalid_token");
    adm_check(&server, "GET", "/auth/me", "bp_", NULL, 401, "invalid_token");
}

static void test_expired_key_is_dead(void **state)
{
    char body[160], expires[32], key[64];
    struct api_resp r;
    time_t at = time(NULL) + 2;

    strftime(expires, sizeof expires, "%Y-%m-%dT%H:%M:%SZ", gmtime(&at));
    snprintf(body, sizeof body,
             "{\"name\":\"short\",\"scopes\":[\"billing\"],\"expires_at\":\"%s\"}", expires);
    adm_call(&server, "POST", "/auth/api-keys", demo, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    assert_string_equal(api_str(api_data(&r), "expires_at"), expires);
    snprintf(key, sizeof key, "%s", api_str(api_data(&r), "key"));
    api_resp_clear(&r);
    adm_check(&server, "GET", "/auth/me", key, NULL, 200, NULL);
    sleep(3);
    adm_check(&server, "GET", "/auth/me", key, NULL, 401, "invalid_token");
}

/* An account holds at most 20 live keys; revoking one makes room. */
static void test_key_limit(void **state)
{
    char token[128], key[64], path[64];
    struct api_resp r;
    int64_t first = 0, id;
    int n;

    /* The operator account has a few keys from other tests: fill it up. */
    adm_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, token);
    adm_call(&server, "GET", "/auth/api-keys", token, NULL, NULL, &r);
    n = cJSON_GetArraySize(api_data(&r));
    api_resp_clear(&r);
    for (; n < 20; n++) {
        id = adm_key(&server, token, "[\"billing\"]", key);
        first = first ? first : id;
    }
    adm_call(&server, "POST", "/auth/api-keys", token, "{\"name\":\"x\",\"scopes\":[\"billing\"]}",
             NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_non_null(strstr(adm_field(&r, "api_keys"), "20"));
    api_resp_clear(&r);
    assert_true(first > 0);
    snprintf(path, sizeof path, "/auth/api-keys/%lld", (long long)first);
    adm_check(&server, "DELETE", path, token, NULL, 204, NULL);
    adm_key(&server, token, "[\"billing\"]", key);
}

static int setup(void **state)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char refresh[128];

    if (api_server_start(&server, NULL) != 0)
        return -1;
    return api_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo, refresh) ||
           api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh);
}

static int teardown(void **state)
{
    /* A clean stop: no crash, and under the sanitizers no leak reported at exit. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    curl_global_cleanup();
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_list_and_use),
        cmocka_unit_test(test_create_validation),
        cmocka_unit_test(test_operator_scopes),
        cmocka_unit_test(test_keys_need_an_access_token),
        cmocka_unit_test(test_billing_scope),
        cmocka_unit_test(test_admin_scope),
        cmocka_unit_test(test_revoked_key_is_dead),
        cmocka_unit_test(test_expired_key_is_dead),
        cmocka_unit_test(test_key_limit),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
