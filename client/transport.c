/* transport.c: one libcurl easy handle per request, attached to the client's multi handle. */
#include "client/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct response_buf *b = ud;
    size_t n = size * nmemb;

    if (n > CLIENT_RESPONSE_MAX - b->len) {
        b->too_large = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *data;

        while (cap < b->len + n + 1)
            cap *= 2;
        data = realloc(b->data, cap);
        if (!data) {
            b->nomem = true;
            return 0;
        }
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* Copies a header's value without surrounding blanks; false when it does not fit. */
static bool header_copy(char *dst, size_t dstsz, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    if (n >= dstsz)
        return false;
    memcpy(dst, v, n);
    dst[n] = '\0';
    return true;
}

static bool header_is(const char *line, size_t n, const char *name, const char **value,
                      size_t *vlen)
{
    size_t len = strlen(name);

    if (n <= len || strncasecmp(line, name, len) != 0 || line[len] != ':')
        return false;
    *value = line + len + 1;
    *vlen = n - len - 1;
    return true;
}

/* Called once per header line; a status line starts a new response (after a 100 Continue). */
static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
    struct response_headers *h = ud;
    size_t n = size * nitems, vlen;
    const char *v;
    char buf[CLIENT_ETAG_MAX];

    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        memset(h, 0, sizeof(*h));
    } else if (header_is(line, n, "ETag", &v, &vlen)) {
        /* one that cannot be sent back verbatim is no version at all */
        if (!header_copy(h->etag, sizeof(h->etag), v, vlen) || !header_value_ok(h->etag))
            h->etag[0] = '\0';
    } else if (header_is(line, n, "Idempotent-Replayed", &v, &vlen)) {
        h->replayed = header_copy(buf, sizeof(buf), v, vlen) && strcasecmp(buf, "true") == 0;
    } else if (header_is(line, n, "Retry-After", &v, &vlen)) {
        char *end;
        long secs;

        h->retry_after = 0;
        if (header_copy(buf, sizeof(buf), v, vlen) && buf[0] >= '0' && buf[0] <= '9') {
            secs = strtol(buf, &end, 10);
            /* the HTTP-date form is rare from an API; it counts as no hint */
            if (!*end)
                h->retry_after = secs > 86400 ? 86400 : (int)secs;
        }
    }
    return n;
}

/* Options that stay the same across a retry. */
static int configure(struct client *c, struct call *r)
{
    CURL *e = r->easy;

    if (curl_easy_setopt(e, CURLOPT_URL, r->url) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK)
        return -1;
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &r->resp);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, &r->resp_headers);
    /* signals would interrupt the caller's event loop; timeouts are curl's own timers instead */
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->total_timeout_ms);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)CLIENT_RESPONSE_MAX);
    if (c->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (r->body) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(r->body));
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
    } else if (strcmp(r->method, "POST") == 0) {
        /* a POST with no body (logout, renewal) is still a POST */
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    }
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "POST") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
    return 0;
}

/* Appends the line `head` followed by `value` (may be NULL); -1 when out of memory. */
static int header_add(struct curl_slist **h, const char *head, const char *value)
{
    struct curl_slist *next;
    char *line = NULL;

    if (value && asprintf(&line, "%s%s", head, value) < 0)
        return -1;
    next = curl_slist_append(*h, line ? line : head);
    if (line) {
        explicit_bzero(line, strlen(line)); /* may hold the access token */
        free(line);
    }
    if (!next)
        return -1;
    *h = next;
    return 0;
}

/* Headers are rebuilt on every send: a retry after a refresh carries the new token, and the same
 * If-Match and Idempotency-Key as the first send. */
