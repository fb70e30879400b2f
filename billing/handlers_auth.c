/* handlers_auth.c: sign-in, token refresh and the signed-in user. */
#include "billing/handlers.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/auth.h"
#include "billing/json_util.h"
#include "billing/login_guard.h"

#define EMAIL_MAX    254  /* RFC 5321's limit on a forward path */
#define PASSWORD_MAX 1024 /* generous, and it bounds the work of hashing an attempt */

/* A required string member of the body of at most max bytes (a malformed token is not a
 * validation error but an invalid one, so tokens pass SIZE_MAX); records a field error and returns
 * NULL otherwise. */
static const char *body_string(struct request *req, struct reply *rep, const char *field,
                               size_t max)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(req->json, field);
    char message[64];

    if (!item || cJSON_IsNull(item) || (cJSON_IsString(item) && !*item->valuestring)) {
        reply_field(rep, field, "is required");
    } else if (!cJSON_IsString(item)) {
        reply_field(rep, field, "must be a string");
    } else if (strlen(item->valuestring) > max) {
        snprintf(message, sizeof message, "must be at most %zu characters", max);
        reply_field(rep, field, message);
    } else {
        return item->valuestring;
    }
    return NULL;
}

cJSON *user_json(const struct auth_user *u)
{
    cJSON *j = cJSON_CreateObject();

    if (!j || !json_add_int(j, "id", u->id) || !cJSON_AddStringToObject(j, "email", u->email) ||
        !cJSON_AddStringToObject(j, "name", u->name)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

cJSON *session_json(const struct auth_session *s)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *user = user_json(&s->user);

    if (!j || !user || !cJSON_AddStringToObject(j, "access_token", s->access_token) ||
        !cJSON_AddStringToObject(j, "refresh_token", s->refresh_token) ||
        !cJSON_AddStringToObject(j, "token_type", "Bearer") ||
        !json_add_int(j, "expires_in", s->expires_in) || !cJSON_AddItemToObject(j, "user", user)) {
        cJSON_Delete(user);
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static void reply_session(struct reply *rep, enum api_error err, struct auth_session *s)
{
    rep->no_store = true;
    if (err == API_OK)
        reply_data(rep, 200, session_json(s));
    else
        reply_error(rep, err, NULL);
    auth_session_clear(s);
}

void handle_login(struct request *req, struct reply *rep)
{
    struct auth_session s;
    const char *email = body_string(req, rep, "email", EMAIL_MAX);
    const char *password = body_string(req, rep, "password", PASSWORD_MAX);
    struct login_attempt attempt = {.req = req, .email = email};
    struct auth_gate gate = {
        .allowed = login_guard_allowed, .ud = &attempt, .since = &req->received};
    enum api_error err;

    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    /* refused before the slow check, and again once a slot is free: while the delay runs even
     * the right password waits */
    if (login_guard_wait(&attempt) > 0) {
        login_guard_refuse(&attempt, rep);
        return;
    }
    err = auth_login(req->app, email, password, &gate, &s);
    login_guard_done(&attempt, err);
    if (err == API_ERR_RATE_LIMITED) {
        login_guard_refuse(&attempt, rep);
        return;
    }
    if (err == API_ERR_SERVER_BUSY)
        reply_header(rep, "Retry-After", "%d", LOGIN_BUSY_RETRY);
    reply_session(rep, err, &s);
}

void handle_refresh(struct request *req, struct reply *rep)
{
    struct auth_session s;
    const char *token = body_string(req, rep, "refresh_token", SIZE_MAX);

    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    reply_session(rep, auth_refresh(req->app, token, &s), &s);
}

void handle_me(struct request *req, struct reply *rep)
{
    struct auth_user u;
    enum api_error err = auth_user_load(req->app, req->user_id, &u);

    if (err != API_OK) {
        reply_error(rep, err, NULL);
        return;
    }
    reply_data(rep, 200, user_json(&u));
    auth_user_clear(&u);
}

/* With a Bearer access token (authenticated by the server), that sign-in; without one, the
 * sign-in of the refresh token in the body (settd, when an SSH session ends). */
void handle_logout(struct request *req, struct reply *rep)
{
    const char *token;
    enum api_error err;

    if (request_header(req, "Authorization")) {
        err = auth_logout(req->app, request_header(req, "Authorization"));
    } else if (!req->body_len) {
        err = API_ERR_UNAUTHENTICATED;
    } else {
        if (!request_json_body(req, rep))
            return;
        token = body_string(req, rep, "refresh_token", SIZE_MAX);
        if (reply_has_fields(rep)) {
            reply_validation(rep);
            return;
        }
        err = auth_logout_refresh(req->app, token);
    }

    if (err == API_OK)
        reply_empty(rep, 204);
    else
        reply_error(rep, err, NULL);
}
