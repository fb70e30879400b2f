/* fake_gateway.c: the fakes' shared HTTP server: uploads, the gate, faults, idempotent replay,
 * the record of requests, and webhook posts. */
#include "fake_gateway.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#define FAKE_GATEWAY_BODY_MAX (64 * 1024)

/* One connection's request body as it arrives. */
struct fake_upload {
    char *body;
    size_t len;
};

char *fake_gateway_strdup(const char *s)
{
    char *d = strdup(s ? s : "");

    if (!d)
        abort();
    return d;
}

static void fake_gateway_record(struct fake_gateway *gw, const char *method, const char *path,
                                const char *idem, const char *auth, const char *body,
                                unsigned status)
{
    struct fake_gateway_record *r;

    if (gw->n_records == FAKE_GATEWAY_RECORDS_MAX)
        return;
    r = &gw->records[gw->n_records++];
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->path, sizeof r->path, "%s", path);
    snprintf(r->idem, sizeof r->idem, "%s", idem ? idem : "");
    snprintf(r->auth, sizeof r->auth, "%s", auth ? auth : "");
    r->body = fake_gateway_strdup(body);
    r->status = (int)status;
}

/* The idempotency header: a key seen before replays its first answer (even while a slow first
 * request is still on its way back). Answers at or above idem_keep_below are not kept: a 5xx may
 * be retried with the key. */
static char *fake_gateway_replay(struct fake_gateway *gw, const char *key, const char *method,
                                 const char *path, const char *body, unsigned *status)
{
    const struct fake_gateway_wire *w = gw->wire;
    struct fake_gateway_idem *k = NULL;
    char *answer;

    for (size_t i = 0; i < gw->n_idem; i++)
        if (strcmp(gw->idem[i].key, key) == 0 &&
            (w->idem_one_body || strcmp(gw->idem[i].path, path) == 0))
            k = &gw->idem[i];
    if (k) {
        if (w->idem_one_body && (strcmp(k->body, body) != 0 || strcmp(k->path, path) != 0)) {
            *status = 400;
            return w->idem_error();
        }
        *status = k->status;
        return fake_gateway_strdup(k->answer);
    }
    answer = w->route(gw, method, path, body, status);
    if (*status < w->idem_keep_below && gw->n_idem < FAKE_GATEWAY_IDEM_MAX) {
        k = &gw->idem[gw->n_idem++];
        snprintf(k->key, sizeof k->key, "%s", key);
        snprintf(k->path, sizeof k->path, "%s", path);
        k->body = fake_gateway_strdup(body);
        k->answer = fake_gateway_strdup(answer);
        k->status = *status;
    }
    return answer;
}

/* The answer to one request, under the lock: the gate, faults, replay, then the route. */
static char *fake_gateway_answer(struct fake_gateway *gw, const char *method, const char *path,
                                 const char *auth, const char *idem, const char *body,
                                 unsigned *status, int *delay)
{
    const struct fake_gateway_wire *w = gw->wire;
    char *answer = w->gate ? w->gate(gw, method, path, auth, body, status) : NULL;

    if (answer)
        return answer;
    if (gw->fault_times > 0 && gw->fault == FAKE_GATEWAY_5XX) {
        gw->fault_times--;
        *status = 500;
        return w->fault_error();
    }
    if (gw->fault_times > 0 && gw->fault == FAKE_GATEWAY_SLOW) {
        gw->fault_times--;
        *delay = gw->delay_ms;
    }
    if (idem && (!w->idem_post_only || strcmp(method, "POST") == 0))
        return fake_gateway_replay(gw, idem, method, path, body, status);
    return w->route(gw, method, path, body, status);
}

static int fake_gateway_reply(struct fake_gateway *gw, struct MHD_Connection *c, unsigned status,
                              const char *json)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_MUST_COPY);
    int rc;

    MHD_add_response_header(r, "Content-Type", "application/json");
    if (gw->wire->reply_header)
        MHD_add_response_header(r, gw->wire->reply_header, gw->wire->reply_value);
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result fake_gateway_handle(void *cls, struct MHD_Connection *c, const char *url,
                                           const char *method, const char *version,
                                           const char *data, size_t *size, void **con_cls)
{
    struct fake_gateway *gw = cls;
    struct fake_upload *up = *con_cls;
    const char *auth, *idem, *body;
    char *answer;
    unsigned status = 200;
    int delay = 0;
    enum MHD_Result rc;

    (void)version;
    if (!up) {
        if (!(up = calloc(1, sizeof *up)))
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*size) {
        char *p = up->len + *size <= FAKE_GATEWAY_BODY_MAX ? realloc(up->body, up->len + *size + 1)
                                                           : NULL;

        if (p) {
            memcpy(p + up->len, data, *size);
            up->body = p;
            up->len += *size;
            up->body[up->len] = '\0';
        }
        *size = 0;
        return MHD_YES;
    }
    auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    idem = MHD_lookup_connection_value(c, MHD_HEADER_KIND, gw->wire->idem_header);
    body = up->body ? up->body : "";
    pthread_mutex_lock(&gw->lock);
    answer = fake_gateway_answer(gw, method, url, auth, idem, body, &status, &delay);
    fake_gateway_record(gw, method, url, idem, auth, body, status);
    pthread_mutex_unlock(&gw->lock);
    if (delay)
        usleep((useconds_t)delay * 1000);
    rc = fake_gateway_reply(gw, c, status, answer) == MHD_YES ? MHD_YES : MHD_NO;
    free(answer);
    return rc;
}

