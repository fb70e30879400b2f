/* catalog_import.c: a new shop's catalog document, validated and written by catalog_store. */
#include "billing/catalog_import.h"

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "billing/catalog_store.h"
#include "billing/json_util.h"
#include "billing/settings.h"
#include "billing/text.h"

/* "where: what" in err. */
static int import_fail(char *err, size_t errsz, const char *where, const char *what)
{
    snprintf(err, errsz, "%s%s%s", where, *where ? ": " : "", what);
    return -1;
}

static int import_category(sqlite3 *conn, const cJSON *c, int sort, const char *where, char *err,
                           size_t errsz)
{
    const cJSON *products = cJSON_GetObjectItemCaseSensitive(c, "products"), *p;
    char what[256], place[96];
    int64_t id = 0, product_id;
    int i = 0, changed;

    if (catalog_store_write_category(conn, c, sort, &id, &changed, what, sizeof what))
        return import_fail(err, errsz, where, what);
    if (products && !cJSON_IsArray(products))
        return import_fail(err, errsz, where, "products must be an array");
    cJSON_ArrayForEach(p, products)
    {
        snprintf(place, sizeof place, "%s.products[%d]", where, i);
        product_id = 0;
        if (catalog_store_write_product(conn, p, id, i++, &product_id, &changed, what, sizeof what))
            return import_fail(err, errsz, place, what);
    }
    return 0;
}

int catalog_import(sqlite3 *conn, const char *json, size_t len, char *err, size_t errsz)
{
    cJSON *root = json_parse_exact(json, len);
    const cJSON *categories = cJSON_GetObjectItemCaseSensitive(root, "categories");
    const cJSON *c;
    char where[48];
    int i = 0, rc = -1;

    if (!root) {
        import_fail(err, errsz, "",
                    text_utf8_valid(json, len) ? "not valid JSON" : "not valid UTF-8");
        goto done;
    }
    if (settings_import(conn, cJSON_GetObjectItemCaseSensitive(root, "settings"), err, errsz))
        goto done;
    if (!cJSON_IsArray(categories)) {
        import_fail(err, errsz, "", "the document needs a \"categories\" array");
        goto done;
    }
    cJSON_ArrayForEach(c, categories)
    {
        snprintf(where, sizeof where, "categories[%d]", i);
        if (import_category(conn, c, i++, where, err, errsz))
            goto done;
    }
    rc = 0;
done:
    cJSON_Delete(root);
    return rc;
}
