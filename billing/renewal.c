/* renewal.c: the renewal invoice of a service's next period, whoever asks for it first. */
#include "billing/renewal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "billing/basket.h"
#include "billing/db.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/lifecycle.h"
#include "billing/plan_change.h"

struct date renewal_period_end(const struct service *svc, struct date start)
{
    return date_add_days(date_add_months(start, (int)svc->months, svc->anchor_day), -1);
}

static bool renewal_coupon_refused(enum api_error err)
{
    switch (err) {
    case API_ERR_COUPON_NOT_FOUND:
    case API_ERR_COUPON_EXPIRED:
    case API_ERR_COUPON_NOT_STARTED:
    case API_ERR_COUPON_EXHAUSTED:
    case API_ERR_COUPON_ALREADY_USED:
    case API_ERR_COUPON_NOT_APPLICABLE:
    case API_ERR_COUPON_MINIMUM_NOT_MET:
    case API_ERR_COUPON_DISABLED:
        return true;
    default:
        return false;
    }
}

enum api_error renewal_basket_line(const struct service *svc, bool at_sold_price,
                                   struct basket_line_in *in)
{
    cJSON *opts = cJSON_Parse(svc->options);
    const cJSON *o;
    enum api_error err = API_OK;

    memset(in, 0, sizeof *in);
    in->product_id = svc->product_id;
    snprintf(in->cycle, sizeof in->cycle, "%s", svc->cycle);
    in->quantity = 1;
    in->include_setup_fee = false;
    in->fixed = at_sold_price;
    in->fixed_unit_amount = svc->recurring_amount;
    cJSON_ArrayForEach(o, opts)
    {
        int64_t v;

        if (in->n_options == BASKET_MAX_OPTIONS || !json_get_int(o, &v) ||
            strlen(o->string) >= sizeof in->option_resource[0]) {
            err = API_ERR_INTERNAL;
            break;
        }
        snprintf(in->option_resource[in->n_options], sizeof in->option_resource[0], "%s",
                 o->string);
        in->option_value[in->n_options++] = v;
    }
    cJSON_Delete(opts);
    return err;
}

static enum api_error renewal_existing(sqlite3 *conn, int64_t service_id, const char *start,
                                       int64_t *invoice_id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM invoices WHERE kind = 'renewal'"
                                        " AND service_id = ? AND period_start = ?");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, service_id);
    sqlite3_bind_text(st, 2, start, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        *invoice_id = sqlite3_column_int64(st, 0);
        err = API_ERR_RENEWAL_EXISTS;
        break;
    case SQLITE_DONE:
        err = API_OK;
        break;
    default:
        break;
    }
    db_finalize(st);
    return err;
}

static enum api_error renewal_paid_now(sqlite3 *conn, int64_t invoice_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT status FROM invoices WHERE id = ?");
    bool paid = false;

    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, invoice_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        paid = strcmp(db_text(st, 0), "paid") == 0;
    db_finalize(st);
    /* A fully discounted renewal is paid as it is issued, and so is its period. */
    return paid ? lifecycle_renewal_paid(conn, invoice_id, now) : API_OK;
}

/* The renewal basket and invoice header of the period starting at svc->next_due, on the plan
 * the service renews on then (a scheduled plan change's, if one takes effect that day). */
struct renewal_draft {
    struct service plan;
    struct basket b;
    char start[DATE_CHARS], end[DATE_CHARS], due[DATE_CHARS];
    struct invoice_new in;
};

static enum api_error renewal_draft(sqlite3 *conn, const struct settings *set,
                                    const struct service *svc, int64_t now, struct renewal_draft *d)
{
    int64_t coupon_id;
    enum api_error err;

    d->plan = *svc;
    if (!(d->plan.options = strdup(svc->options)))
        return API_ERR_INTERNAL;
    if (plan_change_renewal_plan(conn, &d->plan, svc->next_due) < 0)
        return API_ERR_INTERNAL;
    date_format(svc->next_due, d->start);
    date_format(renewal_period_end(&d->plan, svc->next_due), d->end);
    d->b.n_lines = 1;
    /* The price the service was sold at, until an operator applies the catalog's. */
    if ((err = renewal_basket_line(&d->plan, true, &d->b.lines[0].in)) != API_OK)
        return err;
    /* coupon_cycles_left counts the renewals the coupon still discounts (-1: all of them). */
    coupon_id = d->plan.coupon_cycles_left != 0 ? d->plan.coupon_id : 0;
    err = basket_price(conn, set, &d->b, coupon_id, 0, false, NULL);
    /* A coupon that no longer discounts (deleted, disabled, or its products changed) leaves the
     * renewal priced in full; only a line that cannot be billed (its product gone) stops it. */
    if (renewal_coupon_refused(err))
        err = API_OK;
    if (err != API_OK)
        return API_ERR_INTERNAL; /* nothing to bill this service at: an operator must look */
    /* Due when the period starts; an invoice issued late (the server was down) still gives the
     * customer today to pay before it counts as overdue. */
    if (date_compare(svc->next_due, date_from_unix(now)) < 0)
        date_format(date_from_unix(now), d->due);
    else
        memcpy(d->due, d->start, sizeof d->due);
    d->in = (struct invoice_new){.user_id = svc->user_id,
                                 .kind = "renewal",
                                 .service_id = svc->id,
                                 .period_start = d->start,
                                 .period_end = d->end,
                                 .due_date = d->due};
    return API_OK;
}

enum api_error renewal_issue(sqlite3 *conn, const struct settings *set, const struct service *svc,
                             int64_t now, int64_t *invoice_id)
{
    struct renewal_draft *d = NULL;
    char start[DATE_CHARS];
    enum api_error err;

    *invoice_id = 0;
    if (!service_is_recurring(svc) || !svc->has_due ||
        !(service_is(svc, "active") || service_is(svc, "suspended")) || svc->cancellation_pending)
        return API_ERR_INVALID_STATUS;
    date_format(svc->next_due, start);
    if ((err = renewal_existing(conn, svc->id, start, invoice_id)) != API_OK)
        return err;
    if (!(d = calloc(1, sizeof *d)))
        return API_ERR_INTERNAL;
    err = renewal_draft(conn, set, svc, now, d);
    if (err == API_OK)
        err = invoice_create(conn, set, &d->in, &d->b, now, invoice_id);
    if (err == API_OK)
        err = renewal_paid_now(conn, *invoice_id, now);
    free(d->plan.options);
    free(d);
    return err;
}

enum api_error renewal_reprice(sqlite3 *conn, const struct settings *set, const struct service *svc,
                               int64_t now)
{
    struct renewal_draft *d = NULL;
    char start[DATE_CHARS];
    int64_t invoice_id = 0;
    enum api_error err;

    if (!svc->has_due)
        return API_OK;
    date_format(svc->next_due, start);
    err = renewal_existing(conn, svc->id, start, &invoice_id);
    if (err != API_ERR_RENEWAL_EXISTS)
        return err;
    if (!(d = calloc(1, sizeof *d)))
        return API_ERR_INTERNAL;
    err = renewal_draft(conn, set, svc, now, d);
    if (err == API_OK)
        err = invoice_reprice(conn, set, invoice_id, &d->in, &d->b, now);
    if (err == API_OK)
        err = renewal_paid_now(conn, invoice_id, now);
    free(d->plan.options);
    free(d);
    return err;
}
