/* sshkey.h: OpenSSH public keys: parsing a key line, its SHA256 fingerprint, and the account that
 * signs in with it. */
#ifndef SETT_BILLING_SSHKEY_H
#define SETT_BILLING_SSHKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"

#define SSHKEY_FINGERPRINT_CHARS 51 /* "SHA256:", 43 base64 characters, the NUL */
#define SSHKEY_LINE_MAX          16384

struct sshkey {
    char type[64];                              /* "ssh-ed25519" */
    char fingerprint[SSHKEY_FINGERPRINT_CHARS]; /* as `ssh-keygen -lf` prints it */
    char comment[256];                          /* "player@laptop", or "" */
};

/* Whether text has the form of a fingerprint: "SHA256:" and 43 unpadded base64 characters. */
bool sshkey_fingerprint_valid(const char *text);
/* Parses "type base64 [comment]": the blob must decode and name the same type; fills key with
 * the fingerprint of the blob. 0, or -1 when it is not an OpenSSH public key. */
int sshkey_parse(const char *line, struct sshkey *key);

/* Finds the account that holds the key, or creates one (when signup is allowed; otherwise
 * API_ERR_SIGNUP_DISABLED), inside the caller's transaction; records the key's use. *created
 * tells which. API_ERR_FORBIDDEN for a disabled account. */
enum api_error sshkey_account(sqlite3 *conn, const struct sshkey *key, const char *line,
                              bool signup, int64_t now, int64_t *user_id, bool *created);
/* The account name a new key gets: its comment (at most 100 bytes, cut on a character
 * boundary), or "SSH customer" and the start of the fingerprint. */
void sshkey_account_name(const struct sshkey *key, char *out, size_t outsz);

#endif
