/* checkout.c: the cart becomes an order, an invoice, one service per unit and a payment, in the
 * caller's transaction, so either all of it happens or none. */
#include "billing/checkout.h"

#include <stdio.h>
#include <string.h>

#include "billing/clock.h"
#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/order.h"

/* Binds integers (NUL for SQL NULL) and optional texts, runs; the new row's id or changes. */
#define NUL INT64_MIN

static int64_t checkout_exec(sqlite3 *conn, const char *sql, const int64_t *v,
                             const char *const *text, int n, bool insert)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t rc = -1;

    if (!st)
        return -1;
    for (int i = 0; i < n; i++) {
        if (text && text[i])
            sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT);
        else if (v[i] != NUL)
            sqlite3_bind_int64(st, i + 1, v[i]);
    }
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = insert ? sqlite3_last_insert_rowid(conn) : sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

static int64_t checkout_order(sqlite3 *conn, const struct cart *c, int64_t credits, int64_t now)
{
    const struct basket_totals *t = &c->basket.totals;
    char year[8];

    snprintf(year, sizeof year, "%04d", date_from_unix(now).y % 10000);
    return checkout_exec(
        conn,
        "INSERT INTO orders(id, number, user_id, status, coupon_id, subtotal, discount, tax,"
        " total, credits_applied, created_at, updated_at) "
        "SELECT n, printf('ORD-%s-%06d', ?1, n), ?2, 'pending_payment', NULLIF(?3, 0), ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?9 FROM (SELECT COALESCE(MAX(id), 0) + 1 AS n FROM orders)",
        (int64_t[]){0, c->user_id, c->basket.coupon_id, t->subtotal, t->discount, t->tax, t->total,
                    credits, now},
        (const char *[]){year, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL}, 9, true);
}

/* Takes each line's units from limited stock; the condition is in the statement, so two
 * checkouts can never both take the last unit. */
static enum api_error checkout_stock(sqlite3 *conn, const struct basket *b)
{
    for (size_t i = 0; i < b->n_lines; i++) {
        const struct basket_line *l = &b->lines[i];
        int64_t n =
            checkout_exec(conn,
                          "UPDATE products SET stock_available = CASE WHEN stock_limited = 1 THEN"
                          " stock_available - ?2 ELSE stock_available END WHERE id = ?1 AND"
                          " (stock_limited = 0 OR stock_available >= ?2)",
                          (int64_t[]){l->in.product_id, l->in.quantity}, NULL, 2, false);

        if (n < 0)
            return API_ERR_INTERNAL;
        if (n == 0)
            return API_ERR_OUT_OF_STOCK;
    }
    return API_OK;
}

/* One pending service per unit; a line of one unit also names its service on the invoice. */
static enum api_error checkout_services(sqlite3 *conn, const struct cart *c,
                                        const struct coupon *coupon, int64_t order_id,
                                        int64_t invoice_id, int64_t now,
                                        struct checkout_result *out)
{
    struct date today = date_from_unix(now);

    for (size_t i = 0; i < c->basket.n_lines; i++) {
        const struct basket_line *l = &c->basket.lines[i];
        bool recurring = strcmp(l->in.cycle, "one_time") != 0;
        /* A coupon that lasts beyond the first invoice follows the service into renewals. */
        bool keeps = coupon && l->coupon_applies && strcmp(coupon->duration, "once") != 0;
        bool repeating = keeps && strcmp(coupon->duration, "repeating") == 0;
        char due[DATE_CHARS], *options = cart_options_text(&l->in);

        date_format(date_add_months(today, (int)l->months, today.d), due);
        for (int64_t q = 0; q < l->in.quantity; q++) {
            int64_t id =
                options ? checkout_exec(conn,
                                        "INSERT INTO services(user_id, order_id, product_id, name,"
                                        " status, cycle, months, options, recurring_amount,"
                                        " coupon_id, coupon_cycles_left, anchor_day,"
                                        " next_due_date, created_at) VALUES (?, ?, ?, ?,"
                                        " 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        (int64_t[]){c->user_id, order_id, l->in.product_id, 0, 0,
                                                    l->months, 0, recurring ? l->unit_amount : 0,
                                                    keeps ? coupon->id : NUL,
                                                    repeating ? coupon->duration_cycles - 1
                                                    : keeps   ? NUL
                                                              : 0,
                                                    today.d, NUL, now},
                                        (const char *[]){NULL, NULL, NULL, l->product_name,
                                                         l->in.cycle, NULL, options, NULL, NULL,
                                                         NULL, NULL, recurring ? due : NULL, NULL},
                                        13, true)
                        : -1;

            if (id <= 0 ||
                out->n_services == sizeof out->service_ids / sizeof out->service_ids[0]) {
                cJSON_free(options);
                return API_ERR_INTERNAL;
            }
            out->service_ids[out->n_services++] = id;
            if (l->in.quantity == 1 &&
                checkout_exec(conn,
                              "UPDATE invoice_lines SET service_id = ?1 WHERE id = (SELECT id"
                              " FROM invoice_lines WHERE invoice_id = ?2 AND kind = 'item'"
                              " ORDER BY id LIMIT 1 OFFSET ?3)",
                              (int64_t[]){id, invoice_id, (int64_t)i}, NULL, 3, false) != 1) {
                cJSON_free(options);
                return API_ERR_INTERNAL;
            }
        }
        cJSON_free(options);
    }
    return API_OK;
}

