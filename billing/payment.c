/* payment.c: paying an invoice with credits and a gateway; failure, expiry and supersession. */
#include "billing/payment.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/ledger.h"
#include "billing/timestamp.h"

/* The invoice as a payment needs it. */
struct payment_invoice {
    int64_t user_id, total, paid;
    char status[16], kind[16], number[32];
};

static enum api_error payment_invoice_load(sqlite3 *conn, int64_t id, struct payment_invoice *iv)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT user_id, total, amount_paid, status, kind, number"
                                        " FROM invoices WHERE id = ?");
    enum api_error err = API_ERR_NOT_FOUND;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        iv->user_id = sqlite3_column_int64(st, 0);
        iv->total = sqlite3_column_int64(st, 1);
        iv->paid = sqlite3_column_int64(st, 2);
        snprintf(iv->status, sizeof iv->status, "%s", db_text(st, 3));
        snprintf(iv->kind, sizeof iv->kind, "%s", db_text(st, 4));
        snprintf(iv->number, sizeof iv->number, "%s", db_text(st, 5));
        err = API_OK;
    }
    db_finalize(st);
    return err;
}

static bool payment_payable(const struct payment_invoice *iv)
{
    return strcmp(iv->status, "pending") == 0 || strcmp(iv->status, "overdue") == 0;
}

static void payment_token_new(char out[PAYMENT_TOKEN_CHARS])
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    memcpy(out, "ps_", 3);
    for (int i = 3; i < PAYMENT_TOKEN_CHARS - 1; i++)
        out[i] = alnum[randombytes_uniform(sizeof alnum - 1)];
    out[PAYMENT_TOKEN_CHARS - 1] = '\0';
}

/* One payments row; its id, or 0. token and ref may be NULL; settled_at 0 leaves it NULL. */
static int64_t payment_insert(sqlite3 *conn, int64_t invoice_id, int64_t user_id,
                              const char *gateway, int64_t amount, const char *status,
                              const char *token, const char *ref, int64_t now, int64_t settled)
{
    sqlite3_stmt *st = db_prepare(
        conn,
        "INSERT INTO payments(invoice_id, user_id, gateway, amount, status, token,"
        " gateway_ref, created_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0))");
    int64_t id = 0;

    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, invoice_id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, gateway, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, amount);
    sqlite3_bind_text(st, 5, status, -1, SQLITE_TRANSIENT);
    if (token)
        sqlite3_bind_text(st, 6, token, -1, SQLITE_TRANSIENT);
    if (ref)
        sqlite3_bind_text(st, 7, ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, now);
    sqlite3_bind_int64(st, 9, settled);
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(conn);
    db_finalize(st);
    return id;
}

/* Spends `amount` of credits on the invoice through a credits payment and applies it. */
static enum api_error payment_credits(struct billingd *app, sqlite3 *conn, int64_t invoice_id,
                                      const struct payment_invoice *iv, int64_t amount, int64_t now,
                                      int64_t *id)
{
    char what[80];
    enum api_error err;

    snprintf(what, sizeof what, "Paid towards %s", iv->number);
    *id = payment_insert(conn, invoice_id, iv->user_id, "credits", amount, "pending", NULL, NULL,
                         now, 0);
    if (!*id)
        return API_ERR_INTERNAL;
    err = ledger_post(conn, iv->user_id, "spend", -amount, what, invoice_id, 0, now, NULL);
    if (err == API_OK)
        err = invoice_settle_payment(app, conn, *id, now);
    return err;
}

/* Marks a credits payment as held by a gateway payment ("for:<id>"), which returns it when it
 * fails or expires. */
static enum api_error payment_hold(sqlite3 *conn, int64_t credit_id, int64_t holder)
{
    sqlite3_stmt *st =
        db_prepare(conn, "UPDATE payments SET gateway_ref = 'for:' || ? WHERE id = ?");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, holder);
    sqlite3_bind_int64(st, 2, credit_id);
    if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(conn) == 1)
        err = API_OK;
    db_finalize(st);
    return err;
}

/* Ends the payments still waiting on an invoice: a newer payment replaces them. */
static enum api_error payment_supersede(sqlite3 *conn, int64_t invoice_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM payments WHERE invoice_id = ? AND"
                                        " status IN ('requires_action', 'pending') ORDER BY id");
    int64_t ids[16];
    size_t n = 0;
    enum api_error err = API_OK;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, invoice_id);
    while (n < sizeof ids / sizeof ids[0] && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_finalize(st);
    for (size_t i = 0; i < n && err == API_OK; i++)
        err = payment_abandon(conn, ids[i], now);
    return err;
}

enum api_error payment_start(struct billingd *app, sqlite3 *conn, const struct settings *set,
                             int64_t invoice_id, const char *method, bool use_credits, int64_t now,
                             struct payment_outcome *out)
{
    struct payment_invoice iv;
    char token[PAYMENT_TOKEN_CHARS];
    int64_t due, balance, credit = 0, credit_id = 0;
    bool deposit;
    enum api_error err;

    memset(out, 0, sizeof *out);
    if ((err = payment_invoice_load(conn, invoice_id, &iv)) != API_OK)
        return err;
    if (!payment_payable(&iv))
        return API_ERR_INVOICE_NOT_PAYABLE;
    deposit = strcmp(iv.kind, "deposit") == 0;
    /* Credits bought with credits would be a loop: deposits are paid through a gateway. */
    if (!payment_method_available(app, set, method) ||
        (deposit && (strcmp(method, "credits") == 0 || use_credits)))
        return API_ERR_PAYMENT_METHOD_UNAVAILABLE;
    if ((err = payment_supersede(conn, invoice_id, now)) != API_OK ||
        (err = payment_invoice_load(conn, invoice_id, &iv)) != API_OK)
        return err;
    due = iv.total - iv.paid;
    if ((balance = ledger_balance(conn, iv.user_id)) < 0)
        return API_ERR_INTERNAL;
    if (strcmp(method, "credits") == 0) {
        if (balance < due) {
            out->balance = balance;
            out->required = due;
            return API_ERR_INSUFFICIENT_CREDITS;
        }
        return payment_credits(app, conn, invoice_id, &iv, due, now, &out->payment_id);
    }
    if (use_credits && set->credits_enabled)
        credit = balance < due ? balance : due;
    /* The credits go first (so the invoice's history reads in the order money moved), then
     * the gateway's part, which holds them: they come back if it fails. */
    if (credit > 0 && (err = payment_credits(app, conn, invoice_id, &iv, credit, now, &credit_id)))
        return err;
    if (credit == due) {
        out->payment_id = payment_insert(conn, invoice_id, iv.user_id, method, 0, "not_required",
                                         NULL, NULL, now, now);
    } else {
        payment_token_new(token);
        out->payment_id = payment_insert(conn, invoice_id, iv.user_id, method, due - credit,
                                         "requires_action", token, NULL, now, 0);
    }
    if (!out->payment_id)
        return API_ERR_INTERNAL;
    return credit_id ? payment_hold(conn, credit_id, out->payment_id) : API_OK;
}

enum api_error payment_not_required(sqlite3 *conn, int64_t invoice_id, const char *method,
                                    int64_t now, int64_t *payment_id)
{
    struct payment_invoice iv;
    enum api_error err = payment_invoice_load(conn, invoice_id, &iv);

    if (err != API_OK)
        return err;
    *payment_id = payment_insert(conn, invoice_id, iv.user_id, method, 0, "not_required", NULL,
                                 NULL, now, now);
    return *payment_id ? API_OK : API_ERR_INTERNAL;
}
