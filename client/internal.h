/* internal.h: the client's private state and the calls between its own files; not for others. */
#ifndef SETT_CLIENT_INTERNAL_H
#define SETT_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "client/client.h"

/* Largest response body accepted: far above any real catalog page, far below a memory problem. */
#define CLIENT_RESPONSE_MAX ((size_t)8 << 20)

struct call;

/* Completes a request: decodes `body` (a 2xx response) or, when body is NULL, reports `err`; then
 * calls the caller's typed callback. Runs after the request left the client's list. */
typedef void (*call_finish_fn)(struct call *r, const char *body, size_t len,
                               struct client_error *err);

enum call_auth {
    CALL_BEARER,  /* sends the access token if any; a 401 refreshes the tokens and retries once */
    CALL_SIGN_IN, /* login and refresh: no token sent; a 401 is refused credentials */
};

struct response_buf {
    char *data; /* NUL-terminated for convenience; len excludes the NUL */
    size_t len, cap;
    bool too_large;
    bool nomem;
};

struct call {
    struct client *client;
    struct call *prev, *next;
    uint64_t id;
    bool internal;         /* the shared token refresh: never the caller's, never counted */
    bool in_multi;         /* its easy handle is attached to the client's multi */
    bool awaiting_refresh; /* got a 401; resent when the refresh ends */
    bool retried;          /* already resent once after a 401 */
    enum call_auth auth;
    uint64_t token_gen; /* which tokens it was last sent with */
    const char *method; /* static string: "GET", "POST", ... */
    char *url;
    char *body; /* JSON request body or NULL; wiped on free (may hold a password) */
    CURL *easy;
    struct curl_slist *headers;
    struct response_buf resp;
    char errbuf[CURL_ERROR_SIZE];
    call_finish_fn finish;
    void (*cb)(void); /* the caller's typed callback, cast back by `finish` */
    void *ud;
};

struct client {
    CURLM *multi;
    char *base_url; /* ends in "/api/v1", no trailing slash */
    char *user_agent;
    long connect_timeout_ms;
    long total_timeout_ms;
    bool insecure;
    char *access_token; /* NULL when none */
    char *refresh_token;
    uint64_t token_gen; /* bumped on every token change */
    client_tokens_fn tokens_fn;
    void *tokens_ud;
    struct call *head, *tail;
    struct call *refresh; /* the token refresh in flight, if any */
    size_t n_pending;     /* the caller's requests not yet called back */
    uint64_t next_id;
    bool dispatching;
};

/* client.c: replaces the tokens; `notify` tells the caller's tokens callback. */
void client_store_tokens(struct client *c, const char *access_token, const char *refresh_token,
                         bool notify);

/* call.c: one API call from queueing to its callback */
struct call *call_new(struct client *c, const char *method, const char *path, char *body,
                      enum call_auth auth, call_finish_fn finish, void (*cb)(void), void *ud);
/* Queues it; returns its id, or 0 after freeing it when it could not start. */
uint64_t call_submit(struct client *c, struct call *r);
/* Handles a finished transfer: callback, or a token refresh and a retry. */
void call_done(struct client *c, struct call *r, CURLcode rc);
struct call *call_find(struct client *c, uint64_t id);
/* Forgets a request without calling back (cancel, client_free). */
void call_drop(struct client *c, struct call *r);

/* transport.c */
int transport_start(struct client *c, struct call *r);
void transport_stop(struct client *c, struct call *r);
void transport_release(struct call *r);
long transport_http_status(const struct call *r);
void transport_error(const struct call *r, CURLcode rc, struct client_error *err);

#endif
