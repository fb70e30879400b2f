/* basket.c: the one pricing of a basket: lines, coupon, tax, credits, in integer minor units. */
#include "billing/basket.h"

#include <stdio.h>
#include <string.h>

#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/ledger.h"
#include "billing/pricing.h"

/* A product as pricing needs it. */
struct basket_product {
    struct price_cycle cycle;
    struct price_option opts[BASKET_MAX_OPTIONS];
    char resource[BASKET_MAX_OPTIONS][16];
    size_t n_opts;
    bool stock_limited;
    int64_t stock_available;
};

static void basket_field(cJSON *fields, size_t i, const char *suffix, const char *message)
{
    char name[96];
    cJSON *list;

    if (!fields)
        return;
    snprintf(name, sizeof name, "items[%zu]%s", i, suffix);
    list = cJSON_GetObjectItemCaseSensitive(fields, name);
    if (!list)
        list = cJSON_AddArrayToObject(fields, name);
    if (list)
        cJSON_AddItemToArray(list, cJSON_CreateString(message));
}

/* Loads names, visibility and stock into the line and the cycle and options into p. */
static enum api_error basket_load(sqlite3 *conn, struct basket_line *l, struct basket_product *p)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT p.name, p.slug, c.name, c.slug, p.visible AND c.visible, p.stock_limited,"
              " COALESCE(p.stock_available, 0), y.months, y.price, y.setup_fee "
              "FROM products p JOIN categories c ON c.id = p.category_id"
              " LEFT JOIN product_cycles y ON y.product_id = p.id AND y.cycle = ?2 "
              "WHERE p.id = ?1");
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    memset(p, 0, sizeof *p);
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, l->in.product_id);
    sqlite3_bind_text(st, 2, l->in.cycle, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        err = API_ERR_NOT_FOUND;
    if (rc != SQLITE_ROW)
        goto done;
    snprintf(l->product_name, sizeof l->product_name, "%s", db_text(st, 0));
    snprintf(l->product_slug, sizeof l->product_slug, "%s", db_text(st, 1));
    snprintf(l->category_name, sizeof l->category_name, "%s", db_text(st, 2));
    snprintf(l->category_slug, sizeof l->category_slug, "%s", db_text(st, 3));
    l->on_sale = sqlite3_column_int(st, 4);
    p->stock_limited = sqlite3_column_int(st, 5);
    p->stock_available = sqlite3_column_int64(st, 6);
    /* No such cycle for the product: months stay 0, which the caller reports. */
    if (sqlite3_column_type(st, 7) != SQLITE_NULL)
        p->cycle = (struct price_cycle){sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8),
                                        sqlite3_column_int64(st, 9)};
    db_finalize(st);
    st = db_prepare(conn, "SELECT resource, unit_size, min_value, max_value, step, default_value,"
                          " unit_price FROM product_options WHERE product_id = ? "
                          "ORDER BY sort_order, id");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, l->in.product_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->n_opts < BASKET_MAX_OPTIONS) {
        snprintf(p->resource[p->n_opts], sizeof p->resource[0], "%s", db_text(st, 0));
        p->opts[p->n_opts++] = (struct price_option){
            .unit_size = sqlite3_column_int64(st, 1),
            .min = sqlite3_column_int64(st, 2),
            .max = sqlite3_column_int64(st, 3),
            .step = sqlite3_column_int64(st, 4),
            .def = sqlite3_column_int64(st, 5),
            .unit_price = sqlite3_column_int64(st, 6),
        };
    }
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        err = API_OK;
done:
    db_finalize(st);
    return err;
}

/* Puts the line's options in the product's order with defaults filled in; false (fields
 * noted) when one names no option of the product or is off its range and steps. */
