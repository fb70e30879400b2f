/* stripe_signature.c: checking (and making) Stripe's webhook signatures with libsodium. */
#include "billing/stripe_signature.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define SIG_HEX (2 * crypto_auth_hmacsha256_BYTES)

static void signature_hex(const char *body, size_t len, const char *secret, int64_t t,
                          char out[SIG_HEX + 1])
{
    crypto_auth_hmacsha256_state s;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char stamp[24];
    int n = snprintf(stamp, sizeof stamp, "%lld.", (long long)t);

    /* The key is the whole secret string, "whsec_" included, as Stripe's libraries use it. */
    crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)stamp, (unsigned long long)n);
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&s, mac);
    sodium_bin2hex(out, SIG_HEX + 1, mac, sizeof mac);
    sodium_memzero(&s, sizeof s);
}

enum stripe_signature_result stripe_signature_verify(const char *header, const char *body,
                                                     size_t len, const char *secret, int64_t now,
                                                     int64_t tolerance)
{
    char want[SIG_HEX + 1];
    const char *p = header;
    int64_t t = -1;
    bool any = false, match = false;

    if (!header || !secret || !*secret)
        return STRIPE_SIGNATURE_MALFORMED;
    /* First the timestamp: it is part of what was signed. */
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);

        if (n > 2 && p[0] == 't' && p[1] == '=' && t < 0) {
            size_t digits = strspn(p + 2, "0123456789");

            if (digits == n - 2 && digits > 0 && digits < 12)
                t = strtoll(p + 2, NULL, 10);
        }
        p = end ? end + 1 : NULL;
    }
    if (t < 0)
        return STRIPE_SIGNATURE_MALFORMED;
    signature_hex(body ? body : "", body ? len : 0, secret, t, want);
    for (p = header; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);

        if (n == 3 + SIG_HEX && memcmp(p, "v1=", 3) == 0) {
            any = true;
            /* Every v1 is compared, in constant time, whatever the ones before gave. */
            match |= sodium_memcmp(p + 3, want, SIG_HEX) == 0;
        } else if (n > 3 && memcmp(p, "v1=", 3) == 0) {
            any = true;
        }
        p = end ? end + 1 : NULL;
    }
    sodium_memzero(want, sizeof want);
    if (!any)
        return STRIPE_SIGNATURE_MALFORMED;
    if (!match)
        return STRIPE_SIGNATURE_MISMATCH;
    if (t < now - tolerance || t > now + tolerance)
        return STRIPE_SIGNATURE_STALE;
    return STRIPE_SIGNATURE_OK;
}

int stripe_signature_make(const char *body, size_t len, const char *secret, int64_t t, char *out,
                          size_t outsz)
{
    char hex[SIG_HEX + 1];
    int n;

    signature_hex(body, len, secret, t, hex);
    n = snprintf(out, outsz, "t=%lld,v1=%s", (long long)t, hex);
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}
