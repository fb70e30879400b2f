/* apikey.h: long-lived `bp_` API keys with scopes: created once, stored as hashes, revocable. */
#ifndef SETT_BILLING_APIKEY_H
#define SETT_BILLING_APIKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/auth.h"

#define APIKEY_CHARS      44 /* "bp_", 40 letters and digits, the NUL */
#define APIKEY_PREFIX_LEN 7  /* "bp_" and four more, shown in lists */
#define APIKEY_MAX        20 /* keys (live or not) an account may hold */

/* Whether a bearer token has the shape of an API key rather than an access token. */
bool apikey_looks_like(const char *token, size_t len);
/* "billing ssh" -> AUTH_SCOPE_BILLING | AUTH_SCOPE_SSH; unknown words are ignored. */
unsigned apikey_scopes_parse(const char *text);

/* Looks a key up by the SHA-256 of its text: account, role and scopes into out, and records its
 * use at `now`. API_ERR_INVALID_TOKEN for an unknown, revoked or expired key. */
enum api_error apikey_authenticate(sqlite3 *conn, const unsigned char *hash, int64_t now,
                                   struct auth_caller *out);

struct apikey_new {
    const char *name;
    unsigned scopes;
    int64_t expires_at; /* 0: never */
};

/* Creates a key for user_id (checked against APIKEY_MAX: API_ERR_VALIDATION_FAILED) and returns
 * the contract's ApiKeyCreated object, the secret included, in *out, and its id in *id. */
enum api_error apikey_create(sqlite3 *conn, int64_t user_id, const struct apikey_new *in,
                             int64_t now, cJSON **out, int64_t *id);
/* The account's keys, newest first, as ApiKey objects. NULL on a database error. */
cJSON *apikey_list(sqlite3 *conn, int64_t user_id);
/* Revokes one of the account's keys: API_ERR_NOT_FOUND when it has no such live key. */
enum api_error apikey_revoke(sqlite3 *conn, int64_t user_id, int64_t key_id, int64_t now);
/* The key's name, for the audit log's actor; "" when unknown. */
void apikey_name(sqlite3 *conn, int64_t key_id, char *out, size_t outsz);

#endif
