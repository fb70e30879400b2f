/* plain_operator.h: what plain mode's operator screens share (plain_operator*.c). */
#ifndef SETT_SCREENS_PLAIN_OPERATOR_H
#define SETT_SCREENS_PLAIN_OPERATOR_H

#include "client/types_admin.h"
#include "client/types_catalog.h"
#include "client/types_shop.h"
#include "screens/plain.h"

struct plain_op {
    char q[256]; /* the customer search's words */
    struct admin_user_page *users;
    int64_t view_id; /* the customer open, 0 for none */
    char view_email[256];
    struct admin_user *user;   /* the account screens keep the rest (plain_acct) */
    struct order_page *orders; /* the customer's, or every customer's awaiting approval */
    struct catalog_product_page *products;
    struct coupon_page *coupons;
    struct shop_settings *settings;
};

PLAIN_ON(plain_on_users, struct admin_user_page)
PLAIN_ON(plain_on_admin_user, struct admin_user)
PLAIN_ON(plain_on_orders, struct order_page)
PLAIN_ON(plain_on_order, struct order)
PLAIN_ON(plain_on_credit_tx, struct credit_tx)
PLAIN_ON(plain_on_refund, struct refund_result)
PLAIN_ON(plain_on_catalog_products, struct catalog_product_page)
PLAIN_ON(plain_on_catalog_product, struct catalog_product)
PLAIN_ON(plain_on_apply_prices, struct apply_prices_result)
PLAIN_ON(plain_on_coupons, struct coupon_page)
PLAIN_ON(plain_on_coupon, struct coupon)
PLAIN_ON(plain_on_settings, struct shop_settings)

/* plain_operator.c */
/* `section`, plus ", viewing <email> (#id)" while a customer is open. */
const char *plain_op_title(struct plain *p, const char *section, char *buf, size_t n);
/* The item number in `arg`, or asked ("Which service (a number)?"): its index, or -1 (said). */
int plain_op_pick(struct plain *p, const char *arg, const char *what, size_t count);
/* Asks the reason an action sends to the audit log: false (said) when none is given. */
bool plain_op_reason(struct plain *p, char *buf, size_t n);
/* Asks "<question> Reason: <reason>." to be confirmed; says when nothing was changed. */
bool plain_op_confirm(struct plain *p, const char *question, const char *reason);
/* Loads the current screen again after a change (its errors are said). */
void plain_op_reload(struct plain *p);

/* plain_operator_account.c: the actions on the open customer's records, the commands the account
 * screens add while an operator views them ("Z 2": the item's number, else asked). */
enum plain_result plain_op_suspend(struct plain *p, const char *arg);
enum plain_result plain_op_refund(struct plain *p, const char *arg);
enum plain_result plain_op_release(struct plain *p, const char *arg);
/* Adds or removes credit: the amount, the reason, a confirmation (`arg` unused). */
enum plain_result plain_op_adjust(struct plain *p, const char *arg);
extern const struct plain_screen_ops plain_op_orders_screen;

/* Approves order `o` (from a customer's orders, or those awaiting approval). */
enum plain_result plain_op_approve(struct plain *p, const struct order *o);
/* The orders, one a line. */
void plain_op_order_item(struct plain *p, int i);

/* plain_operator_shop.c: the shop's own screens, over the search. */
extern const struct plain_screen_ops plain_op_awaiting_screen;
extern const struct plain_screen_ops plain_op_coupons_screen;
extern const struct plain_screen_ops plain_op_settings_screen;
/* plain_operator_catalog.c */
extern const struct plain_screen_ops plain_op_catalog_screen;
void plain_op_shop_free(struct plain_op *op);

#endif
