/* handlers_admin_records.c: operators read any customer's services, invoices and orders, through
 * the same JSON as the customers' own endpoints. */
#include "billing/handlers_admin.h"

#include <string.h>

#include "billing/app.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/invoice_list.h"
#include "billing/lifecycle.h"
#include "billing/operator.h"
#include "billing/order.h"

static const char *const service_statuses[] = {"pending",   "active",     "suspended",
                                               "cancelled", "terminated", NULL};
static const char *const invoice_statuses[] = {"draft",     "pending",  "paid", "overdue",
                                               "cancelled", "refunded", NULL};
static const char *const order_statuses[] = {"pending_payment", "paid",      "pending_approval",
                                             "completed",       "cancelled", NULL};

/* The `status` filter: absent, or one of the list (a field error otherwise). */
static const char *records_status(const struct request *req, struct reply *rep,
                                  const char *const *allowed, const char *problem)
{
    const char *v = request_query(req, "status");

    if (!v)
        return NULL;
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(v, allowed[i]) == 0)
            return allowed[i];
    reply_field(rep, "status", problem);
    return NULL;
}

enum records_kind { RECORDS_SERVICES, RECORDS_INVOICES, RECORDS_ORDERS };

/* One page of orders, newest first: of one user (0: everyone), of one status (NULL: any). */
static enum api_error records_orders(sqlite3 *conn, const struct settings *set, int64_t user_id,
                                     const char *status, int64_t limit, int64_t offset,
                                     cJSON **items, int64_t *total)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM orders WHERE (?1 = 0 OR user_id = "
                                        "?1) AND (?2 IS NULL OR status = ?2)");
    int rc;

    *items = NULL;
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *total = sqlite3_column_int64(st, 0);
    db_finalize(st);
    if (rc != SQLITE_ROW || !(*items = cJSON_CreateArray()))
        return API_ERR_INTERNAL;
    st = db_prepare(conn, "SELECT id FROM orders WHERE (?1 = 0 OR user_id = ?1)"
                          " AND (?2 IS NULL OR status = ?2) ORDER BY id DESC LIMIT ?3 OFFSET ?4");
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(*items, order_json(conn, set, sqlite3_column_int64(st, 0), 0)))
            goto fail;
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return API_OK;
fail:
    db_finalize(st);
    cJSON_Delete(*items);
    *items = NULL;
    return API_ERR_INTERNAL;
}

/* GET /admin/users/{id}/services|invoices|orders: 404 for no such account, then a page. */
static void records_of_user(struct request *req, struct reply *rep, enum records_kind kind)
{
    static const char *const *const statuses[] = {service_statuses, invoice_statuses,
                                                  order_statuses};
    static const char *const problems[] = {
        "must be pending, active, suspended, cancelled or terminated",
        "must be draft, pending, paid, overdue, cancelled or refunded",
        "must be pending_payment, paid, pending_approval, completed or cancelled",
    };
    struct settings set;
    int64_t user_id, page, per_page, total = 0;
    const char *status;
    enum api_error err = API_ERR_INTERNAL;
    cJSON *items = NULL;
    int found = -1;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "account", &user_id))
        return;
    operator_paging(req, rep, &page, &per_page);
    status = records_status(req, rep, statuses[kind], problems[kind]);
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && (found = operator_user_exists(conn, user_id)) == 1) {
        int64_t offset = (page - 1) * per_page;
        if (kind == RECORDS_SERVICES)
            err = lifecycle_service_list(conn, &set, user_id, status, per_page, offset, &items,
                                         &total);
        else if (kind == RECORDS_INVOICES)
            err = invoice_list(conn, &set, user_id, status, per_page, offset, &items, &total);
        else
            err = records_orders(conn, &set, user_id, status, per_page, offset, &items, &total);
    }
    db_release(req->app->db);
    if (found == 0)
        reply_error(rep, API_ERR_NOT_FOUND, "No account with id %lld.", (long long)user_id);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}

void handle_admin_user_services(struct request *req, struct reply *rep)
{
    records_of_user(req, rep, RECORDS_SERVICES);
}

void handle_admin_user_invoices(struct request *req, struct reply *rep)
{
    records_of_user(req, rep, RECORDS_INVOICES);
}

void handle_admin_user_orders(struct request *req, struct reply *rep)
{
    records_of_user(req, rep, RECORDS_ORDERS);
}

void handle_admin_orders(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t page, per_page, total = 0;
    const char *status;
    enum api_error err = API_ERR_INTERNAL;
    cJSON *items = NULL;
    sqlite3 *conn;

    operator_paging(req, rep, &page, &per_page);
    status = records_status(req, rep, order_statuses,
                            "must be pending_payment, paid, pending_approval, completed or "
                            "cancelled");
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0)
        err =
            records_orders(conn, &set, 0, status, per_page, (page - 1) * per_page, &items, &total);
    db_release(req->app->db);
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}

void handle_admin_invoice(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t id;
    cJSON *inv = NULL;
    int exists = -1;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "invoice", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 &&
        (exists = (int)operator_count(conn, "SELECT COUNT(*) FROM invoices WHERE id = ?", id,
                                      NULL)) == 1)
        inv = invoice_json(conn, &set, id, 0);
    db_release(req->app->db);
    if (exists == 0)
        reply_error(rep, API_ERR_NOT_FOUND, "No invoice with id %lld.", (long long)id);
    else if (!inv)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        reply_data(rep, 200, inv);
}
