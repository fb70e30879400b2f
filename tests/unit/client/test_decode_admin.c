/* test_decode_admin.c: the operator endpoints' decoders (accounts, refunds, ledger entries, the
 * audit log) fed JSON fixtures, API-key checks, and the requests that refuse bad arguments before
 * anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "client/types_admin.h"
#include "fixtures.h"

#define assert_money(m, amt, cur)                                                                  \
    do {                                                                                           \
        assert_int_equal((m).amount, (amt));                                                       \
        assert_string_equal((m).currency, (cur));                                                  \
    } while (0)

static void test_user(void **state)
{
    struct admin_user *u = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_user.json", &len);

    (void)state;
    assert_int_equal(decode_admin_user(body, len, &u, &e), 0);
    assert_int_equal(u->id, 12);
    assert_string_equal(u->email, "alice@example.com");
    assert_string_equal(u->name, "Alice Åberg");
    assert_string_equal(u->role, "customer");
    assert_string_equal(u->last_login_at, ""); /* null */
    assert_int_equal(u->n_ssh_keys, 1);
    assert_string_equal(u->ssh_keys[0].fingerprint,
                        "SHA256:LAazDM1vXgRdh1N2b3Hj8oQwZ0y5Ck7e4UfTq9sPmVw");
    assert_string_equal(u->ssh_keys[0].key_type, "ssh-ed25519");
    assert_string_equal(u->ssh_keys[0].comment, "alice@laptop");
    assert_money(u->credit_balance, 1250, "USD");
    assert_int_equal(u->active_services, 2);
    assert_int_equal(u->unpaid_invoices, 1);
    assert_true(u->has_total_due);
    assert_money(u->total_due, 959, "USD");
    assert_string_equal(u->next_due_date, "2025-07-02");
    admin_user_free(&u);
    assert_null(u);
    free(body);

    EXPECT_FAIL(decode_admin_user, struct admin_user, admin_user_free,
                "admin_user_negative_count.json", CLIENT_ERR_JSON, "data.unpaid_invoices");
    EXPECT_FAIL(decode_admin_user, struct admin_user, admin_user_free, "admin_user_bad_key.json",
                CLIENT_ERR_JSON, "data.ssh_keys[0].fingerprint");
    EXPECT_FAIL(decode_admin_user, struct admin_user, admin_user_free, "error_forbidden.json",
                CLIENT_ERR_API, "operator account");
}

