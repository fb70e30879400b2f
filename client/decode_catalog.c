/* decode_catalog.c: the operator catalog's answers, each type described by a field table. */
#include "client/types_catalog.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/decode_shared.h"
#include "client/decode_table.h"

static int parse_cycle(const char *s, int *out)
{
    enum billing_cycle c;
    int rc = billing_cycle_parse(s, &c);
    *out = (int)c;
    return rc;
}

static int parse_model(const char *s, int *out)
{
    enum pricing_model m;
    int rc = pricing_model_parse(s, &m);
    *out = (int)m;
    return rc;
}

#define STR(type, json, member, need_)                                                             \
    {                                                                                              \
        .name = json, .kind = DT_STRING, .need = need_, .at = offsetof(type, member)               \
    }
#define NUM(type, kind_, json, member, need_, min_)                                                \
    {                                                                                              \
        .name = json, .kind = kind_, .need = need_, .at = offsetof(type, member), .min = min_      \
    }
#define FLAG(type, json, member, def_)                                                             \
    {                                                                                              \
        .name = json, .kind = DT_BOOL, .need = WIRE_OPTIONAL, .at = offsetof(type, member),        \
        .def = def_                                                                                \
    }
#define R WIRE_REQUIRED
#define O WIRE_OPTIONAL

/* A category's and a product's ETag is their version in double quotes; a response's ETag header,
 * when there is one, replaces it (endpoints_catalog.c). */
static int category_check(void *value, const char *where, struct client_error *err)
{
    struct catalog_category *c = value;
    (void)where;
    (void)err;
    snprintf(c->etag, sizeof c->etag, "\"%" PRId64 "\"", c->version);
    return 0;
}

static const struct dt_member category_fields[] = {
    NUM(struct catalog_category, DT_INT64, "id", id, R, 1),
    STR(struct catalog_category, "slug", slug, R),
    STR(struct catalog_category, "name", name, R),
    STR(struct catalog_category, "description", description, O),
    FLAG(struct catalog_category, "visible", visible, true),
    NUM(struct catalog_category, DT_INT, "sort_order", sort_order, O, INT32_MIN),
    NUM(struct catalog_category, DT_INT64, "version", version, R, 0),
    NUM(struct catalog_category, DT_INT, "product_count", product_count, O, 0),
};
static const struct dt_table category_table =
    DT_TABLE(struct catalog_category, category_fields, category_check);

static const struct dt_member resource_fields[] = {
    NUM(struct resources, DT_INT64, "memory_mb", memory_mb, O, 0),
    NUM(struct resources, DT_INT64, "disk_mb", disk_mb, O, 0),
    NUM(struct resources, DT_INT64, "cpu_percent", cpu_percent, O, 0),
    NUM(struct resources, DT_INT64, "databases", databases, O, 0),
    NUM(struct resources, DT_INT64, "backups", backups, O, 0),
    NUM(struct resources, DT_INT64, "allocations", allocations, O, 0),
};
static const struct dt_table resource_table = DT_TABLE(struct resources, resource_fields, NULL);

/* The screens step through [min, max]: a zero step or an empty range would hang or mislead them. */
static int option_check(void *value, const char *where, struct client_error *err)
{
    struct catalog_option *o = value;
    if (o->unit_size <= 0)
        return decode_fail(where, "unit_size", "must be positive", err);
    if (o->step <= 0)
        return decode_fail(where, "step", "must be positive", err);
    if (o->min > o->max)
        return decode_fail(where, "min", "must not be above max", err);
    if (o->def < o->min || o->def > o->max)
        o->def = o->min;
    return 0;
}

