/* plan_change_apply.c: a plan change's life: recorded with its stock held and its invoice,
 * applied when paid (or at once, or at the next renewal), withdrawn, or reversed. */
#include "billing/plan_change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/ledger.h"
#include "billing/renewal.h"

#define NUL INT64_MIN /* an SQL NULL among plan_exec's values */

/* Binds integers (NUL: SQL NULL) or, where text[i] is set, texts; runs. The new row's id for an
 * INSERT, else the rows changed; -1 on error. */
static int64_t plan_exec(sqlite3 *conn, const char *sql, const int64_t *v, const char *const *text,
                         int n)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t rc = -1;

    if (!st)
        return -1;
    for (int i = 0; i < n; i++) {
        if (text && text[i])
            sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT);
        else if (v[i] != NUL)
            sqlite3_bind_int64(st, i + 1, v[i]);
    }
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = strncmp(sql, "INSERT", 6) == 0 ? sqlite3_last_insert_rowid(conn)
                                            : sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

/* One change row as applying, cancelling and reversing need it. */
struct plan_row {
    int64_t id, service_id, user_id, invoice_id;
    char status[16], timing[16];
    int64_t from_product, to_product, from_months, to_months, from_amount, to_amount;
    int64_t from_coupon, from_coupon_left, from_anchor, to_anchor;
    char from_cycle[16], to_cycle[16], from_due[DATE_CHARS], to_due[DATE_CHARS];
    char *from_options, *to_options;
    bool keeps_coupon, stock_held;
    int64_t paid; /* on its invoice */
};

static void plan_row_clear(struct plan_row *r)
{
    free(r->from_options);
    free(r->to_options);
    r->from_options = r->to_options = NULL;
}

static enum api_error plan_row_load(sqlite3 *conn, int64_t id, struct plan_row *r)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT id, service_id, user_id, COALESCE(invoice_id, 0), status, timing,"
              " from_product_id, to_product_id, from_months, to_months, from_amount, to_amount,"
              " COALESCE(from_coupon_id, 0), COALESCE(from_coupon_cycles_left, -1),"
              " from_anchor_day, to_anchor_day, from_cycle, to_cycle, from_next_due,"
              " to_next_due, from_options, to_options, keeps_coupon, stock_held,"
              " (SELECT COALESCE(SUM(amount_paid), 0) FROM invoices WHERE id = invoice_id)"
              " FROM plan_changes WHERE id = ?");
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    memset(r, 0, sizeof *r);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int64_t *n[] = {&r->id, &r->service_id, &r->user_id, &r->invoice_id};
        int64_t *m[] = {&r->from_product, &r->to_product, &r->from_months, &r->to_months,
                        &r->from_amount,  &r->to_amount,  &r->from_coupon, &r->from_coupon_left,
                        &r->from_anchor,  &r->to_anchor};

        for (int i = 0; i < 4; i++)
            *n[i] = sqlite3_column_int64(st, i);
        snprintf(r->status, sizeof r->status, "%s", db_text(st, 4));
        snprintf(r->timing, sizeof r->timing, "%s", db_text(st, 5));
        for (int i = 0; i < 10; i++)
            *m[i] = sqlite3_column_int64(st, 6 + i);
        snprintf(r->from_cycle, sizeof r->from_cycle, "%s", db_text(st, 16));
        snprintf(r->to_cycle, sizeof r->to_cycle, "%s", db_text(st, 17));
        snprintf(r->from_due, sizeof r->from_due, "%s", db_text(st, 18));
        snprintf(r->to_due, sizeof r->to_due, "%s", db_text(st, 19));
        r->from_options = strdup(db_text(st, 20));
        r->to_options = strdup(db_text(st, 21));
        r->keeps_coupon = sqlite3_column_int(st, 22);
        r->stock_held = sqlite3_column_int(st, 23);
        r->paid = sqlite3_column_int64(st, 24);
        err = r->from_options && r->to_options ? API_OK : API_ERR_INTERNAL;
    } else if (rc == SQLITE_DONE) {
        err = API_ERR_NOT_FOUND;
    }
    db_finalize(st);
    if (err != API_OK)
        plan_row_clear(r);
    return err;
}

/* One unit of a product's limited stock taken (-1) or given back (+1); unlimited stock is not
 * counted. Taking the last unit twice is impossible: the condition is in the statement. */
