/* catalog_store_write.c: a category or product object of the catalog document checked by the
 * --catalog file's rules and written to the database, its version bumped only when it changed. */
#include "billing/catalog_store.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "billing/catalog_store_doc.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/pricing.h"
#include "billing/text.h"

#define MAX_CYCLES 6
#define MAX_SLUG   64

struct store_option {
    const char *resource, *label, *unit;
    struct price_option po;
};

struct store_cycle {
    const char *name;
    int rank;
    struct price_cycle pc;
};

/* A product object, checked; strings point into the object. */
struct store_product {
    const char *slug, *name, *short_desc, *desc, *model;
    int64_t res[CATALOG_DOC_RESOURCES];
    struct store_option opts[CATALOG_DOC_RESOURCES];
    size_t n_opts;
    struct store_cycle cycles[MAX_CYCLES]; /* in pricing_cycle_rank() order */
    size_t n_cycles;
    bool limited, visible, retired;
    int64_t available;
};

__attribute__((format(printf, 3, 4))) static int store_fail(char *err, size_t errsz,
                                                            const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
    return -1;
}

/* A required non-empty string member (or optional, yielding ""). */
static const char *store_string(const cJSON *obj, const char *key, bool required, char *err,
                                size_t errsz)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!item && !required)
        return "";
    if (!cJSON_IsString(item) || (required && !*item->valuestring)) {
        store_fail(err, errsz, "%s must be a non-empty string", key);
        return NULL;
    }
    return item->valuestring;
}

/* A non-negative integer member; `fallback` when absent (-1: required). */
static int store_int(const cJSON *obj, const char *key, int64_t fallback, int64_t *out, char *err,
                     size_t errsz)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!item && fallback >= 0) {
        *out = fallback;
        return 0;
    }
    if (!json_get_int(item, out) || *out < 0)
        return store_fail(err, errsz, "%s must be a non-negative integer", key);
    return 0;
}

/* A boolean member; `fallback` when absent. */
static int store_bool(const cJSON *obj, const char *key, bool fallback, bool *out, char *err,
                      size_t errsz)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!item) {
        *out = fallback;
        return 0;
    }
    if (!cJSON_IsBool(item))
        return store_fail(err, errsz, "%s must be true or false", key);
    *out = cJSON_IsTrue(item);
    return 0;
}

static int store_slug(const char *slug, char *err, size_t errsz)
{
    if (strlen(slug) > MAX_SLUG || strchr(slug, '/'))
        return store_fail(err, errsz, "slug must be at most %d bytes and hold no '/'", MAX_SLUG);
    return 0;
}

static int store_resource_index(const char *name)
{
    for (int i = 0; i < CATALOG_DOC_RESOURCES; i++)
        if (strcmp(name, catalog_doc_resources[i]) == 0)
            return i;
    return -1;
}

