/* error.h: the client's error model: transport, HTTP, JSON and API errors kept distinct. */
#ifndef SETT_CLIENT_ERROR_H
#define SETT_CLIENT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#include "client/money.h"

/* X-macro: the enum and its messages come from one list. */
#define CLIENT_STATUSES(X)                                                                         \
    X(CLIENT_OK, "ok")                                                                             \
    X(CLIENT_ERR_NOMEM, "out of memory")                                                           \
    X(CLIENT_ERR_TRANSPORT, "could not reach the server")                                          \
    X(CLIENT_ERR_TIMEOUT, "the server did not answer in time")                                     \
    X(CLIENT_ERR_TLS, "secure connection failed")                                                  \
    X(CLIENT_ERR_HTTP, "unexpected HTTP response")                                                 \
    X(CLIENT_ERR_JSON, "malformed response from the server")                                       \
    X(CLIENT_ERR_API, "the server refused the request")                                            \
    X(CLIENT_ERR_AUTH, "sign-in required")                                                         \
    X(CLIENT_ERR_USAGE, "invalid request")

enum client_status {
#define X(name, msg) name,
    CLIENT_STATUSES(X)
#undef X
        CLIENT_STATUS_COUNT
};

#define CLIENT_FIELD_MAX 8

struct client_field_error {
    char field[64];
    char message[160]; /* first message for that field */
};

struct client_error {
    enum client_status status;
    long http_status;  /* 0 when no HTTP response was received */
    char code[64];     /* server's error.code, e.g. "not_found"; "" if none */
    char message[256]; /* server's error.message, or a transport description */
    struct client_field_error fields[CLIENT_FIELD_MAX];
    unsigned n_fields;
    /* price_changed: the cart's current total, from details.total and details.currency (strings
     * in minor units and ISO 4217); has_total is false when the code is another or the details
     * are missing or malformed. Show it and ask again with it as the new expected_total. */
    bool has_total;
    struct money total;
    /* Seconds from a Retry-After header (429 rate_limited, 503 server_busy, 409
     * idempotency_key_in_progress); 0 when none came. */
    int retry_after;
};

const char *client_status_str(enum client_status s);
void client_error_clear(struct client_error *e);
void client_error_set(struct client_error *e, enum client_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* One human line for a status bar: "message (code)" or the status text. */
void client_error_describe(const struct client_error *e, char *buf, size_t bufsz);
/* The first message the server gave for `field` in error.details (e.g. "invoice_id" of
 * renewal_exists and deposit_pending, "status" of invalid_status), or NULL. Only the first
 * CLIENT_FIELD_MAX fields are kept. */
const char *client_error_detail(const struct client_error *e, const char *field);

#endif
