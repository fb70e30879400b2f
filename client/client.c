/* client.c: the client's lifetime, its tokens, and the event-loop calls (wait, dispatch). */
#include "client/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#ifndef SETT_VERSION
#define SETT_VERSION "0"
#endif

#define API_PREFIX "/api/v1"
/* Connections to the API at once (and kept alive): settd runs hundreds of clients per server. */

/* "http://h:1", "http://h:1/", "http://h:1/api/v1/" all become "http://h:1/api/v1". */
static char *normalize_base_url(const char *url)
{
    size_t len = strlen(url), plen = strlen(API_PREFIX);
    bool has_prefix;
    char *out;

    while (len > 0 && url[len - 1] == '/')
        len--;
    has_prefix = len >= plen && strncmp(url + len - plen, API_PREFIX, plen) == 0;
    out = malloc(len + (has_prefix ? 0 : plen) + 1);
    if (!out)
        return NULL;
    memcpy(out, url, len);
    strcpy(out + len, has_prefix ? "" : API_PREFIX);
    return out;
}

static bool url_scheme_ok(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* Only an address goes into the header: nothing that could add or split one. */
static bool client_is_address(const char *s)
{
    unsigned char buf[16];

    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

struct client *client_new(const struct client_config *cfg, struct client_error *err)
{
    struct client *c = NULL;
    struct client_error local;

    if (!err)
        err = &local;
    client_error_clear(err);
    if (!cfg || !cfg->base_url || !url_scheme_ok(cfg->base_url)) {
        client_error_set(err, CLIENT_ERR_USAGE, "the API URL must start with http:// or https://");
        return NULL;
    }
    /* reference-counted by libcurl; balanced in client_free */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        client_error_set(err, CLIENT_ERR_TRANSPORT, "libcurl failed to initialize");
        return NULL;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        curl_global_cleanup();
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return NULL;
    }
    c->next_id = 1;
    c->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 5000;
    c->total_timeout_ms = cfg->total_timeout_ms > 0 ? cfg->total_timeout_ms : 20000;
    c->insecure = cfg->insecure_no_verify;
    c->base_url = normalize_base_url(cfg->base_url);
    c->user_agent = strdup(cfg->user_agent ? cfg->user_agent : "sett/" SETT_VERSION);
    c->multi = curl_multi_init();
    if (cfg->forwarded_for && client_is_address(cfg->forwarded_for) &&
        !(c->forwarded_for = strdup(cfg->forwarded_for))) {
        client_free(&c);
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return NULL;
    }
    if (!c->base_url || !c->user_agent || !c->multi) {
        client_free(&c);
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return NULL;
    }
    /* the client queues requests beyond the cap itself (transport.c); curl's cap is a backstop */
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)CLIENT_MAX_CONNECTIONS);
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)CLIENT_MAX_CONNECTIONS);
    return c;
}

static void wipe_free(char **s)
{
    if (*s)
        explicit_bzero(*s, strlen(*s));
    free(*s);
    *s = NULL;
}

void client_free(struct client **c)
{
    if (!c || !*c)
        return;
    (*c)->closing = true;
    while ((*c)->head)
        call_drop(*c, (*c)->head);
    /* after the easy handles: this closes the cached connections */
    if ((*c)->multi)
        curl_multi_cleanup((*c)->multi);
    wipe_free(&(*c)->access_token);
    wipe_free(&(*c)->refresh_token);
    free((*c)->base_url);
    free((*c)->user_agent);
    free((*c)->forwarded_for);
    free(*c);
    *c = NULL;
    curl_global_cleanup();
}

