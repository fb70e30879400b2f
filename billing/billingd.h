/* billingd.h: the reference billing API server, embeddable in-process (sett, settd) or run alone.
 */
#ifndef SETT_BILLINGD_H
#define SETT_BILLINGD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct billingd;

struct billingd_config {
    const char *db_path;      /* SQLite file; created, migrated and seeded on first start */
    const char *bind_addr;    /* NULL: "127.0.0.1" */
    uint16_t port;            /* 0: any free port (read it back with billingd_port) */
    bool quiet;               /* no request log on stderr */
    const char *catalog_path; /* NULL: the built-in demo catalog; read only when seeding a new DB */
    int scheduler_interval;   /* seconds between scheduler runs; 0: 60, -1: no scheduler thread */
    int seed_users;           /* a new database also gets customer1..N@example.com ("password") */
    bool sandbox;             /* serve the sandbox gateway (/sandbox/pay/...): no real money */
    bool demo; /* a new database gets the demo accounts and coupons; implies sandbox */
    /* Stripe (docs/billingd.md): the secret key (sk_test_/sk_live_) and the webhook signing
     * secret (whsec_), both NULL for none; the API's base URL (NULL: https://api.stripe.com); the
     * server's own public base URL for the pages Stripe sends customers back to. */
    const char *stripe_secret_key;
    const char *stripe_webhook_secret;
    const char *stripe_api_base;
    const char *public_url;
    long gateway_timeout_ms; /* each request to a gateway; 0: 10 s */
    /* PayPal (docs/billingd.md): the REST app's client id and secret, the id of its webhook, and
     * the API's base URL (NULL: https://api-m.paypal.com); all NULL for none. */
    const char *paypal_client_id;
    const char *paypal_secret;
    const char *paypal_webhook_id;
    const char *paypal_api_base;
    /* Proxies whose X-Forwarded-For / Forwarded header names the client ("10.0.0.5", "::1",
     * "10.0.0.0/8"); from any other peer those headers are ignored. settd trusts loopback. */
    const char *const *trusted_proxies;
    size_t n_trusted_proxies;
    /* The server model (docs/billingd.md): threads that do the network I/O, each watching its
     * share of the connections with epoll (0: the number of CPUs, at least 2), and threads that
     * run the handlers, which may wait on a gateway or the database (0: BILLINGD_WORKERS). */
    unsigned io_threads;
    unsigned workers;
};

#define BILLINGD_WORKERS          16
#define BILLINGD_SIGNIN_WORKERS   4 /* request threads for sign-ins (password checks) */
#define BILLINGD_THREADS_MAX      256
#define BILLINGD_CONNECTION_LIMIT 16384 /* open connections at once; past it new ones wait */

/* The threads and the connection limit a started server runs with, for its start-up line. */
void billingd_threads(const struct billingd *d, unsigned *io_threads, unsigned *workers,
                      unsigned *connection_limit);

/* Starts serving on background threads (libmicrohttpd's epoll threads and the handler threads).
 * Returns 0, or -1 with a human message in `err`. */
int billingd_start(const struct billingd_config *cfg, struct billingd **out, char *err,
                   size_t errsz);
uint16_t billingd_port(const struct billingd *d);
void billingd_stop(struct billingd **d);

/* For tests: fix the server's clock at `unix_seconds` (0 returns to the real time), and run the
 * scheduler (renewal invoices, overdue, suspension, termination) once, now. The scheduler
 * returns 0, or -1 on a database error. */
void billingd_set_clock(struct billingd *d, int64_t unix_seconds);
int billingd_run_scheduler(struct billingd *d);

/* "live" or "test" when Stripe is configured (its secret key's kind), else NULL. */
const char *billingd_stripe_mode(const struct billingd *d);
/* "live" or "sandbox" when PayPal is configured (by its API's address), else NULL. */
const char *billingd_paypal_mode(const struct billingd *d);

/* Whether this server runs the sandbox gateway (config sandbox or demo): payments are pretend. */
bool billingd_sandbox(const struct billingd *d);
/* The payment methods that can take money now, for the start-up line: "credits, stripe (sandbox),
 * paypal (sandbox)", "credits only" or "none". 0, or -1 (and a note in buf). */
int billingd_gateways_text(struct billingd *d, char *buf, size_t size);

/* Creates an operator (role admin) in the database at db_path (created and migrated if new), for
 * `sett-billingd admin create`. Returns 0, or a BILLINGD_ADMIN_* refusal with a message in err. */
enum {
    BILLINGD_ADMIN_OK = 0,
    BILLINGD_ADMIN_FAILED = 1,  /* database or system error */
    BILLINGD_ADMIN_EXISTS = 3,  /* the e-mail is taken */
    BILLINGD_ADMIN_REFUSED = 4, /* an invalid e-mail or name, or a password too short or long */
};
#define BILLINGD_OPERATOR_PASSWORD_MIN 12 /* characters (bytes) an operator's password needs */
int billingd_admin_create(const char *db_path, const char *email, const char *name,
                          const char *password, char *err, size_t errsz);
/* The e-mail and name checks of billingd_admin_create alone (before asking for a password). */
int billingd_admin_check(const char *email, const char *name, char *err, size_t errsz);

/* Mints a service API key of scope `ssh` (POST /auth/ssh only) for the internal service operator
 * (BILLINGD_SERVICE_EMAIL, created on first use; it has no password and cannot sign in), named
 * `name`, and writes its secret to `out` (at least 44 bytes). Earlier live keys of the same name
 * are revoked first, so a restarted settd holds exactly one. Returns 0, or -1 with a message. */
int billingd_service_key(struct billingd *d, const char *name, char *out, size_t outsz, char *err,
                         size_t errsz);

/* The internal operator that owns settd's service keys: no password, so no sign-in. */
#define BILLINGD_SERVICE_EMAIL "settd@service.invalid"
#define BILLINGD_SERVICE_NAME  "settd (service account)"

/* With `demo`, the seeded demo customer, used by `sett` when it runs on the embedded server. */
#define BILLINGD_DEMO_EMAIL    "demo@example.com"
#define BILLINGD_DEMO_PASSWORD "demo"
/* With `demo`, the seeded demo operator (role admin), for trying the operator endpoints. */
#define BILLINGD_ADMIN_EMAIL    "admin@example.com"
#define BILLINGD_ADMIN_PASSWORD "admin"

#endif
