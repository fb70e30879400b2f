/* fake_stripe.c: the fake Stripe API: sessions, refunds and their errors, on the shared fake
 * gateway server (fake_gateway.c) configured with Stripe's wire format. */
#include "fake_stripe.h"
#include "fake_stripe_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Decodes form-encoded text from p up to end or the byte `stop` into out (size bytes); where it
 * stopped. */
static const char *fake_form_decode(const char *p, const char *end, char stop, char *out,
                                    size_t size)
{
    size_t n = 0;

    while (p < end && *p != stop && n < size - 1) {
        if (*p == '%' && p + 2 < end) {
            char hex[3] = {p[1], p[2], 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            p += 3;
        } else {
            out[n++] = *p == '+' ? ' ' : *p;
            p++;
        }
    }
    out[n] = '\0';
    return p;
}

bool fake_stripe_form_value(const char *body, const char *key, char *out, size_t size)
{
    const char *p = body;

    while (p && *p) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
        char name[256];
        const char *q = fake_form_decode(p, end, '=', name, sizeof name);

        if (strcmp(name, key) == 0 && q < end && *q == '=') {
            fake_form_decode(q + 1, end, '\0', out, size);
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

static char *fake_error(const char *type, const char *code, const char *message, const char *param)
{
    char *s = NULL;

    if (asprintf(&s,
                 "{\"error\":{\"type\":\"%s\",\"code\":%s%s%s,\"message\":\"%s\","
                 "\"param\":%s%s%s}}",
                 type, code ? "\"" : "", code ? code : "null", code ? "\"" : "", message,
                 param ? "\"" : "", param ? param : "null", param ? "\"" : "") < 0)
        abort();
    return s;
}

static struct fake_session *fake_session_new(struct fake_stripe *fs, const char *body, char **error)
{
    struct fake_session *s;
    char v[256];

    *error = NULL;
    if (!fake_stripe_form_value(body, "mode", v, sizeof v) || strcmp(v, "payment") != 0) {
        *error = fake_error("invalid_request_error", "parameter_missing", "Missing mode.", "mode");
        return NULL;
    }
    if (!fake_stripe_form_value(body, "line_items[0][price_data][unit_amount]", v, sizeof v) ||
        atoll(v) <= 0) {
        *error = fake_error("invalid_request_error", "parameter_invalid_integer",
                            "Invalid unit_amount.", "line_items[0][price_data][unit_amount]");
        return NULL;
    }
    if (fs->n_sessions == FAKE_SESSIONS_MAX) {
        *error = fake_error("api_error", NULL, "The fake is full.", NULL);
        return NULL;
    }
    s = &fs->sessions[fs->n_sessions++];
    memset(s, 0, sizeof *s);
    {
        char base[sizeof fs->core.url], id[sizeof s->id], url[sizeof s->url];

        memcpy(base, fs->core.url, sizeof base);
        snprintf(id, sizeof id, "cs_test_fake%04d%08lx", ++fs->seq, (unsigned long)random());
        snprintf(url, sizeof url, "%s/c/pay/%s", base, id);
        memcpy(s->id, id, sizeof id);
        memcpy(s->url, url, sizeof url);
    }
    s->amount = atoll(v);
    fake_stripe_form_value(body, "line_items[0][price_data][currency]", s->currency,
                           sizeof s->currency);
    fake_stripe_form_value(body, "client_reference_id", s->client_ref, sizeof s->client_ref);
    fake_stripe_form_value(body, "metadata[payment_id]", s->meta_payment, sizeof s->meta_payment);
    if (fake_stripe_form_value(body, "expires_at", v, sizeof v))
        s->expires_at = atoll(v);
    snprintf(s->status, sizeof s->status, "open");
    snprintf(s->payment_status, sizeof s->payment_status, "unpaid");
    s->amount_total = s->amount;
    return s;
}

static struct fake_session *fake_session_find(struct fake_stripe *fs, const char *id)
{
    for (size_t i = 0; i < fs->n_sessions; i++)
        if (strcmp(fs->sessions[i].id, id) == 0)
            return &fs->sessions[i];
    return NULL;
}

static char *fake_refund(struct fake_stripe *fs, const char *body, unsigned *status)
{
    char pi[96] = "", amount[32] = "";
    struct fake_session *s = NULL;
    char *out = NULL;
    int64_t n;

    fake_stripe_form_value(body, "payment_intent", pi, sizeof pi);
    fake_stripe_form_value(body, "amount", amount, sizeof amount);
    for (size_t i = 0; i < fs->n_sessions && pi[0]; i++)
        if (strcmp(fs->sessions[i].pi, pi) == 0)
            s = &fs->sessions[i];
    n = amount[0] ? atoll(amount) : (s ? s->amount_total - s->refunded : 0);
    if (!s || strcmp(s->payment_status, "paid") != 0) {
        *status = 404;
        return fake_error("invalid_request_error", "resource_missing", "No such payment_intent.",
                          "payment_intent");
    }
    if (n <= 0 || n > s->amount_total - s->refunded) {
        *status = 400;
        return fake_error("invalid_request_error", "amount_too_large",
                          "Refund amount is greater than unrefunded amount on charge.", "amount");
    }
    s->refunded += n;
    *status = 200;
    if (asprintf(&out,
                 "{\"id\":\"re_fake%04d\",\"object\":\"refund\",\"amount\":%lld,"
                 "\"currency\":\"%s\",\"payment_intent\":\"%s\",\"status\":\"succeeded\"}",
                 ++fs->seq, (long long)n, s->currency, pi) < 0)
        abort();
    return out;
}

/* POST /v1/checkout/sessions/{id}/expire: an open session expires (it can no longer be paid);
 * any other is refused as Stripe does. */
static char *fake_session_expire(struct fake_stripe *fs, const char *rest, unsigned *status)
{
    char id[96];
    const char *slash = strchr(rest, '/');
    struct fake_session *s;

    if (!slash || strcmp(slash, "/expire") != 0 || (size_t)(slash - rest) >= sizeof id) {
        *status = 404;
        return fake_error("invalid_request_error", NULL, "Unrecognized request URL.", NULL);
    }
    snprintf(id, sizeof id, "%.*s", (int)(slash - rest), rest);
    if (!(s = fake_session_find(fs, id))) {
        *status = 404;
        return fake_error("invalid_request_error", "resource_missing", "No such checkout.session.",
                          "session");
    }
    if (strcmp(s->status, "open") != 0) {
        *status = 400;
        return fake_error("invalid_request_error", NULL,
                          "Only Checkout Sessions with a status in [\"open\"] can be expired.",
                          NULL);
    }
    snprintf(s->status, sizeof s->status, "%s", "expired");
    *status = 200;
    return fake_session_json(s);
}

/* The answer to one API request, under the lock. */
static char *fake_route(void *owner, const char *method, const char *path, const char *body,
                        unsigned *status)
{
    struct fake_stripe *fs = owner;
    struct fake_session *s;
    char *err;

    if (strcmp(method, "POST") == 0 && strcmp(path, "/v1/checkout/sessions") == 0) {
        if (!(s = fake_session_new(fs, body, &err))) {
            *status = 400;
            return err;
        }
        *status = 200;
        return fake_session_json(s);
    }
    if (strcmp(method, "POST") == 0 && strncmp(path, "/v1/checkout/sessions/", 22) == 0)
        return fake_session_expire(fs, path + 22, status);
    if (strcmp(method, "GET") == 0 && strncmp(path, "/v1/checkout/sessions/", 22) == 0) {
        if (!(s = fake_session_find(fs, path + 22))) {
            *status = 404;
            return fake_error("invalid_request_error", "resource_missing",
                              "No such checkout.session.", "session");
        }
        *status = 200;
        return fake_session_json(s);
    }
    if (strcmp(method, "POST") == 0 && strcmp(path, "/v1/refunds") == 0)
        return fake_refund(fs, body, status);
    *status = 404;
    return fake_error("invalid_request_error", NULL, "Unrecognized request URL.", NULL);
}

/* Every request needs the secret key as a Bearer token. */
static char *fake_gate(void *owner, const char *method, const char *path, const char *auth,
                       const char *body, unsigned *status)
{
    (void)owner;
    (void)method;
    (void)path;
    (void)body;
    if (auth && strcmp(auth, "Bearer " FAKE_STRIPE_API_KEY) == 0)
        return NULL;
    *status = 401;
    return fake_error("invalid_request_error", NULL, "Invalid API Key provided.", NULL);
}

static char *fake_fault_error(void)
{
    return fake_error("api_error", NULL, "An unknown error occurred (fake).", NULL);
}

static char *fake_idem_error(void)
{
    return fake_error("idempotency_error", NULL,
                      "Keys for idempotent requests can only be used with the same "
                      "parameters they were first used with.",
                      NULL);
}

/* Stripe's Idempotency-Key: on POSTs; the same key with the same body replays the first answer,
 * with another body it is an idempotency_error; only answers that ran (not 5xx) are kept. */
static const struct fake_gateway_wire fake_stripe_wire = {
    .idem_header = "Idempotency-Key",
    .idem_post_only = true,
    .idem_one_body = true,
    .idem_keep_below = 500,
    .reply_header = "Request-Id",
    .reply_value = "req_fake",
    .gate = fake_gate,
    .route = fake_route,
    .fault_error = fake_fault_error,
    .idem_error = fake_idem_error,
};

_Static_assert(offsetof(struct fake_stripe, core) == 0, "the fake Stripe is a fake gateway");

struct fake_stripe *fake_stripe_start(void)
{
    srandom((unsigned)time(NULL) ^ (unsigned)getpid());
    return fake_gateway_new(sizeof(struct fake_stripe), &fake_stripe_wire);
}

const char *fake_stripe_url(const struct fake_stripe *fs)
{
    return fs->core.url;
}

void fake_stripe_stop(struct fake_stripe **pfs)
{
    if (!pfs)
        return;
    fake_gateway_free(*pfs ? &(*pfs)->core : NULL);
    *pfs = NULL;
}

void fake_stripe_fault(struct fake_stripe *fs, enum fake_stripe_fault fault, int times,
                       int delay_ms)
{
    fake_gateway_fault(&fs->core, (enum fake_gateway_fault)fault, times, delay_ms);
}

size_t fake_stripe_count(struct fake_stripe *fs, const char *method, const char *path_prefix)
{
    return fake_gateway_count(&fs->core, method, path_prefix);
}

_Static_assert(sizeof(struct fake_stripe_record) == sizeof(struct fake_gateway_record),
               "a Stripe record is a gateway record");

bool fake_stripe_request(struct fake_stripe *fs, const char *method, const char *path_prefix,
                         int index, struct fake_stripe_record *out)
{
    return fake_gateway_request(&fs->core, method, path_prefix, index, out);
}

void fake_stripe_record_clear(struct fake_stripe_record *r)
{
    free(r->body);
    r->body = NULL;
}

size_t fake_stripe_sessions(struct fake_stripe *fs)
{
    size_t n;

    pthread_mutex_lock(&fs->core.lock);
    n = fs->n_sessions;
    pthread_mutex_unlock(&fs->core.lock);
    return n;
}

/* Moves a session whose status is `from` on: to status `to` and payment_status `paid` (NULL:
 * unchanged), collecting amount_total (-1: unchanged). 0, or -1 when it is not `from`. */
static int fake_session_move(struct fake_stripe *fs, const char *session_id, const char *from,
                             const char *to, const char *paid, int64_t amount_total)
{
    struct fake_session *s;
    int rc = -1;

    pthread_mutex_lock(&fs->core.lock);
    if ((s = fake_session_find(fs, session_id)) && strcmp(s->status, from) == 0) {
        if (to)
            snprintf(s->status, sizeof s->status, "%s", to);
        if (to && strcmp(to, "complete") == 0)
            snprintf(s->pi, sizeof s->pi, "pi_fake%04d", ++fs->seq);
        if (paid)
            snprintf(s->payment_status, sizeof s->payment_status, "%s", paid);
        if (amount_total >= 0)
            s->amount_total = amount_total;
        rc = 0;
    }
    pthread_mutex_unlock(&fs->core.lock);
    return rc;
}

int fake_stripe_complete(struct fake_stripe *fs, const char *session_id, const char *payment_status,
                         int64_t amount_total)
{
    return fake_session_move(fs, session_id, "open", "complete", payment_status, amount_total);
}

int fake_stripe_async(struct fake_stripe *fs, const char *session_id, bool succeeded)
{
    return fake_session_move(fs, session_id, "complete", NULL, succeeded ? "paid" : NULL, -1);
}

int fake_stripe_expire(struct fake_stripe *fs, const char *session_id)
{
    return fake_session_move(fs, session_id, "open", "expired", NULL, -1);
}
