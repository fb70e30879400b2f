/* test_decode_shop.c: coupons and settings read and written through their field tables, fed JSON
 * fixtures; requests with bad arguments refused before anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "client/record_json.h"
#include "client/types_shop.h"
#include "fixtures.h"

#define assert_money(m, amt, cur)                                                                  \
    do {                                                                                           \
        assert_int_equal((m).amount, (amt));                                                       \
        assert_string_equal((m).currency, (cur));                                                  \
    } while (0)

static void test_coupons_page(void **state)
{
    struct coupon_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_coupons_page.json", &len);

    (void)state;
    assert_int_equal(decode_coupons(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_int_equal(pg->meta.total, 2);
    const struct coupon *s = &pg->items[0], *f = &pg->items[1];
    assert_int_equal(s->id, 4);
    assert_string_equal(s->code, "SUMMER25");
    assert_string_equal(s->type, "percent");
    assert_int_equal(s->percent_bps, 2500);
    assert_int_equal(s->amount_off.amount, 0); /* null */
    assert_string_equal(s->duration, "repeating");
    assert_int_equal(s->duration_cycles, 3);
    assert_string_equal(s->starts_at, "2025-06-01T00:00:00Z");
    assert_string_equal(s->ends_at, "2025-08-31T23:59:59Z");
    assert_int_equal(s->max_uses, 200);
    assert_true(s->once_per_customer);
    assert_int_equal(s->product_ids.n, 6);
    assert_int_equal(s->product_ids.v[5], 7);
    assert_int_equal(s->cycles.n, 1);
    assert_string_equal(s->cycles.v[0], "monthly");
    assert_int_equal(s->uses, 37);
    assert_false(s->disabled);
    assert_string_equal(s->created_at, "2025-05-28T10:00:00Z");
    assert_string_equal(f->type, "fixed");
    assert_int_equal(f->percent_bps, 0);
    assert_money(f->amount_off, 500, "USD");
    assert_money(f->minimum_subtotal, 2000, "USD");
    assert_string_equal(f->starts_at, "");
    assert_int_equal(f->max_uses, 0);
    assert_int_equal(f->product_ids.n, 0);
    assert_null(f->product_ids.v);
    assert_true(f->disabled);
    coupon_page_free(&pg);
    assert_null(pg);
    free(body);
}

/* A switched-off coupon keeps its dates and uses. */
static void test_coupon_disabled(void **state)
{
    struct coupon *c = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_coupon_disabled.json", &len);

    (void)state;
    assert_int_equal(decode_coupon(body, len, &c, &e), 0);
    assert_string_equal(c->code, "SPRING15");
    assert_true(c->disabled);
    assert_string_equal(c->starts_at, "2025-03-01T00:00:00Z");
    assert_string_equal(c->ends_at, "2025-05-31T23:59:59Z");
    assert_int_equal(c->max_uses, 100);
    assert_int_equal(c->uses, 12);
    coupon_free(&c);
    assert_null(c);
    free(body);
}

static void test_coupon_broken(void **state)
{
    (void)state;
    EXPECT_FAIL(decode_coupon, struct coupon, coupon_free, "admin_coupon_bad_disabled.json",
                CLIENT_ERR_JSON, "data.disabled");
    EXPECT_FAIL(decode_coupon, struct coupon, coupon_free, "admin_coupon_bad_product.json",
                CLIENT_ERR_JSON, "data.product_ids[1]");
    EXPECT_FAIL(decode_coupon, struct coupon, coupon_free, "admin_coupon_missing_code.json",
                CLIENT_ERR_JSON, "data.code");
    EXPECT_FAIL(decode_coupons, struct coupon_page, coupon_page_free, "error_forbidden.json",
                CLIENT_ERR_API, "operator account");
}

static void test_settings(void **state)
{
    struct shop_settings *s = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_settings.json", &len);

    (void)state;
    assert_int_equal(decode_shop_settings(body, len, &s, &e), 0);
    assert_string_equal(s->currency_code, "EUR");
    assert_string_equal(s->currency_symbol, "€");
    assert_int_equal(s->currency_exponent, 2);
    assert_true(s->tax_enabled);
    assert_string_equal(s->tax_name, "VAT");
    assert_int_equal(s->tax_rate_bps, 1900);
    assert_true(s->tax_inclusive);
    assert_int_equal(s->gateways.n, 2);
    assert_string_equal(s->gateways.v[1], "paypal");
    assert_money(s->credits_min_deposit, 500, "EUR");
    assert_money(s->credits_max_deposit, 100000, "EUR");
    assert_false(s->auto_activate);
    assert_int_equal(s->auto_suspend_days, 7);
    assert_int_equal(s->auto_terminate_days, 30);
    assert_int_equal(s->renewal_invoice_days, 14);
    assert_true(s->billing_licensed);
    shop_settings_free(&s);
    assert_null(s);
    free(body);

    EXPECT_FAIL(decode_shop_settings, struct shop_settings, shop_settings_free,
                "admin_settings_bad_tax.json", CLIENT_ERR_JSON, "data.tax.rate_bps");
    EXPECT_FAIL(decode_shop_settings, struct shop_settings, shop_settings_free,
                "admin_settings_missing_tax.json", CLIENT_ERR_JSON, "data.tax");
    /* the server's refusal of a change keeps its field details */
    size_t elen;
    char *ebody = fixture_load("error_settings_validation.json", &elen);
    s = (struct shop_settings *)0x1;
    assert_int_equal(decode_shop_settings(ebody, elen, &s, &e), -1);
    assert_null(s);
    assert_int_equal(e.status, CLIENT_ERR_API);
    assert_string_equal(e.code, "validation_failed");
    assert_string_equal(client_error_detail(&e, "tax.rate_bps"),
                        "must be an integer from 0 to 10000");
    free(ebody);
}

