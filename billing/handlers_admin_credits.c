/* handlers_admin_credits.c: a customer's credit balance and ledger as operators see them, and
 * operator adjustments: one ledger row, never below zero, audited and idempotent. */
#include "billing/handlers_admin.h"

#include <stdio.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/idempotency.h"
#include "billing/json_util.h"
#include "billing/ledger.h"
#include "billing/money.h"
#include "billing/operator.h"
#include "billing/timestamp.h"

#define LEDGER_COLUMNS                                                                             \
    "SELECT id, type, amount, balance_after, description, invoice_id, created_at FROM "            \
    "credit_ledger "

/* One CreditTransaction from a row of LEDGER_COLUMNS. */
static cJSON *credits_entry_json(sqlite3_stmt *st, const char *cur)
{
    cJSON *e = cJSON_CreateObject();

    if (!e || !json_add_int(e, "id", sqlite3_column_int64(st, 0)) ||
        !cJSON_AddStringToObject(e, "type", db_text(st, 1)) ||
        !json_add_money(e, "amount", sqlite3_column_int64(st, 2), cur) ||
        !json_add_money(e, "balance_after", sqlite3_column_int64(st, 3), cur) ||
        !cJSON_AddStringToObject(e, "description", db_text(st, 4)) ||
        !(sqlite3_column_type(st, 5) == SQLITE_NULL
              ? cJSON_AddNullToObject(e, "invoice_id")
              : json_add_int(e, "invoice_id", sqlite3_column_int64(st, 5))) ||
        !json_add_timestamp_col(e, "created_at", st, 6)) {
        cJSON_Delete(e);
        return NULL;
    }
    return e;
}

/* The Credits object of an account. */
static cJSON *credits_json(sqlite3 *conn, const struct settings *set, int64_t user_id)
{
    const char *cur = set->currency_code;
    int64_t balance = ledger_balance(conn, user_id);
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM invoices WHERE user_id = ? AND"
                                        " kind = 'deposit' AND status IN ('pending', 'overdue')");
    cJSON *c = NULL;
    int rc;

    if (!st || balance < 0)
        goto done;
    sqlite3_bind_int64(st, 1, user_id);
    rc = sqlite3_step(st);
    if ((rc != SQLITE_ROW && rc != SQLITE_DONE) || !(c = cJSON_CreateObject()))
        goto done;
    if (!json_add_money(c, "balance", balance, cur) ||
        !cJSON_AddBoolToObject(c, "enabled", set->credits_enabled) ||
        !json_add_money(c, "min_deposit", set->credits_min_deposit, cur) ||
        !json_add_money(c, "max_deposit", set->credits_max_deposit, cur) ||
        !(rc == SQLITE_ROW
              ? json_add_int(c, "pending_deposit_invoice_id", sqlite3_column_int64(st, 0))
              : cJSON_AddNullToObject(c, "pending_deposit_invoice_id"))) {
        cJSON_Delete(c);
        c = NULL;
    }
done:
    db_finalize(st);
    return c;
}

void handle_admin_user_credits(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t id;
    int found = -1;
    cJSON *c = NULL;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "account", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && (found = operator_user_exists(conn, id)) == 1)
        c = credits_json(conn, &set, id);
    db_release(req->app->db);
    if (found == 0)
        reply_error(rep, API_ERR_NOT_FOUND, "No account with id %lld.", (long long)id);
    else if (!c)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        reply_data(rep, 200, c);
}

void handle_admin_user_credit_transactions(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t id, page, per_page, total = -1;
    int found = -1, rc = SQLITE_ERROR;
    cJSON *items = NULL;
    sqlite3_stmt *st = NULL;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "account", &id))
        return;
    operator_paging(req, rep, &page, &per_page);
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || (found = operator_user_exists(conn, id)) != 1 ||
        (total = operator_count(conn, "SELECT COUNT(*) FROM credit_ledger WHERE user_id = ?", id,
                                NULL)) < 0 ||
        !(items = cJSON_CreateArray()) ||
        !(st = db_prepare(conn, LEDGER_COLUMNS "WHERE user_id = ? ORDER BY id DESC LIMIT ? "
                                               "OFFSET ?")))
        goto done;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, per_page);
    sqlite3_bind_int64(st, 3, (page - 1) * per_page);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(items, credits_entry_json(st, set.currency_code))) {
            rc = SQLITE_ERROR;
            break;
        }
