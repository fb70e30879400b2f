/* test_settings.c: shop settings from a catalog file: currency and tax, licence and off switch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_fixture.h"

#define ONE_PRODUCT                                                                                \
    "\"categories\":[{\"slug\":\"voice\",\"name\":\"Voice\",\"products\":[{\"slug\":\"ts3-10\","   \
    "\"name\":\"TeamSpeak 10\",\"pricing_model\":\"fixed\",\"cycles\":[{\"cycle\":\"monthly\","    \
    "\"price\":199}]}]}]"

/* Starts a server seeded from this catalog text; the catalog file lives in the server's dir. */
static void start_with(struct api_server *s, const char *catalog)
{
    char dir[] = "/tmp/sett-settings-XXXXXX";
    char path[96];
    const char *args[] = {"--catalog", path, NULL};
    FILE *f;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/catalog.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(catalog, f);
    fclose(f);
    memset(s, 0, sizeof *s);
    assert_int_equal(api_server_start_in(s, dir, args), 0);
    unlink(path);
}

static void stop(struct api_server *s)
{
    assert_int_equal(api_server_stop(s), 0);
    api_server_cleanup(s);
}

static void expect(const struct api_server *s, const char *method, const char *path,
                   const char *token, long status, const char *code)
{
    struct api_resp r;

    assert_int_equal(api_call(s, method, path, token, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, status);
    if (code)
        assert_string_equal(api_error_code(&r), code);
    api_resp_clear(&r);
}

static void test_currency_and_tax(void **state)
{
    struct api_server s;
    struct api_resp r;
    cJSON *d, *gw;

    start_with(
        &s,
        "{\"settings\":{\"currency_code\":\"EUR\",\"currency_symbol\":\"\xe2\x82\xac\","
        "\"tax_name\":\"MwSt\",\"tax_rate_bps\":1900,\"tax_inclusive\":true,"
        "\"credits_enabled\":false,\"auto_activate\":false,\"gateways\":[\"stripe\"]}," ONE_PRODUCT
        "}");
    assert_int_equal(api_get(&s, "/billing/status", NULL, &r), 0);
    d = api_data(&r);
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "currency"), "code"), "EUR");
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "currency"), "symbol"), "\xe2\x82\xac");
    assert_string_equal(api_str(cJSON_GetObjectItem(d, "tax"), "name"), "MwSt");
    assert_int_equal(api_int(cJSON_GetObjectItem(d, "tax"), "rate_bps"), 1900);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "tax"), "inclusive")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "credits_enabled")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "auto_activate")));
    gw = cJSON_GetObjectItem(d, "gateways");
    assert_int_equal(cJSON_GetArraySize(gw), 1);
    assert_string_equal(cJSON_GetArrayItem(gw, 0)->valuestring, "stripe");
    api_resp_clear(&r);

    /* Every amount carries the shop's currency. */
    assert_int_equal(api_get(&s, "/billing/products/ts3-10", NULL, &r), 0);
    assert_string_equal(api_str(cJSON_GetObjectItem(api_data(&r), "from_price"), "currency"),
                        "EUR");
    api_resp_clear(&r);
    stop(&s);
}

/* Without the licence: status says so, the rest of /billing is 403, sign-in still works. */
static void test_not_licensed(void **state)
{
    struct api_server s;
    struct api_resp r;
    char access[128], refresh[128];

    start_with(&s, "{\"settings\":{\"billing_licensed\":false}," ONE_PRODUCT "}");
    assert_int_equal(api_get(&s, "/billing/status", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(api_data(&r), "licensed")));
    api_resp_clear(&r);
    expect(&s, "GET", "/billing/categories", NULL, 403, "billing_not_licensed");
    expect(&s, "GET", "/billing/products", NULL, 403, "billing_not_licensed");
    expect(&s, "GET", "/billing/products/ts3-10", NULL, 403, "billing_not_licensed");
    expect(&s, "GET", "/billing/cart", NULL, 401, "unauthenticated");
    assert_int_equal(api_login(&s, "demo@example.com", "demo", access, refresh), 0);
    expect(&s, "GET", "/billing/cart", access, 403, "billing_not_licensed");
    expect(&s, "GET", "/auth/me", access, 200, NULL);
    /* Routing errors stay what they are. */
    expect(&s, "GET", "/billing/nope", NULL, 404, "not_found");
    expect(&s, "DELETE", "/billing/products", NULL, 405, "method_not_allowed");
    stop(&s);
}

static void test_switched_off(void **state)
{
    struct api_server s;
    struct api_resp r;
    char access[128], refresh[128];

    start_with(&s, "{\"settings\":{\"billing_enabled\":false}," ONE_PRODUCT "}");
    assert_int_equal(api_get(&s, "/billing/status", NULL, &r), 0);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(api_data(&r), "enabled")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "licensed")));
    api_resp_clear(&r);
    expect(&s, "GET", "/billing/products", NULL, 403, "billing_disabled");
    assert_int_equal(api_login(&s, "demo@example.com", "demo", access, refresh), 0);
    expect(&s, "POST", "/billing/checkout", access, 403, "billing_disabled");
    stop(&s);
}

static void test_bad_settings_refused(void **state)
{
    static const char *const bad[][2] = {
        {"{\"settings\":{\"nope\":1}," ONE_PRODUCT "}", "settings.nope: no such setting"},
        {"{\"settings\":{\"tax_rate_bps\":20000}," ONE_PRODUCT "}", "settings.tax_rate_bps"},
        {"{\"settings\":{\"billing_licensed\":\"no\"}," ONE_PRODUCT "}",
         "settings.billing_licensed"},
        {"{\"settings\":{\"gateways\":[\"stripe,paypal\"]}," ONE_PRODUCT "}", "settings.gateways"},
        {"{\"settings\":[]," ONE_PRODUCT "}", "settings must be an object"},
    };
    char dir[] = "/tmp/sett-settings-XXXXXX";
    char db[96], cat[96], out[1024], err[1024];
    const char *argv[] = {BILLINGD_PATH, "--db", db, "--port", "0", "--catalog", cat, NULL};

    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/billing.db", dir);
    snprintf(cat, sizeof cat, "%s/catalog.json", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(cat, "w");
        assert_non_null(f);
        fputs(bad[i][0], f);
        fclose(f);
        assert_int_equal(api_run(argv, out, sizeof out, err, sizeof err), 1);
        assert_non_null(strstr(err, bad[i][1]));
    }
    unlink(cat);
    for (const char *const *suffix = (const char *const[]){"", "-wal", "-shm", NULL}; *suffix;
         suffix++) {
        char path[128];
        snprintf(path, sizeof path, "%s%s", db, *suffix);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_currency_and_tax),
        cmocka_unit_test(test_not_licensed),
        cmocka_unit_test(test_switched_off),
        cmocka_unit_test(test_bad_settings_refused),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
