/* test_commerce.c: cart, checkout and account requests against the stub shop: If-Match and
 * ETag, Idempotency-Key on retries, 204, price_changed, 412, and request building. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "harness.h"
#include "shop.h"

static void test_etag_round_trip(void **state)
{
    struct shop_ctx *x = *state;
    struct line_request line = {.product_id = 3, .cycle = CYCLE_MONTHLY};
    struct got g = {0}, add = {0}, stale_add = {0}, rm = {0}, blind = {0};
    struct stub_request req;
    struct cart *cart;

    assert_true(client_get_cart(x->c, on_cart, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_OK);
    cart = g.value;
    /* the header's tag, verbatim; the body's version alone would give "\"1\"" */
    assert_string_equal(cart->etag, "\"cart-1\"");
    assert_int_equal(cart->version, 1);

    assert_true(client_cart_add(x->c, &line, cart->etag, on_cart, &add) != 0);
    shop_run(x->c);
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.if_match, "\"cart-1\"");
    assert_string_equal(req.content_type, "application/json");
    assert_non_null(strstr(req.body, "\"product_id\":3"));
    assert_non_null(strstr(req.body, "\"cycle\":\"monthly\""));
    assert_non_null(strstr(req.body, "\"quantity\":1"));
    assert_int_equal(add.err.status, CLIENT_OK);
    assert_int_equal(add.err.http_status, 201);
    assert_string_equal(((struct cart *)add.value)->etag, "\"cart-2\"");

    /* the version shown before is stale now: refused, not applied */
    assert_true(client_cart_add(x->c, &line, cart->etag, on_cart, &stale_add) != 0);
    shop_run(x->c);
    assert_int_equal(stale_add.err.status, CLIENT_ERR_API);
    assert_int_equal(stale_add.err.http_status, 412);
    assert_string_equal(stale_add.err.code, "precondition_failed");

    assert_true(client_cart_remove(x->c, 12, ((struct cart *)add.value)->etag, on_cart, &rm) != 0);
    shop_run(x->c);
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "DELETE");
    assert_string_equal(req.path, "/api/v1/billing/cart/items/12");
    assert_string_equal(req.if_match, "\"cart-2\"");
    assert_int_equal(rm.err.status, CLIENT_OK);
    assert_string_equal(((struct cart *)rm.value)->etag, "\"cart-3\"");

    /* no version given: no If-Match sent */
    assert_true(client_cart_remove(x->c, 12, NULL, on_cart, &blind) != 0);
    shop_run(x->c);
    stub_last(x->srv, &req);
    assert_string_equal(req.if_match, "");
    assert_int_equal(blind.err.status, CLIENT_OK);

    cart_free(&cart);
    cart_free((struct cart **)&add.value);
    cart_free((struct cart **)&rm.value);
    cart_free((struct cart **)&blind.value);
}

static void test_cart_update(void **state)
{
    struct shop_ctx *x = *state;
    struct option_choice opts[] = {{"memory_mb", 6144}, {"disk_mb", 30720}};
    struct cart_item_patch p = {.set_cycle = true,
                                .cycle = CYCLE_ANNUAL,
                                .set_options = true,
                                .options = opts,
                                .n_options = 2,
                                .quantity = 2};
    struct stub_request req;
    struct got g = {0};

    assert_true(client_cart_update(x->c, 12, &p, "\"cart-1\"", on_cart, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_OK);
    cart_free((struct cart **)&g.value);
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "PATCH");
    assert_string_equal(req.path, "/api/v1/billing/cart/items/12");
    assert_string_equal(req.if_match, "\"cart-1\"");
    assert_string_equal(req.body, "{\"options\":{\"memory_mb\":6144,\"disk_mb\":30720},"
                                  "\"cycle\":\"annual\",\"quantity\":2}");
}

