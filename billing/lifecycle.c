/* lifecycle.c: a service's status changes: activation, renewal paid, suspension, termination. */
#include "billing/lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "billing/audit.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/plan_change.h"
#include "billing/service.h"

#define SERVER_PORT_BASE 25565

/* A provisioned server's record, the same for the same service every time: its name from the
 * product, an address in 203.0.113.0/24 (reserved for documentation, so never a real host) and
 * one of three nodes. */
static int lifecycle_server(sqlite3 *conn, const struct service *svc, char *name, size_t namesz,
                            char *addr, size_t addrsz, char *node, size_t nodesz)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT slug FROM products WHERE id = ?");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, svc->product_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        /* 254 hosts, then the next port: no two services share an address. */
        snprintf(name, namesz, "%.60s-%lld", db_text(st, 0), (long long)svc->id);
        snprintf(addr, addrsz, "203.0.113.%d:%d", (int)(1 + (svc->id - 1) % 254),
                 SERVER_PORT_BASE + (int)((svc->id - 1) / 254 % 30000));
        snprintf(node, nodesz, "node-%d.fra", (int)(1 + svc->id % 3));
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* Runs a prepared UPDATE (NULL: preparing it failed) and finalizes it; the rows it changed, or
 * -1. */
static int lifecycle_update(sqlite3_stmt *st)
{
    int rc;

    if (!st)
        return -1;
    rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(sqlite3_db_handle(st)) : -1;
    db_finalize(st);
    return rc;
}

enum api_error lifecycle_activate(sqlite3 *conn, int64_t service_id, int64_t now)
{
    struct service svc;
    struct date today = date_from_unix(now);
    char name[96], addr[32], node[24], due[DATE_CHARS];
    enum api_error err = service_load(conn, service_id, 0, &svc);
    sqlite3_stmt *st;

    if (err != API_OK)
        return err;
    if (!service_is(&svc, "pending")) {
        err = API_ERR_INVALID_STATUS;
        goto done;
    }
    err = API_ERR_INTERNAL;
    if (lifecycle_server(conn, &svc, name, sizeof name, addr, sizeof addr, node, sizeof node))
        goto done;
    /* The day of activation anchors every later due date. */
    date_format(date_add_months(today, (int)svc.months, today.d), due);
    st = db_prepare(conn, "UPDATE services SET status = 'active', activated_at = ?2,"
                          " anchor_day = ?3, next_due_date = ?4, server_name = ?5,"
                          " server_address = ?6, server_node = ?7"
                          " WHERE id = ?1 AND status = 'pending'");
    if (st) {
        sqlite3_bind_int64(st, 1, service_id);
        sqlite3_bind_int64(st, 2, now);
        sqlite3_bind_int(st, 3, today.d);
        if (service_is_recurring(&svc))
            sqlite3_bind_text(st, 4, due, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_text(st, 5, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, addr, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 7, node, -1, SQLITE_TRANSIENT);
    }
    if (lifecycle_update(st) == 1)
        err = API_OK;
done:
    service_row_clear(&svc);
    return err;
}

/* The renewal invoice's period start and whether it took a coupon cycle. */
static enum api_error lifecycle_renewal_of(sqlite3 *conn, int64_t invoice_id, int64_t *service_id,
                                           struct date *start, bool *discounted)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT kind, service_id, period_start, discount"
                                        " FROM invoices WHERE id = ?");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, invoice_id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        if (strcmp(db_text(st, 0), "renewal") != 0 || sqlite3_column_type(st, 1) == SQLITE_NULL ||
            !date_parse(db_text(st, 2), start)) {
            err = API_ERR_INVALID_STATUS;
            break;
        }
        *service_id = sqlite3_column_int64(st, 1);
        *discounted = sqlite3_column_int64(st, 3) > 0;
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

enum api_error lifecycle_renewal_paid(sqlite3 *conn, int64_t invoice_id, int64_t now)
{
    struct service svc = {0};
    struct date start;
    int64_t service_id = 0;
    bool discounted = false, unsuspend = false, by_system = false;
    char reason[256], due[DATE_CHARS];
    enum api_error err = lifecycle_renewal_of(conn, invoice_id, &service_id, &start, &discounted);
    sqlite3_stmt *st;

