/* catalog_store.c: the catalog read out of the database as a --catalog document, and the
 * line-by-line difference between two such documents. */
#include "billing/catalog_store.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/catalog_store_doc.h"
#include "billing/db.h"
#include "billing/settings.h"

const char *const catalog_doc_resources[CATALOG_DOC_RESOURCES] = {
    "memory_mb", "disk_mb", "cpu_percent", "databases", "backups", "allocations"};

/* pricing_cycle_rank()'s order: recurring cycles by length, then the one-off. */
#define CYCLE_RANK                                                                                 \
    "CASE cycle WHEN 'monthly' THEN 0 WHEN 'quarterly' THEN 1 WHEN 'semi_annual' THEN 2"           \
    " WHEN 'annual' THEN 3 WHEN 'biennial' THEN 4 ELSE 5 END"

/* Document numbers are plain JSON numbers (not json_int's raw text), so a document read out can
 * be written back; the catalog's integers are far below 2^53. */
static bool store_add_int(cJSON *obj, const char *name, int64_t v)
{
    return cJSON_AddNumberToObject(obj, name, (double)v) != NULL;
}

static bool store_add_text(cJSON *obj, const char *name, const char *v)
{
    return cJSON_AddStringToObject(obj, name, v) != NULL;
}

/* The product's options, in their order, as the document writes them. */
static cJSON *store_options(sqlite3 *conn, int64_t id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT resource, label, unit, unit_size, min_value,"
                                        " max_value, step, default_value, unit_price"
                                        " FROM product_options WHERE product_id = ?"
                                        " ORDER BY sort_order, id");
    cJSON *list = cJSON_CreateArray(), *o;
    int rc;

    if (!st || !list)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(list, o) ||
            !store_add_text(o, "resource", db_text(st, 0)) ||
            !store_add_text(o, "label", db_text(st, 1)) ||
            !store_add_text(o, "unit", db_text(st, 2)) ||
            !store_add_int(o, "unit_size", sqlite3_column_int64(st, 3)) ||
            !store_add_int(o, "min", sqlite3_column_int64(st, 4)) ||
            !store_add_int(o, "max", sqlite3_column_int64(st, 5)) ||
            !store_add_int(o, "step", sqlite3_column_int64(st, 6)) ||
            !store_add_int(o, "default", sqlite3_column_int64(st, 7)) ||
            !store_add_int(o, "unit_price", sqlite3_column_int64(st, 8)))
            goto fail;
    }
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return list;
fail:
    db_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

/* The product's cycles in pricing_cycle_rank() order, as the document writes them. */
static cJSON *store_cycles(sqlite3 *conn, int64_t id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT cycle, price, setup_fee FROM product_cycles"
                                        " WHERE product_id = ? ORDER BY " CYCLE_RANK);
    cJSON *list = cJSON_CreateArray(), *c;
    int rc;

    if (!st || !list)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!(c = cJSON_CreateObject()) || !cJSON_AddItemToArray(list, c) ||
            !store_add_text(c, "cycle", db_text(st, 0)) ||
            !store_add_int(c, "price", sqlite3_column_int64(st, 1)) ||
            !store_add_int(c, "setup_fee", sqlite3_column_int64(st, 2)))
            goto fail;
    }
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return list;
fail:
    db_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

cJSON *catalog_doc_stock(bool limited, int64_t available)
{
    cJSON *stock = cJSON_CreateObject();

    if (!stock || !cJSON_AddBoolToObject(stock, "limited", limited) ||
        (limited && !store_add_int(stock, "available", available))) {
        cJSON_Delete(stock);
        return NULL;
    }
    return stock;
}

cJSON *catalog_store_product(sqlite3 *conn, int64_t id)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT slug, name, short_description, description, pricing_model, memory_mb,"
              " disk_mb, cpu_percent, databases, backups, allocations, stock_limited,"
              " coalesce(stock_available, 0), visible, retired FROM products WHERE id = ?");
    cJSON *p = NULL, *res;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto done;
    if (!(p = cJSON_CreateObject()) || !store_add_text(p, "slug", db_text(st, 0)) ||
        !store_add_text(p, "name", db_text(st, 1)) ||
        !store_add_text(p, "short_description", db_text(st, 2)) ||
        !store_add_text(p, "description", db_text(st, 3)) ||
        !store_add_text(p, "pricing_model", db_text(st, 4)) ||
        !(res = cJSON_AddObjectToObject(p, "resources")))
        goto fail;
    for (int i = 0; i < CATALOG_DOC_RESOURCES; i++)
        if (!store_add_int(res, catalog_doc_resources[i], sqlite3_column_int64(st, 5 + i)))
            goto fail;
    if (!cJSON_AddItemToObject(p, "options", store_options(conn, id)) ||
        !cJSON_AddItemToObject(p, "cycles", store_cycles(conn, id)) ||
        !cJSON_AddItemToObject(
            p, "stock",
            catalog_doc_stock(sqlite3_column_int(st, 11) != 0, sqlite3_column_int64(st, 12))) ||
        !cJSON_AddBoolToObject(p, "visible", sqlite3_column_int(st, 13) != 0) ||
        !cJSON_AddBoolToObject(p, "retired", sqlite3_column_int(st, 14) != 0))
        goto fail;
    goto done;