static const struct dt_member option_fields[] = {
    STR(struct catalog_option, "resource", resource, R),
    STR(struct catalog_option, "label", label, O),
    STR(struct catalog_option, "unit", unit, O),
    NUM(struct catalog_option, DT_INT64, "unit_size", unit_size, R, 1),
    NUM(struct catalog_option, DT_INT64, "min", min, R, 0),
    NUM(struct catalog_option, DT_INT64, "max", max, R, 0),
    NUM(struct catalog_option, DT_INT64, "step", step, R, 1),
    NUM(struct catalog_option, DT_INT64, "default", def, O, 0),
    NUM(struct catalog_option, DT_AMOUNT, "unit_price", unit_price, R, 0),
};
static const struct dt_table option_table =
    DT_TABLE(struct catalog_option, option_fields, option_check);

static int cycle_check(void *value, const char *where, struct client_error *err)
{
    struct catalog_cycle *c = value;
    if (c->price < 0)
        return decode_fail(where, "price", "must not be negative", err);
    if (c->setup_fee < 0)
        return decode_fail(where, "setup_fee", "must not be negative", err);
    return 0;
}

static const struct dt_member cycle_fields[] = {
    {.name = "cycle",
     .kind = DT_ENUM,
     .need = R,
     .at = offsetof(struct catalog_cycle, cycle),
     .parse = parse_cycle,
     .what = "billing cycle"},
    NUM(struct catalog_cycle, DT_AMOUNT, "price", price, R, 0),
    NUM(struct catalog_cycle, DT_AMOUNT, "setup_fee", setup_fee, O, 0),
};
static const struct dt_table cycle_table =
    DT_TABLE(struct catalog_cycle, cycle_fields, cycle_check);

static const struct dt_member stock_fields[] = {
    FLAG(struct stock, "limited", limited, false),
    NUM(struct stock, DT_INT64, "available", available, O, 0),
};
static const struct dt_table stock_table = DT_TABLE(struct stock, stock_fields, NULL);

static int product_check(void *value, const char *where, struct client_error *err)
{
    struct catalog_product *p = value;
    if (p->n_cycles == 0)
        return decode_fail(where, "cycles", "a product has at least one cycle", err);
    snprintf(p->etag, sizeof p->etag, "\"%" PRId64 "\"", p->version);
    return 0;
}

static const struct dt_member product_fields[] = {
    NUM(struct catalog_product, DT_INT64, "id", id, R, 1),
    NUM(struct catalog_product, DT_INT64, "category_id", category_id, R, 1),
    STR(struct catalog_product, "category", category, O),
    STR(struct catalog_product, "slug", slug, R),
    STR(struct catalog_product, "name", name, R),
    STR(struct catalog_product, "short_description", short_description, O),
    STR(struct catalog_product, "description", description, O),
    {.name = "pricing_model",
     .kind = DT_ENUM,
     .need = R,
     .at = offsetof(struct catalog_product, pricing_model),
     .parse = parse_model,
     .what = "pricing model"},
    {.name = "resources",
     .kind = DT_OBJECT,
     .need = O,
     .at = offsetof(struct catalog_product, resources),
     .sub = &resource_table},
    {.name = "options",
     .kind = DT_ARRAY,
     .need = O,
     .at = offsetof(struct catalog_product, options),
     .sub = &option_table,
     .count_at = offsetof(struct catalog_product, n_options)},
    {.name = "cycles",
     .kind = DT_ARRAY,
     .need = R,
     .at = offsetof(struct catalog_product, cycles),
     .sub = &cycle_table,
     .count_at = offsetof(struct catalog_product, n_cycles)},
    {.name = "stock",
     .kind = DT_OBJECT,
     .need = O,
     .at = offsetof(struct catalog_product, stock),
     .sub = &stock_table},
    FLAG(struct catalog_product, "visible", visible, true),
    FLAG(struct catalog_product, "retired", retired, false),
    NUM(struct catalog_product, DT_INT, "sort_order", sort_order, O, INT32_MIN),
    NUM(struct catalog_product, DT_INT64, "version", version, R, 0),
    NUM(struct catalog_product, DT_INT, "services", services, O, 0),
};
static const struct dt_table product_table =
    DT_TABLE(struct catalog_product, product_fields, product_check);

