/* raw.h: a GET of any API path with the client's session, answered with the body as it came. */
#ifndef SETT_CLIENT_RAW_H
#define SETT_CLIENT_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

/* On success `body` is the 2xx response body, not decoded (the caller decodes it with the
 * decode_* functions and may print the server's JSON as it came); it is valid only during the
 * callback. On error `body` is NULL and `err` is set as for the typed requests (transport, HTTP,
 * API, AUTH after a failed token refresh). */
typedef void (*client_body_cb)(void *ud, const char *body, size_t len,
                               const struct client_error *err);

/* GET `path` (under /api/v1, with its query already percent-encoded, e.g.
 * "/billing/invoices?status=paid&page=2") with the client's session (refreshed on a 401 like every
 * request). Returns the request id, or 0 if it could not start (then `cb` is not called). */
uint64_t client_get_body(struct client *c, const char *path, client_body_cb cb, void *ud);

#endif
