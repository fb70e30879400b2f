/* db.c: opens the SQLite database with WAL, a busy timeout and foreign keys, and guards its use. */
#include "billing/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "billing/migrate.h"

struct db {
    sqlite3 *conn;
    pthread_mutex_t lock;
};

static int db_configure(sqlite3 *conn)
{
    /* Another process (sett and a standalone server) may share the file: wait rather than fail. */
    if (sqlite3_busy_timeout(conn, 5000) != SQLITE_OK)
        return -1;
    if (db_exec(conn, "PRAGMA journal_mode = WAL") ||
        db_exec(conn, "PRAGMA synchronous = NORMAL") || db_exec(conn, "PRAGMA foreign_keys = ON"))
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

sqlite3_stmt *db_prepare(sqlite3 *conn, const char *sql)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(conn, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
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
    sqlite3_finalize(st);
    return rc;
}

const char *db_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t ? (const char *)t : "";
}