done:
    db_finalize(st);
    db_release(req->app->db);
    if (found == 0) {
        reply_error(rep, API_ERR_NOT_FOUND, "No account with id %lld.", (long long)id);
    } else if (rc != SQLITE_DONE) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
    } else {
        reply_page(rep, items, page, per_page, total);
        items = NULL;
    }
    cJSON_Delete(items);
}

/* The ledger row just written, as the reply's CreditTransaction. */
static cJSON *credits_last_entry(sqlite3 *conn, const struct settings *set, int64_t user_id)
{
    sqlite3_stmt *st =
        db_prepare(conn, LEDGER_COLUMNS "WHERE user_id = ? ORDER BY id DESC LIMIT 1");
    cJSON *e = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        e = credits_entry_json(st, set->currency_code);
    db_finalize(st);
    return e;
}

/* Inside the transaction, after the idempotency check: validates, posts, audits, replies. */
static enum api_error credits_adjust(struct request *req, struct reply *rep, sqlite3 *conn,
                                     const struct settings *set, int64_t user_id, int64_t now)
{
    const char *reason = operator_reason(req, rep);
    int64_t amount = 0, balance, after = 0;
    char shown[48], message[128];
    enum api_error err;
    cJSON *details, *entry;
    int found;

    if (operator_money(req, rep, set, "amount", true, &amount) && amount == 0)
        reply_field(rep, "amount.amount", "must not be zero");
    if (reply_has_fields(rep))
        return API_ERR_VALIDATION_FAILED;
    if ((found = operator_user_exists(conn, user_id)) != 1)
        return found == 0 ? API_ERR_NOT_FOUND : API_ERR_INTERNAL;
    balance = ledger_balance(conn, user_id);
    err = ledger_post(conn, user_id, "adjustment", amount, reason, 0, req->user_id, now, &after);
    if (err == API_ERR_INSUFFICIENT_CREDITS) {
        /* A removal larger than the balance changes nothing: balances never go below zero. */
        snprintf(message, sizeof message, "would take the balance of %s below zero",
                 billing_money_text(set, balance, shown, sizeof shown));
        reply_field(rep, "amount", message);
        return API_ERR_VALIDATION_FAILED;
    }
    if (err == API_ERR_VALIDATION_FAILED) {
        reply_field(rep, "amount", "is too large");
        return err;
    }
    if (err != API_OK)
        return err;
    if (!(details = cJSON_CreateObject()) || !json_add_int(details, "amount", amount) ||
        !json_add_int(details, "balance_after", after) ||
        operator_audit(conn, req, "credits.adjust", "user", user_id, reason, details, now) != 0) {
        cJSON_Delete(details);
        return API_ERR_INTERNAL;
    }
    cJSON_Delete(details);
    if (!(entry = credits_last_entry(conn, set, user_id)))
        return API_ERR_INTERNAL;
    reply_data(rep, 201, entry);
    return idempotency_store(conn, req, rep) == 0 ? API_OK : API_ERR_INTERNAL;
}

void handle_admin_user_credits_adjust(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t user_id, now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "account", &user_id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0)
        goto done;
    if (idempotency_check(conn, req, rep, true) == IDEM_DONE) {
        /* A replay or a refused key: rep holds the answer. */
        db_rollback(conn);
        db_release(req->app->db);
        return;
    }
    err = credits_adjust(req, rep, conn, &set, user_id, now);
    if (err == API_OK && db_commit(conn) != 0)
        err = API_ERR_INTERNAL;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_ERR_VALIDATION_FAILED)
        reply_validation(rep);
    else if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No account with id %lld.", (long long)user_id);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
}
