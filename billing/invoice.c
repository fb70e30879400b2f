/* invoice.c: writing an invoice from a priced basket, and settling payments against it. */
#include "billing/invoice.h"

#include <stdio.h>
#include <string.h>

#include "billing/clock.h"
#include "billing/db.h"
#include "billing/ledger.h"
#include "billing/lifecycle.h"
#include "billing/order.h"
#include "billing/payment.h"
#include "billing/plan_change.h"

/* Binds the n values (text when `text[i]`, else integers; NULL text is SQL NULL) and runs the
 * statement; the new row's id, or 0. */
static int64_t invoice_insert(sqlite3 *conn, const char *sql, const int64_t *v,
                              const char *const *text, int n)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t id = 0;

    if (!st)
        return 0;
    for (int i = 0; i < n; i++) {
        if (text && text[i])
            sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT);
        else if (text && v[i] == INT64_MIN)
            sqlite3_bind_null(st, i + 1);
        else
            sqlite3_bind_int64(st, i + 1, v[i]);
    }
    if (sqlite3_step(st) == SQLITE_DONE)
        id = sqlite3_last_insert_rowid(conn);
    db_finalize(st);
    return id;
}

/* One integer from a query taking an id and a text; 0 when there is no row. */
static int64_t invoice_lookup(sqlite3 *conn, const char *sql, int64_t id, const char *text)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t v = 0;

    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return v;
}

#define NUL INT64_MIN /* an SQL NULL among invoice_insert's values */

static const char *invoice_cycle_words(const char *cycle)
{
    return strcmp(cycle, "semi_annual") == 0 ? "semi-annual"
           : strcmp(cycle, "one_time") == 0  ? "one-time"
                                             : cycle;
}

/* The item and setup-fee lines of one basket line. */
static int invoice_line(sqlite3 *conn, int64_t invoice_id, const struct invoice_new *in,
                        const struct basket_line *l, struct date today)
{
    static const char sql[] =
        "INSERT INTO invoice_lines(invoice_id, kind, description, product_id, service_id, cycle,"
        " quantity, unit_amount, amount, period_start, period_end) "
        "VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?)";
    char desc[320], start[DATE_CHARS], end[DATE_CHARS];
    const char *period[2] = {NULL, NULL};
    int64_t item = l->unit_amount * l->in.quantity; /* <= l->amount: no overflow */

    if (in->period_start && in->period_end) {
        period[0] = in->period_start;
        period[1] = in->period_end;
    } else if (strcmp(l->in.cycle, "one_time") != 0) {
        date_format(today, start);
        date_format(date_add_days(date_add_months(today, (int)l->months, today.d), -1), end);
        period[0] = start;
        period[1] = end;
    }
    snprintf(desc, sizeof desc, "%s (%s), %s", l->product_name, l->category_name,
             invoice_cycle_words(l->in.cycle));
    if (!invoice_insert(conn, sql,
                        (int64_t[]){invoice_id, 0, 0, l->in.product_id, in->service_id, 0,
                                    l->in.quantity, l->unit_amount, item, NUL, NUL},
                        (const char *[]){NULL, "item", desc, NULL, NULL, l->in.cycle, NULL, NULL,
                                         NULL, period[0], period[1]},
                        11))
        return -1;
    if (l->setup_fee <= 0)
        return 0;
    snprintf(desc, sizeof desc, "Setup fee: %s (%s)", l->product_name, l->category_name);
    return invoice_insert(conn, sql,
                          (int64_t[]){invoice_id, 0, 0, l->in.product_id, in->service_id, 0,
                                      l->in.quantity, l->setup_fee, l->setup_fee * l->in.quantity,
                                      NUL, NUL},
                          (const char *[]){NULL, "setup_fee", desc, NULL, NULL, l->in.cycle, NULL,
                                           NULL, NULL, NULL, NULL},
                          11)
               ? 0
               : -1;
}

static int invoice_lines(sqlite3 *conn, const struct settings *set, int64_t invoice_id,
                         const struct invoice_new *in, const struct basket *b, int64_t now)
{
    static const char plain[] = "INSERT INTO invoice_lines(invoice_id, kind, description,"
                                " quantity, unit_amount, amount) VALUES (?, ?, ?, 1, ?, ?)";
    const struct basket_totals *t = &b->totals;
    bool deposit = strcmp(in->kind, "deposit") == 0;
    char desc[128];

    if (deposit)
        return invoice_insert(conn, plain, (int64_t[]){invoice_id, 0, 0, t->total, t->total},
                              (const char *[]){NULL, "deposit", "Account credit", NULL, NULL}, 5)
                   ? 0
                   : -1;
    for (size_t i = 0; i < b->n_lines; i++)
        if (invoice_line(conn, invoice_id, in, &b->lines[i], date_from_unix(now)) != 0)
            return -1;
    if (t->discount > 0) {
        snprintf(desc, sizeof desc, "Coupon %s", b->coupon_code);
        if (!invoice_insert(conn, plain, (int64_t[]){invoice_id, 0, 0, -t->discount, -t->discount},
                            (const char *[]){NULL, "discount", desc, NULL, NULL}, 5))
            return -1;
    }
    if (!set->tax_enabled)
        return 0;
    return invoice_insert(conn,
                          "INSERT INTO invoice_taxes(invoice_id, name, rate_bps, inclusive,"
                          " taxable, amount) VALUES (?, ?, ?, ?, ?, ?)",
                          (int64_t[]){invoice_id, 0, set->tax_rate_bps, set->tax_inclusive,
                                      t->taxable, t->tax},
                          (const char *[]){NULL, set->tax_name, NULL, NULL, NULL, NULL}, 6)
               ? 0
               : -1;
}

