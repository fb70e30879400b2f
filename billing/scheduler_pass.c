/* scheduler_pass.c: one pass of the lifecycle scheduler over the calendar at a given time. */
#include "billing/scheduler_pass.h"

#include <stdbool.h>
#include <stdlib.h>

#include "billing/audit.h"
#include "billing/auth.h"
#include "billing/cancellation.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/lifecycle.h"
#include "billing/order.h"
#include "billing/plan_change.h"
#include "billing/renewal.h"
#include "billing/service.h"
#include "billing/settings.h"

#define SYSTEM_ACTOR 0 /* audit entries of the scheduler itself */

struct ids {
    int64_t *v;
    size_t n, cap;
};

/* Every id the query (?1: a date) yields. 0 or -1. */
static int pass_ids(sqlite3 *conn, const char *sql, struct date d, struct ids *out)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    char date[DATE_CHARS];
    int rc;

    out->n = 0;
    if (!st)
        return -1;
    date_format(d, date);
    sqlite3_bind_text(st, 1, date, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 64;
            int64_t *grown = realloc(out->v, cap * sizeof *grown);

            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            out->v = grown;
            out->cap = cap;
        }
        out->v[out->n++] = sqlite3_column_int64(st, 0);
    }
    db_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Commits when the step went well, else rolls back; 0 or -1. */
static int pass_finish(sqlite3 *conn, bool ok)
{
    if (ok && db_commit(conn) == 0)
        return 0;
    db_rollback(conn);
    return -1;
}

static int pass_cancellations(sqlite3 *conn, struct date today, int64_t now, struct ids *ids)
{
    int rc = pass_ids(conn,
                      "SELECT c.service_id FROM service_cancellations c"
                      " JOIN services s ON s.id = c.service_id WHERE c.type = 'end_of_period'"
                      " AND c.effective_date <= ?1"
                      " AND s.status IN ('pending', 'active', 'suspended') ORDER BY c.service_id",
                      today, ids);

    for (size_t i = 0; i < ids->n; i++) {
        bool ok = db_begin(conn) == 0 && cancellation_execute(conn, ids->v[i], now) == API_OK &&
                  audit_record(conn, SYSTEM_ACTOR, "service.cancel", "service", ids->v[i],
                               "The end-of-period cancellation took effect.", NULL, now) == 0;
        rc |= pass_finish(conn, ok);
    }
    return rc;
}

static bool pass_mark_overdue(sqlite3 *conn, int64_t invoice_id)
{
    sqlite3_stmt *st = db_prepare(conn, "UPDATE invoices SET status = 'overdue'"
                                        " WHERE id = ? AND status = 'pending'");
    bool ok;

    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, invoice_id);
    ok = sqlite3_step(st) == SQLITE_DONE;
    db_finalize(st);
    return ok;
}

static int pass_overdue(sqlite3 *conn, int64_t now, struct date today, struct ids *ids)
{
    int rc = pass_ids(conn,
                      "SELECT id FROM invoices WHERE status = 'pending' AND due_date < ?1"
                      " ORDER BY id",
                      today, ids);

    for (size_t i = 0; i < ids->n; i++) {
        bool ok = db_begin(conn) == 0 && pass_mark_overdue(conn, ids->v[i]) &&
                  audit_record(conn, SYSTEM_ACTOR, "invoice.overdue", "invoice", ids->v[i],
                               "Unpaid past its due date.", NULL, now) == 0;
        rc |= pass_finish(conn, ok);
    }
    return rc;
}

/* Services whose renewal invoice has been overdue since `since` or before. */
#define OVERDUE_SINCE(statuses)                                                                    \
    "SELECT DISTINCT s.id FROM services s JOIN invoices i ON i.service_id = s.id"                  \
    " AND i.kind = 'renewal' AND i.status = 'overdue' WHERE s.status IN " statuses                 \
    " AND i.due_date <= ?1 ORDER BY s.id"

