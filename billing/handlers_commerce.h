/* handlers_commerce.h: the money path's routes (quotes, cart, checkout, payments, orders,
 * credits, sandbox gateway) and the request helpers they share. */
#ifndef SETT_BILLING_HANDLERS_COMMERCE_H
#define SETT_BILLING_HANDLERS_COMMERCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "billing/basket.h"
#include "billing/request.h"

/* handlers_cart.c */
void handle_cart_get(struct request *req, struct reply *rep);
void handle_cart_item_add(struct request *req, struct reply *rep);
void handle_cart_item_update(struct request *req, struct reply *rep);
void handle_cart_item_remove(struct request *req, struct reply *rep);
/* handlers_coupon.c */
void handle_quote(struct request *req, struct reply *rep);
void handle_cart_coupon_put(struct request *req, struct reply *rep);
void handle_cart_coupon_delete(struct request *req, struct reply *rep);
/* handlers_checkout.c */
void handle_checkout(struct request *req, struct reply *rep);
/* handlers_payments.c */
void handle_payment_get(struct request *req, struct reply *rep);
void handle_invoice_pay(struct request *req, struct reply *rep);
void handle_orders(struct request *req, struct reply *rep);
void handle_order(struct request *req, struct reply *rep);
/* handlers_credits.c */
void handle_credits(struct request *req, struct reply *rep);
void handle_credit_transactions(struct request *req, struct reply *rep);
void handle_credit_deposit(struct request *req, struct reply *rep);
/* sandbox.c and webhook.c: the reference server's gateway, outside /api/v1. */
void handle_sandbox_page(struct request *req, struct reply *rep);
void handle_sandbox_action(struct request *req, struct reply *rep);
void handle_webhook(struct request *req, struct reply *rep);

/* commerce_request.c: helpers. */
/* "42" → 42: a positive decimal id that fits; anything else is false. */
bool commerce_id(const char *s, int64_t *id);
/* Reads a LineRequest (or, when `patch`, the members a CartItemPatch has) into `in`, noting
 * problems as fields named prefix + member ("items[0].cycle"). */
void commerce_line_parse(const cJSON *obj, const char *prefix, bool patch, struct reply *rep,
                         struct basket_line_in *in);
/* Moves basket_price's field problems into the reply, dropping `strip` from their names. */
void commerce_fields(struct reply *rep, cJSON *fields, const char *strip);
/* "http://host:port" where this server was reached, for links back to it. */
void commerce_base_url(const struct request *req, char *buf, size_t size);
/* page and per_page of a list (422 details on the reply when wrong). */
bool commerce_page(struct request *req, struct reply *rep, int64_t *page, int64_t *per_page);
/* The cart's version as its ETag header. */
void commerce_etag(struct reply *rep, int64_t version);
/* 429 with Retry-After while this caller has refused coupon codes to spare; true when it may try.
 */
bool commerce_coupon_allowed(struct request *req, struct reply *rep);
/* Counts a refused coupon code against the caller. */
void commerce_coupon_refused(struct request *req);

/* commerce_gateway.c: the gateway's part of a request that moves money (checkout, paying an
 * invoice), once the attempt is committed with its Idempotency-Key in progress. `body` makes the
 * 201 answer; `undo` takes the attempt back when the gateway refused (nothing was charged). Each
 * gets the finish struct itself, which a handler embeds first in its own context. */
struct gateway_call;
struct commerce_finish {
    cJSON *(*body)(const struct commerce_finish *f, sqlite3 *conn);
    enum api_error (*undo)(const struct commerce_finish *f, sqlite3 *conn);
};
/* Asks the gateway with no database held (a gateway that hangs holds up this request only), then
 * stores its page, or undoes the attempt, in a second transaction that also completes the key.
 * Called and returns with the database held. */
void commerce_gateway_finish(struct request *req, struct reply *rep, sqlite3 *conn,
                             struct gateway_call *call, const struct commerce_finish *f);

#endif
