/* seed.h: fills a new database: default settings, the demo customer and a catalog. */
#ifndef SETT_BILLING_SEED_H
#define SETT_BILLING_SEED_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

/* Seeds a database that has never been seeded (no settings yet), with the catalog from
 * catalog_path or, when NULL, the built-in demo catalog. *seeded tells whether it did.
 * 0, or -1 with a message in err (and nothing written). */
int seed_if_empty(sqlite3 *conn, const char *catalog_path, bool *seeded, char *err, size_t errsz);

#endif
