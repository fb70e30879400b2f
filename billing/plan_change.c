/* plan_change.c: pricing a change of a service's plan: the one calculation behind the quote and
 * the invoice (see docs/billingd.md "Plan changes" for the rule and its rounding). */
#include "billing/plan_change.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/cart.h"
#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/pricing.h"
#include "billing/renewal.h"

int64_t plan_change_prorate(int64_t amount, int64_t part, int64_t whole)
{
    __int128 n = (__int128)amount * part;

    return whole > 0 ? (int64_t)((n + whole / 2) / whole) : 0;
}

void plan_quote_clear(struct plan_quote *q)
{
    free(q->from_options);
    free(q->to_options);
    q->from_options = q->to_options = NULL;
}

static void plan_field(cJSON *fields, const char *name, const char *message)
{
    cJSON *list = cJSON_GetObjectItemCaseSensitive(fields, name);

    if (!fields)
        return;
    if (!list)
        list = cJSON_AddArrayToObject(fields, name);
    if (list)
        cJSON_AddItemToArray(list, cJSON_CreateString(message));
}

bool plan_target_parse(const cJSON *body, struct plan_target *t, cJSON *fields)
{
    const cJSON *product = cJSON_GetObjectItemCaseSensitive(body, "product_id");
    const cJSON *cycle = cJSON_GetObjectItemCaseSensitive(body, "cycle");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(body, "options");
    const cJSON *o;
    bool ok = true;

    memset(t, 0, sizeof *t);
    if (product && (!json_get_int(product, &t->product_id) || t->product_id <= 0)) {
        plan_field(fields, "product_id", "must be a positive integer");
        ok = false;
    }
    if (cycle && (!cJSON_IsString(cycle) || pricing_cycle_rank(cycle->valuestring) < 0 ||
                  strcmp(cycle->valuestring, "one_time") == 0)) {
        plan_field(fields, "cycle", "must be a recurring billing cycle");
        ok = false;
    } else if (cycle) {
        snprintf(t->cycle, sizeof t->cycle, "%s", cycle->valuestring);
    }
    if (options && !cJSON_IsObject(options)) {
        plan_field(fields, "options", "must be an object of resource: value");
        return false;
    }
    cJSON_ArrayForEach(o, options)
    {
        char name[48];

        snprintf(name, sizeof name, "options.%.30s", o->string);
        if (t->n_options == BASKET_MAX_OPTIONS ||
            strlen(o->string) >= sizeof t->option_resource[0]) {
            plan_field(fields, name, "is not configurable for this product");
            ok = false;
        } else if (!json_get_int(o, &t->option_value[t->n_options])) {
            plan_field(fields, name, "must be an integer");
            ok = false;
        } else {
            snprintf(t->option_resource[t->n_options++], sizeof t->option_resource[0], "%s",
                     o->string);
        }
    }
    if (ok && !product && !cycle && !options) {
        plan_field(fields, "product_id", "give a product, a cycle or options to change");
        ok = false;
    }
    return ok;
}

/* The category and product name of a product; 0 or -1. */
static int plan_product(sqlite3 *conn, int64_t id, int64_t *category, char *name, size_t size)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT category_id, name FROM products WHERE id = ?");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *category = sqlite3_column_int64(st, 0);
        snprintf(name, size, "%s", db_text(st, 1));
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* The new plan's basket line, priced from today's catalog; its field problems renamed from
 * "items[0].x" to "x". */
static enum api_error plan_new_line(sqlite3 *conn, const struct settings *set,
                                    const struct service *svc, const struct plan_target *t,
                                    struct plan_quote *q, cJSON *fields)
{
    struct basket_line_in *in = &q->basket.lines[0].in;
    cJSON *mine = cJSON_CreateObject(), *f;
    enum api_error err;

