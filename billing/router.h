/* router.h: matches a method and a path against a table of routes with `{}` segment patterns. */
#ifndef SETT_BILLING_ROUTER_H
#define SETT_BILLING_ROUTER_H

#include <stddef.h>

#include "billing/request.h"

typedef void (*route_handler)(struct request *req, struct reply *rep);

enum route_flags {
    ROUTE_AUTH = 1 << 0, /* needs a valid Bearer access token */
    ROUTE_JSON = 1 << 1, /* takes a JSON object body */
    ROUTE_BILLING =
        1 << 2,            /* part of the billing module: closed while unlicensed or switched off */
    ROUTE_ADMIN = 1 << 3,  /* operators: role admin, and scope admin for an API key */
    ROUTE_SSH = 1 << 4,    /* settd's service key only: an operator's API key with scope ssh */
    ROUTE_NO_KEY = 1 << 5, /* an access token only: API keys get 403 */
    ROUTE_FORM = 1 << 6,   /* takes an application/x-www-form-urlencoded body (sandbox page) */
    /* authenticated as ROUTE_AUTH when an Authorization header is sent; without one the handler
     * takes its credential from the body (sign-out by refresh token) */
    ROUTE_AUTH_IF_SENT = 1 << 7,
    /* checks a password (argon2id, slow and limited to a few at a time): runs on the sign-in
     * threads, so a flood of sign-ins waits there and holds no thread other requests need */
    ROUTE_SIGNIN = 1 << 8,
    /* answered from memory when it can be (the public catalog): tried on the connection's I/O
     * thread first, and handed to a request thread only when the answer must be built */
    ROUTE_MEMORY = 1 << 9,
};

struct route {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/v1/billing/products/{}": `{}` matches one non-empty segment */
    route_handler handler;
    unsigned flags;
};

enum router_result {
    ROUTER_FOUND,
    ROUTER_NO_PATH,   /* no route has this path: 404 */
    ROUTER_NO_METHOD, /* the path exists with other methods: 405, see `allow` */
};

struct route_match {
    const struct route *route;
    char *params[REQUEST_MAX_PARAMS]; /* heap copies of the `{}` segments */
    size_t n_params;
    char allow[64]; /* "GET, POST" for ROUTER_NO_METHOD */
};

/* HEAD matches GET routes. Free the match's params with route_match_clear. */
enum router_result router_find(const struct route *routes, size_t n, const char *method,
                               const char *path, struct route_match *m);
void route_match_clear(struct route_match *m);

#endif
