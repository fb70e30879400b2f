/* validate_selftest.c: the contract checker passes good answers and catches each kind of bad one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <string.h>

#include "api_fixture.h"
#include "validate.h"

#define JSON "Content-Type: application/json; charset=utf-8\r\n"

static const char status_body[] =
    "{\"data\":{\"enabled\":true,\"licensed\":true,\"credits_enabled\":true,\"auto_activate\":true,"
    "\"signup_enabled\":true,\"currency\":{\"code\":\"USD\",\"symbol\":\"$\",\"exponent\":2},"
    "\"tax\":{\"enabled\":true,\"name\":\"VAT\",\"rate_bps\":2000,\"inclusive\":false},"
    "\"gateways\":[\"stripe\",\"paypal\",\"credits\"],\"sandbox\":false}}";

static int check(const char *method, const char *path, long status, const char *headers,
                 const char *body)
{
    struct validate_exchange ex = {
        .method = method,
        .path = path,
        .status = status,
        .headers = headers,
        .body = body,
        .body_len = body ? strlen(body) : 0,
    };

    return validate_response(&ex);
}

static void test_good_answers_pass(void **state)
{
    assert_int_equal(check("GET", "/api/v1/billing/status", 200, JSON, status_body), 0);
    /* HEAD is GET without the body; one trailing slash is the same route. */
    assert_int_equal(check("HEAD", "/api/v1/billing/status", 200, JSON, NULL), 0);
    assert_int_equal(check("GET", "/api/v1/billing/status/", 200, JSON, status_body), 0);
    /* Unknown routes and methods answer the errors any request may meet. */
    assert_int_equal(
        check("GET", "/api/v1/billing/nope", 404, JSON,
              "{\"error\":{\"code\":\"not_found\",\"message\":\"No.\",\"details\":{}}}"),
        0);
    assert_int_equal(check("DELETE", "/api/v1/billing/status", 405, JSON "Allow: GET\r\n",
                           "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"No.\","
                           "\"details\":{}}}"),
                     0);
    /* An operation that does not list 413 may still answer it. */
    assert_int_equal(check("GET", "/api/v1/billing/products", 413, JSON,
                           "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"Big.\","
                           "\"details\":{}}}"),
                     0);
    assert_int_equal(validate_failures(), 0);
}

static void test_bad_answers_fail(void **state)
{
    static const char not_found[] =
        "{\"error\":{\"code\":\"not_found\",\"message\":\"No.\",\"details\":{}}}";
    unsigned caught = 0;

    /* Wrong shape: a required field missing, a wrong type, money as a float. */
    caught +=
        check("GET", "/api/v1/billing/status", 200, JSON, "{\"data\":{\"enabled\":true}}") != 0;
    caught += check("GET", "/api/v1/billing/categories", 200, JSON,
                    "{\"data\":[{\"id\":\"1\",\"slug\":\"mc\",\"name\":\"MC\",\"description\":\"\","
                    "\"product_count\":1}]}") != 0;
    caught += check("GET", "/api/v1/billing/products/mc-iron", 404, JSON,
                    "{\"error\":{\"code\":\"not_found\",\"message\":\"No.\"}}") != 0;
    /* A status the operation does not document, success or error. */
    caught += check("GET", "/api/v1/billing/status", 201, JSON, status_body) != 0;
    caught += check("GET", "/api/v1/billing/status", 418, JSON, not_found) != 0;
    /* Wrong content type, a body that is not JSON, bytes that are not UTF-8. */
    caught += check("GET", "/api/v1/billing/status", 200, "Content-Type: text/plain\r\n",
                    status_body) != 0;
    caught += check("GET", "/api/v1/billing/status", 200, JSON, "{\"data\":") != 0;
    caught +=
        check("GET", "/api/v1/billing/nope", 404, JSON,
              "{\"error\":{\"code\":\"not_found\",\"message\":\"\xff\",\"details\":{}}}") != 0;
    /* Errors any request may meet still need their own code and headers. */
    caught += check("GET", "/api/v1/billing/nope", 404, JSON,
                    "{\"error\":{\"code\":\"forbidden\",\"message\":\"No.\",\"details\":{}}}") != 0;
    caught += check("DELETE", "/api/v1/billing/status", 405, JSON,
                    "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"No.\","
                    "\"details\":{}}}") != 0;
    /* An unknown route may not succeed, and API paths are only routed under /api/v1. */
    caught += check("GET", "/api/v1/billing/nope", 200, JSON, status_body) != 0;
    caught += check("GET", "/billing/status", 200, JSON, status_body) != 0;

    assert_int_equal(caught, 12);
    assert_int_equal(validate_failures(), 12);
    validate_forget_failures();
}

/* A real server's answer goes through api_call and passes. */
static void test_real_answer_passes(void **state)
{
    struct api_server s;
    struct api_resp r;

    assert_int_equal(api_server_start(&s, NULL), 0);
    assert_int_equal(api_get(&s, "/billing/status", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
    api_server_cleanup(&s);
    assert_int_equal(validate_failures(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_answers_pass),
        cmocka_unit_test(test_bad_answers_fail),
        cmocka_unit_test(test_real_answer_passes),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
