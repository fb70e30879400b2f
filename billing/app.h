/* app.h: the server's one state struct, shared by the HTTP layer, storage and handlers. */
#ifndef SETT_BILLING_APP_H
#define SETT_BILLING_APP_H

#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include "billing/billingd.h"

struct MHD_Daemon;
struct db;
struct gateway_settings;
struct peer_net;
struct rate_limit;
struct scheduler;
struct throttle;
struct workpool;

struct billingd {
    struct MHD_Daemon *mhd;
    /* The threads that run handlers (workpool.h); the daemon's own threads only do I/O. */
    struct workpool *workers;
    /* Sign-ins' own request threads (ROUTE_SIGNIN): a few more than the hashing slots, so a
     * flood of password guesses queues there, each bounded by AUTH_PWHASH_WAIT_MS from its
     * arrival, and holds none of the threads other requests need. */
    struct workpool *signin_workers;
    unsigned io_threads, n_workers, connection_limit; /* as started, for the log */
    struct db *db;
    uint16_t port;
    bool quiet;
    /* Each password check takes ~64 MiB and a core for a moment; a few at a time keeps a burst
     * of sign-ins from exhausting memory. */
    sem_t pwhash_slots;
    bool pwhash_slots_ready;
    /* Unix seconds a test fixed the clock at (billingd_set_clock); 0 follows the real time.
     * Read and written atomically: request threads and the scheduler share it. */
    int64_t fixed_now;
    /* Refused coupon codes per account and per client address (ratelimit.h). */
    struct rate_limit *coupon_by_user, *coupon_by_addr;
    /* Failed password checks per account (e-mail) and per client address (throttle.h). */
    struct throttle *login_by_account, *login_by_addr;
    /* The peers whose forwarding headers name the client (peer.h); set once at start. */
    struct peer_net *trusted;
    size_t n_trusted;
    /* The background thread that runs lifecycle_run periodically (NULL when switched off). */
    struct scheduler *scheduler;
    /* The sandbox gateway is served (--sandbox or --demo): /sandbox/pay/... exists, and stripe
     * and paypal take pretend money. Set once at start. */
    bool sandbox;
    /* Real gateways' configuration (gateway.h): Stripe's keys and the server's public URL. */
    struct gateway_settings *gateways;
};

#endif