enum api_error invoice_create(sqlite3 *conn, const struct settings *set,
                              const struct invoice_new *in, const struct basket *b, int64_t now,
                              int64_t *id)
{
    const struct basket_totals *t = &b->totals;
    bool deposit = strcmp(in->kind, "deposit") == 0;
    char year[8], due[DATE_CHARS];
    int64_t paid = t->total == 0;

    snprintf(year, sizeof year, "%04d", date_from_unix(now).y % 10000);
    if (!in->due_date)
        date_format(date_from_unix(now), due);
    /* Numbers follow ids ("INV-2025-000142"); the caller's transaction holds the write lock, so
     * the next id is ours. */
    *id = invoice_insert(
        conn,
        "INSERT INTO invoices(id, number, user_id, kind, status, order_id, service_id,"
        " period_start, period_end, subtotal, discount, tax, total, amount_paid, issued_at,"
        " due_date, paid_at) "
        "SELECT n, printf('INV-%s-%06d', ?1, n), ?2, ?3, CASE WHEN ?4 THEN 'paid' ELSE 'pending'"
        " END, NULLIF(?5, 0), NULLIF(?6, 0), ?7, ?8, ?9, ?10, ?11, ?12, 0, ?13, ?14,"
        " CASE WHEN ?4 THEN ?13 END FROM (SELECT COALESCE(MAX(id), 0) + 1 AS n FROM invoices)",
        (int64_t[]){0, in->user_id, 0, paid, in->order_id, in->service_id, NUL, NUL,
                    deposit ? t->total : t->subtotal, deposit ? 0 : t->discount,
                    deposit ? 0 : t->tax, t->total, now, 0},
        (const char *[]){year, NULL, in->kind, NULL, NULL, NULL, in->period_start, in->period_end,
                         NULL, NULL, NULL, NULL, NULL, in->due_date ? in->due_date : due},
        14);
    if (!*id) {
        /* The unique indexes speak for themselves: one renewal per period, one open deposit. */
        if (sqlite3_extended_errcode(conn) != SQLITE_CONSTRAINT_UNIQUE)
            return API_ERR_INTERNAL;
        if (deposit)
            return API_ERR_DEPOSIT_PENDING;
        *id = invoice_lookup(conn,
                             "SELECT id FROM invoices WHERE kind = 'renewal' AND service_id = ?"
                             " AND period_start = ?",
                             in->service_id, in->period_start);
        return API_ERR_RENEWAL_EXISTS;
    }
    if (invoice_lines(conn, set, *id, in, b, now) != 0)
        return API_ERR_INTERNAL;
    return API_OK;
}

static int invoice_exec(sqlite3 *conn, const char *sql, int64_t a, int64_t b);

enum api_error invoice_reprice(sqlite3 *conn, const struct settings *set, int64_t invoice_id,
                               const struct invoice_new *in, const struct basket *b, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM payments WHERE invoice_id = ?"
                                        " AND status IN ('pending', 'requires_action')");
    const struct basket_totals *t = &b->totals;
    enum api_error err = API_ERR_INTERNAL;
    int step;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, invoice_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        if (payment_fail(conn, sqlite3_column_int64(st, 0), "expired", now) != API_OK)
            break;
    db_finalize(st);
    if (step != SQLITE_DONE)
        return err;
    st =
        db_prepare(conn, "UPDATE invoices SET subtotal = ?2, discount = ?3, tax = ?4, total = ?5,"
                         " status = CASE WHEN ?5 = 0 THEN 'paid' ELSE status END,"
                         " paid_at = CASE WHEN ?5 = 0 THEN ?6 END"
                         " WHERE id = ?1 AND amount_paid = 0 AND status IN ('pending', 'overdue')");
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, invoice_id);
    sqlite3_bind_int64(st, 2, t->subtotal);
    sqlite3_bind_int64(st, 3, t->discount);
    sqlite3_bind_int64(st, 4, t->tax);
    sqlite3_bind_int64(st, 5, t->total);
    sqlite3_bind_int64(st, 6, now);
    step = sqlite3_step(st);
    err = step != SQLITE_DONE          ? API_ERR_INTERNAL
          : sqlite3_changes(conn) != 1 ? API_ERR_INVOICE_NOT_PAYABLE
                                       : API_OK;
    db_finalize(st);
    if (err == API_OK &&
        (invoice_exec(conn, "DELETE FROM invoice_lines WHERE invoice_id = ?1 AND ?2 = ?2",
                      invoice_id, 0) < 0 ||
         invoice_exec(conn, "DELETE FROM invoice_taxes WHERE invoice_id = ?1 AND ?2 = ?2",
                      invoice_id, 0) < 0 ||
         invoice_lines(conn, set, invoice_id, in, b, now) != 0))
        err = API_ERR_INTERNAL;
    return err;
}

