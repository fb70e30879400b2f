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
};

/* Starts serving on a background thread (libmicrohttpd's internal polling thread).
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

/* Mints a service API key of scope `ssh` (POST /auth/ssh only) for the seeded operator, named
 * `name`, and writes its secret to `out` (at least 44 bytes). Earlier live keys of the same name
 * are revoked first, so a restarted settd holds exactly one. Returns 0, or -1 with a message. */
int billingd_service_key(struct billingd *d, const char *name, char *out, size_t outsz, char *err,
                         size_t errsz);

/* The seeded demo customer, used by `sett` when it runs on the embedded server. */
#define BILLINGD_DEMO_EMAIL    "demo@example.com"
#define BILLINGD_DEMO_PASSWORD "demo"
/* The seeded demo operator (role admin), for trying the operator endpoints. */
#define BILLINGD_ADMIN_EMAIL    "admin@example.com"
#define BILLINGD_ADMIN_PASSWORD "admin"

#endif