    memset(&q->basket, 0, sizeof q->basket);
    q->basket.n_lines = 1;
    if (!mine)
        return API_ERR_INTERNAL;
    if (!q->product_changes && renewal_basket_line(svc, false, in) != API_OK) {
        cJSON_Delete(mine);
        return API_ERR_INTERNAL;
    }
    in->product_id = q->to_product_id;
    in->quantity = 1;
    in->include_setup_fee = false;
    in->fixed = false;
    snprintf(in->cycle, sizeof in->cycle, "%s", q->to_cycle);
    if (q->product_changes)
        in->n_options = 0;
    for (size_t i = 0; i < t->n_options; i++) {
        size_t k = 0;

        while (k < in->n_options && strcmp(in->option_resource[k], t->option_resource[i]) != 0)
            k++;
        if (k == BASKET_MAX_OPTIONS)
            continue;
        snprintf(in->option_resource[k], sizeof in->option_resource[k], "%s",
                 t->option_resource[i]);
        in->option_value[k] = t->option_value[i];
        if (k == in->n_options)
            in->n_options++;
    }
    err = basket_price(conn, set, &q->basket, 0, 0, false, mine);
    cJSON_ArrayForEach(f, mine)
    {
        const char *name = strncmp(f->string, "items[0]", 8) == 0 ? f->string + 8 : f->string;
        const cJSON *m;

        if (*name == '.')
            name++;
        cJSON_ArrayForEach(m, f) plan_field(fields, *name ? name : "product_id", m->valuestring);
    }
    cJSON_Delete(mine);
    return err;
}

static bool plan_same_options(const char *a, const char *b)
{
    cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
    bool same = x && y && cJSON_Compare(x, y, true);

    cJSON_Delete(x);
    cJSON_Delete(y);
    return same;
}

/* The proration: credit, charge, direction and timing (docs/billingd.md "Plan changes"). */
static void plan_prorate(const struct settings *set, const struct service *svc, int64_t now,
                         struct plan_quote *q)
{
    struct date today = date_from_unix(now);
    int64_t start = date_to_unix(q->period_start), end = date_to_unix(q->period_end);

    q->period_seconds = end - start;
    q->next_due = svc->next_due;
    q->to_anchor_day = q->cycle_changes ? today.d : svc->anchor_day;
    /* Same cycle: to the second, from now to the due date. A new cycle starts a new period
     * today (its first day counted from midnight), so the old plan is credited from then. */
    q->counted_from = q->cycle_changes ? date_to_unix(today) : now;
    if (q->counted_from < start)
        q->counted_from = start;
    q->seconds_left = end - q->counted_from;
    q->credit = plan_change_prorate(q->from_amount, q->seconds_left, q->period_seconds);
    if (q->cycle_changes) {
        q->charge = q->to_amount;
        q->next_due = date_add_months(today, (int)q->to_months, today.d);
    } else {
        q->charge = plan_change_prorate(q->to_amount, q->seconds_left, q->period_seconds);
    }
    q->upgrade = q->charge > q->credit;
    if (q->upgrade) {
        snprintf(q->timing, sizeof q->timing, "on_payment");
    } else if (q->charge == q->credit || set->downgrades_immediate) {
        snprintf(q->timing, sizeof q->timing, "now");
    } else {
        /* At the next renewal nothing is prorated: the period runs out on the plan paid for. */
        snprintf(q->timing, sizeof q->timing, "next_renewal");
        q->effective_date = svc->next_due;
        q->credit = q->charge = 0;
        q->counted_from = end;
        q->seconds_left = 0;
        q->next_due = svc->next_due;
        q->to_anchor_day = svc->anchor_day;
    }
}

/* Refusals of the service itself: the plan of an ended, unpaid, cancelling or one-time service
 * does not change, nor one whose current period has not begun (its next one is paid). */
static bool plan_service_refused(const struct service *svc, int64_t now, cJSON *fields)
{
    struct date start;

    if (!service_is(svc, "active") || !service_is_recurring(svc) || !svc->has_due ||
        svc->cancellation_pending)
        return true;
    start = date_add_months(svc->next_due, -(int)svc->months, svc->anchor_day);
    (void)fields;
    return now < date_to_unix(start) || now >= date_to_unix(svc->next_due);
}

