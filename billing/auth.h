/* auth.h: passwords (argon2id) and the access/refresh tokens that stand for a signed-in user. */
#ifndef SETT_BILLING_AUTH_H
#define SETT_BILLING_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "billing/api_error.h"

struct billingd;

#define AUTH_ACCESS_TTL   900                 /* seconds */
#define AUTH_REFRESH_TTL  (30 * 24 * 60 * 60) /* seconds */
#define AUTH_TOKEN_CHARS  44                  /* 32 random bytes, base64url, plus the NUL */
#define AUTH_PWHASH_SLOTS 2

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

/* Call once per process before anything else here (wraps sodium_init). 0 or -1. */
int auth_init(void);

/* crypto_pwhash_str (argon2id) of password into out (crypto_pwhash_STRBYTES). 0 or -1. */
int auth_password_hash(const char *password, char *out, size_t outsz);

/* Each returns API_OK or the API error to answer with. */
enum api_error auth_login(struct billingd *app, const char *email, const char *password,
                          struct auth_session *out);
/* Rotates a refresh token: the old one is revoked, a new pair is issued. Presenting an already
 * rotated token revokes its whole family (it has likely been stolen). */
enum api_error auth_refresh(struct billingd *app, const char *refresh_token,
                            struct auth_session *out);
/* Checks an Authorization header: API_ERR_UNAUTHENTICATED without a Bearer token,
 * API_ERR_INVALID_TOKEN for an unknown, revoked or expired one. */
enum api_error auth_bearer(struct billingd *app, const char *authorization, int64_t *user_id);
/* Signs out: revokes every token of the sign-in the access token belongs to. */
enum api_error auth_logout(struct billingd *app, const char *authorization);
enum api_error auth_user_load(struct billingd *app, int64_t user_id, struct auth_user *out);

#endif
