/* test_ssh_auth.c: settd's SSH sign-in: a key finds its account or makes one, the fingerprint is
 * checked against the key (as ssh-keygen -lf computes it), and sign-up can be switched off. */
#include "admin_fixture.h"

#include <curl/curl.h>

/* Keys and fingerprints made with ssh-keygen, which is the reference for the fingerprint. */
#define KEY_A                                                                                      \
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEm/ussHSg9rHA2FfyjUGey/K4mpYLVN/Tgx9/xVtw5z "            \
    "player@laptop"
#define FP_A "SHA256:LAazDM1vqNWl/imCM8ECEGTpz8LN0Tm4kTZanR99x2s"
#define KEY_B                                                                                      \
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmxRUA6e/bxIb9fMGv/afnZSN/i+n8jdOt2qMcuuQ3+ "            \
    "ed25519-test@host"
#define FP_B "SHA256:R6xnGTWL0s/CC5IeTGJcagAWw0k4zI6qbEprFDDtA8g"
#define KEY_RSA                                                                                    \
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDDUlUPCq2u6Ewc3whs2zF7E1JbYakhTKs82kFsg3FnRP8sfERV4S1J" \
    "grT0nJA+lJs7HbtO8C5bpQ+hdJySaReCLNJVGUIvug1uuRoI2esfFTFNAweH7oYcuuPPpbY557lq3zzVWCG/PDJ6jRUK" \
    "UVHt9dUuzAnRPzVrBtZmj74edw== rsa-test@host"
#define FP_RSA "SHA256:FMzfP6UKp/brC0dXCbz3EhjUZei4+3s9LH4iFVWzQCs"
#define KEY_ECDSA                                                                                  \
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAwo2B5v2BlIzFS5Snef" \
    "u/syi8kmhjFYKo6qjKA6dEnY3q5cbKxwDRm2tSBHh/EI1GZeSwMjF+zl+aK/ZdppKdQ= ecdsa-test@host"
#define FP_ECDSA "SHA256:ju6vxSMZNuX/rSkbVjTlB4Yrm186Y/p1OoJxIIqVYOk"
#define KEY_NO_COMMENT                                                                             \
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA6ga4ARm3YTEp9MRaGHlqHl8HvBCK6bH34gnLwqhQS8"
#define FP_NO_COMMENT "SHA256:oXo7DfVOWRgyx7oD57mKngiN8miJJQ94rhI7Q9rxF9I"

#define SETTD_KEY "{\"name\":\"settd\",\"scopes\":[\"ssh\"]}"

static struct api_server server;
static char admin[128], service_key[64];

/* POST /auth/ssh with the service key; returns the account id when it answered 200/201. */
static int64_t ssh_login(const char *key, const char *fp, long status, const char *code)
{
    char body[1024];
    struct api_resp r;
    int64_t id = 0;

    snprintf(body, sizeof body, "{\"public_key\":\"%s\",\"fingerprint\":\"%s\"}", key, fp);
    adm_call(&server, "POST", "/auth/ssh", service_key, body, NULL, &r);
    adm_expect(&r, status, code);
    if (status < 300) {
        cJSON *d = api_data(&r), *user = cJSON_GetObjectItem(d, "user");
        char me[128];

        assert_string_equal(api_str(d, "token_type"), "Bearer");
        id = api_int(user, "id");
        /* The tokens are the account's. */
        snprintf(me, sizeof me, "%s", api_str(d, "access_token"));
        api_resp_clear(&r);
        adm_call(&server, "GET", "/auth/me", me, NULL, NULL, &r);
        adm_expect(&r, 200, NULL);
        assert_int_equal(api_int(api_data(&r), "id"), id);
    }
    api_resp_clear(&r);
    return id;
}

