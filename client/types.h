/* types.h: typed values decoded from the billing API, each with its free function. */
#ifndef SETT_CLIENT_TYPES_H
#define SETT_CLIENT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/error.h"
#include "client/money.h"

/* Strings are heap-allocated UTF-8 copies of what the server sent (never NULL after a successful
 * decode; "" when absent). They are NOT sanitized: the tui layer sanitizes on display. */

struct tax_info {
    bool enabled;
    char *name;
    int rate_bps; /* basis points: 2000 = 20% */
    bool inclusive;
};

struct billing_status {
    bool enabled;
    bool licensed;
    bool credits_enabled;
    bool auto_activate;
    bool signup_enabled;
    struct currency currency;
    struct tax_info tax;
    char **gateways; /* e.g. "stripe", "paypal", "credits" */
    size_t n_gateways;
    bool sandbox; /* the server's sandbox gateway: no real money (absent: false) */
};
void billing_status_free(struct billing_status **s);

struct category {
    int64_t id;
    char *slug;
    char *name;
    char *description;
    int product_count;
};
struct category_list {
    struct category *items;
    size_t n;
};
void category_list_free(struct category_list **l);

enum pricing_model {
    PRICING_FIXED,
    PRICING_PER_GB_MEMORY,
    PRICING_PER_GB_DISK,
    PRICING_CONFIGURABLE,
};
const char *pricing_model_str(enum pricing_model m); /* "fixed", ... */
int pricing_model_parse(const char *s, enum pricing_model *out);

enum billing_cycle {
    CYCLE_ONE_TIME,
    CYCLE_MONTHLY,
    CYCLE_QUARTERLY,
    CYCLE_SEMI_ANNUAL,
    CYCLE_ANNUAL,
    CYCLE_BIENNIAL,
    CYCLE_COUNT
};
const char *billing_cycle_str(enum billing_cycle c);   /* "monthly" (API form) */
const char *billing_cycle_label(enum billing_cycle c); /* "Monthly" (display) */
/* "/mo", "/qtr", "/6mo", "/yr", "/2yr", " once" */
const char *billing_cycle_suffix(enum billing_cycle c);
int billing_cycle_parse(const char *s, enum billing_cycle *out);

struct resources {
    int64_t memory_mb;
    int64_t disk_mb;
    int64_t cpu_percent;
    int64_t databases;
    int64_t backups;
    int64_t allocations;
};

/* A configurable resource: the customer picks a value in [min, max] in steps of `step`; the price
 * of the cycle adds (value / unit_size) * unit_price * months. */
struct product_option {
    /* "memory_mb", "disk_mb", "cpu_percent", "databases", "backups", "allocations" */
    char *resource;
    char *label; /* "Memory" */
    char *unit;  /* "GB", "%", "slot" */
    int64_t unit_size;
    int64_t min, max, step, def;
    struct money unit_price; /* per unit per month */
};

struct product_cycle {
    enum billing_cycle cycle;
    int months;
    struct money price;     /* base price for the cycle (default configuration for fixed) */
    struct money setup_fee; /* amount 0 when none */
};

struct stock {
    bool limited;
    int64_t available; /* meaningful only when limited */
};

struct product {
    int64_t id;
    char *slug;
    char *name;
    int64_t category_id;
    char *category_slug;
    char *short_description;
    char *description;
    struct resources resources;
    enum pricing_model pricing_model;
    struct product_option *options;
    size_t n_options;
    struct product_cycle *cycles;
    size_t n_cycles;
    struct money from_price;
    enum billing_cycle from_cycle;
    struct stock stock;
};
void product_free(struct product **p);
void product_clear(struct product *p); /* frees members of an embedded product */
bool product_sold_out(const struct product *p);

struct page_meta {
    int current_page;
    int per_page;
    int total;
    int total_pages;
};

struct product_page {
    struct product *items;
    size_t n;
    struct page_meta meta;
};
void product_page_free(struct product_page **p);

struct product_query {
    const char *category; /* id or slug; NULL for all */
    const char *q;        /* text search; NULL for none */
    int page;             /* 1-based; 0 means 1 */
    int per_page;         /* 0 means server default */
};

struct auth_user {
    int64_t id;
    char *email;
    char *name;
};

struct auth_session {
    char *access_token;
    char *refresh_token;
    char *token_type;
    int expires_in;
    struct auth_user user;
};
void auth_session_free(struct auth_session **s);

/* Decoders, exposed for unit tests and scripts: take a whole response body (the envelope), fill a
 * newly allocated value, return 0; or return -1 with `err` set (CLIENT_ERR_JSON for malformed or
 * missing required fields, CLIENT_ERR_API for an error envelope). */
int decode_status(const char *body, size_t len, struct billing_status **out,
                  struct client_error *err);
int decode_categories(const char *body, size_t len, struct category_list **out,
                      struct client_error *err);
int decode_products(const char *body, size_t len, struct product_page **out,
                    struct client_error *err);
int decode_product(const char *body, size_t len, struct product **out, struct client_error *err);
int decode_session(const char *body, size_t len, struct auth_session **out,
                   struct client_error *err);
/* Fills `err` from an error envelope {error:{code,message,details}} (CLIENT_ERR_API); a body that
 * is not one gives CLIENT_ERR_HTTP. http_status is the caller's. */
void decode_error(const char *body, size_t len, long http_status, struct client_error *err);

#endif
