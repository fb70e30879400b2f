/* respond.c: builds the JSON documents of replies: data, pages and the error envelope. */
#include "billing/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "billing/json_util.h"

static void reply_set_body(struct reply *rep, unsigned status, cJSON *body)
{
    free(rep->raw);
    rep->raw = NULL;
    cJSON_Delete(rep->body);
    rep->body = body;
    rep->status = body ? status : 500;
    rep->no_content = false;
}

void reply_data(struct reply *rep, unsigned status, cJSON *data)
{
    cJSON *root = cJSON_CreateObject();

    if (!root || !data || !cJSON_AddItemToObject(root, "data", data)) {
        cJSON_Delete(root);
        cJSON_Delete(data);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_set_body(rep, status, root);
}

void reply_empty(struct reply *rep, unsigned status)
{
    cJSON_Delete(rep->body);
    rep->body = NULL;
    rep->status = status;
    rep->no_content = true;
}

void reply_page(struct reply *rep, cJSON *items, int64_t page, int64_t per_page, int64_t total)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *meta = cJSON_CreateObject();
    /* At least one page, even when empty: "page 1 of 1" reads better than "page 1 of 0". */
    int64_t pages = total > 0 ? (total + per_page - 1) / per_page : 1;

    if (!root || !meta || !items || !cJSON_AddItemToObject(root, "data", items)) {
        cJSON_Delete(items);
        goto fail;
    }
    if (!cJSON_AddItemToObject(root, "meta", meta)) {
        cJSON_Delete(meta);
        meta = NULL;
        goto fail;
    }
    if (!json_add_int(meta, "current_page", page) || !json_add_int(meta, "per_page", per_page) ||
        !json_add_int(meta, "total", total) || !json_add_int(meta, "total_pages", pages)) {
        meta = NULL;
        goto fail;
    }
    reply_set_body(rep, 200, root);
    return;
fail:
    cJSON_Delete(meta);
    cJSON_Delete(root);
    reply_error(rep, API_ERR_INTERNAL, NULL);
}

void reply_error(struct reply *rep, enum api_error err, const char *fmt, ...)
{
    char message[512];
    cJSON *root = cJSON_CreateObject();
    cJSON *error = cJSON_AddObjectToObject(root, "error");
    cJSON *details = rep->details ? rep->details : cJSON_CreateObject();

    rep->details = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
    } else {
        snprintf(message, sizeof message, "%s", api_error_message(err));
    }
    if (!error || !details || !cJSON_AddStringToObject(error, "code", api_error_code(err)) ||
        !cJSON_AddStringToObject(error, "message", message) ||
        !cJSON_AddItemToObject(error, "details", details)) {
        /* Out of memory: the server still answers, with an empty 500. */
        cJSON_Delete(details);
        cJSON_Delete(root);
        reply_set_body(rep, 500, NULL);
        return;
    }
    reply_set_body(rep, api_error_status(err), root);
    /* RFC 6750: say which scheme is expected, and whether the token given was the problem. */
    if (err == API_ERR_UNAUTHENTICATED)
        rep->challenge = "Bearer realm=\"sett\"";
    else if (err == API_ERR_INVALID_TOKEN)
        rep->challenge = "Bearer realm=\"sett\", error=\"invalid_token\"";
}

void reply_field(struct reply *rep, const char *field, const char *message)
{
    cJSON *list;

    if (!rep->details)
        rep->details = cJSON_CreateObject();
    if (!rep->details)
        return;
    list = cJSON_GetObjectItemCaseSensitive(rep->details, field);
    if (!list)
        list = cJSON_AddArrayToObject(rep->details, field);
    if (list)
        cJSON_AddItemToArray(list, cJSON_CreateString(message));
}

bool reply_has_fields(const struct reply *rep)
{
    return rep->details && rep->details->child;
}

void reply_validation(struct reply *rep)
{
    reply_error(rep, API_ERR_VALIDATION_FAILED, NULL);
}

void reply_clear(struct reply *rep)
{
    cJSON_Delete(rep->body);
    cJSON_Delete(rep->details);
    free(rep->raw);
    memset(rep, 0, sizeof *rep);
}

void reply_header(struct reply *rep, const char *name, const char *fmt, ...)
{
    struct reply_header *h = NULL;
    va_list ap;

    for (size_t i = 0; i < rep->n_headers && !h; i++)
        if (strcasecmp(rep->headers[i].name, name) == 0)
            h = &rep->headers[i];
    if (!h && rep->n_headers < sizeof rep->headers / sizeof rep->headers[0])
        h = &rep->headers[rep->n_headers++];
    if (!h)
        return;
    snprintf(h->name, sizeof h->name, "%s", name);
    va_start(ap, fmt);
    vsnprintf(h->value, sizeof h->value, fmt, ap);
    va_end(ap);
}

void reply_text(struct reply *rep, unsigned status, const char *content_type, const char *text)
{
    cJSON_Delete(rep->body);
    rep->body = NULL;
    free(rep->raw);
    rep->raw = strdup(text);
    rep->raw_len = rep->raw ? strlen(text) : 0;
    rep->raw_type = content_type;
    rep->status = rep->raw ? status : 500;
    rep->no_content = false;
}

void reply_raw(struct reply *rep, unsigned status, const char *content_type, char *bytes,
               size_t len)
{
    cJSON_Delete(rep->body);
    rep->body = NULL;
    free(rep->raw);
    rep->raw = bytes;
    rep->raw_len = len;
    rep->raw_type = content_type;
    rep->status = status;
    rep->no_content = false;
}
