/* types_catalog.c: what the operator catalog's values answer about themselves. */
#include "client/types_catalog.h"

/* Months a cycle's option prices count; one_time counts as one (docs/billingd.md, Pricing). */
static int cycle_months(enum billing_cycle c)
{
    switch (c) {
    case CYCLE_QUARTERLY:
        return 3;
    case CYCLE_SEMI_ANNUAL:
        return 6;
    case CYCLE_ANNUAL:
        return 12;
    case CYCLE_BIENNIAL:
        return 24;
    default:
        return 1;
    }
}

const struct catalog_cycle *catalog_product_cycle(const struct catalog_product *p,
                                                  enum billing_cycle cy)
{
    for (size_t i = 0; p && i < p->n_cycles; i++)
        if (p->cycles[i].cycle == cy)
            return &p->cycles[i];
    return NULL;
}

bool catalog_product_from_price(const struct catalog_product *p, int64_t *amount,
                                enum billing_cycle *cycle)
{
    /* a tie goes to the first in this order */
    static const enum billing_cycle order[] = {CYCLE_MONTHLY, CYCLE_QUARTERLY, CYCLE_SEMI_ANNUAL,
                                               CYCLE_ANNUAL,  CYCLE_BIENNIAL,  CYCLE_ONE_TIME};
    bool found = false;

    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        const struct catalog_cycle *c = catalog_product_cycle(p, order[k]);
        if (!c)
            continue;
        int64_t total = c->price;
        for (size_t i = 0; i < p->n_options; i++) {
            const struct catalog_option *o = &p->options[i];
            if (o->unit_size > 0)
                total += o->min / o->unit_size * o->unit_price * cycle_months(c->cycle);
        }
        if (!found || total < *amount) {
            *amount = total;
            *cycle = c->cycle;
            found = true;
        }
    }
    return found;
}