/* Checks the options against the pricing model; their defaults go into p->res. */
static int parse_options(const cJSON *product, struct store_product *p, char *err, size_t errsz)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(product, "options"), *o;
    bool seen[CATALOG_DOC_RESOURCES] = {false};
    const char *model = p->model;

    if (list && !cJSON_IsArray(list))
        return store_fail(err, errsz, "options must be an array");
    cJSON_ArrayForEach(o, list)
    {
        struct store_option so;
        char echo[40];
        int idx;

        if (!(so.resource = store_string(o, "resource", true, err, errsz)) ||
            !(so.label = store_string(o, "label", true, err, errsz)) ||
            !(so.unit = store_string(o, "unit", true, err, errsz)))
            return -1;
        idx = store_resource_index(so.resource);
        if (idx < 0 || seen[idx])
            return store_fail(err, errsz, "option resource '%s' is unknown or repeated",
                              text_echo(so.resource, echo, sizeof echo));
        seen[idx] = true;
        if (store_int(o, "unit_size", -1, &so.po.unit_size, err, errsz) ||
            store_int(o, "min", -1, &so.po.min, err, errsz) ||
            store_int(o, "max", -1, &so.po.max, err, errsz) ||
            store_int(o, "step", -1, &so.po.step, err, errsz) ||
            store_int(o, "default", -1, &so.po.def, err, errsz) ||
            store_int(o, "unit_price", -1, &so.po.unit_price, err, errsz))
            return -1;
        if (!pricing_option_valid(&so.po))
            return store_fail(err, errsz,
                              "option %s: need min <= default <= max on whole steps, with min and "
                              "step multiples of unit_size",
                              catalog_doc_resources[idx]);
        p->res[idx] = so.po.def;
        p->opts[p->n_opts++] = so;
    }
    /* The model says which options make sense; anything else is a catalog mistake. */
    if (strcmp(model, "fixed") == 0 && p->n_opts != 0)
        return store_fail(err, errsz, "a fixed product has no options");
    if (strcmp(model, "per_gb_memory") == 0 && (p->n_opts != 1 || !seen[0]))
        return store_fail(err, errsz, "a per_gb_memory product has exactly one memory_mb option");
    if (strcmp(model, "per_gb_disk") == 0 && (p->n_opts != 1 || !seen[1]))
        return store_fail(err, errsz, "a per_gb_disk product has exactly one disk_mb option");
    if (strcmp(model, "configurable") == 0 && p->n_opts == 0)
        return store_fail(err, errsz, "a configurable product has at least one option");
    return 0;
}

/* The cycles, kept in pricing_cycle_rank() order whatever the file's order. */
static int parse_cycles(const cJSON *product, struct store_product *p, char *err, size_t errsz)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(product, "cycles"), *c;
    bool seen[MAX_CYCLES] = {false};

    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return store_fail(err, errsz, "cycles must be a non-empty array");
    cJSON_ArrayForEach(c, list)
    {
        struct store_cycle sc;
        char echo[40];
        size_t at;

        if (!(sc.name = store_string(c, "cycle", true, err, errsz)))
            return -1;
        sc.rank = pricing_cycle_rank(sc.name);
        if (sc.rank < 0 || sc.rank >= MAX_CYCLES || seen[sc.rank])
            return store_fail(err, errsz, "cycle '%s' is unknown or repeated",
                              text_echo(sc.name, echo, sizeof echo));
        seen[sc.rank] = true;
        sc.pc.months = pricing_cycle_months(sc.name);
        if (store_int(c, "price", -1, &sc.pc.price, err, errsz) ||
            store_int(c, "setup_fee", 0, &sc.pc.setup_fee, err, errsz))
            return -1;
        for (at = p->n_cycles; at > 0 && p->cycles[at - 1].rank > sc.rank; at--)
            p->cycles[at] = p->cycles[at - 1];
        p->cycles[at] = sc;
        p->n_cycles++;
    }
    return 0;
}

/* Stock: absent means unlimited. */
static int parse_stock(const cJSON *product, struct store_product *p, char *err, size_t errsz)
{
    const cJSON *stock = cJSON_GetObjectItemCaseSensitive(product, "stock");
    const cJSON *lim = cJSON_GetObjectItemCaseSensitive(stock, "limited");

    p->limited = false;
    p->available = 0;
    if (!stock)
        return 0;
    if (!cJSON_IsObject(stock) || !cJSON_IsBool(lim))
        return store_fail(err, errsz, "stock must be {\"limited\": bool, \"available\": n}");
    p->limited = cJSON_IsTrue(lim);
    return p->limited ? store_int(stock, "available", -1, &p->available, err, errsz) : 0;
}