static void test_idempotency_key_new(void **state)
{
    char a[CLIENT_IDEMPOTENCY_KEY_SIZE], b[CLIENT_IDEMPOTENCY_KEY_SIZE];
    size_t i;

    (void)state;
    assert_int_equal(client_idempotency_key_new(a), 0);
    assert_int_equal(client_idempotency_key_new(b), 0);
    assert_int_equal(strlen(a), 36);
    assert_string_not_equal(a, b);
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(a[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", a[i]));
    }
    assert_int_equal(a[14], '4');           /* version 4 */
    assert_non_null(strchr("89ab", a[19])); /* RFC 4122 variant */
    assert_int_equal(client_idempotency_key_new(NULL), -1);
}

static struct checkout_request checkout_of(const char *key, int64_t expected, const char *etag)
{
    struct checkout_request r = {
        .payment_method = "stripe",
        .use_credits = true,
        .expected_total = {.amount = expected, .currency = "USD"},
        .cart_etag = etag,
        .idempotency_key = key,
    };
    return r;
}

/* A checkout that timed out is retried with the same key; a third send is answered by replay. */
static void test_idempotency_key_reused(void **state)
{
    struct shop_ctx *x = *state;
    struct client *c = harness_client(stub_url(x->srv), 500);
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE];
    struct checkout_request r;
    struct got first = {0}, retry = {0}, again = {0};
    struct checkout_result *res;
    int i;

    x->w.hold_first_checkout = true;
    assert_int_equal(client_idempotency_key_new(key), 0);
    r = checkout_of(key, 971, "\"cart-1\"");
    assert_true(client_checkout(c, &r, on_checkout, &first) != 0);
    shop_run(c);
    assert_int_equal(first.err.status, CLIENT_ERR_TIMEOUT);

    assert_true(client_checkout(c, &r, on_checkout, &retry) != 0);
    shop_run(c);
    assert_int_equal(retry.err.status, CLIENT_OK);
    assert_int_equal(retry.err.http_status, 201);
    res = retry.value;
    assert_false(res->replayed);
    assert_int_equal(res->order.id, 58);
    assert_int_equal(res->payment.status, PAYMENT_REQUIRES_ACTION);

    assert_true(client_checkout(c, &r, on_checkout, &again) != 0);
    shop_run(c);
    assert_int_equal(again.err.status, CLIENT_OK);
    assert_true(((struct checkout_result *)again.value)->replayed);
    assert_int_equal(((struct checkout_result *)again.value)->order.id, 58);

    assert_int_equal(stub_requests(x->srv), 3);
    assert_int_equal(x->w.checkout_calls, 3);
    for (i = 0; i < 3; i++) {
        assert_string_equal(x->w.keys[i], key);
        assert_string_equal(x->w.if_matches[i], "\"cart-1\"");
        assert_string_equal(x->w.bodies[i], x->w.bodies[0]); /* same key, same body */
    }
    assert_non_null(strstr(x->w.bodies[0], "\"payment_method\":\"stripe\""));
    assert_non_null(strstr(x->w.bodies[0], "\"use_credits\":true"));
    assert_non_null(
        strstr(x->w.bodies[0], "\"expected_total\":{\"amount\":971,\"currency\":\"USD\"}"));
    checkout_result_free(&res);
    checkout_result_free((struct checkout_result **)&again.value);
    client_free(&c);
}