static void fake_gateway_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                                   enum MHD_RequestTerminationCode toe)
{
    struct fake_upload *up = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (up) {
        free(up->body);
        free(up);
        *con_cls = NULL;
    }
}

void *fake_gateway_new(size_t size, const struct fake_gateway_wire *wire)
{
    struct fake_gateway *gw = size >= sizeof *gw ? calloc(1, size) : NULL;
    const union MHD_DaemonInfo *info;

    if (!gw)
        return NULL;
    gw->wire = wire;
    pthread_mutex_init(&gw->lock, NULL);
    gw->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                               NULL, NULL, fake_gateway_handle, gw, MHD_OPTION_NOTIFY_COMPLETED,
                               fake_gateway_completed, gw, MHD_OPTION_END);
    if (!gw->mhd) {
        pthread_mutex_destroy(&gw->lock);
        free(gw);
        return NULL;
    }
    info = MHD_get_daemon_info(gw->mhd, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(gw->url, sizeof gw->url, "http://127.0.0.1:%u", info ? info->port : 0);
    return gw;
}

void fake_gateway_free(struct fake_gateway *gw)
{
    if (!gw)
        return;
    MHD_stop_daemon(gw->mhd);
    for (size_t i = 0; i < gw->n_records; i++)
        free(gw->records[i].body);
    for (size_t i = 0; i < gw->n_idem; i++) {
        free(gw->idem[i].body);
        free(gw->idem[i].answer);
    }
    pthread_mutex_destroy(&gw->lock);
    free(gw);
}

void fake_gateway_fault(struct fake_gateway *gw, enum fake_gateway_fault fault, int times,
                        int delay_ms)
{
    pthread_mutex_lock(&gw->lock);
    gw->fault = fault;
    gw->fault_times = times;
    gw->delay_ms = delay_ms;
    pthread_mutex_unlock(&gw->lock);
}

static bool fake_gateway_match(const struct fake_gateway_record *r, const char *method,
                               const char *prefix)
{
    return (!method || strcmp(r->method, method) == 0) &&
           strncmp(r->path, prefix, strlen(prefix)) == 0;
}

size_t fake_gateway_count(struct fake_gateway *gw, const char *method, const char *path_prefix)
{
    size_t n = 0;

    pthread_mutex_lock(&gw->lock);
    for (size_t i = 0; i < gw->n_records; i++)
        n += fake_gateway_match(&gw->records[i], method, path_prefix);
    pthread_mutex_unlock(&gw->lock);
    return n;
}

bool fake_gateway_request(struct fake_gateway *gw, const char *method, const char *path_prefix,
                          int index, void *out)
{
    const struct fake_gateway_record *hit = NULL;
    struct fake_gateway_record copy;
    int seen = 0;

    pthread_mutex_lock(&gw->lock);
    for (size_t i = 0; i < gw->n_records; i++) {
        if (!fake_gateway_match(&gw->records[i], method, path_prefix))
            continue;
        if (index < 0 || seen++ == index)
            hit = &gw->records[i];
    }
    if (hit) {
        copy = *hit;
        copy.body = fake_gateway_strdup(hit->body);
        memcpy(out, &copy, sizeof copy);
    }
    pthread_mutex_unlock(&gw->lock);
    return hit != NULL;
}

static size_t fake_gateway_discard(char *p, size_t size, size_t n, void *arg)
{
    (void)p;
    (void)arg;
    return size * n;
}

long fake_gateway_post(const char *url, const char *body, const char *const headers[])
{
    struct curl_slist *list = NULL;
    long status = -1;
    CURL *curl = curl_easy_init();

    if (!curl)
        return -1;
    for (size_t i = 0; headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fake_gateway_discard);
    if (curl_easy_perform(curl) == CURLE_OK)
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return status;
}
