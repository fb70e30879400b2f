/* handlers_invoices.c: the customer's invoices: a page of summaries, and one whole invoice. */
#include "billing/handlers_lifecycle.h"

#include "billing/app.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/invoice_list.h"
#include "billing/settings.h"

static const char *const invoice_statuses[] = {"draft",     "pending",  "paid", "overdue",
                                               "cancelled", "refunded", NULL};

void handle_invoices(struct request *req, struct reply *rep)
{
    struct settings set;
    const char *status;
    int64_t page, per_page, total = 0;
    cJSON *items = NULL;
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;

    if (!lifecycle_list_query(req, rep, invoice_statuses, &page, &per_page, &status))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0)
        err = invoice_list(conn, &set, req->user_id, status, per_page, (page - 1) * per_page,
                           &items, &total);
    db_release(req->app->db);
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}

/* Whether the user has this invoice: tells a missing one (404) from a failure (500). */
static int invoice_owned(sqlite3 *conn, int64_t id, int64_t user_id)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT EXISTS (SELECT 1 FROM invoices WHERE id = ? AND user_id = ?)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = sqlite3_column_int(st, 0);
    db_finalize(st);
    return rc;
}

void handle_invoice(struct request *req, struct reply *rep)
{
    struct settings set;
    cJSON *inv = NULL;
    int64_t id;
    int owned = -1;
    sqlite3 *conn;

    if (!lifecycle_path_id(req, rep, "invoice", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && !(inv = invoice_json(conn, &set, id, req->user_id)))
        owned = invoice_owned(conn, id, req->user_id);
    db_release(req->app->db);
    if (inv)
        reply_data(rep, 200, inv);
    else if (owned == 0)
        reply_error(rep, API_ERR_NOT_FOUND, "No invoice with id '%lld'.", (long long)id);
    else
        reply_error(rep, API_ERR_INTERNAL, NULL);
}
