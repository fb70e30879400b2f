/* stub_server.h: a tiny HTTP/1.1 server on 127.0.0.1 for the transport tests (one thread). */
#ifndef SETT_TEST_STUB_SERVER_H
#define SETT_TEST_STUB_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct stub_request {
    char method[16];
    char path[512];
    char user_agent[128];
    char authorization[512];
    char accept[128];
    char content_type[128];
    char if_match[128];
    char idempotency_key[300];
    char forwarded_for[128]; /* X-Forwarded-For */
    char body[2048];
};

struct stub_response {
    int status;
    const char *content_type; /* NULL: application/json */
    const char *body;         /* NULL: empty */
    size_t body_len;          /* 0: strlen(body) */
    const char *headers;      /* extra header lines, each ending in "\r\n"; NULL: none */
    bool no_reply;            /* hold the connection open and never answer */
};

/* Called on the server thread for each complete request; fills `resp`. */
typedef void (*stub_route_fn)(void *ud, const struct stub_request *req, struct stub_response *resp);

struct stub_server;

struct stub_server *stub_start(stub_route_fn route, void *ud);
void stub_stop(struct stub_server **s);
int stub_port(const struct stub_server *s);
/* "http://127.0.0.1:<port>" */
const char *stub_url(const struct stub_server *s);
unsigned stub_accepts(struct stub_server *s);
unsigned stub_requests(struct stub_server *s);
/* Copies the last request seen. */
void stub_last(struct stub_server *s, struct stub_request *out);

#endif
