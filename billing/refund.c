/* refund.c: refunding a paid invoice, in full or in part, to the gateways or to credits. */
#include "billing/refund.h"

#include <stdio.h>
#include <string.h>

#include "billing/db.h"
#include "billing/ledger.h"

struct refund_invoice_row {
    int64_t user_id, paid, refunded;
    bool deposit;
    char number[40];
};

static enum api_error refund_load(sqlite3 *conn, int64_t id, struct refund_invoice_row *inv,
                                  char *status, size_t size)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT user_id, status, kind, number, amount_paid,"
                                        " amount_refunded FROM invoices WHERE id = ?");
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        inv->user_id = sqlite3_column_int64(st, 0);
        snprintf(status, size, "%s", db_text(st, 1));
        inv->deposit = strcmp(db_text(st, 2), "deposit") == 0;
        snprintf(inv->number, sizeof inv->number, "%s", db_text(st, 3));
        inv->paid = sqlite3_column_int64(st, 4);
        inv->refunded = sqlite3_column_int64(st, 5);
        err = API_OK;
    } else if (rc == SQLITE_DONE) {
        err = API_ERR_NOT_FOUND;
    }
    db_finalize(st);
    return err;
}

/* How much of the range [skip, skip + amount) of the invoice's paid money was paid with credits,
 * counting card and PayPal payments first (newest first), then credits: a partial refund goes
 * back to the card, and the credits part stays paid. Earlier refunds took the first `skip`. */
static int64_t refund_credits_part(sqlite3 *conn, int64_t invoice_id, int64_t skip, int64_t amount,
                                   struct refund_result *out)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT gateway, amount, id FROM payments"
                                        " WHERE invoice_id = ? AND status = 'paid'"
                                        " ORDER BY gateway = 'credits', id DESC");
    int64_t credits = 0;
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, invoice_id);
    while (amount > 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t paid = sqlite3_column_int64(st, 1), take;

        if (skip >= paid) {
            skip -= paid;
            continue;
        }
        take = paid - skip < amount ? paid - skip : amount;
        skip = 0;
        amount -= take;
        if (strcmp(db_text(st, 0), "credits") == 0) {
            credits += take;
        } else if (out->n_gateway < REFUND_PORTIONS_MAX) {
            out->to_gateway[out->n_gateway].payment_id = sqlite3_column_int64(st, 2);
            out->to_gateway[out->n_gateway++].amount = take;
        } else {
            credits = -1; /* more card payments than one refund can send back */
            break;
        }
    }
    db_finalize(st);
    return credits;
}

static int refund_insert(sqlite3 *conn, const struct refund_request *in, int64_t amount,
                         int64_t now, int64_t *id)
{
    sqlite3_stmt *st = db_prepare(conn, "INSERT INTO refunds(invoice_id, amount, to_credits,"
                                        " reason, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, in->invoice_id);
    sqlite3_bind_int64(st, 2, amount);
    sqlite3_bind_int(st, 3, in->to_credits);
    sqlite3_bind_text(st, 4, in->reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, in->actor_id);
    sqlite3_bind_int64(st, 6, now);
    if (sqlite3_step(st) == SQLITE_DONE) {
        *id = sqlite3_last_insert_rowid(conn);
        rc = 0;
    }
    db_finalize(st);
    if (rc != 0)
        return -1;
    st = db_prepare(conn, "UPDATE invoices SET amount_refunded = amount_refunded + ?1,"
                          " status = CASE WHEN amount_refunded + ?1 >= amount_paid"
                          " THEN 'refunded' ELSE status END WHERE id = ?2");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, amount);
    sqlite3_bind_int64(st, 2, in->invoice_id);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    db_finalize(st);
    return rc;
}

enum api_error refund_invoice(sqlite3 *conn, const struct refund_request *in, int64_t now,
                              struct refund_result *out)
{
    struct refund_invoice_row inv = {0};
    char description[96];
    enum api_error err;
    int64_t amount;

    memset(out, 0, sizeof *out);
    if ((err = refund_load(conn, in->invoice_id, &inv, out->status, sizeof out->status)) != API_OK)
        return err;
    out->left = inv.paid - inv.refunded;
    out->refunded_before = inv.refunded;
    if (strcmp(out->status, "paid") != 0 || out->left <= 0)
        return API_ERR_INVOICE_NOT_REFUNDABLE;
    amount = in->amount ? in->amount : out->left;
    if (amount <= 0 || amount > out->left || (inv.deposit && in->to_credits))
        return API_ERR_VALIDATION_FAILED;
    if (inv.deposit) {
        /* The deposit bought credit: its money goes back only with that credit. */
        snprintf(description, sizeof description, "Deposit %s refunded", inv.number);
        err = ledger_post(conn, inv.user_id, "adjustment", -amount, description, in->invoice_id,
                          in->actor_id, now, NULL);
        if (err != API_OK)
            return err;
    } else {
        out->to_balance =
            in->to_credits ? amount
                           : refund_credits_part(conn, in->invoice_id, inv.refunded, amount, out);
        if (out->to_balance < 0)
            return API_ERR_INTERNAL;
        /* With a gateway part, the balance gets its part once the gateway has sent its own. */
        out->pending = out->n_gateway > 0;
        snprintf(description, sizeof description, "Refund of %s", inv.number);
        if (out->to_balance > 0 && !out->pending &&
            (err = ledger_post(conn, inv.user_id, "refund", out->to_balance, description,
                               in->invoice_id, in->actor_id, now, NULL)) != API_OK)
            return err;
    }
    if (refund_insert(conn, in, amount, now, &out->refund_id) != 0 ||
        (out->pending && db_run(conn, "UPDATE refunds SET gateway_ref = 'pending' WHERE id = ?1",
                                out->refund_id, 0, NULL) != 1))
        return API_ERR_INTERNAL;
    out->amount = amount;
    return API_OK;
}

enum api_error refund_settle(sqlite3 *conn, const struct refund_request *in,
                             const struct refund_result *res, const char *gateway_ref, int64_t now)
{
    struct refund_invoice_row inv = {0};
    char status[16], description[96];
    enum api_error err;

    if (!res->pending)
        return API_OK;
    if ((err = refund_load(conn, in->invoice_id, &inv, status, sizeof status)) != API_OK)
        return err;
    snprintf(description, sizeof description, "Refund of %s", inv.number);
    if (res->to_balance > 0 &&
        (err = ledger_post(conn, inv.user_id, "refund", res->to_balance, description,
                           in->invoice_id, in->actor_id, now, NULL)) != API_OK)
        return err;
    return db_run(conn,
                  "UPDATE refunds SET gateway_ref = NULLIF(?3, '') WHERE id = ?1"
                  " AND gateway_ref = 'pending' AND ?2 = ?2",
                  res->refund_id, 0, gateway_ref ? gateway_ref : "") == 1
               ? API_OK
               : API_ERR_INTERNAL;
}

enum api_error refund_undo(sqlite3 *conn, const struct refund_request *in,
                           const struct refund_result *res)
{
    if (!res->pending)
        return API_OK;
    if (db_run(conn,
               "DELETE FROM refunds WHERE id = ?1 AND gateway_ref = 'pending'"
               " AND ?2 = ?2",
               res->refund_id, 0, NULL) != 1 ||
        db_run(conn,
               "UPDATE invoices SET amount_refunded = amount_refunded - ?2,"
               " status = CASE WHEN status = 'refunded' THEN ?3 ELSE status END"
               " WHERE id = ?1 AND amount_refunded >= ?2",
               in->invoice_id, res->amount, res->status) != 1)
        return API_ERR_INTERNAL;
    return API_OK;
}
