/* throttle.h: growing delays after failed password checks, per account and per client address.
 */
#ifndef SETT_BILLING_THROTTLE_H
#define SETT_BILLING_THROTTLE_H

#include <stdint.h>

struct throttle;

/* `free_tries` failures cost nothing; each one after that locks the key for `base` seconds,
 * doubled per further failure up to `cap`. A key that has not failed for `forget` seconds
 * starts over. NULL when out of memory or given nonsense. */
struct throttle *throttle_new(int free_tries, int64_t base, int64_t cap, int64_t forget);
void throttle_free(struct throttle **t);
/* 0 when the key may try now, else the seconds until it may (at least 1). */
int64_t throttle_wait(struct throttle *t, const char *key, int64_t now);
/* Counts a failure at `now`. */
void throttle_fail(struct throttle *t, const char *key, int64_t now);
/* Forgets the key (a successful sign-in of that account). */
void throttle_reset(struct throttle *t, const char *key);

#endif