fail:
    cJSON_Delete(p);
    p = NULL;
done:
    db_finalize(st);
    return p;
}

cJSON *catalog_store_category(sqlite3 *conn, int64_t id)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT slug, name, description, visible FROM categories WHERE id = ?");
    cJSON *c = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW &&
        (!(c = cJSON_CreateObject()) || !store_add_text(c, "slug", db_text(st, 0)) ||
         !store_add_text(c, "name", db_text(st, 1)) ||
         !store_add_text(c, "description", db_text(st, 2)) ||
         !cJSON_AddBoolToObject(c, "visible", sqlite3_column_int(st, 3) != 0))) {
        cJSON_Delete(c);
        c = NULL;
    }
    db_finalize(st);
    return c;
}

/* Appends the category's products, in sort order, to its "products" array. */
static int store_category_products(sqlite3 *conn, int64_t category_id, cJSON *products)
{
    sqlite3_stmt *st =
        db_prepare(conn, "SELECT id FROM products WHERE category_id = ? ORDER BY sort_order, id");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, category_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(products,
                                  catalog_store_product(conn, sqlite3_column_int64(st, 0)))) {
            rc = SQLITE_ERROR;
            break;
        }
    db_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

cJSON *catalog_store_export(sqlite3 *conn)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM categories ORDER BY sort_order, id");
    cJSON *doc = cJSON_CreateObject(), *cats, *c, *products;
    int rc;

    if (!st || !doc || !cJSON_AddItemToObject(doc, "settings", settings_export(conn)) ||
        !(cats = cJSON_AddArrayToObject(doc, "categories")))
        goto fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);

        if (!(c = catalog_store_category(conn, id)) || !cJSON_AddItemToArray(cats, c) ||
            !(products = cJSON_AddArrayToObject(c, "products")) ||
            store_category_products(conn, id, products) != 0)
            goto fail;
    }
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return doc;
fail:
    db_finalize(st);
    cJSON_Delete(doc);
    return NULL;
}

/* ---- the difference ---- */

static void diff_line(cJSON *out, const char *path, const char *text)
{
    char *line;
    size_t n = strlen(path) + strlen(text) + 3;

    if (!(line = malloc(n)))
        return;
    snprintf(line, n, "%s: %s", path, text);
    cJSON_AddItemToArray(out, cJSON_CreateString(line));
    free(line);
}

/* A leaf printed as JSON; an absent one as "null". */
static char *diff_print(const cJSON *v)
{
    return v ? cJSON_PrintUnformatted(v) : strdup("null");
}

static void diff_changed(cJSON *out, const char *path, const cJSON *a, const cJSON *b)
{
    char *x = diff_print(a), *y = diff_print(b), *text;
    size_t n;

    if (x && y && strcmp(x, y) != 0) {
        n = strlen(x) + strlen(y) + 5;
        if ((text = malloc(n))) {
            snprintf(text, n, "%s -> %s", x, y);
            diff_line(out, path, text);
            free(text);
        }
    }
    free(x);
    free(y);
}

/* The member an array's objects are known by, when they all have one. */
static const char *diff_key_name(const cJSON *a, const cJSON *b)
{
    static const char *const keys[] = {"slug", "cycle", "resource"};
    const cJSON *arrays[2] = {a, b}, *e;

    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        bool all = true, any = false;

        for (int i = 0; i < 2 && all; i++)
            cJSON_ArrayForEach(e, arrays[i])
            {
                const cJSON *key = cJSON_GetObjectItemCaseSensitive(e, keys[k]);

                any = true;
                if (!cJSON_IsString(key)) {
                    all = false;
                    break;
                }
            }
        if (all && any)
            return keys[k];
    }
    return NULL;
}

