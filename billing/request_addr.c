/* request_addr.c: the client address of a request: the TCP peer, or what a trusted proxy says. */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "billing/app.h"
#include "billing/peer.h"
#include "billing/request.h"

#define REQUEST_PROXY_HEADER_MAX 2048

/* Every header of one name joined with ", " (a proxy may add its own header rather than extend
 * the first); past the buffer the leftmost part is dropped, since the hops nearest count. */
struct header_join {
    const char *name;
    char buf[REQUEST_PROXY_HEADER_MAX];
    size_t len;
    bool seen;
};

static void header_join_add(struct header_join *j, const char *value)
{
    size_t n = strlen(value), need = n + (j->len ? 2 : 0);

    if (need >= sizeof j->buf) {
        const char *tail = value + n - sizeof j->buf / 2, *comma = strchr(tail, ',');

        value = comma ? comma + 1 : value + n; /* whole entries only */
        n = strlen(value);
        j->len = 0;
        need = n;
    }
    if (j->len + need >= sizeof j->buf) {
        size_t drop = j->len + need - (sizeof j->buf - 1);
        const char *comma = memchr(j->buf + drop, ',', j->len - drop);

        drop = comma ? (size_t)(comma + 1 - j->buf) : j->len;
        memmove(j->buf, j->buf + drop, j->len - drop);
        j->len -= drop;
        need = n + (j->len ? 2 : 0);
    }
    if (j->len) {
        memcpy(j->buf + j->len, ", ", 2);
        j->len += 2;
    }
    memcpy(j->buf + j->len, value, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static enum MHD_Result header_join_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    struct header_join *j = cls;

    (void)kind;
    if (key && value && strcasecmp(key, j->name) == 0) {
        j->seen = true;
        header_join_add(j, value);
    }
    return MHD_YES;
}

static const char *header_all(struct MHD_Connection *conn, struct header_join *j, const char *name)
{
    j->name = name;
    j->len = 0;
    j->buf[0] = '\0';
    j->seen = false;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, header_join_one, j);
    return j->seen ? j->buf : NULL;
}

const char *request_client_addr(const struct request *req, char *buf, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    char host[NI_MAXHOST] = "", peer[PEER_ADDR_CHARS] = "", client[PEER_ADDR_CHARS];
    struct header_join fwd, xff;
    const char *f = NULL, *x = NULL;

    if (sa && getnameinfo(sa,
                          sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                    : sizeof(struct sockaddr_in),
                          host, sizeof host, NULL, 0, NI_NUMERICHOST) == 0)
        peer_normalize(host, strlen(host), peer);
    if (req->app->n_trusted && peer[0] &&
        peer_net_match(req->app->trusted, req->app->n_trusted, peer)) {
        f = header_all(req->conn, &fwd, "Forwarded");
        if (!f)
            x = header_all(req->conn, &xff, "X-Forwarded-For");
    }
    peer_client_addr(req->app->trusted, req->app->n_trusted, peer, f, x, client);
    snprintf(buf, size, "%s", client);
    return buf;
}
