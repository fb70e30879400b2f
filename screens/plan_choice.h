/* plan_choice.h: a change of plan as it is chosen (the service, the products of its category, the
 * product, cycle and resource values picked) and the words said about its quote and about a
 * change waiting: one source for the full screen and plain mode. */
#ifndef SETT_SCREENS_PLAN_CHOICE_H
#define SETT_SCREENS_PLAN_CHOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "client/types_plan.h"

#define PLAN_OPTIONS_MAX 8 /* configurable resources offered per product */

/* Said when a change cannot start, and when a waiting one was withdrawn. */
#define PLAN_NOT_CHANGEABLE "Only an active, renewing service can change its plan."
#define PLAN_WITHDRAWN      "Plan change withdrawn: the plan stays as it is."
#define PLAN_AMOUNTS_MAX    6 /* rows of a quote's breakdown */

struct plan_choice {
    const struct service *sv;            /* borrowed */
    const struct product_page *products; /* borrowed: the service's category */
    int prod, cycle;                     /* indexes into products and the product's cycles */
    int64_t values[PLAN_OPTIONS_MAX];    /* by the product's options */
};

/* One row of a quote's breakdown: "Unused time" -$5.81 … */
struct plan_amount {
    const char *label;
    struct money value; /* signed as shown: a credit is negative */
    bool price;         /* a sum to stand out (the price element), not a detail */
};

/* True for a service whose plan can change: active, renewing, no cancellation pending. */
bool plan_service_changeable(const struct service *sv);
/* The product chosen, or NULL before the products are there. */
const struct product *plan_choice_product(const struct plan_choice *c);
/* The product's configurable resources offered here (at most PLAN_OPTIONS_MAX). */
int plan_choice_n_options(const struct product *p);
/* True for a renewing cycle (a service cannot change to a one-time price). */
bool plan_cycle_renews(const struct product *p, int cycle);
/* True when the product has a renewing cycle. */
bool plan_product_renews(const struct product *p);
/* Starts on the service's own plan: false when its product is not among `products`. */
bool plan_choice_start(struct plan_choice *c, const struct service *sv,
                       const struct product_page *products);
/* Chooses product `prod` with the service's cycle and values where it offers them. */
void plan_choice_set_product(struct plan_choice *c, int prod);
/* True when the choice is the plan the service has: nothing to price. */
bool plan_choice_unchanged(const struct plan_choice *c);
/* The request for the choice; `o` holds its options while `t` is used. */
void plan_choice_target(const struct plan_choice *c, struct plan_target *t,
                        struct option_choice o[PLAN_OPTIONS_MAX]);

/* "Upgrade" or "Downgrade". */
const char *plan_direction_label(const char *direction);
/* The breakdown: unused time, rest of period, tax, total, credits applied (when any), due now.
 * Returns the rows filled. */
size_t plan_quote_amounts(const struct plan_quote *q, struct plan_amount out[PLAN_AMOUNTS_MAX]);
/* What confirming does: "the difference is invoiced now and the plan changes once it is paid." */
void plan_quote_effect(const struct plan_quote *q, const struct currency *cur, char *buf, size_t n);
/* The confirmation, with the amount: "Change to Iron? $4.74 is invoiced now; …" */
void plan_quote_question(const struct plan_quote *q, const struct currency *cur, char *buf,
                         size_t n);

/* What a change made: "Plan change invoiced: the plan changes once it is paid." */
void plan_change_outcome(const struct plan_change *c, char *buf, size_t n);
/* When a waiting change applies: "once its invoice is paid", "at the next renewal, on …". */
void plan_change_applies(const struct plan_change *c, char *buf, size_t n);
/* "Withdraw the change to Gold? Its unpaid invoice is cancelled." */
void plan_change_withdraw_question(const struct plan_change *c, char *buf, size_t n);
/* The change waiting (for its payment or its date) taken out of the page, newest first; NULL
 * for none. free: plan_change_free */
struct plan_change *plan_change_waiting(struct plan_change_page *pg);

#endif
