/* decode_product.c: response bodies to products and product pages. */
#include "client/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode_shared.h"
#include "client/wire.h"

/* Months of each cycle when the server leaves them out; one_time prices options for one month. */
static const int cycle_months[CYCLE_COUNT] = {
    [CYCLE_ONE_TIME] = 1,    [CYCLE_MONTHLY] = 1, [CYCLE_QUARTERLY] = 3,
    [CYCLE_SEMI_ANNUAL] = 6, [CYCLE_ANNUAL] = 12, [CYCLE_BIENNIAL] = 24,
};

static int fail_value(const char *where, const char *name, const char *what,
                      struct client_error *err)
{
    char path[WIRE_PATH_MAX];

    client_error_set(err, CLIENT_ERR_JSON, "field %s: %s", wire_path_member(path, where, name),
                     what);
    return -1;
}

static int read_cycle_name(const cJSON *obj, const char *where, const char *name,
                           enum wire_need need, enum billing_cycle def, enum billing_cycle *out,
                           struct client_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    char *s = NULL;
    int rc = 0;

    *out = def;
    if (need == WIRE_OPTIONAL && (!v || cJSON_IsNull(v)))
        return 0;
    if (wire_get_string(obj, where, name, WIRE_REQUIRED, NULL, &s, err) < 0)
        return -1;
    if (billing_cycle_parse(s, out) < 0)
        rc = fail_value(where, name, "unknown billing cycle", err);
    free(s);
    return rc;
}

/* The screens step through [min, max]: a zero step or an empty range would hang or mislead them. */
static int read_option(const cJSON *v, const char *where, struct product_option *o,
                       struct client_error *err)
{
    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_string(v, where, "resource", WIRE_REQUIRED, NULL, &o->resource, err) < 0 ||
        wire_get_string(v, where, "label", WIRE_OPTIONAL, o->resource, &o->label, err) < 0 ||
        wire_get_string(v, where, "unit", WIRE_OPTIONAL, "", &o->unit, err) < 0 ||
        wire_get_int64(v, where, "unit_size", WIRE_REQUIRED, 0, &o->unit_size, err) < 0 ||
        wire_get_int64(v, where, "min", WIRE_REQUIRED, 0, &o->min, err) < 0 ||
        wire_get_int64(v, where, "max", WIRE_REQUIRED, 0, &o->max, err) < 0 ||
        wire_get_int64(v, where, "step", WIRE_REQUIRED, 0, &o->step, err) < 0 ||
        wire_get_int64(v, where, "default", WIRE_OPTIONAL, o->min, &o->def, err) < 0 ||
        wire_get_money(v, where, "unit_price", WIRE_REQUIRED, NULL, &o->unit_price, err) < 0)
        return -1;
    if (o->unit_size <= 0)
        return fail_value(where, "unit_size", "must be positive", err);
    if (o->step <= 0)
        return fail_value(where, "step", "must be positive", err);
    if (o->min < 0 || o->min > o->max)
        return fail_value(where, "min", "must be between 0 and max", err);
    if (o->def < o->min || o->def > o->max)
        return fail_value(where, "default", "must be between min and max", err);
    return 0;
}

static int read_cycle(const cJSON *v, const char *where, struct product_cycle *c,
                      struct client_error *err)
{
    if (wire_expect_object(v, where, err) < 0 ||
        read_cycle_name(v, where, "cycle", WIRE_REQUIRED, CYCLE_MONTHLY, &c->cycle, err) < 0 ||
        wire_get_int(v, where, "months", WIRE_OPTIONAL, cycle_months[c->cycle], &c->months, err) <
            0 ||
        wire_get_money(v, where, "price", WIRE_REQUIRED, NULL, &c->price, err) < 0 ||
        wire_get_money(v, where, "setup_fee", WIRE_OPTIONAL, c->price.currency, &c->setup_fee,
                       err) < 0)
        return -1;
    if (c->months < 1 || c->months > 1200)
        return fail_value(where, "months", "out of range", err);
    return 0;
}

static int read_options(const cJSON *obj, const char *where, struct product *p,
                        struct client_error *err)
{
    char path[WIRE_PATH_MAX], base[WIRE_PATH_MAX];
    const cJSON *arr, *v;
    size_t n;

