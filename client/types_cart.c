/* types_cart.c: freeing quotes and carts, and the parts that orders and invoices share. */
#include "client/types_cart.h"
#include "client/decode_shared.h"

#include <stdlib.h>
#include <string.h>

void product_summary_clear(struct product_summary *p)
{
    free(p->slug);
    free(p->name);
    free(p->category_slug);
    memset(p, 0, sizeof(*p));
}

void option_values_free(struct option_value *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i].resource);
    free(v);
}

void totals_clear(struct totals *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->n_tax_lines; i++)
        free(t->tax_lines[i].name);
    free(t->tax_lines);
    memset(t, 0, sizeof(*t));
}

static void priced_lines_free(struct priced_line *lines, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(lines[i].added_at);
        product_summary_clear(&lines[i].product);
        option_values_free(lines[i].options, lines[i].n_options);
    }
    free(lines);
}

static void coupon_clear(struct applied_coupon *c)
{
    free(c->code);
    free(c->description);
    free(c->invalid_reason);
    memset(c, 0, sizeof(*c));
}

void quote_free(struct quote **q)
{
    if (!q || !*q)
        return;
    priced_lines_free((*q)->items, (*q)->n_items);
    coupon_clear(&(*q)->coupon);
    totals_clear(&(*q)->totals);
    free(*q);
    *q = NULL;
}

void cart_free(struct cart **c)
{
    if (!c || !*c)
        return;
    priced_lines_free((*c)->items, (*c)->n_items);
    coupon_clear(&(*c)->coupon);
    totals_clear(&(*c)->totals);
    free((*c)->updated_at);
    free(*c);
    *c = NULL;
}

bool cart_empty(const struct cart *c)
{
    return !c || c->n_items == 0;
}
