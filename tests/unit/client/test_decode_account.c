/* test_decode_account.c: order, service, invoice, credits, ledger and account decoders, and the
 * account enums, fed JSON fixtures. */
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

static void test_orders(void **state)
{
    struct order *o = NULL;
    struct order_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("order.json", &len);

    (void)state;
    assert_int_equal(decode_order(body, len, &o, &e), 0);
    assert_int_equal(o->status, ORDER_COMPLETED);
    assert_int_equal(o->user_id, 1);
    assert_int_equal(o->invoice_id, 142);
    assert_string_equal(o->items[0].product.slug, "mc-iron");
    assert_money(o->items[0].setup_fee, 0, "USD");
    assert_money(o->totals.total, 971, "USD");
    assert_string_equal(o->completed_at, "2025-06-01T12:01:41Z");
    assert_string_equal(o->cancelled_at, "");
    order_free(&o);
    assert_null(o);
    free(body);

    body = fixture_load("orders_page.json", &len);
    assert_int_equal(decode_orders(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 1);
    assert_int_equal(pg->meta.total, 1);
    assert_int_equal(pg->meta.per_page, 20);
    order_page_free(&pg);
    free(body);
    EXPECT_FAIL(decode_order, struct order, order_free, "order_bad_service_id.json",
                CLIENT_ERR_JSON, "data.items[0].service_ids[1]");
}

static void test_services(void **state)
{
    struct service_page *pg = NULL;
    struct service *s = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("services_page.json", &len);

    (void)state;
    assert_int_equal(decode_services(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_int_equal(pg->items[0].status, SERVICE_ACTIVE);
    assert_true(pg->items[0].has_server);
    assert_string_equal(pg->items[0].server.address, "203.0.113.24:25565");
    assert_string_equal(pg->items[0].server.node, "fra-02");
    assert_int_equal(pg->items[0].n_invoices, 0);
    assert_int_equal(pg->items[1].status, SERVICE_SUSPENDED);
    assert_string_equal(pg->items[1].suspension_reason, "overdue");
    assert_int_equal(pg->items[1].cycle, CYCLE_QUARTERLY);
    assert_int_equal(pg->items[1].n_options, 1);
    assert_int_equal(pg->items[1].options[0].value, 8192);
    assert_int_equal(pg->items[1].resources.memory_mb, 8192);
    assert_money(pg->items[1].recurring_price, 4797, "USD");
    assert_string_equal(pg->items[1].next_due_date, "2025-05-15");
    service_page_free(&pg);
    assert_null(pg);
    free(body);

    body = fixture_load("service_cancelling.json", &len);
    assert_int_equal(decode_service(body, len, &s, &e), 0);
    assert_true(s->has_cancellation);
    assert_int_equal(s->cancellation.type, CANCEL_END_OF_PERIOD);
    assert_string_equal(s->cancellation.reason, "Moving the community to a bigger plan.");
    assert_string_equal(s->cancellation.effective_at, "2025-07-01T00:00:00Z");
    assert_true(service_cancellation_pending(s));
    assert_int_equal(s->n_invoices, 2);
    assert_int_equal(s->invoices[0].kind, INVOICE_KIND_RENEWAL);
    assert_money(s->invoices[0].total, 1079, "USD");
    assert_string_equal(s->invoices[0].paid_at, "");
    assert_int_equal(s->invoices[1].status, INVOICE_PAID);
    service_free(&s);
    free(body);

    EXPECT_FAIL(decode_service, struct service, service_free, "service_unknown_status.json",
                CLIENT_ERR_JSON, "data.status: unknown service status");
    EXPECT_FAIL(decode_service, struct service, service_free, "service_server_no_address.json",
                CLIENT_ERR_JSON, "missing field data.server.address");
    EXPECT_FAIL(decode_service, struct service, service_free, "service_float_price.json",
                CLIENT_ERR_JSON, "data.recurring_price.amount");
}

static void test_invoices(void **state)
{
    struct invoice *inv = NULL;
    struct invoice_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("invoice_refunded.json", &len);

    (void)state;
    assert_int_equal(decode_invoice(body, len, &inv, &e), 0);
    assert_string_equal(inv->summary.number, "INV-2025-000142");
    assert_int_equal(inv->summary.status, INVOICE_PAID);
    assert_int_equal(inv->summary.kind, INVOICE_KIND_ORDER);
    assert_string_equal(inv->summary.issue_date, "2025-06-01");
    assert_false(invoice_payable(&inv->summary));
    assert_string_equal(inv->currency, "USD");
    assert_int_equal(inv->n_lines, 1);
    assert_string_equal(inv->lines[0].description, "Iron (Minecraft), monthly");
    assert_string_equal(inv->lines[0].period_start, "2025-06-01");
    assert_string_equal(inv->lines[0].period_end, "2025-06-30");
    assert_int_equal(inv->lines[0].service_id, 31);
    assert_int_equal(inv->totals.n_tax_lines, 1);
    assert_money(inv->amount_paid, 971, "USD");
    assert_money(inv->amount_refunded, 471, "USD");
    assert_money(inv->summary.amount_due, 0, "USD");
    assert_int_equal(inv->n_payments, 2);
    assert_string_equal(inv->payments[0].gateway, "credits");
    assert_int_equal(inv->n_refunds, 1);
    assert_false(inv->refunds[0].to_credits);
    assert_string_equal(inv->refunds[0].status, "succeeded");
    assert_money(inv->refunds[0].amount, 471, "USD");
    assert_int_equal(inv->order_id, 58);
    assert_int_equal(inv->service_id, 0);
    invoice_free(&inv);
    free(body);

    body = fixture_load("invoice_deposit.json", &len);
    assert_int_equal(decode_invoice(body, len, &inv, &e), 0);
    assert_int_equal(inv->summary.kind, INVOICE_KIND_DEPOSIT);
    assert_true(invoice_payable(&inv->summary));
    assert_string_equal(inv->lines[0].period_start, ""); /* period: null */
    assert_int_equal(inv->totals.n_tax_lines, 0);
    assert_string_equal(inv->coupon_code, "");
    invoice_free(&inv);
    free(body);

    body = fixture_load("invoices_page.json", &len);
    assert_int_equal(decode_invoices(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_int_equal(pg->items[0].status, INVOICE_PENDING);
    assert_string_equal(pg->items[0].due_date, "2025-07-01");
    assert_money(pg->items[1].amount_due, 0, "USD");
    assert_int_equal(pg->meta.total_pages, 1);
    invoice_page_free(&pg);
    free(body);

    EXPECT_FAIL(decode_invoice, struct invoice, invoice_free, "invoice_unknown_status.json",
                CLIENT_ERR_JSON, "data.status: unknown invoice status");
    EXPECT_FAIL(decode_invoice, struct invoice, invoice_free, "invoice_missing_items.json",
                CLIENT_ERR_JSON, "missing field data.items");
    EXPECT_FAIL(decode_invoice, struct invoice, invoice_free, "invoice_bad_currency.json",
                CLIENT_ERR_JSON, "data.amount_due.currency");
    EXPECT_FAIL(decode_invoices, struct invoice_page, invoice_page_free, "invoice_deposit.json",
                CLIENT_ERR_JSON, "field data: expected an array");
}

static void test_credits(void **state)
{
    struct credits *c = NULL;
    struct ledger_page *l = NULL;
    struct auth_user *u = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("credits.json", &len);

    (void)state;
    assert_int_equal(decode_credits(body, len, &c, &e), 0);
    assert_money(c->balance, 500, "USD");
    assert_true(c->enabled);
    assert_money(c->min_deposit, 500, "USD");
    assert_money(c->max_deposit, 50000, "USD");
    assert_int_equal(c->pending_deposit_invoice_id, 0);
    credits_free(&c);
    assert_null(c);
    free(body);
    EXPECT_FAIL(decode_credits, struct credits, credits_free, "credits_missing_enabled.json",
                CLIENT_ERR_JSON, "missing field data.enabled");

    body = fixture_load("ledger.json", &len);
    assert_int_equal(decode_ledger(body, len, &l, &e), 0);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->items[0].type, CREDIT_TX_SPEND);
    assert_money(l->items[0].amount, -500, "USD"); /* signed */
    assert_money(l->items[0].balance_after, 500, "USD");
    assert_int_equal(l->items[0].invoice_id, 125);
    assert_int_equal(l->items[1].type, CREDIT_TX_DEPOSIT);
    ledger_page_free(&l);
    free(body);
    EXPECT_FAIL(decode_ledger, struct ledger_page, ledger_page_free, "ledger_unknown_type.json",
                CLIENT_ERR_JSON, "data[1].type: unknown transaction type");

    body = fixture_load("user.json", &len);
    assert_int_equal(decode_user(body, len, &u, &e), 0);
    assert_int_equal(u->id, 1);
    assert_string_equal(u->email, "demo@example.com");
    assert_string_equal(u->name, "Demo Customer");
    auth_user_free(&u);
    assert_null(u);
    free(body);
    EXPECT_FAIL(decode_user, struct auth_user, auth_user_free, "categories.json", CLIENT_ERR_JSON,
                "field data: expected an object");
}

/* Each enum's names round-trip, and an unknown name is refused. */
#define CHECK_ENUM(prefix, type, count, sample, name)                                              \
    do {                                                                                           \
        type v_;                                                                                   \
        int i_;                                                                                    \
        for (i_ = 0; i_ < (count); i_++) {                                                         \
            assert_int_equal(prefix##_parse(prefix##_str((type)i_), &v_), 0);                      \
            assert_int_equal(v_, i_);                                                              \
            assert_true(prefix##_label((type)i_)[0] != '\0');                                      \
        }                                                                                          \
        assert_string_equal(prefix##_str(sample), name);                                           \
        assert_string_equal(prefix##_str((type)(count)), "unknown");                               \
        assert_string_equal(prefix##_label((type)(count)), "Unknown");                             \
        assert_int_equal(prefix##_parse("no_such_name", &v_), -1);                                 \
        assert_int_equal(prefix##_parse(NULL, &v_), -1);                                           \
    } while (0)

static void test_enums(void **state)
{
    (void)state;
    CHECK_ENUM(service_status, enum service_status, SERVICE_STATUS_COUNT, SERVICE_TERMINATED,
               "terminated");
    CHECK_ENUM(invoice_status, enum invoice_status, INVOICE_STATUS_COUNT, INVOICE_OVERDUE,
               "overdue");
    CHECK_ENUM(payment_status, enum payment_status, PAYMENT_STATUS_COUNT, PAYMENT_NOT_REQUIRED,
               "not_required");
    CHECK_ENUM(order_status, enum order_status, ORDER_STATUS_COUNT, ORDER_PENDING_APPROVAL,
               "pending_approval");
    CHECK_ENUM(invoice_kind, enum invoice_kind, INVOICE_KIND_COUNT, INVOICE_KIND_DEPOSIT,
               "deposit");
    CHECK_ENUM(credit_tx_type, enum credit_tx_type, CREDIT_TX_TYPE_COUNT, CREDIT_TX_ADJUSTMENT,
               "adjustment");
    CHECK_ENUM(cancellation_type, enum cancellation_type, CANCELLATION_TYPE_COUNT,
               CANCEL_END_OF_PERIOD, "end_of_period");
    assert_string_equal(invoice_status_label(INVOICE_PENDING), "Unpaid");
    assert_int_equal(service_status_parse("Active", NULL), -1); /* API names are lower case */
}

static void test_free_null(void **state)
{
    struct quote *q = NULL;
    struct cart *c = NULL;
    struct checkout_result *r = NULL;
    struct payment *p = NULL;
    struct order *o = NULL;
    struct order_page *op = NULL;
    struct service *s = NULL;
    struct service_page *sp = NULL;
    struct invoice *i = NULL;
    struct invoice_page *ip = NULL;
    struct credits *cr = NULL;
    struct ledger_page *l = NULL;
    struct auth_user *u = NULL;

    (void)state;
    quote_free(&q);
    cart_free(&c);
    checkout_result_free(&r);
    payment_free(&p);
    order_free(&o);
    order_page_free(&op);
    service_free(&s);
    service_page_free(&sp);
    invoice_free(&i);
    invoice_page_free(&ip);
    credits_free(&cr);
    ledger_page_free(&l);
    auth_user_free(&u);
    quote_free(NULL);
    cart_free(NULL);
    checkout_result_free(NULL);
    invoice_free(NULL);
    service_clear(NULL);
    totals_clear(NULL);
    assert_true(cart_empty(NULL));
    assert_false(payment_settled(NULL));
    assert_false(invoice_payable(NULL));
    assert_false(service_cancellation_pending(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders),   cmocka_unit_test(test_services),
        cmocka_unit_test(test_invoices), cmocka_unit_test(test_credits),
        cmocka_unit_test(test_enums),    cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
