/* test_decode_plan.c: plan change quotes, changes and their lists read through their field
 * tables, fed JSON fixtures; requests with bad arguments refused before anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "client/types_plan.h"
#include "fixtures.h"

#define assert_option(o, res, v)                                                                   \
    do {                                                                                           \
        assert_string_equal((o).resource, (res));                                                  \
        assert_int_equal((o).value, (v));                                                          \
    } while (0)

#define assert_money(m, amt, cur)                                                                  \
    do {                                                                                           \
        assert_int_equal((m).amount, (amt));                                                       \
        assert_string_equal((m).currency, (cur));                                                  \
    } while (0)

static void test_quote(void **state)
{
    struct plan_quote *q = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("plan_quote.json", &len);

    (void)state;
    assert_int_equal(decode_plan_quote(body, len, &q, &e), 0);
    assert_int_equal(q->service_id, 31);
    assert_int_equal(q->from.product_id, 7);
    assert_string_equal(q->to.product_name, "Flex Memory");
    assert_string_equal(q->to.cycle, "monthly");
    assert_money(q->from.recurring_price, 1000, "USD");
    assert_money(q->to.recurring_price, 1900, "USD");
    /* a resource-only change: the same product and cycle, the memory it has and will have */
    assert_int_equal(q->from.n_options, 1);
    assert_option(q->from.options[0], "memory_mb", 4096);
    assert_int_equal(q->to.n_options, 1);
    assert_option(q->to.options[0], "memory_mb", 8192);
    assert_string_equal(q->direction, "upgrade");
    assert_string_equal(q->timing, "on_payment");
    assert_string_equal(q->effective_date, "");
    assert_string_equal(q->period_start, "2025-03-10");
    assert_string_equal(q->period_end, "2025-04-09");
    assert_int_equal(q->seconds_left, 1771200);
    assert_int_equal(q->period_seconds, 2678400);
    assert_money(q->credit, 661, "USD");
    assert_money(q->charge, 1256, "USD");
    assert_money(q->net, 595, "USD");
    assert_money(q->tax, 119, "USD");
    assert_money(q->total, 714, "USD");
    assert_money(q->credits_to_apply, 250, "USD");
    assert_money(q->due_now, 464, "USD");
    assert_string_equal(q->next_renewal_date, "2025-04-10");
    assert_money(q->next_renewal_amount, 1900, "USD");
    plan_quote_free(&q);
    assert_null(q);
    free(body);
}

static void test_quote_broken(void **state)
{
    struct plan_quote *q = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("plan_quote_missing_due_now.json", &len);

    (void)state;
    assert_int_equal(decode_plan_quote(body, len, &q, &e), -1);
    assert_null(q);
    assert_int_equal(e.status, CLIENT_ERR_JSON);
    assert_non_null(strstr(e.message, "due_now"));
    free(body);
}

