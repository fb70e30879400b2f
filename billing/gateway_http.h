/* gateway_http.h: the billing server's HTTPS client for payment gateways (libcurl): one blocking
 * request with connect and total timeouts, a form body, a bearer secret and an Idempotency-Key. */
#ifndef SETT_BILLING_GATEWAY_HTTP_H
#define SETT_BILLING_GATEWAY_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* A form-encoded body (application/x-www-form-urlencoded), built field by field. */
struct gateway_form {
    char *text;
    size_t len, cap;
    bool failed; /* out of memory: the form is unusable */
};

/* Appends key=value, both percent-encoded. */
void gateway_form_add(struct gateway_form *f, const char *key, const char *value);
void gateway_form_addf(struct gateway_form *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void gateway_form_clear(struct gateway_form *f);

struct gateway_http_request {
    const char *method;      /* "GET" or "POST" */
    const char *url;         /* absolute */
    const char *bearer;      /* Authorization: Bearer <bearer>; never logged */
    const char *basic;       /* or Authorization: Basic of "user:password" (NULL: bearer) */
    const char *idem_key;    /* the idempotency header's value, or NULL */
    const char *idem_header; /* its name; NULL: "Idempotency-Key" */
    const char *form;        /* POST body, or NULL */
    bool json;               /* the body is JSON, not a form */
    const char *extra;       /* one more header line ("Stripe-Version: …"), or NULL */
    long timeout_ms;         /* total; the connection gets a third of it */
};

struct gateway_http_reply {
    long status; /* HTTP status, 0 when no answer came */
    char *body;  /* NUL-terminated (NULL when none) */
    size_t len;
    bool timed_out;  /* no complete answer in time */
    char error[128]; /* what went wrong in transport, for logs (no secrets) */
};

/* 0 when an HTTP answer came back (any status), -1 on a transport failure or timeout. */
int gateway_http_send(const struct gateway_http_request *req, struct gateway_http_reply *out);
void gateway_http_reply_clear(struct gateway_http_reply *r);

/* curl_global_init, once, before threads; and its pair. */
int gateway_http_init(void);
void gateway_http_cleanup(void);

#endif
