/* fake_gateway.h: what the fake Stripe and the fake PayPal share: a loopback HTTP server that
 * records every request, replays idempotent ones, misbehaves on demand, and posts webhooks. Each
 * fake embeds one and configures it with its wire format (struct fake_gateway_wire). */
#ifndef SETT_TEST_FAKE_GATEWAY_H
#define SETT_TEST_FAKE_GATEWAY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define FAKE_GATEWAY_RECORDS_MAX 512
#define FAKE_GATEWAY_IDEM_MAX    256

enum fake_gateway_fault {
    FAKE_GATEWAY_NORMAL,
    FAKE_GATEWAY_5XX,  /* answer 500 with the wire's error, doing nothing */
    FAKE_GATEWAY_SLOW, /* do the work, then wait delay_ms before answering (a client times out) */
};

/* The fields of one recorded request, for each fake's record type; `idem` names the field that
 * holds the idempotency header's value. The same layout in every record type. */
#define FAKE_GATEWAY_RECORD(idem)                                                                  \
    char method[8];                                                                                \
    char path[192];                                                                                \
    char idem[160];                                                                                \
    char auth[256]; /* Authorization */                                                            \
    char *body;     /* NUL-terminated ("" when none) */                                            \
    int status      /* what the fake answered */

struct fake_gateway_record {
    FAKE_GATEWAY_RECORD(idem);
};

/* A gateway's wire format, as the core needs it. The callbacks run under the lock; their owner is
 * the fake that embeds the struct fake_gateway. */
struct fake_gateway_wire {
    const char *idem_header;  /* "Idempotency-Key", "PayPal-Request-Id" */
    bool idem_post_only;      /* only POSTs are replayed */
    bool idem_one_body;       /* a key names one request: reused with another path or body, it is
                               * refused (idem_error); else a key is looked up with its path */
    unsigned idem_keep_below; /* answers with a lower status are kept for replay */
    const char *reply_header, *reply_value; /* one more header on every answer, or NULL */
    /* Answers a request before faults and replay (authentication, tokens): a new string with
     * *status set, or NULL to go on. */
    char *(*gate)(void *owner, const char *method, const char *path, const char *auth,
                  const char *body, unsigned *status);
    /* The answer to a request that passed: a new string with *status set. */
    char *(*route)(void *owner, const char *method, const char *path, const char *body,
                   unsigned *status);
    char *(*fault_error)(void); /* the body of a FAKE_GATEWAY_5XX answer (500) */
    char *(*idem_error)(void);  /* the body of a refused key reuse (400) */
};

struct fake_gateway_idem {
    char key[160], path[192];
    char *body, *answer;
    unsigned status;
};

struct fake_gateway {
    struct MHD_Daemon *mhd;
    const struct fake_gateway_wire *wire;
    char url[64]; /* "http://127.0.0.1:PORT" */
    pthread_mutex_t lock;
    struct fake_gateway_record records[FAKE_GATEWAY_RECORDS_MAX];
    size_t n_records;
    struct fake_gateway_idem idem[FAKE_GATEWAY_IDEM_MAX];
    size_t n_idem;
    enum fake_gateway_fault fault;
    int fault_times, delay_ms;
};

/* A new fake of `size` bytes whose first member is its struct fake_gateway, zeroed and serving
 * on a free port with this wire format; NULL on failure. */
void *fake_gateway_new(size_t size, const struct fake_gateway_wire *wire);
/* Stops serving and frees the fake that embeds gw (NULL: nothing). */
void fake_gateway_free(struct fake_gateway *gw);

/* The next `times` API requests (past the gate) misbehave so. */
void fake_gateway_fault(struct fake_gateway *gw, enum fake_gateway_fault fault, int times,
                        int delay_ms);

/* Requests whose method and path start match (method NULL: any). */
size_t fake_gateway_count(struct fake_gateway *gw, const char *method, const char *path_prefix);
/* A copy of the index-th such request (-1: the last), its body a new string, into out: a record
 * of any fake's type (they share the layout of FAKE_GATEWAY_RECORD). */
bool fake_gateway_request(struct fake_gateway *gw, const char *method, const char *path_prefix,
                          int index, void *out);

/* A new copy of s ("" for NULL); aborts when out of memory. */
char *fake_gateway_strdup(const char *s);

/* Posts a webhook body with these header lines (NULL-terminated); the HTTP status, or -1. */
long fake_gateway_post(const char *url, const char *body, const char *const headers[]);

#endif
