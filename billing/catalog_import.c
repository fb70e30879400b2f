/* catalog_import.c: validates a catalog document and inserts its categories and products. */
#include "billing/catalog_import.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/pricing.h"
#include "billing/settings.h"
#include "billing/text.h"

#define MAX_OPTIONS 6
#define MAX_CYCLES  6
#define MAX_SLUG    64

static const char *const import_resources[MAX_OPTIONS] = {"memory_mb", "disk_mb", "cpu_percent",
                                                          "databases", "backups", "allocations"};

struct import {
    sqlite3 *conn;
    char *err;
    size_t errsz;
    char where[96]; /* "categories[1].products[2]" */
};

__attribute__((format(printf, 2, 3))) static int import_fail(struct import *im, const char *fmt,
                                                             ...)
{
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(im->err, im->errsz, "%s%s%s", im->where, *im->where ? ": " : "", what);
    return -1;
}

/* A required non-empty string member (or optional, yielding ""). */
static const char *import_string(struct import *im, const cJSON *obj, const char *key,
                                 bool required)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!item && !required)
        return "";
    if (!cJSON_IsString(item) || (required && !*item->valuestring)) {
        import_fail(im, "%s must be a non-empty string", key);
        return NULL;
    }
    return item->valuestring;
}

/* A non-negative integer member; `fallback` when absent (-1: required). */
static int import_int(struct import *im, const cJSON *obj, const char *key, int64_t fallback,
                      int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!item && fallback >= 0) {
        *out = fallback;
        return 0;
    }
    if (!json_get_int(item, out) || *out < 0)
        return import_fail(im, "%s must be a non-negative integer", key);
    return 0;
}

static int import_resource_index(const char *name)
{
    for (int i = 0; i < MAX_OPTIONS; i++)
        if (strcmp(name, import_resources[i]) == 0)
            return i;
    return -1;
}

static int import_step(struct import *im, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return import_fail(im, "%s", sqlite3_errmsg(im->conn));
    return 0;
}

