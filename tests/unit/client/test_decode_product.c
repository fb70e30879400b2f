/* test_decode_product.c: the product and product-page decoders, fed JSON fixtures. */
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

static void test_product_fixed(void **state)
{
    struct product *p = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("product_fixed.json", &len);

    (void)state;
    assert_int_equal(decode_product(body, len, &p, &e), 0);
    assert_int_equal(p->id, 3);
    assert_string_equal(p->slug, "mc-iron");
    assert_string_equal(p->category_slug, "minecraft");
    assert_string_equal(p->description, "A few sentences.\nMay hold paragraphs.");
    assert_int_equal(p->resources.memory_mb, 4096);
    assert_int_equal(p->resources.cpu_percent, 200);
    assert_int_equal(p->resources.allocations, 1);
    assert_int_equal(p->pricing_model, PRICING_FIXED);
    assert_int_equal(p->n_options, 0);
    assert_int_equal(p->n_cycles, 2);
    assert_int_equal(p->cycles[1].cycle, CYCLE_ANNUAL);
    assert_int_equal(p->cycles[1].months, 12);
    assert_int_equal(p->cycles[1].price.amount, 8990);
    assert_string_equal(p->cycles[1].price.currency, "USD");
    assert_int_equal(p->cycles[1].setup_fee.amount, 500);
    assert_int_equal(p->from_price.amount, 899);
    assert_int_equal(p->from_cycle, CYCLE_MONTHLY);
    assert_true(p->stock.limited);
    assert_int_equal(p->stock.available, 3);
    assert_false(product_sold_out(p));
    product_free(&p);
    assert_null(p);
    free(body);
}

static void test_product_per_gb_memory(void **state)
{
    struct product *p = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("product_per_gb_memory.json", &len);

    (void)state;
    assert_int_equal(decode_product(body, len, &p, &e), 0);
    assert_int_equal(p->pricing_model, PRICING_PER_GB_MEMORY);
    assert_int_equal(p->n_options, 1);
    assert_string_equal(p->options[0].resource, "memory_mb");
    assert_string_equal(p->options[0].label, "Memory");
    assert_string_equal(p->options[0].unit, "GB");
    assert_int_equal(p->options[0].unit_size, 1024);
    assert_int_equal(p->options[0].min, 1024);
    assert_int_equal(p->options[0].max, 16384);
    assert_int_equal(p->options[0].step, 1024);
    assert_int_equal(p->options[0].def, 4096);
    assert_int_equal(p->options[0].unit_price.amount, 200);
    assert_int_equal(p->cycles[1].cycle, CYCLE_QUARTERLY);
    /* "available": null with an unlimited stock */
    assert_false(p->stock.limited);
    assert_int_equal(p->stock.available, 0);
    assert_false(product_sold_out(p));
    product_free(&p);
    free(body);
}

static void test_product_per_gb_disk(void **state)
{
    struct product *p = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("product_per_gb_disk.json", &len);

    (void)state;
    assert_int_equal(decode_product(body, len, &p, &e), 0);
    assert_int_equal(p->pricing_model, PRICING_PER_GB_DISK);
    assert_string_equal(p->options[0].label, "disk_mb"); /* label defaults to the resource */
    assert_int_equal(p->options[0].def, 10240);          /* default defaults to min */
    assert_string_equal(p->short_description, "");
    assert_int_equal(p->resources.databases, 0);
    assert_int_equal(p->cycles[0].cycle, CYCLE_SEMI_ANNUAL);
    assert_int_equal(p->cycles[0].months, 6); /* months default from the cycle */
    assert_int_equal(p->cycles[0].setup_fee.amount, 0);
    assert_string_equal(p->cycles[0].setup_fee.currency, "EUR");
    assert_int_equal(p->cycles[1].months, 24);
    assert_string_equal(p->cycles[1].setup_fee.currency, "EUR");
    /* no from_*: the first cycle stands in */
    assert_int_equal(p->from_price.amount, 1500);
    assert_string_equal(p->from_price.currency, "EUR");
    assert_int_equal(p->from_cycle, CYCLE_SEMI_ANNUAL);
    assert_true(product_sold_out(p));
    product_free(&p);
    free(body);
}

static void test_product_configurable(void **state)
{
    struct product *p = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("product_configurable.json", &len);

    (void)state;
    assert_int_equal(decode_product(body, len, &p, &e), 0);
    assert_int_equal(p->pricing_model, PRICING_CONFIGURABLE);
    assert_int_equal(p->n_options, 3);
    assert_string_equal(p->options[1].resource, "cpu_percent");
    assert_string_equal(p->options[1].unit, "%");
    assert_int_equal(p->options[2].min, 0);
    assert_int_equal(p->options[2].unit_price.amount, 50);
    assert_string_equal(p->options[2].unit_price.currency, "JPY");
    assert_int_equal(p->cycles[0].cycle, CYCLE_ONE_TIME);
    assert_int_equal(p->from_price.amount, 650);
    product_free(&p);
    free(body);
}

