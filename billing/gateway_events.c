/* gateway_events.c: what reaches a payment from its gateway after the page opened: signed
 * webhooks, look-ups when the webhook is late, and refunds sent back to the card. */
#include "billing/gateway.h"

#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/audit.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/payment.h"
#include "billing/webhook.h"

/* A waiting payment that its gateway can be asked about, and that was not asked lately: its
 * gateway and ref, with checked_at moved to now so that concurrent followers ask once. */
static const struct gateway_ops *gateway_due(struct billingd *app, sqlite3 *conn,
                                             int64_t payment_id, int64_t now,
                                             char ref[GATEWAY_REF_CHARS])
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT gateway, gateway_ref FROM payments WHERE id = ?1"
                                        " AND status IN ('requires_action', 'pending')"
                                        " AND redirect_url IS NOT NULL AND gateway_ref IS NOT NULL"
                                        " AND (checked_at IS NULL OR checked_at <= ?2)");
    const struct gateway_ops *ops = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, payment_id);
    sqlite3_bind_int64(st, 2, now - GATEWAY_LOOKUP_EVERY);
    if (sqlite3_step(st) == SQLITE_ROW && (ops = gateway_for(app, db_text(st, 0))) && ops->lookup)
        snprintf(ref, GATEWAY_REF_CHARS, "%s", db_text(st, 1));
    else
        ops = NULL;
    db_finalize(st);
    if (!ops || !(st = db_prepare(conn, "UPDATE payments SET checked_at = ?2 WHERE id = ?1")))
        return NULL;
    sqlite3_bind_int64(st, 1, payment_id);
    sqlite3_bind_int64(st, 2, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        ops = NULL;
    db_finalize(st);
    return ops;
}

bool gateway_refresh(struct billingd *app, int64_t payment_id)
{
    char ref[GATEWAY_REF_CHARS] = "";
    struct gateway_outcome o;
    const struct gateway_ops *ops;
    int64_t now = clock_now(app);
    bool applied = false;
    sqlite3 *conn = db_acquire(app->db);

    ops = gateway_due(app, conn, payment_id, now, ref);
    db_release(app->db);
    /* The gateway is asked without holding the database: other requests go on meanwhile. */
    if (!ops || ops->lookup(app, ref, &o) != API_OK || strcmp(o.ref, ref) != 0)
        return false;
    conn = db_acquire(app->db);
    if (db_begin(conn) == 0 && gateway_apply(app, conn, payment_id, &o, clock_now(app)) == API_OK &&
        db_commit(conn) == 0)
        applied = true;
    else
        db_rollback(conn);
    db_release(app->db);
    return applied;
}

#define GATEWAY_CLOSE_BATCH 16

void gateway_close_abandoned(struct billingd *app)
{
    struct {
        int64_t id;
        char method[16], ref[GATEWAY_REF_CHARS];
    } todo[GATEWAY_CLOSE_BATCH];
    size_t n = 0;
    sqlite3 *conn = db_acquire(app->db);
    sqlite3_stmt *st = db_prepare(conn, "SELECT id, gateway, gateway_ref FROM payments"
                                        " WHERE gateway_close > 0 ORDER BY id LIMIT 16");

    while (st && n < GATEWAY_CLOSE_BATCH && sqlite3_step(st) == SQLITE_ROW) {
        todo[n].id = sqlite3_column_int64(st, 0);
        snprintf(todo[n].method, sizeof todo[n].method, "%s", db_text(st, 1));
        snprintf(todo[n].ref, sizeof todo[n].ref, "%s", db_text(st, 2));
        n++;
    }
    db_finalize(st);
    /* A try is spent before it is made, so that a concurrent call does not make it again. */
    for (size_t i = 0; i < n; i++)
        db_run(conn,
               "UPDATE payments SET gateway_close = gateway_close - 1 WHERE id = ?1 AND ?2 = ?2",
               todo[i].id, 0, NULL);
    db_release(app->db);
    for (size_t i = 0; i < n; i++) {
        const struct gateway_ops *ops = gateway_for(app, todo[i].method);
        char idem[GATEWAY_IDEM_CHARS], msg[256];

        if (ops && ops->cancel) {
            /* One key per page: a retry is the same request to the gateway. Failures are logged
             * by the gateway's client; the try left, if any, is made by a later call. */
            gateway_idem_key("expire", 0, todo[i].ref, "", idem);
            if (ops->cancel(app, todo[i].ref, idem, msg, sizeof msg) != API_OK)
                continue;
        }
        conn = db_acquire(app->db);
        db_run(conn, "UPDATE payments SET gateway_close = 0 WHERE id = ?1 AND ?2 = ?2", todo[i].id,
               0, NULL);
        db_release(app->db);
    }
}

