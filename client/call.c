/* call.c: an API call's life: queued, finished, refreshed-and-retried on 401, called back. */
#include "client/internal.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static void call_free(struct call **r)
{
    if (!r || !*r)
        return;
    transport_release(*r);
    if ((*r)->body)
        explicit_bzero((*r)->body, strlen((*r)->body));
    free((*r)->body);
    free((*r)->if_match);
    free((*r)->idempotency_key);
    free((*r)->url);
    free(*r);
    *r = NULL;
}

struct call *call_new(struct client *c, const char *method, const char *path, char *body,
                      enum call_auth auth, call_finish_fn finish, void (*cb)(void), void *ud)
{
    struct call *r = calloc(1, sizeof(*r));
    size_t base = strlen(c->base_url), plen = strlen(path);

    if (!r || !(r->url = malloc(base + plen + 1))) {
        free(r);
        if (body)
            explicit_bzero(body, strlen(body));
        free(body);
        return NULL;
    }
    memcpy(r->url, c->base_url, base);
    memcpy(r->url + base, path, plen + 1);
    r->client = c;
    r->method = method;
    r->body = body;
    r->auth = auth;
    r->finish = finish;
    r->cb = cb;
    r->ud = ud;
    return r;
}

struct call *call_with_headers(struct call *r, const char *if_match, const char *idempotency_key)
{
    if (!r)
        return NULL;
    if ((if_match && !(r->if_match = strdup(if_match))) ||
        (idempotency_key && !(r->idempotency_key = strdup(idempotency_key))))
        call_free(&r);
    return r;
}

static void link_request(struct client *c, struct call *r)
{
    r->prev = c->tail;
    r->next = NULL;
    if (c->tail)
        c->tail->next = r;
    else
        c->head = r;
    c->tail = r;
    if (!r->internal)
        c->n_pending++;
}

static void unlink_request(struct client *c, struct call *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        c->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        c->tail = r->prev;
    r->prev = r->next = NULL;
    if (!r->internal)
        c->n_pending--;
}

uint64_t call_submit(struct client *c, struct call *r)
{
    if (!r)
        return 0;
    r->id = c->next_id++;
    link_request(c, r);
    if (transport_start(c, r) < 0) {
        call_drop(c, r);
        return 0;
    }
    return r->id;
}

struct call *call_find(struct client *c, uint64_t id)
{
    struct call *r;

    for (r = c->head; r; r = r->next)
        if (r->id == id && !r->internal)
            return r;
    return NULL;
}

void call_drop(struct client *c, struct call *r)
{
    if (c->refresh == r)
        c->refresh = NULL;
    transport_stop(c, r);
    unlink_request(c, r);
    call_free(&r);
}

/* Leaves the list first, so a callback that cancels its own id or starts new requests is safe. */
static void complete(struct client *c, struct call *r, const char *body, size_t len,
                     struct client_error *err)
{
    transport_stop(c, r);
    unlink_request(c, r);
    r->finish(r, body, len, err);
    call_free(&r);
}

static void complete_with(struct client *c, struct call *r, enum client_status s)
{
    struct client_error err;

    client_error_set(&err, s, NULL);
    complete(c, r, NULL, 0, &err);
}

static void resend(struct client *c, struct call *r)
{
    r->awaiting_refresh = false;
    r->retried = true;
    if (transport_start(c, r) < 0)
        complete_with(c, r, CLIENT_ERR_NOMEM);
}

static struct call *first_awaiting(struct client *c)
{
    struct call *r;

    for (r = c->head; r; r = r->next)
        if (r->awaiting_refresh)
            return r;
    return NULL;
}

/* Ends the wait of every request parked on the refresh: resent with the new tokens when `fail` is
 * NULL, else completed with it. Callbacks may change the list, so it is searched afresh. */
static void release_awaiting(struct client *c, const struct client_error *fail)
{
    struct call *r;

    while ((r = first_awaiting(c))) {
        struct client_error err;

        if (!fail) {
            resend(c, r);
            continue;
        }
        r->awaiting_refresh = false;
        err = *fail;
        complete(c, r, NULL, 0, &err);
    }
}

static bool transport_failed(enum client_status s)
{
    return s == CLIENT_ERR_TRANSPORT || s == CLIENT_ERR_TIMEOUT || s == CLIENT_ERR_TLS ||
           s == CLIENT_ERR_NOMEM;
}

static void refresh_finish(struct call *r, const char *body, size_t len, struct client_error *err)
{
    struct client *c = r->client;
    struct auth_session *s = NULL;
    long http = err->http_status;

    c->refresh = NULL;
    if (c->token_gen != r->token_gen) {
        /* the caller set new tokens meanwhile: those win over whatever this refresh got */
        release_awaiting(c, NULL);
        return;
    }
    if (body && decode_session(body, len, &s, err) == 0) {
        client_store_tokens(c, s->access_token, s->refresh_token, true);
        auth_session_free(&s);
        release_awaiting(c, NULL);
        return;
    }
    err->http_status = http;
    /* Unreachable server: the session may be fine, so the waiting requests report the network.
     * Otherwise they need a new sign-in; a 4xx means the refresh token itself is dead. */
    if (!transport_failed(err->status)) {
        if (http >= 400 && http < 500)
            client_store_tokens(c, NULL, NULL, true);
        err->status = CLIENT_ERR_AUTH;
    }
    release_awaiting(c, err);
}

static int refresh_start(struct client *c)
{
    cJSON *obj = cJSON_CreateObject();
    struct call *r;
    char *body = NULL;

    if (obj && cJSON_AddStringToObject(obj, "refresh_token", c->refresh_token))
        body = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    if (!body)
        return -1;
    r = call_new(c, "POST", "/auth/refresh", body, CALL_SIGN_IN, refresh_finish, NULL, NULL);
    if (!r)
        return -1;
    r->internal = true;
    if (call_submit(c, r) == 0)
        return -1;
    c->refresh = r;
    return 0;
}

/* A 401 on a request sent with a token: one shared refresh, then each waiting request retries. */
static bool await_refresh(struct client *c, struct call *r)
{
    if (r->auth != CALL_BEARER || r->retried)
        return false;
    if (r->token_gen != c->token_gen) {
        /* tokens changed while it was in flight (another refresh won): just try again */
        resend(c, r);
        return true;
    }
    if (!c->refresh_token)
        return false;
    r->awaiting_refresh = true;
    if (!c->refresh && refresh_start(c) < 0) {
        r->awaiting_refresh = false;
        complete_with(c, r, CLIENT_ERR_NOMEM);
    }
    return true;
}

void call_done(struct client *c, struct call *r, CURLcode rc)
{
    struct client_error err;
    long http;

    transport_stop(c, r);
    client_error_clear(&err);
    http = transport_http_status(r);
    if (rc != CURLE_OK) {
        transport_error(r, rc, &err);
        complete(c, r, NULL, 0, &err);
        return;
    }
    if (http >= 200 && http < 300) {
        err.http_status = http;
        complete(c, r, r->resp.data ? r->resp.data : "", r->resp.len, &err);
        return;
    }
    if (http == 401 && await_refresh(c, r))
        return;
    decode_error(r->resp.data, r->resp.len, http, &err);
    err.retry_after = r->resp_headers.retry_after;
    /* the signed-in session is gone; a refused login stays an API error with its own code */
    if (http == 401 && r->auth == CALL_BEARER)
        err.status = CLIENT_ERR_AUTH;
    complete(c, r, NULL, 0, &err);
}
