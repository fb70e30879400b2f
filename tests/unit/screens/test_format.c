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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),          cmocka_unit_test(test_cpu),
        cmocka_unit_test(test_resources_line), cmocka_unit_test(test_price_cycle),
        cmocka_unit_test(test_stock),          cmocka_unit_test(test_option_values),
        cmocka_unit_test(test_error_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
