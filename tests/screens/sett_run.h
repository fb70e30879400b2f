/* sett_run.h: one `sett` on a pseudo-terminal against a test server, for the screen scenarios. */
#ifndef SETT_SCREENS_SETT_RUN_H
#define SETT_SCREENS_SETT_RUN_H

#include <stdbool.h>

#include "billingd_proc.h"
#include "harness.h"
#include "netutil.h"
#include "slow_proxy.h"

struct sett_run;

enum sett_backend {
    SETT_BACKEND_SERVER,   /* a fresh sett-billingd */
    SETT_BACKEND_SLOW,     /* a fresh sett-billingd behind a slow proxy */
    SETT_BACKEND_DEAD,     /* a loopback port that refuses every connection */
    SETT_BACKEND_EMBEDDED, /* no --api: sett starts its own server under the fresh HOME */
};

struct sett_run_opts {
    enum sett_backend backend;
    const char *catalog; /* fixture name under tests/screens/fixtures, an absolute path, or NULL */
    int delay_ms;        /* SETT_BACKEND_SLOW: how long every reply is held */
    const char *const *extra_args; /* more sett arguments, NULL-terminated, or NULL */
    const char *const *env;        /* more environment ("NAME=value"), or NULL */
    int rows, cols;
    bool fixed_clock; /* the server lives on a fixed day (fixed_billingd), for pages with dates */
    bool real_money;  /* the server without --demo: no sandbox gateway, no account */
    /* Called once the backend is up and r->api is known, before sett starts: to create records
     * through the API or store a session for sett. Non-zero aborts the start. */
    int (*prepare)(struct sett_run *r, void *ud);
    void *prepare_ud;
};

struct sett_run {
    struct billingd_proc *server;
    struct slow_proxy *proxy;
    struct dead_port dead;
    char api[128]; /* what sett was given as --api */
    struct harness *h;
};

/* Starts the backend and then `sett --api URL …`. Returns 0, or -1 (reason on stderr). */
int sett_run_start(struct sett_run *r, const struct sett_run_opts *o);
/* Quits sett with "q" (unless it already exited) and checks that it exited with status 0, so
 * every scenario also catches a crash, a sanitizer report or a leak at exit. 0 or -1. */
int sett_run_quit(struct sett_run *r);
/* Stops sett (if still running) and the backend; removes temporary files. */
void sett_run_stop(struct sett_run *r);

/* The API behind sett (the server, not the proxy), for peeking at what a screen should show. */
const char *sett_run_server_url(const struct sett_run *r);

/* Names of the products the API lists for `query` ("" for all; e.g. "q=teamspeak"), in the
 * server's order, up to `max`. Returns how many, or -1. Free with sett_names_free. */
int sett_peek_product_names(const struct sett_run *r, const char *query, char **names, int max);
void sett_names_free(char **names, int n);
/* Name of the first product whose pricing model is `model`, and the label of its last option;
 * 0 or -1. */
int sett_peek_model(const struct sett_run *r, const char *model, char *name, size_t namesz,
                    char *last_label, size_t labelsz);

/* Waits for the store to be fully shown: `text` visible, no "Loading", output settled. */
int sett_wait_settled(struct harness *h, const char *text);
/* Sends `key`, then waits for the screen with `text` settled. */
int sett_key_settled(struct harness *h, const char *key, const char *text);

/* Quiet period after which a screen counts as settled. */
#define SETT_QUIET_MS 250

#endif