    if (err != API_OK || (err = service_load(conn, service_id, 0, &svc)) != API_OK)
        return err;
    /* The period this invoice pays must be the one the service is waiting for: a second
     * settlement of the same invoice, or a stale one, finds the due date already moved. */
    if (!service_is_live(&svc) || !svc.has_due || date_compare(start, svc.next_due) != 0)
        goto done;
    err = API_ERR_INTERNAL;
    if (service_is(&svc, "suspended")) {
        /* Paying lifts a suspension for non-payment, never one an operator imposed. */
        if (service_suspension_reason(conn, svc.id, reason, sizeof reason, &by_system) != 0)
            goto done;
        unsuspend = by_system;
    }
    /* The period paid is on the plan a scheduled change gives it, however long its cycle. */
    if (plan_change_renewal_plan(conn, &svc, start) < 0)
        goto done;
    date_format(date_add_months(svc.next_due, (int)svc.months, svc.anchor_day), due);
    st = db_prepare(conn, "UPDATE services SET next_due_date = ?2,"
                          " coupon_cycles_left = CASE WHEN ?3 AND coupon_cycles_left > 0"
                          "  THEN coupon_cycles_left - 1 ELSE coupon_cycles_left END,"
                          " status = CASE WHEN ?4 THEN 'active' ELSE status END,"
                          " suspended_at = CASE WHEN ?4 THEN NULL ELSE suspended_at END"
                          " WHERE id = ?1");
    if (st) {
        sqlite3_bind_int64(st, 1, svc.id);
        sqlite3_bind_text(st, 2, due, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, discounted);
        sqlite3_bind_int(st, 4, unsuspend);
    }
    if (lifecycle_update(st) != 1)
        goto done;
    if (unsuspend && audit_record(conn, 0, "service.unsuspend", "service", svc.id,
                                  "The overdue renewal invoice was paid.", NULL, now) != 0)
        goto done;
    err = API_OK;
done:
    service_row_clear(&svc);
    return err;
}

/* Runs `sql` (?1 the service, ?2 the time where it uses it) when the service's status is one of
 * `from` (NULL-ended): API_ERR_INVALID_STATUS otherwise. */
static enum api_error lifecycle_move(sqlite3 *conn, int64_t service_id, const char *const *from,
                                     const char *sql, int64_t now)
{
    struct service svc;
    enum api_error err = service_load(conn, service_id, 0, &svc);
    sqlite3_stmt *st;
    bool allowed = false;

    if (err != API_OK)
        return err;
    for (size_t i = 0; from[i]; i++)
        allowed = allowed || service_is(&svc, from[i]);
    service_row_clear(&svc);
    if (!allowed)
        return API_ERR_INVALID_STATUS;
    if ((st = db_prepare(conn, sql))) {
        sqlite3_bind_int64(st, 1, service_id);
        if (sqlite3_bind_parameter_count(st) >= 2)
            sqlite3_bind_int64(st, 2, now);
    }
    return lifecycle_update(st) == 1 ? API_OK : API_ERR_INTERNAL;
}

enum api_error lifecycle_suspend(sqlite3 *conn, int64_t service_id, int64_t now)
{
    static const char *const from[] = {"active", NULL};

    return lifecycle_move(conn, service_id, from,
                          "UPDATE services SET status = 'suspended', suspended_at = ?2"
                          " WHERE id = ?1",
                          now);
}

enum api_error lifecycle_unsuspend(sqlite3 *conn, int64_t service_id, int64_t now)
{
    static const char *const from[] = {"suspended", NULL};

    return lifecycle_move(conn, service_id, from,
                          "UPDATE services SET status = 'active', suspended_at = NULL"
                          " WHERE id = ?1",
                          now);
}

enum api_error lifecycle_terminate(sqlite3 *conn, int64_t service_id, int64_t now)
{
    static const char *const from[] = {"active", "suspended", NULL};
    enum api_error err =
        lifecycle_move(conn, service_id, from,
                       "UPDATE services SET status = 'terminated', terminated_at = ?2,"
                       " next_due_date = NULL, server_name = NULL, server_address = NULL,"
                       " server_node = NULL WHERE id = ?1",
                       now);

    /* Nothing stays open for a service that no longer exists. */
    if (err == API_OK && invoice_void_for_service(conn, service_id, now) < 0)
        err = API_ERR_INTERNAL;
    return err;
}
