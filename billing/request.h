/* request.h: one API request as a handler sees it, and the reply the handler fills in. */
#ifndef SETT_BILLING_REQUEST_H
#define SETT_BILLING_REQUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <time.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "billing/api_error.h"

struct billingd;

#define REQUEST_MAX_PARAMS 4

struct request {
    struct billingd *app;
    const char *method;               /* "GET", "POST", ... (HEAD is routed as GET) */
    const char *path;                 /* decoded path, without the query string */
    char *params[REQUEST_MAX_PARAMS]; /* the `{}` segments of the matched route, in order */
    size_t n_params;
    const char *body; /* raw body, not NUL-terminated; NULL when empty */
    size_t body_len;
    cJSON *json;         /* the parsed body, for routes that take JSON; owned by the server */
    int64_t user_id;     /* the signed-in user, for routes behind the auth wall; 0 otherwise */
    int64_t api_key_id;  /* the API key the user is signed in with; 0 for an access token */
    unsigned key_scopes; /* that key's AUTH_SCOPE_* bits (auth.h) */
    bool admin;          /* the user's role is admin */
    void *conn;          /* the HTTP connection, for the accessors below only */
    /* When the request was complete (CLOCK_MONOTONIC): waits it may make are bounded from here,
     * so time spent queued for a request thread counts against them. */
    struct timespec received;
    /* Answer only from memory (ROUTE_MEMORY on the I/O thread): a handler that would need the
     * database sets the reply's `deferred` instead, and the request goes to a request thread. */
    bool memory_only;
};

/* A query argument (decoded) or header, or NULL when absent. */
const char *request_query(const struct request *req, const char *key);
const char *request_header(const struct request *req, const char *name);
/* The client's address as text ("127.0.0.1", "::1"), or "" when unknown. Returns buf. */
const char *request_client_addr(const struct request *req, char *buf, size_t size);

struct reply {
    unsigned status;
    cJSON *body;           /* the whole document: {"data":…} or {"error":…} */
    cJSON *details;        /* error.details while an error is being built */
    char allow[64];        /* Allow header for 405 */
    bool no_store;         /* Cache-Control: no-store (tokens) */
    bool no_content;       /* 204: no body at all */
    bool deferred;         /* nothing answered: ask again off the I/O thread (memory_only) */
    const char *challenge; /* WWW-Authenticate value for 401s, or NULL */
    /* Further headers (ETag, Retry-After, Idempotent-Replayed), set with reply_header. */
    struct reply_header {
        char name[32];
        char value[96];
    } headers[4];
    size_t n_headers;
    /* A body that is not JSON (the sandbox's HTML pages), sent as is when set. */
    char *raw;
    size_t raw_len;
    const char *raw_type; /* its Content-Type */
};

/* Parses the body as a JSON object into req->json, for a handler whose route takes JSON only
 * sometimes; false with the error (415 or 400) already in rep. */
bool request_json_body(struct request *req, struct reply *rep);

/* {"data": data} (takes ownership of data). */
void reply_data(struct reply *rep, unsigned status, cJSON *data);
/* An answer without a body (204 No Content). */
void reply_empty(struct reply *rep, unsigned status);
/* {"data": items, "meta": {current_page, per_page, total, total_pages}}. */
void reply_page(struct reply *rep, cJSON *items, int64_t page, int64_t per_page, int64_t total);
/* {"error": {code, message, details}}; message NULL uses the code's default. */
void reply_error(struct reply *rep, enum api_error err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds a validation message for a field; reply_validation() then sends them as one 422. */
void reply_field(struct reply *rep, const char *field, const char *message);
bool reply_has_fields(const struct reply *rep);
void reply_validation(struct reply *rep);
void reply_clear(struct reply *rep);
/* Adds a response header (replacing one of the same name); extra ones are dropped. */
void reply_header(struct reply *rep, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A non-JSON body: `text` is copied. */
void reply_text(struct reply *rep, unsigned status, const char *content_type, const char *text);
/* A body already serialized: `bytes` (malloc'd, len long) is taken; content_type must outlive the
 * reply (a literal). */
void reply_raw(struct reply *rep, unsigned status, const char *content_type, char *bytes,
               size_t len);

#endif