/* Only the masked members go out; nested names build their object; zero nullable is null. */
static void test_write_members(void **state)
{
    struct shop_settings s = {.tax_rate_bps = 2000, .auto_activate = true};
    struct coupon c = {
        .code = "SPRING", .type = "fixed", .duration = "once", .amount_off = {250, "USD"}};
    char *text;
    cJSON *obj;

    (void)state;
    obj = record_json(&shop_settings_table, &s,
                      1u << SETTING_TAX_RATE_BPS | 1u << SETTING_AUTO_ACTIVATE);
    assert_non_null(obj);
    text = cJSON_PrintUnformatted(obj);
    assert_string_equal(text, "{\"tax\":{\"rate_bps\":2000},\"auto_activate\":true}");
    free(text);
    cJSON_Delete(obj);

    obj = record_json(&coupon_table, &c,
                      1u << COUPON_F_CODE | 1u << COUPON_F_TYPE | 1u << COUPON_F_AMOUNT_OFF |
                          1u << COUPON_F_DURATION | 1u << COUPON_F_ENDS_AT);
    assert_non_null(obj);
    text = cJSON_PrintUnformatted(obj);
    assert_string_equal(text, "{\"code\":\"SPRING\",\"type\":\"fixed\",\"amount_off\":{\"amount\":"
                              "250,\"currency\":\"USD\"},\"duration\":\"once\",\"ends_at\":null}");
    free(text);
    cJSON_Delete(obj);
    /* the server's own members and bits beyond the table are never written */
    /* the switch goes out alone, leaving the dates as they are */
    c.disabled = true;
    obj = record_json(&coupon_table, &c, 1u << COUPON_F_DISABLED);
    assert_non_null(obj);
    text = cJSON_PrintUnformatted(obj);
    assert_string_equal(text, "{\"disabled\":true}");
    free(text);
    cJSON_Delete(obj);
    c.disabled = false;
    obj = record_json(&coupon_table, &c, 1u << COUPON_F_DISABLED);
    text = cJSON_PrintUnformatted(obj);
    assert_string_equal(text, "{\"disabled\":false}");
    free(text);
    cJSON_Delete(obj);
    assert_null(record_json(&coupon_table, &c, 1u << COUPON_F_USES));
    assert_null(record_json(&shop_settings_table, &s, 1u << SETTING_COUNT));
    assert_null(record_json(&shop_settings_table, &s, 0));
}

static void test_requests_refused_locally(void **state)
{
    struct client_error e;
    struct client_config cfg = {.base_url = "http://127.0.0.1:9"};
    struct client *c = client_new(&cfg, &e);
    struct coupon v = {.code = "X", .type = "percent", .duration = "once", .percent_bps = 10};
    struct shop_settings s = {.auto_suspend_days = 3};

    (void)state;
    assert_non_null(c);
    assert_int_equal(client_admin_update_coupon(c, 0, &v, 1u << COUPON_F_CODE, NULL, NULL), 0);
    assert_int_equal(client_admin_update_coupon(c, 4, &v, 0, NULL, NULL), 0);
    assert_int_equal(client_admin_update_coupon(c, 4, NULL, 1u << COUPON_F_CODE, NULL, NULL), 0);
    assert_int_equal(client_admin_create_coupon(c, &v, 1u << COUPON_F_ID, NULL, NULL), 0);
    assert_int_equal(client_admin_delete_coupon(c, -2, NULL, NULL), 0);
    assert_int_equal(client_admin_update_settings(c, &s, 0, NULL, NULL), 0);
    assert_int_equal(client_pending(c), 0);
    assert_true(client_admin_create_coupon(c, &v,
                                           1u << COUPON_F_CODE | 1u << COUPON_F_TYPE |
                                               1u << COUPON_F_PERCENT_BPS | 1u << COUPON_F_DURATION,
                                           NULL, NULL) != 0);
    assert_true(client_admin_update_settings(c, &s, 1u << SETTING_AUTO_SUSPEND_DAYS, NULL, NULL) !=
                0);
    struct coupon_query q = {.q = "summer 25%", .page = 2, .per_page = 10};
    assert_true(client_admin_get_coupons(c, &q, NULL, NULL) != 0);
    assert_true(client_admin_get_settings(c, NULL, NULL) != 0);
    assert_true(client_admin_delete_coupon(c, 4, NULL, NULL) != 0);
    assert_int_equal(client_pending(c), 5);
    client_free(&c);
}

static void test_free_null(void **state)
{
    (void)state;
    coupon_free(NULL);
    coupon_page_free(NULL);
    coupon_clear(NULL);
    shop_settings_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coupons_page),  cmocka_unit_test(test_coupon_disabled),
        cmocka_unit_test(test_coupon_broken), cmocka_unit_test(test_settings),
        cmocka_unit_test(test_write_members), cmocka_unit_test(test_requests_refused_locally),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
