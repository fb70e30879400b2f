/* handlers_checkout.c: POST /billing/checkout: every check a customer can fail, in the order the
 * contract gives, then the order in one transaction (two around a real gateway's call, which
 * holds no lock), replayable by its Idempotency-Key. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/checkout.h"
#include "billing/clock.h"
#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/idempotency.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/lifecycle.h"
#include "billing/money.h"
#include "billing/order.h"

struct checkout_body {
    const char *method;
    bool use_credits;
    int64_t expected_total;
};

static bool checkout_body_parse(const cJSON *body, const struct settings *set,
                                struct checkout_body *b, struct reply *rep)
{
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(body, "payment_method");
    const cJSON *credits = cJSON_GetObjectItemCaseSensitive(body, "use_credits");
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(body, "expected_total");
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(total, "amount");
    const cJSON *currency = cJSON_GetObjectItemCaseSensitive(total, "currency");

    if (!cJSON_IsString(method) ||
        (strcmp(method->valuestring, "stripe") != 0 && strcmp(method->valuestring, "paypal") != 0 &&
         strcmp(method->valuestring, "credits") != 0))
        reply_field(rep, "payment_method",
                    method ? "must be one of stripe, paypal, credits" : "is required");
    else
        b->method = method->valuestring;
    if (!cJSON_IsBool(credits))
        reply_field(rep, "use_credits", credits ? "must be true or false" : "is required");
    else
        b->use_credits = cJSON_IsTrue(credits);
    if (!cJSON_IsObject(total))
        reply_field(rep, "expected_total", total ? "must be a Money object" : "is required");
    else if (!json_get_int(amount, &b->expected_total) || b->expected_total < 0)
        reply_field(rep, "expected_total.amount", "must be a non-negative integer");
    if (cJSON_IsObject(total) &&
        (!cJSON_IsString(currency) || strcmp(currency->valuestring, set->currency_code) != 0))
        reply_field(rep, "expected_total.currency", "must be the store currency");
    return !reply_has_fields(rep);
}

/* The refusals that depend on the cart: cart_empty, the coupon, stock, the total, credits. */
static bool checkout_refused(struct request *req, struct reply *rep, sqlite3 *conn,
                             const struct settings *set, struct cart *c,
                             const struct checkout_body *b, int64_t now)
{
    char msg[256], money[48], value[32];
    struct coupon coupon;
    bool short_stock = false;
    enum api_error err;

    if (c->basket.n_lines == 0) {
        reply_error(rep, API_ERR_CART_EMPTY, "The cart is empty.");
        return true;
    }
    if (!payment_method_available(req->app, set, b->method)) {
        reply_field(rep, "payment_method", "is not enabled");
        reply_error(rep, API_ERR_PAYMENT_METHOD_UNAVAILABLE, "%s is not available in this store.",
                    b->method);
        return true;
    }
    if ((err = cart_price(conn, set, c, now)) != API_OK) {
        reply_error(rep, err, NULL);
        return true;
    }
    if (c->coupon_refusal != API_OK) {
        /* The cart is left as it is: the customer removes the coupon or tries another. */
        if (coupon_load(conn, c->coupon_id, &coupon) == API_OK)
            coupon_refusal(&coupon, c->coupon_refusal, set, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "The coupon on your cart no longer exists.");
        reply_error(rep, c->coupon_refusal, "%s", msg);
        return true;
    }
    for (size_t i = 0; i < c->basket.n_lines; i++) {
        const struct basket_line *l = &c->basket.lines[i];
        char field[48];

        if (l->available)
            continue;
        snprintf(field, sizeof field, "cart_item.%lld", (long long)l->in.cart_item_id);
        snprintf(msg, sizeof msg, "%s: %lld left, %lld requested", l->product_name,
                 (long long)(l->on_sale && l->stock_left > 0 ? l->stock_left : 0),
                 (long long)l->in.quantity);
        reply_field(rep, field, msg);
        short_stock = true;
    }
    if (short_stock) {
        reply_error(rep, API_ERR_OUT_OF_STOCK, "A product in your cart is out of stock.");
        return true;
    }
    if (c->basket.totals.total != b->expected_total) {
        snprintf(value, sizeof value, "%lld", (long long)c->basket.totals.total);
        reply_field(rep, "total", value);
        reply_field(rep, "currency", set->currency_code);
        reply_error(rep, API_ERR_PRICE_CHANGED,
                    "The cart total changed to %s. Review the cart and confirm again.",
                    billing_money_text(set, c->basket.totals.total, money, sizeof money));
        return true;
    }
    if (strcmp(b->method, "credits") == 0 &&
        c->basket.totals.credits_available < c->basket.totals.total) {
        char need[48];

        snprintf(value, sizeof value, "%lld", (long long)c->basket.totals.credits_available);
        reply_field(rep, "balance", value);
        snprintf(value, sizeof value, "%lld", (long long)c->basket.totals.total);
        reply_field(rep, "required", value);
        reply_error(
            rep, API_ERR_INSUFFICIENT_CREDITS, "Your credit balance of %s does not cover %s.",
            billing_money_text(set, c->basket.totals.credits_available, money, sizeof money),
            billing_money_text(set, c->basket.totals.total, need, sizeof need));
        return true;
    }
    (void)req;
    return false;
}

