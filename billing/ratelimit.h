/* ratelimit.h: in-memory sliding windows of attempts per key (coupon codes per account and per
 * client address), shared by the request threads. */
#ifndef SETT_BILLING_RATELIMIT_H
#define SETT_BILLING_RATELIMIT_H

#include <stdint.h>

struct rate_limit;

/* At most `max` attempts (1-32) per key in any `window` seconds. NULL when out of memory. */
struct rate_limit *rate_limit_new(int max, int64_t window);
void rate_limit_free(struct rate_limit **rl);
/* 0 when the key may try now, else the seconds until it may. */
int64_t rate_limit_wait(struct rate_limit *rl, const char *key, int64_t now);
/* Counts one attempt of the key at `now`. */
void rate_limit_hit(struct rate_limit *rl, const char *key, int64_t now);

#endif
