/* screens.h: the screen registry: every screen's operations, for pushing from anywhere. */
#ifndef SETT_SCREENS_H
#define SETT_SCREENS_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "tui/tui.h"

/* What an account screen opens on; open() copies it. */
enum pay_kind {
    PAY_CART,    /* checkout of the cart */
    PAY_INVOICE, /* an existing invoice (renewal, deposit, an order's failed payment) */
};
struct screen_target {
    int64_t id; /* service, invoice */
    enum pay_kind kind;
};

/* The product screen, to add (NULL `edit`) or to change a cart line. */
struct product_args {
    const char *id_or_slug;         /* copied */
    const struct priced_line *edit; /* copied; NULL to add a new line */
    const char *etag;               /* the cart's version as shown, for If-Match */
    /* Called with the cart the change answered (ownership passes), or NULL to load it again. */
    void (*cart_changed)(void *ud, struct cart *c);
    void *ud;
};

/* The payment screen, once checkout or an invoice payment has started. Ownership of `result`
 * and `payment` passes to the screen (their pointers are cleared); `invoice` is copied. */
struct payment_args {
    enum pay_kind kind;
    struct checkout_result *result; /* PAY_CART */
    struct payment *payment;        /* the payment to follow */
    const struct invoice *invoice;  /* PAY_INVOICE: the invoice paid */
};

/* Sign-in, then either a screen to open or a callback (`done`) to run. */
struct signin_args {
    const struct screen_ops *then; /* NULL: home becomes the root */
    bool has_target;
    struct screen_target target;
    void (*done)(void *ud); /* run after sign-in instead of `then` (the caller is below) */
    void *ud;
};

/* Dialogs: a question with y/n, and a choice among a few labels. The callbacks run after the
 * dialog has closed, with `ud` as given (usually the calling screen, which is below). */
struct confirm_args {
    const char *title;
    const char *message;
    void (*yes)(void *ud);
    void *ud;
};
struct choice_args {
    const char *title;
    const char *message;
    const char *const *labels;
    int n;
    void (*chosen)(void *ud, int index);
    void *ud;
};

extern const struct screen_ops store_screen;        /* arg: NULL */
extern const struct screen_ops product_screen;      /* arg: const char *id_or_slug (copied) */
extern const struct screen_ops product_edit_screen; /* arg: struct product_args * */
extern const struct screen_ops home_screen;         /* arg: NULL */
extern const struct screen_ops signin_screen;       /* arg: struct signin_args * or NULL */
extern const struct screen_ops cart_screen;         /* arg: NULL */
extern const struct screen_ops pay_screen;          /* arg: struct screen_target * */
extern const struct screen_ops payment_screen;      /* arg: struct payment_args * */
extern const struct screen_ops services_screen;     /* arg: NULL */
extern const struct screen_ops service_screen;      /* arg: struct screen_target * (id) */
extern const struct screen_ops plan_screen;         /* arg: struct screen_target * (service id) */
extern const struct screen_ops invoices_screen;     /* arg: NULL */
extern const struct screen_ops invoice_screen;      /* arg: struct screen_target * (id) */
extern const struct screen_ops credits_screen;      /* arg: NULL */
extern const struct screen_ops confirm_screen;      /* arg: struct confirm_args * */
extern const struct screen_ops choice_screen;       /* arg: struct choice_args * */

#endif