    if (wire_get_array(obj, where, "options", WIRE_OPTIONAL, &arr, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    p->options = calloc(n, sizeof(*p->options));
    if (!p->options) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    wire_path_member(base, where, "options");
    cJSON_ArrayForEach(v, arr)
    {
        struct product_option *o = &p->options[p->n_options++];

        if (read_option(v, wire_path_index(path, base, p->n_options - 1), o, err) < 0)
            return -1;
    }
    return 0;
}

static int read_cycles(const cJSON *obj, const char *where, struct product *p,
                       struct client_error *err)
{
    char path[WIRE_PATH_MAX], base[WIRE_PATH_MAX];
    const cJSON *arr, *v;
    size_t n;

    if (wire_get_array(obj, where, "cycles", WIRE_REQUIRED, &arr, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    p->cycles = calloc(n, sizeof(*p->cycles));
    if (!p->cycles) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    wire_path_member(base, where, "cycles");
    cJSON_ArrayForEach(v, arr)
    {
        struct product_cycle *cy = &p->cycles[p->n_cycles];

        if (read_cycle(v, wire_path_index(path, base, p->n_cycles), cy, err) < 0)
            return -1;
        p->n_cycles++;
    }
    return 0;
}

static int read_stock(const cJSON *obj, const char *where, struct stock *s,
                      struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *st;

    s->limited = false;
    s->available = 0;
    if (wire_get_object(obj, where, "stock", WIRE_OPTIONAL, &st, err) < 0)
        return -1;
    wire_path_member(path, where, "stock");
    /* "available" is null when stock is unlimited */
    if (wire_get_bool(st, path, "limited", WIRE_OPTIONAL, false, &s->limited, err) < 0 ||
        wire_get_int64(st, path, "available", WIRE_OPTIONAL, 0, &s->available, err) < 0)
        return -1;
    return 0;
}

static int read_product(const cJSON *v, const char *where, struct product *p,
                        struct client_error *err)
{
    char *model = NULL;
    const struct product_cycle *first;
    const cJSON *from;
    int rc = -1;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &p->id, err) < 0 ||
        wire_get_string(v, where, "slug", WIRE_REQUIRED, NULL, &p->slug, err) < 0 ||
        wire_get_string(v, where, "name", WIRE_REQUIRED, NULL, &p->name, err) < 0 ||
        wire_get_int64(v, where, "category_id", WIRE_OPTIONAL, 0, &p->category_id, err) < 0 ||
        wire_get_string(v, where, "category_slug", WIRE_OPTIONAL, "", &p->category_slug, err) < 0 ||
        wire_get_string(v, where, "short_description", WIRE_OPTIONAL, "", &p->short_description,
                        err) < 0 ||
        wire_get_string(v, where, "description", WIRE_OPTIONAL, "", &p->description, err) < 0 ||
        decode_resources(v, where, &p->resources, err) < 0 ||
        wire_get_string(v, where, "pricing_model", WIRE_REQUIRED, NULL, &model, err) < 0)
        goto done;
    if (pricing_model_parse(model, &p->pricing_model) < 0) {
        fail_value(where, "pricing_model", "unknown pricing model", err);
        goto done;
    }
    if (read_options(v, where, p, err) < 0 || read_cycles(v, where, p, err) < 0)
        goto done;
    /* Without from_* the first cycle stands in, so a list can always show a price. */
    first = p->n_cycles ? &p->cycles[0] : NULL;
    if (wire_get_money(v, where, "from_price", WIRE_OPTIONAL, first ? first->price.currency : "",
                       &p->from_price, err) < 0 ||
        read_cycle_name(v, where, "from_cycle", WIRE_OPTIONAL, first ? first->cycle : CYCLE_MONTHLY,
                        &p->from_cycle, err) < 0 ||
        read_stock(v, where, &p->stock, err) < 0)
        goto done;
    from = cJSON_GetObjectItemCaseSensitive(v, "from_price");
    if (first && (!from || cJSON_IsNull(from)))
        p->from_price = first->price;
    rc = 0;
done:
    free(model);
    return rc;
}

int decode_product(const char *body, size_t len, struct product **out, struct client_error *err)
{
    struct product *p = NULL;
    const cJSON *data;
    cJSON *root;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    p = calloc(1, sizeof(*p));
    if (!p) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        goto done;
    }
    if (read_product(data, "data", p, err) < 0)
        goto done;
    *out = p;
    p = NULL;
    rc = 0;
done:
    product_free(&p);
    cJSON_Delete(root);
    return rc;
}

static int read_product_item(const cJSON *v, const char *where, void *elem,
                             struct client_error *err)
{
    return read_product(v, where, elem, err);
}

int decode_products(const char *body, size_t len, struct product_page **out,
                    struct client_error *err)
{
    struct product_page *pg = NULL;
    const cJSON *data;
    cJSON *root;
    void *items;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    pg = calloc(1, sizeof(*pg));
    if (!pg) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        goto done;
    }
    rc = wire_read_items(data, "data", sizeof(*pg->items), read_product_item, &items, &pg->n, err);
    pg->items = items;
    if (rc < 0 || (rc = decode_meta(root, pg->n, &pg->meta, err)) < 0)
        goto done;
    *out = pg;
    pg = NULL;
    rc = 0;
done:
    product_page_free(&pg);
    cJSON_Delete(root);
    return rc;
}
