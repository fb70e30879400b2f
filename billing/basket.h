/* basket.h: the one pricing of a basket — lines, coupon, tax, credits — behind quotes, carts,
 * order invoices and renewal invoices alike, so a cart's total is its invoice's total. */
#ifndef SETT_BILLING_BASKET_H
#define SETT_BILLING_BASKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/settings.h"

#define BASKET_MAX_LINES   50
#define BASKET_MAX_OPTIONS 6

/* What the customer asked for. */
struct basket_line_in {
    int64_t cart_item_id; /* 0 outside a cart */
    int64_t product_id;
    char cycle[16];
    char option_resource[BASKET_MAX_OPTIONS][16];
    int64_t option_value[BASKET_MAX_OPTIONS];
    size_t n_options; /* options not given take the product's defaults */
    int64_t quantity;
    bool include_setup_fee; /* false for renewals */
    /* Renewals: the line costs fixed_unit_amount a cycle, the price the service was sold at,
     * whatever the catalog asks today; its cycle and options need not be on offer any more. */
    bool fixed;
    int64_t fixed_unit_amount;
};

/* What it costs (amounts in minor units). */
struct basket_line {
    struct basket_line_in in; /* options completed with the product's defaults, in its order */
    char product_name[128];
    char product_slug[72];
    char category_name[128];
    char category_slug[72];
    int64_t months;      /* of the cycle; 1 for one_time */
    bool on_sale;        /* the product and its category are visible */
    bool available;      /* on sale, and its stock covers the quantity */
    int64_t stock_left;  /* units in stock; -1 when unlimited */
    int64_t unit_amount; /* one cycle, options included */
    int64_t setup_fee;   /* per unit */
    int64_t amount;      /* (unit_amount + setup_fee) * quantity */
    int64_t recurring;   /* unit_amount * quantity, 0 for one_time */
    int64_t discount;    /* this line's share of the coupon (positive) */
    bool coupon_applies;
};

struct basket_totals {
    int64_t subtotal; /* sum of line amounts */
    int64_t discount; /* never more than the subtotal */
    int64_t taxable;  /* subtotal - discount */
    int64_t tax;      /* see docs/api.md "Tax": exclusive adds, inclusive is contained */
    int64_t total;    /* what the invoice asks for */
    int64_t credits_available;
    int64_t credits_to_apply; /* min(available, total) when credits are used */
    int64_t due_now;          /* total - credits_to_apply */
};

struct basket {
    struct basket_line lines[BASKET_MAX_LINES];
    size_t n_lines;
    int64_t coupon_id; /* 0: none */
    char coupon_code[72];
    struct basket_totals totals;
};

/* Prices every line with pricing_cycle_price (a fixed line at its own unit amount) and the
 * coupon (0 for none) — checking it against each line's product and cycle, never taking a line
 * below zero — then tax and credits (user_id 0 or use_credits false: none). Field problems are
 * added to `fields` as "items[i].cycle" style names when non-NULL and give
 * API_ERR_VALIDATION_FAILED. A coupon that covers no line, or whose qualifying subtotal is below
 * its minimum, or that an operator has disabled, answers API_ERR_COUPON_NOT_APPLICABLE,
 * API_ERR_COUPON_MINIMUM_NOT_MET or API_ERR_COUPON_DISABLED with the basket priced in full
 * without it (coupon_id 0). The coupon's window and use limits are the caller's (coupon_check). */
enum api_error basket_price(sqlite3 *conn, const struct settings *set, struct basket *b,
                            int64_t coupon_id, int64_t user_id, bool use_credits, cJSON *fields);
/* {subtotal, discount, tax_lines:[...], tax_total, total, credits_available, credits_to_apply,
 * due_now} as Money objects: the contract's CartTotals (its Totals plus the credits). */
cJSON *basket_totals_json(const struct settings *set, const struct basket *b);
/* The contract's PricedLine of a priced line (product, cycle, months, options, quantity,
 * unit_price, setup_fee, line_total, recurring, available). */
cJSON *basket_line_json(const struct settings *set, const struct basket_line *l);
/* The line's options as a JSON object {resource: value}. */
cJSON *basket_options_json(const struct basket_line_in *in);

#endif
