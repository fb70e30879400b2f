/* stripe_signature.h: Stripe's webhook signature: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]`,
 * each v1 the hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret (whsec_…). */
#ifndef SETT_BILLING_STRIPE_SIGNATURE_H
#define SETT_BILLING_STRIPE_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#define STRIPE_SIGNATURE_TOLERANCE 300 /* seconds between the signature's t and our clock */

enum stripe_signature_result {
    STRIPE_SIGNATURE_OK = 0,
    STRIPE_SIGNATURE_MALFORMED, /* no header, no t, or no v1 */
    STRIPE_SIGNATURE_MISMATCH,  /* no v1 matches the body */
    STRIPE_SIGNATURE_STALE,     /* t is further than the tolerance from now */
};

/* Checks every v1 in constant time; the timestamp only once a signature matched. */
enum stripe_signature_result stripe_signature_verify(const char *header, const char *body,
                                                     size_t len, const char *secret, int64_t now,
                                                     int64_t tolerance);
/* "t=<t>,v1=<hex>" for body (what Stripe sends; the fake gateway signs with it). 0 or -1. */
int stripe_signature_make(const char *body, size_t len, const char *secret, int64_t t, char *out,
                          size_t outsz);

#endif
