/* transport.c: one libcurl easy handle per request, attached to the client's multi handle. */
#include "client/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    }
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "POST") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
    return 0;
}

/* Headers are rebuilt on every send: a retry after a refresh carries the new token. */
static int build_headers(struct client *c, struct call *r)
{
    struct curl_slist *h = NULL, *next;
    char *auth = NULL;

    curl_slist_free_all(r->headers);
    r->headers = NULL;
    if (!(h = curl_slist_append(h, "Accept: application/json")))
        goto fail;
    if (r->body) {
        if (!(next = curl_slist_append(h, "Content-Type: application/json")))
            goto fail;
        h = next;
        /* a short JSON body never needs the 100-continue round trip */
        if (!(next = curl_slist_append(h, "Expect:")))
            goto fail;
        h = next;
    }
    if (r->auth == CALL_BEARER && c->access_token) {
        if (asprintf(&auth, "Authorization: Bearer %s", c->access_token) < 0)
            goto fail;
        next = curl_slist_append(h, auth);
        explicit_bzero(auth, strlen(auth));
        free(auth);
        if (!next)
            goto fail;
        h = next;
    }
    r->headers = h;
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, h);
    return 0;
fail:
    curl_slist_free_all(h);
    return -1;
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
    r->errbuf[0] = '\0';
    r->token_gen = c->token_gen;
    if (curl_multi_add_handle(c->multi, r->easy) != CURLM_OK)
        return -1;
    r->in_multi = true;
    return 0;
}

void transport_stop(struct client *c, struct call *r)
{
    if (r->in_multi)
        curl_multi_remove_handle(c->multi, r->easy);
    r->in_multi = false;
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