static enum api_error plan_stock(sqlite3 *conn, int64_t product_id, int delta)
{
    int64_t n = plan_exec(conn,
                          "UPDATE products SET stock_available = stock_available + ?2"
                          " WHERE id = ?1 AND stock_limited = 1 AND stock_available + ?2 >= 0",
                          (int64_t[]){product_id, delta}, NULL, 2);

    sqlite3_stmt *st;
    bool limited = false;

    if (n < 0)
        return API_ERR_INTERNAL;
    if (n == 1 || delta > 0)
        return API_OK;
    if (!(st = db_prepare(conn, "SELECT stock_limited FROM products WHERE id = ?")))
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, product_id);
    limited = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    db_finalize(st);
    return limited ? API_ERR_OUT_OF_STOCK : API_OK;
}

int64_t plan_change_open(sqlite3 *conn, int64_t service_id, int64_t now)
{
    sqlite3_stmt *st;
    int64_t id = 0;

    /* An upgrade whose invoice someone else voided (the service was cancelled) is over, and the
     * stock it held returns. */
    if (plan_exec(conn,
                  "UPDATE products SET stock_available = stock_available + 1 WHERE"
                  " stock_limited = 1 AND id IN (SELECT to_product_id FROM plan_changes WHERE"
                  " service_id = ?1 AND status = 'pending_payment' AND stock_held = 1 AND"
                  " invoice_id IN (SELECT id FROM invoices WHERE status = 'cancelled')) AND"
                  " ?2 = ?2",
                  (int64_t[]){service_id, now}, NULL, 2) < 0 ||
        plan_exec(conn,
                  "UPDATE plan_changes SET status = 'cancelled', cancelled_at = ?2,"
                  " stock_held = 0 WHERE service_id = ?1 AND status = 'pending_payment' AND"
                  " invoice_id IN (SELECT id FROM invoices WHERE status = 'cancelled')",
                  (int64_t[]){service_id, now}, NULL, 2) < 0)
        return -1;
    if (!(st = db_prepare(conn, "SELECT id FROM plan_changes WHERE service_id = ?1"
                                " AND status IN ('pending_payment', 'scheduled')")))
        return -1;
    sqlite3_bind_int64(st, 1, service_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return id;
}

/* The change's invoice: one line for the rest of the period on the new plan, one crediting the
 * unused part of the old (kind "credit", negative), its total the quote's. */
static enum api_error plan_invoice(sqlite3 *conn, const struct settings *set,
                                   const struct plan_quote *q, int64_t user_id, int64_t now,
                                   int64_t *invoice_id)
{
    char start[DATE_CHARS], end[DATE_CHARS], desc[320];
    struct invoice_new in = {.user_id = user_id, .kind = "change", .service_id = q->service_id};
    const struct basket_line *l = &q->basket.lines[0];
    enum api_error err;

    date_format(date_from_unix(q->counted_from), start);
    date_format(date_add_days(q->next_due, -1), end);
    in.period_start = start;
    in.period_end = end;
    if ((err = invoice_create(conn, set, &in, &q->basket, now, invoice_id)) != API_OK)
        return err;
    snprintf(desc, sizeof desc, "Plan change to %s (%s), %s, %s to %s", l->product_name,
             l->category_name, q->to_cycle, start, end);
    if (plan_exec(conn,
                  "UPDATE invoice_lines SET unit_amount = ?2, amount = ?2, description = ?3"
                  " WHERE invoice_id = ?1 AND kind = 'item'",
                  (int64_t[]){*invoice_id, q->charge, 0}, (const char *[]){NULL, NULL, desc},
                  3) != 1)
        return API_ERR_INTERNAL;
    if (q->credit == 0)
        return API_OK;
    date_format(date_add_days(q->period_end, -1), end);
    snprintf(desc, sizeof desc, "Unused time on the current plan, %s to %s", start, end);
    return plan_exec(conn,
                     "INSERT INTO invoice_lines(invoice_id, kind, description, service_id,"
                     " quantity, unit_amount, amount, period_start, period_end)"
                     " VALUES (?1, 'credit', ?2, ?3, 1, ?4, ?4, ?5, ?6)",
                     (int64_t[]){*invoice_id, 0, q->service_id, -q->credit, 0, 0},
                     (const char *[]){NULL, desc, NULL, NULL, start, end}, 6) > 0
               ? API_OK
               : API_ERR_INTERNAL;
}

/* The renewal invoice already issued for the service's next period, if any and unpaid, bills
 * the plan the service has now (one paid in part stays as it was issued). */
static enum api_error plan_renewal_follows(sqlite3 *conn, int64_t service_id, int64_t now)
{
    struct settings set;
    struct service svc;
    enum api_error err;

    if (settings_load(conn, &set) != 0 || service_load(conn, service_id, 0, &svc) != API_OK)
        return API_ERR_INTERNAL;
    err = renewal_reprice(conn, &set, &svc, now);
    service_row_clear(&svc);
    return err == API_ERR_INVOICE_NOT_PAYABLE ? API_OK : err;
}

/* The service takes the new plan. A change applied at its next renewal keeps the due date (the
 * renewal already moved it on the new cycle); any other sets the one it was quoted. */
static enum api_error plan_apply_row(sqlite3 *conn, const struct plan_row *r, int64_t now)
{
    bool scheduled = strcmp(r->timing, "next_renewal") == 0;
    enum api_error err;
    int64_t n;

    n = plan_exec(conn,
                  "UPDATE services SET product_id = ?2, cycle = ?3, months = ?4, options = ?5,"
                  " recurring_amount = ?6, name = (SELECT name FROM products WHERE id = ?2),"
                  " coupon_id = CASE WHEN ?7 THEN coupon_id END,"
                  " coupon_cycles_left = CASE WHEN ?7 THEN coupon_cycles_left ELSE 0 END,"
                  " next_due_date = CASE WHEN ?8 THEN next_due_date ELSE ?9 END,"
                  " anchor_day = CASE WHEN ?8 THEN anchor_day ELSE ?10 END WHERE id = ?1",
                  (int64_t[]){r->service_id, r->to_product, 0, r->to_months, 0, r->to_amount,
                              r->keeps_coupon, scheduled, 0, r->to_anchor},
                  (const char *[]){NULL, NULL, r->to_cycle, NULL, r->to_options, NULL, NULL, NULL,
                                   r->to_due, NULL},
                  10);
    if (n != 1 ||
        plan_exec(conn,
                  "UPDATE plan_changes SET status = 'applied', applied_at = ?2, stock_held = 0"
                  " WHERE id = ?1",
                  (int64_t[]){r->id, now}, NULL, 2) != 1)
        return API_ERR_INTERNAL;
    /* The unit of the old product is free again; the new one's was held when asked. */
    if (r->from_product != r->to_product && (err = plan_stock(conn, r->from_product, 1)) != API_OK)
        return err;
    if (scheduled)
        return API_OK;
    /* A renewal invoice already issued for the old period is withdrawn when the due date moved
     * with a new cycle (the scheduler issues the new one). */
    if (strcmp(r->from_due, r->to_due) != 0 &&
        plan_exec(conn,
                  "UPDATE invoices SET status = 'cancelled' WHERE kind = 'renewal' AND"
                  " service_id = ?1 AND period_start = ?3 AND amount_paid = 0 AND ?2 = ?2 AND"
                  " status IN ('pending', 'overdue')",
                  (int64_t[]){r->service_id, 0, 0}, (const char *[]){NULL, NULL, r->from_due},
                  3) < 0)
        return API_ERR_INTERNAL;
    return plan_renewal_follows(conn, r->service_id, now);
}

enum api_error plan_change_create(sqlite3 *conn, const struct settings *set,
                                  const struct plan_quote *q, int64_t user_id, int64_t now,
                                  int64_t *change_id)
{
    char period_start[DATE_CHARS], from_due[DATE_CHARS], to_due[DATE_CHARS], eff[DATE_CHARS];
    bool scheduled = strcmp(q->timing, "next_renewal") == 0;
    const char *status = q->upgrade ? "pending_payment" : scheduled ? "scheduled" : "applied";
    int64_t invoice_id = 0, open = plan_change_open(conn, q->service_id, now);
    struct plan_row r;
    struct service svc;
    enum api_error err;

    if (open < 0)
        return API_ERR_INTERNAL;
    if (open > 0)
        return API_ERR_CHANGE_PENDING;
    if (q->stock_needed && (err = plan_stock(conn, q->to_product_id, -1)) != API_OK)
        return err;
    date_format(q->period_start, period_start);
    date_format(q->period_end, from_due);
    date_format(q->next_due, to_due);
    date_format(q->effective_date, eff);
    *change_id = plan_exec(
        conn,
        "INSERT INTO plan_changes(service_id, user_id, status, direction, timing,"
        " from_product_id, from_cycle, from_months, from_options, from_amount, from_coupon_id,"
        " from_coupon_cycles_left, from_next_due, from_anchor_day, to_product_id, to_cycle,"
        " to_months, to_options, to_amount, keeps_coupon, to_next_due, to_anchor_day,"
        " period_start, seconds_left, period_seconds, credit, charge, subtotal, tax, total,"
        " balance_credit, stock_held, effective_date, created_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5, product_id, cycle, months, options, recurring_amount,"
        " coupon_id, coupon_cycles_left, next_due_date, anchor_day, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25"
        " FROM services WHERE id = ?1",
        (int64_t[]){q->service_id,
                    user_id,
                    0,
                    0,
                    0,
                    q->to_product_id,
                    0,
                    q->to_months,
                    0,
                    q->to_amount,
                    q->keeps_coupon,
                    0,
                    q->to_anchor_day,
                    0,
                    q->seconds_left,
                    q->period_seconds,
                    q->credit,
                    q->charge,
                    q->charge - q->credit,
                    q->basket.totals.tax,
                    q->upgrade ? q->basket.totals.total : 0,
                    q->balance_credit,
                    q->stock_needed,
                    NUL,
                    now},
        (const char *[]){
            NULL,          NULL,         status,      q->upgrade ? "upgrade" : "downgrade",
            q->timing,     NULL,         q->to_cycle, NULL,
            q->to_options, NULL,         NULL,        to_due,
            NULL,          period_start, NULL,        NULL,
            NULL,          NULL,         NULL,        NULL,
            NULL,          NULL,         NULL,        scheduled ? eff : NULL,
            NULL},
        25);
    if (*change_id <= 0)
        return sqlite3_extended_errcode(conn) == SQLITE_CONSTRAINT_UNIQUE ? API_ERR_CHANGE_PENDING
                                                                          : API_ERR_INTERNAL;
    if (q->upgrade) {
        if ((err = plan_invoice(conn, set, q, user_id, now, &invoice_id)) != API_OK ||
            plan_exec(conn, "UPDATE plan_changes SET invoice_id = ?2 WHERE id = ?1",
                      (int64_t[]){*change_id, invoice_id}, NULL, 2) != 1)
            return err != API_OK ? err : API_ERR_INTERNAL;
        /* Nothing to pay (inclusive tax rounding to nothing): born paid, applied at once. */
        return q->basket.totals.total == 0 ? plan_change_invoice_paid(conn, invoice_id, now)
                                           : API_OK;
    }
    if (scheduled) {
        /* The renewal already issued for the period it starts is billed on the new plan. */
        if (service_load(conn, q->service_id, 0, &svc) != API_OK)
            return API_ERR_INTERNAL;
        err = renewal_reprice(conn, set, &svc, now);
        service_row_clear(&svc);
        return err == API_ERR_INVOICE_NOT_PAYABLE ? API_ERR_INVALID_STATUS : err;
    }
    if ((err = plan_row_load(conn, *change_id, &r)) != API_OK)
        return err;
    err = plan_apply_row(conn, &r, now);
    plan_row_clear(&r);
    if (err == API_OK && q->balance_credit > 0)
        err = ledger_post(conn, user_id, "adjustment", q->balance_credit,
                          "Plan change: unused time credited", 0, 0, now, NULL);
    return err;
}

/* The service still has the plan and period the change was priced on. API_OK, or
 * API_ERR_INVALID_STATUS when not. */
static enum api_error plan_still_current(sqlite3 *conn, const struct plan_row *r)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT count(*) FROM services WHERE id = ?1 AND status"
                                        " = 'active' AND product_id = ?2 AND cycle = ?3 AND"
                                        " next_due_date = ?4 AND recurring_amount = ?5");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, r->service_id);
    sqlite3_bind_int64(st, 2, r->from_product);
    sqlite3_bind_text(st, 3, r->from_cycle, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->from_due, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, r->from_amount);
    if (sqlite3_step(st) == SQLITE_ROW)
        err = sqlite3_column_int(st, 0) == 1 ? API_OK : API_ERR_INVALID_STATUS;
    db_finalize(st);
    return err;
}

