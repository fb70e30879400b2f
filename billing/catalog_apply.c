/* catalog_apply.c: the live catalog made to match a catalog document in the caller's transaction,
 * every changed row audited, every row the document drops hidden rather than deleted. */
#include "billing/catalog_apply.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "billing/audit.h"
#include "billing/catalog_store.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/settings.h"

struct apply {
    sqlite3 *conn;
    const char *reason;
    int64_t now;
    char *err;
    size_t errsz;
    cJSON *categories, *products; /* the slugs the document names: {slug: true} */
};

/* One element of a list the document orders: its row, if any, and where it sits now. */
struct apply_item {
    int64_t id;    /* 0: a new row */
    int64_t owner; /* a product's category now */
    int sort;
    bool moved; /* a product from another category */
};

static int apply_fail(struct apply *a, const char *where, const char *what)
{
    snprintf(a->err, a->errsz, "%s%s%s", where, *where ? ": " : "", what);
    return -1;
}

static int apply_db_fail(struct apply *a, const char *where)
{
    char what[256];

    snprintf(what, sizeof what, "database error: %s", sqlite3_errmsg(a->conn));
    return apply_fail(a, where, what);
}

/* The row with the slug: its id (0 when none), category and sort order. 0 or -1. */
static int apply_lookup(struct apply *a, const char *table, const char *slug,
                        struct apply_item *item)
{
    char sql[128];
    sqlite3_stmt *st;
    int rc;

    snprintf(sql, sizeof sql, "SELECT id, %s, sort_order FROM %s WHERE slug = ?",
             table[0] == 'p' ? "category_id" : "0", table);
    item->id = 0;
    if (!(st = db_prepare(a->conn, sql)))
        return -1;
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        item->id = sqlite3_column_int64(st, 0);
        item->owner = sqlite3_column_int64(st, 1);
        item->sort = sqlite3_column_int(st, 2);
    }
    db_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Reads the slug of list element i, refusing one the document already named. */
static int apply_claim(struct apply *a, cJSON *seen, const char *table, const cJSON *obj,
                       const char *where, struct apply_item *item)
{
    const cJSON *slug = cJSON_GetObjectItemCaseSensitive(obj, "slug");
    char what[128];

    item->id = 0;
    if (!cJSON_IsString(slug))
        return 0; /* the writer names the problem */
    if (cJSON_GetObjectItemCaseSensitive(seen, slug->valuestring)) {
        snprintf(what, sizeof what, "slug '%.64s' appears twice in the document",
                 slug->valuestring);
        return apply_fail(a, where, what);
    }
    if (!cJSON_AddTrueToObject(seen, slug->valuestring) ||
        apply_lookup(a, table, slug->valuestring, item) != 0)
        return apply_db_fail(a, where);
    return 0;
}

/* Sort orders for a list in the document's order. Rows keep theirs when they are already in
 * that order, new rows going right after the row before them (ties sort by id, and a new row's
 * id is the highest); otherwise the list is numbered afresh. */
static void apply_positions(const struct apply_item *items, size_t n, int *out)
{
    bool keep = true, have_prev = false;
    int prev_sort = 0;
    int64_t prev_key = 0;

    for (size_t i = 0; i < n && keep; i++) {
        int64_t key = items[i].id ? items[i].id : INT64_MAX - (int64_t)(n - i);

        if (items[i].moved) {
            keep = false;
            break;
        }
        if (items[i].id) {
            out[i] = items[i].sort;
        } else if (have_prev) {
            out[i] = prev_sort;
        } else {
            size_t j = i;

            while (j < n && !items[j].id)
                j++;
            out[i] = j < n ? items[j].sort - 1 : (int)i;
        }
        if (have_prev && (out[i] < prev_sort || (out[i] == prev_sort && key <= prev_key)))
            keep = false;
        have_prev = true;
        prev_sort = out[i];
        prev_key = key;
    }
    if (!keep)
        for (size_t i = 0; i < n; i++)
            out[i] = (int)i;
}

/* The audit entry for one changed row; takes before and after. */
static int apply_audit(struct apply *a, const char *action, const char *type, int64_t id,
                       cJSON *before, cJSON *after)
{
    cJSON *details = cJSON_CreateObject();
    int rc = -1;

    if (details && cJSON_AddStringToObject(details, "actor", "catalog apply") &&
        cJSON_AddItemToObject(details, "before", before ? before : cJSON_CreateNull()) &&
        cJSON_AddItemToObject(details, "after", after ? after : cJSON_CreateNull()))
        rc = audit_record(a->conn, 0, action, type, id, a->reason, details, a->now);
    else {
        cJSON_Delete(before);
        cJSON_Delete(after);
    }
    cJSON_Delete(details);
    return rc;
}

