/* catalog_store.h: the catalog as a document (the --catalog format) for operators: read it out
 * of the database, write a category or product from it, and the difference between two. The
 * API's operator endpoints and `sett-billingd catalog export|apply` share it, so a file and an
 * edit are validated by the same code. */
#ifndef SETT_BILLING_CATALOG_STORE_H
#define SETT_BILLING_CATALOG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

/* The whole catalog as a --catalog document: {"settings": {...}, "categories": [{slug, name,
 * description, visible, products: [{slug, name, short_description, description, pricing_model,
 * resources, options, cycles, stock, visible, retired}]}]}, in sort order, hidden and retired
 * rows included. Every member is present (options [], setup_fee 0, stock {"limited": false}),
 * numbers are plain JSON numbers, so the document, or any object of it, can be written back as
 * it is and changes nothing. NULL on a database error. */
cJSON *catalog_store_export(sqlite3 *conn);
/* One product (by id) or category (by id, without its products) in the document's shape. NULL
 * when there is no such row. */
cJSON *catalog_store_product(sqlite3 *conn, int64_t id);
cJSON *catalog_store_category(sqlite3 *conn, int64_t id);

/* Writes one product object of the document inside the caller's transaction: a new row when
 * *id is 0 (*id gets it), else the row *id made to match the object (fields, options, cycles,
 * stock, visible, retired; the category given by its id). Validation is the --catalog file's,
 * with "what" in err (the caller adds the place); missing members take the file's defaults
 * (visible true, retired false, no stock limit). Retired is for good: a retired product is
 * stored hidden, and an object that would bring it back is refused ("retired: ..."). Bumps the
 * product's version when anything (sort order and category included) changed; *changed says
 * whether it did. 0, or -1 with err. */
int catalog_store_write_product(sqlite3 *conn, const cJSON *product, int64_t category_id,
                                int sort_order, int64_t *id, int *changed, char *err, size_t errsz);
/* The same for a category object (its "products" member is ignored). */
int catalog_store_write_category(sqlite3 *conn, const cJSON *category, int sort_order, int64_t *id,
                                 int *changed, char *err, size_t errsz);

/* Lines "path: before -> after" (and "path: added" / "path: removed") for every leaf that
 * differs between two documents or objects, each prefixed with `prefix`; appended to *out (a
 * cJSON array of strings). */
void catalog_store_diff(const cJSON *before, const cJSON *after, const char *prefix, cJSON *out);

#endif
