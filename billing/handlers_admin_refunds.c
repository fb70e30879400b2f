/* handlers_admin_refunds.c: POST /admin/invoices/{id}/refunds: an operator refunds a paid invoice;
 * the refund, the ledger, the invoice and the audit entry change together (around the gateway
 * call, which holds no lock, in two transactions), and a retry with the same Idempotency-Key
 * replays the first answer. */
#include "billing/handlers_admin.h"

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
#include "billing/operator.h"
#include "billing/refund.h"

/* {refund, invoice}: the refund as the invoice lists it, so both always agree. */
static cJSON *refund_result_json(sqlite3 *conn, const struct settings *set, int64_t invoice_id,
                                 int64_t refund_id)
{
    cJSON *invoice = invoice_json(conn, set, invoice_id, 0), *r, *out;
    char id[32];

    snprintf(id, sizeof id, "%lld", (long long)refund_id);
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(invoice, "refunds"))
    {
        cJSON *rid = cJSON_GetObjectItemCaseSensitive(r, "id");
        /* Ids are raw numbers (json_int): compare their text. */
        if (rid && ((cJSON_IsRaw(rid) && strcmp(rid->valuestring, id) == 0) ||
                    (cJSON_IsNumber(rid) && (int64_t)rid->valuedouble == refund_id)))
            break;
    }
    if (!r || !(out = cJSON_CreateObject())) {
        cJSON_Delete(invoice);
        return NULL;
    }
    if (!cJSON_AddItemToObject(out, "refund", cJSON_Duplicate(r, true)) ||
        !cJSON_AddItemToObject(out, "invoice", invoice)) {
        cJSON_Delete(out);
        cJSON_Delete(invoice);
        return NULL;
    }
    return out;
}

/* The body: optional positive amount, required reason, optional to_credits. */
static bool refund_body(const struct request *req, struct reply *rep, const struct settings *set,
                        struct refund_request *in)
{
    const cJSON *tc = cJSON_GetObjectItemCaseSensitive(req->json, "to_credits");

    in->reason = operator_reason(req, rep);
    if (operator_money(req, rep, set, "amount", false, &in->amount) && in->amount <= 0)
        reply_field(rep, "amount.amount", "must be positive");
    if (tc && !cJSON_IsNull(tc) && !cJSON_IsBool(tc))
        reply_field(rep, "to_credits", "must be true or false");
    in->to_credits = cJSON_IsTrue(tc);
    return !reply_has_fields(rep);
}

/* A refund as it moves through its two transactions. */
struct refund_job {
    struct refund_request in;
    struct refund_result res;
    struct gateway_refund_call calls[REFUND_PORTIONS_MAX];
    bool to_gateway; /* some call has a gateway to ask */
};

/* Reads each card payment's part for its gateway, inside the first transaction. The gateway's key
 * follows from the operator's key and what is refunded, so a retry never refunds twice. */
static enum api_error refund_prepare_calls(struct request *req, struct reply *rep, sqlite3 *conn,
                                           int64_t invoice_id, struct refund_job *job)
{
    const struct refund_result *res = &job->res;
    const char *key = request_header(req, "Idempotency-Key");
    char idem[GATEWAY_IDEM_CHARS], detail[128], msg[256] = "";
    enum api_error err = API_OK;

    for (size_t i = 0; i < res->n_gateway && err == API_OK; i++) {
        snprintf(detail, sizeof detail, "%lld/%lld/%lld/%lld", (long long)invoice_id,
                 (long long)res->refunded_before, (long long)res->to_gateway[i].payment_id,
                 (long long)res->to_gateway[i].amount);
        gateway_idem_key("refund", req->user_id, key ? key : "", detail, idem);
        err = gateway_refund_prepare(req->app, conn, res->to_gateway[i].payment_id,
                                     res->to_gateway[i].amount, idem, &job->calls[i], msg,
                                     sizeof msg);
        job->to_gateway |= job->calls[i].ops != NULL;
    }
    if (err != API_OK && msg[0])
        reply_error(rep, err, "%s", msg);
    return err;
}

/* The audit entry and the 201 of a refund that went through. */
static enum api_error refund_reply(struct request *req, struct reply *rep, sqlite3 *conn,
                                   const struct settings *set, const struct refund_job *job,
                                   int64_t now)
{
    cJSON *details, *out;

    if (!(details = cJSON_CreateObject()) ||
        !json_add_int(details, "refund_id", job->res.refund_id) ||
        !json_add_int(details, "amount", job->res.amount) ||
        !cJSON_AddBoolToObject(details, "to_credits", job->in.to_credits) ||
        !json_add_int(details, "to_balance", job->res.to_balance) ||
        operator_audit(conn, req, "invoice.refund", "invoice", job->in.invoice_id, job->in.reason,
                       details, now) != 0) {
        cJSON_Delete(details);
        return API_ERR_INTERNAL;
    }
    cJSON_Delete(details);
    if (!(out = refund_result_json(conn, set, job->in.invoice_id, job->res.refund_id)))
        return API_ERR_INTERNAL;
    reply_data(rep, 201, out);
    return API_OK;
}

/* Inside the transaction, after the idempotency check: the refund is recorded; *ask is set when
 * a gateway must be asked before it is done (refund_finish). */