/* A product or category document as the audit log keeps it: with its place in the catalog. */
static cJSON *apply_snapshot(sqlite3 *conn, bool product, int64_t id)
{
    sqlite3_stmt *st = db_prepare(conn, product ? "SELECT category_id, sort_order FROM products"
                                                  " WHERE id = ?"
                                                : "SELECT 0, sort_order FROM categories"
                                                  " WHERE id = ?");
    cJSON *doc = product ? catalog_store_product(conn, id) : catalog_store_category(conn, id);

    if (st && doc) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (product)
                json_add_int(doc, "category_id", sqlite3_column_int64(st, 0));
            json_add_int(doc, "sort_order", sqlite3_column_int64(st, 1));
        }
    }
    db_finalize(st);
    return doc;
}

/* Writes one product or category object (category_id < 0: a category) and audits a change. */
static int apply_write(struct apply *a, const cJSON *obj, int64_t category_id, int sort,
                       int64_t *id, const char *where)
{
    bool product = category_id >= 0;
    cJSON *before = *id ? apply_snapshot(a->conn, product, *id) : NULL;
    char what[256];
    int changed = 0, rc;

    rc = product
             ? catalog_store_write_product(a->conn, obj, category_id, sort, id, &changed, what,
                                           sizeof what)
             : catalog_store_write_category(a->conn, obj, sort, id, &changed, what, sizeof what);
    if (rc != 0) {
        cJSON_Delete(before);
        return apply_fail(a, where, what);
    }
    if (!changed) {
        cJSON_Delete(before);
        return 0;
    }
    if (apply_audit(a,
                    product ? (before ? "product.update" : "product.create")
                            : (before ? "category.update" : "category.create"),
                    product ? "product" : "category", *id, before,
                    apply_snapshot(a->conn, product, *id)) != 0)
        return apply_db_fail(a, where);
    return 0;
}

/* Claims every element's slug and finds its row and sort order. */
static int apply_items(struct apply *a, const cJSON *list, bool products, int64_t category_id,
                       const char *where, struct apply_item **out, int **sorts, size_t *n)
{
    const cJSON *e;
    char place[160];
    size_t i = 0;

    *n = (size_t)cJSON_GetArraySize(list);
    *out = calloc(*n ? *n : 1, sizeof **out);
    *sorts = calloc(*n ? *n : 1, sizeof **sorts);
    if (!*out || !*sorts)
        return apply_fail(a, where, "out of memory");
    cJSON_ArrayForEach(e, list)
    {
        snprintf(place, sizeof place, "%s%s%s[%zu]", where, *where ? "." : "",
                 products ? "products" : "categories", i);
        if (apply_claim(a, products ? a->products : a->categories,
                        products ? "products" : "categories", e, place, &(*out)[i]) != 0)
            return -1;
        (*out)[i].moved = products && (*out)[i].id && (*out)[i].owner != category_id;
        i++;
    }
    apply_positions(*out, *n, *sorts);
    return 0;
}

static int apply_products(struct apply *a, const cJSON *category, int64_t category_id,
                          const char *where)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(category, "products"), *p;
    struct apply_item *items = NULL;
    int *sorts = NULL, rc = -1;
    char place[160];
    size_t n, i = 0;

    if (list && !cJSON_IsArray(list))
        return apply_fail(a, where, "products must be an array");
    if (apply_items(a, list, true, category_id, where, &items, &sorts, &n) != 0)
        goto done;
    cJSON_ArrayForEach(p, list)
    {
        snprintf(place, sizeof place, "%s.products[%zu]", where, i);
        if (apply_write(a, p, category_id, sorts[i], &items[i].id, place) != 0)
            goto done;
        i++;
    }
    rc = 0;
done:
    free(items);
    free(sorts);
    return rc;
}

