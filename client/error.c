/* error.c: the client's status names and error filling, generated from the CLIENT_STATUSES list. */
#include "client/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_messages[] = {
#define X(name, msg) [name] = msg,
    CLIENT_STATUSES(X)
#undef X
};

const char *client_status_str(enum client_status s)
{
    if ((unsigned)s >= CLIENT_STATUS_COUNT)
        return "unknown error";
    return status_messages[s];
}

void client_error_clear(struct client_error *e)
{
    if (e)
        memset(e, 0, sizeof(*e));
}

void client_error_set(struct client_error *e, enum client_status s, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return;
    client_error_clear(e);
    e->status = s;
    if (!fmt)
        return;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
}

void client_error_describe(const struct client_error *e, char *buf, size_t bufsz)
{
    const char *text;

    if (!buf || bufsz == 0)
        return;
    if (!e) {
        snprintf(buf, bufsz, "%s", client_status_str(CLIENT_OK));
        return;
    }
    text = e->message[0] ? e->message : client_status_str(e->status);
    if (e->message[0] && e->status != CLIENT_ERR_API && e->status != CLIENT_ERR_AUTH &&
        e->status != CLIENT_OK) {
        /* Transport-level messages (curl's) need the plain reason in front to make sense; an
         * answer that had begun means the server was reached (and may have acted) */
        snprintf(buf, bufsz, "%s: %s",
                 e->status == CLIENT_ERR_TRANSPORT && e->http_status > 0
                     ? "the connection to the server broke off"
                     : client_status_str(e->status),
                 e->message);
        return;
    }
    if (e->code[0])
        snprintf(buf, bufsz, "%s (%s)", text, e->code);
    else
        snprintf(buf, bufsz, "%s", text);
}

const char *client_error_detail(const struct client_error *e, const char *field)
{
    unsigned i;

    if (!e || !field)
        return NULL;
    for (i = 0; i < e->n_fields && i < CLIENT_FIELD_MAX; i++)
        if (strcmp(e->fields[i].field, field) == 0)
            return e->fields[i].message;
    return NULL;
}