static bool basket_options(struct basket_line *l, const struct basket_product *p, size_t i,
                           cJSON *fields, int64_t *values)
{
    struct basket_line_in *in = &l->in;
    bool ok = true;

    for (size_t k = 0; k < p->n_opts; k++)
        values[k] = p->opts[k].def;
    for (size_t j = 0; j < in->n_options; j++) {
        size_t k = 0;
        char suffix[48], msg[128];

        while (k < p->n_opts && strcmp(p->resource[k], in->option_resource[j]) != 0)
            k++;
        snprintf(suffix, sizeof suffix, ".options.%s", in->option_resource[j]);
        if (k == p->n_opts) {
            basket_field(fields, i, suffix, "is not configurable for this product");
            ok = false;
        } else if (!pricing_value_valid(&p->opts[k], in->option_value[j])) {
            snprintf(msg, sizeof msg, "must be a multiple of %lld between %lld and %lld",
                     (long long)p->opts[k].step, (long long)p->opts[k].min,
                     (long long)p->opts[k].max);
            basket_field(fields, i, suffix, msg);
            ok = false;
        } else {
            values[k] = in->option_value[j];
        }
    }
    for (size_t k = 0; k < p->n_opts; k++) {
        snprintf(in->option_resource[k], sizeof in->option_resource[k], "%s", p->resource[k]);
        in->option_value[k] = values[k];
    }
    in->n_options = p->n_opts;
    return ok;
}

/* Prices line i; false with its problems noted in fields. */
static enum api_error basket_line_price(sqlite3 *conn, struct basket_line *l, size_t i,
                                        cJSON *fields)
{
    struct basket_product p;
    int64_t values[BASKET_MAX_OPTIONS], each;
    enum api_error err = basket_load(conn, l, &p);
    enum pricing_status priced = PRICING_OK;

    if (err == API_ERR_NOT_FOUND) {
        basket_field(fields, i, ".product_id", "no such product");
        return API_ERR_VALIDATION_FAILED;
    }
    if (err != API_OK)
        return err;
    if (l->in.fixed) {
        /* Sold at this amount: the cycle and options stay as they were sold even when the
         * catalog no longer offers them. */
        l->months = p.cycle.months > 0 ? p.cycle.months : pricing_cycle_months(l->in.cycle);
        l->unit_amount = l->in.fixed_unit_amount;
        if (l->months <= 0 || l->unit_amount < 0) {
            basket_field(fields, i, "", "has no amount to be billed at");
            err = API_ERR_VALIDATION_FAILED;
        }
    } else if (p.cycle.months <= 0) {
        basket_field(fields, i, ".cycle", "is not offered for this product");
        err = API_ERR_VALIDATION_FAILED;
    }
    if (l->in.quantity < 1) {
        basket_field(fields, i, ".quantity", "must be at least 1");
        err = API_ERR_VALIDATION_FAILED;
    }
    if ((!l->in.fixed && !basket_options(l, &p, i, fields, values)) || err != API_OK)
        return API_ERR_VALIDATION_FAILED;
    if (!l->in.fixed) {
        l->months = p.cycle.months;
        priced = pricing_cycle_price(&p.cycle, p.opts, values, p.n_opts, &l->unit_amount);
    }
    l->setup_fee = l->in.include_setup_fee ? p.cycle.setup_fee : 0;
    l->available = l->on_sale && (!p.stock_limited || p.stock_available >= l->in.quantity);
    l->stock_left = p.stock_limited ? p.stock_available : -1;
    if (priced != PRICING_OK || __builtin_add_overflow(l->unit_amount, l->setup_fee, &each) ||
        __builtin_mul_overflow(each, l->in.quantity, &l->amount) ||
        __builtin_mul_overflow(l->unit_amount, l->in.quantity, &l->recurring)) {
        basket_field(fields, i, "", "amount too large");
        return API_ERR_VALIDATION_FAILED;
    }
    if (strcmp(l->in.cycle, "one_time") == 0)
        l->recurring = 0;
    return API_OK;
}

/* round_half_up(a * b / c) for non-negative a, b and positive c, without overflow. */
static int64_t basket_muldiv(int64_t a, int64_t b, int64_t c)
{
    __int128 n = (__int128)a * b;

    return (int64_t)((n + c / 2) / c);
}

/* The coupon's discount over the lines it covers, shared out so no line goes below zero. */
static enum api_error basket_discount(struct basket *b, const struct coupon *c)
{
    int64_t qualifying = 0, discount, given = 0;

