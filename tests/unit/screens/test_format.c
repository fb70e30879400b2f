/* test_format.c: display formatting of resources, prices per cycle and stock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "screens/format.h"

static void test_sizes(void **state)
{
    char b[32];
    (void)state;
    fmt_size_mb(512, b, sizeof b);
    assert_string_equal(b, "512 MB");
    fmt_size_mb(4096, b, sizeof b);
    assert_string_equal(b, "4 GB");
    fmt_size_mb(1536, b, sizeof b);
    assert_string_equal(b, "1.5 GB");
    fmt_size_mb(0, b, sizeof b);
    assert_string_equal(b, "0 MB");
}

static void test_cpu(void **state)
{
    char b[32];
    (void)state;
    fmt_cpu(200, b, sizeof b);
    assert_string_equal(b, "2 vCPU");
    fmt_cpu(150, b, sizeof b);
    assert_string_equal(b, "1.5 vCPU");
    fmt_cpu(50, b, sizeof b);
    assert_string_equal(b, "0.5 vCPU");
    fmt_cpu(125, b, sizeof b);
    assert_string_equal(b, "125% CPU");
}

static void test_resources_line(void **state)
{
    struct resources r = {.memory_mb = 4096, .disk_mb = 40960, .cpu_percent = 200};
    char b[96];
    (void)state;
    fmt_resources_line(&r, false, b, sizeof b);
    assert_string_equal(b, "4 GB RAM · 40 GB disk · 2 vCPU");
    fmt_resources_line(&r, true, b, sizeof b);
    assert_string_equal(b, "4 GB/40 GB/2 vCPU");
}

static void test_price_cycle(void **state)
{
    struct money m = {.amount = 899, .currency = "USD"};
    struct currency eur = {.code = "EUR", .symbol = "€", .exponent = 2};
    struct money e = {.amount = 123456, .currency = "EUR"};
    char b[64];
    (void)state;
    fmt_price_cycle(&m, CYCLE_MONTHLY, NULL, b, sizeof b);
    assert_string_equal(b, "$8.99/mo");
    fmt_price_cycle(&e, CYCLE_ANNUAL, &eur, b, sizeof b);
    assert_string_equal(b, "€1,234.56/yr");
}

/* Without UTF-8 a symbol outside ASCII becomes the code before the number; "$" and "kr" stay. */
static void test_currency_shown(void **state)
{
    struct currency eur = {.code = "EUR", .symbol = "€", .exponent = 2}, shown;
    struct currency usd = {.code = "USD", .symbol = "$", .exponent = 2};
    struct currency sek = {.code = "SEK", .symbol = "kr", .exponent = 2};
    struct currency cny = {.code = "CNY", .symbol = "CN¥", .exponent = 2};
    struct money e = {.amount = 899, .currency = "EUR"}, neg = {.amount = -5, .currency = "EUR"};
    struct money u = {.amount = 899, .currency = "USD"}, k = {.amount = 899, .currency = "SEK"};
    struct money y = {.amount = 899, .currency = "CNY"};
    char b[64];
    (void)state;
    fmt_currency_shown(&eur, false, &shown);
    money_format(&e, &shown, b, sizeof b);
    assert_string_equal(b, "€8.99");
    fmt_currency_shown(&eur, true, &shown);
    money_format(&e, &shown, b, sizeof b);
    assert_string_equal(b, "EUR 8.99");
    money_format(&neg, &shown, b, sizeof b);
    assert_string_equal(b, "-EUR 0.05");
    fmt_price_cycle(&e, CYCLE_MONTHLY, &shown, b, sizeof b);
    assert_string_equal(b, "EUR 8.99/mo");
    fmt_currency_shown(&usd, true, &shown);
    money_format(&u, &shown, b, sizeof b);
    assert_string_equal(b, "$8.99");
    fmt_currency_shown(&sek, true, &shown);
    money_format(&k, &shown, b, sizeof b);
    assert_string_equal(b, "8.99 kr");
    fmt_currency_shown(&cny, true, &shown);
    money_format(&y, &shown, b, sizeof b);
    assert_string_equal(b, "CNY 8.99");
}

static void test_stock(void **state)
{
    char b[32];
    enum theme_elem el;
    struct stock unlimited = {.limited = false}, out = {.limited = true, .available = 0},
                 low = {.limited = true, .available = 3}, many = {.limited = true, .available = 12};
    (void)state;
    assert_string_equal(fmt_stock(&unlimited, b, sizeof b, &el), "In stock");
    assert_int_equal(el, EL_STOCK_OK);
    assert_string_equal(fmt_stock(&out, b, sizeof b, &el), "Sold out");
    assert_int_equal(el, EL_STOCK_SOLDOUT);
    assert_string_equal(fmt_stock(&low, b, sizeof b, &el), "Only 3 left");
    assert_int_equal(el, EL_STOCK_LOW);
    assert_string_equal(fmt_stock(&many, b, sizeof b, &el), "12 in stock");
}

static void test_option_values(void **state)
{
    struct product_option mem = {.resource = "memory_mb", .unit = "GB", .unit_size = 1024};
    struct product_option db = {.resource = "databases", .unit = "database", .unit_size = 1};
    char b[32];
    (void)state;
    fmt_option_value(&mem, 2048, b, sizeof b);
    assert_string_equal(b, "2 GB");
    fmt_option_value(&db, 10, b, sizeof b);
    assert_string_equal(b, "10");
}