/* A paid change that can no longer apply: cancelled, its stock returned; the invoice stays
 * paid (the caller credits the money). */
static enum api_error plan_change_cancel_paid(sqlite3 *conn, const struct plan_row *r, int64_t now)
{
    if ((r->stock_held && plan_stock(conn, r->to_product, 1) != API_OK) ||
        plan_exec(conn,
                  "UPDATE plan_changes SET status = 'cancelled', cancelled_at = ?2,"
                  " stock_held = 0 WHERE id = ?1",
                  (int64_t[]){r->id, now}, NULL, 2) != 1)
        return API_ERR_INTERNAL;
    return API_OK;
}

enum api_error plan_change_invoice_paid(sqlite3 *conn, int64_t invoice_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM plan_changes WHERE invoice_id = ?"
                                        " AND status = 'pending_payment'");
    struct plan_row r;
    int64_t id = 0;
    enum api_error err;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, invoice_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    db_finalize(st);
    /* Paid after it was withdrawn: the invoice was cancelled, so settling sent the money to
     * credits; nothing changes. */
    if (!id)
        return API_OK;
    if ((err = plan_row_load(conn, id, &r)) != API_OK)
        return err;
    if ((err = plan_still_current(conn, &r)) == API_OK) {
        err = plan_apply_row(conn, &r, now);
    } else if (err == API_ERR_INVALID_STATUS) {
        /* The period it was priced for moved on (its renewal was paid first) or the service
         * ended: the change is withdrawn and what was paid for it goes to the balance. */
        char what[80];

        snprintf(what, sizeof what, "Plan change %lld withdrawn: the period moved on",
                 (long long)r.id);
        err = plan_change_cancel_paid(conn, &r, now);
        if (err == API_OK)
            err = ledger_post(conn, r.user_id, "refund", r.paid, what, invoice_id, 0, now, NULL);
    }
    plan_row_clear(&r);
    return err;
}

