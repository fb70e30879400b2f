/* handlers_credits.c: the account's credit balance, its ledger, and deposits (an invoice that
 * adds funds once paid through a gateway). */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/idempotency.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/ledger.h"
#include "billing/money.h"
#include "billing/timestamp.h"

/* The unpaid deposit invoice and its number, or 0. */
static int64_t credits_pending_deposit(sqlite3 *conn, int64_t user_id, char *number, size_t size)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT id, number FROM invoices WHERE user_id = ?"
                         " AND kind = 'deposit' AND status IN ('pending', 'overdue')");
    int64_t id = 0;

    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        id = sqlite3_column_int64(st, 0);
        if (number)
            snprintf(number, size, "%s", db_text(st, 1));
    }
    db_finalize(st);
    return id;
}

void handle_credits(struct request *req, struct reply *rep)
{
    struct settings set;
    cJSON *d = NULL;
    int64_t balance = -1, pending = 0;
    const char *cur = set.currency_code;
    sqlite3 *conn = db_acquire(req->app->db);

    if (settings_load(conn, &set) == 0) {
        balance = ledger_balance(conn, req->user_id);
        pending = credits_pending_deposit(conn, req->user_id, NULL, 0);
    }
    db_release(req->app->db);
    /* Switched off, the balance is still shown: it is kept, only frozen. */
    if (balance < 0 || !(d = cJSON_CreateObject()) || !json_add_money(d, "balance", balance, cur) ||
        !cJSON_AddBoolToObject(d, "enabled", set.credits_enabled) ||
        !json_add_money(d, "min_deposit", set.credits_min_deposit, cur) ||
        !json_add_money(d, "max_deposit", set.credits_max_deposit, cur) ||
        !(pending ? json_add_int(d, "pending_deposit_invoice_id", pending)
                  : cJSON_AddNullToObject(d, "pending_deposit_invoice_id"))) {
        cJSON_Delete(d);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_data(rep, 200, d);
}

static cJSON *credits_row(sqlite3_stmt *st, const char *cur)
{
    cJSON *t = cJSON_CreateObject();

    if (!t || !json_add_int(t, "id", sqlite3_column_int64(st, 0)) ||
        !cJSON_AddStringToObject(t, "type", db_text(st, 1)) ||
        !json_add_money(t, "amount", sqlite3_column_int64(st, 2), cur) ||
        !json_add_money(t, "balance_after", sqlite3_column_int64(st, 3), cur) ||
        !cJSON_AddStringToObject(t, "description", db_text(st, 4)) ||
        !(sqlite3_column_type(st, 5) == SQLITE_NULL
              ? cJSON_AddNullToObject(t, "invoice_id")
              : json_add_int(t, "invoice_id", sqlite3_column_int64(st, 5))) ||
        !json_add_timestamp(t, "created_at", sqlite3_column_int64(st, 6))) {
        cJSON_Delete(t);
        return NULL;
    }
    return t;
}

void handle_credit_transactions(struct request *req, struct reply *rep)
{
    struct settings set;
    cJSON *items = NULL;
    int64_t page, per_page, total = -1;
    sqlite3_stmt *st = NULL;
    sqlite3 *conn;

    if (!commerce_page(req, rep, &page, &per_page)) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || !(items = cJSON_CreateArray()) ||
        !(st = db_prepare(conn, "SELECT count(*) FROM credit_ledger WHERE user_id = ?")))
        goto done;
    sqlite3_bind_int64(st, 1, req->user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        total = sqlite3_column_int64(st, 0);
    db_finalize(st);
    st = db_prepare(conn, "SELECT id, type, amount, balance_after, description, invoice_id,"
                          " created_at FROM credit_ledger WHERE user_id = ? ORDER BY id DESC"
                          " LIMIT ? OFFSET ?");
    if (!st || total < 0) {
        total = -1;
        goto done;
    }
    sqlite3_bind_int64(st, 1, req->user_id);
    sqlite3_bind_int64(st, 2, per_page);
    sqlite3_bind_int64(st, 3, (page - 1) * per_page);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *t = credits_row(st, set.currency_code);

        if (!t || !cJSON_AddItemToArray(items, t)) {
            cJSON_Delete(t);
            total = -1;
            break;
        }
    }
done:
    db_finalize(st);
    db_release(req->app->db);
    if (total < 0) {
        cJSON_Delete(items);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_page(rep, items, page, per_page, total);
}

/* The amount asked for: a Money in the store currency within the deposit limits. */
static bool credits_deposit_amount(const cJSON *body, const struct settings *set, int64_t *amount,
                                   struct reply *rep)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "amount");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "amount");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "currency");
    char money[48], msg[80];

    if (!cJSON_IsObject(m))
        reply_field(rep, "amount", m ? "must be a Money object" : "is required");
    else if (!json_get_int(a, amount))
        reply_field(rep, "amount.amount", "must be an integer of minor units");
    else if (!cJSON_IsString(c) || strcmp(c->valuestring, set->currency_code) != 0)
        reply_field(rep, "amount.currency", "must be the store currency");
    else if (*amount < set->credits_min_deposit) {
        snprintf(msg, sizeof msg, "must be at least %s",
                 billing_money_text(set, set->credits_min_deposit, money, sizeof money));
        reply_field(rep, "amount", msg);
    } else if (*amount > set->credits_max_deposit) {
        snprintf(msg, sizeof msg, "must be at most %s",
                 billing_money_text(set, set->credits_max_deposit, money, sizeof money));
        reply_field(rep, "amount", msg);
    }
    return !reply_has_fields(rep);
}