static void test_same_key_same_account(void **state)
{
    struct api_resp r;
    char body[1024];
    cJSON *user;
    int64_t first, again;

    snprintf(body, sizeof body, "{\"public_key\":\"%s\",\"fingerprint\":\"%s\"}", KEY_A, FP_A);
    adm_call(&server, "POST", "/auth/ssh", service_key, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    user = cJSON_GetObjectItem(api_data(&r), "user");
    first = api_int(user, "id");
    assert_string_equal(api_str(user, "email"), "");
    assert_string_equal(api_str(user, "name"), "player@laptop");
    api_resp_clear(&r);

    again = ssh_login(KEY_A, FP_A, 200, NULL);
    assert_int_equal(again, first);
}

static void test_second_key_second_account(void **state)
{
    int64_t a = ssh_login(KEY_A, FP_A, 200, NULL);
    int64_t b = ssh_login(KEY_B, FP_B, 201, NULL);

    assert_true(b > 0);
    assert_int_not_equal(a, b);
    assert_int_equal(ssh_login(KEY_B, FP_B, 200, NULL), b);
}

static void test_key_types_and_names(void **state)
{
    struct api_resp r;
    char body[1024];

    assert_true(ssh_login(KEY_RSA, FP_RSA, 201, NULL) > 0);
    assert_true(ssh_login(KEY_ECDSA, FP_ECDSA, 201, NULL) > 0);
    /* Without a comment the account is named after the fingerprint. */
    snprintf(body, sizeof body, "{\"public_key\":\"%s\",\"fingerprint\":\"%s\"}", KEY_NO_COMMENT,
             FP_NO_COMMENT);
    adm_call(&server, "POST", "/auth/ssh", service_key, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    assert_string_equal(api_str(cJSON_GetObjectItem(api_data(&r), "user"), "name"),
                        "SSH customer oXo7DfVOWRgyx7o");
    api_resp_clear(&r);
}

static void test_fingerprint_checked(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        /* Another key's fingerprint. */
        {"{\"public_key\":\"" KEY_A "\",\"fingerprint\":\"" FP_B "\"}", "fingerprint"},
        /* Not the form ssh-keygen prints. */
        {"{\"public_key\":\"" KEY_A "\",\"fingerprint\":\"MD5:aa:bb\"}", "fingerprint"},
        {"{\"public_key\":\"" KEY_A
         "\",\"fingerprint\":\"SHA256:LAazDM1vqNWl/imCM8ECEGTpz8LN0Tm4kTZ"
         "anR99x2s=\"}",
         "fingerprint"},
        {"{\"public_key\":\"" KEY_A "\"}", "fingerprint"},
        {"{\"fingerprint\":\"" FP_A "\"}", "public_key"},
        {"{\"public_key\":\"ssh-ed25519\",\"fingerprint\":\"" FP_A "\"}", "public_key"},
        {"{\"public_key\":\"ssh-ed25519 !!!notbase64\",\"fingerprint\":\"" FP_A "\"}",
         "public_key"},
        /* The blob says ed25519: a label that disagrees is not that key. */
        {"{\"public_key\":\"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIEm/ussHSg9rHA2FfyjUGey/K4mpYLVN/Tgx9/"
         "xVtw5z\",\"fingerprint\":\"" FP_A "\"}",
         "public_key"},
        {"{\"public_key\":42,\"fingerprint\":\"" FP_A "\"}", "public_key"},
    };
    struct api_resp r;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        adm_call(&server, "POST", "/auth/ssh", service_key, bad[i].body, NULL, &r);
        adm_expect(&r, 422, "validation_failed");
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
    adm_call(&server, "POST", "/auth/ssh", service_key, bad[0].body, NULL, &r);
    assert_string_equal(adm_field(&r, "fingerprint"), "does not match the public key");
    api_resp_clear(&r);
}

static void test_signup_switch(void **state)
{
    /* A fresh key while sign-up is off: refused, and no account appears. */
    static const char fresh[] =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPtCTJIVhlhZAwKPbgYIJ7W9wIi6kpD8rlaBRjiyCztM "
        "fresh@box";
    static const char fresh_fp[] = "SHA256:lNY24nhWw6kqv5fnQ5y26d0OZNVPf7sLWiqOwxgRFmA";
    struct api_resp r;
    int64_t before, known = ssh_login(KEY_A, FP_A, 200, NULL);

    adm_call(&server, "GET", "/admin/users", admin, NULL, NULL, &r);
    before = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"signup_enabled\":false}", 200, NULL);
    adm_check(&server, "GET", "/billing/status", NULL, NULL, 200, NULL);
    ssh_login(fresh, fresh_fp, 403, "signup_disabled");
    /* Known keys still sign in. */
    assert_int_equal(ssh_login(KEY_A, FP_A, 200, NULL), known);
    adm_call(&server, "GET", "/admin/users", admin, NULL, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), before);
    api_resp_clear(&r);
    adm_check(&server, "PATCH", "/admin/settings", admin, "{\"signup_enabled\":true}", 200, NULL);
    assert_true(ssh_login(fresh, fresh_fp, 201, NULL) > 0);
}

