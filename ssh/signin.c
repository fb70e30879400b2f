/* signin.c: one blocking libcurl request; the connection's process has nothing else to do yet. */
#include "ssh/signin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#define SIGNIN_BODY_MAX 65536

struct signin_buf {
    char *data;
    size_t len;
};

static size_t signin_collect(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct signin_buf *b = ud;
    size_t n = size * nmemb;
    char *grown;

    if (b->len + n > SIGNIN_BODY_MAX || !(grown = realloc(b->data, b->len + n + 1)))
        return 0;
    b->data = grown;
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* Same rule as the client: "http://h:1", ".../", ".../api/v1/" all name the same API. */
static void signin_url(const char *api, const char *path, char *url, size_t urlsz)
{
    size_t len = strlen(api), plen = strlen("/api/v1");

    while (len > 0 && api[len - 1] == '/')
        len--;
    if (len >= plen && strncmp(api + len - plen, "/api/v1", plen) == 0)
        len -= plen;
    snprintf(url, urlsz, "%.*s/api/v1%s", (int)len, api, path);
}

static const char *signin_string(const cJSON *obj, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);

    if (b)
        v = cJSON_GetObjectItemCaseSensitive(v, b);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void signin_refused(long status, const cJSON *json, char *msg, size_t msgsz,
                           const char **reason)
{
    const char *code = signin_string(json, "error", "code");
    const char *text = signin_string(json, "error", "message");

    if (status == 403 && code && strcmp(code, "signup_disabled") == 0) {
        *reason = "signup-disabled";
        snprintf(msg, msgsz,
                 "%s This SSH key has no account here yet: connect with the key your account "
                 "was created with, or try again later.",
                 text ? text : "New accounts cannot be created right now.");
    } else if (status == 403 && code && strcmp(code, "forbidden") == 0 && text &&
               strstr(text, "disabled")) {
        *reason = "account-disabled";
        snprintf(msg, msgsz, "%s", text);
    } else {
        *reason = "api-error";
        snprintf(msg, msgsz,
                 "The shop cannot sign you in right now (HTTP %ld%s%s). Please try again later.",
                 status, code ? ", " : "", code ? code : "");
    }
}

int signin_ssh(const char *api, const char *service_key, const char *public_key,
               const char *fingerprint, int timeout_s, struct signin_tokens *out, char *msg,
               size_t msgsz, const char **reason)
{
    struct signin_buf body = {0};
    struct curl_slist *headers = NULL;
    char url[768], auth[600];
    cJSON *req = cJSON_CreateObject(), *json = NULL;
    char *payload = NULL;
    const char *access, *refresh;
    CURL *curl = curl_easy_init();
    long status = 0;
    CURLcode cc;
    int rc = -1;

    memset(out, 0, sizeof *out);
    *reason = "api-error";
    snprintf(msg, msgsz, "The shop cannot sign you in right now. Please try again later.");
    if (!curl || !req || !cJSON_AddStringToObject(req, "public_key", public_key) ||
        !cJSON_AddStringToObject(req, "fingerprint", fingerprint) ||
        !(payload = cJSON_PrintUnformatted(req)))
        goto done;
    signin_url(api, "/auth/ssh", url, sizeof url);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", service_key);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, auth);
    explicit_bzero(auth, sizeof auth);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, signin_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    /* a billing API that hangs costs the customer this long, then a message */
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)timeout_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    cc = curl_easy_perform(curl);
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        *reason = "api-timeout";
        snprintf(msg, msgsz, "The shop did not answer within %d s. Please try again later.",
                 timeout_s);
        goto done;
    }
    if (cc != CURLE_OK) {
        snprintf(msg, msgsz, "The shop is unreachable right now (%s). Please try again later.",
                 curl_easy_strerror(cc));
        goto done;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    json = body.data ? cJSON_Parse(body.data) : NULL;
    if (status != 200 && status != 201) {
        signin_refused(status, json, msg, msgsz, reason);
        goto done;
    }
    access = signin_string(json, "data", "access_token");
    refresh = signin_string(json, "data", "refresh_token");
    if (!access || !refresh || strlen(access) >= SIGNIN_TOKEN_MAX ||
        strlen(refresh) >= SIGNIN_TOKEN_MAX)
        goto done;
    snprintf(out->access, sizeof out->access, "%s", access);
    snprintf(out->refresh, sizeof out->refresh, "%s", refresh);
    out->status = (int)status;
    rc = 0;
done:
    if (body.data) {
        explicit_bzero(body.data, body.len);
        free(body.data);
    }
    cJSON_Delete(json);
    cJSON_Delete(req);
    cJSON_free(payload);
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    return rc;
}

/* The answer is not read: a body-less 204 or an error, and either way there is nothing left to do.
 */
static size_t signin_discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    (void)ud;
    return size * nmemb;
}

int signin_logout(const char *api, const char *refresh_token, int timeout_s)
{
    struct curl_slist *headers = NULL;
    char url[768];
    cJSON *req = cJSON_CreateObject();
    char *payload = NULL;
    CURL *curl = curl_easy_init();
    long status = 0;
    int rc = -1;

    if (!curl || !req || !cJSON_AddStringToObject(req, "refresh_token", refresh_token) ||
        !(payload = cJSON_PrintUnformatted(req)))
        goto done;
    signin_url(api, "/auth/logout", url, sizeof url);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, signin_discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)timeout_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        /* 401: the tokens are gone already (sett signed out, or they were revoked) */
        rc = status == 204 || status == 401 ? 0 : -1;
    }
done:
    if (payload) {
        explicit_bzero(payload, strlen(payload));
        cJSON_free(payload);
    }
    cJSON_Delete(req);
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    return rc;
}
