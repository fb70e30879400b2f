/* db.c: opens the SQLite database with WAL, a busy timeout and foreign keys, and guards its use. */
#include "billing/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "billing/catalog_cache.h"
#include "billing/migrate.h"
#include "billing/settings.h"

/* The public catalog's answers kept in memory: enough for every page, category and search of a
 * shop's catalog that customers actually ask for, and a bounded amount of memory for the rest. */
#define CATALOG_CACHE_ENTRIES 512
#define CATALOG_CACHE_BYTES   (16u * 1024 * 1024)

struct db {
    sqlite3 *conn;
    pthread_mutex_t lock;
    /* A second, read-only connection for the catalog generation, read on every catalog
     * request: WAL lets it read while the main connection writes, so a request answered from
     * memory never waits for the lock of `conn`. NULL: read it through `conn`. */
    sqlite3 *reader;
    pthread_mutex_t reader_lock;
    bool reader_lock_ready;
    sqlite3_stmt *generation; /* on `reader`, prepared once */
    struct catalog_cache *catalog;
    /* The settings as of `settings_generation` (0: none read yet), under `reader_lock`. */
    struct settings settings;
    int64_t settings_generation;
};

static void db_open_reader(struct db *db, const char *path)
{
    if (pthread_mutex_init(&db->reader_lock, NULL) != 0)
        return;
    db->reader_lock_ready = true;
    if (sqlite3_open_v2(path, &db->reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_busy_timeout(db->reader, 5000) != SQLITE_OK ||
        sqlite3_prepare_v3(db->reader, "SELECT n FROM catalog_generation WHERE id = 1", -1,
                           SQLITE_PREPARE_PERSISTENT, &db->generation, NULL) != SQLITE_OK) {
        sqlite3_finalize(db->generation);
        db->generation = NULL;
        sqlite3_close_v2(db->reader);
        db->reader = NULL;
    }
}

static int db_configure(sqlite3 *conn)
{
    /* Another process (sett and a standalone server) may share the file: wait rather than fail. */
    if (sqlite3_busy_timeout(conn, 5000) != SQLITE_OK)
        return -1;
    /* WAL with NORMAL: a commit is atomic and consistent, but the last commits before a power
     * cut may be lost. SETT_BILLING_SYNCHRONOUS=FULL makes every commit reach the disk before its
     * answer leaves (one fdatasync per commit), for a shop that must never lose a payment it
     * confirmed. */
    const char *sync = getenv("SETT_BILLING_SYNCHRONOUS");
    bool full = sync && strcasecmp(sync, "FULL") == 0;

    if (db_exec(conn, "PRAGMA journal_mode = WAL") ||
        db_exec(conn, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL") ||
        db_exec(conn, "PRAGMA foreign_keys = ON"))
        return -1;
    return 0;
}

struct db *db_new(const char *path, char *err, size_t errsz)
{
    struct db *db = calloc(1, sizeof *db);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;

    if (!db) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&db->lock, NULL) != 0) {
        snprintf(err, errsz, "cannot create the database lock");
        free(db);
        return NULL;
    }
    if (sqlite3_open_v2(path, &db->conn, flags, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "cannot open database %s: %s", path,
                 db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
        goto fail;
    }
    if (db_configure(db->conn) != 0) {
        snprintf(err, errsz, "cannot configure database %s: %s", path, sqlite3_errmsg(db->conn));
        goto fail;
    }
    if (migrate_run(db->conn, err, errsz) != 0)
        goto fail;
    db_open_reader(db, path);
    if (!(db->catalog = catalog_cache_new(CATALOG_CACHE_ENTRIES, CATALOG_CACHE_BYTES))) {
        snprintf(err, errsz, "out of memory");
        goto fail;
    }
    return db;
fail:
    db_free(&db);
    return NULL;
}

void db_free(struct db **pdb)
{
    struct db *db;

    if (!pdb || !*pdb)
        return;
    db = *pdb;
    catalog_cache_free(&db->catalog);
    sqlite3_finalize(db->generation);
    db_forget(db->reader);
    sqlite3_close_v2(db->reader);
    if (db->reader_lock_ready)
        pthread_mutex_destroy(&db->reader_lock);
    db_forget(db->conn);
    sqlite3_close_v2(db->conn);
    pthread_mutex_destroy(&db->lock);
    free(db);
    *pdb = NULL;
}

sqlite3 *db_acquire(struct db *db)
{
    pthread_mutex_lock(&db->lock);
    return db->conn;
}

void db_release(struct db *db)
{
    pthread_mutex_unlock(&db->lock);
}

struct catalog_cache *db_catalog_cache(struct db *db)
{
    return db->catalog;
}

int db_generation_read(sqlite3 *conn, sqlite3_stmt *st, int64_t *generation)
{
    sqlite3_stmt *own =
        st ? NULL : db_prepare(conn, "SELECT n FROM catalog_generation WHERE id = 1");
    int rc = -1;

    if (!st && !(st = own))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *generation = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    /* Reset at once: a statement left stepping would hold its read snapshot open. */
    sqlite3_reset(st);
    db_finalize(own);
    return rc;
}

int db_catalog_generation(struct db *db, int64_t *generation)
{
    int rc;

    if (!db->reader) {
        rc = db_generation_read(db_acquire(db), NULL, generation);
        db_release(db);
        return rc;
    }
    pthread_mutex_lock(&db->reader_lock);
    rc = db_generation_read(db->reader, db->generation, generation);
    pthread_mutex_unlock(&db->reader_lock);
    return rc;
}

int db_settings(struct db *db, struct settings *out)
{
    int64_t generation = 0;
    int rc = -1;

    if (!db->reader) {
        rc = settings_load(db_acquire(db), out);
        db_release(db);
        return rc;
    }
    pthread_mutex_lock(&db->reader_lock);
    if (db_generation_read(db->reader, db->generation, &generation) == 0 &&
        generation == db->settings_generation) {
        *out = db->settings;
        rc = 0;
    } else if (db_exec(db->reader, "BEGIN") == 0 &&
               db_generation_read(db->reader, db->generation, &generation) == 0 &&
               settings_load(db->reader, out) == 0) {
        /* Read in one snapshot: these settings are those of this generation. */
        db->settings = *out;
        db->settings_generation = generation;
        rc = 0;
    }
    db_rollback(db->reader);
    pthread_mutex_unlock(&db->reader_lock);
    return rc;
}

int db_exec(sqlite3 *conn, const char *sql)
{
    return sqlite3_exec(conn, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int db_begin(sqlite3 *conn)
{
    return db_exec(conn, "BEGIN IMMEDIATE");
}

int db_commit(sqlite3 *conn)
{
    return db_exec(conn, "COMMIT");
}

void db_rollback(sqlite3 *conn)
{
    if (!sqlite3_get_autocommit(conn))
        db_exec(conn, "ROLLBACK");
}

int db_run(sqlite3 *conn, const char *sql, int64_t a, int64_t b, const char *text)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (text)
        sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = sqlite3_changes(conn);
    db_finalize(st);
    return rc;
}

const char *db_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t ? (const char *)t : "";
}
