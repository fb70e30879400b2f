/* handlers_cart.c: the account's cart: show it, add, change and remove lines. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/cart.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/settings.h"

/* Answers the cart as it is now, with its ETag. Runs with the database held. */
static void cart_reply(sqlite3 *conn, const struct settings *set, int64_t user_id, int64_t now,
                       unsigned status, struct reply *rep)
{
    struct cart *c = malloc(sizeof *c);
    enum api_error err = c ? cart_load(conn, user_id, now, c) : API_ERR_INTERNAL;

    if (err == API_OK)
        err = cart_price(conn, set, c, now);
    if (err != API_OK) {
        reply_error(rep, err, NULL);
    } else {
        reply_data(rep, status, cart_json(set, c));
        commerce_etag(rep, c->version);
    }
    free(c);
}

void handle_cart_get(struct request *req, struct reply *rep)
{
    struct settings set;
    sqlite3 *conn = db_acquire(req->app->db);

    if (settings_load(conn, &set) != 0)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        cart_reply(conn, &set, req->user_id, clock_now(req->app), 200, rep);
    db_release(req->app->db);
}

/* The start every cart change shares: settings, the transaction, the cart, If-Match. False
 * when the reply is already made (the transaction then rolled back). */
static bool cart_begin(struct request *req, struct reply *rep, sqlite3 *conn, struct settings *set,
                       struct cart *c, int64_t now)
{
    const char *match = request_header(req, "If-Match");
    enum api_error err = API_ERR_INTERNAL;

    if (settings_load(conn, set) == 0 && db_begin(conn) == 0)
        err = cart_load(conn, req->user_id, now, c);
    if (err == API_OK && match && !cart_if_match(match, c->version)) {
        err = API_ERR_PRECONDITION_FAILED;
        commerce_etag(rep, c->version);
    }
    if (err == API_OK)
        return true;
    db_rollback(conn);
    reply_error(rep, err, NULL);
    return false;
}

/* Prices one line alone to check it: 422 with field problems, 409 when its stock is short.
 * `stock_field` names the line in an out_of_stock answer. */
static bool cart_line_check(sqlite3 *conn, const struct settings *set, struct basket *b,
                            const char *stock_field, struct reply *rep)
{
    cJSON *fields = cJSON_CreateObject();
    enum api_error err =
        fields ? basket_price(conn, set, b, 0, 0, false, fields) : API_ERR_INTERNAL;
    const struct basket_line *l = &b->lines[0];
    char msg[200];

    if (err == API_OK && !l->on_sale) {
        reply_field(rep, "product_id", "no such product");
        err = API_ERR_VALIDATION_FAILED;
    } else if (err == API_ERR_VALIDATION_FAILED) {
        commerce_fields(rep, fields, "items[0].");
    }
    cJSON_Delete(fields);
    if (err == API_OK && !l->available) {
        snprintf(msg, sizeof msg, "%s: not enough left for %lld", l->product_name,
                 (long long)l->in.quantity);
        reply_field(rep, stock_field, msg);
        reply_error(rep, API_ERR_OUT_OF_STOCK, "%s is sold out, or has fewer left than asked.",
                    l->product_name);
        return false;
    }
    if (err != API_OK) {
        if (err == API_ERR_VALIDATION_FAILED)
            reply_validation(rep);
        else
            reply_error(rep, err, NULL);
        return false;
    }
    return true;
}

static bool cart_line_store(sqlite3 *conn, const struct basket_line_in *in, int64_t user_id,
                            int64_t now)
{
    char *options = cart_options_text(in);
    sqlite3_stmt *st =
        options ? db_prepare(conn, in->cart_item_id ? "UPDATE cart_items SET cycle = ?3,"
                                                      " options = ?4, quantity = ?5 WHERE"
                                                      " id = ?6 AND user_id = ?1"
                                                    : "INSERT INTO cart_items(user_id,"
                                                      " product_id, cycle, options, quantity,"
                                                      " created_at) VALUES (?1, ?2, ?3, ?4,"
                                                      " ?5, ?6)")
                : NULL;
    bool ok = false;

    if (st) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_int64(st, 2, in->product_id);
        sqlite3_bind_text(st, 3, in->cycle, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, options, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, in->quantity);
        sqlite3_bind_int64(st, 6, in->cart_item_id ? in->cart_item_id : now);
        ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(conn) == 1;
    }
    db_finalize(st);
    cJSON_free(options);
    return ok;
}

