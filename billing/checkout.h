/* checkout.h: turning a checked, priced cart into an order, its invoice, its services and the
 * start of its payment, inside the caller's transaction. */
#ifndef SETT_BILLING_CHECKOUT_H
#define SETT_BILLING_CHECKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/cart.h"
#include "billing/payment.h"
#include "billing/settings.h"

struct billingd;

struct checkout_result {
    int64_t order_id, invoice_id;
    struct payment_outcome payment;
    int64_t service_ids[BASKET_MAX_LINES * 10];
    size_t n_services;
};

/* The cart must be priced (cart_price) with its coupon valid and its lines available; stock is
 * taken and the coupon use counted here, atomically (API_ERR_OUT_OF_STOCK,
 * API_ERR_COUPON_EXHAUSTED when another checkout took them first). Empties the cart. */
enum api_error checkout_place(struct billingd *app, sqlite3 *conn, const struct settings *set,
                              struct cart *c, const char *method, bool use_credits, int64_t now,
                              struct checkout_result *out);

/* Undoes a placed checkout whose gateway page could not be opened, in a transaction after the
 * one that placed it: the payment fails as a declined one does (its credits come back, the order
 * and invoice are cancelled, the stock and the coupon's use return), then the attempt, which
 * no one has seen, is removed and the cart `c` it was placed from comes back, so the client's
 * retry places it again under the same ids. An order that moved on meanwhile is left alone. */
enum api_error checkout_undo(sqlite3 *conn, const struct cart *c, const struct checkout_result *r,
                             int64_t now);

#endif
