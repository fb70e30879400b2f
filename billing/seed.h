/* seed.h: fills a new database: default settings and a catalog, and in demo mode the demo accounts.
 */
#ifndef SETT_BILLING_SEED_H
#define SETT_BILLING_SEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* Seeds a database that has never been seeded (no settings yet), with the catalog from
 * catalog_path or, when NULL, the built-in demo catalog; with demo also the demo customer and
 * operator (and, with the built-in catalog, the demo coupons and credit). No account otherwise.
 * *seeded tells whether it did. 0, or -1 with a message in err (and nothing written). */
int seed_if_empty(sqlite3 *conn, const char *catalog_path, bool demo, bool *seeded, char *err,
                  size_t errsz);

/* Whether the demo customer or operator still signs in with its public password. */
bool seed_has_demo_accounts(sqlite3 *conn);

/* seed_commerce.c: the demo shop's coupons and the demo customer's credit, inside the seeding
 * transaction (built-in catalog only: the coupons name its categories). 0 or -1. */
int seed_commerce_demo(sqlite3 *conn, int64_t now);
/* Test accounts customer1..N@example.com, password "password" (its own transaction; existing
 * ones are left alone). 0, or -1 with err. */
int seed_users(sqlite3 *conn, int n, char *err, size_t errsz);

#endif
