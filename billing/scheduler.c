/* scheduler.c: the lifecycle scheduler: one pass over the calendar, and the thread that runs it. */
#include "billing/scheduler.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/lifecycle.h"
#include "billing/scheduler_pass.h"

struct scheduler {
    struct billingd *app;
    int interval;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
};

int lifecycle_run(struct billingd *app, int64_t now)
{
    sqlite3 *conn = db_acquire(app->db);
    int rc = scheduler_pass(conn, now);

    db_release(app->db);
    /* Pages of payments the pass expired, and closings that failed before, no database held. */
    gateway_close_abandoned(app);
    return rc;
}

int billingd_run_scheduler(struct billingd *d)
{
    return lifecycle_run(d, clock_now(d));
}

/* A pass on the real clock only: a test that fixed the clock runs its passes itself. The clock is
 * read with the database held, so a test's rows are never seen by a pass at another time. */
static void scheduler_tick(struct billingd *app)
{
    sqlite3 *conn = db_acquire(app->db);

    if (!__atomic_load_n(&app->fixed_now, __ATOMIC_RELAXED))
        scheduler_pass(conn, clock_now(app));
    db_release(app->db);
    gateway_close_abandoned(app);
}

static void *scheduler_main(void *arg)
{
    struct scheduler *s = arg;
    struct timespec until;

    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        pthread_mutex_unlock(&s->lock);
        scheduler_tick(s->app);
        pthread_mutex_lock(&s->lock);
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += s->interval;
        while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

struct scheduler *scheduler_new(struct billingd *app, int interval_seconds)
{
    struct scheduler *s = calloc(1, sizeof *s);
    pthread_condattr_t attr;
    bool cond_ok = false;

    if (!s)
        return NULL;
    s->app = app;
    s->interval = interval_seconds > 0 ? interval_seconds : SCHEDULER_DEFAULT_INTERVAL;
    if (pthread_condattr_init(&attr) != 0)
        goto fail_free;
    /* Timed waits on the monotonic clock: setting the wall clock neither stalls nor rushes it. */
    cond_ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
              pthread_cond_init(&s->wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!cond_ok)
        goto fail_free;
    if (pthread_mutex_init(&s->lock, NULL) != 0)
        goto fail_cond;
    if (pthread_create(&s->thread, NULL, scheduler_main, s) != 0)
        goto fail_mutex;
    return s;
fail_mutex:
    pthread_mutex_destroy(&s->lock);
fail_cond:
    pthread_cond_destroy(&s->wake);
fail_free:
    free(s);
    return NULL;
}

void scheduler_free(struct scheduler **ps)
{
    struct scheduler *s;

    if (!ps || !*ps)
        return;
    s = *ps;
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    free(s);
    *ps = NULL;
}