/* What one invoice row says about being paid. */
struct invoice_due {
    int64_t user_id, total, paid, order_id;
    char status[16], kind[16], number[32];
};

static enum api_error invoice_due_load(sqlite3 *conn, int64_t id, struct invoice_due *d)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT user_id, total, amount_paid,"
                                        " COALESCE(order_id, 0), status, kind, number "
                                        "FROM invoices WHERE id = ?");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        d->user_id = sqlite3_column_int64(st, 0);
        d->total = sqlite3_column_int64(st, 1);
        d->paid = sqlite3_column_int64(st, 2);
        d->order_id = sqlite3_column_int64(st, 3);
        snprintf(d->status, sizeof d->status, "%s", db_text(st, 4));
        snprintf(d->kind, sizeof d->kind, "%s", db_text(st, 5));
        snprintf(d->number, sizeof d->number, "%s", db_text(st, 6));
        err = API_OK;
    }
    db_finalize(st);
    return err;
}

static int invoice_exec(sqlite3 *conn, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

/* The invoice is paid in full: what that means for its kind happens now. */
static enum api_error invoice_fulfil(sqlite3 *conn, int64_t id, const struct invoice_due *d,
                                     int64_t now)
{
    struct settings set;
    char what[64];

    if (invoice_exec(conn, "UPDATE invoices SET status = 'paid', paid_at = ?2 WHERE id = ?1", id,
                     now) != 1 ||
        settings_load(conn, &set) != 0)
        return API_ERR_INTERNAL;
    if (strcmp(d->kind, "order") == 0)
        return order_paid(conn, &set, d->order_id, now);
    if (strcmp(d->kind, "renewal") == 0)
        return lifecycle_renewal_paid(conn, id, now);
    if (strcmp(d->kind, "change") == 0)
        return plan_change_invoice_paid(conn, id, now);
    snprintf(what, sizeof what, "Deposit %s", d->number);
    return ledger_post(conn, d->user_id, "deposit", d->total, what, id, 0, now, NULL);
}

enum api_error invoice_settle_payment(struct billingd *app, sqlite3 *conn, int64_t payment_id,
                                      int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT invoice_id, amount, status FROM payments "
                                        "WHERE id = ?");
    struct invoice_due d;
    int64_t invoice_id = 0, amount = 0, apply = 0;
    char status[16] = "";
    bool payable;
    enum api_error err;

    (void)app;
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        invoice_id = sqlite3_column_int64(st, 0);
        amount = sqlite3_column_int64(st, 1);
        snprintf(status, sizeof status, "%s", db_text(st, 2));
    }
    db_finalize(st);
    if (!invoice_id)
        return API_ERR_NOT_FOUND;
    if (strcmp(status, "paid") == 0 || strcmp(status, "not_required") == 0)
        return API_OK; /* settled before: a replay changes nothing */
    if ((err = invoice_due_load(conn, invoice_id, &d)) != API_OK)
        return err;
    if (invoice_exec(conn, "UPDATE payments SET status = 'paid', settled_at = ?2 WHERE id = ?1",
                     payment_id, now) != 1)
        return API_ERR_INTERNAL;
    payable = strcmp(d.status, "pending") == 0 || strcmp(d.status, "overdue") == 0;
    if (payable)
        apply = amount < d.total - d.paid ? amount : d.total - d.paid;
    if (apply > 0 &&
        invoice_exec(conn, "UPDATE invoices SET amount_paid = amount_paid + ?2 WHERE id = ?1",
                     invoice_id, apply) != 1)
        return API_ERR_INTERNAL;
    /* Money that arrived for an invoice already paid (a superseded page paid anyway, a race
     * lost) is never kept twice: it goes to the account's credit. */
    if (amount > apply) {
        char what[80];

        snprintf(what, sizeof what, "Surplus payment on %s", d.number);
        err =
            ledger_post(conn, d.user_id, "refund", amount - apply, what, invoice_id, 0, now, NULL);
        if (err != API_OK)
            return err;
    }
    if (payable && d.paid + apply >= d.total)
        return invoice_fulfil(conn, invoice_id, &d, now);
    return API_OK;
}
