/* operator_catalog.h: the operator's catalog: the list of categories and products, a product's
 * detail, and the changes both make (restock, change a field or price, hide or show, move
 * existing services to today's prices). */
#ifndef SETT_SCREENS_OPERATOR_CATALOG_H
#define SETT_SCREENS_OPERATOR_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/types_catalog.h"
#include "screens/app.h"

/* What the restock prompt offers: Enter takes it. */
#define CATALOG_RESTOCK_DEFAULT 10
/* The reason a restock and an apply-prices send (the confirmation shows it). */
#define CATALOG_RESTOCK_REASON "Restock"
#define CATALOG_APPLY_REASON   "Apply current prices"

extern const struct screen_ops operator_catalog_screen; /* arg: NULL */
extern const struct screen_ops operator_product_screen; /* arg: const int64_t * (product id) */

/* What `e` changes. */
enum catalog_change {
    CHANGE_NAME,
    CHANGE_SHORT_DESCRIPTION,
    CHANGE_DESCRIPTION,
    CHANGE_SORT_ORDER,
    CHANGE_PRICE,     /* of one cycle */
    CHANGE_SETUP_FEE, /* of one cycle */
    CHANGE_STOCK,     /* a number, or "unlimited" */
    CHANGE_CATEGORY_NAME,
};

enum catalog_action_kind {
    CACT_NONE,
    CACT_RESTOCK,
    CACT_CHANGE,
    CACT_VISIBLE,
    CACT_CATEGORY_VISIBLE,
    CACT_APPLY_PRICES,
};

/* One change being asked for or sent, kept in the screen that started it (its close cancels
 * it). `changed` runs after the server answered a change, or refused a stale one (412): the
 * screen loads again. */
struct catalog_action {
    struct app *app;
    void (*changed)(void *ud);
    void *ud;
    enum catalog_action_kind kind;
    enum catalog_change what;
    int64_t id; /* product or category */
    char etag[CLIENT_ETAG_MAX];
    char label[160]; /* its name, sanitized */
    bool visible;
    int services;
    struct stock stock;
    struct catalog_cycle cycles[CYCLE_COUNT];
    size_t n_cycles;
    size_t cycle;      /* CHANGE_PRICE, CHANGE_SETUP_FEE: which of cycles */
    char before[1001]; /* the value as shown */
    char value[1001];  /* the new one as typed */
    int64_t number;    /* parsed: an amount, a count, a sort order */
    bool unlimited;    /* CHANGE_STOCK: no limit */
    char reason[1001];
    uint64_t req;
};

void catalog_action_init(struct catalog_action *act, struct app *a, void (*changed)(void *ud),
                         void *ud);
void catalog_action_cancel(struct catalog_action *act);

/* The steps start here; each says in the status line what happened. */
void catalog_restock(struct catalog_action *act, const struct catalog_product *p);
void catalog_toggle_visible(struct catalog_action *act, const struct catalog_product *p);
void catalog_toggle_category(struct catalog_action *act, const struct catalog_category *c);
/* `cycle`: an index into p->cycles for a price or setup fee. */
void catalog_change(struct catalog_action *act, const struct catalog_product *p,
                    enum catalog_change what, size_t cycle);
void catalog_rename_category(struct catalog_action *act, const struct catalog_category *c);
void catalog_apply_prices(struct catalog_action *act, const struct catalog_product *p);

/* Shared by the two screens: "12 left", "sold out", "unlimited" with its colour; "shown",
 * "hidden", "retired"; an amount in the shop's currency. */
const char *catalog_stock_text(const struct stock *s, char *buf, size_t n, enum theme_elem *el);
const char *catalog_visibility(bool visible, bool retired);
void catalog_amount(const struct app *a, int64_t minor, char *buf, size_t n);
/* "$8.99/mo", "" for a product without cycles. */
void catalog_from_price(const struct app *a, const struct catalog_product *p, char *buf, size_t n);

#endif
