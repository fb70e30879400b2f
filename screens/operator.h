/* operator.h: operator mode (sett --operator): the sign-in gate, the customer search, whose
 * account the account screens show, and the operator's actions on it. */
#ifndef SETT_SCREENS_OPERATOR_H
#define SETT_SCREENS_OPERATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/types_admin.h"
#include "screens/app.h"

/* Exit status when the account or key is not an operator's (and no sign-in screen can offer
 * another one: an API key, or the embedded server's demo operator). */
#define OPERATOR_EXIT_REFUSED 3

/* Signs in (the API key, the embedded demo operator, else the sign-in screen), asks an operator
 * endpoint whether this account may use them, and shows the customer search. A 403 is refused
 * with "This account is not an operator: <the server's message>" and nothing of the operator's
 * screens: after a typed sign-in the gate says so and offers another; with a key sett ends with
 * OPERATOR_EXIT_REFUSED and the sentence on stderr (app->exit_code, app->exit_message). */
int operator_start(struct app *a, char *err, size_t errsz);
/* Frees what operator mode holds (a pending action). */
void operator_stop(struct app *a);
/* The section keys in operator mode: H the customer's overview, v services, i invoices,
 * O orders (with no customer open: every order awaiting approval), $ credits, w the customer
 * search (who); N the coupons and B the billing settings, over the search. */
bool operator_handle_nav(struct app *a, enum tui_op op);

/* Opens a customer's account: the overview, then the same screens the customer sees. */
void operator_open_customer(struct app *a, int64_t user_id, const char *email);
/* True while the account screens show another customer's account (operator mode). */
bool operator_viewing(const struct app *a);
/* A screen's title: `section`, plus " — viewing <email> (#id)" while viewing a customer. */
const char *operator_title(const struct app *a, const char *section, char *buf, size_t n);

/* Where the account screens get their data: the customer endpoints for the signed-in customer,
 * /admin/users/{id}/... for the customer an operator opened. */
uint64_t account_get_services(struct app *a, const struct list_query *q, client_services_cb cb,
                              void *ud);
uint64_t account_get_invoices(struct app *a, const struct list_query *q, client_invoices_cb cb,
                              void *ud);
uint64_t account_get_invoice(struct app *a, int64_t id, client_invoice_cb cb, void *ud);
uint64_t account_get_credits(struct app *a, client_credits_cb cb, void *ud);
uint64_t account_get_ledger(struct app *a, const struct list_query *q, client_ledger_cb cb,
                            void *ud);

/* The actions: each asks what it needs (an amount, a reason: an empty reason is refused), then a
 * confirmation; the server's answer, or its error message, goes to the status line, and the
 * account screens load again. */
void operator_refund(struct app *a, const struct invoice_summary *inv);
/* The invoice's held payment accepted as paid with what arrived. */
void operator_release(struct app *a, const struct invoice *inv);
void operator_adjust_credit(struct app *a);
void operator_toggle_suspend(struct app *a, const struct service *sv);
void operator_approve(struct app *a, const struct order *o);

extern const struct screen_ops operator_gate_screen; /* arg: NULL; until signed in as an operator */
extern const struct screen_ops operator_search_screen;   /* arg: NULL */
extern const struct screen_ops operator_orders_screen;   /* arg: NULL */
extern const struct screen_ops operator_awaiting_screen; /* arg: NULL; every customer's */
extern const struct screen_ops operator_coupons_screen;  /* arg: NULL */
extern const struct screen_ops operator_settings_screen; /* arg: NULL */
/* The customer's screens as operators see them: the same screens, other keys. */
extern const struct screen_ops operator_home_screen;
extern const struct screen_ops operator_services_screen;
extern const struct screen_ops operator_invoices_screen;
extern const struct screen_ops operator_invoice_screen;
extern const struct screen_ops operator_credits_screen;

/* Defines a customer screen and its operator twin: the same operations (the rest of the
 * initializer), named "name" and "operator-name", each with its own keys. */
#define SCREEN_OPS_WITH_OPERATOR(customer, twin, name_, keys_, twin_keys_, ...)                    \
    const struct screen_ops customer = {.name = name_, .keys = keys_, __VA_ARGS__};                \
    const struct screen_ops twin = {.name = "operator-" name_, .keys = twin_keys_, __VA_ARGS__}

#endif
