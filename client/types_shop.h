/* types_shop.h: the shop's own records as operators manage them: coupon codes (/admin/coupons)
 * and the billing settings (/admin/settings). Both are field-table records (client/record.h):
 * a request names the members it sends with a mask of their indexes. */
#ifndef SETT_CLIENT_TYPES_SHOP_H
#define SETT_CLIENT_TYPES_SHOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "client/record.h"

/* ── coupons ── */
/* Members in the order of coupon_fields[]; a mask bit is (1u << COUPON_F_...). */
enum coupon_field {
    COUPON_F_CODE,
    COUPON_F_DESCRIPTION,
    COUPON_F_TYPE,
    COUPON_F_PERCENT_BPS,
    COUPON_F_AMOUNT_OFF,
    COUPON_F_DURATION,
    COUPON_F_DURATION_CYCLES,
    COUPON_F_STARTS_AT,
    COUPON_F_ENDS_AT,
    COUPON_F_MAX_USES,
    COUPON_F_ONCE_PER_CUSTOMER,
    COUPON_F_MINIMUM_SUBTOTAL,
    COUPON_F_PRODUCT_IDS,
    COUPON_F_CYCLES,
    COUPON_F_DISABLED,
    COUPON_F_ID,         /* read-only */
    COUPON_F_USES,       /* read-only */
    COUPON_F_CREATED_AT, /* read-only */
    COUPON_N_FIELDS
};

struct coupon {
    char *code; /* stored upper-case */
    char *description;
    char *type;                    /* "percent" or "fixed" */
    int percent_bps;               /* percent: 2500 = 25 %; 0 (null) otherwise */
    struct money amount_off;       /* fixed; 0 (null) otherwise */
    char *duration;                /* "once", "repeating", "forever" */
    int duration_cycles;           /* repeating; 0 (null) otherwise */
    char *starts_at;               /* RFC 3339; "" (null): no start */
    char *ends_at;                 /* "" (null): no end */
    int64_t max_uses;              /* 0 (null): unlimited */
    bool once_per_customer;        /* written always when in the mask */
    struct money minimum_subtotal; /* 0 (null): none */
    struct int64_list product_ids; /* empty: every product */
    struct string_list cycles;     /* empty: every cycle */
    bool disabled;                 /* switched off: refused at once, dates and uses kept */
    int64_t id;
    int64_t uses;
    char *created_at;
};
extern const struct record_field coupon_fields[COUPON_N_FIELDS];
extern const struct record_table coupon_table;
void coupon_clear(struct coupon *c);
void coupon_free(struct coupon **c);

struct coupon_page {
    struct coupon *items;
    size_t n;
    struct page_meta meta;
};
void coupon_page_free(struct coupon_page **p);

/* GET /admin/coupons: live coupons, newest first; `q` matches code or description. */
struct coupon_query {
    const char *q; /* NULL or "": all */
    int page;      /* 1-based; 0 means 1 */
    int per_page;  /* 0 means the server's default */
};

/* ── settings ── */
enum shop_setting {
    SETTING_CURRENCY_CODE,
    SETTING_CURRENCY_SYMBOL,
    SETTING_CURRENCY_EXPONENT,
    SETTING_TAX_ENABLED,
    SETTING_TAX_NAME,
    SETTING_TAX_RATE_BPS,
    SETTING_TAX_INCLUSIVE,
    SETTING_GATEWAYS,
    SETTING_CREDITS_ENABLED,
    SETTING_CREDITS_MIN_DEPOSIT,
    SETTING_CREDITS_MAX_DEPOSIT,
    SETTING_AUTO_ACTIVATE,
    SETTING_AUTO_SUSPEND_DAYS,
    SETTING_AUTO_TERMINATE_DAYS,
    SETTING_RENEWAL_INVOICE_DAYS,
    SETTING_SIGNUP_ENABLED,
    SETTING_BILLING_ENABLED,
    SETTING_BILLING_LICENSED,
    SETTING_COUNT
};

struct shop_settings {
    char *currency_code; /* "USD" */
    char *currency_symbol;
    int currency_exponent;
    bool tax_enabled;
    char *tax_name;
    int tax_rate_bps;            /* 1900 = 19 % */
    bool tax_inclusive;          /* prices already include the tax */
    struct string_list gateways; /* "stripe", "paypal" */
    bool credits_enabled;
    struct money credits_min_deposit;
    struct money credits_max_deposit;
    bool auto_activate;
    int auto_suspend_days; /* 0: never */
    int auto_terminate_days;
    int renewal_invoice_days;
    bool signup_enabled;
    bool billing_enabled;
    bool billing_licensed;
};
/* Indexed by enum shop_setting; name is the API's ("tax.rate_bps"). */
extern const struct record_field shop_settings_fields[SETTING_COUNT];
extern const struct record_table shop_settings_table;
void shop_settings_free(struct shop_settings **s);

/* ── callbacks (ownership as in client.h) ── */
typedef void (*client_coupons_cb)(void *ud, struct coupon_page *value,
                                  const struct client_error *err);
typedef void (*client_coupon_cb)(void *ud, struct coupon *value, const struct client_error *err);
typedef void (*client_settings_cb)(void *ud, struct shop_settings *value,
                                   const struct client_error *err);

/* ── requests (scope admin) ──
 * 0 when they could not start (a non-positive id, an empty mask, a mask naming a read-only
 * member, out of memory). The server's refusals: "validation_failed" with field details,
 * "already_exists" (a code in use), "not_found". */
/* free: coupon_page_free; `q` may be NULL */
uint64_t client_admin_get_coupons(struct client *c, const struct coupon_query *q,
                                  client_coupons_cb cb, void *ud);
/* POST /admin/coupons with the members of `v` named in `mask` (code, type and duration at
 * least). free: coupon_free */
uint64_t client_admin_create_coupon(struct client *c, const struct coupon *v, uint32_t mask,
                                    client_coupon_cb cb, void *ud);
/* PATCH /admin/coupons/{id}: only the members in `mask`; a nullable member at zero clears it.
 * free: coupon_free */
uint64_t client_admin_update_coupon(struct client *c, int64_t id, const struct coupon *v,
                                    uint32_t mask, client_coupon_cb cb, void *ud);
/* DELETE /admin/coupons/{id}: the code stops working at once and leaves the list. */
uint64_t client_admin_delete_coupon(struct client *c, int64_t id, client_done_cb cb, void *ud);
/* free: shop_settings_free */
uint64_t client_admin_get_settings(struct client *c, client_settings_cb cb, void *ud);
/* PATCH /admin/settings: the members of `v` named in `mask` (bits of enum shop_setting); the
 * answer is all the settings after the change. free: shop_settings_free */
uint64_t client_admin_update_settings(struct client *c, const struct shop_settings *v,
                                      uint32_t mask, client_settings_cb cb, void *ud);

/* Decoders (envelopes as in types.h), for tests and scripts. */
int decode_coupon(const char *body, size_t len, struct coupon **out, struct client_error *err);
int decode_coupons(const char *body, size_t len, struct coupon_page **out,
                   struct client_error *err);
int decode_shop_settings(const char *body, size_t len, struct shop_settings **out,
                         struct client_error *err);

#endif
