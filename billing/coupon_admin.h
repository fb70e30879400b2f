/* coupon_admin.h: coupons as operators write them: a draft checked field by field and as a whole,
 * saved under a code unique among live coupons, shown as the contract's Coupon object. */
#ifndef SETT_BILLING_COUPON_ADMIN_H
#define SETT_BILLING_COUPON_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/request.h"
#include "billing/settings.h"

struct coupon_draft {
    int64_t id; /* 0 for a new coupon */
    char code[72];
    char description[208];
    char type[8];      /* percent | fixed */
    char duration[12]; /* once | repeating | forever */
    int64_t percent_bps, amount_off, duration_cycles, min_subtotal, uses;
    bool has_start, has_end, has_max, once_per_customer;
    bool disabled; /* switched off: refused at once, dates and uses kept */
    int64_t starts_at, ends_at, max_uses;
    char *product_ids; /* JSON array text, owned */
    char *cycles;      /* JSON array text, owned */
};
void coupon_draft_clear(struct coupon_draft *d);

/* A live coupon into d; API_ERR_NOT_FOUND for none (deleted coupons are gone for operators). */
enum api_error coupon_draft_load(sqlite3 *conn, int64_t id, struct coupon_draft *d);
/* Applies the members of body (a CouponWrite or CouponPatch) to d, adding a field error to rep
 * for each bad one, then checks the whole (percent needs percent_bps, and so on). */
void coupon_draft_apply(sqlite3 *conn, const struct settings *set, const cJSON *body,
                        struct reply *rep, struct coupon_draft *d);
/* Inserts (d->id 0, filled in) or updates. API_ERR_ALREADY_EXISTS when a live coupon has the
 * code; a deleted coupon's code is freed for reuse (renamed "<code>~<id>"). */
enum api_error coupon_draft_save(sqlite3 *conn, struct coupon_draft *d, int64_t now);
/* Deletes for operators: the code stops working at once, while orders, invoices and services
 * that used it keep their discount (the row stays, inactive). API_ERR_NOT_FOUND for none. */
enum api_error coupon_admin_delete(sqlite3 *conn, int64_t id);
/* The contract's Coupon object of a live coupon, or NULL. */
cJSON *coupon_admin_json(sqlite3 *conn, const struct settings *set, int64_t id);

#endif
