/* pricing.h: the one pricing function: what a product cycle costs for a configuration, in minor
 * units. */
#ifndef SETT_BILLING_PRICING_H
#define SETT_BILLING_PRICING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRICING_STATUSES(X)                                                                        \
    X(PRICING_OK, "ok")                                                                            \
    X(PRICING_ERR_VALUE, "value outside the option's range or not on a step")                      \
    X(PRICING_ERR_OVERFLOW, "amount too large")                                                    \
    X(PRICING_ERR_EMPTY, "no billing cycle")

enum pricing_status {
#define X(name, msg) name,
    PRICING_STATUSES(X)
#undef X
};

const char *pricing_status_str(enum pricing_status s);

/* A configurable resource: value in [min, max], min + k * step; each unit_size of it costs
 * unit_price per month. */
struct price_option {
    int64_t unit_size;
    int64_t min, max, step, def;
    int64_t unit_price;
};

/* A billing cycle: `price` is the base for the whole cycle; `months` multiplies option prices. */
struct price_cycle {
    int64_t months;
    int64_t price;
    int64_t setup_fee;
};

/* A billing cycle's name, its months (one_time counts 1 for option pricing) and display rank;
 * months 0 for an unknown name. */
int64_t pricing_cycle_months(const char *cycle);
int pricing_cycle_rank(const char *cycle);

/* True when the option's numbers make every allowed value a whole number of units, so that no
 * price ever needs rounding. */
bool pricing_option_valid(const struct price_option *o);
bool pricing_value_valid(const struct price_option *o, int64_t value);

/* Price of one cycle, setup fee excluded: price + sum((values[i] / unit_size) * unit_price *
 * months). values may be NULL for the default configuration. */
enum pricing_status pricing_cycle_price(const struct price_cycle *c,
                                        const struct price_option *opts, const int64_t *values,
                                        size_t n_opts, int64_t *out);

/* The product's "from" price: the lowest cycle price at the minimum configuration, and which
 * cycle it is (the first of equals in the given order). */
enum pricing_status pricing_from(const struct price_cycle *cycles, size_t n_cycles,
                                 const struct price_option *opts, size_t n_opts, int64_t *amount,
                                 size_t *cycle_index);

#endif
