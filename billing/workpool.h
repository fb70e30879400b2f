/* workpool.h: a fixed set of threads that run the requests' handlers, apart from the threads that
 * do the network I/O, so a handler that waits (a gateway, a password check, the database) stalls
 * no other connection. */
#ifndef SETT_BILLING_WORKPOOL_H
#define SETT_BILLING_WORKPOOL_H

#include <stdbool.h>

/* One queued job; embedded in the caller's own struct (intrusive, so submitting never allocates).
 */
struct workpool_job {
    struct workpool_job *next;
};

struct workpool;

/* Starts `threads` threads that call run(job, ud) for each submitted job, oldest first. NULL on
 * failure. */
struct workpool *workpool_new(unsigned threads, void (*run)(struct workpool_job *job, void *ud),
                              void *ud);
/* Queues a job; false once the pool is stopping (the caller then runs the job itself). */
bool workpool_submit(struct workpool *p, struct workpool_job *job);
/* Stops taking jobs (workpool_submit says false from now on), runs those queued and joins the
 * threads. The pool stays valid for workpool_submit until freed. */
void workpool_stop(struct workpool *p);
/* Stops the pool if it still runs and frees it; takes NULL and clears the caller's pointer. */
void workpool_free(struct workpool **p);

#endif
