/* test_decode.c: the status, category, session and error decoders, fed JSON fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/types.h"
#include "fixtures.h"

static void test_status(void **state)
{
    struct billing_status *s = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("status.json", &len);

    (void)state;
    assert_int_equal(decode_status(body, len, &s, &e), 0);
    assert_int_equal(e.status, CLIENT_OK);
    assert_true(s->enabled && s->licensed && s->credits_enabled && s->auto_activate);
    assert_true(s->signup_enabled);
    assert_string_equal(s->currency.code, "USD");
    assert_string_equal(s->currency.symbol, "$");
    assert_int_equal(s->currency.exponent, 2);
    assert_true(s->tax.enabled);
    assert_string_equal(s->tax.name, "VAT");
    assert_int_equal(s->tax.rate_bps, 2000);
    assert_false(s->tax.inclusive);
    assert_int_equal(s->n_gateways, 3);
    assert_string_equal(s->gateways[0], "stripe");
    assert_string_equal(s->gateways[2], "credits");
    assert_true(s->sandbox);
    billing_status_free(&s);
    assert_null(s);
    billing_status_free(&s);
    billing_status_free(NULL);
    free(body);
}

static void test_status_defaults(void **state)
{
    struct billing_status *s = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("status_minimal.json", &len);

    (void)state;
    assert_int_equal(decode_status(body, len, &s, &e), 0);
    assert_false(s->enabled);
    assert_false(s->credits_enabled);
    assert_string_equal(s->currency.code, "KWD");
    assert_string_equal(s->currency.symbol, "");
    assert_int_equal(s->currency.exponent, 3); /* from the built-in table */
    assert_false(s->tax.enabled);
    assert_non_null(s->tax.name);
    assert_string_equal(s->tax.name, "");
    assert_int_equal(s->n_gateways, 0);
    assert_false(s->sandbox); /* a server that does not say so takes real money */
    billing_status_free(&s);
    free(body);
}

static void test_status_errors(void **state)
{
    (void)state;
    EXPECT_FAIL(decode_status, struct billing_status, billing_status_free, "status_wrong_type.json",
                CLIENT_ERR_JSON, "data.enabled");
    EXPECT_FAIL(decode_status, struct billing_status, billing_status_free,
                "status_missing_currency.json", CLIENT_ERR_JSON, "missing field data.currency");
    EXPECT_FAIL(decode_status, struct billing_status, billing_status_free, "malformed.json",
                CLIENT_ERR_JSON, "invalid JSON");
    EXPECT_FAIL(decode_status, struct billing_status, billing_status_free, "trailing_garbage.json",
                CLIENT_ERR_JSON, "trailing data");
    EXPECT_FAIL(decode_status, struct billing_status, billing_status_free, "error_not_found.json",
                CLIENT_ERR_API, "No product");
}

