/* decode_catalog.c: the operator catalog's answers, each type described by a field table. */
#include "client/types_catalog.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/decode_shared.h"
#include "client/record_json.h"

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

#define STR(type, json, member, flags) REC_FIELD(type, json, REC_STRING, flags, member)
#define NUM(type, kind_, json, member, need_, min_)                                                \
    {                                                                                              \
        .name = json, .kind = kind_, .flags = (need_) | REC_MIN, .offset = offsetof(type, member), \
        .min = min_                                                                                \
    }
#define FLAG(type, json, member, def_)                                                             \
    {                                                                                              \
        .name = json, .kind = REC_BOOL, .offset = offsetof(type, member), .def = def_              \
    }
#define R REC_REQUIRED
#define O 0

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

static const struct record_field category_fields[] = {
    NUM(struct catalog_category, REC_INT64, "id", id, R, 1),
    STR(struct catalog_category, "slug", slug, R),
    STR(struct catalog_category, "name", name, R),
    STR(struct catalog_category, "description", description, O),
    FLAG(struct catalog_category, "visible", visible, true),
    NUM(struct catalog_category, REC_INT, "sort_order", sort_order, O, INT32_MIN),
    NUM(struct catalog_category, REC_INT64, "version", version, R, 0),
    NUM(struct catalog_category, REC_INT, "product_count", product_count, O, 0),
};
static const struct record_table category_table =
    RECORD_TABLE(struct catalog_category, category_fields, category_check);

static const struct record_field resource_fields[] = {
    NUM(struct resources, REC_INT64, "memory_mb", memory_mb, O, 0),
    NUM(struct resources, REC_INT64, "disk_mb", disk_mb, O, 0),
    NUM(struct resources, REC_INT64, "cpu_percent", cpu_percent, O, 0),
    NUM(struct resources, REC_INT64, "databases", databases, O, 0),
    NUM(struct resources, REC_INT64, "backups", backups, O, 0),
    NUM(struct resources, REC_INT64, "allocations", allocations, O, 0),
};
static const struct record_table resource_table =
    RECORD_TABLE(struct resources, resource_fields, NULL);

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

static const struct record_field option_fields[] = {
    STR(struct catalog_option, "resource", resource, R),
    STR(struct catalog_option, "label", label, O),
    STR(struct catalog_option, "unit", unit, O),
    NUM(struct catalog_option, REC_INT64, "unit_size", unit_size, R, 1),
    NUM(struct catalog_option, REC_INT64, "min", min, R, 0),
    NUM(struct catalog_option, REC_INT64, "max", max, R, 0),
    NUM(struct catalog_option, REC_INT64, "step", step, R, 1),
    NUM(struct catalog_option, REC_INT64, "default", def, O, 0),
    NUM(struct catalog_option, REC_AMOUNT, "unit_price", unit_price, R, 0),
};
static const struct record_table option_table =
    RECORD_TABLE(struct catalog_option, option_fields, option_check);

static int cycle_check(void *value, const char *where, struct client_error *err)
{
    struct catalog_cycle *c = value;
    if (c->price < 0)
        return decode_fail(where, "price", "must not be negative", err);
    if (c->setup_fee < 0)
        return decode_fail(where, "setup_fee", "must not be negative", err);
    return 0;
}

static const struct record_field cycle_fields[] = {
    {.name = "cycle",
     .kind = REC_ENUM,
     .flags = R,
     .offset = offsetof(struct catalog_cycle, cycle),
     .parse = parse_cycle,
     .what = "billing cycle"},
    NUM(struct catalog_cycle, REC_AMOUNT, "price", price, R, 0),
    NUM(struct catalog_cycle, REC_AMOUNT, "setup_fee", setup_fee, O, 0),
};
static const struct record_table cycle_table =
    RECORD_TABLE(struct catalog_cycle, cycle_fields, cycle_check);

static const struct record_field stock_fields[] = {
    FLAG(struct stock, "limited", limited, false),
    NUM(struct stock, REC_INT64, "available", available, O, 0),
};
static const struct record_table stock_table = RECORD_TABLE(struct stock, stock_fields, NULL);

