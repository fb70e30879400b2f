/* payment_state.c: where a payment stands: failing, expiring, finding it by its page token, and
 * the contract's Payment object. */
#include "billing/payment.h"

#include <stdio.h>
#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/ledger.h"
#include "billing/timestamp.h"

/* The credits a waiting payment holds go back to the balance while its invoice is unpaid. */
static enum api_error payment_return_credits(sqlite3 *conn, int64_t payment_id, const char *status,
                                             int64_t now)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT c.id, c.amount, c.user_id, i.id, i.number FROM payments c"
                         " JOIN invoices i ON i.id = c.invoice_id"
                         " WHERE c.gateway_ref = 'for:' || ? AND c.status = 'paid'"
                         " AND i.status IN ('pending', 'overdue')");
    int64_t credit_id = 0, amount = 0, user_id = 0, invoice_id = 0;
    char what[96] = "";

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        credit_id = sqlite3_column_int64(st, 0);
        amount = sqlite3_column_int64(st, 1);
        user_id = sqlite3_column_int64(st, 2);
        invoice_id = sqlite3_column_int64(st, 3);
        snprintf(what, sizeof what, "Credits returned: payment for %s %s", db_text(st, 4),
                 strcmp(status, "failed") == 0 ? "declined" : "not completed");
    }
    db_finalize(st);
    if (!credit_id)
        return API_OK;
    if (db_run(conn, "UPDATE payments SET status = ?3, settled_at = ?2 WHERE id = ?1", credit_id,
               now, status) != 1 ||
        db_run(conn,
               "UPDATE invoices SET amount_paid = amount_paid - ?2 WHERE id = ?1"
               " AND amount_paid >= ?2",
               invoice_id, amount, NULL) != 1)
        return API_ERR_INTERNAL;
    return amount > 0 ? ledger_post(conn, user_id, "refund", amount, what, invoice_id, 0, now, NULL)
                      : API_OK;
}

enum api_error payment_fail(sqlite3 *conn, int64_t payment_id, const char *status, int64_t now)
{
    int n = db_run(conn,
                   "UPDATE payments SET status = ?3, settled_at = ?2 WHERE id = ?1"
                   " AND status IN ('requires_action', 'pending')",
                   payment_id, now, status);

    if (n < 0)
        return API_ERR_INTERNAL;
    return n == 0 ? API_OK : payment_return_credits(conn, payment_id, status, now);
}

enum api_error payment_undo(sqlite3 *conn, int64_t payment_id, int64_t now)
{
    sqlite3_stmt *st;
    bool waiting = false;
    enum api_error err;

    if (!(st = db_prepare(conn, "SELECT 1 FROM payments WHERE id = ? AND"
                                " status = 'requires_action' AND gateway_ref IS NULL")))
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, payment_id);
    waiting = sqlite3_step(st) == SQLITE_ROW;
    db_finalize(st);
    if (!waiting)
        return API_OK;
    if ((err = payment_fail(conn, payment_id, "failed", now)) != API_OK)
        return err;
    return db_run(conn,
                  "DELETE FROM payments WHERE (id = ?1 OR gateway_ref = 'for:' || ?1)"
                  " AND ?2 = ?2",
                  payment_id, 0, NULL) >= 1
               ? API_OK
               : API_ERR_INTERNAL;
}

enum api_error payment_abandon(sqlite3 *conn, int64_t payment_id, int64_t now)
{
    /* Only a page that can still be paid is worth closing: Stripe's Checkout Sessions, tried up
     * to 3 times (gateway_close_abandoned). */
    if (db_run(conn,
               "UPDATE payments SET gateway_close = 3 WHERE id = ?1 AND ?2 = ?2"
               " AND status = 'requires_action' AND gateway = 'stripe'"
               " AND gateway_ref LIKE 'cs!_%' ESCAPE '!'",
               payment_id, 0, NULL) < 0)
        return API_ERR_INTERNAL;
    return payment_fail(conn, payment_id, "expired", now);
}

int payment_expire_due(sqlite3 *conn, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM payments WHERE status IN"
                                        " ('requires_action', 'pending') AND created_at <= ?"
                                        " ORDER BY id LIMIT 256");
    int64_t ids[256];
    int n = 0;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now - PAYMENT_TTL);
    while (n < 256 && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    db_finalize(st);
    for (int i = 0; i < n; i++)
        if (payment_abandon(conn, ids[i], now) != API_OK)
            return -1;
    return n;
}

