/* catalog_admin.c: categories and products as operators see them: the document object of
 * catalog_store.h with its id, place, version and counts beside it. */
#include "billing/catalog_admin.h"

#include <stdlib.h>
#include <string.h>

#include "billing/catalog_store.h"
#include "billing/db.h"
#include "billing/handlers_commerce.h"
#include "billing/json_util.h"

static int catalog_write_category(sqlite3 *conn, const cJSON *doc, int64_t category_id,
                                  int sort_order, int64_t *id, int *changed, char *err,
                                  size_t errsz)
{
    (void)category_id;
    return catalog_store_write_category(conn, doc, sort_order, id, changed, err, errsz);
}

static const char *const category_members[] = {"slug", "name", "description", "visible", NULL};
static const char *const category_create_only[] = {"slug", NULL};
static const char *const product_members[] = {"slug",        "name",          "short_description",
                                              "description", "pricing_model", "resources",
                                              "options",     "stock",         "cycles",
                                              "visible",     "retired",       NULL};
static const char *const no_members[] = {NULL};

const struct catalog_kind catalog_kind_category = {
    .name = "category",
    .members = category_members,
    .create_only = category_create_only,
    .meta_sql = "SELECT id, sort_order, version,"
                " (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id) AS product_count"
                " FROM categories c WHERE id = ?1",
    /* ?1 is bound but unused: categories are one list */
    .next_sort_sql = "SELECT COALESCE(MAX(sort_order) + 1, 0) FROM categories WHERE ?1 = ?1",
    .load = catalog_store_category,
    .write = catalog_write_category,
};

const struct catalog_kind catalog_kind_product = {
    .name = "product",
    .members = product_members,
    .create_only = no_members,
    .has_category = true,
    .meta_sql = "SELECT p.id, p.category_id, c.slug AS category, p.sort_order, p.version,"
                " (SELECT COUNT(*) FROM services s WHERE s.product_id = p.id"
                "  AND s.status NOT IN ('cancelled', 'terminated')) AS services"
                " FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = ?1",
    .next_sort_sql = "SELECT COALESCE(MAX(sort_order) + 1, 0) FROM products WHERE category_id = ?1",
    .load = catalog_store_product,
    .write = catalog_store_write_product,
};

bool catalog_admin_listed(const char *const *list, const char *name)
{
    for (; *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/* The admin object: the meta columns (named as members) and then the document's members.
 * NULL when there is no such record or on a database error (*found tells them apart). */
cJSON *catalog_admin_json(sqlite3 *conn, const struct catalog_kind *kind, int64_t id, bool *found)
{
    sqlite3_stmt *st = db_prepare(conn, kind->meta_sql);
    cJSON *obj = NULL, *doc = NULL, *m;
    int rc;

    *found = false;
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW || !(obj = cJSON_CreateObject()))
        goto fail;
    for (int i = 0; i < sqlite3_column_count(st); i++)
        if (!(sqlite3_column_type(st, i) == SQLITE_TEXT
                  ? cJSON_AddStringToObject(obj, sqlite3_column_name(st, i), db_text(st, i))
                  : json_add_int(obj, sqlite3_column_name(st, i), sqlite3_column_int64(st, i))))
            goto fail;
    if (!(doc = kind->load(conn, id)))
        goto fail;
    while ((m = doc->child)) {
        cJSON_DetachItemViaPointer(doc, m);
        if (!cJSON_AddItemToObject(obj, m->string, m)) {
            cJSON_Delete(m);
            goto fail;
        }
    }
    cJSON_Delete(doc);
    db_finalize(st);
    return obj;
fail:
    cJSON_Delete(doc);
    cJSON_Delete(obj);
    db_finalize(st);
    return NULL;
}

cJSON *catalog_admin_list(sqlite3 *conn, const struct catalog_kind *kind, sqlite3_stmt *ids)
{
    cJSON *items = ids ? cJSON_CreateArray() : NULL;
    bool found;
    int rc = SQLITE_ERROR;

    while (items && (rc = sqlite3_step(ids)) == SQLITE_ROW) {
        if (!cJSON_AddItemToArray(
                items, catalog_admin_json(conn, kind, sqlite3_column_int64(ids, 0), &found))) {
            rc = SQLITE_ERROR;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        cJSON_Delete(items);
        items = NULL;
    }
    db_finalize(ids);
    return items;
}

/* An integer member, parsed from a body or written by json_add_int (raw digits); 0 if none. */
int64_t catalog_admin_int(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    int64_t n = 0;

    if (cJSON_IsRaw(v))
        return strtoll(v->valuestring, NULL, 10);
    json_get_int(v, &n);
    return n;
}

/* The record's document object, as a body would send it. NULL for none. */
cJSON *catalog_admin_doc(sqlite3 *conn, const struct catalog_kind *kind, int64_t id)
{
    return kind->load(conn, id);
}

/* {"data": obj} with its version as the ETag (takes obj). */
void catalog_admin_reply(struct reply *rep, unsigned status, cJSON *obj)
{
    int64_t version = catalog_admin_int(obj, "version");

    reply_data(rep, status, obj);
    commerce_etag(rep, version);
}
