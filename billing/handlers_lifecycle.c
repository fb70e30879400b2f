/* handlers_lifecycle.c: what the service and invoice routes share: list queries and path ids. */
#include "billing/handlers_lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/service.h"
#include "billing/text.h"

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX     100
#define PAGE_MAX         2147483647 /* what a 32-bit client can hold */

/* An integer in [1, max] or absent (fallback); anything else is a field error. */
static int64_t list_int(struct request *req, struct reply *rep, const char *key, int64_t max,
                        int64_t fallback, const char *problem)
{
    const char *v = request_query(req, key);
    size_t digits = v ? strspn(v, "0123456789") : 0;
    int64_t n;

    if (!v)
        return fallback;
    if (digits > 0 && digits <= 10 && v[digits] == '\0') {
        n = strtoll(v, NULL, 10);
        if (n >= 1 && n <= max)
            return n;
    }
    reply_field(rep, key, problem);
    return fallback;
}

bool lifecycle_list_query(struct request *req, struct reply *rep, const char *const *statuses,
                          int64_t *page, int64_t *per_page, const char **status)
{
    const char *v = request_query(req, "status");
    char message[160];
    size_t len = 0;

    *page =
        list_int(req, rep, "page", PAGE_MAX, 1, "must be a positive integer (at most 2147483647)");
    *per_page = list_int(req, rep, "per_page", PER_PAGE_MAX, PER_PAGE_DEFAULT,
                         "must be an integer from 1 to 100");
    *status = NULL;
    if (v) {
        for (size_t i = 0; statuses[i]; i++)
            if (strcmp(v, statuses[i]) == 0)
                *status = statuses[i];
        if (!*status) {
            len = (size_t)snprintf(message, sizeof message, "must be one of");
            for (size_t i = 0; statuses[i] && len < sizeof message; i++)
                len += (size_t)snprintf(message + len, sizeof message - len, "%s %s", i ? "," : "",
                                        statuses[i]);
            reply_field(rep, "status", message);
        }
    }
    if (!reply_has_fields(rep))
        return true;
    reply_validation(rep);
    return false;
}

bool lifecycle_path_id(const struct request *req, struct reply *rep, const char *what, int64_t *id)
{
    char echo[48];

    if (req->n_params > 0 && service_parse_id(req->params[0], id))
        return true;
    reply_error(rep, API_ERR_NOT_FOUND, "No %s with id '%s'.", what,
                text_echo(req->n_params ? req->params[0] : "", echo, sizeof echo));
    return false;
}