static int product_check(void *value, const char *where, struct client_error *err)
{
    struct catalog_product *p = value;
    if (p->n_cycles == 0)
        return decode_fail(where, "cycles", "a product has at least one cycle", err);
    snprintf(p->etag, sizeof p->etag, "\"%" PRId64 "\"", p->version);
    return 0;
}

static const struct record_field product_fields[] = {
    NUM(struct catalog_product, REC_INT64, "id", id, R, 1),
    NUM(struct catalog_product, REC_INT64, "category_id", category_id, R, 1),
    STR(struct catalog_product, "category", category, O),
    STR(struct catalog_product, "slug", slug, R),
    STR(struct catalog_product, "name", name, R),
    STR(struct catalog_product, "short_description", short_description, O),
    STR(struct catalog_product, "description", description, O),
    {.name = "pricing_model",
     .kind = REC_ENUM,
     .flags = R,
     .offset = offsetof(struct catalog_product, pricing_model),
     .parse = parse_model,
     .what = "pricing model"},
    {.name = "resources",
     .kind = REC_OBJECT,
     .flags = O,
     .offset = offsetof(struct catalog_product, resources),
     .sub = &resource_table},
    REC_ARRAY_FIELD(struct catalog_product, "options", O, options, n_options, &option_table),
    REC_ARRAY_FIELD(struct catalog_product, "cycles", R, cycles, n_cycles, &cycle_table),
    {.name = "stock",
     .kind = REC_OBJECT,
     .flags = O,
     .offset = offsetof(struct catalog_product, stock),
     .sub = &stock_table},
    FLAG(struct catalog_product, "visible", visible, true),
    FLAG(struct catalog_product, "retired", retired, false),
    NUM(struct catalog_product, REC_INT, "sort_order", sort_order, O, INT32_MIN),
    NUM(struct catalog_product, REC_INT64, "version", version, R, 0),
    NUM(struct catalog_product, REC_INT, "services", services, O, 0),
};
static const struct record_table product_table =
    RECORD_TABLE(struct catalog_product, product_fields, product_check);

static const struct record_field change_fields[] = {
    NUM(struct price_change, REC_INT64, "service_id", service_id, R, 1),
    NUM(struct price_change, REC_AMOUNT, "before", before, R, 0),
    NUM(struct price_change, REC_AMOUNT, "after", after, R, 0),
};
static const struct record_table change_table =
    RECORD_TABLE(struct price_change, change_fields, NULL);

static const struct record_field skip_fields[] = {
    NUM(struct price_skip, REC_INT64, "service_id", service_id, R, 1),
    STR(struct price_skip, "why", why, O),
};
static const struct record_table skip_table = RECORD_TABLE(struct price_skip, skip_fields, NULL);

static const struct record_field apply_fields[] = {
    REC_ARRAY_FIELD(struct apply_prices_result, "changed", O, changed, n_changed, &change_table),
    NUM(struct apply_prices_result, REC_INT, "unchanged", unchanged, O, 0),
    REC_ARRAY_FIELD(struct apply_prices_result, "skipped", O, skipped, n_skipped, &skip_table),
};
static const struct record_table apply_table =
    RECORD_TABLE(struct apply_prices_result, apply_fields, NULL);

/* ---- decoders ---- */

RECORD_DECODER(decode_catalog_category, struct catalog_category, &category_table)
RECORD_LIST_DECODER(decode_catalog_categories, struct catalog_category_list, &category_table, none)
RECORD_DECODER(decode_catalog_product, struct catalog_product, &product_table)
RECORD_LIST_DECODER(decode_catalog_products, struct catalog_product_page, &product_table, meta)
RECORD_DECODER(decode_apply_prices, struct apply_prices_result, &apply_table)

/* ---- free functions ---- */

RECORD_FREER(catalog_category_free, struct catalog_category, &category_table)

RECORD_LIST_FREER(catalog_category_list_free, struct catalog_category_list, &category_table)

void catalog_product_clear(struct catalog_product *p)
{
    record_clear(&product_table, p);
}

RECORD_FREER(catalog_product_free, struct catalog_product, &product_table)

RECORD_LIST_FREER(catalog_product_page_free, struct catalog_product_page, &product_table)

RECORD_FREER(apply_prices_result_free, struct apply_prices_result, &apply_table)