enum api_error payment_by_token(sqlite3 *conn, const char *token, int64_t *payment_id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM payments WHERE token = ?");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        *payment_id = sqlite3_column_int64(st, 0);
        err = API_OK;
        break;
    case SQLITE_DONE:
        err = API_ERR_NOT_FOUND;
        break;
    default:
        break;
    }
    db_finalize(st);
    return err;
}

static cJSON *payment_build(sqlite3_stmt *st, const char *cur, const char *base_url)
{
    const char *status = db_text(st, 2);
    bool waiting = strcmp(status, "requires_action") == 0 || strcmp(status, "pending") == 0;
    int64_t created = sqlite3_column_int64(st, 6);
    cJSON *p = cJSON_CreateObject();
    cJSON *next;
    char url[1024];

    if (!p || !json_add_int(p, "id", sqlite3_column_int64(st, 0)) ||
        !json_add_int(p, "invoice_id", sqlite3_column_int64(st, 1)) ||
        !cJSON_AddStringToObject(p, "status", status) ||
        !(strcmp(status, "not_required") == 0
              ? cJSON_AddNullToObject(p, "gateway")
              : cJSON_AddStringToObject(p, "gateway", db_text(st, 3))) ||
        !json_add_money(p, "amount", sqlite3_column_int64(st, 4), cur) ||
        !json_add_money(p, "credits_applied", sqlite3_column_int64(st, 8), cur))
        goto fail;
    if (strcmp(status, "requires_action") == 0 &&
        (sqlite3_column_type(st, 9) != SQLITE_NULL || sqlite3_column_type(st, 5) != SQLITE_NULL)) {
        /* A real gateway's page as it gave it; else the sandbox page on this server. A real
         * gateway's payment whose page is still being opened has neither yet. */
        if (sqlite3_column_type(st, 9) != SQLITE_NULL)
            snprintf(url, sizeof url, "%s", db_text(st, 9));
        else
            snprintf(url, sizeof url, "%s/sandbox/pay/%s", base_url, db_text(st, 5));
        if (!(next = cJSON_AddObjectToObject(p, "next_action")) ||
            !cJSON_AddStringToObject(next, "type", "redirect_url") ||
            !cJSON_AddStringToObject(next, "url", url))
            goto fail;
    } else if (!cJSON_AddNullToObject(p, "next_action")) {
        goto fail;
    }
    if (!(strcmp(status, "failed") == 0
              ? cJSON_AddStringToObject(p, "failure_reason", "The payment was declined.")
          : strcmp(status, "held") == 0
              ? cJSON_AddStringToObject(p, "failure_reason",
                                        "The gateway reported a payment that does not match this "
                                        "one; it is held until the shop reviews it.")
          : strcmp(status, "expired") == 0
              ? cJSON_AddStringToObject(p, "failure_reason",
                                        "The payment was not completed in time, or a newer "
                                        "payment of the invoice replaced it.")
              : cJSON_AddNullToObject(p, "failure_reason")) ||
        !json_add_timestamp(p, "created_at", created) ||
        !json_add_timestamp(
            p, "updated_at",
            sqlite3_column_type(st, 7) == SQLITE_NULL ? created : sqlite3_column_int64(st, 7)) ||
        !(waiting ? json_add_timestamp(p, "expires_at", created + PAYMENT_TTL)
                  : cJSON_AddNullToObject(p, "expires_at")))
        goto fail;
    return p;
fail:
    cJSON_Delete(p);
    return NULL;
}

cJSON *payment_json(sqlite3 *conn, const struct settings *set, int64_t payment_id, int64_t user_id,
                    const char *base_url)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT p.id, p.invoice_id, p.status, p.gateway, p.amount, p.token, p.created_at,"
              " p.settled_at, COALESCE((SELECT c.amount FROM payments c"
              "  WHERE c.gateway_ref = 'for:' || p.id), 0), p.redirect_url "
              "FROM payments p WHERE p.id = ?1 AND (?2 = 0 OR p.user_id = ?2)");
    cJSON *p = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, payment_id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        p = payment_build(st, set->currency_code, base_url);
    db_finalize(st);
    return p;
}