static void test_products_page(void **state)
{
    struct product_page *pg = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("products_page.json", &len);

    (void)state;
    assert_int_equal(decode_products(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_string_equal(pg->items[0].name, "Iron");
    assert_string_equal(pg->items[1].name, "Gold");
    assert_int_equal(pg->items[1].from_cycle, CYCLE_QUARTERLY);
    assert_int_equal(pg->meta.current_page, 2);
    assert_int_equal(pg->meta.per_page, 2);
    assert_int_equal(pg->meta.total, 23);
    assert_int_equal(pg->meta.total_pages, 12);
    product_page_free(&pg);
    assert_null(pg);
    free(body);

    body = fixture_load("products_empty_page.json", &len);
    assert_int_equal(decode_products(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 0);
    assert_int_equal(pg->meta.current_page, 40);
    product_page_free(&pg);
    free(body);
}

static void test_products_too_many(void **state)
{
    const char *item = "{\"id\":1,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
                       "\"cycles\":[]},";
    size_t n = 10001, ilen = strlen(item), len = 0;
    char *body = malloc(16 + n * ilen);
    struct product_page *pg = NULL;
    struct client_error e;
    size_t i;

    (void)state;
    assert_non_null(body);
    len += (size_t)sprintf(body, "{\"data\":[");
    for (i = 0; i < n; i++) {
        memcpy(body + len, item, ilen);
        len += ilen;
    }
    body[len - 1] = ']';
    body[len++] = '}';
    assert_int_equal(decode_products(body, len, &pg, &e), -1);
    assert_int_equal(e.status, CLIENT_ERR_JSON);
    assert_non_null(strstr(e.message, "more than 10000"));
    /* exactly the limit is fine */
    len -= ilen + 1;
    body[len - 1] = ']';
    body[len++] = '}';
    assert_int_equal(decode_products(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 10000);
    product_page_free(&pg);
    free(body);
}

static void test_product_errors(void **state)
{
    (void)state;
    EXPECT_FAIL(decode_product, struct product, product_free, "product_float_amount.json",
                CLIENT_ERR_JSON, "data.cycles[0].price.amount: expected an integer");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_huge_amount.json",
                CLIENT_ERR_JSON, "data.cycles[0].price.amount: integer out of range");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_exp_amount.json",
                CLIENT_ERR_JSON, "data.cycles[0].price.amount");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_unknown_model.json",
                CLIENT_ERR_JSON, "data.pricing_model: unknown");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_unknown_cycle.json",
                CLIENT_ERR_JSON, "data.cycles[1].cycle: unknown");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_missing_cycles.json",
                CLIENT_ERR_JSON, "missing field data.cycles");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_bad_currency.json",
                CLIENT_ERR_JSON, "data.cycles[0].price.currency");
    EXPECT_FAIL(decode_product, struct product, product_free, "product_zero_step.json",
                CLIENT_ERR_JSON, "data.options[0].step: must be positive");
    EXPECT_FAIL(decode_product, struct product, product_free, "error_not_found.json",
                CLIENT_ERR_API, "No product");
    EXPECT_FAIL(decode_products, struct product_page, product_page_free, "product_fixed.json",
                CLIENT_ERR_JSON, "field data: expected an array");
}

static void test_product_inline_errors(void **state)
{
    static const struct {
        const char *body;
        const char *needle;
    } cases[] = {
        {"{\"data\":{\"id\":1,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
         "\"cycles\":[{\"cycle\":\"\",\"price\":{\"amount\":1,\"currency\":\"USD\"}}]}}",
         "data.cycles[0].cycle: unknown"},
        {"{\"data\":{\"id\":1,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
         "\"cycles\":[],\"from_cycle\":\"weekly\"}}",
         "data.from_cycle: unknown"},
        {"{\"data\":{\"id\":1,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
         "\"cycles\":[{\"cycle\":\"monthly\",\"price\":{\"amount\":1}}]}}",
         "missing field data.cycles[0].price.currency"},
        {"{\"data\":{\"id\":1.5,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
         "\"cycles\":[]}}",
         "data.id: expected an integer"},
        {"{\"data\":{\"id\":1,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
         "\"cycles\":[],\"stock\":{\"limited\":1}}}",
         "data.stock.limited: expected true or false"},
        {"{\"data\":{\"id\":1,\"slug\":\"s\",\"name\":\"n\",\"pricing_model\":\"fixed\","
         "\"cycles\":{}}}",
         "data.cycles: expected an array"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct product *p = NULL;
        struct client_error e;

        assert_int_equal(decode_product(cases[i].body, strlen(cases[i].body), &p, &e), -1);
        assert_null(p);
        assert_int_equal(e.status, CLIENT_ERR_JSON);
        if (!strstr(e.message, cases[i].needle))
            fail_msg("case %zu: message '%s' lacks '%s'", i, e.message, cases[i].needle);
    }
}

static void test_control_characters(void **state)
{
    struct product *p = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("product_control_chars.json", &len);

    (void)state;
    assert_int_equal(decode_product(body, len, &p, &e), 0);
    /* escapes are data: kept as sent for the tui to sanitize */
    assert_string_equal(p->name, "\x1b[31mRed\x1b[0m Server");
    assert_string_equal(p->description, "tab\there");
    /* an embedded NUL ends the C string; nothing after it leaks in */
    assert_string_equal(p->short_description, "before");
    product_free(&p);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_fixed),       cmocka_unit_test(test_product_per_gb_memory),
        cmocka_unit_test(test_product_per_gb_disk), cmocka_unit_test(test_product_configurable),
        cmocka_unit_test(test_products_page),       cmocka_unit_test(test_products_too_many),
        cmocka_unit_test(test_product_errors),      cmocka_unit_test(test_product_inline_errors),
        cmocka_unit_test(test_control_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
