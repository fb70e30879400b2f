/* gateway_api.c: the calls, failures and answers that Stripe's and PayPal's clients share. */
#include "billing/gateway_api.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "billing/app.h"

static void gateway_api_log(const struct billingd *app, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The operator's log (stderr): what went wrong, never a secret. */
static void gateway_api_log(const struct billingd *app, const char *fmt, ...)
{
    va_list ap;

    if (app->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

const char *gateway_api_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool gateway_api_id_ok(const struct gateway_api *api, const char *id)
{
    size_t n = id ? strlen(id) : 0;

    return n > 3 && n < GATEWAY_REF_CHARS && strspn(id, api->id_chars) == n;
}

void gateway_api_fail(const struct billingd *app, const struct gateway_api *api, const char *what,
                      int rc, const struct gateway_http_reply *r, char *msg, size_t msgsz)
{
    /* What did not happen, in the words of what was tried. */
    const char *nothing =
        strcmp(what, "refund") == 0 ? "Nothing was refunded" : "Nothing was charged";
    cJSON *root;
    char kind[128], detail[256];
    bool credentials;

    if (rc != 0) {
        gateway_api_log(app, "sett-billingd: %s %s: %s\n", api->name, what, r->error);
        snprintf(msg, msgsz, "%s %s. %s; try again in a moment.", api->name,
                 r->timed_out ? "did not answer in time" : "could not be reached", nothing);
        return;
    }
    if (r->status >= 500) {
        gateway_api_log(app, "sett-billingd: %s %s: HTTP %ld\n", api->name, what, r->status);
        snprintf(msg, msgsz, "%s had a problem (HTTP %ld). %s; try again in a moment.", api->name,
                 r->status, nothing);
        return;
    }
    root = r->body ? cJSON_Parse(r->body) : NULL;
    credentials = api->refusal(root, kind, sizeof kind, detail, sizeof detail);
    cJSON_Delete(root);
    gateway_api_log(app, "sett-billingd: %s %s: refused, HTTP %ld, %s\n", api->name, what,
                    r->status, kind);
    if (r->status == 401 || r->status == 403 || credentials)
        snprintf(msg, msgsz, "The shop's %s account refused its %s. %s; please tell the shop.",
                 api->name, api->credential, nothing);
    else
        snprintf(msg, msgsz, "%s refused the request (%s). %s.", api->name, detail, nothing);
}

cJSON *gateway_api_answer(const struct billingd *app, const struct gateway_api *api,
                          const char *what, int rc, struct gateway_http_reply *r, char *msg,
                          size_t msgsz)
{
    bool ok = rc == 0 && r->status >= 200 && r->status < 300;
    cJSON *root = ok && r->body ? cJSON_Parse(r->body) : NULL;

    if (cJSON_IsObject(root)) {
        gateway_http_reply_clear(r);
        return root;
    }
    cJSON_Delete(root);
    if (ok && api->garbled_is_fault)
        r->status = 502; /* a 2xx that is not a JSON object: a fault on the way */
    gateway_api_fail(app, api, what, rc, r, msg, msgsz);
    gateway_http_reply_clear(r);
    return NULL;
}

enum api_error gateway_api_page(const struct gateway_api *api, const char *id, const char *url,
                                struct gateway_hosted *out, char *msg, size_t msgsz)
{
    if (!gateway_api_id_ok(api, id) || !url || strlen(url) >= sizeof out->url ||
        (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)) {
        snprintf(msg, msgsz, "%s answered without %s. Nothing was charged.", api->name, api->page);
        return API_ERR_GATEWAY_ERROR;
    }
    snprintf(out->ref, sizeof out->ref, "%s", id);
    snprintf(out->url, sizeof out->url, "%s", url);
    return API_OK;
}

enum api_error gateway_api_refund(const struct gateway_api *api, const cJSON *refund,
                                  char refund_ref[GATEWAY_REF_CHARS], char *msg, size_t msgsz)
{
    const char *id = gateway_api_str(refund, "id"), *status = gateway_api_str(refund, "status");

    if (!gateway_api_id_ok(api, id) || (status && (strcmp(status, api->refund_failed[0]) == 0 ||
                                                   strcmp(status, api->refund_failed[1]) == 0))) {
        snprintf(msg, msgsz, "%s did not accept the refund. Nothing was refunded.", api->name);
        return API_ERR_GATEWAY_ERROR;
    }
    snprintf(refund_ref, GATEWAY_REF_CHARS, "%s", id);
    return API_OK;
}

const char *gateway_api_event(const cJSON *event, const char *type_name, struct gateway_event *out)
{
    const char *id = gateway_api_str(event, "id"), *type = gateway_api_str(event, type_name);

    if (!id || !*id || strlen(id) >= sizeof out->id || !type)
        return NULL;
    snprintf(out->id, sizeof out->id, "%s", id);
    return type;
}
