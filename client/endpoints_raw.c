/* endpoints_raw.c: GET of any API path, answered with the undecoded body (see raw.h). */
#include "client/internal.h"
#include "client/raw.h"

static void finish_body(struct call *r, const char *body, size_t len, struct client_error *err)
{
    if (r->cb)
        ((client_body_cb)r->cb)(r->ud, body, body ? len : 0, err);
}

uint64_t client_get_body(struct client *c, const char *path, client_body_cb cb, void *ud)
{
    if (!c || !path || path[0] != '/')
        return 0;
    return endpoint_start(c, "GET", path, NULL, finish_body, (void (*)(void))cb, ud);
}
