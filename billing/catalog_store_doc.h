/* catalog_store_doc.h: what catalog_store.c and catalog_store_write.c share about the document's
 * product object. */
#ifndef SETT_BILLING_CATALOG_STORE_DOC_H
#define SETT_BILLING_CATALOG_STORE_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define CATALOG_DOC_RESOURCES 6

/* The resource names, in the products table's column order. */
extern const char *const catalog_doc_resources[CATALOG_DOC_RESOURCES];

/* {"limited": false} or {"limited": true, "available": n}. */
cJSON *catalog_doc_stock(bool limited, int64_t available);

#endif
