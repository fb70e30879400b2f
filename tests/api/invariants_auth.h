/* invariants_auth.h: access tokens for accounts made straight in a stopped server's database. */
#ifndef SETT_TESTS_API_INVARIANTS_AUTH_H
#define SETT_TESTS_API_INVARIANTS_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* Issues an access token for user_id into token (at least 44 bytes). 0 or -1. */
int inv_auth_sign_in(sqlite3 *db, int64_t user_id, char *token, size_t size);

#endif
