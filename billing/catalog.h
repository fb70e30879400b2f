/* catalog.h: reads categories and products from the database as API JSON objects. */
#ifndef SETT_BILLING_CATALOG_H
#define SETT_BILLING_CATALOG_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"

struct product_filter {
    int64_t category_id; /* 0: all categories */
    const char *q;       /* NULL: no text search */
    int64_t limit;
    int64_t offset;
};

/* Visible categories in sort order, each with its product_count. */
enum api_error catalog_categories(sqlite3 *conn, cJSON **out);
/* A visible category by id or slug: API_OK or API_ERR_NOT_FOUND. */
enum api_error catalog_category_find(sqlite3 *conn, const char *id_or_slug, int64_t *id);
/* One page of products (*items) and the number matching the filter (*total). */
enum api_error catalog_products(sqlite3 *conn, const char *currency, const struct product_filter *f,
                                cJSON **items, int64_t *total);
/* One visible product by id or slug: API_OK or API_ERR_NOT_FOUND. */
enum api_error catalog_product(sqlite3 *conn, const char *currency, const char *id_or_slug,
                               cJSON **out);

#endif