static void test_error_sentence(void **state)
{
    struct client_error e;
    char b[128];
    (void)state;
    client_error_set(&e, CLIENT_ERR_TRANSPORT, "Couldn't connect to server");
    fmt_error(&e, b, sizeof b);
    assert_string_equal(b, "Could not reach the server: Couldn't connect to server");
}

static void test_amounts_typed(void **state)
{
    struct currency usd = {"USD", "$", 2}, jpy = {"JPY", "¥", 0}, kwd = {"KWD", "", 3};
    int64_t m;
    (void)state;
    assert_int_equal(fmt_parse_amount("25", &usd, &m), 0);
    assert_int_equal(m, 2500);
    assert_int_equal(fmt_parse_amount("25.5", &usd, &m), 0);
    assert_int_equal(m, 2550);
    assert_int_equal(fmt_parse_amount(" $25.05 ", &usd, &m), 0);
    assert_int_equal(m, 2505);
    assert_int_equal(fmt_parse_amount("25,05", &usd, &m), 0);
    assert_int_equal(m, 2505);
    assert_int_equal(fmt_parse_amount("10 USD", &usd, &m), 0);
    assert_int_equal(m, 1000);
    assert_int_equal(fmt_parse_amount("1200", &jpy, &m), 0);
    assert_int_equal(m, 1200);
    assert_int_equal(fmt_parse_amount("1.5", &kwd, &m), 0);
    assert_int_equal(m, 1500);
    assert_int_equal(fmt_parse_amount("7", NULL, &m), 0); /* no status yet: two decimals */
    assert_int_equal(m, 700);
    /* not amounts: finer than a cent, signs, words, two points, nothing, too large */
    assert_int_equal(fmt_parse_amount("25.505", &usd, &m), -1);
    assert_int_equal(fmt_parse_amount("-5", &usd, &m), -1);
    assert_int_equal(fmt_parse_amount("ten", &usd, &m), -1);
    assert_int_equal(fmt_parse_amount("1.2.3", &usd, &m), -1);
    assert_int_equal(fmt_parse_amount("", &usd, &m), -1);
    assert_int_equal(fmt_parse_amount("$", &usd, &m), -1);
    assert_int_equal(fmt_parse_amount("1.5", &jpy, &m), -1);
    assert_int_equal(fmt_parse_amount("99999999999999999999", &usd, &m), -1);
}

static void test_resource_values(void **state)
{
    char b[200];
    struct option_value v[] = {{"memory_mb", 6144}, {"disk_mb", 30720}, {"cpu_percent", 200},
                               {"databases", 1},    {"backups", 3},     {"allocations", 2}};
    (void)state;
    fmt_option_values(v, 6, " · ", b, sizeof b);
    assert_string_equal(b, "6 GB RAM · 30 GB disk · 2 vCPU · 1 database · 3 backups · 2 ports");
    fmt_option_values(v, 2, ", ", b, sizeof b); /* plain mode's sentences */
    assert_string_equal(b, "6 GB RAM, 30 GB disk");
    fmt_option_values(v, 0, " · ", b, sizeof b);
    assert_string_equal(b, "");
    fmt_resource_value("gpus", 2, b, sizeof b); /* one this build does not know */
    assert_string_equal(b, "gpus 2");
}

static void test_rates_and_dates(void **state)
{
    char b[64];
    struct tax_line vat = {.name = "VAT", .rate_bps = 2000, .inclusive = false};
    (void)state;
    fmt_rate(2000, b, sizeof b);
    assert_string_equal(b, "20%");
    fmt_rate(750, b, sizeof b);
    assert_string_equal(b, "7.5%");
    fmt_rate(825, b, sizeof b);
    assert_string_equal(b, "8.25%");
    fmt_tax_label(&vat, b, sizeof b);
    assert_string_equal(b, "VAT 20%");
    vat.inclusive = true;
    fmt_tax_label(&vat, b, sizeof b);
    assert_string_equal(b, "VAT 20% (included)");
    fmt_moment("2025-06-01T12:00:02Z", b, sizeof b);
    assert_string_equal(b, "2025-06-01 12:00");
    fmt_moment("2025-06-01", b, sizeof b);
    assert_string_equal(b, "2025-06-01");
    fmt_moment(NULL, b, sizeof b);
    assert_string_equal(b, "");
    assert_string_equal(fmt_gateway("stripe"), "Card (Stripe)");
    assert_string_equal(fmt_gateway("credits"), "Account credits");
    assert_string_equal(fmt_gateway("bitpay"), "bitpay");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),           cmocka_unit_test(test_cpu),
        cmocka_unit_test(test_resources_line),  cmocka_unit_test(test_price_cycle),
        cmocka_unit_test(test_currency_shown),  cmocka_unit_test(test_stock),
        cmocka_unit_test(test_option_values),   cmocka_unit_test(test_error_sentence),
        cmocka_unit_test(test_amounts_typed),   cmocka_unit_test(test_resource_values),
        cmocka_unit_test(test_rates_and_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