static void test_change_result_and_list(void **state)
{
    struct plan_change *c = NULL;
    struct plan_change_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("plan_change_result.json", &len);

    (void)state;
    assert_int_equal(decode_plan_change_result(body, len, &c, &e), 0);
    assert_int_equal(c->id, 4);
    assert_string_equal(c->status, "pending_payment");
    assert_int_equal(c->invoice_id, 143);
    assert_money(c->total, 714, "USD");
    assert_string_equal(c->applied_at, "");
    plan_change_free(&c);
    free(body);
    body = fixture_load("plan_changes_page.json", &len);
    assert_int_equal(decode_plan_changes(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_int_equal(pg->meta.total, 2);
    assert_string_equal(pg->items[0].timing, "next_renewal");
    assert_string_equal(pg->items[0].effective_date, "2025-04-10");
    assert_int_equal(pg->items[0].invoice_id, 0);
    /* the waiting change's resources, each in the order the server gave them */
    assert_int_equal(pg->items[0].from.n_options, 2);
    assert_option(pg->items[0].from.options[1], "disk_mb", 20480);
    assert_int_equal(pg->items[0].to.n_options, 2);
    assert_option(pg->items[0].to.options[0], "memory_mb", 2048);
    assert_option(pg->items[0].to.options[1], "disk_mb", 10240);
    assert_int_equal(pg->items[1].to.n_options, 1);
    assert_option(pg->items[1].to.options[0], "memory_mb", 8192);
    plan_change_page_free(&pg);
    assert_null(pg);
    free(body);
}

/* The quote fixture with its first `from` replaced by `to`. */
static char *quote_with(const char *from, const char *to, size_t *len)
{
    char *body = fixture_load("plan_quote.json", len);
    char *at = strstr(body, from);
    char *out = malloc(*len + strlen(to) + 1);

    assert_non_null(at);
    assert_non_null(out);
    sprintf(out, "%.*s%s%s", (int)(at - body), body, to, at + strlen(from));
    *len = strlen(out);
    free(body);
    return out;
}

static void test_options(void **state)
{
    static const struct {
        const char *to, *needle; /* NULL needle: decoded */
    } cases[] = {
        {"\"options\": {\"memory_mb\": -1024}", "must not be negative"},
        {"\"options\": {\"memory_mb\": \"8192\"}", "memory_mb"},
        {"\"options\": [8192]", "options"},
        {"\"options\": {}", NULL},
        {"\"options\": null", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct plan_quote *q = (struct plan_quote *)0x1;
        struct client_error e;
        size_t len;
        char *body = quote_with("\"options\": {\"memory_mb\": 8192}", cases[i].to, &len);
        int rc = decode_plan_quote(body, len, &q, &e);
        if (cases[i].needle) {
            assert_int_equal(rc, -1);
            assert_null(q);
            assert_int_equal(e.status, CLIENT_ERR_JSON);
            if (!strstr(e.message, cases[i].needle) || !strstr(e.message, "data.to.options"))
                fail_msg("%s: message '%s' lacks '%s'", cases[i].to, e.message, cases[i].needle);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(q->to.n_options, 0); /* no resources to change */
            assert_int_equal(q->from.n_options, 1);
        }
        plan_quote_free(&q);
        free(body);
    }
}

static void test_requests_refused_locally(void **state)
{
    struct client_error e;
    struct client_config cfg = {.base_url = "http://127.0.0.1:9"};
    struct client *c = client_new(&cfg, &e);
    struct option_choice mem = {"memory_mb", 8192};
    struct plan_target t = {.options = &mem, .n_options = 1};
    struct money total = {714, "USD"};

    (void)state;
    assert_non_null(c);
    assert_int_equal(client_quote_plan_change(c, 0, &t, true, NULL, NULL), 0);
    assert_int_equal(client_quote_plan_change(c, 31, NULL, true, NULL, NULL), 0);
    assert_int_equal(client_change_plan(c, 31, &t, &total, NULL, NULL, NULL), 0);
    assert_int_equal(client_change_plan(c, 31, &t, NULL, "key-1", NULL, NULL), 0);
    assert_int_equal(client_withdraw_plan_change(c, 31, 0, NULL, NULL), 0);
    assert_int_equal(client_pending(c), 0);
    assert_true(client_quote_plan_change(c, 31, &t, true, NULL, NULL) != 0);
    assert_true(client_change_plan(c, 31, &t, &total, "key-1", NULL, NULL) != 0);
    assert_true(client_withdraw_plan_change(c, 31, 4, NULL, NULL) != 0);
    assert_true(client_get_plan_changes(c, 31, NULL, NULL) != 0);
    assert_int_equal(client_pending(c), 4);
    client_free(&c);
}

static void test_free_null(void **state)
{
    (void)state;
    plan_quote_free(NULL);
    plan_change_free(NULL);
    plan_change_page_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_quote_broken),
        cmocka_unit_test(test_change_result_and_list),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_requests_refused_locally),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
