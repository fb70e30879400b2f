/* decode_cart.c: response bodies to quotes and carts. */
#include "client/decode_shared.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Months of each cycle when the server leaves them out; one_time counts one. */
static const int cycle_months[CYCLE_COUNT] = {
    [CYCLE_ONE_TIME] = 1,    [CYCLE_MONTHLY] = 1, [CYCLE_QUARTERLY] = 3,
    [CYCLE_SEMI_ANNUAL] = 6, [CYCLE_ANNUAL] = 12, [CYCLE_BIENNIAL] = 24,
};

/* The line's fields common to quotes and carts. */
static int read_priced_line(const cJSON *v, const char *where, struct priced_line *l,
                            struct client_error *err)
{
    const char *cur;

    if (wire_expect_object(v, where, err) < 0 ||
        decode_product_summary(v, where, "product", &l->product, err) < 0 ||
        decode_cycle(v, where, "cycle", &l->cycle, err) < 0 ||
        wire_get_int(v, where, "months", WIRE_OPTIONAL, cycle_months[l->cycle], &l->months, err) <
            0 ||
        decode_options(v, where, "options", &l->options, &l->n_options, err) < 0 ||
        decode_quantity(v, where, "quantity", WIRE_REQUIRED, &l->quantity, err) < 0 ||
        wire_get_money(v, where, "unit_price", WIRE_REQUIRED, NULL, &l->unit_price, err) < 0 ||
        wire_get_money(v, where, "line_total", WIRE_REQUIRED, NULL, &l->line_total, err) < 0)
        return -1;
    cur = l->unit_price.currency;
    if (wire_get_money(v, where, "setup_fee", WIRE_OPTIONAL, cur, &l->setup_fee, err) < 0 ||
        wire_get_money(v, where, "recurring", WIRE_OPTIONAL, cur, &l->recurring, err) < 0 ||
        wire_get_bool(v, where, "available", WIRE_OPTIONAL, true, &l->available, err) < 0)
        return -1;
    if (l->months < 1 || l->months > 1200)
        return decode_fail(where, "months", "out of range", err);
    return 0;
}

static int read_quote_line(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct priced_line *l = elem;

    if (read_priced_line(v, where, l, err) < 0)
        return -1;
    l->added_at = strdup("");
    if (!l->added_at) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    return 0;
}

static int read_cart_line(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct priced_line *l = elem;

    if (read_priced_line(v, where, l, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &l->id, err) < 0 ||
        wire_get_string(v, where, "added_at", WIRE_OPTIONAL, "", &l->added_at, err) < 0)
        return -1;
    return 0;
}

/* The coupon, or null: has_coupon false. */
static int read_coupon(const cJSON *data, bool *has, struct applied_coupon *c,
                       struct client_error *err)
{
    const char *where = "data.coupon";
    const cJSON *v;

    if (wire_get_object(data, "data", "coupon", WIRE_OPTIONAL, &v, err) < 0)
        return -1;
    *has = v != NULL;
    if (!v)
        return 0;
    if (wire_get_string(v, where, "code", WIRE_REQUIRED, NULL, &c->code, err) < 0 ||
        wire_get_string(v, where, "description", WIRE_OPTIONAL, "", &c->description, err) < 0 ||
        wire_get_money(v, where, "discount", WIRE_REQUIRED, NULL, &c->discount, err) < 0 ||
        wire_get_bool(v, where, "valid", WIRE_OPTIONAL, true, &c->valid, err) < 0 ||
        wire_get_string(v, where, "invalid_reason", WIRE_OPTIONAL, "", &c->invalid_reason, err) < 0)
        return -1;
    return 0;
}

static int read_lines(const cJSON *data, wire_read_fn read, struct priced_line **lines, size_t *n,
                      struct client_error *err)
{
    const cJSON *arr;
    void *items;
    size_t count;
    int rc;

    if (wire_get_array(data, "data", "items", WIRE_REQUIRED, &arr, &count, err) < 0)
        return -1;
    rc = wire_read_items(arr, "data.items", sizeof(**lines), read, &items, n, err);
    *lines = items;
    return rc;
}

static int read_quote(const cJSON *root, const cJSON *data, void *value, struct client_error *err)
{
    struct quote *q = value;

    if (wire_expect_object(data, "data", err) < 0 ||
        decode_currency_code(data, "data", "currency", q->currency, err) < 0 ||
        read_lines(data, read_quote_line, &q->items, &q->n_items, err) < 0 ||
        read_coupon(data, &q->has_coupon, &q->coupon, err) < 0 ||
        decode_totals(data, "data", "totals", &q->totals, err) < 0)
        return -1;
    return 0;
}

static void destroy_quote(void *v)
{
    struct quote *q = v;

    quote_free(&q);
}

int decode_quote(const char *body, size_t len, struct quote **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_quote, destroy_quote, &v, err);

    *out = v;
    return rc;
}

/* The credit figures sit in totals beside the Totals fields. */
static int read_cart_credits(const cJSON *data, struct cart *c, struct client_error *err)
{
    const char *where = "data.totals", *cur = c->totals.total.currency;
    const cJSON *t;

    if (wire_get_object(data, "data", "totals", WIRE_REQUIRED, &t, err) < 0 ||
        wire_get_money(t, where, "credits_available", WIRE_OPTIONAL, cur, &c->credits_available,
                       err) < 0 ||
        wire_get_money(t, where, "credits_to_apply", WIRE_OPTIONAL, cur, &c->credits_to_apply,
                       err) < 0 ||
        wire_get_money(t, where, "due_now", WIRE_REQUIRED, NULL, &c->due_now, err) < 0)
        return -1;
    return 0;
}

static int read_cart(const cJSON *root, const cJSON *data, void *value, struct client_error *err)
{
    struct cart *c = value;

    if (wire_expect_object(data, "data", err) < 0 ||
        wire_get_int64(data, "data", "version", WIRE_REQUIRED, 0, &c->version, err) < 0 ||
        decode_currency_code(data, "data", "currency", c->currency, err) < 0 ||
        read_lines(data, read_cart_line, &c->items, &c->n_items, err) < 0 ||
        read_coupon(data, &c->has_coupon, &c->coupon, err) < 0 ||
        decode_totals(data, "data", "totals", &c->totals, err) < 0 ||
        read_cart_credits(data, c, err) < 0 ||
        wire_get_string(data, "data", "updated_at", WIRE_OPTIONAL, "", &c->updated_at, err) < 0)
        return -1;
    if (c->version < 1)
        return decode_fail("data", "version", "must be positive", err);
    /* the ETag is the version in double quotes; the response's header, when present, wins */
    snprintf(c->etag, sizeof(c->etag), "\"%" PRId64 "\"", c->version);
    return 0;
}

static void destroy_cart(void *v)
{
    struct cart *c = v;

    cart_free(&c);
}

int decode_cart(const char *body, size_t len, struct cart **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_cart, destroy_cart, &v, err);

    *out = v;
    return rc;
}
