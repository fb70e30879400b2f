/* db_stmt.c: prepared statements kept per connection and reused: compiling a statement costs
 * more than running most of them, and a checkout runs dozens. */
#include "billing/db.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Open addressing over a power-of-two table; at most STMT_KEPT statements are kept (a shop's
 * statements are a few hundred texts), the rest are prepared and finalized as before. */
#define STMT_SLOTS 2048u
#define STMT_KEPT  1536u

struct stmt_slot {
    sqlite3 *conn;
    sqlite3_stmt *st;
    uint32_t hash;
    bool busy; /* handed out by db_prepare and not yet given back by db_finalize */
};

static struct stmt_slot slots[STMT_SLOTS];
static size_t kept;
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t stmt_hash(const sqlite3 *conn, const char *sql)
{
    uint64_t h = 14695981039346656037ull ^ (uint64_t)(uintptr_t)conn;

    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (uint32_t)(h ^ (h >> 32));
}

/* A kept statement of conn with this text that nobody holds, marked held; NULL if none. */
static sqlite3_stmt *stmt_take(sqlite3 *conn, const char *sql, uint32_t hash)
{
    sqlite3_stmt *found = NULL;

    pthread_mutex_lock(&slots_lock);
    for (uint32_t i = hash & (STMT_SLOTS - 1); slots[i].st; i = (i + 1) & (STMT_SLOTS - 1)) {
        struct stmt_slot *s = &slots[i];

        if (s->conn == conn && s->hash == hash && !s->busy &&
            strcmp(sqlite3_sql(s->st), sql) == 0) {
            s->busy = true;
            found = s->st;
            break;
        }
    }
    pthread_mutex_unlock(&slots_lock);
    return found;
}

/* Keeps st (held) if there is room; false: the caller's statement stays its own. */
static bool stmt_keep(sqlite3 *conn, sqlite3_stmt *st, uint32_t hash)
{
    bool done = false;

    pthread_mutex_lock(&slots_lock);
    if (kept < STMT_KEPT) {
        uint32_t i = hash & (STMT_SLOTS - 1);

        while (slots[i].st)
            i = (i + 1) & (STMT_SLOTS - 1);
        slots[i] = (struct stmt_slot){.conn = conn, .st = st, .hash = hash, .busy = true};
        kept++;
        done = true;
    }
    pthread_mutex_unlock(&slots_lock);
    return done;
}

sqlite3_stmt *db_prepare(sqlite3 *conn, const char *sql)
{
    uint32_t hash = stmt_hash(conn, sql);
    sqlite3_stmt *st = stmt_take(conn, sql, hash);

    if (st)
        return st;
    if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    /* Only a statement whose own text is the whole of sql can be found again by that text. */
    if (st && strcmp(sqlite3_sql(st), sql) == 0)
        stmt_keep(conn, st, hash);
    return st;
}

void db_finalize(sqlite3_stmt *st)
{
    struct stmt_slot *slot = NULL;

    if (!st)
        return;
    uint32_t hash = stmt_hash(sqlite3_db_handle(st), sqlite3_sql(st));

    pthread_mutex_lock(&slots_lock);
    for (uint32_t i = hash & (STMT_SLOTS - 1); slots[i].st; i = (i + 1) & (STMT_SLOTS - 1))
        if (slots[i].st == st) {
            slot = &slots[i];
            break;
        }
    pthread_mutex_unlock(&slots_lock);
    if (!slot) {
        sqlite3_finalize(st);
        return;
    }
    /* Reset while still held: a statement left stepping would keep its read snapshot open. */
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    pthread_mutex_lock(&slots_lock);
    slot->busy = false;
    pthread_mutex_unlock(&slots_lock);
}

void db_forget(sqlite3 *conn)
{
    struct stmt_slot rest[STMT_SLOTS];
    size_t n = 0;

    if (!conn)
        return;
    pthread_mutex_lock(&slots_lock);
    for (uint32_t i = 0; i < STMT_SLOTS; i++) {
        if (!slots[i].st)
            continue;
        if (slots[i].conn == conn)
            sqlite3_finalize(slots[i].st);
        else
            rest[n++] = slots[i];
    }
    /* Open addressing has no holes to leave: put the others back from scratch. */
    memset(slots, 0, sizeof slots);
    kept = n;
    for (size_t k = 0; k < n; k++) {
        uint32_t i = rest[k].hash & (STMT_SLOTS - 1);

        while (slots[i].st)
            i = (i + 1) & (STMT_SLOTS - 1);
        slots[i] = rest[k];
    }
    pthread_mutex_unlock(&slots_lock);
}
