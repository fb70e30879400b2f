/* handlers_payments.c: following a payment, paying an existing invoice, and the account's
 * orders. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/idempotency.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/money.h"
#include "billing/order.h"
#include "billing/payment.h"

/* A waiting payment past its time expires when someone looks at it, not only when the
 * scheduler passes. */
static void payment_expire_if_due(sqlite3 *conn, int64_t id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT 1 FROM payments WHERE id = ? AND status IN"
                                        " ('requires_action', 'pending') AND created_at <= ?");
    bool due = false;

    if (!st)
        return;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now - PAYMENT_TTL);
    due = sqlite3_step(st) == SQLITE_ROW;
    db_finalize(st);
    if (!due || db_begin(conn) != 0)
        return;
    if (payment_fail(conn, id, "expired", now) != API_OK || db_commit(conn) != 0)
        db_rollback(conn);
}

static const char *payment_status_text(const cJSON *payment)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(payment, "status");

    return cJSON_IsString(s) ? s->valuestring : "";
}

void handle_payment_get(struct request *req, struct reply *rep)
{
    struct settings set;
    cJSON *p = NULL;
    char base[160];
    int64_t id;
    sqlite3 *conn;

    if (!commerce_id(req->params[0], &id)) {
        reply_error(rep, API_ERR_NOT_FOUND, "No such payment.");
        return;
    }
    commerce_base_url(req, base, sizeof base);
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0) {
        payment_expire_if_due(conn, id, clock_now(req->app));
        p = payment_json(conn, &set, id, req->user_id, base);
    }
    db_release(req->app->db);
    /* Still waiting on a gateway that can be asked: the webhook may be late, so ask (at most
     * every few seconds), then show what that changed. */
    if (p &&
        (strcmp(payment_status_text(p), "requires_action") == 0 ||
         strcmp(payment_status_text(p), "pending") == 0) &&
        gateway_refresh(req->app, id)) {
        cJSON_Delete(p);
        conn = db_acquire(req->app->db);
        p = payment_json(conn, &set, id, req->user_id, base);
        db_release(req->app->db);
    }
    if (p)
        reply_data(rep, 200, p);
    else
        reply_error(rep, API_ERR_NOT_FOUND, "No payment %lld on this account.", (long long)id);
}

/* Why payment_start refused, as the contract words it. */
static void invoice_pay_refused(struct reply *rep, sqlite3 *conn, const struct settings *set,
                                int64_t invoice_id, enum api_error err,
                                const struct payment_outcome *out)
{
    sqlite3_stmt *st;
    char a[48], b[48];

    switch (err) {
    case API_ERR_INVOICE_NOT_PAYABLE:
        st = db_prepare(conn, "SELECT number, status FROM invoices WHERE id = ?");
        if (st) {
            sqlite3_bind_int64(st, 1, invoice_id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                reply_field(rep, "status", db_text(st, 1));
                reply_error(rep, err, "Invoice %s is %s, not awaiting payment.", db_text(st, 0),
                            db_text(st, 1));
            }
            db_finalize(st);
        }
        if (!rep->body)
            reply_error(rep, err, NULL);
        break;
    case API_ERR_PAYMENT_METHOD_UNAVAILABLE:
        reply_field(rep, "payment_method", "is not enabled, or not allowed for this invoice");
        reply_error(rep, err, "This payment method cannot pay this invoice here.");
        break;
    case API_ERR_INSUFFICIENT_CREDITS:
        snprintf(a, sizeof a, "%lld", (long long)out->balance);
        reply_field(rep, "balance", a);
        snprintf(a, sizeof a, "%lld", (long long)out->required);
        reply_field(rep, "required", a);
        reply_error(rep, err, "Your credit balance of %s does not cover %s.",
                    billing_money_text(set, out->balance, a, sizeof a),
                    billing_money_text(set, out->required, b, sizeof b));
        break;
    default:
        reply_error(rep, err, NULL);
        break;
    }
}

static bool invoice_pay_body(const cJSON *body, const char **method, bool *use_credits,
                             struct reply *rep)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "payment_method");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "use_credits");

    if (!cJSON_IsString(m) ||
        (strcmp(m->valuestring, "stripe") != 0 && strcmp(m->valuestring, "paypal") != 0 &&
         strcmp(m->valuestring, "credits") != 0))
        reply_field(rep, "payment_method",
                    m ? "must be one of stripe, paypal, credits" : "is required");
    else
        *method = m->valuestring;
    if (c && !cJSON_IsBool(c))
        reply_field(rep, "use_credits", "must be true or false");
    *use_credits = cJSON_IsTrue(c);
    return !reply_has_fields(rep);
}

