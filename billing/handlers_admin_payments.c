/* handlers_admin_payments.c: an operator resolves a held payment (a gateway collected another
 * amount than it was for): POST /admin/payments/{id}/release accepts the money as payment of the
 * invoice, POST /admin/payments/{id}/refund sends it back through the gateway and fails the
 * payment as a declined one. Each with a reason that goes to the audit log in the same
 * transaction as the change. */
#include "billing/handlers_admin.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/operator.h"
#include "billing/order.h"

/* A held payment, and what its gateway collected as the payment.hold entry recorded it. */
struct held {
    char status[16], currency[16];
    int64_t invoice_id, expected, received;
};

static enum api_error held_load(sqlite3 *conn, const struct settings *set, int64_t id,
                                struct held *h)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT status, invoice_id, amount FROM payments"
                                        " WHERE id = ?");
    bool found = false;

    memset(h, 0, sizeof *h);
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(h->status, sizeof h->status, "%s", db_text(st, 0));
        h->invoice_id = sqlite3_column_int64(st, 1);
        h->expected = sqlite3_column_int64(st, 2);
    }
    db_finalize(st);
    if (!h->status[0])
        return API_ERR_NOT_FOUND;
    if (strcmp(h->status, "held") != 0)
        return API_ERR_INVALID_STATUS;
    if (!(st = db_prepare(conn, "SELECT json_extract(details, '$.received_amount'),"
                                " json_extract(details, '$.received_currency') FROM audit_log"
                                " WHERE action = 'payment.hold' AND target_type = 'payment'"
                                " AND target_id = ? ORDER BY id DESC LIMIT 1")))
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
        sqlite3_column_int64(st, 0) >= 0) {
        h->received = sqlite3_column_int64(st, 0);
        snprintf(h->currency, sizeof h->currency, "%s", db_text(st, 1));
        found = true;
    }
    db_finalize(st);
    if (!found)
        return API_ERR_INTERNAL;
    /* Money in another currency neither pays the invoice nor goes back in the store's. */
    return strcasecmp(h->currency, set->currency_code) == 0 ? API_OK : API_ERR_VALIDATION_FAILED;
}

/* The answer to a failed release or refund. */
static void held_refused(struct reply *rep, enum api_error err, int64_t id, const struct held *h,
                         const char *msg)
{
    if (err == API_ERR_NOT_FOUND) {
        reply_error(rep, err, "No payment with id %lld.", (long long)id);
    } else if (err == API_ERR_INVALID_STATUS) {
        reply_field(rep, "status", h->status);
        reply_error(rep, err, "The payment is %s, not held.", h->status);
    } else if (err == API_ERR_VALIDATION_FAILED) {
        reply_field(rep, "payment",
                    "the gateway collected another currency than the store's;"
                    " resolve it at the gateway");
        reply_validation(rep);
    } else {
        if (msg && msg[0])
            reply_error(rep, err, "%s", msg);
        else
            reply_error(rep, err, NULL);
    }
}

/* The audit entry and the invoice after, then the commit; NULL when any fails. */
static cJSON *held_finish(sqlite3 *conn, const struct request *req, const struct settings *set,
                          int64_t id, const struct held *h, const char *action, const char *reason,
                          const char *gateway_ref, int64_t now)
{
    cJSON *details = cJSON_CreateObject(), *out = NULL;

    if (details && json_add_int(details, "expected_amount", h->expected) &&
        json_add_int(details, "received_amount", h->received) &&
        (!gateway_ref || cJSON_AddStringToObject(details, "gateway_refund", gateway_ref)) &&
        operator_audit(conn, req, action, "payment", id, reason, details, now) == 0 &&
        (out = invoice_json(conn, set, h->invoice_id, 0)) && db_commit(conn) != 0) {
        cJSON_Delete(out);
        out = NULL;
    }
    cJSON_Delete(details);
    return out;
}

/* One statement on the payment (?1, and ?2 when it has one) that must change exactly it. */
static int held_exec(sqlite3 *conn, const char *sql, int64_t id, int64_t value)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, value);
    if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(conn) == 1)
        rc = 0;
    db_finalize(st);
    return rc;
}

/* The payment's id and the operator's reason; false when either is wrong (answered). */
static bool held_args(const struct request *req, struct reply *rep, int64_t *id,
                      const char **reason)
{
    if (!operator_path_id(req, rep, 0, "payment", id))
        return false;
    if (!(*reason = operator_reason(req, rep))) {
        reply_validation(rep);
        return false;
    }
    return true;
}

void handle_admin_payment_release(struct request *req, struct reply *rep)
{
    const char *reason;
    struct settings set;
    struct held h = {0};
    int64_t id, now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    cJSON *out = NULL;
    sqlite3 *conn;

    if (!held_args(req, rep, &id, &reason))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0 ||
        (err = held_load(conn, &set, id, &h)) != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    /* The payment is what arrived; settling applies it: the invoice paid when it covers the rest
     * due, else part paid with the rest still due, and any surplus to the customer's credits. */
    if (held_exec(conn, "UPDATE payments SET amount = ?2 WHERE id = ?1", id, h.received) != 0 ||
        invoice_settle_payment(req->app, conn, id, now) != API_OK ||
        !(out = held_finish(conn, req, &set, id, &h, "payment.release", reason, NULL, now)))
        goto done;
    err = API_OK;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_OK)
        reply_data(rep, 200, out);
    else
        held_refused(rep, err, id, &h, NULL);
}

void handle_admin_payment_refund(struct request *req, struct reply *rep)
{
    const char *reason;
    struct settings set;
    struct held h = {0};
    struct gateway_refund_call call;
    char idem[GATEWAY_IDEM_CHARS], detail[32], msg[300] = "";
    int64_t id, now;
    enum api_error err = API_ERR_INTERNAL;
    cJSON *out = NULL;
    sqlite3 *conn;

    if (!held_args(req, rep, &id, &reason))
        return;
    /* One key per payment: however often this is asked, the gateway sends the money back once. */
    snprintf(detail, sizeof detail, "held/%lld", (long long)id);
    gateway_idem_key("refund", 0, "", detail, idem);
    /* What to send, read without holding the database while the gateway answers. */
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && (err = held_load(conn, &set, id, &h)) == API_OK)
        err = gateway_refund_prepare(req->app, conn, id, h.received, idem, &call, msg, sizeof msg);
    db_release(req->app->db);
    if (err != API_OK || (err = gateway_refund_call(req->app, &call, msg, sizeof msg)) != API_OK)
        goto done;
    /* Sent back: the payment fails as a declined one (held credits back, its order cancelled). */
    err = API_ERR_INTERNAL;
    now = clock_now(req->app);
    conn = db_acquire(req->app->db);
    if (db_begin(conn) == 0 && (err = held_load(conn, &set, id, &h)) == API_OK) {
        err = API_ERR_INTERNAL;
        if (held_exec(conn,
                      "UPDATE payments SET status = 'pending' WHERE id = ?1 AND status = 'held'",
                      id, 0) == 0 &&
            order_payment_declined(conn, id, now) == API_OK &&
            (out = held_finish(conn, req, &set, id, &h, "payment.refund", reason,
                               call.ref[0] ? call.ref : NULL, now)))
            err = API_OK;
    }
    db_rollback(conn);
    db_release(req->app->db);
done:
    if (err == API_OK)
        reply_data(rep, 200, out);
    else
        held_refused(rep, err, id, &h, msg);
}