static enum api_error refund_run(struct request *req, struct reply *rep, sqlite3 *conn,
                                 const struct settings *set, struct refund_job *job, int64_t now,
                                 bool *ask)
{
    struct refund_request *in = &job->in;
    struct refund_result *res = &job->res;
    char shown[48], message[128];
    enum api_error err;

    *ask = false;
    if (!refund_body(req, rep, set, in))
        return API_ERR_VALIDATION_FAILED;
    err = refund_invoice(conn, in, now, res);
    if (err == API_ERR_INVOICE_NOT_REFUNDABLE) {
        reply_field(rep, "status", res->status);
        reply_error(rep, err, "Invoice %lld (%s) has no payment left to refund.",
                    (long long)in->invoice_id, res->status);
        return err;
    }
    if (err == API_ERR_VALIDATION_FAILED || err == API_ERR_INSUFFICIENT_CREDITS) {
        if (in->to_credits && err == API_ERR_VALIDATION_FAILED && in->amount <= res->left) {
            reply_field(rep, "to_credits", "a deposit is refunded with its credit, not to credits");
        } else if (err == API_ERR_INSUFFICIENT_CREDITS) {
            reply_field(rep, "amount", "the credit this deposit bought has been spent");
        } else {
            snprintf(message, sizeof message, "is more than the %s left to refund",
                     billing_money_text(set, res->left, shown, sizeof shown));
            reply_field(rep, "amount", message);
        }
        return API_ERR_VALIDATION_FAILED;
    }
    if (err != API_OK ||
        (err = refund_prepare_calls(req, rep, conn, in->invoice_id, job)) != API_OK)
        return err;
    if (job->to_gateway) {
        /* The refund stays pending, its key in progress, while the gateways are asked. */
        *ask = true;
        return idempotency_reserve(conn, req) == 0 ? API_OK : API_ERR_INTERNAL;
    }
    /* Nothing to send (a sandbox payment): done in this transaction. */
    if ((err = refund_settle(conn, in, res, NULL, now)) != API_OK ||
        (err = refund_reply(req, rep, conn, set, job, now)) != API_OK)
        return err;
    return idempotency_store(conn, req, rep) == 0 ? API_OK : API_ERR_INTERNAL;
}

/* The gateways are asked with no database held, then the refund is settled, or undone when one
 * refused (nothing refunded), in a second transaction that completes the key. Called and returns
 * with the database held. If the server stops in between, the refund stays recorded as pending
 * (refunds.gateway_ref 'pending') for an operator to reconcile with the gateway. */
static enum api_error refund_finish(struct request *req, struct reply *rep, sqlite3 *conn,
                                    const struct settings *set, struct refund_job *job, int64_t now)
{
    const char *ref = NULL;
    char msg[256] = "";
    enum api_error err = API_OK;

    db_release(req->app->db);
    for (size_t i = 0; i < job->res.n_gateway && err == API_OK; i++) {
        err = gateway_refund_call(req->app, &job->calls[i], msg, sizeof msg);
        if (err == API_OK && job->calls[i].ops)
            ref = job->calls[i].ref;
    }
    db_acquire(req->app->db);
    if (db_begin(conn) != 0)
        return API_ERR_INTERNAL;
    if (err == API_OK) {
        if ((err = refund_settle(conn, &job->in, &job->res, ref, now)) != API_OK ||
            (err = refund_reply(req, rep, conn, set, job, now)) != API_OK)
            return err;
    } else if (err != API_ERR_INTERNAL) {
        if (refund_undo(conn, &job->in, &job->res) != API_OK)
            return API_ERR_INTERNAL;
        if (msg[0])
            reply_error(rep, err, "%s", msg);
        else
            reply_error(rep, err, NULL);
    } else {
        return err;
    }
    if (idempotency_complete(conn, req, rep) != 0 || db_commit(conn) != 0)
        return API_ERR_INTERNAL;
    return API_OK; /* answered: the refund, or the gateway's refusal */
}

void handle_admin_invoice_refund(struct request *req, struct reply *rep)
{
    struct settings set;
    struct refund_job *job = NULL;
    int64_t invoice_id, now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    bool ask = false;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "invoice", &invoice_id))
        return;
    conn = db_acquire(req->app->db);
    if (!(job = calloc(1, sizeof *job)) || settings_load(conn, &set) != 0 || db_begin(conn) != 0)
        goto done;
    if (idempotency_check(conn, req, rep, true) == IDEM_DONE) {
        db_rollback(conn);
        db_release(req->app->db);
        free(job);
        return;
    }
    job->in.invoice_id = invoice_id;
    job->in.actor_id = req->user_id;
    err = refund_run(req, rep, conn, &set, job, now, &ask);
    if (err == API_OK && db_commit(conn) != 0)
        err = API_ERR_INTERNAL;
    if (err == API_OK && ask)
        err = refund_finish(req, rep, conn, &set, job, now);
done:
    db_rollback(conn);
    db_release(req->app->db);
    free(job);
    if (err == API_ERR_VALIDATION_FAILED)
        reply_validation(rep);
    else if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No invoice with id %lld.", (long long)invoice_id);
    else if (err != API_OK && err != API_ERR_INVOICE_NOT_REFUNDABLE &&
             !(err == API_ERR_GATEWAY_ERROR && rep->body))
        reply_error(rep, err, NULL);
}