/* Only settd's service key: an operator's key with scope ssh. */
static void test_needs_an_ssh_key(void **state)
{
    static const char body[] = "{\"public_key\":\"" KEY_A "\",\"fingerprint\":\"" FP_A "\"}";
    char demo[128], billing_key[64], admin_key[64];

    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    adm_key(&server, demo, "[\"billing\"]", billing_key);
    adm_key(&server, admin, "[\"admin\",\"billing\"]", admin_key);
    adm_check(&server, "POST", "/auth/ssh", NULL, body, 401, "unauthenticated");
    adm_check(&server, "POST", "/auth/ssh", "nonsense", body, 401, "invalid_token");
    adm_check(&server, "POST", "/auth/ssh", admin, body, 403, "forbidden");
    adm_check(&server, "POST", "/auth/ssh", demo, body, 403, "forbidden");
    adm_check(&server, "POST", "/auth/ssh", billing_key, body, 403, "forbidden");
    adm_check(&server, "POST", "/auth/ssh", admin_key, body, 403, "forbidden");
    adm_check(&server, "POST", "/auth/ssh", service_key, "[1]", 400, "invalid_json");
}

/* Operators find SSH customers by fingerprint and see their keys; such an account has no
 * password to sign in with. */
static void test_operators_see_the_keys(void **state)
{
    struct api_resp r;
    cJSON *u, *k;

    adm_call(&server, "GET", "/admin/users?q=SHA256:LAazDM1v", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    u = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(u, "email"), "");
    assert_string_equal(api_str(u, "role"), "customer");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(u, "last_login_at")));
    k = cJSON_GetArrayItem(cJSON_GetObjectItem(u, "ssh_keys"), 0);
    assert_string_equal(api_str(k, "fingerprint"), FP_A);
    assert_string_equal(api_str(k, "key_type"), "ssh-ed25519");
    assert_string_equal(api_str(k, "comment"), "player@laptop");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(k, "last_used_at")));
    api_resp_clear(&r);
    /* The exact fingerprint too; and an e-mail search does not find the placeholder. */
    adm_call(&server, "GET", "/admin/users?q=" FP_A, admin, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/admin/users?q=ssh%3A", admin, NULL, NULL, &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 0);
    api_resp_clear(&r);
    adm_check(&server, "POST", "/auth/login", NULL,
              "{\"email\":\"ssh:" FP_A "\",\"password\":\"x\"}", 401, "invalid_credentials");
    adm_check(&server, "POST", "/auth/login", NULL, "{\"email\":\"\",\"password\":\"x\"}", 422,
              "validation_failed");
}

static int setup(void **state)
{
    char refresh[128];
    struct api_resp r;
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0 ||
        api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh) != 0)
        return -1;
    rc = api_call(&server, "POST", "/auth/api-keys", admin,
                  (const char *const[]){"Content-Type: application/json", NULL}, SETTD_KEY,
                  strlen(SETTD_KEY), &r);
    if (rc == 0 && r.status == 201)
        snprintf(service_key, sizeof service_key, "%s", api_str(api_data(&r), "key"));
    api_resp_clear(&r);
    return service_key[0] ? 0 : -1;
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
        cmocka_unit_test(test_same_key_same_account),
        cmocka_unit_test(test_second_key_second_account),
        cmocka_unit_test(test_key_types_and_names),
        cmocka_unit_test(test_fingerprint_checked),
        cmocka_unit_test(test_signup_switch),
        cmocka_unit_test(test_needs_an_ssh_key),
        cmocka_unit_test(test_operators_see_the_keys),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
