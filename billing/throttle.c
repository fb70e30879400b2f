/* throttle.c: failure counts per key (a keyed hash of it) in a fixed table under a mutex. */
#include "billing/throttle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* Keys tracked at once. When full, the entry that is not locked and failed longest ago gives
 * its place up, so a flood of made-up keys cannot push a locked account out. */
#define THROTTLE_SLOTS 4096
#define THROTTLE_ID    16

struct throttle_slot {
    unsigned char id[THROTTLE_ID];
    bool used;
    int fails;
    int64_t last;  /* time of the last failure */
    int64_t until; /* locked before this time */
};

struct throttle {
    pthread_mutex_t lock;
    int free_tries;
    int64_t base, cap, forget;
    unsigned char hash_key[crypto_generichash_KEYBYTES];
    struct throttle_slot slots[THROTTLE_SLOTS];
};

struct throttle *throttle_new(int free_tries, int64_t base, int64_t cap, int64_t forget)
{
    struct throttle *t;

    if (free_tries < 0 || base < 1 || cap < base || forget < cap || !(t = calloc(1, sizeof *t)))
        return NULL;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        free(t);
        return NULL;
    }
    t->free_tries = free_tries;
    t->base = base;
    t->cap = cap;
    t->forget = forget;
    randombytes_buf(t->hash_key, sizeof t->hash_key);
    return t;
}

void throttle_free(struct throttle **pt)
{
    if (!pt || !*pt)
        return;
    pthread_mutex_destroy(&(*pt)->lock);
    free(*pt);
    *pt = NULL;
}

/* The lock that `fails` failures, the last at `last`, impose. */
static int64_t throttle_until(const struct throttle *t, int fails, int64_t last)
{
    int64_t delay = t->base;
    int over = fails - t->free_tries;

    if (over <= 0)
        return 0;
    for (int i = 1; i < over && delay < t->cap; i++)
        delay *= 2;
    return last + (delay < t->cap ? delay : t->cap);
}

/* Whether a should give its place up rather than b: a free slot, then one not locked, then
 * the one that failed longest ago. */
static bool throttle_better_victim(const struct throttle_slot *a, const struct throttle_slot *b,
                                   int64_t now)
{
    if (!b || a->used != b->used)
        return !b || !a->used;
    if (!a->used)
        return false;
    if ((a->until > now) != (b->until > now))
        return a->until <= now;
    return a->last < b->last;
}

static struct throttle_slot *throttle_find(struct throttle *t, const char *key, int64_t now,
                                           bool make)
{
    unsigned char id[THROTTLE_ID];
    struct throttle_slot *victim = NULL;

    crypto_generichash(id, sizeof id, (const unsigned char *)key, strlen(key), t->hash_key,
                       sizeof t->hash_key);
    for (int i = 0; i < THROTTLE_SLOTS; i++) {
        struct throttle_slot *s = &t->slots[i];

        if (s->used && now - s->last >= t->forget)
            memset(s, 0, sizeof *s); /* quiet long enough: forgotten */
        if (s->used && memcmp(s->id, id, sizeof id) == 0)
            return s;
        if (throttle_better_victim(s, victim, now))
            victim = s;
    }
    if (!make)
        return NULL;
    memset(victim, 0, sizeof *victim);
    memcpy(victim->id, id, sizeof id);
    victim->used = true;
    return victim;
}

int64_t throttle_wait(struct throttle *t, const char *key, int64_t now)
{
    struct throttle_slot *s;
    int64_t wait = 0;

    if (!t)
        return 0;
    pthread_mutex_lock(&t->lock);
    if ((s = throttle_find(t, key, now, false)) && s->until > now)
        wait = s->until - now;
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void throttle_fail(struct throttle *t, const char *key, int64_t now)
{
    struct throttle_slot *s;

    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    s = throttle_find(t, key, now, true);
    if (s->fails < 1000)
        s->fails++;
    s->last = now;
    s->until = throttle_until(t, s->fails, now);
    pthread_mutex_unlock(&t->lock);
}

void throttle_reset(struct throttle *t, const char *key)
{
    unsigned char id[THROTTLE_ID];

    if (!t)
        return;
    crypto_generichash(id, sizeof id, (const unsigned char *)key, strlen(key), t->hash_key,
                       sizeof t->hash_key);
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < THROTTLE_SLOTS; i++)
        if (t->slots[i].used && memcmp(t->slots[i].id, id, sizeof id) == 0)
            memset(&t->slots[i], 0, sizeof t->slots[i]);
    pthread_mutex_unlock(&t->lock);
}
