/* faults.h: runs one money operation of sett-billingd with every write and sync of it failed in
 * turn (the SQLite shim of tests/support/fault_vfs.c), a restart and the invariants after each. */
#ifndef SETT_TESTS_API_FAULTS_H
#define SETT_TESTS_API_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault_vfs.h"
#include "invariants.h"

/* One operation's run: the shop (one customer, index 0, and an operator), and what its prepare
 * step found for its request. */
struct fault_run {
    struct inv_world w;
    int64_t id[4];  /* e.g. a service, an invoice */
    char text[256]; /* e.g. the cart's ETag, a sandbox page's path */
};

struct fault_op {
    const char *name;
    /* Brings the running shop to the state before the operation. 0 or -1. */
    int (*prepare)(struct fault_run *fr);
    /* Sends the operation's request, the same each time (same Idempotency-Key, same body). 0 when
     * an answer came back, whatever it says. */
    int (*send)(struct fault_run *fr, struct api_resp *r);
    /* Whether a retry's answer says the operation is done; NULL: a 2xx. */
    bool (*done)(const struct api_resp *r);
};

/* How a run went: trials and what the failed attempts answered. */
struct fault_tally {
    unsigned trials, errors, successes, ghosts; /* ghosts: an error, yet it happened */
    uint64_t seen[FAULT_KINDS];                 /* calls of the operation, unarmed */
};

/* The environment every server of the process starts with: the shim preloaded, its control file,
 * a sync per commit. Call once, first. 0 or -1. */
int fault_setup(void);

/* Runs op: prepares the shop once and keeps it as a template; measures the operation's writes,
 * syncs and locks; then, from the template each time, fails each write (alternately with
 * SQLITE_IOERR_WRITE and SQLITE_FULL), each sync (SQLITE_IOERR_FSYNC) and every lock_step-th
 * lock (alternately SQLITE_BUSY and SQLITE_IOERR_LOCK; 0: none), restarts, checks, retries and
 * checks again (faults.c says what). Prints its figures; the number of failed checks. */
int fault_run_op(const struct fault_op *op, unsigned lock_step, struct fault_tally *tally);

/* The main of a test program: one cmocka test per operation, each run by fault_run_op with every
 * lock failed too; each must have had writes and syncs to fail. The number of failed tests. */
int fault_main(const struct fault_op *ops, size_t n);

/* Prepare steps' helpers. The stock-limited product every run's shop has ("mc-iron", 10 left). */
#define FAULT_PRODUCT "mc-iron"
/* Puts FAULT_PRODUCT in the customer's cart; its ETag goes to fr->text, its total to *total. */
int fault_cart(struct fault_run *fr, int64_t *total);
/* Buys FAULT_PRODUCT (monthly) by method, with credits first when use_credits; the checkout's
 * answer (201) stays in r. 0 or -1. */
int fault_buy(struct fault_run *fr, const char *method, bool use_credits, const char *key,
              struct api_resp *r);
/* The credit every run's customer is granted before buying with credits. */
#define FAULT_FUNDS 100000
/* Grants the customer FAULT_FUNDS and buys FAULT_PRODUCT with them: the order's invoice in
 * *invoice, its service in *service (either may be NULL). 0 or -1. */
int fault_bought(struct fault_run *fr, int64_t *invoice, int64_t *service);

#endif
