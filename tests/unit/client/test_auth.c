/* test_auth.c: sign-in, the shared token refresh on 401, and the retry that follows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static void test_refresh_and_retry(void **state)
{
    struct ctx *x = *state;
    struct outcome a = {0}, b = {0};
    struct tokens_seen t = {0};
    struct stub_request req;

    client_set_tokens(x->c, "old-access", "old-refresh");
    client_on_tokens(x->c, on_tokens, &t);
    assert_true(client_signed_in(x->c));
    assert_true(client_get_product(x->c, "secret", on_product, &a) != 0);
    assert_true(client_get_product(x->c, "secret", on_product, &b) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(a.err.status, CLIENT_OK);
    assert_int_equal(b.err.status, CLIENT_OK);
    assert_string_equal(((struct product *)a.value)->slug, "mc-iron");
    product_free((struct product **)&a.value);
    product_free((struct product **)&b.value);
    assert_int_equal(t.calls, 1);
    assert_string_equal(t.access, "new-access");
    assert_string_equal(t.refresh, "new-refresh");
    assert_true(client_signed_in(x->c));
    stub_last(x->srv, &req);
    assert_string_equal(req.authorization, "Bearer new-access");
    /* two 401s, one shared refresh, two retries */
    assert_int_equal(stub_requests(x->srv), 5);
    stub_stop(&x->srv); /* joins the server thread: its counters are settled */
    assert_int_equal(x->w.refresh_calls, 1);
}

static void test_refresh_refused(void **state)
{
    struct ctx *x = *state;
    struct outcome o = {0};
    struct tokens_seen t = {0};

    x->w.refresh_ok = false;
    client_set_tokens(x->c, "old-access", "old-refresh");
    client_on_tokens(x->c, on_tokens, &t);
    assert_true(client_get_product(x->c, "secret", on_product, &o) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(o.calls, 1);
    assert_int_equal(o.err.status, CLIENT_ERR_AUTH);
    assert_int_equal(o.err.http_status, 401);
    assert_string_equal(o.err.code, "invalid_token");
    /* the dead session is dropped and the caller told so */
    assert_int_equal(t.calls, 1);
    assert_true(t.cleared);
    assert_false(client_signed_in(x->c));
    stub_stop(&x->srv);
    assert_int_equal(x->w.refresh_calls, 1);
}

static void test_401_without_refresh_token(void **state)
{
    struct ctx *x = *state;
    struct outcome o = {0};

    client_set_tokens(x->c, "old-access", NULL);
    assert_true(client_get_product(x->c, "secret", on_product, &o) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(o.err.status, CLIENT_ERR_AUTH);
    assert_int_equal(o.err.http_status, 401);
    stub_stop(&x->srv);
    assert_int_equal(x->w.refresh_calls, 0);
}

static void test_login(void **state)
{
    struct ctx *x = *state;
    struct outcome ok = {0}, bad = {0}, p = {0};
    struct tokens_seen t = {0};
    struct stub_request req;
    struct auth_session *s;

    client_on_tokens(x->c, on_tokens, &t);
    assert_true(client_login(x->c, "demo@example.com", "wrong", on_session, &bad) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    /* refused credentials are the server's answer, not a lost session */
    assert_int_equal(bad.err.status, CLIENT_ERR_API);
    assert_int_equal(bad.err.http_status, 401);
    assert_string_equal(bad.err.code, "invalid_credentials");
    assert_int_equal(t.calls, 0);
    assert_false(client_signed_in(x->c));
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.content_type, "application/json");
    assert_string_equal(req.authorization, "");

    assert_true(client_login(x->c, "demo@example.com", "demo", on_session, &ok) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(ok.err.status, CLIENT_OK);
    s = ok.value;
    assert_string_equal(s->access_token, "new-access");
    assert_string_equal(s->user.email, "demo@example.com");
    auth_session_free(&s);
    assert_int_equal(t.calls, 1);
    assert_string_equal(t.refresh, "new-refresh");
    assert_true(client_signed_in(x->c));

    /* the new session is used at once */
    assert_true(client_get_product(x->c, "secret", on_product, &p) != 0);
    assert_int_equal(client_run_until_idle(x->c, 5000), 0);
    assert_int_equal(p.err.status, CLIENT_OK);
    product_free((struct product **)&p.value);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refresh_and_retry, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_refresh_refused, harness_setup, harness_teardown),
        cmocka_unit_test_setup_teardown(test_401_without_refresh_token, harness_setup,
                                        harness_teardown),
        cmocka_unit_test_setup_teardown(test_login, harness_setup, harness_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
