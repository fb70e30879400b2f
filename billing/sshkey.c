/* sshkey.c: OpenSSH public keys: parsing a key line, its SHA256 fingerprint, and the account that
 * signs in with it. */
#include "billing/sshkey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "billing/auth.h"
#include "billing/db.h"

#define SSHKEY_NAME_MAX 100 /* the contract's limit on a User's name */

static const char sshkey_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool sshkey_fingerprint_valid(const char *text)
{
    return strncmp(text, "SHA256:", 7) == 0 && strlen(text + 7) == 43 &&
           strspn(text + 7, sshkey_b64) == 43;
}

/* The blob starts with its key type as an SSH string (a 4-byte big-endian length, then bytes). */
static bool sshkey_blob_names(const unsigned char *blob, size_t len, const char *type)
{
    size_t n;

    if (len < 4)
        return false;
    n = (size_t)blob[0] << 24 | (size_t)blob[1] << 16 | (size_t)blob[2] << 8 | blob[3];
    return n == strlen(type) && n <= len - 4 && memcmp(blob + 4, type, n) == 0;
}

int sshkey_parse(const char *line, struct sshkey *key)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    const char *p = line, *b64;
    size_t type_len, b64_len, bin_len = 0;
    unsigned char *blob = NULL;
    char fp[64];
    int rc = -1;

    memset(key, 0, sizeof *key);
    p += strspn(p, " \t");
    type_len = strcspn(p, " \t\r\n");
    if (type_len == 0 || type_len >= sizeof key->type)
        return -1;
    memcpy(key->type, p, type_len);
    p += type_len;
    if (strspn(p, " \t") == 0)
        return -1;
    b64 = p + strspn(p, " \t");
    b64_len = strcspn(b64, " \t\r\n");
    if (b64_len == 0 || !(blob = malloc(b64_len)))
        return -1;
    /* OpenSSH writes padded base64; accept it without padding too. */
    if (sodium_base642bin(blob, b64_len, b64, b64_len, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 &&
        sodium_base642bin(blob, b64_len, b64, b64_len, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
        goto done;
    if (!sshkey_blob_names(blob, bin_len, key->type))
        goto done;
    crypto_hash_sha256(digest, blob, bin_len);
    sodium_bin2base64(fp, sizeof fp, digest, sizeof digest,
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    memcpy(key->fingerprint, "SHA256:", 7);
    memcpy(key->fingerprint + 7, fp, 44); /* 43 characters and the NUL */
    /* The comment is the rest of the line, trimmed. */
    p = b64 + b64_len;
    p += strspn(p, " \t");
    snprintf(key->comment, sizeof key->comment, "%.*s", (int)strcspn(p, "\r\n"), p);
    for (size_t n = strlen(key->comment);
         n && (key->comment[n - 1] == ' ' || key->comment[n - 1] == '\t'); n--)
        key->comment[n - 1] = '\0';
    rc = 0;
done:
    free(blob);
    return rc;
}

void sshkey_account_name(const struct sshkey *key, char *out, size_t outsz)
{
    size_t n;

    if (!key->comment[0]) {
        snprintf(out, outsz, "SSH customer %.15s", key->fingerprint + 7);
        return;
    }
    snprintf(out, outsz, "%s", key->comment);
    n = strlen(out);
    if (n > SSHKEY_NAME_MAX) {
        n = SSHKEY_NAME_MAX;
        /* Never cut a UTF-8 sequence in two: step back over continuation bytes. */
        while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
            n--;
        out[n] = '\0';
    }
}

static int sshkey_exec(sqlite3 *conn, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    return rc;
}

/* A new customer account with this key; returns its id or 0. */
static int64_t sshkey_create_account(sqlite3 *conn, const struct sshkey *key, const char *line,
                                     int64_t now)
{
    char name[SSHKEY_NAME_MAX + 1], email[sizeof AUTH_SSH_EMAIL_PREFIX + SSHKEY_FINGERPRINT_CHARS];
    sqlite3_stmt *st = db_prepare(conn, "INSERT INTO users(email, name, password_hash, role, "
                                        "created_at) VALUES (?, ?, NULL, 'customer', ?)");
    int64_t user_id = 0;

    if (!st)
        return 0;
    /* The e-mail column is unique and required: the fingerprint makes a placeholder that is no
     * address and that nobody can sign in with (there is no password). */
    snprintf(email, sizeof email, "%s%s", AUTH_SSH_EMAIL_PREFIX, key->fingerprint);
    sshkey_account_name(key, name, sizeof name);
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    if (sqlite3_step(st) == SQLITE_DONE)
        user_id = sqlite3_last_insert_rowid(conn);
    db_finalize(st);
    if (!user_id)
        return 0;
    st = db_prepare(conn, "INSERT INTO ssh_keys(user_id, fingerprint, public_key, created_at, "
                          "last_used_at) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, key->fingerprint, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, line, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        user_id = 0;
    db_finalize(st);
    return user_id;
}

enum api_error sshkey_account(sqlite3 *conn, const struct sshkey *key, const char *line,
                              bool signup, int64_t now, int64_t *user_id, bool *created)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT k.id, k.user_id, u.disabled FROM ssh_keys k "
                                        "JOIN users u ON u.id = k.user_id WHERE k.fingerprint = ?");
    int64_t key_id = 0;
    bool disabled = false;
    int step;

    *created = false;
    *user_id = 0;
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_text(st, 1, key->fingerprint, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        key_id = sqlite3_column_int64(st, 0);
        *user_id = sqlite3_column_int64(st, 1);
        disabled = sqlite3_column_int(st, 2);
    }
    db_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return API_ERR_INTERNAL;
    if (key_id) {
        if (disabled)
            return API_ERR_FORBIDDEN;
        return sshkey_exec(conn, "UPDATE ssh_keys SET last_used_at = ? WHERE id = ?", now,
                           key_id) == 0
                   ? API_OK
                   : API_ERR_INTERNAL;
    }
    if (!signup)
        return API_ERR_SIGNUP_DISABLED;
    if (!(*user_id = sshkey_create_account(conn, key, line, now)))
        return API_ERR_INTERNAL;
    *created = true;
    return API_OK;
}
