/* scheduler.h: the background thread that runs the lifecycle scheduler every few seconds. */
#ifndef SETT_BILLING_SCHEDULER_H
#define SETT_BILLING_SCHEDULER_H

struct billingd;
struct scheduler;

#define SCHEDULER_DEFAULT_INTERVAL 60 /* seconds */

/* Starts the thread: a pass at once, then one every interval_seconds (0: the default). While a
 * test has fixed the clock it skips its passes; billingd_run_scheduler runs them on demand.
 * NULL on failure. */
struct scheduler *scheduler_new(struct billingd *app, int interval_seconds);
/* Wakes the thread, waits for it to finish its pass and stop, and frees it. NULL is fine. */
void scheduler_free(struct scheduler **s);

#endif
