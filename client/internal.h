/* internal.h: the client's private state and the calls between its own files; not for others. */
#ifndef SETT_CLIENT_INTERNAL_H
#define SETT_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
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

/* Response headers the client acts on, captured while a response arrives; reset per send. */
struct response_headers {
    char etag[CLIENT_ETAG_MAX]; /* "" when none (or too long to send back) */
    bool replayed;              /* Idempotent-Replayed: true */
    int retry_after;            /* seconds; 0 when none */
};

struct call {
    struct client *client;
    struct call *prev, *next;
    uint64_t id;
    bool internal;         /* the shared token refresh: never the caller's, never counted */
    bool in_multi;         /* its easy handle is attached to the client's multi */
    bool queued;           /* waits for one of the client's connections; no time runs yet */
    bool awaiting_refresh; /* got a 401; resent when the refresh ends */
    bool retried;          /* already resent once after a 401 */
    enum call_auth auth;
    uint64_t token_gen; /* which tokens it was last sent with */
    const char *method; /* static string: "GET", "POST", ... */
    char *url;
    char *body;            /* JSON request body or NULL; wiped on free (may hold a password) */
    char *if_match;        /* If-Match value or NULL */
    char *idempotency_key; /* Idempotency-Key value or NULL; the same on every resend */
    CURL *easy;
    struct curl_slist *headers;
    struct response_buf resp;
    struct response_headers resp_headers;
    char errbuf[CURL_ERROR_SIZE];
    call_finish_fn finish;
    void (*cb)(void); /* the caller's typed callback, cast back by `finish` */
    void *ud;
};

/* Connections to the API per client; a screen's requests beyond this wait for a free one. Without
 * a cap every burst of requests opened (and kept alive) connections of its own, and a few
 * hundred storefronts on one server (settd) would hold every connection the billing server
 * allows. */
#define CLIENT_MAX_CONNECTIONS 3

struct client {
    CURLM *multi;
    char *base_url; /* ends in "/api/v1", no trailing slash */
    char *user_agent;
    char *forwarded_for; /* NULL: no X-Forwarded-For */
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
    unsigned n_in_multi;  /* calls attached to the multi: at most CLIENT_MAX_CONNECTIONS */
    bool closing;         /* client_free: nothing queued is started any more */
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
/* Adds If-Match and Idempotency-Key (either may be NULL; checked by the caller with
 * header_value_ok) to a call not yet submitted; returns it, or NULL after freeing it. */
struct call *call_with_headers(struct call *r, const char *if_match, const char *idempotency_key);
/* Queues it; returns its id, or 0 after freeing it when it could not start. */
uint64_t call_submit(struct client *c, struct call *r);
/* Handles a finished transfer: callback, or a token refresh and a retry. */
void call_done(struct client *c, struct call *r, CURLcode rc);
struct call *call_find(struct client *c, uint64_t id);
/* Forgets a request without calling back (cancel, client_free). */
void call_drop(struct client *c, struct call *r);

/* endpoints.c: what the typed requests share */
/* A finish for a resource: decode a 2xx body, then hand the value (or the error) to the caller's
 * callback. A NULL callback means fire-and-forget, so the value is freed here. */
#define DEFINE_FINISH(name, type, decode, free_fn, cb_type)                                        \
    static void name(struct call *r, const char *body, size_t len, struct client_error *err)       \
    {                                                                                              \
        type *value = NULL;                                                                        \
        long http = err->http_status;                                                              \
                                                                                                   \
        if (body && decode(body, len, &value, err) < 0)                                            \
            value = NULL;                                                                          \
        err->http_status = http;                                                                   \
        if (r->cb)                                                                                 \
            ((cb_type)r->cb)(r->ud, value, err);                                                   \
        else                                                                                       \
            free_fn(&value);                                                                       \
    }
/* Builds and queues a call; `body` (JSON or NULL) passes to the call. 0 when it could not start. */
uint64_t endpoint_start(struct client *c, const char *method, const char *path, char *body,
                        call_finish_fn finish, void (*cb)(void), void *ud);
/* The same with If-Match and Idempotency-Key headers (either may be NULL). */
uint64_t endpoint_start_with(struct client *c, const char *method, const char *path, char *body,
                             const char *if_match, const char *idempotency_key,
                             call_finish_fn finish, void (*cb)(void), void *ud);
/* Percent-encodes all but RFC 3986 unreserved characters; out holds 3 * strlen(s) + 1. */
size_t endpoint_escape(char *out, const char *s);
/* Appends "<sep>name=<escaped value>" to path (sized by the caller for the worst case). */
void endpoint_query_add(char *path, const char *name, const char *value);
/* Appends page (when above 1) and per_page (when above 0), sized by the caller as above. */
void endpoint_query_paging(char *path, int page, int per_page);
/* Prints and frees a cJSON tree; NULL (tree freed) when it or printing failed. */
char *endpoint_json(cJSON *obj);
/* Largest integer a JSON number carries exactly (2^53 - 1): ids, amounts and options above it are
 * refused rather than rounded. */
#define ENDPOINT_INT_MAX 9007199254740991LL
/* {"amount": n, "currency": "USD"}; NULL for a bad currency code or an amount out of range. */
cJSON *endpoint_money_json(const struct money *m);
/* True for a value that can go in a header: 1..255 visible ASCII characters. */
bool header_value_ok(const char *v);

/* transport.c */
int transport_start(struct client *c, struct call *r);
void transport_stop(struct client *c, struct call *r);
void transport_release(struct call *r);
long transport_http_status(const struct call *r);
void transport_error(const struct call *r, CURLcode rc, struct client_error *err);

#endif