static int parse_product(const cJSON *obj, struct store_product *p, char *err, size_t errsz)
{
    static const char *const models[] = {"fixed", "per_gb_memory", "per_gb_disk", "configurable"};
    const cJSON *resources = cJSON_GetObjectItemCaseSensitive(obj, "resources");
    struct price_option opts[CATALOG_DOC_RESOURCES];
    struct price_cycle cycles[MAX_CYCLES];
    bool model_ok = false;
    int64_t from;
    size_t from_i;

    memset(p, 0, sizeof *p);
    if (!cJSON_IsObject(obj))
        return store_fail(err, errsz, "a product must be an object");
    if (!(p->slug = store_string(obj, "slug", true, err, errsz)) ||
        !(p->name = store_string(obj, "name", true, err, errsz)) ||
        !(p->short_desc = store_string(obj, "short_description", false, err, errsz)) ||
        !(p->desc = store_string(obj, "description", false, err, errsz)) ||
        !(p->model = store_string(obj, "pricing_model", true, err, errsz)))
        return -1;
    if (store_slug(p->slug, err, errsz))
        return -1;
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        model_ok |= strcmp(p->model, models[i]) == 0;
    if (!model_ok)
        return store_fail(
            err, errsz, "pricing_model must be fixed, per_gb_memory, per_gb_disk or configurable");
    if (resources && !cJSON_IsObject(resources))
        return store_fail(err, errsz, "resources must be an object");
    for (int i = 0; i < CATALOG_DOC_RESOURCES; i++)
        if (store_int(resources, catalog_doc_resources[i], 0, &p->res[i], err, errsz))
            return -1;
    if (parse_stock(obj, p, err, errsz) ||
        store_bool(obj, "visible", true, &p->visible, err, errsz) ||
        store_bool(obj, "retired", false, &p->retired, err, errsz))
        return -1;
    /* Options set the default configuration, which is what `resources` shows. */
    if (parse_options(obj, p, err, errsz) || parse_cycles(obj, p, err, errsz))
        return -1;
    for (size_t i = 0; i < p->n_opts; i++)
        opts[i] = p->opts[i].po;
    for (size_t i = 0; i < p->n_cycles; i++)
        cycles[i] = p->cycles[i].pc;
    if (pricing_from(cycles, p->n_cycles, opts, p->n_opts, &from, &from_i) != PRICING_OK)
        return store_fail(err, errsz, "prices overflow");
    if (p->retired)
        p->visible = false; /* retired is hidden for good */
    return 0;
}

static cJSON *doc_add_int(cJSON *obj, const char *name, int64_t v)
{
    return cJSON_AddNumberToObject(obj, name, (double)v);
}

/* The checked product as catalog_store_product() reads it back. */
static cJSON *product_doc(const struct store_product *p)
{
    cJSON *d = cJSON_CreateObject(), *res, *opts, *cycles, *o;

    if (!d || !cJSON_AddStringToObject(d, "slug", p->slug) ||
        !cJSON_AddStringToObject(d, "name", p->name) ||
        !cJSON_AddStringToObject(d, "short_description", p->short_desc) ||
        !cJSON_AddStringToObject(d, "description", p->desc) ||
        !cJSON_AddStringToObject(d, "pricing_model", p->model) ||
        !(res = cJSON_AddObjectToObject(d, "resources")))
        goto fail;
    for (int i = 0; i < CATALOG_DOC_RESOURCES; i++)
        if (!doc_add_int(res, catalog_doc_resources[i], p->res[i]))
            goto fail;
    if (!(opts = cJSON_AddArrayToObject(d, "options")))
        goto fail;
    for (size_t i = 0; i < p->n_opts; i++) {
        const struct store_option *so = &p->opts[i];

        if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(opts, o) ||
            !cJSON_AddStringToObject(o, "resource", so->resource) ||
            !cJSON_AddStringToObject(o, "label", so->label) ||
            !cJSON_AddStringToObject(o, "unit", so->unit) ||
            !doc_add_int(o, "unit_size", so->po.unit_size) || !doc_add_int(o, "min", so->po.min) ||
            !doc_add_int(o, "max", so->po.max) || !doc_add_int(o, "step", so->po.step) ||
            !doc_add_int(o, "default", so->po.def) ||
            !doc_add_int(o, "unit_price", so->po.unit_price))
            goto fail;
    }
    if (!(cycles = cJSON_AddArrayToObject(d, "cycles")))
        goto fail;
    for (size_t i = 0; i < p->n_cycles; i++)
        if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(cycles, o) ||
            !cJSON_AddStringToObject(o, "cycle", p->cycles[i].name) ||
            !doc_add_int(o, "price", p->cycles[i].pc.price) ||
            !doc_add_int(o, "setup_fee", p->cycles[i].pc.setup_fee))
            goto fail;
    if (!cJSON_AddItemToObject(d, "stock", catalog_doc_stock(p->limited, p->available)) ||
        !cJSON_AddBoolToObject(d, "visible", p->visible) ||
        !cJSON_AddBoolToObject(d, "retired", p->retired))
        goto fail;
    return d;