    for (size_t i = 0; i < b->n_lines; i++) {
        b->lines[i].coupon_applies =
            coupon_covers(c, b->lines[i].in.product_id, b->lines[i].in.cycle);
        if (b->lines[i].coupon_applies)
            qualifying += b->lines[i].amount; /* bounded by the subtotal, already checked */
    }
    if (qualifying == 0)
        return API_ERR_COUPON_NOT_APPLICABLE;
    if (qualifying < c->min_subtotal)
        return API_ERR_COUPON_MINIMUM_NOT_MET;
    discount = c->percent ? basket_muldiv(qualifying, c->percent_bps, 10000) : c->amount_off;
    if (discount > qualifying)
        discount = qualifying;
    for (size_t i = 0; i < b->n_lines; i++) {
        struct basket_line *l = &b->lines[i];

        l->discount =
            l->coupon_applies ? (int64_t)((__int128)discount * l->amount / qualifying) : 0;
        given += l->discount;
    }
    /* What flooring left over goes to the first lines that still have room. */
    for (size_t i = 0; i < b->n_lines && given < discount; i++) {
        struct basket_line *l = &b->lines[i];
        int64_t room = l->coupon_applies ? l->amount - l->discount : 0;
        int64_t more = room < discount - given ? room : discount - given;

        l->discount += more;
        given += more;
    }
    b->coupon_id = c->id;
    snprintf(b->coupon_code, sizeof b->coupon_code, "%s", c->code);
    b->totals.discount = discount;
    return API_OK;
}

static void basket_tax(const struct settings *set, struct basket_totals *t)
{
    t->taxable = t->subtotal - t->discount;
    t->tax = 0;
    t->total = t->taxable;
    if (!set->tax_enabled || set->tax_rate_bps <= 0)
        return;
    if (set->tax_inclusive) {
        t->tax = t->taxable - basket_muldiv(t->taxable, 10000, 10000 + set->tax_rate_bps);
    } else {
        t->tax = basket_muldiv(t->taxable, set->tax_rate_bps, 10000);
        t->total = t->taxable + t->tax; /* tax <= taxable: no overflow below INT64_MAX / 2 */
    }
}

enum api_error basket_price(sqlite3 *conn, const struct settings *set, struct basket *b,
                            int64_t coupon_id, int64_t user_id, bool use_credits, cJSON *fields)
{
    enum api_error err = API_OK, coupon_err = API_OK;
    struct basket_totals *t = &b->totals;
    struct coupon c;

    memset(t, 0, sizeof *t);
    b->coupon_id = 0;
    b->coupon_code[0] = '\0';
    for (size_t i = 0; i < b->n_lines; i++) {
        enum api_error e = basket_line_price(conn, &b->lines[i], i, fields);

        b->lines[i].discount = 0;
        b->lines[i].coupon_applies = false;
        if (e == API_ERR_INTERNAL)
            return e;
        if (e != API_OK)
            err = e;
        else if (__builtin_add_overflow(t->subtotal, b->lines[i].amount, &t->subtotal) ||
                 t->subtotal > INT64_MAX / 4) {
            basket_field(fields, i, "", "amount too large");
            err = API_ERR_VALIDATION_FAILED;
        }
    }
    if (err != API_OK)
        return err;
    if (coupon_id) {
        coupon_err = coupon_load(conn, coupon_id, &c);
        if (coupon_err == API_OK && c.disabled)
            coupon_err = API_ERR_COUPON_DISABLED;
        if (coupon_err == API_OK)
            coupon_err = basket_discount(b, &c);
        if (coupon_err == API_ERR_INTERNAL)
            return coupon_err;
        if (coupon_err != API_OK) {
            for (size_t i = 0; i < b->n_lines; i++)
                b->lines[i].discount = 0;
            t->discount = 0;
        }
    }
    basket_tax(set, t);
    if (user_id && set->credits_enabled) {
        t->credits_available = ledger_balance(conn, user_id);
        if (t->credits_available < 0)
            return API_ERR_INTERNAL;
    }
    if (use_credits)
        t->credits_to_apply = t->credits_available < t->total ? t->credits_available : t->total;
    t->due_now = t->total - t->credits_to_apply;
    return coupon_err;
}