/* A token travels in an HTTP header: refuse anything that could break out of it. */
static char *token_copy(const char *tok)
{
    const unsigned char *p;

    if (!tok || !*tok)
        return NULL;
    for (p = (const unsigned char *)tok; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return NULL;
    return strdup(tok);
}

void client_store_tokens(struct client *c, const char *access_token, const char *refresh_token,
                         bool notify)
{
    wipe_free(&c->access_token);
    wipe_free(&c->refresh_token);
    c->access_token = token_copy(access_token);
    c->refresh_token = token_copy(refresh_token);
    c->token_gen++;
    if (notify && c->tokens_fn)
        c->tokens_fn(c->tokens_ud, c->access_token, c->refresh_token);
}

void client_set_tokens(struct client *c, const char *access_token, const char *refresh_token)
{
    if (c)
        client_store_tokens(c, access_token, refresh_token, false);
}

bool client_signed_in(const struct client *c)
{
    return c && (c->access_token || c->refresh_token);
}

void client_on_tokens(struct client *c, client_tokens_fn fn, void *ud)
{
    if (!c)
        return;
    c->tokens_fn = fn;
    c->tokens_ud = ud;
}

void client_cancel(struct client *c, uint64_t id)
{
    struct call *r;

    if (!c || id == 0 || !(r = call_find(c, id)))
        return;
    call_drop(c, r);
}

size_t client_pending(const struct client *c)
{
    return c ? c->n_pending : 0;
}

#define WAIT_FDS_ON_STACK 8

int client_wait(struct client *c, struct pollfd *extra, unsigned n_extra, int timeout_ms)
{
    struct curl_waitfd stack_fds[WAIT_FDS_ON_STACK], *wfds = stack_fds;
    unsigned i;
    int numfds = 0, ready = -1;

    if (!c || (n_extra && !extra))
        return -1;
    if (n_extra > WAIT_FDS_ON_STACK && !(wfds = calloc(n_extra, sizeof(*wfds))))
        return -1;
    for (i = 0; i < n_extra; i++) {
        wfds[i].fd = extra[i].fd;
        wfds[i].events = (short)((extra[i].events & POLLIN ? CURL_WAIT_POLLIN : 0) |
                                 (extra[i].events & POLLPRI ? CURL_WAIT_POLLPRI : 0) |
                                 (extra[i].events & POLLOUT ? CURL_WAIT_POLLOUT : 0));
        wfds[i].revents = 0;
    }
    /* curl_multi_poll shortens the wait to curl's own next timer (curl_multi_timeout) itself */
    if (curl_multi_poll(c->multi, wfds, n_extra, timeout_ms < 0 ? INT_MAX : timeout_ms, &numfds) !=
        CURLM_OK)
        goto done;
    ready = 0;
    if (n_extra == 0)
        goto done;
    /* curl reports only IN/OUT/PRI for extra fds; a zero-time poll(2) adds HUP, ERR and NVAL,
     * without which a closed terminal would spin the caller's loop */
    do
        ready = poll(extra, n_extra, 0);
    while (ready < 0 && errno == EINTR);
done:
    if (wfds != stack_fds)
        free(wfds);
    return ready;
}

void client_dispatch(struct client *c)
{
    CURLMsg *msg;
    int running = 0, left = 0;

    /* a callback calling dispatch again would re-read messages being handled */
    if (!c || c->dispatching)
        return;
    c->dispatching = true;
    curl_multi_perform(c->multi, &running);
    while ((msg = curl_multi_info_read(c->multi, &left))) {
        void *r = NULL;
        CURLcode rc;

        if (msg->msg != CURLMSG_DONE)
            continue;
        /* msg dies with the handle's removal: copy what is needed first */
        rc = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &r);
        if (r)
            call_done(c, r, rc);
    }
    c->dispatching = false;
}

void client_wakeup(struct client *c)
{
    if (c)
        curl_multi_wakeup(c->multi);
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int client_run_until_idle(struct client *c, int timeout_ms)
{
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : now_ms() + timeout_ms;

    if (!c)
        return -1;
    for (;;) {
        int64_t left;

        client_dispatch(c);
        if (c->n_pending == 0)
            return 0;
        left = deadline - now_ms();
        if (left <= 0)
            return -1;
        if (client_wait(c, NULL, 0, left > INT_MAX ? INT_MAX : (int)left) < 0)
            return -1;
    }
}
