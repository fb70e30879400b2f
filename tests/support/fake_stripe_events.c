/* fake_stripe_events.c: the fake Stripe's objects as JSON, its signed webhook events, and their
 * delivery over HTTP. */
#include "fake_stripe.h"
#include "fake_stripe_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

char *fake_session_json(const struct fake_session *s)
{
    char *out = NULL;
    char pi[64] = "null";

    if (s->pi[0])
        snprintf(pi, sizeof pi, "\"%s\"", s->pi);
    if (asprintf(&out,
                 "{\"id\":\"%s\",\"object\":\"checkout.session\",\"amount_subtotal\":%lld,"
                 "\"amount_total\":%lld,\"currency\":\"%s\",\"client_reference_id\":\"%s\","
                 "\"expires_at\":%lld,\"livemode\":false,\"metadata\":{\"payment_id\":\"%s\"},"
                 "\"mode\":\"payment\",\"payment_intent\":%s,\"payment_status\":\"%s\","
                 "\"status\":\"%s\",\"url\":%s%s%s}",
                 s->id, (long long)s->amount, (long long)s->amount_total, s->currency,
                 s->client_ref, (long long)s->expires_at, s->meta_payment, pi, s->payment_status,
                 s->status, strcmp(s->status, "open") == 0 ? "\"" : "",
                 strcmp(s->status, "open") == 0 ? s->url : "null",
                 strcmp(s->status, "open") == 0 ? "\"" : "") < 0)
        abort();
    return out;
}

char *fake_stripe_event(struct fake_stripe *fs, const char *session_id, const char *type,
                        char event_id[64])
{
    char *session = NULL, *out = NULL;

    pthread_mutex_lock(&fs->core.lock);
    for (size_t i = 0; i < fs->n_sessions; i++)
        if (strcmp(fs->sessions[i].id, session_id) == 0)
            session = fake_session_json(&fs->sessions[i]);
    snprintf(event_id, 64, "evt_fake%06d%08lx", ++fs->seq, (unsigned long)random());
    pthread_mutex_unlock(&fs->core.lock);
    if (!session)
        return NULL;
    if (asprintf(&out,
                 "{\"id\":\"%s\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
                 "\"created\":%lld,\"livemode\":false,\"pending_webhooks\":1,\"type\":\"%s\","
                 "\"data\":{\"object\":%s}}",
                 event_id, (long long)time(NULL), type, session) < 0)
        abort();
    free(session);
    return out;
}

void fake_stripe_sign(const char *body, const char *secret, int64_t t, char *out, size_t size)
{
    crypto_auth_hmacsha256_state s;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * sizeof mac + 1], stamp[32];

    snprintf(stamp, sizeof stamp, "%lld.", (long long)t);
    crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)stamp, strlen(stamp));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&s, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(out, size, "t=%lld,v1=%s", (long long)t, hex);
}

long fake_stripe_post(const char *url, const char *body, const char *signature)
{
    char line[256];
    const char *headers[] = {"Content-Type: application/json; charset=utf-8", line,
                             "User-Agent: Stripe/1.0 (+https://stripe.com/docs/webhooks)", NULL};

    snprintf(line, sizeof line, "Stripe-Signature: %s", signature);
    return fake_gateway_post(url, body, headers);
}

long fake_stripe_deliver(struct fake_stripe *fs, const char *url, const char *session_id,
                         const char *type, char event_id[64])
{
    char sig[160];
    char *body = fake_stripe_event(fs, session_id, type, event_id);
    long status;

    if (!body)
        return -1;
    fake_stripe_sign(body, FAKE_STRIPE_WEBHOOK_SECRET, (int64_t)time(NULL), sig, sizeof sig);
    status = fake_stripe_post(url, body, sig);
    free(body);
    return status;
}
