/* cancellation.c: a customer's request to end a service, now or at the end of its period. */
#include "billing/cancellation.h"

#include "billing/clock.h"
#include "billing/db.h"
#include "billing/invoice.h"

/* Runs a statement taking ?1 the service, and ?2 a date and ?3 the time where it uses them;
 * returns the rows changed, or -1. */
static int cancellation_exec(sqlite3 *conn, const char *sql, int64_t service_id, const char *date,
                             int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int params, rc = -1;

    if (!st)
        return -1;
    params = sqlite3_bind_parameter_count(st);
    sqlite3_bind_int64(st, 1, service_id);
    if (params >= 2)
        sqlite3_bind_text(st, 2, date, -1, SQLITE_TRANSIENT);
    if (params >= 3)
        sqlite3_bind_int64(st, 3, now);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

enum api_error cancellation_execute(sqlite3 *conn, int64_t service_id, int64_t now)
{
    int rc = cancellation_exec(conn,
                               "UPDATE services SET status = 'cancelled', cancelled_at = ?3,"
                               " next_due_date = NULL, server_name = NULL, server_address = NULL,"
                               " server_node = NULL"
                               " WHERE id = ?1 AND status IN ('pending', 'active', 'suspended')",
                               service_id, NULL, now);

    if (rc != 1)
        return rc == 0 ? API_ERR_INVALID_STATUS : API_ERR_INTERNAL;
    return invoice_void_for_service(conn, service_id, now) < 0 ? API_ERR_INTERNAL : API_OK;
}

enum api_error cancellation_request(sqlite3 *conn, const struct service *svc, bool immediate,
                                    const char *reason, int64_t now)
{
    struct date today = date_from_unix(now);
    /* The period that has been paid for runs out at the next due date. */
    struct date effective = svc->has_due && !immediate ? svc->next_due : today;
    bool now_due = date_compare(effective, today) <= 0;
    char date[DATE_CHARS];
    sqlite3_stmt *st;
    int rc = -1;

    if (!service_is_live(svc))
        return API_ERR_INVALID_STATUS;
    if (svc->cancellation_pending)
        return API_ERR_CANCELLATION_PENDING;
    date_format(now_due ? today : effective, date);
    /* A request left from before is replaced (it cannot be pending: the service is live). */
    st = db_prepare(conn, "INSERT OR REPLACE INTO service_cancellations"
                          "(service_id, type, reason, requested_at, effective_date)"
                          " VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, svc->id);
    sqlite3_bind_text(st, 2, immediate ? "immediate" : "end_of_period", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, reason ? reason : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_text(st, 5, date, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    if (rc != 0)
        return API_ERR_INTERNAL;
    if (immediate || now_due)
        return cancellation_execute(conn, svc->id, now);
    /* Nobody should pay for the period the service will not run. */
    rc = cancellation_exec(conn,
                           "UPDATE invoices SET status = 'cancelled' WHERE service_id = ?1"
                           " AND kind = 'renewal' AND period_start = ?2 AND status = 'pending'"
                           " AND amount_paid = 0",
                           svc->id, date, now);
    return rc < 0 ? API_ERR_INTERNAL : API_OK;
}

enum api_error cancellation_withdraw(sqlite3 *conn, const struct service *svc, int64_t now)
{
    char date[DATE_CHARS];
    int rc;

    if (!svc->cancellation_pending)
        return API_ERR_NOT_FOUND;
    if (cancellation_exec(conn, "DELETE FROM service_cancellations WHERE service_id = ?1", svc->id,
                          NULL, now) != 1)
        return API_ERR_INTERNAL;
    if (!svc->has_due)
        return API_OK;
    date_format(svc->next_due, date);
    /* The renewal the request cancelled is the period's one invoice: it comes back rather than
     * a second one being issued. */
    rc = cancellation_exec(conn,
                           "UPDATE invoices SET status = 'pending' WHERE service_id = ?1"
                           " AND kind = 'renewal' AND period_start = ?2 AND status = 'cancelled'"
                           " AND amount_paid = 0",
                           svc->id, date, now);
    return rc < 0 ? API_ERR_INTERNAL : API_OK;
}
