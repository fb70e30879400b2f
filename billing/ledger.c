/* ledger.c: credit balances move only through appended ledger rows, in the caller's transaction.
 */
#include "billing/ledger.h"

#include "billing/db.h"

int64_t ledger_balance(sqlite3 *conn, int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT credit_balance FROM users WHERE id = ?");
    int64_t balance = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        balance = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return balance;
}

enum api_error ledger_post(sqlite3 *conn, int64_t user_id, const char *type, int64_t amount,
                           const char *description, int64_t invoice_id, int64_t actor_id,
                           int64_t now, int64_t *balance_after)
{
    sqlite3_stmt *st = NULL;
    int64_t balance = ledger_balance(conn, user_id), after;
    enum api_error err = API_ERR_INTERNAL;

    if (balance < 0 || amount == 0)
        return balance < 0 ? API_ERR_NOT_FOUND : API_ERR_VALIDATION_FAILED;
    if (__builtin_add_overflow(balance, amount, &after))
        return API_ERR_VALIDATION_FAILED;
    /* The caller holds the database for the whole transaction, so the balance read above is the
     * one this row builds on: two spends can never both see the same balance. */
    if (after < 0)
        return API_ERR_INSUFFICIENT_CREDITS;
    st = db_prepare(conn, "UPDATE users SET credit_balance = ? WHERE id = ?");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto done;
    db_finalize(st);
    st = db_prepare(conn, "INSERT INTO credit_ledger(user_id, type, amount, balance_after,"
                          " description, invoice_id, actor_id, created_at) "
                          "VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)");
    if (!st)
        goto done;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, amount);
    sqlite3_bind_int64(st, 4, after);
    sqlite3_bind_text(st, 5, description ? description : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, invoice_id);
    sqlite3_bind_int64(st, 7, actor_id);
    sqlite3_bind_int64(st, 8, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto done;
    if (balance_after)
        *balance_after = after;
    err = API_OK;
done:
    db_finalize(st);
    return err;
}
