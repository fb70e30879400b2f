/* pricing.c: prices in integer minor units, every step overflow-checked; no floating point. */
#include "billing/pricing.h"

#include <string.h>

static const char *const pricing_messages[] = {
#define X(name, msg) msg,
    PRICING_STATUSES(X)
#undef X
};

static const struct {
    const char *name;
    int64_t months;
} pricing_cycles[] = {
    /* Display order: recurring cycles by length, then the one-off. */
    {"monthly", 1}, {"quarterly", 3}, {"semi_annual", 6},
    {"annual", 12}, {"biennial", 24}, {"one_time", 1},
};

#define N_CYCLES ((int)(sizeof pricing_cycles / sizeof pricing_cycles[0]))

const char *pricing_status_str(enum pricing_status s)
{
    return (unsigned)s < sizeof pricing_messages / sizeof pricing_messages[0] ? pricing_messages[s]
                                                                              : "unknown";
}

int64_t pricing_cycle_months(const char *cycle)
{
    int rank = pricing_cycle_rank(cycle);

    return rank < 0 ? 0 : pricing_cycles[rank].months;
}

int pricing_cycle_rank(const char *cycle)
{
    for (int i = 0; cycle && i < N_CYCLES; i++)
        if (strcmp(cycle, pricing_cycles[i].name) == 0)
            return i;
    return -1;
}

bool pricing_option_valid(const struct price_option *o)
{
    if (o->unit_size <= 0 || o->step <= 0 || o->min < 0 || o->unit_price < 0)
        return false;
    if (o->min > o->def || o->def > o->max)
        return false;
    /* Whole units only: min and step are multiples of unit_size. */
    if (o->min % o->unit_size != 0 || o->step % o->unit_size != 0)
        return false;
    return (o->def - o->min) % o->step == 0 && (o->max - o->min) % o->step == 0;
}

bool pricing_value_valid(const struct price_option *o, int64_t value)
{
    return value >= o->min && value <= o->max && (value - o->min) % o->step == 0 &&
           value % o->unit_size == 0;
}

/* Which configuration to price when the caller gives no values. */
enum pricing_config { CONFIG_VALUES, CONFIG_DEFAULT, CONFIG_MINIMUM };

static enum pricing_status pricing_sum(const struct price_cycle *c, const struct price_option *opts,
                                       const int64_t *values, size_t n_opts,
                                       enum pricing_config config, int64_t *out)
{
    int64_t total = c->price;

    if (c->price < 0 || c->months <= 0)
        return PRICING_ERR_VALUE;
    for (size_t i = 0; i < n_opts; i++) {
        const struct price_option *o = &opts[i];
        int64_t value = config == CONFIG_VALUES    ? values[i]
                        : config == CONFIG_MINIMUM ? o->min
                                                   : o->def;
        int64_t part;

        if (!pricing_value_valid(o, value) || o->unit_price < 0)
            return PRICING_ERR_VALUE;
        if (__builtin_mul_overflow(value / o->unit_size, o->unit_price, &part) ||
            __builtin_mul_overflow(part, c->months, &part) ||
            __builtin_add_overflow(total, part, &total))
            return PRICING_ERR_OVERFLOW;
    }
    *out = total;
    return PRICING_OK;
}

enum pricing_status pricing_cycle_price(const struct price_cycle *c,
                                        const struct price_option *opts, const int64_t *values,
                                        size_t n_opts, int64_t *out)
{
    return pricing_sum(c, opts, values, n_opts, values ? CONFIG_VALUES : CONFIG_DEFAULT, out);
}

enum pricing_status pricing_from(const struct price_cycle *cycles, size_t n_cycles,
                                 const struct price_option *opts, size_t n_opts, int64_t *amount,
                                 size_t *cycle_index)
{
    int64_t best = 0;
    size_t best_i = 0;

    if (n_cycles == 0)
        return PRICING_ERR_EMPTY;
    for (size_t i = 0; i < n_cycles; i++) {
        int64_t price;
        enum pricing_status s = pricing_sum(&cycles[i], opts, NULL, n_opts, CONFIG_MINIMUM, &price);

        if (s != PRICING_OK)
            return s;
        if (i == 0 || price < best) {
            best = price;
            best_i = i;
        }
    }
    *amount = best;
    *cycle_index = best_i;
    return PRICING_OK;
}
