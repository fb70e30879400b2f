/* types_catalog.h: the catalog as operators edit it (/admin/categories, /admin/products): every
 * category and product, hidden and retired ones included, with versions for If-Match. Amounts
 * are minor units of the shop's currency (the --catalog document's form). */
#ifndef SETT_CLIENT_TYPES_CATALOG_H
#define SETT_CLIENT_TYPES_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

struct catalog_category {
    int64_t id;
    char *slug;
    char *name;
    char *description;
    bool visible;
    int sort_order;
    int64_t version;
    int product_count;
    char etag[CLIENT_ETAG_MAX]; /* the response's ETag, else "\"<version>\"" */
};
void catalog_category_free(struct catalog_category **c);

struct catalog_category_list {
    struct catalog_category *items;
    size_t n;
};
void catalog_category_list_free(struct catalog_category_list **l);

struct catalog_option {
    char *resource; /* "memory_mb", ... */
    char *label;
    char *unit;
    int64_t unit_size, min, max, step, def;
    int64_t unit_price; /* per unit per month */
};

struct catalog_cycle {
    enum billing_cycle cycle;
    int64_t price;     /* for the whole cycle, at the base configuration */
    int64_t setup_fee; /* 0 when none */
};

struct catalog_product {
    int64_t id;
    int64_t category_id;
    char *category; /* its slug */
    char *slug;
    char *name;
    char *short_description;
    char *description;
    enum pricing_model pricing_model;
    struct resources resources;
    struct catalog_option *options;
    size_t n_options;
    struct catalog_cycle *cycles;
    size_t n_cycles;
    struct stock stock; /* absent: unlimited */
    bool visible;
    bool retired; /* hidden for good, never deleted */
    int sort_order;
    int64_t version;
    int services;               /* its services not cancelled or terminated */
    char etag[CLIENT_ETAG_MAX]; /* the response's ETag, else "\"<version>\"" */
};
void catalog_product_free(struct catalog_product **p);
void catalog_product_clear(struct catalog_product *p); /* an embedded one's members */

struct catalog_product_page {
    struct catalog_product *items;
    size_t n;
    struct page_meta meta;
};
void catalog_product_page_free(struct catalog_product_page **p);

/* GET /admin/products filters. */
struct catalog_product_query {
    int64_t category_id; /* 0: every category */
    const char *q;       /* NULL or "": no text search */
    int page;            /* 1-based; 0 means 1 */
    int per_page;        /* 0: the server's default */
};

/* The lowest cycle price at the smallest configuration (the store's "from" price) and its cycle,
 * as the pricing rules compute it (docs/billingd.md). False when the product has no cycle. */
bool catalog_product_from_price(const struct catalog_product *p, int64_t *amount,
                                enum billing_cycle *cycle);
/* The product's cycle `cy`, or NULL. */
const struct catalog_cycle *catalog_product_cycle(const struct catalog_product *p,
                                                  enum billing_cycle cy);

/* PATCH /admin/products/{id}: a merge patch of the product. NULL strings, a negative tri-state
 * and NULL cycles leave a member as it is. `cycles` replaces the product's cycles whole. */
struct catalog_product_patch {
    const char *name;
    const char *short_description;
    const char *description;
    int visible; /* -1 unchanged, 0 hidden, 1 shown */
    int retired; /* -1 unchanged, 1 retire */
    const struct catalog_cycle *cycles;
    size_t n_cycles;
    int64_t category_id; /* 0 unchanged */
    bool set_sort_order;
    int sort_order;
};

/* PATCH /admin/categories/{id}. */
struct catalog_category_patch {
    const char *name;
    const char *description;
    int visible; /* -1 unchanged */
    bool set_sort_order;
    int sort_order;
};

/* POST /admin/products/{id}/stock. */
enum catalog_stock_kind {
    STOCK_SET,       /* `n` available */
    STOCK_ADJUST,    /* `n` more (or fewer, when negative; never below 0) */
    STOCK_UNLIMITED, /* no limit */
};
struct catalog_stock_change {
    enum catalog_stock_kind kind;
    int64_t n;
};

/* POST /admin/products/{id}/apply-prices. */
struct price_change {
    int64_t service_id;
    int64_t before, after; /* its recurring amount */
};
struct price_skip {
    int64_t service_id;
    char *why;
};
struct apply_prices_result {
    struct price_change *changed;
    size_t n_changed;
    int unchanged;
    struct price_skip *skipped;
    size_t n_skipped;
};
void apply_prices_result_free(struct apply_prices_result **r);

/* ── callbacks (ownership as in client.h) ── */
typedef void (*client_catalog_categories_cb)(void *ud, struct catalog_category_list *value,
                                             const struct client_error *err);
typedef void (*client_catalog_category_cb)(void *ud, struct catalog_category *value,
                                           const struct client_error *err);
typedef void (*client_catalog_products_cb)(void *ud, struct catalog_product_page *value,
                                           const struct client_error *err);
typedef void (*client_catalog_product_cb)(void *ud, struct catalog_product *value,
                                          const struct client_error *err);
typedef void (*client_apply_prices_cb)(void *ud, struct apply_prices_result *value,
                                       const struct client_error *err);

/* ── requests (scope admin) ──
 * Each returns a request id, or 0 when it could not start (a non-positive id, a missing or empty
 * reason, a bad If-Match, nothing to change; or out of memory). Writes take a reason (1..1000
 * characters, for the audit log). A stale `if_match` is HTTP 412 "precondition_failed": load the
 * product again and ask again. */
/* free: catalog_category_list_free */
uint64_t client_catalog_get_categories(struct client *c, client_catalog_categories_cb cb, void *ud);
/* free: catalog_product_page_free; `q` may be NULL */
uint64_t client_catalog_get_products(struct client *c, const struct catalog_product_query *q,
                                     client_catalog_products_cb cb, void *ud);
/* free: catalog_product_free (its etag is kept for the next change) */
uint64_t client_catalog_get_product(struct client *c, int64_t id, client_catalog_product_cb cb,
                                    void *ud);
uint64_t client_catalog_patch_product(struct client *c, int64_t id, const char *if_match,
                                      const struct catalog_product_patch *patch, const char *reason,
                                      client_catalog_product_cb cb, void *ud);
uint64_t client_catalog_set_stock(struct client *c, int64_t id,
                                  const struct catalog_stock_change *change, const char *reason,
                                  client_catalog_product_cb cb, void *ud);
/* free: apply_prices_result_free */
uint64_t client_catalog_apply_prices(struct client *c, int64_t id, const char *reason,
                                     client_apply_prices_cb cb, void *ud);
/* free: catalog_category_free */
uint64_t client_catalog_patch_category(struct client *c, int64_t id, const char *if_match,
                                       const struct catalog_category_patch *patch,
                                       const char *reason, client_catalog_category_cb cb, void *ud);

/* Decoders (envelopes as in types.h), for tests and scripts. */
int decode_catalog_categories(const char *body, size_t len, struct catalog_category_list **out,
                              struct client_error *err);
int decode_catalog_category(const char *body, size_t len, struct catalog_category **out,
                            struct client_error *err);
int decode_catalog_products(const char *body, size_t len, struct catalog_product_page **out,
                            struct client_error *err);
int decode_catalog_product(const char *body, size_t len, struct catalog_product **out,
                           struct client_error *err);
int decode_apply_prices(const char *body, size_t len, struct apply_prices_result **out,
                        struct client_error *err);

#endif