/* Creates the deposit invoice inside a transaction; answers 201 with it, or the refusal. */
static void credits_deposit_create(struct request *req, struct reply *rep, sqlite3 *conn,
                                   const struct settings *set, int64_t amount, int64_t now)
{
    struct invoice_new in = {.user_id = req->user_id, .kind = "deposit"};
    struct basket *b = calloc(1, sizeof *b);
    char number[32] = "", id_text[24];
    int64_t id = 0, pending;
    enum api_error err;

    if (!b) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    if ((pending = credits_pending_deposit(conn, req->user_id, number, sizeof number))) {
        snprintf(id_text, sizeof id_text, "%lld", (long long)pending);
        reply_field(rep, "invoice_id", id_text);
        reply_error(rep, API_ERR_DEPOSIT_PENDING, "Pay or wait for deposit invoice %s first.",
                    number);
        goto done;
    }
    b->totals.subtotal = b->totals.taxable = b->totals.total = b->totals.due_now = amount;
    err = invoice_create(conn, set, &in, b, now, &id);
    if (err != API_OK) {
        reply_error(rep, err, NULL);
        goto done;
    }
    reply_data(rep, 201, invoice_json(conn, set, id, req->user_id));
done:
    free(b);
}

void handle_credit_deposit(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t amount = 0;
    sqlite3 *conn = db_acquire(req->app->db);

    if (settings_load(conn, &set) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    if (!set.credits_enabled) {
        reply_error(rep, API_ERR_CREDITS_DISABLED,
                    "Account credit is not available in this store.");
        goto release;
    }
    if (!credits_deposit_amount(req->json, &set, &amount, rep)) {
        reply_error(rep, API_ERR_VALIDATION_FAILED, "The deposit amount is out of range.");
        goto release;
    }
    if (db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto release;
    }
    if (idempotency_check(conn, req, rep, false) == IDEM_DONE) {
        db_rollback(conn);
        goto release;
    }
    credits_deposit_create(req, rep, conn, &set, amount, clock_now(req->app));
    if (rep->status != 201 || idempotency_store(conn, req, rep) != 0 || db_commit(conn) != 0) {
        if (rep->status == 201)
            reply_error(rep, API_ERR_INTERNAL, NULL);
        db_rollback(conn);
    }
release:
    db_release(req->app->db);
}