static int pass_terminations(sqlite3 *conn, const struct settings *set, struct date today,
                             int64_t now, struct ids *ids)
{
    int rc = 0;

    if (set->auto_terminate_days <= 0)
        return 0;
    rc = pass_ids(conn, OVERDUE_SINCE("('active', 'suspended')"),
                  date_add_days(today, -set->auto_terminate_days), ids);
    for (size_t i = 0; i < ids->n; i++) {
        bool ok = db_begin(conn) == 0 && lifecycle_terminate(conn, ids->v[i], now) == API_OK &&
                  audit_record(conn, SYSTEM_ACTOR, "service.terminate", "service", ids->v[i],
                               "overdue", NULL, now) == 0;
        rc |= pass_finish(conn, ok);
    }
    return rc;
}

static int pass_suspensions(sqlite3 *conn, const struct settings *set, struct date today,
                            int64_t now, struct ids *ids)
{
    int rc = 0;

    if (set->auto_suspend_days <= 0)
        return 0;
    rc = pass_ids(conn, OVERDUE_SINCE("('active')"), date_add_days(today, -set->auto_suspend_days),
                  ids);
    for (size_t i = 0; i < ids->n; i++) {
        /* The reason "overdue" is what lets a payment lift this suspension. */
        bool ok = db_begin(conn) == 0 && lifecycle_suspend(conn, ids->v[i], now) == API_OK &&
                  audit_record(conn, SYSTEM_ACTOR, "service.suspend", "service", ids->v[i],
                               "overdue", NULL, now) == 0;
        rc |= pass_finish(conn, ok);
    }
    return rc;
}

static int pass_renewals(sqlite3 *conn, const struct settings *set, struct date today, int64_t now,
                         struct ids *ids)
{
    int rc = pass_ids(conn,
                      "SELECT s.id FROM services s WHERE s.status IN ('active', 'suspended')"
                      " AND s.cycle <> 'one_time' AND s.next_due_date IS NOT NULL"
                      " AND s.next_due_date <= ?1"
                      " AND NOT EXISTS (SELECT 1 FROM service_cancellations c"
                      "  WHERE c.service_id = s.id)"
                      " AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.kind = 'renewal'"
                      "  AND i.service_id = s.id AND i.period_start = s.next_due_date)"
                      " ORDER BY s.id",
                      date_add_days(today, set->renewal_invoice_days), ids);

    for (size_t i = 0; i < ids->n; i++) {
        struct service svc;
        int64_t invoice_id;
        enum api_error err = API_ERR_INTERNAL;

        if (db_begin(conn) == 0 && service_load(conn, ids->v[i], 0, &svc) == API_OK) {
            err = renewal_issue(conn, set, &svc, now, &invoice_id);
            service_row_clear(&svc);
        }
        /* Someone renewed it early in the meantime: the period's invoice exists, as wanted. */
        rc |= pass_finish(conn, err == API_OK || err == API_ERR_RENEWAL_EXISTS);
    }
    return rc;
}

/* Plan changes: scheduled ones whose day has come apply; upgrades left unpaid past the period
 * they were priced for are withdrawn. */
static int pass_plan_changes(sqlite3 *conn, int64_t now)
{
    return pass_finish(conn, db_begin(conn) == 0 && plan_change_apply_due(conn, now) == 0);
}

/* Checkout's part: unfinished payments expire and orders never paid are cancelled. */
static int pass_orders(sqlite3 *conn, int64_t now)
{
    return pass_finish(conn, db_begin(conn) == 0 && order_expire_unpaid(conn, now) >= 0);
}

int scheduler_pass(sqlite3 *conn, int64_t now)
{
    struct settings set;
    struct date today = date_from_unix(now);
    struct ids ids = {0};
    int rc = 0;

    if (settings_load(conn, &set) != 0)
        return -1;
    /* Ended services first, so nothing is billed or suspended that is over. Each step goes on
     * even when one before it failed: a stuck record must not stop the calendar. */
    rc |= pass_orders(conn, now);
    rc |= pass_cancellations(conn, today, now, &ids);
    rc |= pass_overdue(conn, now, today, &ids);
    rc |= pass_terminations(conn, &set, today, now, &ids);
    rc |= pass_suspensions(conn, &set, today, now, &ids);
    rc |= pass_plan_changes(conn, now);
    rc |= pass_renewals(conn, &set, today, now, &ids);
    /* Sign-ins that ended (signed out, or SSH sessions over) and tokens past their life. */
    rc |= auth_purge(conn);
    free(ids.v);
    return rc ? -1 : 0;
}
