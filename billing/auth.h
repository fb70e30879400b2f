/* auth.h: passwords (argon2id) and the access/refresh tokens that stand for a signed-in user. */
#ifndef SETT_BILLING_AUTH_H
#define SETT_BILLING_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"

struct billingd;

#define AUTH_ACCESS_TTL   900                 /* seconds */
#define AUTH_REFRESH_TTL  (30 * 24 * 60 * 60) /* seconds */
#define AUTH_TOKEN_CHARS  44                  /* 32 random bytes, base64url, plus the NUL */
#define AUTH_PWHASH_SLOTS 2
/* Longest wait for a hashing slot before a sign-in answers 503 server_busy, counted from when the
 * request arrived. */
#define AUTH_PWHASH_WAIT_MS 1500

struct auth_user {
    int64_t id;
    char *email;
    char *name;
};
void auth_user_clear(struct auth_user *u);

struct auth_session {
    char access_token[AUTH_TOKEN_CHARS];
    char refresh_token[AUTH_TOKEN_CHARS];
    int64_t expires_in; /* seconds the access token lives */
    struct auth_user user;
};
void auth_session_clear(struct auth_session *s);

/* What an API key may do (a bit each); an access token is limited only by its account's role. */
enum auth_scope {
    AUTH_SCOPE_BILLING = 1u << 0, /* the owner's billing endpoints and GET /auth/me */
    AUTH_SCOPE_SSH = 1u << 1,     /* POST /auth/ssh: settd's service key */
    AUTH_SCOPE_ADMIN = 1u << 2,   /* the operator endpoints */
};

/* Who a bearer credential stands for. */
struct auth_caller {
    int64_t user_id;
    int64_t api_key_id; /* the API key used; 0 for an access token */
    unsigned scopes;    /* the key's AUTH_SCOPE_* bits; 0 for an access token */
    bool admin;         /* the account's role is "admin" */
};

/* Call once per process before anything else here (wraps sodium_init). 0 or -1. */
int auth_init(void);

/* crypto_pwhash_str (argon2id) of password into out (crypto_pwhash_STRBYTES). 0 or -1. */
int auth_password_hash(const char *password, char *out, size_t outsz);

/* Asked by auth_login once it holds a hashing slot, just before the check: false stops the
 * attempt (the throttle's delay began while it waited). */
struct auth_gate {
    bool (*allowed)(void *ud);
    void *ud;
    /* When the wait for a slot began (CLOCK_MONOTONIC), e.g. when the request arrived; NULL:
     * now. */
    const struct timespec *since;
};

/* Each returns API_OK or the API error to answer with; auth_login also API_ERR_SERVER_BUSY when
 * no password-hashing slot came free within AUTH_PWHASH_WAIT_MS, and API_ERR_RATE_LIMITED when
 * the gate (may be NULL) said no. */
enum api_error auth_login(struct billingd *app, const char *email, const char *password,
                          const struct auth_gate *gate, struct auth_session *out);
/* Rotates a refresh token: the old one is revoked, a new pair is issued. Presenting an already
 * rotated token revokes its whole family (it has likely been stolen). */
enum api_error auth_refresh(struct billingd *app, const char *refresh_token,
                            struct auth_session *out);
/* Checks an Authorization header holding an access token or a `bp_` API key (whose last use it
 * records): API_ERR_UNAUTHENTICATED without a Bearer token, API_ERR_INVALID_TOKEN for an unknown,
 * revoked or expired one. */
enum api_error auth_bearer(struct billingd *app, const char *authorization,
                           struct auth_caller *out);
/* Signs a user in without a password (SSH sign-in): a new token pair and the user, inside the
 * caller's transaction. API_OK or API_ERR_INTERNAL. */
enum api_error auth_session_issue(sqlite3 *conn, int64_t user_id, struct auth_session *out);
/* The e-mail address an account shows: accounts created by SSH sign-in store a unique
 * placeholder (AUTH_SSH_EMAIL_PREFIX and the key's fingerprint) and show "". */
#define AUTH_SSH_EMAIL_PREFIX "ssh:"
const char *auth_email_shown(const char *stored);
/* Signs out: revokes every token of the sign-in the access token belongs to. */
enum api_error auth_logout(struct billingd *app, const char *authorization);
/* Signs out by a refresh token instead (settd at the end of an SSH session): revokes its
 * family, even when sett has rotated that token since; API_ERR_INVALID_TOKEN for an unknown one or
 * one whose family is over (signed out, or expired). */
enum api_error auth_logout_refresh(struct billingd *app, const char *refresh_token);
/* Deletes token rows of no further use: expired or revoked access tokens, expired refresh
 * tokens, and the revoked ones of families with no live token left. Expiry is by the real clock,
 * as token checks are. For the scheduler; takes its own transaction. 0 or -1. */
int auth_purge(sqlite3 *conn);
enum api_error auth_user_load(struct billingd *app, int64_t user_id, struct auth_user *out);

#endif
