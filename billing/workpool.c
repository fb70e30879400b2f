/* workpool.c: the handler threads: a mutex, a condition variable and a FIFO of jobs. */
#include "billing/workpool.h"

#include <pthread.h>
#include <stdlib.h>

struct workpool {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct workpool_job *head, *tail;
    bool stopping;
    void (*run)(struct workpool_job *job, void *ud);
    void *ud;
    unsigned n_threads;
    pthread_t threads[];
};

static void *workpool_main(void *arg)
{
    struct workpool *p = arg;

    for (;;) {
        struct workpool_job *job;

        pthread_mutex_lock(&p->lock);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->wake, &p->lock);
        job = p->head;
        if (job) {
            p->head = job->next;
            if (!p->head)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->lock);
        if (!job)
            return NULL; /* stopping, and nothing left to run */
        job->next = NULL;
        p->run(job, p->ud);
    }
}

struct workpool *workpool_new(unsigned threads, void (*run)(struct workpool_job *job, void *ud),
                              void *ud)
{
    struct workpool *p = calloc(1, sizeof *p + threads * sizeof(pthread_t));

    if (!p || threads == 0)
        goto fail;
    p->run = run;
    p->ud = ud;
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        goto fail;
    if (pthread_cond_init(&p->wake, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        goto fail;
    }
    for (; p->n_threads < threads; p->n_threads++)
        if (pthread_create(&p->threads[p->n_threads], NULL, workpool_main, p) != 0)
            break;
    if (p->n_threads < threads) {
        workpool_free(&p);
        return NULL;
    }
    return p;
fail:
    free(p);
    return NULL;
}

bool workpool_submit(struct workpool *p, struct workpool_job *job)
{
    bool queued = false;

    job->next = NULL;
    pthread_mutex_lock(&p->lock);
    if (!p->stopping) {
        if (p->tail)
            p->tail->next = job;
        else
            p->head = job;
        p->tail = job;
        queued = true;
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->lock);
    return queued;
}

void workpool_stop(struct workpool *p)
{
    unsigned n;

    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->wake);
    n = p->n_threads;
    p->n_threads = 0; /* joined once, by whoever stops first */
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < n; i++)
        pthread_join(p->threads[i], NULL);
}

void workpool_free(struct workpool **pp)
{
    struct workpool *p;

    if (!pp || !*pp)
        return;
    p = *pp;
    workpool_stop(p);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p);
    *pp = NULL;
}
