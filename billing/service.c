/* service.c: one service row as the lifecycle code reads it. */
#include "billing/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/db.h"

enum api_error service_load(sqlite3 *conn, int64_t id, int64_t user_id, struct service *out)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT s.id, s.user_id, COALESCE(s.order_id, 0), s.product_id, s.status, s.cycle,"
              " s.months, s.options, s.recurring_amount, COALESCE(s.coupon_id, 0),"
              " COALESCE(s.coupon_cycles_left, -1), s.anchor_day, s.next_due_date,"
              " EXISTS (SELECT 1 FROM service_cancellations c WHERE c.service_id = s.id) "
              "FROM services s WHERE s.id = ?1 AND (?2 = 0 OR s.user_id = ?2)");
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    memset(out, 0, sizeof *out);
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        err = API_ERR_NOT_FOUND;
        goto done;
    }
    if (rc != SQLITE_ROW)
        goto done;
    out->id = sqlite3_column_int64(st, 0);
    out->user_id = sqlite3_column_int64(st, 1);
    out->order_id = sqlite3_column_int64(st, 2);
    out->product_id = sqlite3_column_int64(st, 3);
    snprintf(out->status, sizeof out->status, "%s", db_text(st, 4));
    snprintf(out->cycle, sizeof out->cycle, "%s", db_text(st, 5));
    out->months = sqlite3_column_int64(st, 6);
    out->recurring_amount = sqlite3_column_int64(st, 8);
    out->coupon_id = sqlite3_column_int64(st, 9);
    out->coupon_cycles_left = sqlite3_column_int64(st, 10);
    out->anchor_day = sqlite3_column_int(st, 11);
    out->has_due = date_parse(db_text(st, 12), &out->next_due);
    if (!(out->options = strdup(db_text(st, 7))))
        goto done;
    /* A request stays on record after it took effect; only a live service's one is pending. */
    out->cancellation_pending = sqlite3_column_int(st, 13) && service_is_live(out);
    err = API_OK;
done:
    db_finalize(st);
    if (err != API_OK)
        service_row_clear(out);
    return err;
}

void service_row_clear(struct service *s)
{
    free(s->options);
    s->options = NULL;
}

bool service_is(const struct service *s, const char *status)
{
    return strcmp(s->status, status) == 0;
}

bool service_is_live(const struct service *s)
{
    return service_is(s, "pending") || service_is(s, "active") || service_is(s, "suspended");
}

bool service_is_recurring(const struct service *s)
{
    return strcmp(s->cycle, "one_time") != 0 && s->months > 0;
}

int service_suspension_reason(sqlite3 *conn, int64_t id, char *buf, size_t size, bool *by_system)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT actor_id, reason FROM audit_log"
                                        " WHERE target_type = 'service' AND target_id = ?"
                                        " AND action = 'service.suspend' ORDER BY id DESC LIMIT 1");
    int rc = -1;

    buf[0] = '\0';
    *by_system = false;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        *by_system = sqlite3_column_int64(st, 0) == 0;
        snprintf(buf, size, "%s", db_text(st, 1));
        rc = 0;
        break;
    case SQLITE_DONE:
        rc = 0;
        break;
    default:
        break;
    }
    db_finalize(st);
    return rc;
}

bool service_parse_id(const char *s, int64_t *id)
{
    size_t n = s ? strspn(s, "0123456789") : 0;

    if (n == 0 || s[n] != '\0' || n > 18 || s[0] == '0')
        return false;
    *id = strtoll(s, NULL, 10);
    return true;
}
