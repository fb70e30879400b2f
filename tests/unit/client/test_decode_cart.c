/* test_decode_cart.c: quote, cart, checkout and payment decoders, and the checkout's error
 * envelopes, fed JSON fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "fixtures.h"

#define assert_money(m, amt, cur)                                                                  \
    do {                                                                                           \
        assert_int_equal((m).amount, (amt));                                                       \
        assert_string_equal((m).currency, (cur));                                                  \
    } while (0)

static void test_quote(void **state)
{
    struct quote *q = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("quote.json", &len);

    (void)state;
    assert_int_equal(decode_quote(body, len, &q, &e), 0);
    assert_int_equal(e.status, CLIENT_OK);
    assert_string_equal(q->currency, "USD");
    assert_int_equal(q->n_items, 2);
    assert_int_equal(q->items[0].id, 0);
    assert_string_equal(q->items[0].added_at, "");
    assert_int_equal(q->items[0].product.id, 3);
    assert_string_equal(q->items[0].product.name, "Iron");
    assert_string_equal(q->items[0].product.category_slug, "minecraft");
    assert_int_equal(q->items[0].n_options, 0);
    assert_int_equal(q->items[1].cycle, CYCLE_QUARTERLY);
    assert_int_equal(q->items[1].months, 3);
    assert_int_equal(q->items[1].n_options, 2);
    assert_string_equal(q->items[1].options[0].resource, "memory_mb");
    assert_int_equal(q->items[1].options[0].value, 6144);
    assert_string_equal(q->items[1].options[1].resource, "disk_mb");
    assert_int_equal(q->items[1].options[1].value, 30720);
    assert_money(q->items[1].unit_price, 4350, "USD");
    assert_money(q->items[1].setup_fee, 0, "USD");
    assert_money(q->items[1].line_total, 4350, "USD");
    assert_true(q->items[1].available);
    assert_true(q->has_coupon);
    assert_string_equal(q->coupon.code, "WELCOME10");
    assert_true(q->coupon.valid); /* a quote's coupon applies */
    assert_money(q->coupon.discount, 525, "USD");
    assert_money(q->totals.subtotal, 5249, "USD");
    assert_int_equal(q->totals.n_tax_lines, 1);
    assert_string_equal(q->totals.tax_lines[0].name, "VAT");
    assert_int_equal(q->totals.tax_lines[0].rate_bps, 2000);
    assert_false(q->totals.tax_lines[0].inclusive);
    assert_money(q->totals.tax_lines[0].amount, 945, "USD");
    assert_money(q->totals.total, 5669, "USD");
    quote_free(&q);
    assert_null(q);
    free(body);
}

static void test_cart(void **state)
{
    struct cart *c = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("cart.json", &len); /* with fields this client does not know */

    (void)state;
    assert_int_equal(decode_cart(body, len, &c, &e), 0);
    assert_int_equal(c->version, 8);
    assert_string_equal(c->etag, "\"8\"");
    assert_false(cart_empty(c));
    assert_int_equal(c->n_items, 1);
    assert_int_equal(c->items[0].id, 12);
    assert_string_equal(c->items[0].added_at, "2025-06-01T11:52:09Z");
    assert_int_equal(c->items[0].quantity, 1);
    assert_money(c->items[0].recurring, 899, "USD");
    assert_true(c->has_coupon && c->coupon.valid);
    assert_string_equal(c->coupon.invalid_reason, "");
    assert_money(c->totals.discount, 90, "USD");
    assert_money(c->totals.tax_total, 162, "USD");
    assert_money(c->totals.total, 971, "USD");
    assert_money(c->credits_available, 500, "USD");
    assert_money(c->credits_to_apply, 500, "USD");
    assert_money(c->due_now, 471, "USD");
    assert_string_equal(c->updated_at, "2025-06-01T11:58:40Z");
    cart_free(&c);
    free(body);

    body = fixture_load("cart_empty.json", &len);
    assert_int_equal(decode_cart(body, len, &c, &e), 0);
    assert_true(cart_empty(c));
    assert_false(c->has_coupon);
    assert_string_equal(c->etag, "\"1\"");
    assert_money(c->due_now, 0, "USD");
    cart_free(&c);
    free(body);

    body = fixture_load("cart_coupon_invalid.json", &len);
    assert_int_equal(decode_cart(body, len, &c, &e), 0);
    assert_false(c->coupon.valid);
    assert_string_equal(c->coupon.invalid_reason, "coupon_expired");
    assert_int_equal(c->items[0].n_options, 2);
    cart_free(&c);
    free(body);
}

static void test_cart_errors(void **state)
{
    (void)state;
    EXPECT_FAIL(decode_cart, struct cart, cart_free, "cart_missing_due_now.json", CLIENT_ERR_JSON,
                "missing field data.totals.due_now");
    EXPECT_FAIL(decode_cart, struct cart, cart_free, "cart_unknown_cycle.json", CLIENT_ERR_JSON,
                "data.items[0].cycle: unknown billing cycle");
    EXPECT_FAIL(decode_cart, struct cart, cart_free, "cart_bad_option.json", CLIENT_ERR_JSON,
                "data.items[0].options.memory_mb");
    EXPECT_FAIL(decode_cart, struct cart, cart_free, "quote.json", CLIENT_ERR_JSON,
                "missing field data.version");
    EXPECT_FAIL(decode_cart, struct cart, cart_free, "error_precondition_failed.json",
                CLIENT_ERR_API, "changed");
    EXPECT_FAIL(decode_quote, struct quote, quote_free, "error_coupon_expired.json", CLIENT_ERR_API,
                "SPRING15");
    EXPECT_FAIL(decode_quote, struct quote, quote_free, "malformed.json", CLIENT_ERR_JSON,
                "invalid JSON");
}