static const struct dt_member change_fields[] = {
    NUM(struct price_change, DT_INT64, "service_id", service_id, R, 1),
    NUM(struct price_change, DT_AMOUNT, "before", before, R, 0),
    NUM(struct price_change, DT_AMOUNT, "after", after, R, 0),
};
static const struct dt_table change_table = DT_TABLE(struct price_change, change_fields, NULL);

static const struct dt_member skip_fields[] = {
    NUM(struct price_skip, DT_INT64, "service_id", service_id, R, 1),
    STR(struct price_skip, "why", why, O),
};
static const struct dt_table skip_table = DT_TABLE(struct price_skip, skip_fields, NULL);

static const struct dt_member apply_fields[] = {
    {.name = "changed",
     .kind = DT_ARRAY,
     .need = O,
     .at = offsetof(struct apply_prices_result, changed),
     .sub = &change_table,
     .count_at = offsetof(struct apply_prices_result, n_changed)},
    NUM(struct apply_prices_result, DT_INT, "unchanged", unchanged, O, 0),
    {.name = "skipped",
     .kind = DT_ARRAY,
     .need = O,
     .at = offsetof(struct apply_prices_result, skipped),
     .sub = &skip_table,
     .count_at = offsetof(struct apply_prices_result, n_skipped)},
};
static const struct dt_table apply_table = DT_TABLE(struct apply_prices_result, apply_fields, NULL);

/* ---- decoders ---- */

int decode_catalog_category(const char *body, size_t len, struct catalog_category **out,
                            struct client_error *err)
{
    void *v;
    int rc = dt_decode(body, len, &category_table, &v, err);
    *out = v;
    return rc;
}

int decode_catalog_categories(const char *body, size_t len, struct catalog_category_list **out,
                              struct client_error *err)
{
    struct catalog_category_list *l;
    void *items;

    *out = NULL;
    if (!(l = calloc(1, sizeof *l))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    if (dt_decode_list(body, len, &category_table, &items, &l->n, NULL, err) < 0) {
        free(l);
        return -1;
    }
    l->items = items;
    *out = l;
    return 0;
}

int decode_catalog_product(const char *body, size_t len, struct catalog_product **out,
                           struct client_error *err)
{
    void *v;
    int rc = dt_decode(body, len, &product_table, &v, err);
    *out = v;
    return rc;
}

int decode_catalog_products(const char *body, size_t len, struct catalog_product_page **out,
                            struct client_error *err)
{
    struct catalog_product_page *pg;
    void *items;

    *out = NULL;
    if (!(pg = calloc(1, sizeof *pg))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    if (dt_decode_list(body, len, &product_table, &items, &pg->n, &pg->meta, err) < 0) {
        free(pg);
        return -1;
    }
    pg->items = items;
    *out = pg;
    return 0;
}

int decode_apply_prices(const char *body, size_t len, struct apply_prices_result **out,
                        struct client_error *err)
{
    void *v;
    int rc = dt_decode(body, len, &apply_table, &v, err);
    *out = v;
    return rc;
}

/* ---- free functions ---- */

void catalog_category_free(struct catalog_category **c)
{
    if (!c || !*c)
        return;
    dt_clear(&category_table, *c);
    free(*c);
    *c = NULL;
}

void catalog_category_list_free(struct catalog_category_list **l)
{
    if (!l || !*l)
        return;
    dt_free_items(&category_table, (*l)->items, (*l)->n);
    free(*l);
    *l = NULL;
}

void catalog_product_clear(struct catalog_product *p)
{
    dt_clear(&product_table, p);
}

void catalog_product_free(struct catalog_product **p)
{
    if (!p || !*p)
        return;
    dt_clear(&product_table, *p);
    free(*p);
    *p = NULL;
}

void catalog_product_page_free(struct catalog_product_page **p)
{
    if (!p || !*p)
        return;
    dt_free_items(&product_table, (*p)->items, (*p)->n);
    free(*p);
    *p = NULL;
}

void apply_prices_result_free(struct apply_prices_result **r)
{
    if (!r || !*r)
        return;
    dt_clear(&apply_table, *r);
    free(*r);
    *r = NULL;
}
