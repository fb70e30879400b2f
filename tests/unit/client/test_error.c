/* test_error.c: status names and one-line error descriptions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "client/error.h"

static void test_status_names(void **state)
{
    int i, j;

    (void)state;
    assert_string_equal(client_status_str(CLIENT_OK), "ok");
    assert_string_equal(client_status_str(CLIENT_ERR_TIMEOUT), "the server did not answer in time");
    assert_string_equal(client_status_str(CLIENT_STATUS_COUNT), "unknown error");
    assert_string_equal(client_status_str((enum client_status) - 1), "unknown error");
    for (i = 0; i < CLIENT_STATUS_COUNT; i++)
        for (j = i + 1; j < CLIENT_STATUS_COUNT; j++)
            assert_string_not_equal(client_status_str(i), client_status_str(j));
}

static void test_set_and_clear(void **state)
{
    struct client_error e;

    (void)state;
    memset(&e, 0x5a, sizeof(e));
    client_error_set(&e, CLIENT_ERR_TRANSPORT, "could not connect to %s:%d", "host", 80);
    assert_int_equal(e.status, CLIENT_ERR_TRANSPORT);
    assert_string_equal(e.message, "could not connect to host:80");
    assert_string_equal(e.code, "");
    assert_int_equal(e.n_fields, 0);
    assert_int_equal(e.http_status, 0);
    client_error_clear(&e);
    assert_int_equal(e.status, CLIENT_OK);
    assert_string_equal(e.message, "");
    client_error_set(NULL, CLIENT_ERR_JSON, "ignored");
    client_error_clear(NULL);
}

static void test_describe(void **state)
{
    struct client_error e;
    char buf[64];

    (void)state;
    client_error_set(&e, CLIENT_ERR_API, "No product with id or slug 'x'.");
    strcpy(e.code, "not_found");
    client_error_describe(&e, buf, sizeof(buf));
    assert_string_equal(buf, "No product with id or slug 'x'. (not_found)");
    client_error_set(&e, CLIENT_ERR_TIMEOUT, NULL);
    client_error_describe(&e, buf, sizeof(buf));
    assert_string_equal(buf, "the server did not answer in time");
    client_error_set(&e, CLIENT_ERR_TRANSPORT, "Couldn't connect to server");
    client_error_describe(&e, buf, sizeof(buf));
    assert_string_equal(buf, "could not reach the server: Couldn't connect to server");
    /* the answer had begun (a status line came), then the connection dropped */
    client_error_set(&e, CLIENT_ERR_TRANSPORT, "transfer closed");
    e.http_status = 200;
    client_error_describe(&e, buf, sizeof(buf));
    assert_string_equal(buf, "the connection to the server broke off: transfer closed");
    client_error_set(&e, CLIENT_ERR_AUTH, NULL);
    strcpy(e.code, "invalid_token");
    client_error_describe(&e, buf, sizeof(buf));
    assert_string_equal(buf, "sign-in required (invalid_token)");
    client_error_describe(&e, buf, 5);
    assert_string_equal(buf, "sign");
    client_error_describe(NULL, buf, sizeof(buf));
    assert_string_equal(buf, "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_set_and_clear),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
