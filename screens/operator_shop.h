/* operator_shop.h: what the operator's shop screens (coupons, settings) share: the server's
 * refusal as one sentence and the words typed for yes and no. */
#ifndef SETT_SCREENS_OPERATOR_SHOP_H
#define SETT_SCREENS_OPERATOR_SHOP_H

#include <stdbool.h>
#include <stddef.h>

#include "client/types_shop.h"
#include "screens/list_screen.h"

enum coupon_state {
    COUPON_ACTIVE,
    COUPON_DISABLED,
    COUPON_ENDED,
    COUPON_SCHEDULED,
    COUPON_USED_UP
};
/* Where the coupon stands now: disabled by an operator, else by its dates (this machine's clock)
 * and uses. */
enum coupon_state operator_coupon_state(const struct coupon *c);
/* "Active", "Disabled", "Ended", "Scheduled", "Used up". */
const char *operator_coupon_state_label(enum coupon_state s);

/* A shop screen's body: a dim line saying what it is and its keys, then the list's state or
 * its table. */
void operator_shop_paint(struct list_screen *ls, struct tui_rect body, const char *intro);

/* The server's first field problem ("tax.rate_bps must be an integer from 0 to 10000") when it
 * names one, else the error as fmt_error words it. */
void operator_shop_refusal(const struct client_error *e, char *buf, size_t n);
/* "yes", "y", "on", "true" and "no", "n", "off", "false" (any case). 0, or -1 for another word. */
int operator_shop_parse_bool(const char *text, bool *out);
/* The digits of an amount as typed back: "5.00", "1200" (no symbol, no grouping). */
void operator_shop_amount(const struct money *m, const struct currency *cur, char *buf, size_t n);
/* Copies `text` without its leading and trailing spaces. */
void operator_shop_trim(const char *text, char *out, size_t n);

/* The billing settings: each one's label ("Tax rate") and what a new value looks like. */
const char *operator_setting_label(enum shop_setting i);
const char *operator_setting_hint(enum shop_setting i);
/* The value as shown ("19%", "7 days", "Yes"; `none` for empty text); `edit` gives the text to
 * type instead. */
const char *operator_setting_text(const struct shop_settings *s, enum shop_setting i, bool edit,
                                  const struct currency *cur, const char *none, char *buf,
                                  size_t n);
/* The typed `text` (trimmed; kept, as next may point into it) into setting i of `next`, whose
 * gateway list may point into `gateways`. 0, or -1 when it is not a value for that setting. */
int operator_setting_parse(struct shop_settings *next, enum shop_setting i, char *text,
                           const struct currency *cur, char *gateways[2]);

#endif