/* Adds item to an object (name) or array (NULL name), freeing it when that fails. */
static bool checkout_add(cJSON *parent, const char *name, cJSON *item)
{
    if (item &&
        (name ? cJSON_AddItemToObject(parent, name, item) : cJSON_AddItemToArray(parent, item)))
        return true;
    cJSON_Delete(item);
    return false;
}

static cJSON *checkout_json(struct request *req, sqlite3 *conn, const struct settings *set,
                            const struct checkout_result *r)
{
    cJSON *d = cJSON_CreateObject(), *services;
    char base[160];

    commerce_base_url(req, base, sizeof base);
    if (!d || !checkout_add(d, "order", order_json(conn, set, r->order_id, req->user_id)) ||
        !checkout_add(d, "invoice", invoice_json(conn, set, r->invoice_id, req->user_id)) ||
        !(services = cJSON_AddArrayToObject(d, "services")))
        goto fail;
    for (size_t i = 0; i < r->n_services; i++)
        if (!checkout_add(services, NULL,
                          lifecycle_service_json(conn, set, r->service_ids[i], req->user_id)))
            goto fail;
    if (!checkout_add(d, "payment",
                      payment_json(conn, set, r->payment.payment_id, req->user_id, base)))
        goto fail;
    return d;
fail:
    cJSON_Delete(d);
    return NULL;
}

/* What the gateway's answer does to a checkout: the 201 with the order, or the order undone and
 * the cart back (commerce_gateway_finish). */
struct checkout_finish {
    struct commerce_finish base; /* first: the callbacks get it back */
    struct request *req;
    const struct settings *set;
    const struct cart *cart;
    const struct checkout_result *result;
    int64_t now;
};

static cJSON *checkout_finish_body(const struct commerce_finish *f, sqlite3 *conn)
{
    const struct checkout_finish *cf = (const struct checkout_finish *)f;
    return checkout_json(cf->req, conn, cf->set, cf->result);
}

static enum api_error checkout_finish_undo(const struct commerce_finish *f, sqlite3 *conn)
{
    const struct checkout_finish *cf = (const struct checkout_finish *)f;
    return checkout_undo(conn, cf->cart, cf->result, cf->now);
}

static void checkout_run(struct request *req, struct reply *rep, sqlite3 *conn,
                         const struct settings *set, struct cart *c, int64_t now)
{
    struct checkout_body b = {0};
    struct checkout_result *r = NULL;
    struct gateway_call *call = NULL;
    const char *match = request_header(req, "If-Match");
    enum api_error err;

    if (!checkout_body_parse(req->json, set, &b, rep)) {
        reply_validation(rep);
        return;
    }
    if (db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    /* A retry of a checkout that went through replays it, even though its cart has moved on. */
    if (idempotency_check(conn, req, rep, true) == IDEM_DONE)
        goto rollback;
    if ((err = cart_load(conn, req->user_id, now, c)) != API_OK) {
        reply_error(rep, err, NULL);
        goto rollback;
    }
    if (!cart_if_match(match, c->version)) {
        reply_error(rep, API_ERR_PRECONDITION_FAILED, NULL);
        commerce_etag(rep, c->version);
        goto rollback;
    }
    if (checkout_refused(req, rep, conn, set, c, &b, now))
        goto rollback;
    if (!(r = calloc(1, sizeof *r)) || !(call = calloc(1, sizeof *call))) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto rollback;
    }
    err = checkout_place(req->app, conn, set, c, b.method, b.use_credits, now, r);
    if (err == API_OK)
        err = gateway_prepare(req->app, conn, set, r->payment.payment_id, req->user_id,
                              request_header(req, "Idempotency-Key"), call);
    if (err != API_OK) {
        reply_error(rep, err, NULL);
        goto rollback;
    }
    if (call->ops) {
        /* A real gateway's page: the order, its payment waiting without a page yet, and the key
         * in progress are committed first, so that no lock is held while the gateway answers.
         * Should the server stop before commerce_gateway_finish, the payment expires as any unpaid
         * one does (its credits and stock come back) and the order is cancelled. */
        if (idempotency_reserve(conn, req) != 0 || db_commit(conn) != 0) {
            reply_error(rep, API_ERR_INTERNAL, NULL);
            goto rollback;
        }
        struct checkout_finish f = {
            {checkout_finish_body, checkout_finish_undo}, req, set, c, r, now};
        commerce_gateway_finish(req, rep, conn, call, &f.base);
        goto done;
    }
    reply_data(rep, 201, checkout_json(req, conn, set, r));
    if (rep->status != 201 || idempotency_store(conn, req, rep) != 0 || db_commit(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto rollback;
    }
    goto done;
rollback:
    db_rollback(conn);
done:
    free(call);
    free(r);
}

void handle_checkout(struct request *req, struct reply *rep)
{
    struct cart *c;
    struct settings set;
    sqlite3 *conn;

    if (!request_header(req, "Idempotency-Key")) {
        reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REQUIRED, NULL);
        return;
    }
    if (!request_header(req, "If-Match")) {
        reply_error(rep, API_ERR_PRECONDITION_REQUIRED, NULL);
        return;
    }
    if (!(c = malloc(sizeof *c))) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        checkout_run(req, rep, conn, &set, c, clock_now(req->app));
    db_release(req->app->db);
    free(c);
}
