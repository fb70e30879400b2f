/* coupon.h: coupon codes: lookup, the checks that refuse one (each with its own code), what it
 * covers, and counting its uses at checkout. */
#ifndef SETT_BILLING_COUPON_H
#define SETT_BILLING_COUPON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/settings.h"

#define COUPON_MAX_PRODUCTS 64

struct coupon {
    int64_t id;
    char code[72];
    char description[256];
    bool percent;        /* else a fixed amount */
    int64_t percent_bps; /* percent: 1000 = 10 % */
    int64_t amount_off;  /* fixed, minor units */
    char duration[16];   /* once | repeating | forever */
    int64_t duration_cycles;
    bool has_start, has_end;
    int64_t starts_at, ends_at;
    bool has_max;
    int64_t max_uses, uses;
    bool once_per_customer;
    int64_t product_ids[COUPON_MAX_PRODUCTS];
    size_t n_products;            /* 0: every product */
    unsigned cycles;              /* bit per pricing_cycle_rank; 0: every cycle */
    bool restricted_beyond_limit; /* more products than fit: treated as covering none */
    int64_t min_subtotal;
    bool active;   /* false: deleted */
    bool disabled; /* switched off by an operator; refused until enabled again */
};

/* Whether an error is one of the coupon_* refusals. */
static inline bool coupon_is_refusal(enum api_error err)
{
    return err >= API_ERR_COUPON_NOT_FOUND && err <= API_ERR_COUPON_DISABLED;
}

/* By code (case-insensitive) or id. API_ERR_COUPON_NOT_FOUND for no such or an inactive coupon.
 */
enum api_error coupon_find(sqlite3 *conn, const char *code, struct coupon *c);
enum api_error coupon_load(sqlite3 *conn, int64_t id, struct coupon *c);
/* Whether the coupon can be redeemed now by user_id (0: anyone, for quotes): not disabled, its
 * window, its total uses, once per customer. API_OK or the coupon_* code. */
enum api_error coupon_check(sqlite3 *conn, const struct coupon *c, int64_t user_id, int64_t now);
/* Whether it discounts a line of this product and cycle. */
bool coupon_covers(const struct coupon *c, int64_t product_id, const char *cycle);
/* The sentence that goes with a refusal ("Coupon SPRING15 expired on 2025-05-31."). */
void coupon_refusal(const struct coupon *c, enum api_error err, const struct settings *set,
                    char *buf, size_t size);
/* Counts one use for an order, inside the checkout transaction: never past max_uses
 * (API_ERR_COUPON_EXHAUSTED), never twice for a once-per-customer coupon. */
enum api_error coupon_redeem(sqlite3 *conn, const struct coupon *c, int64_t user_id,
                             int64_t order_id, int64_t now);
/* Gives back the use an order counted (its order was cancelled). 0 or -1. */
int coupon_release(sqlite3 *conn, int64_t order_id);

#endif
