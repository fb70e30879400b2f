/* gateway_http.c: one blocking HTTPS request to a payment gateway, with libcurl. */
#include "billing/gateway_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#define GATEWAY_REPLY_MAX (1024 * 1024) /* a gateway's answer is small; more is a fault */

static bool form_grow(struct gateway_form *f, size_t more)
{
    char *p;
    size_t cap;

    if (f->failed)
        return false;
    if (f->len + more + 1 <= f->cap)
        return true;
    cap = f->cap ? f->cap : 256;
    while (cap < f->len + more + 1)
        cap *= 2;
    if (!(p = realloc(f->text, cap))) {
        f->failed = true;
        return false;
    }
    f->text = p;
    f->cap = cap;
    return true;
}

/* Percent-encodes as application/x-www-form-urlencoded: unreserved characters stay. */
static void form_escape(struct gateway_form *f, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (!form_grow(f, 3))
            return;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            f->text[f->len++] = (char)c;
        } else {
            f->text[f->len++] = '%';
            f->text[f->len++] = hex[c >> 4];
            f->text[f->len++] = hex[c & 15];
        }
    }
    f->text[f->len] = '\0';
}

void gateway_form_add(struct gateway_form *f, const char *key, const char *value)
{
    if (f->len && form_grow(f, 1))
        f->text[f->len++] = '&';
    form_escape(f, key);
    if (form_grow(f, 1))
        f->text[f->len++] = '=';
    form_escape(f, value);
}

void gateway_form_addf(struct gateway_form *f, const char *key, const char *fmt, ...)
{
    char value[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    gateway_form_add(f, key, value);
}

void gateway_form_clear(struct gateway_form *f)
{
    free(f->text);
    memset(f, 0, sizeof *f);
}

static size_t http_collect(char *data, size_t size, size_t n, void *arg)
{
    struct gateway_http_reply *r = arg;
    size_t len = size * n;
    char *p;

    if (r->len + len > GATEWAY_REPLY_MAX || !(p = realloc(r->body, r->len + len + 1)))
        return 0; /* aborts the transfer */
    memcpy(p + r->len, data, len);
    r->body = p;
    r->len += len;
    r->body[r->len] = '\0';
    return len;
}

int gateway_http_send(const struct gateway_http_request *req, struct gateway_http_reply *out)
{
    struct curl_slist *headers = NULL;
    char line[512];
    CURLcode rc;
    CURL *curl;
    int result = -1;

    memset(out, 0, sizeof *out);
    if (!(curl = curl_easy_init())) {
        snprintf(out->error, sizeof out->error, "cannot create an HTTP handle");
        return -1;
    }
    if (req->basic) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERPWD, req->basic);
    } else {
        snprintf(line, sizeof line, "Authorization: Bearer %s", req->bearer ? req->bearer : "");
        headers = curl_slist_append(headers, line);
        explicit_bzero(line, sizeof line);
    }
    if (req->idem_key) {
        snprintf(line, sizeof line, "%s: %s",
                 req->idem_header ? req->idem_header : "Idempotency-Key", req->idem_key);
        headers = curl_slist_append(headers, line);
    }
    if (req->json)
        headers = curl_slist_append(headers, "Content-Type: application/json");
    if (req->extra)
        headers = curl_slist_append(headers, req->extra);
    headers = curl_slist_append(headers, "Accept: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, req->url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "sett-billingd/" SETT_VERSION);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     req->timeout_ms / 3 ? req->timeout_ms / 3 : 1);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
    if (strcmp(req->method, "POST") == 0) {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->form ? req->form : "");
    }
    rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
        result = 0;
    } else {
        out->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
        snprintf(out->error, sizeof out->error, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return result;
}

void gateway_http_reply_clear(struct gateway_http_reply *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

int gateway_http_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void gateway_http_cleanup(void)
{
    curl_global_cleanup();
}