bool gateway_capture_allowed(struct billingd *app, const char *gateway, const char *ref)
{
    sqlite3 *conn = db_acquire(app->db);
    sqlite3_stmt *st = db_prepare(conn, "SELECT id, status FROM payments WHERE gateway = ?"
                                        " AND gateway_ref = ?");
    cJSON *details = cJSON_CreateObject();
    int64_t id = 0;
    bool allowed = true;

    if (st) {
        sqlite3_bind_text(st, 1, gateway, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ref, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *status = db_text(st, 1);

            id = sqlite3_column_int64(st, 0);
            allowed = strcmp(status, "requires_action") == 0 || strcmp(status, "pending") == 0;
        }
    }
    db_finalize(st);
    if (!allowed && details && cJSON_AddStringToObject(details, "actor", "gateway") &&
        cJSON_AddStringToObject(details, "gateway_ref", ref))
        audit_record(conn, 0, "payment.capture_refused", "payment", id,
                     "The payer approved a payment that is no longer waiting; not captured.",
                     details, clock_now(app));
    cJSON_Delete(details);
    db_release(app->db);
    return allowed;
}

/* A verified event on its way in: what applying it needs. */
struct gateway_job {
    struct billingd *app;
    const char *gateway;
    const struct gateway_event *ev;
};

/* Applies an event (a struct gateway_job) to the payment it is about, inside the caller's
 * transaction; events about hosted payments this server does not know (another shop on the same
 * gateway account) are acknowledged and change nothing. */
static enum api_error gateway_event_apply(void *ctx, sqlite3 *conn, int64_t now)
{
    const struct gateway_job *job = ctx;
    int64_t payment_id = 0;
    sqlite3_stmt *st;

    if (!job->ev->relevant ||
        !(st = db_prepare(conn, "SELECT id FROM payments WHERE gateway = ? AND gateway_ref = ?")))
        return API_OK;
    sqlite3_bind_text(st, 1, job->gateway, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, job->ev->outcome.ref, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        payment_id = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return payment_id ? gateway_apply(job->app, conn, payment_id, &job->ev->outcome, now) : API_OK;
}

void gateway_webhook(struct request *req, struct reply *rep, const struct gateway_ops *ops)
{
    struct gateway_event ev;
    bool duplicate = false;
    enum api_error err;

    memset(&ev, 0, sizeof ev);
    err = ops->webhook(req->app, req, &ev);
    if (err == API_OK) {
        sqlite3 *conn = db_acquire(req->app->db);

        err = webhook_once(conn, ops->name, ev.id, clock_now(req->app), &duplicate,
                           gateway_event_apply, &(struct gateway_job){req->app, ops->name, &ev});
        db_release(req->app->db);
    }
    webhook_reply(rep, err, duplicate);
}

enum api_error gateway_refund_payment(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                                      int64_t amount, int64_t refund_id, const char *idem_key,
                                      char *msg, size_t msgsz)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT gateway, charge_ref FROM payments WHERE id = ?"
                                        " AND charge_ref IS NOT NULL");
    char method[16] = "", charge[GATEWAY_REF_CHARS] = "", ref[GATEWAY_REF_CHARS] = "";
    const struct gateway_ops *ops;
    struct settings set;
    enum api_error err;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(method, sizeof method, "%s", db_text(st, 0));
        snprintf(charge, sizeof charge, "%s", db_text(st, 1));
    }
    db_finalize(st);
    if (!charge[0])
        return API_OK; /* collected by the sandbox: no real money to send back */
    if (!(ops = gateway_for(app, method)) || !ops->refund) {
        snprintf(msg, msgsz,
                 "The %s gateway that took this payment is not configured now, so "
                 "it cannot be refunded to the card; refund it to credits instead.",
                 method);
        return API_ERR_GATEWAY_ERROR;
    }
    if (settings_load(conn, &set) != 0)
        return API_ERR_INTERNAL;
    if ((err = ops->refund(app, charge, amount, &set, idem_key, ref, msg, msgsz)) != API_OK)
        return err;
    if (!(st = db_prepare(conn, "UPDATE refunds SET gateway_ref = ? WHERE id = ?")))
        return API_ERR_INTERNAL;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, refund_id);
    err = sqlite3_step(st) == SQLITE_DONE ? API_OK : API_ERR_INTERNAL;
    db_finalize(st);
    return err;
}
