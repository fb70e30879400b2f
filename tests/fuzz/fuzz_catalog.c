/* fuzz_catalog.c: the catalog importer (the demo-catalog.json format) into a fresh shop's schema.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "billing/catalog_import.h"
#include "billing/db.h"
#include "billing/migrate.h"
#include "billing/settings.h"

static sqlite3 *conn;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256];

    if (sqlite3_open(":memory:", &conn) != SQLITE_OK || db_exec(conn, "PRAGMA foreign_keys = ON"))
        abort();
    if (migrate_run(conn, err, sizeof err) != 0 || db_begin(conn) != 0 ||
        settings_seed(conn) != 0 || db_commit(conn) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    char *json = malloc(size ? size : 1);
    int rc;

    if (!json)
        return 0;
    memcpy(json, data, size); /* exactly the input: no NUL after it */
    if (db_begin(conn) != 0)
        abort();
    rc = catalog_import(conn, json, size, err, sizeof err);
    if (getenv("SETT_FUZZ_ECHO")) /* for writing seeds: what the importer made of each */
        fprintf(stderr, "catalog_import: %s\n", rc == 0 ? "imported" : err);
    if (rc != 0 && err[0] == '\0')
        abort(); /* a refused catalog always says where and why */
    if (rc == 0 && sqlite3_get_autocommit(conn))
        abort(); /* the caller's transaction is still the caller's */
    /* every import is undone: the next input meets the empty shop again */
    db_rollback(conn);
    free(json);
    return 0;
}