static void test_inline_bodies(void **state)
{
    static const struct {
        const char *body;
        const char *needle;
    } cases[] = {
        {"", "empty"},
        {"[1,2,3]", "not a JSON object"},
        {"{\"data\":null}", "missing field data"},
        {"{\"meta\":{}}", "missing field data"},
        {"{\"data\":[]}", "field data: expected an object"},
        {"{\"data\":{\"enabled\":true,\"licensed\":true,\"currency\":\"USD\"}}", "data.currency"},
        {"{\"data\":{\"enabled\":true,\"licensed\":true,\"currency\":{\"code\":\"DOLLARS\"}}}",
         "data.currency.code"},
        {"{\"data\":{\"enabled\":true,\"licensed\":true,\"currency\":{\"code\":\"USD\"},"
         "\"gateways\":[\"stripe\",7]}}",
         "data.gateways[1]"},
        {"{\"data\":{\"enabled\":true,\"licensed\":true,\"currency\":{\"code\":\"USD\"},"
         "\"tax\":{\"rate_bps\":\"20%\"}}}",
         "data.tax.rate_bps"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct billing_status *s = NULL;
        struct client_error e;

        assert_int_equal(decode_status(cases[i].body, strlen(cases[i].body), &s, &e), -1);
        assert_null(s);
        assert_int_equal(e.status, CLIENT_ERR_JSON);
        if (!strstr(e.message, cases[i].needle))
            fail_msg("case %zu: message '%s' lacks '%s'", i, e.message, cases[i].needle);
    }
}

static void test_length_is_respected(void **state)
{
    const char *body =
        "{\"data\":{\"enabled\":true,\"licensed\":true,\"currency\":{\"code\":\"USD\"}}}"
        "GARBAGE";
    struct billing_status *s = NULL;
    struct client_error e;

    (void)state;
    assert_int_equal(decode_status(body, strlen(body) - 7, &s, &e), 0);
    billing_status_free(&s);
    assert_int_equal(decode_status(body, strlen(body), &s, &e), -1);
    assert_int_equal(decode_status(NULL, 0, &s, &e), -1);
    assert_int_equal(e.status, CLIENT_ERR_JSON);
}

static void test_categories(void **state)
{
    struct category_list *l = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("categories.json", &len);

    (void)state;
    assert_int_equal(decode_categories(body, len, &l, &e), 0);
    assert_int_equal(l->n, 3);
    assert_int_equal(l->items[0].id, 1);
    assert_string_equal(l->items[0].slug, "minecraft");
    assert_string_equal(l->items[0].name, "Minecraft");
    assert_string_equal(l->items[0].description, "Java and Bedrock servers.");
    assert_int_equal(l->items[0].product_count, 6);
    assert_string_equal(l->items[2].description, "");
    assert_int_equal(l->items[2].product_count, 0);
    category_list_free(&l);
    assert_null(l);
    free(body);
    EXPECT_FAIL(decode_categories, struct category_list, category_list_free,
                "categories_bad_item.json", CLIENT_ERR_JSON, "data[1].id");
}

static void test_session(void **state)
{
    struct auth_session *s = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("session.json", &len);

    (void)state;
    assert_int_equal(decode_session(body, len, &s, &e), 0);
    assert_string_equal(s->access_token, "acc.eyJzdWIiOjF9.sig");
    assert_string_equal(s->refresh_token, "rt_0123456789abcdef");
    assert_string_equal(s->token_type, "Bearer");
    assert_int_equal(s->expires_in, 900);
    assert_int_equal(s->user.id, 1);
    assert_string_equal(s->user.email, "demo@example.com");
    assert_string_equal(s->user.name, "Demo Customer");
    auth_session_free(&s);
    assert_null(s);
    free(body);
    EXPECT_FAIL(decode_session, struct auth_session, auth_session_free, "session_bad_token.json",
                CLIENT_ERR_JSON, "data.access_token");
    EXPECT_FAIL(decode_session, struct auth_session, auth_session_free, "error_validation.json",
                CLIENT_ERR_API, "invalid");
}

static void test_error_envelopes(void **state)
{
    struct client_error e;
    size_t len;
    char *body = fixture_load("error_validation.json", &len);

    (void)state;
    decode_error(body, len, 422, &e);
    assert_int_equal(e.status, CLIENT_ERR_API);
    assert_int_equal(e.http_status, 422);
    assert_string_equal(e.code, "validation_failed");
    assert_string_equal(e.message, "The given data was invalid.");
    assert_int_equal(e.n_fields, 2);
    assert_string_equal(e.fields[0].field, "email");
    assert_string_equal(e.fields[0].message, "is required");
    assert_string_equal(e.fields[1].field, "password");
    free(body);

    body = fixture_load("error_not_found.json", &len);
    decode_error(body, len, 404, &e);
    assert_int_equal(e.status, CLIENT_ERR_API);
    assert_int_equal(e.http_status, 404);
    assert_string_equal(e.code, "not_found");
    assert_int_equal(e.n_fields, 0);
    free(body);

    decode_error("<html>Bad Gateway</html>", 24, 502, &e);
    assert_int_equal(e.status, CLIENT_ERR_HTTP);
    assert_int_equal(e.http_status, 502);
    assert_non_null(strstr(e.message, "502"));
    decode_error(NULL, 0, 500, &e);
    assert_int_equal(e.status, CLIENT_ERR_HTTP);
    decode_error("{\"error\":\"flat\"}", 16, 400, &e);
    assert_int_equal(e.status, CLIENT_ERR_HTTP);
}

static void test_error_envelope_limits(void **state)
{
    char body[4096];
    struct client_error e;
    size_t n = 0;
    int i;

    (void)state;
    n += (size_t)sprintf(body + n, "{\"error\":{\"code\":\"");
    for (i = 0; i < 200; i++)
        body[n++] = 'c';
    n += (size_t)sprintf(body + n, "\",\"message\":\"m\",\"details\":{");
    for (i = 0; i < 12; i++)
        n += (size_t)sprintf(body + n, "%s\"f%d\":[\"bad %d\"]", i ? "," : "", i, i);
    n += (size_t)sprintf(body + n, ",\"flat\":\"x\"}}}");
    decode_error(body, n, 422, &e);
    assert_int_equal(e.status, CLIENT_ERR_API);
    assert_int_equal(strlen(e.code), sizeof(e.code) - 1);
    assert_int_equal(e.n_fields, CLIENT_FIELD_MAX);
    assert_string_equal(e.fields[7].field, "f7");
    assert_string_equal(e.fields[7].message, "bad 7");
}

static void test_enums(void **state)
{
    enum billing_cycle c;
    enum pricing_model m;
    int i;

    (void)state;
    for (i = 0; i < CYCLE_COUNT; i++) {
        assert_int_equal(billing_cycle_parse(billing_cycle_str(i), &c), 0);
        assert_int_equal(c, i);
        assert_true(billing_cycle_label(i)[0] != '\0');
    }
    assert_string_equal(billing_cycle_str(CYCLE_SEMI_ANNUAL), "semi_annual");
    assert_string_equal(billing_cycle_label(CYCLE_MONTHLY), "Monthly");
    assert_string_equal(billing_cycle_suffix(CYCLE_MONTHLY), "/mo");
    assert_string_equal(billing_cycle_suffix(CYCLE_ONE_TIME), " once");
    assert_string_equal(billing_cycle_suffix(CYCLE_BIENNIAL), "/2yr");
    assert_int_equal(billing_cycle_parse("Monthly", &c), -1);
    assert_int_equal(billing_cycle_parse(NULL, &c), -1);
    assert_string_equal(billing_cycle_str(CYCLE_COUNT), "unknown");
    for (i = PRICING_FIXED; i <= PRICING_CONFIGURABLE; i++) {
        assert_int_equal(pricing_model_parse(pricing_model_str(i), &m), 0);
        assert_int_equal(m, i);
    }
    assert_string_equal(pricing_model_str(PRICING_PER_GB_DISK), "per_gb_disk");
    assert_int_equal(pricing_model_parse("per_gb", &m), -1);
}

static void test_free_null(void **state)
{
    struct category_list *l = NULL;
    struct product *p = NULL;
    struct product_page *pg = NULL;
    struct auth_session *s = NULL;

    (void)state;
    category_list_free(&l);
    category_list_free(NULL);
    product_free(&p);
    product_free(NULL);
    product_clear(NULL);
    product_page_free(&pg);
    product_page_free(NULL);
    auth_session_free(&s);
    auth_session_free(NULL);
    assert_false(product_sold_out(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_status_defaults),
        cmocka_unit_test(test_status_errors),
        cmocka_unit_test(test_inline_bodies),
        cmocka_unit_test(test_length_is_respected),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_session),
        cmocka_unit_test(test_error_envelopes),
        cmocka_unit_test(test_error_envelope_limits),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
