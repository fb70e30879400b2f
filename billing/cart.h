/* cart.h: one cart per account: its lines, coupon and version (the ETag), priced by the basket.
 */
#ifndef SETT_BILLING_CART_H
#define SETT_BILLING_CART_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/basket.h"
#include "billing/settings.h"

#define CART_MAX_LINES 20

struct cart {
    int64_t user_id;
    int64_t version;
    int64_t coupon_id; /* 0: none */
    int64_t updated_at;
    int64_t added_at[BASKET_MAX_LINES];
    struct basket basket; /* lines carry their cart_item_id */
    /* After cart_price: the coupon's state now. */
    char coupon_code[72];
    char coupon_description[256];
    enum api_error coupon_refusal; /* API_OK while it applies */
};

/* Loads (creating an empty one on first use) the account's cart. */
enum api_error cart_load(sqlite3 *conn, int64_t user_id, int64_t now, struct cart *c);
/* Prices it with its coupon (checked as of now) and the account's credits. A coupon that no
 * longer applies is kept but priced as none, with its reason in coupon_refusal. */
enum api_error cart_price(sqlite3 *conn, const struct settings *set, struct cart *c, int64_t now);
/* The contract's Cart object of a priced cart. */
cJSON *cart_json(const struct settings *set, const struct cart *c);
/* Every change bumps the version. 0 or -1. */
int cart_bump(sqlite3 *conn, int64_t user_id, int64_t now);
/* Whether an If-Match header names this version ("7", 7, or *). */
bool cart_if_match(const char *header, int64_t version);
/* A line's options as stored: a JSON object text. Caller frees with cJSON_free. */
char *cart_options_text(const struct basket_line_in *in);

#endif