static int build_headers(struct client *c, struct call *r)
{
    struct curl_slist *h = NULL;
    bool post = strcmp(r->method, "POST") == 0;

    curl_slist_free_all(r->headers);
    r->headers = NULL;
    if (header_add(&h, "Accept: application/json", NULL) < 0)
        goto fail;
    /* no body: "Content-Type:" stops curl's form type on a POST, which a JSON API refuses (415);
     * a short JSON body never needs the 100-continue round trip ("Expect:") */
    if ((r->body || post) &&
        (header_add(&h, r->body ? "Content-Type: application/json" : "Content-Type:", NULL) < 0 ||
         header_add(&h, "Expect:", NULL) < 0))
        goto fail;
    if (r->if_match && header_add(&h, "If-Match: ", r->if_match) < 0)
        goto fail;
    if (r->idempotency_key && header_add(&h, "Idempotency-Key: ", r->idempotency_key) < 0)
        goto fail;
    if (c->forwarded_for && header_add(&h, "X-Forwarded-For: ", c->forwarded_for) < 0)
        goto fail;
    if (r->auth == CALL_BEARER && c->access_token &&
        header_add(&h, "Authorization: Bearer ", c->access_token) < 0)
        goto fail;
    r->headers = h;
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, h);
    return 0;
fail:
    curl_slist_free_all(h);
    return -1;
}

/* Attaches the call's transfer to the multi handle: curl's time limits start now. */
static int attach(struct client *c, struct call *r)
{
    if (curl_multi_add_handle(c->multi, r->easy) != CURLM_OK)
        return -1;
    r->in_multi = true;
    r->queued = false;
    c->n_in_multi++;
    return 0;
}

int transport_start(struct client *c, struct call *r)
{
    if (!r->easy) {
        r->easy = curl_easy_init();
        if (!r->easy || configure(c, r) < 0)
            return -1;
    }
    if (build_headers(c, r) < 0)
        return -1;
    r->resp.len = 0;
    r->resp.too_large = false;
    r->resp.nomem = false;
    memset(&r->resp_headers, 0, sizeof(r->resp_headers));
    r->errbuf[0] = '\0';
    r->token_gen = c->token_gen;
    /* Beyond the cap the call waits here rather than in curl's queue, where the wait would count
     * against its time limit: a burst of requests to a slow server would time out unsent. */
    if (c->n_in_multi >= CLIENT_MAX_CONNECTIONS) {
        r->queued = true;
        return 0;
    }
    return attach(c, r);
}

void transport_stop(struct client *c, struct call *r)
{
    bool freed = r->in_multi;

    if (r->in_multi) {
        curl_multi_remove_handle(c->multi, r->easy);
        c->n_in_multi--;
    }
    r->in_multi = false;
    r->queued = false;
    /* the connection goes to the oldest call waiting for one (one that cannot be attached waits
     * for the next) */
    for (struct call *w = c->head; freed && !c->closing && w; w = w->next)
        if (w->queued && attach(c, w) == 0)
            break;
}

void transport_release(struct call *r)
{
    if (r->easy)
        curl_easy_cleanup(r->easy);
    r->easy = NULL;
    curl_slist_free_all(r->headers);
    r->headers = NULL;
    free(r->resp.data);
    memset(&r->resp, 0, sizeof(r->resp));
}

long transport_http_status(const struct call *r)
{
    long code = 0;

    if (r->easy)
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

static enum client_status status_of(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return CLIENT_ERR_TIMEOUT;
    case CURLE_OUT_OF_MEMORY:
        return CLIENT_ERR_NOMEM;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return CLIENT_ERR_USAGE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
        return CLIENT_ERR_TLS;
    default:
        return CLIENT_ERR_TRANSPORT;
    }
}

void transport_error(const struct call *r, CURLcode rc, struct client_error *err)
{
    long http = transport_http_status(r);

    if (r->resp.too_large || rc == CURLE_FILESIZE_EXCEEDED)
        client_error_set(err, CLIENT_ERR_HTTP, "response too large (over %zu MiB)",
                         CLIENT_RESPONSE_MAX >> 20);
    else if (r->resp.nomem)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    else
        client_error_set(err, status_of(rc), "%s",
                         r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
    err->http_status = http;
}