/* Stores the checked line, bumps the version and answers the cart; commits or rolls back. */
static void cart_finish(sqlite3 *conn, const struct settings *set, const struct basket_line_in *in,
                        int64_t user_id, int64_t now, unsigned status, struct reply *rep)
{
    if ((in && !cart_line_store(conn, in, user_id, now)) || cart_bump(conn, user_id, now) != 0 ||
        db_commit(conn) != 0) {
        db_rollback(conn);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    cart_reply(conn, set, user_id, now, status, rep);
}

void handle_cart_item_add(struct request *req, struct reply *rep)
{
    struct cart *c = malloc(sizeof *c);
    struct basket *b = calloc(1, sizeof *b);
    struct settings set;
    int64_t now = clock_now(req->app);
    sqlite3 *conn;

    if (!c || !b) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    b->n_lines = 1;
    commerce_line_parse(req->json, "", false, rep, &b->lines[0].in);
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        goto done;
    }
    conn = db_acquire(req->app->db);
    if (cart_begin(req, rep, conn, &set, c, now)) {
        if (c->basket.n_lines >= CART_MAX_LINES) {
            db_rollback(conn);
            reply_field(rep, "items", "a cart holds at most 20 lines");
            reply_validation(rep);
        } else if (!cart_line_check(conn, &set, b, "product_id", rep)) {
            db_rollback(conn);
        } else {
            cart_finish(conn, &set, &b->lines[0].in, req->user_id, now, 201, rep);
        }
    }
    db_release(req->app->db);
done:
    free(b);
    free(c);
}

/* The cart line the path names, or NULL (404 answered). */
static struct basket_line *cart_line_find(struct request *req, struct reply *rep, struct cart *c)
{
    int64_t id = 0;

    if (commerce_id(req->params[0], &id))
        for (size_t i = 0; i < c->basket.n_lines; i++)
            if (c->basket.lines[i].in.cart_item_id == id)
                return &c->basket.lines[i];
    reply_error(rep, API_ERR_NOT_FOUND, "Your cart has no line %s.",
                commerce_id(req->params[0], &id) ? req->params[0] : "with that id");
    return NULL;
}

void handle_cart_item_update(struct request *req, struct reply *rep)
{
    struct cart *c = malloc(sizeof *c);
    struct basket *b = calloc(1, sizeof *b);
    struct basket_line *line;
    struct settings set;
    int64_t now = clock_now(req->app);
    char field[48];
    sqlite3 *conn;

    if (!c || !b) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    conn = db_acquire(req->app->db);
    if (!cart_begin(req, rep, conn, &set, c, now))
        goto release;
    if (!(line = cart_line_find(req, rep, c))) {
        db_rollback(conn);
        goto release;
    }
    b->n_lines = 1;
    b->lines[0].in = line->in;
    commerce_line_parse(req->json, "", true, rep, &b->lines[0].in);
    snprintf(field, sizeof field, "cart_item.%lld", (long long)line->in.cart_item_id);
    if (reply_has_fields(rep)) {
        db_rollback(conn);
        reply_validation(rep);
    } else if (!cart_line_check(conn, &set, b, field, rep)) {
        db_rollback(conn);
    } else {
        cart_finish(conn, &set, &b->lines[0].in, req->user_id, now, 200, rep);
    }
release:
    db_release(req->app->db);
done:
    free(b);
    free(c);
}

void handle_cart_item_remove(struct request *req, struct reply *rep)
{
    struct cart *c = malloc(sizeof *c);
    struct basket_line *line;
    struct settings set;
    int64_t now = clock_now(req->app);
    sqlite3_stmt *st = NULL;
    sqlite3 *conn;

    if (!c) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    conn = db_acquire(req->app->db);
    if (!cart_begin(req, rep, conn, &set, c, now))
        goto release;
    if (!(line = cart_line_find(req, rep, c))) {
        db_rollback(conn);
        goto release;
    }
    st = db_prepare(conn, "DELETE FROM cart_items WHERE id = ? AND user_id = ?");
    if (!st) {
        db_rollback(conn);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    sqlite3_bind_int64(st, 1, line->in.cart_item_id);
    sqlite3_bind_int64(st, 2, req->user_id);
    if (sqlite3_step(st) != SQLITE_DONE) {
        db_rollback(conn);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    cart_finish(conn, &set, NULL, req->user_id, now, 200, rep);
release:
    db_finalize(st);
    db_release(req->app->db);
    free(c);
}
