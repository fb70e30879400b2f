/* handlers_admin_actions.c: operators approve orders and suspend or unsuspend services, each with a
 * reason that goes to the audit log in the same transaction as the change. */
#include "billing/handlers_admin.h"

#include <stdio.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/lifecycle.h"
#include "billing/operator.h"
#include "billing/order.h"

enum action_kind { ACTION_APPROVE, ACTION_SUSPEND, ACTION_UNSUSPEND };

static const struct {
    const char *audit;   /* audit action */
    const char *target;  /* audit target type, and the table */
    const char *noun;    /* for messages */
    const char *current; /* SQL for the record's status */
} actions[] = {
    {"order.approve", "order", "order", "SELECT status FROM orders WHERE id = ?"},
    {"service.suspend", "service", "service", "SELECT status FROM services WHERE id = ?"},
    {"service.unsuspend", "service", "service", "SELECT status FROM services WHERE id = ?"},
};

/* The record's status, for the details of a 409 ("" when unknown). */
static void action_status(sqlite3 *conn, enum action_kind kind, int64_t id, char *out, size_t size)
{
    sqlite3_stmt *st = db_prepare(conn, actions[kind].current);

    out[0] = '\0';
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s", db_text(st, 0));
    db_finalize(st);
}

static enum api_error action_apply(sqlite3 *conn, enum action_kind kind, int64_t id, int64_t now)
{
    switch (kind) {
    case ACTION_APPROVE:
        return order_approve(conn, id, now);
    case ACTION_SUSPEND:
        return lifecycle_suspend(conn, id, now);
    case ACTION_UNSUSPEND:
        return lifecycle_unsuspend(conn, id, now);
    }
    return API_ERR_INTERNAL;
}

static void action_run(struct request *req, struct reply *rep, enum action_kind kind)
{
    const char *reason;
    struct settings set;
    char status[32] = "";
    int64_t id, now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    cJSON *out = NULL;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, actions[kind].noun, &id))
        return;
    if (!(reason = operator_reason(req, rep))) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0)
        goto done;
    action_status(conn, kind, id, status, sizeof status);
    if (!status[0]) {
        err = API_ERR_NOT_FOUND;
        goto done;
    }
    if ((err = action_apply(conn, kind, id, now)) != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    /* The service's suspension_reason is read from this entry. */
    if (operator_audit(conn, req, actions[kind].audit, actions[kind].target, id, reason, NULL,
                       now) != 0)
        goto done;
    out = kind == ACTION_APPROVE ? order_json(conn, &set, id, 0)
                                 : lifecycle_service_detail_json(conn, &set, id, 0);
    if (out && db_commit(conn) == 0)
        err = API_OK;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_OK) {
        reply_data(rep, 200, out);
        return;
    }
    cJSON_Delete(out);
    if (err == API_ERR_NOT_FOUND) {
        reply_error(rep, err, "No %s with id %lld.", actions[kind].noun, (long long)id);
    } else if (err == API_ERR_INVALID_STATUS) {
        reply_field(rep, "status", status);
        reply_error(rep, err, "The %s is %s.", actions[kind].noun, status);
    } else {
        reply_error(rep, err, NULL);
    }
}

void handle_admin_order_approve(struct request *req, struct reply *rep)
{
    action_run(req, rep, ACTION_APPROVE);
}

void handle_admin_service_suspend(struct request *req, struct reply *rep)
{
    action_run(req, rep, ACTION_SUSPEND);
}

void handle_admin_service_unsuspend(struct request *req, struct reply *rep)
{
    action_run(req, rep, ACTION_UNSUSPEND);
}
