/* db.h: the SQLite database: open with the right pragmas, migrate, and share one connection safely.
 */
#ifndef SETT_BILLING_DB_H
#define SETT_BILLING_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct db;

/* Opens (creating if needed) and migrates the database at path. Returns NULL with a message in err.
 */
struct db *db_new(const char *path, char *err, size_t errsz);
void db_free(struct db **db);

/* One connection serves every request thread: a request holds it between acquire and release,
 * which also makes each multi-statement change atomic with respect to other requests. */
sqlite3 *db_acquire(struct db *db);
void db_release(struct db *db);

/* The public catalog's answer cache (catalog_cache.h), one per database. */
struct catalog_cache *db_catalog_cache(struct db *db);
/* The catalog generation: a counter that every change to settings, categories, products, their
 * cycles and options bumps (triggers of migration 7, so every writer does, in every process).
 * The latest committed value, read without the connection's lock (call it without holding it).
 * 0 or -1. */
int db_catalog_generation(struct db *db, int64_t *generation);
/* The same read on conn (the caller holds it), in conn's own transaction; st may be NULL. */
int db_generation_read(sqlite3 *conn, sqlite3_stmt *st, int64_t *generation);
struct settings;
/* The latest committed settings (settings_load), kept in memory until the generation moves, and
 * read without the connection's lock: for checks on every request. 0 or -1. */
int db_settings(struct db *db, struct settings *out);

/* Small helpers; each returns 0 or -1 (the message is in sqlite3_errmsg). */
int db_exec(sqlite3 *conn, const char *sql);
int db_begin(sqlite3 *conn); /* BEGIN IMMEDIATE: take the write lock up front */
int db_commit(sqlite3 *conn);
void db_rollback(sqlite3 *conn);

/* Prepares a statement; NULL on error. Statements are kept per connection and text (db_stmt.c):
 * the next db_prepare of the same text on the same connection gets the kept one back, reset, so
 * give every statement back with db_finalize, never sqlite3_finalize. A text prepared again while
 * its kept statement is held gets a statement of its own. */
sqlite3_stmt *db_prepare(sqlite3 *conn, const char *sql);
/* Gives st back: resets a kept statement and clears its bindings, finalizes any other. NULL: no-op.
 */
void db_finalize(sqlite3_stmt *st);
/* Finalizes the statements kept for conn: before it is closed. */
void db_forget(sqlite3 *conn);
/* Runs one statement with ?1 = a, ?2 = b and, when `text` is not NULL, ?3 = text: the rows it
 * changed, or -1. */
int db_run(sqlite3 *conn, const char *sql, int64_t a, int64_t b, const char *text);
/* Column text that is never NULL ("" for SQL NULL). */
const char *db_text(sqlite3_stmt *st, int col);

#endif
