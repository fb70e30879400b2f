/* invariants_baskets.h: one random basket taken through quote, cart and checkout, and checked. */
#ifndef SETT_TESTS_API_INVARIANTS_BASKETS_H
#define SETT_TESTS_API_INVARIANTS_BASKETS_H

#include <stdbool.h>
#include <stdint.h>

#include "invariants.h"

#define BASKET_MAX_PRODUCTS 64
#define BASKET_MAX_COUPONS  8

struct basket_option {
    char resource[24];
    int64_t min, max, step;
};

struct basket_product {
    int64_t id;
    int n_cycles;
    char cycles[6][16];
    int n_options;
    struct basket_option options[6];
};

struct basket_coupon {
    char code[24];
    int64_t product_ids[4]; /* 0-ended; none: every product */
    char cycle[16];         /* "": every cycle */
};

/* The catalog's products that are not limited in stock, and coupons made for the baskets. */
struct basket_shop {
    int n_products;
    struct basket_product products[BASKET_MAX_PRODUCTS];
    int n_coupons;
    struct basket_coupon coupons[BASKET_MAX_COUPONS];
};

/* Reads the catalog and creates the coupons as the world's operator. 0 or -1. */
int basket_shop_load(struct basket_shop *shop, const struct inv_world *w);

struct basket_case {
    const struct basket_shop *shop;
    const struct inv_world *world;
    int user;        /* whose cart; it must be empty */
    int number;      /* for messages */
    unsigned seed;   /* draws the basket: the same seed, the same basket */
    const char *tax; /* the store's tax mode now: "exclusive", "inclusive" or "off" */
    int rate_bps;
    bool credits;  /* credits switched on */
    int64_t funds; /* what the customer was given; credits never run out */
};

/* Draws a basket (1-3 lines of any product, cycle, options and quantity, maybe a coupon), prices
 * it as a quote, puts it in the cart and checks it out, then checks that the three agree and
 * that the invoice adds up. 0, or -1 with what differed on stderr. */
int basket_check(const struct basket_case *c);

#endif