/* Checks the options against the pricing model and stores them; res gets the defaults. */
static int import_options(struct import *im, const cJSON *product, int64_t product_id,
                          const char *model, int64_t res[MAX_OPTIONS], struct price_option *opts,
                          size_t *n_opts)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(product, "options");
    const cJSON *o;
    sqlite3_stmt *st = NULL;
    bool seen[MAX_OPTIONS] = {false};
    int rc = -1;

    *n_opts = 0;
    if (list && !cJSON_IsArray(list))
        return import_fail(im, "options must be an array");
    st = db_prepare(im->conn, "INSERT INTO product_options(product_id, resource, label, unit,"
                              " unit_size, min_value, max_value, step, default_value, unit_price,"
                              " sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return import_fail(im, "%s", sqlite3_errmsg(im->conn));
    cJSON_ArrayForEach(o, list)
    {
        struct price_option po;
        const char *resource = import_string(im, o, "resource", true);
        const char *label = resource ? import_string(im, o, "label", true) : NULL;
        const char *unit = label ? import_string(im, o, "unit", true) : NULL;
        char echo[40];
        int idx;

        if (!unit)
            goto done;
        idx = import_resource_index(resource);
        if (idx < 0 || seen[idx]) {
            import_fail(im, "option resource '%s' is unknown or repeated",
                        text_echo(resource, echo, sizeof echo));
            goto done;
        }
        seen[idx] = true;
        if (import_int(im, o, "unit_size", -1, &po.unit_size) ||
            import_int(im, o, "min", -1, &po.min) || import_int(im, o, "max", -1, &po.max) ||
            import_int(im, o, "step", -1, &po.step) || import_int(im, o, "default", -1, &po.def) ||
            import_int(im, o, "unit_price", -1, &po.unit_price))
            goto done;
        if (!pricing_option_valid(&po)) {
            import_fail(im,
                        "option %s: need min <= default <= max on whole steps, with min and "
                        "step multiples of unit_size",
                        import_resources[idx]);
            goto done;
        }
        res[idx] = po.def;
        opts[(*n_opts)++] = po;
        sqlite3_bind_int64(st, 1, product_id);
        sqlite3_bind_text(st, 2, resource, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, label, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, unit, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 5, po.unit_size);
        sqlite3_bind_int64(st, 6, po.min);
        sqlite3_bind_int64(st, 7, po.max);
        sqlite3_bind_int64(st, 8, po.step);
        sqlite3_bind_int64(st, 9, po.def);
        sqlite3_bind_int64(st, 10, po.unit_price);
        sqlite3_bind_int64(st, 11, (int64_t)*n_opts);
        if (import_step(im, st))
            goto done;
    }
    /* The model says which options make sense; anything else is a catalog mistake. */
    if (strcmp(model, "fixed") == 0 && *n_opts != 0)
        import_fail(im, "a fixed product has no options");
    else if (strcmp(model, "per_gb_memory") == 0 && (*n_opts != 1 || !seen[0]))
        import_fail(im, "a per_gb_memory product has exactly one memory_mb option");
    else if (strcmp(model, "per_gb_disk") == 0 && (*n_opts != 1 || !seen[1]))
        import_fail(im, "a per_gb_disk product has exactly one disk_mb option");
    else if (strcmp(model, "configurable") == 0 && *n_opts == 0)
        import_fail(im, "a configurable product has at least one option");
    else
        rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

static int import_cycles(struct import *im, const cJSON *product, int64_t product_id,
                         struct price_cycle *cycles, size_t *n_cycles)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(product, "cycles");
    const cJSON *c;
    sqlite3_stmt *st;
    bool seen[MAX_CYCLES] = {false};
    int rc = -1;

    *n_cycles = 0;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return import_fail(im, "cycles must be a non-empty array");
    st = db_prepare(im->conn, "INSERT INTO product_cycles(product_id, cycle, months, price,"
                              " setup_fee) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return import_fail(im, "%s", sqlite3_errmsg(im->conn));
    cJSON_ArrayForEach(c, list)
    {
        char echo[40];
        const char *name = import_string(im, c, "cycle", true);
        int rank = name ? pricing_cycle_rank(name) : -1;
        struct price_cycle pc;

        if (!name)
            goto done;
        if (rank < 0 || seen[rank]) {
            import_fail(im, "cycle '%s' is unknown or repeated",
                        text_echo(name, echo, sizeof echo));
            goto done;
        }
        seen[rank] = true;
        pc.months = pricing_cycle_months(name);
        if (import_int(im, c, "price", -1, &pc.price) ||
            import_int(im, c, "setup_fee", 0, &pc.setup_fee))
            goto done;
        cycles[(*n_cycles)++] = pc;
        sqlite3_bind_int64(st, 1, product_id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, pc.months);
        sqlite3_bind_int64(st, 4, pc.price);
        sqlite3_bind_int64(st, 5, pc.setup_fee);
        if (import_step(im, st))
            goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

/* Stock: absent means unlimited. Returns 0 and sets limited/available. */
static int import_stock(struct import *im, const cJSON *product, bool *limited, int64_t *available)
{
    const cJSON *stock = cJSON_GetObjectItemCaseSensitive(product, "stock");
    const cJSON *lim = cJSON_GetObjectItemCaseSensitive(stock, "limited");

    *limited = false;
    *available = 0;
    if (!stock)
        return 0;
    if (!cJSON_IsObject(stock) || !cJSON_IsBool(lim))
        return import_fail(im, "stock must be {\"limited\": bool, \"available\": n}");
    *limited = cJSON_IsTrue(lim);
    return *limited ? import_int(im, stock, "available", -1, available) : 0;
}

static int import_product(struct import *im, const cJSON *p, int64_t category_id, int sort)
{
    static const char *const models[] = {"fixed", "per_gb_memory", "per_gb_disk", "configurable"};
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(p, "resources");
    struct price_option opts[MAX_OPTIONS];
    struct price_cycle cycles[MAX_CYCLES];
    size_t n_opts = 0, n_cycles = 0, from_i;
    int64_t res[MAX_OPTIONS], available, from, product_id;
    const char *slug, *name, *short_desc, *desc, *model;
    bool limited, model_ok = false;
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (!cJSON_IsObject(p))
        return import_fail(im, "a product must be an object");
    if (!(slug = import_string(im, p, "slug", true)) ||
        !(name = import_string(im, p, "name", true)) ||
        !(short_desc = import_string(im, p, "short_description", false)) ||
        !(desc = import_string(im, p, "description", false)) ||
        !(model = import_string(im, p, "pricing_model", true)))
        return -1;
    if (strlen(slug) > MAX_SLUG || strchr(slug, '/'))
        return import_fail(im, "slug must be at most %d bytes and hold no '/'", MAX_SLUG);
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        model_ok |= strcmp(model, models[i]) == 0;
    if (!model_ok)
        return import_fail(
            im, "pricing_model must be fixed, per_gb_memory, per_gb_disk or configurable");
    if (resources && !cJSON_IsObject(resources))
        return import_fail(im, "resources must be an object");
    for (int i = 0; i < MAX_OPTIONS; i++)
        if (import_int(im, resources, import_resources[i], 0, &res[i]))
            return -1;
    if (import_stock(im, p, &limited, &available))
        return -1;

    st = db_prepare(im->conn, "INSERT INTO products(category_id, slug, name, short_description,"
                              " description, pricing_model, sort_order, stock_limited,"
                              " stock_available) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return import_fail(im, "%s", sqlite3_errmsg(im->conn));
    sqlite3_bind_int64(st, 1, category_id);
    sqlite3_bind_text(st, 2, slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, short_desc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, desc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, model, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 7, sort);
    sqlite3_bind_int(st, 8, limited);
    if (limited)
        sqlite3_bind_int64(st, 9, available);
    if (sqlite3_step(st) != SQLITE_DONE) {
        import_fail(im, "cannot store the product (is the slug unique?): %s",
                    sqlite3_errmsg(im->conn));
        goto done;
    }
    product_id = sqlite3_last_insert_rowid(im->conn);
    sqlite3_finalize(st);
    st = NULL;

    /* Options set the default configuration, which is what `resources` shows. */
    if (import_options(im, p, product_id, model, res, opts, &n_opts) ||
        import_cycles(im, p, product_id, cycles, &n_cycles))
        goto done;
    if (pricing_from(cycles, n_cycles, opts, n_opts, &from, &from_i) != PRICING_OK) {
        import_fail(im, "prices overflow");
        goto done;
    }
    st = db_prepare(im->conn, "UPDATE products SET memory_mb = ?, disk_mb = ?, cpu_percent = ?,"
                              " databases = ?, backups = ?, allocations = ? WHERE id = ?");
    if (!st)
        goto done;
    for (int i = 0; i < MAX_OPTIONS; i++)
        sqlite3_bind_int64(st, i + 1, res[i]);
    sqlite3_bind_int64(st, 7, product_id);
    rc = import_step(im, st);
done:
    sqlite3_finalize(st);
    return rc;
}

static int import_category(struct import *im, const cJSON *c, int sort)
{
    const cJSON *products = cJSON_GetObjectItemCaseSensitive(c, "products");
    const cJSON *p;
    const char *slug, *name, *desc;
    sqlite3_stmt *st;
    int64_t id;
    int i = 0, rc;
    size_t len;

    if (!cJSON_IsObject(c))
        return import_fail(im, "a category must be an object");
    if (!(slug = import_string(im, c, "slug", true)) ||
        !(name = import_string(im, c, "name", true)) ||
        !(desc = import_string(im, c, "description", false)))
        return -1;
    if (strlen(slug) > MAX_SLUG || strchr(slug, '/'))
        return import_fail(im, "slug must be at most %d bytes and hold no '/'", MAX_SLUG);
    if (products && !cJSON_IsArray(products))
        return import_fail(im, "products must be an array");
    st = db_prepare(
        im->conn,
        "INSERT INTO categories(slug, name, description, sort_order) VALUES (?, ?, ?, ?)");
    if (!st)
        return import_fail(im, "%s", sqlite3_errmsg(im->conn));
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, desc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, sort);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return import_fail(im, "cannot store category (is the slug unique?): %s",
                           sqlite3_errmsg(im->conn));
    id = sqlite3_last_insert_rowid(im->conn);
    len = strlen(im->where);
    cJSON_ArrayForEach(p, products)
    {
        snprintf(im->where + len, sizeof im->where - len, ".products[%d]", i);
        if (import_product(im, p, id, i++))
            return -1;
    }
    im->where[len] = '\0';
    return 0;
}

int catalog_import(sqlite3 *conn, const char *json, size_t len, char *err, size_t errsz)
{
    struct import im = {.conn = conn, .err = err, .errsz = errsz};
    cJSON *root = json_parse_exact(json, len);
    const cJSON *categories = cJSON_GetObjectItemCaseSensitive(root, "categories");
    const cJSON *c;
    int i = 0, rc = -1;

    if (!root) {
        import_fail(&im, text_utf8_valid(json, len) ? "not valid JSON" : "not valid UTF-8");
        goto done;
    }
    if (settings_import(conn, cJSON_GetObjectItemCaseSensitive(root, "settings"), err, errsz))
        goto done;
    if (!cJSON_IsArray(categories)) {
        import_fail(&im, "the document needs a \"categories\" array");
        goto done;
    }
    cJSON_ArrayForEach(c, categories)
    {
        snprintf(im.where, sizeof im.where, "categories[%d]", i);
        if (import_category(&im, c, i++))
            goto done;
    }
    rc = 0;
done:
    cJSON_Delete(root);
    return rc;
}
