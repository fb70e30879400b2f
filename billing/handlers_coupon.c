/* handlers_coupon.c: coupon codes on the cart, and quotes (pricing a basket with no side
 * effects), which try codes too; refused codes count against the caller's rate limit. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/cart.h"
#include "billing/clock.h"
#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/settings.h"
#include "billing/text.h"

/* Answers a coupon refusal with its code, its sentence and, for a minimum, the minimum. */
static void coupon_refuse(struct request *req, struct reply *rep, const struct settings *set,
                          const struct coupon *c, const char *code, enum api_error err)
{
    char msg[256], echo[80], minimum[32];

    if (err == API_ERR_INTERNAL) {
        reply_error(rep, err, NULL);
        return;
    }
    commerce_coupon_refused(req);
    if (err == API_ERR_COUPON_NOT_FOUND) {
        reply_error(rep, err, "There is no coupon %s.", text_echo(code, echo, sizeof echo));
        return;
    }
    if (err == API_ERR_COUPON_MINIMUM_NOT_MET) {
        snprintf(minimum, sizeof minimum, "%lld", (long long)c->min_subtotal);
        reply_field(rep, "minimum", minimum);
    }
    coupon_refusal(c, err, set, msg, sizeof msg);
    reply_error(rep, err, "%s", msg);
}

/* The code of a coupon request: a string of 1 to 64 characters. */
static const char *coupon_code_field(const cJSON *v, const char *field, struct reply *rep)
{
    if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > 64) {
        reply_field(rep, field, v ? "must be a string of 1 to 64 characters" : "is required");
        return NULL;
    }
    return v->valuestring;
}

void handle_cart_coupon_put(struct request *req, struct reply *rep)
{
    const char *code =
        coupon_code_field(cJSON_GetObjectItemCaseSensitive(req->json, "code"), "code", rep);
    struct cart *cart = malloc(sizeof *cart);
    struct settings set;
    struct coupon c;
    int64_t now = clock_now(req->app);
    enum api_error err;
    sqlite3_stmt *st = NULL;
    sqlite3 *conn;

    if (!code || !cart) {
        if (!cart)
            reply_error(rep, API_ERR_INTERNAL, NULL);
        else
            reply_validation(rep);
        free(cart);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0 ||
        (err = cart_load(conn, req->user_id, now, cart)) != API_OK) {
        db_rollback(conn);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    if (request_header(req, "If-Match") &&
        !cart_if_match(request_header(req, "If-Match"), cart->version)) {
        db_rollback(conn);
        reply_error(rep, API_ERR_PRECONDITION_FAILED, NULL);
        commerce_etag(rep, cart->version);
        goto release;
    }
    if (!commerce_coupon_allowed(req, rep)) {
        db_rollback(conn);
        goto release;
    }
    err = coupon_find(conn, code, &c);
    if (err == API_OK)
        err = coupon_check(conn, &c, req->user_id, now);
    if (err == API_OK)
        err = basket_price(conn, &set, &cart->basket, c.id, req->user_id, true, NULL);
    if (err == API_OK &&
        (st = db_prepare(conn, "UPDATE carts SET coupon_id = ? WHERE user_id = ?"))) {
        sqlite3_bind_int64(st, 1, c.id);
        sqlite3_bind_int64(st, 2, req->user_id);
        if (sqlite3_step(st) != SQLITE_DONE)
            err = API_ERR_INTERNAL;
    } else if (err == API_OK) {
        err = API_ERR_INTERNAL;
    }
    if (err != API_OK) {
        db_rollback(conn);
        coupon_refuse(req, rep, &set, &c, code, err);
        goto release;
    }
    if (cart_bump(conn, req->user_id, now) != 0 || db_commit(conn) != 0) {
        db_rollback(conn);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    cart_load(conn, req->user_id, now, cart);
    if ((err = cart_price(conn, &set, cart, now)) != API_OK) {
        reply_error(rep, err, NULL);
    } else {
        reply_data(rep, 200, cart_json(&set, cart));
        commerce_etag(rep, cart->version);
    }
release:
    db_finalize(st);
    db_release(req->app->db);
    free(cart);
}

void handle_cart_coupon_delete(struct request *req, struct reply *rep)
{
    struct cart *cart = malloc(sizeof *cart);
    struct settings set;
    int64_t now = clock_now(req->app);
    const char *match = request_header(req, "If-Match");
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;

    if (!cart) {
        reply_error(rep, err, NULL);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && db_begin(conn) == 0)
        err = cart_load(conn, req->user_id, now, cart);
    if (err == API_OK && match && !cart_if_match(match, cart->version)) {
        err = API_ERR_PRECONDITION_FAILED;
        commerce_etag(rep, cart->version);
    }
    /* Removing what is not there changes nothing, so the version stays. */
    if (err == API_OK && cart->coupon_id) {
        sqlite3_stmt *st = db_prepare(conn, "UPDATE carts SET coupon_id = NULL WHERE user_id = ?");

        if (st)
            sqlite3_bind_int64(st, 1, req->user_id);
        if (!st || sqlite3_step(st) != SQLITE_DONE || cart_bump(conn, req->user_id, now) != 0)
            err = API_ERR_INTERNAL;
        db_finalize(st);
    }
    if (err == API_OK && db_commit(conn) != 0)
        err = API_ERR_INTERNAL;
    if (err == API_OK)
        err = cart_load(conn, req->user_id, now, cart);
    if (err == API_OK)
        err = cart_price(conn, &set, cart, now);
    if (err != API_OK) {
        db_rollback(conn);
        reply_error(rep, err, NULL);
    } else {
        reply_data(rep, 200, cart_json(&set, cart));
        commerce_etag(rep, cart->version);
    }
    db_release(req->app->db);
    free(cart);
}
