/* login_guard.h: sign-in under attack: growing delays per account and per client address, and
 * the trusted proxies that say which address a request comes from. */
#ifndef SETT_BILLING_LOGIN_GUARD_H
#define SETT_BILLING_LOGIN_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "billing/api_error.h"
#include "billing/request.h"

struct billingd;
struct billingd_config;

/* Failures that cost nothing, the first delay (doubled per further failure), its cap, and how
 * long a key must stay quiet to start over; per account (e-mail, known or not) and per client
 * address (many people may share one: a household, an office, a carrier's NAT). */
#define LOGIN_ACCOUNT_FREE 5
#define LOGIN_ADDR_FREE    20
#define LOGIN_DELAY_FIRST  2    /* seconds */
#define LOGIN_ACCOUNT_CAP  900  /* 15 minutes */
#define LOGIN_ADDR_CAP     300  /* 5 minutes */
#define LOGIN_FORGET       3600 /* an hour without a failure */
/* Retry-After of a 503 server_busy: every hashing slot stayed taken for AUTH_PWHASH_WAIT_MS. */
#define LOGIN_BUSY_RETRY 2

/* Sets up the counters and parses cfg's trusted proxies. 0, or -1 with a message. */
int login_guard_init(struct billingd *app, const struct billingd_config *cfg, char *err,
                     size_t errsz);
void login_guard_free(struct billingd *app);

/* One sign-in attempt as the guard sees it. */
struct login_attempt {
    struct request *req;
    const char *email;
};

/* Seconds the attempt must wait (the longer of its account's and its address's delay); 0 when
 * it may go on. */
long long login_guard_wait(const struct login_attempt *a);
/* For auth_gate: whether the attempt may still go on once it holds a hashing slot, since the
 * failures of guesses checked meanwhile count against it (so parallel guesses at one account
 * get no more than the free ones and a slot's worth). */
bool login_guard_allowed(void *attempt);
/* The 429 rate_limited answer: Retry-After and details.retry_after, the seconds to wait (at
 * least 1); while they run even the right password is refused, unchecked. */
void login_guard_refuse(const struct login_attempt *a, struct reply *rep);
/* After the check: a wrong password counts for the account and for the address; API_OK forgets
 * the account's failures; answers that checked nothing (server_busy, rate_limited,
 * internal_error) count for nothing. Successes never count, so many customers signing in at once
 * (behind one address, or on one shared kiosk account) trip nothing. */
void login_guard_done(const struct login_attempt *a, enum api_error result);

#endif
