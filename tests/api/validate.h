/* validate.h: checks every response the API tests get against docs/openapi.yaml with Prism. */
#ifndef SETT_TESTS_API_VALIDATE_H
#define SETT_TESTS_API_VALIDATE_H

#include <stddef.h>

/* One HTTP exchange as the client saw it. path is the request target from the server root
 * ("/api/v1/billing/products?page=2"); headers holds the response's header lines as received
 * ("Name: value\r\n"…, the status line excluded). */
struct validate_exchange {
    const char *method;
    const char *path;
    long status;
    const char *headers;
    const char *body;
    size_t body_len;
};

/* Checks the response against the contract. 0 when it keeps it; -1 when it breaks it or cannot be
 * checked, with the reasons on stderr. The checker (tools/response-validator.js on Node.js) starts
 * on first use and serves the whole process; safe to call from several threads. */
int validate_response(const struct validate_exchange *ex);

/* Starts the checker in the background, so that it loads while a server starts. Optional. */
void validate_warm_up(void);

/* How many responses failed the check in this process so far. A process that had any exits
 * with status 1 whatever its tests returned, so an unchecked return value cannot hide one. */
unsigned validate_failures(void);
/* Forgets the failures so far: for the checker's own test, which provokes them on purpose. */
void validate_forget_failures(void);

#endif