enum api_error plan_change_cancel(sqlite3 *conn, int64_t change_id, int64_t now)
{
    struct plan_row r;
    enum api_error err = plan_row_load(conn, change_id, &r);

    if (err != API_OK)
        return err;
    if (strcmp(r.status, "pending_payment") != 0 && strcmp(r.status, "scheduled") != 0) {
        err = API_ERR_INVALID_STATUS;
        goto done;
    }
    err = API_ERR_INTERNAL;
    if ((r.invoice_id && invoice_void(conn, r.invoice_id, now) != 0) ||
        (r.stock_held && plan_stock(conn, r.to_product, 1) != API_OK) ||
        plan_exec(conn,
                  "UPDATE plan_changes SET status = 'cancelled', cancelled_at = ?2,"
                  " stock_held = 0 WHERE id = ?1",
                  (int64_t[]){change_id, now}, NULL, 2) != 1)
        goto done;
    err = API_OK;
    if (strcmp(r.timing, "next_renewal") == 0) {
        /* The renewal it had repriced goes back to the plan the service keeps. */
        struct settings set;
        struct service svc;

        if (settings_load(conn, &set) != 0 || service_load(conn, r.service_id, 0, &svc) != API_OK)
            err = API_ERR_INTERNAL;
        else {
            err = renewal_reprice(conn, &set, &svc, now);
            service_row_clear(&svc);
            if (err == API_ERR_INVOICE_NOT_PAYABLE)
                err = API_OK;
        }
    }
done:
    plan_row_clear(&r);
    return err;
}

