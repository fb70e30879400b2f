/* ratelimit.c: sliding windows of attempt times per key, in a small table under a mutex. */
#include "billing/ratelimit.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE_MAX_HITS 32
/* Keys tracked at once; when full, the key that has been quiet longest gives its place up. */
#define RATE_SLOTS 1024

struct rate_slot {
    char key[72];
    int64_t hits[RATE_MAX_HITS]; /* ring of attempt times */
    int n, next;
    int64_t last;
};

struct rate_limit {
    pthread_mutex_t lock;
    int max;
    int64_t window;
    struct rate_slot slots[RATE_SLOTS];
};

struct rate_limit *rate_limit_new(int max, int64_t window)
{
    struct rate_limit *rl;

    if (max < 1 || max > RATE_MAX_HITS || window < 1 || !(rl = calloc(1, sizeof *rl)))
        return NULL;
    if (pthread_mutex_init(&rl->lock, NULL) != 0) {
        free(rl);
        return NULL;
    }
    rl->max = max;
    rl->window = window;
    return rl;
}

void rate_limit_free(struct rate_limit **prl)
{
    if (!prl || !*prl)
        return;
    pthread_mutex_destroy(&(*prl)->lock);
    free(*prl);
    *prl = NULL;
}

/* Drops the hits that left the window. */
static void rate_prune(const struct rate_limit *rl, struct rate_slot *s, int64_t now)
{
    while (s->n > 0) {
        int oldest = (s->next - s->n + RATE_MAX_HITS) % RATE_MAX_HITS;

        if (s->hits[oldest] > now - rl->window)
            break;
        s->n--;
    }
}

static struct rate_slot *rate_find(struct rate_limit *rl, const char *key, int64_t now, bool make)
{
    struct rate_slot *quietest = &rl->slots[0];

    for (int i = 0; i < RATE_SLOTS; i++) {
        struct rate_slot *s = &rl->slots[i];

        if (s->key[0] && strcmp(s->key, key) == 0) {
            rate_prune(rl, s, now);
            return s;
        }
        if (s->last < quietest->last)
            quietest = s;
    }
    if (!make)
        return NULL;
    memset(quietest, 0, sizeof *quietest);
    snprintf(quietest->key, sizeof quietest->key, "%s", key);
    return quietest;
}

int64_t rate_limit_wait(struct rate_limit *rl, const char *key, int64_t now)
{
    struct rate_slot *s;
    int64_t wait = 0;

    if (!rl)
        return 0;
    pthread_mutex_lock(&rl->lock);
    s = rate_find(rl, key, now, false);
    if (s && s->n >= rl->max) {
        int oldest = (s->next - s->n + RATE_MAX_HITS) % RATE_MAX_HITS;

        wait = s->hits[oldest] + rl->window - now;
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

void rate_limit_hit(struct rate_limit *rl, const char *key, int64_t now)
{
    struct rate_slot *s;

    if (!rl)
        return;
    pthread_mutex_lock(&rl->lock);
    s = rate_find(rl, key, now, true);
    s->hits[s->next] = now;
    s->next = (s->next + 1) % RATE_MAX_HITS;
    if (s->n < RATE_MAX_HITS)
        s->n++;
    s->last = now;
    pthread_mutex_unlock(&rl->lock);
}