/* Hides every visible row of `table` whose slug the document does not name. */
static int apply_hide(struct apply *a, bool products)
{
    sqlite3_stmt *st = db_prepare(a->conn, products ? "SELECT id, slug, category_id, sort_order"
                                                      " FROM products WHERE visible = 1"
                                                    : "SELECT id, slug, 0, sort_order"
                                                      " FROM categories WHERE visible = 1");
    cJSON *gone = cJSON_CreateArray(), *row, *doc = NULL;
    int rc = -1;

    if (!st || !gone)
        goto done;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (!cJSON_GetObjectItemCaseSensitive(products ? a->products : a->categories,
                                              db_text(st, 1)) &&
            (!(row = cJSON_CreateArray()) || !cJSON_AddItemToArray(gone, row) ||
             !cJSON_AddItemToArray(row, json_int(sqlite3_column_int64(st, 0))) ||
             !cJSON_AddItemToArray(row, json_int(sqlite3_column_int64(st, 2))) ||
             !cJSON_AddItemToArray(row, json_int(sqlite3_column_int64(st, 3))) ||
             !cJSON_AddItemToArray(row, cJSON_CreateString(db_text(st, 1)))))
            goto done;
    cJSON_ArrayForEach(row, gone)
    {
        int64_t id = strtoll(cJSON_GetArrayItem(row, 0)->valuestring, NULL, 10);
        int64_t category_id = strtoll(cJSON_GetArrayItem(row, 1)->valuestring, NULL, 10);
        int sort = (int)strtol(cJSON_GetArrayItem(row, 2)->valuestring, NULL, 10);
        char where[96];

        snprintf(where, sizeof where, "hiding %s '%.64s'", products ? "product" : "category",
                 cJSON_GetArrayItem(row, 3)->valuestring);

        doc = products ? catalog_store_product(a->conn, id) : catalog_store_category(a->conn, id);
        if (!doc || !cJSON_ReplaceItemInObjectCaseSensitive(doc, "visible", cJSON_CreateFalse()) ||
            apply_write(a, doc, products ? category_id : -1, sort, &id, where) != 0)
            goto done;
        cJSON_Delete(doc);
        doc = NULL;
    }
    rc = 0;
done:
    if (rc != 0 && !*a->err)
        apply_db_fail(a, "");
    cJSON_Delete(doc);
    cJSON_Delete(gone);
    db_finalize(st);
    return rc;
}

static int apply_settings(struct apply *a, const cJSON *settings)
{
    cJSON *before, *after = NULL, *diff = cJSON_CreateArray();
    int rc = -1;

    if (!settings) {
        cJSON_Delete(diff);
        return 0;
    }
    if (!(before = settings_export(a->conn)) || !diff) {
        apply_db_fail(a, "settings");
        goto done;
    }
    if (settings_import(a->conn, settings, a->err, a->errsz) != 0)
        goto done;
    if (!(after = settings_export(a->conn))) {
        apply_db_fail(a, "settings");
        goto done;
    }
    catalog_store_diff(before, after, "", diff);
    if (cJSON_GetArraySize(diff) > 0) {
        rc = apply_audit(a, "settings.update", "settings", 0, before, after);
        before = after = NULL;
        if (rc != 0)
            apply_db_fail(a, "settings");
    } else
        rc = 0;
done:
    cJSON_Delete(before);
    cJSON_Delete(after);
    cJSON_Delete(diff);
    return rc;
}

static int apply_categories(struct apply *a, const cJSON *list)
{
    struct apply_item *items = NULL;
    int *sorts = NULL, rc = -1;
    const cJSON *c;
    char where[48];
    size_t n, i = 0;

    if (apply_items(a, list, false, -1, "", &items, &sorts, &n) != 0)
        goto done;
    cJSON_ArrayForEach(c, list)
    {
        snprintf(where, sizeof where, "categories[%zu]", i);
        if (apply_write(a, c, -1, sorts[i], &items[i].id, where) != 0 ||
            apply_products(a, c, items[i].id, where) != 0)
            goto done;
        i++;
    }
    rc = 0;
done:
    free(items);
    free(sorts);
    return rc;
}

int catalog_apply(sqlite3 *conn, const cJSON *doc, const char *reason, int64_t now, cJSON *lines,
                  char *err, size_t errsz)
{
    struct apply a = {.conn = conn, .reason = reason, .now = now, .err = err, .errsz = errsz};
    const cJSON *categories = cJSON_GetObjectItemCaseSensitive(doc, "categories");
    cJSON *before = NULL, *after = NULL;
    int rc = -1;

    err[0] = '\0';
    if (!cJSON_IsObject(doc) || !cJSON_IsArray(categories)) {
        apply_fail(&a, "", "the document needs a \"categories\" array");
        goto done;
    }
    if (!(a.categories = cJSON_CreateObject()) || !(a.products = cJSON_CreateObject()) ||
        !(before = catalog_store_export(conn))) {
        apply_db_fail(&a, "");
        goto done;
    }
    if (apply_settings(&a, cJSON_GetObjectItemCaseSensitive(doc, "settings")) != 0 ||
        apply_categories(&a, categories) != 0 || apply_hide(&a, true) != 0 ||
        apply_hide(&a, false) != 0)
        goto done;
    if (!(after = catalog_store_export(conn))) {
        apply_db_fail(&a, "");
        goto done;
    }
    catalog_store_diff(before, after, "", lines);
    rc = 0;
done:
    cJSON_Delete(a.categories);
    cJSON_Delete(a.products);
    cJSON_Delete(before);
    cJSON_Delete(after);
    return rc;
}
