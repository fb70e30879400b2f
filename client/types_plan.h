/* types_plan.h: changes of a service's plan (product, resources, cycle): the quote, the change as
 * recorded, and the requests for them. Field-table records (client/record.h). */
#ifndef SETT_CLIENT_TYPES_PLAN_H
#define SETT_CLIENT_TYPES_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "client/record.h"

/* One end of a change: the plan a service has, or will have. */
struct plan_side {
    int64_t product_id;
    char *product_slug;
    char *product_name;
    char *cycle;                  /* billing_cycle_str() name */
    struct option_value *options; /* its configurable resources' values, in the server's order */
    size_t n_options;
    struct money recurring_price;
};

/* POST /billing/services/{id}/change-quote: what the change costs (amounts in minor units). */
struct plan_quote {
    int64_t service_id;
    struct plan_side from, to;
    char *direction;      /* "upgrade" or "downgrade" */
    char *timing;         /* "on_payment", "now" or "next_renewal" */
    char *effective_date; /* next_renewal: the day it applies; "" otherwise */
    char *period_start, *period_end;
    int64_t seconds_left, period_seconds;
    struct money credit, charge, net, tax, total;
    struct money credits_available, credits_to_apply, due_now, refund_to_balance;
    char *next_renewal_date;
    struct money next_renewal_amount;
};

/* A change as recorded. */
struct plan_change {
    int64_t id, service_id;
    char *status; /* pending_payment, scheduled, applied, cancelled, reversed */
    char *direction, *timing;
    struct plan_side from, to;
    struct money credit, charge, net, tax, total, refund_to_balance;
    int64_t invoice_id; /* an upgrade's invoice to pay; 0 for none */
    char *effective_date, *created_at, *applied_at, *cancelled_at, *reversed_at;
};

struct plan_change_page {
    struct plan_change *items;
    size_t n;
    struct page_meta meta;
};

/* What to change to: unset parts stay (product_id 0, cycle NULL, no options). */
struct plan_target {
    int64_t product_id;
    const char *cycle;
    const struct option_choice *options;
    size_t n_options;
};

extern const struct record_table plan_quote_table;
extern const struct record_table plan_change_table;
void plan_quote_free(struct plan_quote **q);
void plan_change_free(struct plan_change **c);
void plan_change_page_free(struct plan_change_page **p);

int decode_plan_quote(const char *body, size_t len, struct plan_quote **out,
                      struct client_error *err);
/* The change of a 201 {change, invoice} (its invoice is fetched by invoice_id), or of a 200. */
int decode_plan_change_result(const char *body, size_t len, struct plan_change **out,
                              struct client_error *err);
int decode_plan_change(const char *body, size_t len, struct plan_change **out,
                       struct client_error *err);
int decode_plan_changes(const char *body, size_t len, struct plan_change_page **out,
                        struct client_error *err);

typedef void (*client_plan_quote_cb)(void *ud, struct plan_quote *value,
                                     const struct client_error *err);
typedef void (*client_plan_change_cb)(void *ud, struct plan_change *value,
                                      const struct client_error *err);
typedef void (*client_plan_changes_cb)(void *ud, struct plan_change_page *value,
                                       const struct client_error *err);

/* Prices a change with no side effects. Refusals: "invalid_status", "out_of_stock", and 422
 * with the field named. free: plan_quote_free */
uint64_t client_quote_plan_change(struct client *c, int64_t service_id, const struct plan_target *t,
                                  bool use_credits, client_plan_quote_cb cb, void *ud);
/* Makes the change at the quoted total; key as for checkout (the same on every retry).
 * Refusals: "change_pending", "price_changed" (details "total"), "invalid_status",
 * "out_of_stock". free: plan_change_free */
uint64_t client_change_plan(struct client *c, int64_t service_id, const struct plan_target *t,
                            const struct money *expected_total, const char *idempotency_key,
                            client_plan_change_cb cb, void *ud);
/* Withdraws a waiting change (its invoice is cancelled). free: plan_change_free */
uint64_t client_withdraw_plan_change(struct client *c, int64_t service_id, int64_t change_id,
                                     client_plan_change_cb cb, void *ud);
/* The service's changes, newest first. free: plan_change_page_free */
uint64_t client_get_plan_changes(struct client *c, int64_t service_id, client_plan_changes_cb cb,
                                 void *ud);

#endif