static void test_users_page(void **state)
{
    struct admin_user_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_users_page.json", &len);

    (void)state;
    assert_int_equal(decode_admin_users(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_int_equal(pg->meta.total, 2);
    assert_string_equal(pg->items[0].role, "admin");
    assert_int_equal(pg->items[0].n_ssh_keys, 0);
    assert_string_equal(pg->items[0].next_due_date, "");
    assert_int_equal(pg->items[1].id, 12);
    assert_money(pg->items[1].credit_balance, 1250, "USD");
    admin_user_page_free(&pg);
    assert_null(pg);
    free(body);

    /* no total_due: none, in the balance's currency */
    static const char no_due[] =
        "{\"data\":{\"id\":3,\"email\":\"c@example.com\",\"name\":\"C\","
        "\"role\":\"customer\",\"credit_balance\":{\"amount\":0,"
        "\"currency\":\"EUR\"},\"active_services\":0,\"unpaid_invoices\":0}}";
    struct admin_user *u = NULL;
    assert_int_equal(decode_admin_user(no_due, sizeof no_due - 1, &u, &e), 0);
    assert_false(u->has_total_due);
    assert_money(u->total_due, 0, "EUR");
    admin_user_free(&u);

    EXPECT_FAIL(decode_admin_users, struct admin_user_page, admin_user_page_free,
                "admin_users_missing_balance.json", CLIENT_ERR_JSON, "data[1].credit_balance");
}

static void test_refund_result(void **state)
{
    struct refund_result *r = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_refund_result.json", &len);

    (void)state;
    assert_int_equal(decode_refund_result(body, len, &r, &e), 0);
    assert_int_equal(r->refund.id, 5);
    assert_money(r->refund.amount, 471, "USD");
    assert_string_equal(r->refund.reason,
                        "Server could not be provisioned in the requested region.");
    assert_false(r->refund.to_credits);
    assert_string_equal(r->refund.gateway, "stripe");
    assert_int_equal(r->invoice.summary.status, INVOICE_REFUNDED);
    assert_money(r->invoice.amount_refunded, 471, "USD");
    assert_int_equal(r->invoice.n_refunds, 1);
    assert_false(r->replayed);
    refund_result_free(&r);
    assert_null(r);
    free(body);

    EXPECT_FAIL(decode_refund_result, struct refund_result, refund_result_free,
                "admin_refund_missing_invoice.json", CLIENT_ERR_JSON, "data.invoice");
}

static void test_credit_tx(void **state)
{
    struct credit_tx *t = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_credit_tx.json", &len);

    (void)state;
    assert_int_equal(decode_credit_tx(body, len, &t, &e), 0);
    assert_int_equal(t->id, 88);
    assert_int_equal(t->type, CREDIT_TX_ADJUSTMENT);
    assert_money(t->amount, -500, "USD");
    assert_money(t->balance_after, 750, "USD");
    assert_string_equal(t->description, "Chargeback on INV-2025-000140.");
    assert_int_equal(t->invoice_id, 0);
    credit_tx_free(&t);
    assert_null(t);
    free(body);
}

static void test_audit_log(void **state)
{
    struct audit_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_audit_log.json", &len);

    (void)state;
    assert_int_equal(decode_audit_log(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 3);
    assert_string_equal(pg->items[0].actor_type, "api_key");
    assert_int_equal(pg->items[0].actor_id, 4);
    assert_int_equal(pg->items[0].actor_user_id, 2);
    assert_string_equal(pg->items[0].action, "invoice.refund");
    assert_string_equal(pg->items[0].target_type, "invoice");
    assert_int_equal(pg->items[0].target_id, 142);
    assert_string_equal(pg->items[0].reason,
                        "Server could not be provisioned in the requested region.");
    assert_string_equal(pg->items[1].actor_type, "system");
    assert_int_equal(pg->items[1].actor_id, 0);
    assert_string_equal(pg->items[1].reason, "");
    assert_int_equal(pg->items[2].target_id, 0); /* settings: no id */
    audit_page_free(&pg);
    assert_null(pg);
    free(body);

    EXPECT_FAIL(decode_audit_log, struct audit_page, audit_page_free,
                "admin_audit_missing_actor.json", CLIENT_ERR_JSON, "data[1].actor");
}

static void test_api_key(void **state)
{
    struct client_error e;
    struct client_config cfg = {.base_url = "http://127.0.0.1:9"};
    struct client *c = client_new(&cfg, &e);
    const char *good = "bp_Xw4rT9mK2qLs7VbN3cHy8JdE5fGu1aPz0RkW6oIe";

    (void)state;
    assert_non_null(c);
    assert_true(client_api_key_valid(good));
    assert_false(client_api_key_valid(NULL));
    assert_false(client_api_key_valid(""));
    assert_false(client_api_key_valid("bp_short"));
    assert_false(client_api_key_valid("xx_Xw4rT9mK2qLs7VbN3cHy8JdE5fGu1aPz0RkW6oIe"));
    assert_false(client_api_key_valid("bp_Xw4rT9mK2qLs7VbN3cHy8JdE5fGu1aPz0RkW6o-e"));
    assert_false(client_api_key_valid("bp_Xw4rT9mK2qLs7VbN3cHy8JdE5fGu1aPz0RkW6oIe\n"));
    assert_false(client_signed_in(c));
    assert_int_equal(client_use_api_key(c, "bp_nope"), -1);
    assert_false(client_signed_in(c));
    assert_int_equal(client_use_api_key(c, good), 0);
    assert_true(client_signed_in(c));
    client_free(&c);
}

/* Bad arguments never reach the server: 0 and no callback. */
static void test_requests_refused_locally(void **state)
{
    struct client_error e;
    struct client_config cfg = {.base_url = "http://127.0.0.1:9"};
    struct client *c = client_new(&cfg, &e);
    const char *key = "5b0ed1b1-7d55-4c4c-9d3b-6f1f0f5b7a10";
    struct money five = {500, "USD"}, zero = {0, "USD"};
    struct admin_refund_request full = {.full = true, .reason = "Outage.", .idempotency_key = key};
    struct admin_refund_request no_reason = full, part = full, bad_part = full;

    (void)state;
    assert_non_null(c);
    no_reason.reason = "";
    part.full = false;
    part.amount = five;
    bad_part.full = false;
    bad_part.amount = zero;
    /* a reason is required by every action */
    assert_int_equal(client_admin_refund_invoice(c, 7, &no_reason, NULL, NULL), 0);
    assert_int_equal(client_admin_adjust_credits(c, 1, &five, "", key, NULL, NULL), 0);
    assert_int_equal(client_admin_adjust_credits(c, 1, &five, NULL, key, NULL, NULL), 0);
    assert_int_equal(client_admin_suspend_service(c, 3, "", NULL, NULL), 0);
    assert_int_equal(client_admin_unsuspend_service(c, 3, NULL, NULL, NULL), 0);
    assert_int_equal(client_admin_approve_order(c, 4, "", NULL, NULL), 0);
    /* amounts, ids and keys */
    assert_int_equal(client_admin_refund_invoice(c, 7, &bad_part, NULL, NULL), 0);
    assert_int_equal(client_admin_adjust_credits(c, 1, &zero, "Why.", key, NULL, NULL), 0);
    assert_int_equal(client_admin_adjust_credits(c, 1, &five, "Why.", NULL, NULL, NULL), 0);
    assert_int_equal(client_admin_refund_invoice(c, 0, &full, NULL, NULL), 0);
    assert_int_equal(client_admin_get_user(c, 0, NULL, NULL), 0);
    assert_int_equal(client_admin_get_user_services(c, -1, NULL, NULL, NULL), 0);
    assert_int_equal(client_pending(c), 0);
    /* well-formed ones are queued */
    assert_true(client_admin_refund_invoice(c, 7, &full, NULL, NULL) != 0);
    assert_true(client_admin_refund_invoice(c, 7, &part, NULL, NULL) != 0);
    assert_true(client_admin_adjust_credits(c, 1, &five, "Goodwill.", key, NULL, NULL) != 0);
    struct admin_user_query q = {.q = "SHA256:LAaz/+=", .page = 2};
    assert_true(client_admin_search_users(c, &q, NULL, NULL) != 0);
    assert_true(client_admin_get_audit_log(c, NULL, NULL, NULL) != 0);
    assert_int_equal(client_pending(c), 5);
    client_free(&c);
}

static void test_free_null(void **state)
{
    (void)state;
    admin_user_free(NULL);
    admin_user_page_free(NULL);
    refund_result_free(NULL);
    credit_tx_free(NULL);
    audit_page_free(NULL);
    admin_user_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user),
        cmocka_unit_test(test_users_page),
        cmocka_unit_test(test_refund_result),
        cmocka_unit_test(test_credit_tx),
        cmocka_unit_test(test_audit_log),
        cmocka_unit_test(test_api_key),
        cmocka_unit_test(test_requests_refused_locally),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
