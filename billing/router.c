/* router.c: matches a method and a path against a table of routes with `{}` segment patterns. */
#include "billing/router.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Length of the segment starting at s (up to the next '/' or the end). */
static size_t segment_len(const char *s)
{
    return strcspn(s, "/");
}

/* Walks pattern and path together; fills params (heap copies) only when keep is set. */
static bool path_matches(const char *pattern, const char *path, struct route_match *m, bool keep)
{
    const char *p = pattern, *u = path;
    size_t n = 0;

    for (;;) {
        size_t plen, ulen;

        if (*p != '/' || *u != '/')
            break;
        p++;
        u++;
        plen = segment_len(p);
        ulen = segment_len(u);
        if (plen == 2 && p[0] == '{' && p[1] == '}') {
            if (ulen == 0 || n >= REQUEST_MAX_PARAMS)
                return false;
            if (keep && !(m->params[n] = strndup(u, ulen)))
                return false;
            n++;
        } else if (plen != ulen || memcmp(p, u, plen) != 0) {
            return false;
        }
        p += plen;
        u += ulen;
        /* One trailing slash on the request is tolerated: "/products/" is "/products". */
        if (*p == '\0' && u[0] == '/' && u[1] == '\0')
            u++;
        if (*p == '\0' || *u == '\0')
            break;
    }
    if (keep)
        m->n_params = n;
    return *p == '\0' && *u == '\0';
}

static void allow_add(char *allow, size_t size, const char *method)
{
    size_t len = strlen(allow);

    if (strstr(allow, method))
        return;
    if (len + strlen(method) + 3 > size)
        return;
    if (len)
        strcat(allow, ", ");
    strcat(allow, method);
}

enum router_result router_find(const struct route *routes, size_t n, const char *method,
                               const char *path, struct route_match *m)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    bool path_known = false;

    memset(m, 0, sizeof *m);
    for (size_t i = 0; i < n; i++) {
        if (!path_matches(routes[i].pattern, path, m, false))
            continue;
        path_known = true;
        if (strcmp(routes[i].method, want) != 0) {
            allow_add(m->allow, sizeof m->allow, routes[i].method);
            continue;
        }
        if (!path_matches(routes[i].pattern, path, m, true)) {
            route_match_clear(m); /* out of memory while copying a parameter */
            return ROUTER_NO_PATH;
        }
        m->route = &routes[i];
        return ROUTER_FOUND;
    }
    return path_known ? ROUTER_NO_METHOD : ROUTER_NO_PATH;
}

void route_match_clear(struct route_match *m)
{
    for (size_t i = 0; i < REQUEST_MAX_PARAMS; i++) {
        free(m->params[i]);
        m->params[i] = NULL;
    }
    m->n_params = 0;
}