static void test_checkout(void **state)
{
    struct checkout_result *r = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("checkout.json", &len);

    (void)state;
    assert_int_equal(decode_checkout(body, len, &r, &e), 0);
    assert_false(r->replayed); /* set from the response header, not the body */
    assert_int_equal(r->order.id, 58);
    assert_string_equal(r->order.number, "ORD-2025-000058");
    assert_int_equal(r->order.status, ORDER_PENDING_PAYMENT);
    assert_int_equal(r->order.n_items, 1);
    assert_int_equal(r->order.items[0].n_service_ids, 1);
    assert_int_equal(r->order.items[0].service_ids[0], 31);
    assert_string_equal(r->order.coupon_code, "WELCOME10");
    assert_string_equal(r->order.paid_at, "");
    assert_int_equal(r->invoice.summary.id, 142);
    assert_int_equal(r->invoice.summary.status, INVOICE_PENDING);
    assert_money(r->invoice.summary.total, 971, "USD");
    assert_money(r->invoice.summary.amount_due, 471, "USD");
    assert_true(invoice_payable(&r->invoice.summary));
    assert_int_equal(r->invoice.n_payments, 2);
    assert_int_equal(r->invoice.payments[1].status, PAYMENT_REQUIRES_ACTION);
    assert_int_equal(r->n_services, 1);
    assert_int_equal(r->services[0].status, SERVICE_PENDING);
    assert_false(r->services[0].has_server);
    assert_false(r->services[0].has_cancellation);
    assert_int_equal(r->payment.id, 77);
    assert_int_equal(r->payment.status, PAYMENT_REQUIRES_ACTION);
    assert_string_equal(r->payment.gateway, "stripe");
    assert_money(r->payment.amount, 471, "USD");
    assert_money(r->payment.credits_applied, 500, "USD");
    assert_string_equal(r->payment.next_action_url,
                        "http://127.0.0.1:8420/sandbox/pay/ps_9fK2mQ7xL4vB8nR3tW6y");
    assert_false(payment_settled(&r->payment));
    checkout_result_free(&r);
    assert_null(r);
    free(body);
    EXPECT_FAIL(decode_checkout, struct checkout_result, checkout_result_free,
                "checkout_missing_next_action.json", CLIENT_ERR_JSON,
                "missing field data.payment.next_action");
    EXPECT_FAIL(decode_checkout, struct checkout_result, checkout_result_free,
                "error_out_of_stock.json", CLIENT_ERR_API, "sold out");
}

static void test_payment(void **state)
{
    struct payment *p = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("payment_paid.json", &len);

    (void)state;
    assert_int_equal(decode_payment(body, len, &p, &e), 0);
    assert_int_equal(p->status, PAYMENT_PAID);
    assert_true(payment_settled(p));
    assert_string_equal(p->next_action_url, "");
    assert_string_equal(p->expires_at, "");
    assert_string_equal(p->updated_at, "2025-06-01T12:01:40Z");
    payment_free(&p);
    free(body);

    body = fixture_load("payment_requires_action.json", &len);
    assert_int_equal(decode_payment(body, len, &p, &e), 0);
    assert_int_equal(p->invoice_id, 143);
    assert_string_equal(p->gateway, "paypal");
    assert_money(p->credits_applied, 0, "USD");
    assert_true(strstr(p->next_action_url, "/sandbox/pay/") != NULL);
    payment_free(&p);
    free(body);

    EXPECT_FAIL(decode_payment, struct payment, payment_free, "payment_unknown_status.json",
                CLIENT_ERR_JSON, "data.status: unknown payment status");
    EXPECT_FAIL(decode_payment, struct payment, payment_free, "payment_no_next_action.json",
                CLIENT_ERR_JSON, "missing field data.next_action");
}

static void test_price_changed(void **state)
{
    struct client_error e;
    size_t len;
    char *body = fixture_load("error_price_changed.json", &len);

    (void)state;
    decode_error(body, len, 409, &e);
    assert_int_equal(e.status, CLIENT_ERR_API);
    assert_int_equal(e.http_status, 409);
    assert_string_equal(e.code, "price_changed");
    assert_true(e.has_total);
    assert_money(e.total, 1078, "USD");
    assert_string_equal(client_error_detail(&e, "total"), "1078");
    assert_null(client_error_detail(&e, "minimum"));
    assert_null(client_error_detail(NULL, "total"));
    free(body);

    /* the total as a decimal string is not minor units: no total rather than a wrong one */
    body = fixture_load("error_price_changed_bad.json", &len);
    decode_error(body, len, 409, &e);
    assert_string_equal(e.code, "price_changed");
    assert_false(e.has_total);
    free(body);

    /* other codes carry their facts in details, but never a total */
    body = fixture_load("error_renewal_exists.json", &len);
    decode_error(body, len, 409, &e);
    assert_string_equal(e.code, "renewal_exists");
    assert_string_equal(client_error_detail(&e, "invoice_id"), "143");
    assert_false(e.has_total);
    free(body);

    body = fixture_load("error_out_of_stock.json", &len);
    decode_error(body, len, 409, &e);
    assert_string_equal(e.code, "out_of_stock");
    assert_string_equal(client_error_detail(&e, "cart_item.12"), "Iron: 0 left, 1 requested");
    free(body);

    body = fixture_load("error_precondition_failed.json", &len);
    decode_error(body, len, 412, &e);
    assert_int_equal(e.status, CLIENT_ERR_API);
    assert_string_equal(e.code, "precondition_failed");
    assert_int_equal(e.n_fields, 0);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote),       cmocka_unit_test(test_cart),
        cmocka_unit_test(test_cart_errors), cmocka_unit_test(test_checkout),
        cmocka_unit_test(test_payment),     cmocka_unit_test(test_price_changed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
