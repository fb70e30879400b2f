/* api_peek.c: blocking GETs of the billing API from tests, to learn what a screen should show. */
#include "api_peek.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct body {
    char *data;
    size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct body *b = ud;
    size_t n = size * nmemb;
    char *bigger = realloc(b->data, b->len + n + 1);
    if (!bigger)
        return 0;
    b->data = bigger;
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

cJSON *api_peek_get(const char *base_url, const char *path)
{
    char url[2048];
    snprintf(url, sizeof url, "%s/api/v1%s", base_url, path);
    struct body b = {0};
    cJSON *json = NULL;
    CURL *curl = curl_easy_init();
    if (!curl)
        return NULL;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
        fprintf(stderr, "api_peek: GET %s: %s\n", url, curl_easy_strerror(rc));
        goto done;
    }
    if (status != 200) {
        fprintf(stderr, "api_peek: GET %s: HTTP %ld: %s\n", url, status, b.data ? b.data : "");
        goto done;
    }
    json = cJSON_ParseWithLength(b.data ? b.data : "", b.len);
    if (!json)
        fprintf(stderr, "api_peek: GET %s: not JSON: %.200s\n", url, b.data ? b.data : "");
done:
    curl_easy_cleanup(curl);
    free(b.data);
    return json;
}

const cJSON *api_peek_data(const cJSON *envelope)
{
    return cJSON_GetObjectItemCaseSensitive(envelope, "data");
}

const char *api_peek_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

long long api_peek_number(const cJSON *obj, const char *outer, const char *inner)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, outer);
    if (inner)
        v = cJSON_GetObjectItemCaseSensitive(v, inner);
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}