enum api_error plan_change_reverse(sqlite3 *conn, int64_t change_id, int64_t actor_id, int64_t now)
{
    struct plan_row r;
    enum api_error err = plan_row_load(conn, change_id, &r);
    int64_t n;

    (void)actor_id;
    if (err != API_OK)
        return err;
    if (strcmp(r.status, "applied") != 0) {
        plan_row_clear(&r);
        return plan_change_cancel(conn, change_id, now);
    }
    /* Only the latest change, with none waiting after it: an older one would put back a plan
     * that a later change replaced. */
    n = plan_exec(conn,
                  "UPDATE plan_changes SET id = id WHERE id = ?1 AND id = (SELECT max(id) FROM"
                  " plan_changes WHERE service_id = ?2 AND status IN ('applied',"
                  " 'pending_payment', 'scheduled'))",
                  (int64_t[]){change_id, r.service_id}, NULL, 2);
    if (n != 1) {
        err = n < 0 ? API_ERR_INTERNAL : API_ERR_INVALID_STATUS;
        goto done;
    }
    /* The plan, its price, coupon and calendar as they were before the change. */
    if (r.from_product != r.to_product && (err = plan_stock(conn, r.from_product, -1)) != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    n = plan_exec(conn,
                  "UPDATE services SET product_id = ?2, cycle = ?3, months = ?4, options = ?5,"
                  " recurring_amount = ?6, name = (SELECT name FROM products WHERE id = ?2),"
                  " coupon_id = NULLIF(?7, 0), coupon_cycles_left = NULLIF(?8, -1),"
                  " next_due_date = CASE WHEN ?11 THEN next_due_date ELSE ?9 END,"
                  " anchor_day = ?10 WHERE id = ?1",
                  (int64_t[]){r.service_id, r.from_product, 0, r.from_months, 0, r.from_amount,
                              r.from_coupon, r.from_coupon_left, 0, r.from_anchor,
                              strcmp(r.timing, "next_renewal") == 0},
                  (const char *[]){NULL, NULL, r.from_cycle, NULL, r.from_options, NULL, NULL, NULL,
                                   r.from_due, NULL, NULL},
                  11);
    if (n != 1 || (r.from_product != r.to_product && plan_stock(conn, r.to_product, 1) != API_OK) ||
        plan_exec(conn,
                  "UPDATE plan_changes SET status = 'reversed', reversed_at = ?2 WHERE id = ?1",
                  (int64_t[]){change_id, now}, NULL, 2) != 1)
        goto done;
    err = plan_renewal_follows(conn, r.service_id, now);
done:
    plan_row_clear(&r);
    return err;
}

int plan_change_apply_due(sqlite3 *conn, int64_t now)
{
    char today[DATE_CHARS];
    sqlite3_stmt *st;
    int64_t ids[64];
    size_t n = 0;
    int rc = 0;

    date_format(date_from_unix(now), today);
    /* Upgrades still unpaid when the period they were priced for ends, and waiting changes of
     * services that ended, are withdrawn; then scheduled changes whose day has come apply. A pass
     * takes at most 64; the next the rest. */
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        st = db_prepare(conn, pass == 0
                                  ? "SELECT p.id FROM plan_changes p JOIN services s ON s.id ="
                                    " p.service_id WHERE (p.status = 'pending_payment' AND"
                                    " p.from_next_due <= ?1) OR (p.status IN ('pending_payment',"
                                    " 'scheduled') AND s.status IN ('cancelled', 'terminated'))"
                                    " LIMIT 64"
                                  : "SELECT id FROM plan_changes WHERE status ="
                                    " 'scheduled' AND effective_date <= ?1 LIMIT 64");
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
        for (n = 0; n < 64 && sqlite3_step(st) == SQLITE_ROW; n++)
            ids[n] = sqlite3_column_int64(st, 0);
        db_finalize(st);
        for (size_t i = 0; i < n && rc == 0; i++) {
            struct plan_row r;

            if (pass == 0) {
                rc = plan_change_cancel(conn, ids[i], now) == API_OK ? 0 : -1;
                continue;
            }
            if (plan_row_load(conn, ids[i], &r) != API_OK)
                return -1;
            rc = plan_apply_row(conn, &r, now) == API_OK ? 0 : -1;
            plan_row_clear(&r);
        }
    }
    return rc;
}

int plan_change_renewal_plan(sqlite3 *conn, struct service *svc, struct date start)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT to_product_id, to_cycle, to_months, to_options,"
                                        " to_amount, keeps_coupon FROM plan_changes"
                                        " WHERE service_id = ?1 AND status = 'scheduled'"
                                        " AND effective_date = ?2");
    char date[DATE_CHARS];
    int rc = -1, step;

    if (!st)
        return -1;
    date_format(start, date);
    sqlite3_bind_int64(st, 1, svc->id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = 0;
    } else if (step == SQLITE_ROW) {
        char *options = strdup(db_text(st, 3));

        if (options) {
            free(svc->options);
            svc->options = options;
            svc->product_id = sqlite3_column_int64(st, 0);
            snprintf(svc->cycle, sizeof svc->cycle, "%s", db_text(st, 1));
            svc->months = sqlite3_column_int64(st, 2);
            svc->recurring_amount = sqlite3_column_int64(st, 4);
            if (!sqlite3_column_int(st, 5)) {
                svc->coupon_id = 0;
                svc->coupon_cycles_left = 0;
            }
            rc = 1;
        }
    }
    db_finalize(st);
    return rc;
}