static const cJSON *diff_find(const cJSON *array, const char *key, const char *value)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, array)
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(e, key)->valuestring, value) == 0)
            return e;
    }
    return NULL;
}

static void diff_value(const cJSON *a, const cJSON *b, const char *path, cJSON *out);

/* An element's path: a category by its slug, a product as "category/product", anything else
 * as "member[key]". */
static char *diff_element_path(const char *path, const char *member, const char *value)
{
    size_t n = strlen(path) + strlen(member) + strlen(value) + 4;
    char *p = malloc(n);

    if (!p)
        return NULL;
    if (strcmp(member, "categories") == 0)
        snprintf(p, n, "%s%s%s", path, *path ? "." : "", value);
    else if (strcmp(member, "products") == 0)
        snprintf(p, n, "%s/%s", path, value);
    else
        snprintf(p, n, "%s%s%s[%s]", path, *path ? "." : "", member, value);
    return p;
}

/* The keys both arrays hold, in a's order and in b's; a line when their order differs. */
static void diff_order(const cJSON *a, const cJSON *b, const char *key, const char *path,
                       cJSON *out)
{
    cJSON *x = cJSON_CreateArray(), *y = cJSON_CreateArray();
    const cJSON *e;

    cJSON_ArrayForEach(e, a)
    {
        const char *v = cJSON_GetObjectItemCaseSensitive(e, key)->valuestring;

        if (diff_find(b, key, v))
            cJSON_AddItemToArray(x, cJSON_CreateString(v));
    }
    cJSON_ArrayForEach(e, b)
    {
        const char *v = cJSON_GetObjectItemCaseSensitive(e, key)->valuestring;

        if (diff_find(a, key, v))
            cJSON_AddItemToArray(y, cJSON_CreateString(v));
    }
    diff_changed(out, path, x, y);
    cJSON_Delete(x);
    cJSON_Delete(y);
}

static void diff_keyed(const cJSON *a, const cJSON *b, const char *key, const char *path,
                       const char *member, cJSON *out)
{
    const cJSON *e;
    char *order;
    size_t n = strlen(path) + strlen(member) + 8;

    cJSON_ArrayForEach(e, a)
    {
        const char *v = cJSON_GetObjectItemCaseSensitive(e, key)->valuestring;
        const cJSON *other = diff_find(b, key, v);
        char *p = diff_element_path(path, member, v);

        if (!p)
            continue;
        if (other)
            diff_value(e, other, p, out);
        else
            diff_line(out, p, "removed");
        free(p);
    }
    cJSON_ArrayForEach(e, b)
    {
        const char *v = cJSON_GetObjectItemCaseSensitive(e, key)->valuestring;
        char *p;

        if (diff_find(a, key, v) || !(p = diff_element_path(path, member, v)))
            continue;
        diff_line(out, p, "added");
        free(p);
    }
    if ((order = malloc(n))) {
        snprintf(order, n, "%s%s%s order", path, *path ? "." : "", member);
        diff_order(a, b, key, order, out);
        free(order);
    }
}

static void diff_object(const cJSON *a, const cJSON *b, const char *path, cJSON *out)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, a)
    {
        const cJSON *other = cJSON_GetObjectItemCaseSensitive(b, m->string);
        size_t n = strlen(path) + strlen(m->string) + 2;
        char *p = malloc(n);
        const char *key;

        if (!p)
            continue;
        snprintf(p, n, "%s%s%s", path, *path ? "." : "", m->string);
        if (cJSON_IsArray(m) && cJSON_IsArray(other) && (key = diff_key_name(m, other)))
            diff_keyed(m, other, key, path, m->string, out);
        else
            diff_value(m, other, p, out);
        free(p);
    }
    cJSON_ArrayForEach(m, b)
    {
        size_t n = strlen(path) + strlen(m->string) + 2;
        char *p;

        if (cJSON_GetObjectItemCaseSensitive(a, m->string) || !(p = malloc(n)))
            continue;
        snprintf(p, n, "%s%s%s", path, *path ? "." : "", m->string);
        diff_value(NULL, m, p, out);
        free(p);
    }
}

static void diff_value(const cJSON *a, const cJSON *b, const char *path, cJSON *out)
{
    if (cJSON_IsObject(a) && cJSON_IsObject(b))
        diff_object(a, b, path, out);
    else
        diff_changed(out, path, a, b);
}

void catalog_store_diff(const cJSON *before, const cJSON *after, const char *prefix, cJSON *out)
{
    diff_value(before, after, prefix ? prefix : "", out);
}
