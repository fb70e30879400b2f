/* migrate.c: the schema as an ordered list of migrations; PRAGMA user_version counts those applied.
 */
#include "billing/migrate.h"

#include <stdio.h>

#include "billing/db.h"

/* Append only: a released migration never changes, later work adds the next entry. Money columns
 * hold integer minor units of the shop's one currency; times are Unix seconds. */
static const char *const migrations[] = {
    /* 1: settings, catalog, users and their tokens. */
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE categories ("
    "  id INTEGER PRIMARY KEY,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  visible INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE TABLE products ("
    "  id INTEGER PRIMARY KEY,"
    "  category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  short_description TEXT NOT NULL DEFAULT '',"
    "  description TEXT NOT NULL DEFAULT '',"
    "  pricing_model TEXT NOT NULL"
    "    CHECK (pricing_model IN ('fixed', 'per_gb_memory', 'per_gb_disk', 'configurable')),"
    "  memory_mb INTEGER NOT NULL DEFAULT 0 CHECK (memory_mb >= 0),"
    "  disk_mb INTEGER NOT NULL DEFAULT 0 CHECK (disk_mb >= 0),"
    "  cpu_percent INTEGER NOT NULL DEFAULT 0 CHECK (cpu_percent >= 0),"
    "  databases INTEGER NOT NULL DEFAULT 0 CHECK (databases >= 0),"
    "  backups INTEGER NOT NULL DEFAULT 0 CHECK (backups >= 0),"
    "  allocations INTEGER NOT NULL DEFAULT 0 CHECK (allocations >= 0),"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  visible INTEGER NOT NULL DEFAULT 1,"
    "  stock_limited INTEGER NOT NULL DEFAULT 0,"
    "  stock_available INTEGER CHECK (stock_available IS NULL OR stock_available >= 0),"
    "  created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
    ");"
    "CREATE INDEX products_by_category ON products(category_id, sort_order);"
    "CREATE TABLE product_cycles ("
    "  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
    "  cycle TEXT NOT NULL CHECK (cycle IN"
    "    ('one_time', 'monthly', 'quarterly', 'semi_annual', 'annual', 'biennial')),"
    "  months INTEGER NOT NULL CHECK (months > 0),"
    "  price INTEGER NOT NULL CHECK (price >= 0),"
    "  setup_fee INTEGER NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),"
    "  PRIMARY KEY (product_id, cycle)"
    ");"
    "CREATE TABLE product_options ("
    "  id INTEGER PRIMARY KEY,"
    "  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,"
    "  resource TEXT NOT NULL CHECK (resource IN"
    "    ('memory_mb', 'disk_mb', 'cpu_percent', 'databases', 'backups', 'allocations')),"
    "  label TEXT NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  unit_size INTEGER NOT NULL CHECK (unit_size > 0),"
    "  min_value INTEGER NOT NULL,"
    "  max_value INTEGER NOT NULL,"
    "  step INTEGER NOT NULL CHECK (step > 0),"
    "  default_value INTEGER NOT NULL,"
    "  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (product_id, resource),"
    "  CHECK (min_value >= 0 AND min_value <= default_value AND default_value <= max_value)"
    ");"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  name TEXT NOT NULL,"
    "  password_hash TEXT," /* NULL: no password sign-in (e.g. an SSH-key-only account) */
    "  role TEXT NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'admin')),"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))"
    ");"
    /* Tokens are stored as SHA-256 hashes: a copy of the database signs nobody in. A refresh
     * token's family is the chain of rotations since sign-in, revoked as one on reuse. */
    "CREATE TABLE refresh_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  family_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);"
    "CREATE TABLE access_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  family_id INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX access_tokens_by_family ON access_tokens(family_id);",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int migrate_latest(void)
{
    return MIGRATION_COUNT;
}

static int migrate_version(sqlite3 *conn, int *version)
{
    sqlite3_stmt *st = db_prepare(conn, "PRAGMA user_version");
    int rc = -1;

    if (st && sqlite3_step(st) == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int migrate_run(sqlite3 *conn, char *err, size_t errsz)
{
    char sql[64];
    int version = 0;

    if (db_begin(conn) != 0 || migrate_version(conn, &version) != 0) {
        snprintf(err, errsz, "cannot read the schema version: %s", sqlite3_errmsg(conn));
        goto fail;
    }
    if (version > MIGRATION_COUNT) {
        snprintf(err, errsz, "the database has schema version %d; this sett-billingd knows %d",
                 version, MIGRATION_COUNT);
        goto fail;
    }
    for (int v = version; v < MIGRATION_COUNT; v++) {
        if (db_exec(conn, migrations[v]) != 0) {
            snprintf(err, errsz, "migration %d failed: %s", v + 1, sqlite3_errmsg(conn));
            goto fail;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", MIGRATION_COUNT);
    if (db_exec(conn, sql) != 0 || db_commit(conn) != 0) {
        snprintf(err, errsz, "cannot record the schema version: %s", sqlite3_errmsg(conn));
        goto fail;
    }
    return 0;
fail:
    db_rollback(conn);
    return -1;
}