/* Whether the invoice belongs to the caller. */
static bool invoice_owned(sqlite3 *conn, int64_t invoice_id, int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT 1 FROM invoices WHERE id = ? AND user_id = ?");
    bool yes = false;

    if (st) {
        sqlite3_bind_int64(st, 1, invoice_id);
        sqlite3_bind_int64(st, 2, user_id);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    db_finalize(st);
    return yes;
}

/* What the gateway's answer does to paying an invoice: the 201 with the payment, or the payment
 * undone and its credits back (commerce_gateway_finish). */
struct invoice_pay_finish {
    struct commerce_finish base; /* first: the callbacks get it back */
    const struct settings *set;
    int64_t payment_id, user_id, now;
    const char *base_url;
};

static cJSON *invoice_pay_answer(const struct commerce_finish *f, sqlite3 *conn)
{
    const struct invoice_pay_finish *pf = (const struct invoice_pay_finish *)f;
    return payment_json(conn, pf->set, pf->payment_id, pf->user_id, pf->base_url);
}

static enum api_error invoice_pay_undo(const struct commerce_finish *f, sqlite3 *conn)
{
    const struct invoice_pay_finish *pf = (const struct invoice_pay_finish *)f;
    return payment_undo(conn, pf->payment_id, pf->now);
}

void handle_invoice_pay(struct request *req, struct reply *rep)
{
    struct payment_outcome out;
    struct gateway_call call;
    struct settings set;
    const char *method = NULL;
    bool use_credits = false;
    int64_t id = 0, now = clock_now(req->app);
    char base[160];
    enum api_error err;
    sqlite3 *conn;

    if (!request_header(req, "Idempotency-Key")) {
        reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REQUIRED, NULL);
        return;
    }
    if (!invoice_pay_body(req->json, &method, &use_credits, rep)) {
        reply_validation(rep);
        return;
    }
    commerce_base_url(req, base, sizeof base);
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    if (idempotency_check(conn, req, rep, true) == IDEM_DONE)
        goto rollback;
    if (!commerce_id(req->params[0], &id) || !invoice_owned(conn, id, req->user_id)) {
        reply_error(rep, API_ERR_NOT_FOUND, "No such invoice on this account.");
        goto rollback;
    }
    err = payment_start(req->app, conn, &set, id, method, use_credits, now, &out);
    if (err == API_OK)
        err = gateway_prepare(req->app, conn, &set, out.payment_id, req->user_id,
                              request_header(req, "Idempotency-Key"), &call);
    if (err != API_OK) {
        invoice_pay_refused(rep, conn, &set, id, err, &out);
        goto rollback;
    }
    if (call.ops) {
        /* A real gateway's page: the payment (waiting, no page yet) and the key in progress are
         * committed first, so that no lock is held while the gateway answers. Should the server
         * stop before the second step, the payment expires as any unpaid one does. */
        if (idempotency_reserve(conn, req) != 0 || db_commit(conn) != 0) {
            reply_error(rep, API_ERR_INTERNAL, NULL);
            goto rollback;
        }
        struct invoice_pay_finish f = {
            {invoice_pay_answer, invoice_pay_undo}, &set, out.payment_id, req->user_id, now, base};
        commerce_gateway_finish(req, rep, conn, &call, &f.base);
        goto release;
    }
    reply_data(rep, 201, payment_json(conn, &set, out.payment_id, req->user_id, base));
    if (rep->status == 201 && idempotency_store(conn, req, rep) == 0 && db_commit(conn) == 0)
        goto release;
    reply_error(rep, API_ERR_INTERNAL, NULL);
rollback:
    db_rollback(conn);
release:
    db_release(req->app->db);
    /* The Stripe page of a payment this one superseded is closed, no database held. */
    gateway_close_abandoned(req->app);
}

void handle_orders(struct request *req, struct reply *rep)
{
    static const char *const statuses[] = {"pending_payment", "paid", "pending_approval",
                                           "completed", "cancelled"};
    const char *status = request_query(req, "status");
    struct settings set;
    cJSON *items = NULL;
    int64_t page, per_page, total = 0;
    bool known = !status;
    sqlite3_stmt *st = NULL;
    sqlite3 *conn;

    for (size_t i = 0; status && i < 5; i++)
        known |= strcmp(status, statuses[i]) == 0;
    if (!known)
        reply_field(rep, "status",
                    "must be one of pending_payment, paid, pending_approval, completed, cancelled");
    if (!commerce_page(req, rep, &page, &per_page) || !known) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || !(items = cJSON_CreateArray()) ||
        !(st = db_prepare(conn, "SELECT id, count(*) OVER () FROM orders WHERE user_id = ?1"
                                " AND (?2 IS NULL OR status = ?2) ORDER BY id DESC"
                                " LIMIT ?3 OFFSET ?4")))
        goto fail;
    sqlite3_bind_int64(st, 1, req->user_id);
    if (status)
        sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, per_page);
    sqlite3_bind_int64(st, 4, (page - 1) * per_page);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *o = order_json(conn, &set, sqlite3_column_int64(st, 0), req->user_id);

        total = sqlite3_column_int64(st, 1);
        if (!o || !cJSON_AddItemToArray(items, o)) {
            cJSON_Delete(o);
            goto fail;
        }
    }
    db_finalize(st);
    st = NULL;
    /* A page past the end has no row to carry the count. */
    if (!cJSON_GetArraySize(items) && page > 1 &&
        (st = db_prepare(conn, "SELECT count(*) FROM orders WHERE user_id = ?1"
                               " AND (?2 IS NULL OR status = ?2)"))) {
        sqlite3_bind_int64(st, 1, req->user_id);
        if (status)
            sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            total = sqlite3_column_int64(st, 0);
    }
    db_finalize(st);
    db_release(req->app->db);
    reply_page(rep, items, page, per_page, total);
    return;
fail:
    db_finalize(st);
    db_release(req->app->db);
    cJSON_Delete(items);
    reply_error(rep, API_ERR_INTERNAL, NULL);
}

void handle_order(struct request *req, struct reply *rep)
{
    struct settings set;
    cJSON *o = NULL;
    int64_t id;
    sqlite3 *conn;

    if (!commerce_id(req->params[0], &id)) {
        reply_error(rep, API_ERR_NOT_FOUND, "No such order.");
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0)
        o = order_json(conn, &set, id, req->user_id);
    db_release(req->app->db);
    if (o)
        reply_data(rep, 200, o);
    else
        reply_error(rep, API_ERR_NOT_FOUND, "No order %lld on this account.", (long long)id);
}
