/* invariants_auth.c: access tokens stored as the server stores them (SHA-256 of a random token). */
#include "invariants_auth.h"

#include <string.h>
#include <time.h>

#include <sodium.h>

#define TOKEN_BYTES 32
#define TOKEN_TTL   (6 * 60 * 60) /* outlives any test run, sanitizers included */

int inv_auth_sign_in(sqlite3 *db, int64_t user_id, char *token, size_t size)
{
    unsigned char raw[TOKEN_BYTES], hash[crypto_hash_sha256_BYTES];
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sodium_init() < 0 ||
        size < sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, size, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO access_tokens(user_id, token_hash, family_id, created_at,"
                           " expires_at) VALUES (?, ?, 0, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, hash, sizeof hash, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, now + TOKEN_TTL);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    sqlite3_finalize(st);
    return rc;
}
