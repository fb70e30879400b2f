/* types_cart.h: quotes and the cart: priced lines, coupon, totals and the cart's version. */
#ifndef SETT_CLIENT_TYPES_CART_H
#define SETT_CLIENT_TYPES_CART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/types.h"

/* Room for an ETag such as "\"8\"" (NUL included); a longer one from the server is ignored. */
#define CLIENT_ETAG_MAX 128

/* The product a line, order or service refers to. */
struct product_summary {
    int64_t id;
    char *slug;
    char *name;
    char *category_slug;
};

/* A chosen value of a configurable resource ("memory_mb" = 6144), in the server's order. */
struct option_value {
    char *resource;
    int64_t value;
};

/* The same for requests: the caller's strings, not copied until the request is built. */
struct option_choice {
    const char *resource;
    int64_t value;
};

struct tax_line {
    char *name;   /* "VAT" */
    int rate_bps; /* 2000 = 20% */
    bool inclusive;
    struct money amount;
};

/* Totals of the server's one pricing function (quotes, carts, orders, invoices). */
struct totals {
    struct money subtotal;
    struct money discount; /* positive amount taken off */
    struct tax_line *tax_lines;
    size_t n_tax_lines; /* 0 when tax is off */
    struct money tax_total;
    struct money total;
};
void totals_clear(struct totals *t);

/* A basket line as priced: a quote's line, or a cart's (then with id and added_at). */
struct priced_line {
    int64_t id;     /* cart line id (for update and remove); 0 in a quote */
    char *added_at; /* RFC 3339; "" in a quote */
    struct product_summary product;
    enum billing_cycle cycle;
    int months;
    struct option_value *options; /* the whole configuration, defaults filled in */
    size_t n_options;
    int quantity;
    struct money unit_price; /* one unit, one cycle */
    struct money setup_fee;  /* one unit */
    struct money line_total; /* (unit_price + setup_fee) * quantity */
    struct money recurring;  /* unit_price * quantity each later cycle; 0 for one_time */
    bool available;          /* on sale and in stock for the quantity */
};

struct applied_coupon {
    char *code;
    char *description;
    struct money discount;
    bool valid;           /* always true in a quote; false when the cart no longer qualifies */
    char *invalid_reason; /* the coupon_* code when not valid, else "" */
};

struct quote {
    char currency[4];
    struct priced_line *items;
    size_t n_items;
    bool has_coupon;
    struct applied_coupon coupon;
    struct totals totals;
};
void quote_free(struct quote **q);

struct cart {
    /* The version to send back as If-Match (cart mutations, checkout): the response's ETag,
     * or "\"<version>\"" when the response had none. */
    char etag[CLIENT_ETAG_MAX];
    int64_t version;
    char currency[4];
    struct priced_line *items;
    size_t n_items;
    bool has_coupon;
    struct applied_coupon coupon;
    struct totals totals;
    /* from totals: what checkout with use_credits takes from the balance, and the rest */
    struct money credits_available;
    struct money credits_to_apply;
    struct money due_now;
    char *updated_at;
};
void cart_free(struct cart **c);
bool cart_empty(const struct cart *c);

/* A product to price or add. */
struct line_request {
    int64_t product_id;
    enum billing_cycle cycle;
    const struct option_choice *options; /* missing resources take their default */
    size_t n_options;
    int quantity; /* 0 means 1 */
};

struct quote_request {
    const struct line_request *items;
    size_t n_items;
    const char *coupon; /* NULL or "" for none */
};

/* A cart line change; what is not set keeps its value. At least one must be set. */
struct cart_item_patch {
    bool set_cycle;
    enum billing_cycle cycle;
    bool set_options; /* replaces the line's options */
    const struct option_choice *options;
    size_t n_options;
    int quantity; /* 0: unchanged */
};

/* Decoders (see types.h). decode_cart sets etag from the body's version; the request fills it
 * from the ETag header when there is one. */
int decode_quote(const char *body, size_t len, struct quote **out, struct client_error *err);
int decode_cart(const char *body, size_t len, struct cart **out, struct client_error *err);

#endif