enum api_error plan_change_quote(sqlite3 *conn, const struct settings *set,
                                 const struct service *svc, const struct plan_target *t,
                                 bool use_credits, int64_t now, cJSON *fields, struct plan_quote *q)
{
    int64_t from_category = 0, to_category = 0;
    char from_name[128];
    struct coupon coupon;
    struct basket_line *l;
    int64_t net;
    enum api_error err;

    memset(q, 0, sizeof *q);
    q->service_id = svc->id;
    if (plan_service_refused(svc, now, fields))
        return API_ERR_INVALID_STATUS;
    q->from_product_id = svc->product_id;
    q->to_product_id = t->product_id ? t->product_id : svc->product_id;
    q->product_changes = q->to_product_id != q->from_product_id;
    snprintf(q->from_cycle, sizeof q->from_cycle, "%s", svc->cycle);
    snprintf(q->to_cycle, sizeof q->to_cycle, "%s", t->cycle[0] ? t->cycle : svc->cycle);
    q->cycle_changes = strcmp(q->from_cycle, q->to_cycle) != 0;
    q->from_months = svc->months;
    q->from_amount = svc->recurring_amount;
    q->period_end = svc->next_due;
    q->period_start = date_add_months(svc->next_due, -(int)svc->months, svc->anchor_day);
    if (!(q->from_options = strdup(svc->options)))
        return API_ERR_INTERNAL;
    if (plan_product(conn, q->from_product_id, &from_category, from_name, sizeof from_name) != 0)
        return API_ERR_INTERNAL;
    if (plan_product(conn, q->to_product_id, &to_category, q->to_product_name,
                     sizeof q->to_product_name) != 0) {
        plan_field(fields, "product_id", "no such product");
        return API_ERR_VALIDATION_FAILED;
    }
    if (to_category != from_category) {
        plan_field(fields, "product_id", "must be a product of the service's category");
        return API_ERR_VALIDATION_FAILED;
    }
    if ((err = plan_new_line(conn, set, svc, t, q, fields)) != API_OK)
        return err;
    l = &q->basket.lines[0];
    if (q->product_changes && !l->on_sale) {
        plan_field(fields, "product_id", "is not on sale");
        return API_ERR_VALIDATION_FAILED;
    }
    q->to_months = l->months;
    q->to_amount = l->unit_amount;
    if (!(q->to_options = cart_options_text(&l->in)))
        return API_ERR_INTERNAL;
    if (!q->product_changes && !q->cycle_changes &&
        plan_same_options(q->from_options, q->to_options)) {
        plan_field(fields, "product_id", "is the plan the service has");
        return API_ERR_VALIDATION_FAILED;
    }
    q->stock_needed = q->product_changes && l->stock_left >= 0;
    if (q->stock_needed && l->stock_left < 1)
        return API_ERR_OUT_OF_STOCK;
    /* A recurring coupon follows the service when it covers the new product and cycle. */
    q->keeps_coupon = svc->coupon_id && coupon_load(conn, svc->coupon_id, &coupon) == API_OK &&
                      coupon_covers(&coupon, q->to_product_id, q->to_cycle);
    plan_prorate(set, svc, now, q);
    /* The amount billed (or credited) now, as a fixed line of the new plan: tax and credits
     * come from the basket pricing that every invoice uses. */
    net = q->charge - q->credit;
    l->in.fixed = true;
    l->in.fixed_unit_amount = net < 0 ? -net : net;
    err = basket_price(conn, set, &q->basket, 0, q->upgrade ? svc->user_id : 0,
                       q->upgrade && use_credits, NULL);
    if (err != API_OK)
        return err == API_ERR_VALIDATION_FAILED ? API_ERR_INTERNAL : err;
    if (!q->upgrade && strcmp(q->timing, "now") == 0)
        q->balance_credit = q->basket.totals.total;
    (void)from_name;
    return API_OK;
}