static enum api_error checkout_empty_cart(sqlite3 *conn, int64_t user_id, int64_t now)
{
    if (checkout_exec(conn, "DELETE FROM cart_items WHERE user_id = ?", &user_id, NULL, 1, false) <
            0 ||
        checkout_exec(conn, "UPDATE carts SET coupon_id = NULL WHERE user_id = ?", &user_id, NULL,
                      1, false) != 1 ||
        cart_bump(conn, user_id, now) != 0)
        return API_ERR_INTERNAL;
    return API_OK;
}

enum api_error checkout_place(struct billingd *app, sqlite3 *conn, const struct settings *set,
                              struct cart *c, const char *method, bool use_credits, int64_t now,
                              struct checkout_result *out)
{
    struct invoice_new in = {.user_id = c->user_id, .kind = "order"};
    struct coupon coupon;
    bool credits_only = strcmp(method, "credits") == 0;
    int64_t credits = credits_only || use_credits ? c->basket.totals.credits_to_apply : 0;
    enum api_error err;

    memset(out, 0, sizeof *out);
    if ((out->order_id = checkout_order(conn, c, credits, now)) <= 0)
        return API_ERR_INTERNAL;
    if ((err = checkout_stock(conn, &c->basket)) != API_OK)
        return err;
    if (c->basket.coupon_id) {
        if ((err = coupon_load(conn, c->basket.coupon_id, &coupon)) != API_OK ||
            (err = coupon_redeem(conn, &coupon, c->user_id, out->order_id, now)) != API_OK)
            return err;
    }
    in.order_id = out->order_id;
    if ((err = invoice_create(conn, set, &in, &c->basket, now, &out->invoice_id)) != API_OK)
        return err;
    if (checkout_exec(conn, "UPDATE orders SET invoice_id = ?2 WHERE id = ?1",
                      (int64_t[]){out->order_id, out->invoice_id}, NULL, 2, false) != 1)
        return API_ERR_INTERNAL;
    if ((err = checkout_services(conn, c, c->basket.coupon_id ? &coupon : NULL, out->order_id,
                                 out->invoice_id, now, out)) != API_OK ||
        (err = checkout_empty_cart(conn, c->user_id, now)) != API_OK)
        return err;
    if (c->basket.totals.total == 0) {
        /* Nothing to pay (a full discount): the invoice was born paid, and so is the order. */
        err = payment_not_required(conn, out->invoice_id, method, now, &out->payment.payment_id);
        return err == API_OK ? order_paid(conn, set, out->order_id, now) : err;
    }
    return payment_start(app, conn, set, out->invoice_id, method, use_credits, now, &out->payment);
}

/* Puts the lines and coupon of the cart the order was placed from back into the account's cart
 * (a line keeps its id unless another took it meanwhile). */
static enum api_error checkout_restore_cart(sqlite3 *conn, const struct cart *c, int64_t now)
{
    for (size_t i = 0; i < c->basket.n_lines; i++) {
        const struct basket_line_in *in = &c->basket.lines[i].in;
        char *options = cart_options_text(in);
        int64_t n =
            options
                ? checkout_exec(conn,
                                "INSERT INTO cart_items(id, user_id, product_id, cycle,"
                                " options, quantity, created_at) VALUES ((SELECT CASE WHEN"
                                " EXISTS (SELECT 1 FROM cart_items WHERE id = ?1) THEN NULL"
                                " ELSE ?1 END), ?2, ?3, ?4, ?5, ?6, ?7)",
                                (int64_t[]){in->cart_item_id, c->user_id, in->product_id, 0, 0,
                                            in->quantity, c->added_at[i]},
                                (const char *[]){NULL, NULL, NULL, in->cycle, options, NULL, NULL},
                                7, true)
                : -1;

        cJSON_free(options);
        if (n <= 0)
            return API_ERR_INTERNAL;
    }
    if ((c->coupon_id &&
         checkout_exec(conn,
                       "UPDATE carts SET coupon_id = ?2 WHERE user_id = ?1 AND coupon_id IS NULL",
                       (int64_t[]){c->user_id, c->coupon_id}, NULL, 2, false) < 0) ||
        cart_bump(conn, c->user_id, now) != 0)
        return API_ERR_INTERNAL;
    return API_OK;
}

enum api_error checkout_undo(sqlite3 *conn, const struct cart *c, const struct checkout_result *r,
                             int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT 1 FROM orders o JOIN payments p ON p.id = ?2"
                                        " WHERE o.id = ?1 AND o.status = 'pending_payment'"
                                        " AND p.status = 'requires_action'"
                                        " AND p.gateway_ref IS NULL");
    const int64_t ids[] = {r->order_id, r->payment.payment_id};
    bool waiting = false;
    enum api_error err;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, r->order_id);
    sqlite3_bind_int64(st, 2, r->payment.payment_id);
    waiting = sqlite3_step(st) == SQLITE_ROW;
    db_finalize(st);
    if (!waiting)
        return API_OK;
    /* Today's decline path returns what was taken; the ledger keeps its rows (it is
     * append-only), the spend and its return netting to nothing. */
    if ((err = order_payment_declined(conn, r->payment.payment_id, now)) != API_OK)
        return err;
    if (checkout_exec(conn, "DELETE FROM services WHERE order_id = ?1", ids, NULL, 1, false) < 0 ||
        checkout_exec(conn, "DELETE FROM invoices WHERE id = ?1", &r->invoice_id, NULL, 1, false) !=
            1 ||
        checkout_exec(conn, "DELETE FROM orders WHERE id = ?1", ids, NULL, 1, false) != 1)
        return API_ERR_INTERNAL;
    return checkout_restore_cart(conn, c, now);
}
