/* plan_change.h: changes of a service's plan (product, resources, cycle) with proration: the one
 * calculation behind the quote and the invoice, and the change's life from request to applied. */
#ifndef SETT_BILLING_PLAN_CHANGE_H
#define SETT_BILLING_PLAN_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/basket.h"
#include "billing/service.h"
#include "billing/settings.h"

/* Where the plan goes: unset parts stay as they are (product_id 0, cycle "", options not given
 * keep the service's values, or the new product's defaults when the product changes). */
struct plan_target {
    int64_t product_id;
    char cycle[16];
    char option_resource[BASKET_MAX_OPTIONS][16];
    int64_t option_value[BASKET_MAX_OPTIONS];
    size_t n_options;
};

/* round_half_up(amount * part / whole) for amount, part >= 0 and whole > 0: the value of `part`
 * seconds of a period of `whole` seconds priced `amount`. */
int64_t plan_change_prorate(int64_t amount, int64_t part, int64_t whole);

/* A priced change, as the quote shows it and the invoice bills it. */
struct plan_quote {
    int64_t service_id;
    /* From and to. */
    int64_t from_product_id, to_product_id;
    char from_cycle[16], to_cycle[16];
    int64_t from_months, to_months;
    int64_t from_amount, to_amount;  /* one cycle, before tax and coupons */
    char *from_options, *to_options; /* JSON object text */
    char to_product_name[128];
    bool product_changes, cycle_changes, keeps_coupon;
    /* The current period and what is left of it. */
    struct date period_start, period_end; /* period_end: the next due date (exclusive) */
    int64_t counted_from;                 /* the second the proration counts from */
    int64_t seconds_left, period_seconds;
    int64_t credit; /* the unused part at the price paid */
    int64_t charge; /* the rest of the period at the new price (a whole new cycle if it changes) */
    /* "upgrade" (charge > credit: invoiced now, applied when paid) or "downgrade". */
    bool upgrade;
    /* "on_payment", "now" (a downgrade or an even change, at once) or "next_renewal". */
    char timing[16];
    struct date effective_date; /* next_renewal: the date it applies */
    struct date next_due;       /* the due date once the change has applied */
    int to_anchor_day;          /* and its anchor day (today's with a new cycle) */
    struct basket basket;       /* one fixed line of |charge - credit|: tax and credits */
    int64_t balance_credit;     /* timing "now" downgrades: what the balance receives */
    bool stock_needed;          /* the new product's stock is limited */
};

void plan_quote_clear(struct plan_quote *q);

/* Parses {product_id?, cycle?, options?} (the body of both endpoints); false with the field
 * problems in `fields`. */
bool plan_target_parse(const cJSON *body, struct plan_target *t, cJSON *fields);

/* Prices the change of `svc` to `t` at `now`: the service must be active, recurring, not
 * cancelling, within a period that has begun; the new product in the same category, on sale
 * with its cycle offered and the values in its ranges; and differ from the plan it has. Field
 * problems go to `fields` (API_ERR_VALIDATION_FAILED); API_ERR_INVALID_STATUS for a service that
 * cannot change now, API_ERR_OUT_OF_STOCK. use_credits: the quote's credits_to_apply. */
enum api_error plan_change_quote(sqlite3 *conn, const struct settings *set,
                                 const struct service *svc, const struct plan_target *t,
                                 bool use_credits, int64_t now, cJSON *fields,
                                 struct plan_quote *q);

/* The open change of a service (pending payment or scheduled): its id, or 0; -1 on error. A
 * change whose invoice was voided elsewhere (the service cancelled) is closed first. */
int64_t plan_change_open(sqlite3 *conn, int64_t service_id, int64_t now);

/* Records the quoted change inside the caller's transaction: holds the new product's stock,
 * invoices an upgrade (kind "change"), applies a downgrade at once or schedules it, as the
 * quote says. API_ERR_CHANGE_PENDING when the service already has an open change. */
enum api_error plan_change_create(sqlite3 *conn, const struct settings *set,
                                  const struct plan_quote *q, int64_t user_id, int64_t now,
                                  int64_t *change_id);

/* The change's invoice was paid in full: the plan changes (invoice.c calls it). */
enum api_error plan_change_invoice_paid(sqlite3 *conn, int64_t invoice_id, int64_t now);

/* Withdraws an open change: its invoice is voided (credits held by its payment come back) and
 * the stock it held returns. API_ERR_INVALID_STATUS when it is not open. */
enum api_error plan_change_cancel(sqlite3 *conn, int64_t change_id, int64_t now);

/* An operator undoes a change: an open one is cancelled; an applied one puts the plan it
 * replaced back (audited as "service.plan_change_reverse" by the caller). */
enum api_error plan_change_reverse(sqlite3 *conn, int64_t change_id, int64_t actor_id, int64_t now);

/* Scheduled changes whose date has come apply (the scheduler's pass). 0 or -1. */
int plan_change_apply_due(sqlite3 *conn, int64_t now);

/* The plan a service renews on for the period starting `start`: a scheduled change effective
 * then replaces product, cycle, months, options and amount in `svc` (options reallocated).
 * 1 when it did, 0 when none, -1 on error. */
int plan_change_renewal_plan(sqlite3 *conn, struct service *svc, struct date start);

/* The contract's PlanChangeQuote / PlanChange objects. */
cJSON *plan_quote_json(sqlite3 *conn, const struct settings *set, const struct plan_quote *q);
cJSON *plan_change_json(sqlite3 *conn, const struct settings *set, int64_t change_id);
/* A service's changes, newest first (user_id 0: any owner). NULL on error. */
cJSON *plan_change_list_json(sqlite3 *conn, const struct settings *set, int64_t service_id);

#endif
