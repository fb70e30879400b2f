/* catalog_import.h: loads a catalog document (the demo-catalog.json format) into an empty shop. */
#ifndef SETT_BILLING_CATALOG_IMPORT_H
#define SETT_BILLING_CATALOG_IMPORT_H

#include <stddef.h>

#include <sqlite3.h>

/* Validates and inserts every category and product of the JSON text, and applies its optional
 * "settings" object, inside the caller's transaction. Strings are stored exactly as decoded. 0, or
 * -1 with "where: what" in err. */
int catalog_import(sqlite3 *conn, const char *json, size_t len, char *err, size_t errsz);

#endif
