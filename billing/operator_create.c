/* operator_create.c: `sett-billingd admin create`: an operator account made from the command line,
 * which is how the first operator of a database (which holds no account) comes to be. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "billing/auth.h"
#include "billing/billingd.h"
#include "billing/db.h"

#define OPERATOR_EMAIL_MAX    254
#define OPERATOR_NAME_MAX     100
#define OPERATOR_PASSWORD_MAX 1024 /* what POST /auth/login accepts */

/* local@domain, printable ASCII without spaces, one @ with something on both sides. */
static bool operator_email_valid(const char *email)
{
    const char *at = strchr(email, '@');
    size_t n = strlen(email);

    if (n == 0 || n > OPERATOR_EMAIL_MAX || !at || at == email || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const char *p = email; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
            return false;
    return true;
}

static bool operator_name_valid(const char *name)
{
    if (!*name || strlen(name) > OPERATOR_NAME_MAX)
        return false;
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < ' ' || (unsigned char)*p == 0x7f)
            return false;
    return true;
}

static int operator_insert(sqlite3 *conn, const char *email, const char *name, const char *hash,
                           char *err, size_t errsz)
{
    sqlite3_stmt *st = db_prepare(
        conn, "INSERT INTO users(email, name, password_hash, role) VALUES (?, ?, ?, 'admin')");
    int rc = BILLINGD_ADMIN_FAILED, step;

    if (!st) {
        snprintf(err, errsz, "cannot prepare: %s", sqlite3_errmsg(conn));
        return rc;
    }
    sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        rc = BILLINGD_ADMIN_OK;
    else if (sqlite3_extended_errcode(conn) == SQLITE_CONSTRAINT_UNIQUE) {
        snprintf(err, errsz, "an account with the e-mail %s already exists", email);
        rc = BILLINGD_ADMIN_EXISTS;
    } else
        snprintf(err, errsz, "cannot create the operator: %s", sqlite3_errmsg(conn));
    db_finalize(st);
    return rc;
}

int billingd_admin_check(const char *email, const char *name, char *err, size_t errsz)
{
    if (!operator_email_valid(email)) {
        snprintf(err, errsz, "'%s' is not an e-mail address", email);
        return BILLINGD_ADMIN_REFUSED;
    }
    if (!operator_name_valid(name)) {
        snprintf(err, errsz, "the name must be 1-%d characters, without control characters",
                 OPERATOR_NAME_MAX);
        return BILLINGD_ADMIN_REFUSED;
    }
    return BILLINGD_ADMIN_OK;
}

int billingd_admin_create(const char *db_path, const char *email, const char *name,
                          const char *password, char *err, size_t errsz)
{
    char hash[crypto_pwhash_STRBYTES];
    struct db *db = NULL;
    sqlite3 *conn;
    int rc;

    if ((rc = billingd_admin_check(email, name, err, errsz)) != BILLINGD_ADMIN_OK)
        return rc;
    if (strlen(password) < BILLINGD_OPERATOR_PASSWORD_MIN ||
        strlen(password) > OPERATOR_PASSWORD_MAX) {
        snprintf(err, errsz, "the password must be at least %d characters long (and at most %d)",
                 BILLINGD_OPERATOR_PASSWORD_MIN, OPERATOR_PASSWORD_MAX);
        return BILLINGD_ADMIN_REFUSED;
    }
    if (auth_init() != 0 || auth_password_hash(password, hash, sizeof hash) != 0) {
        snprintf(err, errsz, "cannot hash the password (out of memory?)");
        return BILLINGD_ADMIN_FAILED;
    }
    if (!(db = db_new(db_path, err, errsz)))
        return BILLINGD_ADMIN_FAILED;
    conn = db_acquire(db);
    rc = operator_insert(conn, email, name, hash, err, errsz);
    db_release(db);
    db_free(&db);
    sodium_memzero(hash, sizeof hash);
    return rc;
}
