/* seed.c: fills a new database: default settings and a catalog, and in demo mode the demo accounts.
 */
#include "billing/seed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "billing/auth.h"
#include "billing/billingd.h"
#include "billing/catalog_import.h"
#include "billing/db.h"
#include "billing/settings.h"

#define CATALOG_MAX_BYTES (16 * 1024 * 1024)

/* demo-catalog.json, embedded by the build (embed.cmake). */
extern const unsigned char billing_demo_catalog[];
extern const size_t billing_demo_catalog_len;

static char *seed_read_file(const char *path, size_t *len, char *err, size_t errsz)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;

    if (!f) {
        snprintf(err, errsz, "cannot open catalog %s: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        size_t got;

        if (n == cap) {
            char *grown;

            if (cap >= CATALOG_MAX_BYTES) {
                snprintf(err, errsz, "catalog %s is larger than 16 MiB", path);
                goto fail;
            }
            cap = cap ? cap * 2 : 65536;
            if (!(grown = realloc(buf, cap))) {
                snprintf(err, errsz, "out of memory reading %s", path);
                goto fail;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errsz, "cannot read catalog %s: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

static int seed_is_empty(sqlite3 *conn, bool *empty)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT NOT EXISTS (SELECT 1 FROM settings)");
    int rc = -1;

    if (st && sqlite3_step(st) == SQLITE_ROW) {
        *empty = sqlite3_column_int(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

static int seed_demo_user(sqlite3 *conn, const char *hash)
{
    sqlite3_stmt *st =
        db_prepare(conn, "INSERT INTO users(email, name, password_hash) VALUES (?, ?, ?)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, BILLINGD_DEMO_EMAIL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, "Demo Customer", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    return rc;
}

/* The demo operator: an account with role admin, so the operator endpoints can be tried. */
static int seed_demo_admin(sqlite3 *conn, const char *hash)
{
    sqlite3_stmt *st = db_prepare(
        conn, "INSERT INTO users(email, name, password_hash, role) VALUES (?, ?, ?, 'admin')");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, BILLINGD_ADMIN_EMAIL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, "Demo Operator", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    return rc;
}

int seed_if_empty(sqlite3 *conn, const char *catalog_path, bool demo, bool *seeded, char *err,
                  size_t errsz)
{
    char hash[crypto_pwhash_STRBYTES], admin_hash[crypto_pwhash_STRBYTES];
    char why[384];
    char *file = NULL;
    const char *json = (const char *)billing_demo_catalog;
    size_t len = billing_demo_catalog_len;
    bool empty = false;
    int rc = -1;

    *seeded = false;
    if (seed_is_empty(conn, &empty) != 0) {
        snprintf(err, errsz, "cannot read settings: %s", sqlite3_errmsg(conn));
        return -1;
    }
    if (!empty)
        return 0;
    if (catalog_path) {
        if (!(file = seed_read_file(catalog_path, &len, err, errsz)))
            return -1;
        json = file;
    }
    if (demo && (auth_password_hash(BILLINGD_DEMO_PASSWORD, hash, sizeof hash) != 0 ||
                 auth_password_hash(BILLINGD_ADMIN_PASSWORD, admin_hash, sizeof admin_hash) != 0)) {
        snprintf(err, errsz, "cannot hash the demo passwords (out of memory?)");
        goto done;
    }
    /* Check again under the write lock: another process may have seeded meanwhile. */
    if (db_begin(conn) != 0 || seed_is_empty(conn, &empty) != 0) {
        snprintf(err, errsz, "cannot start seeding: %s", sqlite3_errmsg(conn));
        goto done;
    }
    if (!empty) {
        rc = 0;
        goto done;
    }
    /* No default doors: accounts with public passwords exist only in a demo database. */
    if (settings_seed(conn) != 0 ||
        (demo && (seed_demo_user(conn, hash) != 0 || seed_demo_admin(conn, admin_hash) != 0))) {
        snprintf(err, errsz, "cannot seed settings: %s", sqlite3_errmsg(conn));
        goto done;
    }
    if (catalog_import(conn, json, len, why, sizeof why) != 0) {
        snprintf(err, errsz, "catalog %s: %s", catalog_path ? catalog_path : "(built-in)", why);
        goto done;
    }
    /* Seeding runs at start, before a test could fix the server's clock. */
    if (demo && !catalog_path && seed_commerce_demo(conn, (int64_t)time(NULL)) != 0) {
        snprintf(err, errsz, "cannot seed the demo coupons: %s", sqlite3_errmsg(conn));
        goto done;
    }
    if (db_commit(conn) != 0) {
        snprintf(err, errsz, "cannot save the seed: %s", sqlite3_errmsg(conn));
        goto done;
    }
    *seeded = true;
    rc = 0;
done:
    db_rollback(conn);
    free(file);
    return rc;
}

bool seed_has_demo_accounts(sqlite3 *conn)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT password_hash FROM users WHERE email IN (?, ?)"
                                        " AND password_hash IS NOT NULL AND disabled = 0");
    bool found = false;

    if (!st)
        return false;
    sqlite3_bind_text(st, 1, BILLINGD_DEMO_EMAIL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, BILLINGD_ADMIN_EMAIL, -1, SQLITE_STATIC);
    while (!found && sqlite3_step(st) == SQLITE_ROW) {
        const char *hash = db_text(st, 0);

        found = crypto_pwhash_str_verify(hash, BILLINGD_DEMO_PASSWORD,
                                         strlen(BILLINGD_DEMO_PASSWORD)) == 0 ||
                crypto_pwhash_str_verify(hash, BILLINGD_ADMIN_PASSWORD,
                                         strlen(BILLINGD_ADMIN_PASSWORD)) == 0;
    }
    db_finalize(st);
    return found;
}
