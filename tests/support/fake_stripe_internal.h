/* fake_stripe_internal.h: the fake Stripe's state, shared by its server and event halves. */
#ifndef SETT_TEST_FAKE_STRIPE_INTERNAL_H
#define SETT_TEST_FAKE_STRIPE_INTERNAL_H

#include <stdint.h>

#include "fake_stripe.h"

#define FAKE_SESSIONS_MAX 64

struct fake_session {
    char id[64], url[160], currency[8], client_ref[32], meta_payment[32], pi[48];
    char status[16];         /* open, complete, expired */
    char payment_status[24]; /* unpaid, paid */
    int64_t amount, amount_total, refunded, expires_at;
};

struct fake_stripe {
    struct fake_gateway core; /* the server, its lock, records, replay and faults */
    struct fake_session sessions[FAKE_SESSIONS_MAX];
    size_t n_sessions;
    int seq;
};

/* The session as Stripe's API shows it (a new string); under the lock. */
char *fake_session_json(const struct fake_session *s);

#endif
