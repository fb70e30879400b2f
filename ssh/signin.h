/* signin.h: POST /auth/ssh: the account (found or created) for a verified SSH key. */
#ifndef SETT_SSH_SIGNIN_H
#define SETT_SSH_SIGNIN_H

#include <stddef.h>

#define SIGNIN_TOKEN_MAX 512

struct signin_tokens {
    char access[SIGNIN_TOKEN_MAX];
    char refresh[SIGNIN_TOKEN_MAX];
    int status; /* HTTP status: 201 new account, 200 known one */
};

/* Returns 0 with the tokens, or -1 with a sentence for the customer's terminal in `msg`
 * (e.g. the server's "New accounts cannot be created right now.") and a one-word reason for
 * the log in `reason` (signup-disabled, api-error, api-timeout). Waits at most timeout_s. */
int signin_ssh(const char *api, const char *service_key, const char *public_key,
               const char *fingerprint, int timeout_s, struct signin_tokens *out, char *msg,
               size_t msgsz, const char **reason);

/* POST /auth/logout with the session's refresh token: the sign-in ends with the SSH session, so
 * its tokens (and those sett rotated from them) stop working and the server can delete them.
 * Returns 0 when they are revoked or were already, -1 otherwise. Waits at most timeout_s. */
int signin_logout(const char *api, const char *refresh_token, int timeout_s);

#endif
