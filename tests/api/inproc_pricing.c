/* test_pricing.c: the server's one pricing function, called directly: sums, steps, overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "billing/pricing.h"

/* Memory in whole GB from 2 to 32, 225 per GB per month. */
static const struct price_option memory = {
    .unit_size = 1024, .min = 2048, .max = 32768, .step = 1024, .def = 4096, .unit_price = 225};
/* CPU in whole cores from 1 to 8, 150 per core per month. */
static const struct price_option cpu = {
    .unit_size = 100, .min = 100, .max = 800, .step = 100, .def = 200, .unit_price = 150};

static void test_fixed_price_is_the_cycle_price(void **state)
{
    const struct price_cycle annual = {.months = 12, .price = 8990, .setup_fee = 500};
    int64_t total = -1;

    assert_int_equal(pricing_cycle_price(&annual, NULL, NULL, 0, &total), PRICING_OK);
    assert_int_equal(total, 8990); /* the setup fee is charged apart */
}

static void test_options_scale_with_months(void **state)
{
    const struct price_option opts[] = {memory, cpu};
    const struct price_cycle quarterly = {.months = 3, .price = 270};
    const int64_t values[] = {8192, 400};
    int64_t total = 0;

    /* 270 + 8 GB * 225 * 3 + 4 cores * 150 * 3 */
    assert_int_equal(pricing_cycle_price(&quarterly, opts, values, 2, &total), PRICING_OK);
    assert_int_equal(total, 270 + 8 * 225 * 3 + 4 * 150 * 3);
    /* NULL values: the default configuration (4 GB, 2 cores). */
    assert_int_equal(pricing_cycle_price(&quarterly, opts, NULL, 2, &total), PRICING_OK);
    assert_int_equal(total, 270 + 4 * 225 * 3 + 2 * 150 * 3);
}

static void test_values_must_be_on_a_step(void **state)
{
    const struct price_cycle monthly = {.months = 1, .price = 0};
    const int64_t below[] = {1024}, above[] = {33792}, between[] = {2560};
    int64_t total = 0;

    assert_int_equal(pricing_cycle_price(&monthly, &memory, below, 1, &total), PRICING_ERR_VALUE);
    assert_int_equal(pricing_cycle_price(&monthly, &memory, above, 1, &total), PRICING_ERR_VALUE);
    assert_int_equal(pricing_cycle_price(&monthly, &memory, between, 1, &total), PRICING_ERR_VALUE);
}

static void test_overflow_is_refused(void **state)
{
    const struct price_option huge = {
        .unit_size = 1, .min = 1, .max = INT64_MAX / 2, .step = 1, .def = 1, .unit_price = 1000};
    const struct price_cycle biennial = {.months = 24, .price = 0};
    const struct price_cycle near_max = {.months = 1, .price = INT64_MAX};
    const int64_t values[] = {INT64_MAX / 4};
    int64_t total = 0;

    assert_int_equal(pricing_cycle_price(&biennial, &huge, values, 1, &total),
                     PRICING_ERR_OVERFLOW);
    assert_int_equal(pricing_cycle_price(&near_max, &huge, NULL, 1, &total), PRICING_ERR_OVERFLOW);
}

static void test_from_price_is_the_cheapest_minimum(void **state)
{
    const struct price_cycle cycles[] = {
        {.months = 1, .price = 100}, {.months = 3, .price = 270}, {.months = 12, .price = 1000}};
    const struct price_cycle only_one_time[] = {{.months = 1, .price = 3999}};
    int64_t amount = 0;
    size_t which = 99;

    assert_int_equal(pricing_from(cycles, 3, &memory, 1, &amount, &which), PRICING_OK);
    assert_int_equal(amount, 100 + 2 * 225);
    assert_int_equal(which, 0);
    assert_int_equal(pricing_from(only_one_time, 1, NULL, 0, &amount, &which), PRICING_OK);
    assert_int_equal(amount, 3999);
    assert_int_equal(pricing_from(cycles, 0, NULL, 0, &amount, &which), PRICING_ERR_EMPTY);
}

static void test_option_validity(void **state)
{
    struct price_option half_gb = memory;
    struct price_option off_step = memory;

    assert_true(pricing_option_valid(&memory));
    assert_true(pricing_option_valid(&cpu));
    half_gb.step = 512; /* would need half a unit price: refused */
    assert_false(pricing_option_valid(&half_gb));
    off_step.def = 4096 + 1024 + 1; /* default not on a step */
    assert_false(pricing_option_valid(&off_step));
}

static void test_cycle_names(void **state)
{
    assert_int_equal(pricing_cycle_months("monthly"), 1);
    assert_int_equal(pricing_cycle_months("quarterly"), 3);
    assert_int_equal(pricing_cycle_months("semi_annual"), 6);
    assert_int_equal(pricing_cycle_months("annual"), 12);
    assert_int_equal(pricing_cycle_months("biennial"), 24);
    assert_int_equal(pricing_cycle_months("one_time"), 1);
    assert_int_equal(pricing_cycle_months("weekly"), 0);
    assert_true(pricing_cycle_rank("monthly") < pricing_cycle_rank("biennial"));
    assert_true(pricing_cycle_rank("biennial") < pricing_cycle_rank("one_time"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_price_is_the_cycle_price),
        cmocka_unit_test(test_options_scale_with_months),
        cmocka_unit_test(test_values_must_be_on_a_step),
        cmocka_unit_test(test_overflow_is_refused),
        cmocka_unit_test(test_from_price_is_the_cheapest_minimum),
        cmocka_unit_test(test_option_validity),
        cmocka_unit_test(test_cycle_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