fail:
    cJSON_Delete(d);
    return NULL;
}

/* Whether the stored object differs from the wanted one. */
static bool store_differs(const cJSON *have, const cJSON *want)
{
    cJSON *lines = cJSON_CreateArray();
    bool differs;

    catalog_store_diff(have, want, "", lines);
    differs = !lines || cJSON_GetArraySize(lines) > 0;
    cJSON_Delete(lines);
    return differs;
}

/* Whether another row of `table` has the slug. */
static int store_slug_taken(sqlite3 *conn, const char *table, const char *slug, int64_t id,
                            bool *taken)
{
    char sql[96];
    sqlite3_stmt *st;
    int rc;

    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE slug = ? AND id != ?", table);
    if (!(st = db_prepare(conn, sql)))
        return -1;
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    *taken = rc == SQLITE_ROW;
    db_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int store_step(sqlite3 *conn, sqlite3_stmt *st, char *err, size_t errsz)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail(err, errsz, "%s", sqlite3_errmsg(conn));
    return 0;
}

/* The options and cycles of product `id`, replacing any it had. */
static int store_lists(sqlite3 *conn, const struct store_product *p, int64_t id, char *err,
                       size_t errsz)
{
    sqlite3_stmt *opt = NULL, *cyc = NULL;
    int rc = -1;

    if (db_run(conn, "DELETE FROM product_options WHERE product_id = ?1", id, 0, NULL) < 0 ||
        db_run(conn, "DELETE FROM product_cycles WHERE product_id = ?1", id, 0, NULL) < 0 ||
        !(opt = db_prepare(conn, "INSERT INTO product_options(product_id, resource, label, unit,"
                                 " unit_size, min_value, max_value, step, default_value,"
                                 " unit_price, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                 " ?)")) ||
        !(cyc = db_prepare(conn, "INSERT INTO product_cycles(product_id, cycle, months, price,"
                                 " setup_fee) VALUES (?, ?, ?, ?, ?)"))) {
        store_fail(err, errsz, "%s", sqlite3_errmsg(conn));
        goto done;
    }
    for (size_t i = 0; i < p->n_opts; i++) {
        const struct store_option *so = &p->opts[i];

        sqlite3_bind_int64(opt, 1, id);
        sqlite3_bind_text(opt, 2, so->resource, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(opt, 3, so->label, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(opt, 4, so->unit, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(opt, 5, so->po.unit_size);
        sqlite3_bind_int64(opt, 6, so->po.min);
        sqlite3_bind_int64(opt, 7, so->po.max);
        sqlite3_bind_int64(opt, 8, so->po.step);
        sqlite3_bind_int64(opt, 9, so->po.def);
        sqlite3_bind_int64(opt, 10, so->po.unit_price);
        sqlite3_bind_int64(opt, 11, (int64_t)i + 1);
        if (store_step(conn, opt, err, errsz))
            goto done;
    }
    for (size_t i = 0; i < p->n_cycles; i++) {
        sqlite3_bind_int64(cyc, 1, id);
        sqlite3_bind_text(cyc, 2, p->cycles[i].name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(cyc, 3, p->cycles[i].pc.months);
        sqlite3_bind_int64(cyc, 4, p->cycles[i].pc.price);
        sqlite3_bind_int64(cyc, 5, p->cycles[i].pc.setup_fee);
        if (store_step(conn, cyc, err, errsz))
            goto done;
    }
    rc = 0;
done:
    db_finalize(opt);
    db_finalize(cyc);
    return rc;
}

/* Inserts (id 0) or updates the product row, bumping an existing row's version. */
static int store_product_row(sqlite3 *conn, const struct store_product *p, int64_t category_id,
                             int sort_order, int64_t *id, char *err, size_t errsz)
{
    sqlite3_stmt *st = db_prepare(
        conn, *id ? "UPDATE products SET category_id = ?1, slug = ?2, name = ?3,"
                    " short_description = ?4, description = ?5, pricing_model = ?6,"
                    " memory_mb = ?7, disk_mb = ?8, cpu_percent = ?9, databases = ?10,"
                    " backups = ?11, allocations = ?12, sort_order = ?13, visible = ?14,"
                    " stock_limited = ?15, stock_available = ?16, retired = ?17,"
                    " version = version + 1 WHERE id = ?18"
                  : "INSERT INTO products(category_id, slug, name, short_description,"
                    " description, pricing_model, memory_mb, disk_mb, cpu_percent, databases,"
                    " backups, allocations, sort_order, visible, stock_limited, stock_available,"
                    " retired) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                    " ?14, ?15, ?16, ?17)");
    int rc;

    if (!st)
        return store_fail(err, errsz, "%s", sqlite3_errmsg(conn));
    sqlite3_bind_int64(st, 1, category_id);
    sqlite3_bind_text(st, 2, p->slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, p->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, p->short_desc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, p->desc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, p->model, -1, SQLITE_TRANSIENT);
    for (int i = 0; i < CATALOG_DOC_RESOURCES; i++)
        sqlite3_bind_int64(st, 7 + i, p->res[i]);
    sqlite3_bind_int(st, 13, sort_order);
    sqlite3_bind_int(st, 14, p->visible);
    sqlite3_bind_int(st, 15, p->limited);
    if (p->limited)
        sqlite3_bind_int64(st, 16, p->available);
    sqlite3_bind_int(st, 17, p->retired);
    if (*id)
        sqlite3_bind_int64(st, 18, *id);
    rc = sqlite3_step(st);
    db_finalize(st);
    if (rc != SQLITE_DONE)
        return store_fail(err, errsz, "cannot store the product (is the slug unique?): %s",
                          sqlite3_errmsg(conn));
    if (!*id)
        *id = sqlite3_last_insert_rowid(conn);
    return store_lists(conn, p, *id, err, errsz);
}

/* The stored category, sort order and retirement of product id; -1 when there is none. */
static int store_product_place(sqlite3 *conn, int64_t id, int64_t *category_id, int *sort_order,
                               bool *retired)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT category_id, sort_order, retired FROM products WHERE id = ?");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *category_id = sqlite3_column_int64(st, 0);
        *sort_order = sqlite3_column_int(st, 1);
        *retired = sqlite3_column_int(st, 2) != 0;
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int catalog_store_write_product(sqlite3 *conn, const cJSON *product, int64_t category_id,
                                int sort_order, int64_t *id, int *changed, char *err, size_t errsz)
{
    struct store_product p;
    cJSON *want = NULL, *have = NULL;
    int64_t have_category = 0;
    int have_sort = 0, rc = -1;
    bool taken = false, was_retired = false;

    *changed = 0;
    if (parse_product(product, &p, err, errsz))
        return -1;
    if (store_slug_taken(conn, "products", p.slug, *id, &taken) != 0)
        return store_fail(err, errsz, "%s", sqlite3_errmsg(conn));
    if (taken)
        return store_fail(err, errsz, "slug '%s' is another product's", p.slug);
    if (*id) {
        if (store_product_place(conn, *id, &have_category, &have_sort, &was_retired) != 0)
            return store_fail(err, errsz, "no such product");
        if (was_retired && !p.retired)
            return store_fail(err, errsz, "retired: a retired product stays retired");
        if (!(want = product_doc(&p)) || !(have = catalog_store_product(conn, *id))) {
            store_fail(err, errsz, "cannot read the product: %s", sqlite3_errmsg(conn));
            goto done;
        }
        if (have_category == category_id && have_sort == sort_order && !store_differs(have, want)) {
            rc = 0;
            goto done;
        }
    }
    if ((rc = store_product_row(conn, &p, category_id, sort_order, id, err, errsz)) == 0)
        *changed = 1;
done:
    cJSON_Delete(want);
    cJSON_Delete(have);
    return rc;
}

int catalog_store_write_category(sqlite3 *conn, const cJSON *category, int sort_order, int64_t *id,
                                 int *changed, char *err, size_t errsz)
{
    const char *slug, *name, *desc;
    sqlite3_stmt *st = NULL;
    bool visible = true, taken = false;
    cJSON *have = NULL, *want = NULL;
    int rc = -1;

    *changed = 0;
    if (!cJSON_IsObject(category))
        return store_fail(err, errsz, "a category must be an object");
    if (!(slug = store_string(category, "slug", true, err, errsz)) ||
        !(name = store_string(category, "name", true, err, errsz)) ||
        !(desc = store_string(category, "description", false, err, errsz)) ||
        store_slug(slug, err, errsz) || store_bool(category, "visible", true, &visible, err, errsz))
        return -1;
    if (store_slug_taken(conn, "categories", slug, *id, &taken) != 0)
        return store_fail(err, errsz, "%s", sqlite3_errmsg(conn));
    if (taken)
        return store_fail(err, errsz, "slug '%s' is another category's", slug);
    if (*id) {
        int have_sort = -1;

        if (!(have = catalog_store_category(conn, *id)))
            return store_fail(err, errsz, "no such category");
        if (!(want = cJSON_CreateObject()) || !cJSON_AddStringToObject(want, "slug", slug) ||
            !cJSON_AddStringToObject(want, "name", name) ||
            !cJSON_AddStringToObject(want, "description", desc) ||
            !cJSON_AddBoolToObject(want, "visible", visible) ||
            !(st = db_prepare(conn, "SELECT sort_order FROM categories WHERE id = ?"))) {
            store_fail(err, errsz, "cannot read the category: %s", sqlite3_errmsg(conn));
            goto done;
        }
        sqlite3_bind_int64(st, 1, *id);
        if (sqlite3_step(st) == SQLITE_ROW)
            have_sort = sqlite3_column_int(st, 0);
        db_finalize(st);
        st = NULL;
        if (have_sort == sort_order && !store_differs(have, want)) {
            rc = 0;
            goto done;
        }
    }
    st = db_prepare(conn, *id ? "UPDATE categories SET slug = ?1, name = ?2, description = ?3,"
                                " visible = ?4, sort_order = ?5, version = version + 1"
                                " WHERE id = ?6"
                              : "INSERT INTO categories(slug, name, description, visible,"
                                " sort_order) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) {
        store_fail(err, errsz, "%s", sqlite3_errmsg(conn));
        goto done;
    }
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, desc, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, visible);
    sqlite3_bind_int(st, 5, sort_order);
    if (*id)
        sqlite3_bind_int64(st, 6, *id);
    if (sqlite3_step(st) != SQLITE_DONE) {
        store_fail(err, errsz, "cannot store category (is the slug unique?): %s",
                   sqlite3_errmsg(conn));
        goto done;
    }
    if (!*id)
        *id = sqlite3_last_insert_rowid(conn);
    *changed = 1;
    rc = 0;
done:
    db_finalize(st);
    cJSON_Delete(have);
    cJSON_Delete(want);
    return rc;
}