/* The client's own resend after a token refresh carries the same key and If-Match. */
static void test_idempotency_key_after_refresh(void **state)
{
    struct shop_ctx *x = *state;
    struct checkout_request r = checkout_of("key-after-refresh", 971, "\"cart-1\"");
    struct got g = {0};

    x->w.needs_new_token = true;
    client_set_tokens(x->c, "old-access", "old-refresh");
    assert_true(client_checkout(x->c, &r, on_checkout, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_OK);
    assert_int_equal(stub_requests(x->srv), 3); /* 401, refresh, resend */
    assert_int_equal(x->w.checkout_calls, 2);
    assert_string_equal(x->w.keys[0], "key-after-refresh");
    assert_string_equal(x->w.keys[1], "key-after-refresh");
    assert_string_equal(x->w.if_matches[1], "\"cart-1\"");
    checkout_result_free((struct checkout_result **)&g.value);
}

static void test_price_changed(void **state)
{
    struct shop_ctx *x = *state;
    struct checkout_request r = checkout_of("k1", 900, "\"cart-1\"");
    struct got g = {0};
    char line[256];

    assert_true(client_checkout(x->c, &r, on_checkout, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_ERR_API);
    assert_int_equal(g.err.http_status, 409);
    assert_string_equal(g.err.code, "price_changed");
    assert_true(g.err.has_total);
    assert_int_equal(g.err.total.amount, 971);
    assert_string_equal(g.err.total.currency, "USD");
    client_error_describe(&g.err, line, sizeof(line));
    assert_non_null(strstr(line, "(price_changed)"));
}

static void test_precondition_failed(void **state)
{
    struct shop_ctx *x = *state;
    struct checkout_request r = checkout_of("k2", 971, "\"cart-0\"");
    struct got g = {0};

    assert_true(client_checkout(x->c, &r, on_checkout, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_ERR_API);
    assert_int_equal(g.err.http_status, 412);
    assert_string_equal(g.err.code, "precondition_failed");
    assert_string_equal(g.err.message, "The cart changed since you last saw it.");
    assert_false(g.err.has_total);
}

static void test_no_content(void **state)
{
    struct shop_ctx *x = *state;
    struct tokens_seen t = {0};
    struct stub_request req;
    struct got g = {0};

    client_set_tokens(x->c, "a1", "r1");
    client_on_tokens(x->c, on_tokens, &t);
    assert_true(client_logout(x->c, on_done, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.calls, 1);
    assert_int_equal(g.err.status, CLIENT_OK);
    assert_int_equal(g.err.http_status, 204);
    assert_false(client_signed_in(x->c));
    assert_int_equal(t.calls, 1);
    assert_true(t.cleared);
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.content_type, ""); /* no body: no form type either */
}

/* A POST with no body (renewal) is a POST, keyed, with no Content-Type. */
static void test_bodyless_post(void **state)
{
    struct shop_ctx *x = *state;
    struct stub_request req;
    struct got g = {0};

    assert_true(client_renew_service(x->c, 31, "renew-31-a", on_invoice, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_OK);
    assert_int_equal(((struct invoice *)g.value)->summary.kind, INVOICE_KIND_RENEWAL);
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.idempotency_key, "renew-31-a");
    assert_string_equal(req.content_type, "");
    assert_string_equal(req.body, "");
    invoice_free((struct invoice **)&g.value);
}

static void test_retry_after(void **state)
{
    struct shop_ctx *x = *state;
    struct stub_request req;
    struct got g = {0};

    assert_true(client_cart_apply_coupon(x->c, "WELCOME10", "\"cart-1\"", on_cart, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_ERR_API);
    assert_string_equal(g.err.code, "rate_limited");
    assert_int_equal(g.err.retry_after, 30);
    stub_last(x->srv, &req);
    assert_string_equal(req.method, "PUT");
    assert_string_equal(req.body, "{\"code\":\"WELCOME10\"}");
}

static void test_list_query(void **state)
{
    struct shop_ctx *x = *state;
    struct list_query q = {.status = "active", .page = 2, .per_page = 5};
    struct stub_request req;
    struct got g = {0};

    assert_true(client_get_services(x->c, &q, on_services, &g) != 0);
    shop_run(x->c);
    assert_int_equal(g.err.status, CLIENT_OK);
    assert_int_equal(((struct service_page *)g.value)->meta.current_page, 2);
    service_page_free((struct service_page **)&g.value);
    stub_last(x->srv, &req);
    assert_string_equal(req.path, "/api/v1/billing/services?status=active&page=2&per_page=5");
}

/* Arguments that cannot make a valid request start nothing. */
static void test_refused_arguments(void **state)
{
    struct shop_ctx *x = *state;
    struct checkout_request r = checkout_of("k", 971, "\"cart-1\"");
    struct line_request bad_cycle = {.product_id = 3, .cycle = CYCLE_COUNT};
    struct option_choice neg = {.resource = "memory_mb", .value = -1};
    struct line_request bad_option = {.product_id = 3, .options = &neg, .n_options = 1};
    struct cart_item_patch nothing = {0};
    struct money zero = {.amount = 0, .currency = "USD"};
    struct got g = {0};

    r.idempotency_key = NULL;
    assert_int_equal(client_checkout(x->c, &r, on_checkout, &g), 0);
    r.idempotency_key = "k";
    r.cart_etag = NULL;
    assert_int_equal(client_checkout(x->c, &r, on_checkout, &g), 0);
    r.cart_etag = "\"1\"\r\nX-Evil: 1";
    assert_int_equal(client_checkout(x->c, &r, on_checkout, &g), 0);
    assert_int_equal(client_cart_add(x->c, &bad_cycle, NULL, on_cart, &g), 0);
    assert_int_equal(client_cart_add(x->c, &bad_option, NULL, on_cart, &g), 0);
    assert_int_equal(client_cart_add(x->c, NULL, NULL, on_cart, &g), 0);
    assert_int_equal(client_cart_update(x->c, 12, &nothing, NULL, on_cart, &g), 0);
    assert_int_equal(client_cart_remove(x->c, 0, NULL, on_cart, &g), 0);
    assert_int_equal(client_cart_remove(x->c, 12, "bad tag", on_cart, &g), 0);
    assert_int_equal(client_renew_service(x->c, 31, NULL, on_invoice, &g), 0);
    assert_int_equal(client_get_invoice(x->c, -4, on_invoice, &g), 0);
    assert_int_equal(client_create_deposit(x->c, &zero, NULL, on_invoice, &g), 0);
    assert_int_equal(client_pending(x->c), 0);
    assert_int_equal(g.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_etag_round_trip, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_cart_update, shop_setup, shop_teardown),
        cmocka_unit_test(test_idempotency_key_new),
        cmocka_unit_test_setup_teardown(test_idempotency_key_reused, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_idempotency_key_after_refresh, shop_setup,
                                        shop_teardown),
        cmocka_unit_test_setup_teardown(test_price_changed, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_precondition_failed, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_no_content, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_bodyless_post, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_retry_after, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_list_query, shop_setup, shop_teardown),
        cmocka_unit_test_setup_teardown(test_refused_arguments, shop_setup, shop_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
