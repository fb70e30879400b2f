/* handlers_admin_refunds.c: POST /admin/invoices/{id}/refunds: an operator refunds a paid invoice;
 * the refund, the ledger, the invoice and the audit entry change in one transaction, and a retry
 * with the same Idempotency-Key replays the first answer. */
#include "billing/handlers_admin.h"

#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
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

/* Inside the transaction, after the idempotency check. */
static enum api_error refund_run(struct request *req, struct reply *rep, sqlite3 *conn,
                                 const struct settings *set, int64_t invoice_id, int64_t now)
{
    struct refund_request in = {.invoice_id = invoice_id, .actor_id = req->user_id};
    struct refund_result res;
    char shown[48], message[128];
    enum api_error err;
    cJSON *details, *out;

    if (!refund_body(req, rep, set, &in))
        return API_ERR_VALIDATION_FAILED;
    err = refund_invoice(conn, &in, now, &res);
    if (err == API_ERR_INVOICE_NOT_REFUNDABLE) {
        reply_field(rep, "status", res.status);
        reply_error(rep, err, "Invoice %lld (%s) has no payment left to refund.",
                    (long long)invoice_id, res.status);
        return err;
    }
    if (err == API_ERR_VALIDATION_FAILED || err == API_ERR_INSUFFICIENT_CREDITS) {
        if (in.to_credits && err == API_ERR_VALIDATION_FAILED && in.amount <= res.left) {
            reply_field(rep, "to_credits", "a deposit is refunded with its credit, not to credits");
        } else if (err == API_ERR_INSUFFICIENT_CREDITS) {
            reply_field(rep, "amount", "the credit this deposit bought has been spent");
        } else {
            snprintf(message, sizeof message, "is more than the %s left to refund",
                     billing_money_text(set, res.left, shown, sizeof shown));
            reply_field(rep, "amount", message);
        }
        return API_ERR_VALIDATION_FAILED;
    }
    if (err != API_OK)
        return err;
    if (!(details = cJSON_CreateObject()) || !json_add_int(details, "refund_id", res.refund_id) ||
        !json_add_int(details, "amount", res.amount) ||
        !cJSON_AddBoolToObject(details, "to_credits", in.to_credits) ||
        !json_add_int(details, "to_balance", res.to_balance) ||
        operator_audit(conn, req, "invoice.refund", "invoice", invoice_id, in.reason, details,
                       now) != 0) {
        cJSON_Delete(details);
        return API_ERR_INTERNAL;
    }
    cJSON_Delete(details);
    if (!(out = refund_result_json(conn, set, invoice_id, res.refund_id)))
        return API_ERR_INTERNAL;
    reply_data(rep, 201, out);
    return idempotency_store(conn, req, rep) == 0 ? API_OK : API_ERR_INTERNAL;
}

void handle_admin_invoice_refund(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t invoice_id, now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "invoice", &invoice_id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0)
        goto done;
    if (idempotency_check(conn, req, rep, true) == IDEM_DONE) {
        db_rollback(conn);
        db_release(req->app->db);
        return;
    }
    err = refund_run(req, rep, conn, &set, invoice_id, now);
    if (err == API_OK && db_commit(conn) != 0)
        err = API_ERR_INTERNAL;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_ERR_VALIDATION_FAILED)
        reply_validation(rep);
    else if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No invoice with id %lld.", (long long)invoice_id);
    else if (err != API_OK && err != API_ERR_INVOICE_NOT_REFUNDABLE)
        reply_error(rep, err, NULL);
}
