/* stub_server.c: a tiny poll(2)-driven HTTP/1.1 server with keep-alive, for transport tests. */
#include "stub_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define STUB_CONNS 16
#define STUB_BUF   65536

struct conn {
    int fd;
    bool held; /* answered with no_reply: ignore it until the peer closes */
    size_t len;
    char buf[STUB_BUF];
};

struct stub_server {
    int listen_fd;
    int stop_pipe[2];
    int port;
    char url[64];
    pthread_t thread;
    pthread_mutex_t lock;
    stub_route_fn route;
    void *ud;
    unsigned accepts, requests;
    struct stub_request last;
    struct conn conns[STUB_CONNS];
};

static void header_value(const char *head, const char *name, char *out, size_t outsz)
{
    size_t nlen = strlen(name);
    const char *p = head;

    out[0] = '\0';
    while ((p = strstr(p, "\r\n"))) {
        p += 2;
        if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1, *end = strstr(v, "\r\n");
            size_t n;

            while (*v == ' ')
                v++;
            n = end ? (size_t)(end - v) : strlen(v);
            if (n >= outsz)
                n = outsz - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return;
        }
    }
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 409:
        return "Conflict";
    case 412:
        return "Precondition Failed";
    case 429:
        return "Too Many Requests";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 500:
        return "Internal Server Error";
    default:
        return "Status";
    }
}

/* Handles every complete request in the buffer; returns -1 to close the connection. */
static int serve(struct stub_server *s, struct conn *c)
{
    for (;;) {
        struct stub_request req;
        struct stub_response resp = {.status = 200};
        char head[1024], clen[32];
        char *end;
        size_t head_len, body_len, total, n;
        int hl;

        if (c->held)
            return 0;
        /* a TLS ClientHello on this plain socket: answer in plain text, as a misconfigured
         * server would, and hang up */
        if (c->len > 0 && (unsigned char)c->buf[0] == 0x16) {
            send_all(c->fd, "HTTP/1.1 400 Bad Request\r\n\r\n", 28);
            return -1;
        }
        c->buf[c->len] = '\0';
        end = strstr(c->buf, "\r\n\r\n");
        if (!end)
            return c->len >= STUB_BUF - 1 ? -1 : 0;
        head_len = (size_t)(end - c->buf) + 4;
        memset(&req, 0, sizeof(req));
        header_value(c->buf, "Content-Length", clen, sizeof(clen));
        body_len = (size_t)strtoul(clen, NULL, 10);
        total = head_len + body_len;
        if (total >= STUB_BUF)
            return -1;
        if (c->len < total)
            return 0;
        sscanf(c->buf, "%15s %511s", req.method, req.path);
        header_value(c->buf, "User-Agent", req.user_agent, sizeof(req.user_agent));
        header_value(c->buf, "Authorization", req.authorization, sizeof(req.authorization));
        header_value(c->buf, "Accept", req.accept, sizeof(req.accept));
        header_value(c->buf, "Content-Type", req.content_type, sizeof(req.content_type));
        header_value(c->buf, "If-Match", req.if_match, sizeof(req.if_match));
        header_value(c->buf, "Idempotency-Key", req.idempotency_key, sizeof(req.idempotency_key));
        header_value(c->buf, "X-Forwarded-For", req.forwarded_for, sizeof(req.forwarded_for));
        n = body_len < sizeof(req.body) - 1 ? body_len : sizeof(req.body) - 1;
        memcpy(req.body, c->buf + head_len, n);

        pthread_mutex_lock(&s->lock);
        s->requests++;
        s->last = req;
        s->route(s->ud, &req, &resp);
        pthread_mutex_unlock(&s->lock);

        memmove(c->buf, c->buf + total, c->len - total);
        c->len -= total;
        if (resp.no_reply) {
            c->held = true;
            return 0;
        }
        if (!resp.body)
            resp.body = "";
        if (!resp.body_len)
            resp.body_len = strlen(resp.body);
        if (resp.status == 204) /* no content: no body and no length (RFC 9110) */
            hl = snprintf(head, sizeof(head),
                          "HTTP/1.1 204 No Content\r\n%sConnection: keep-alive\r\n\r\n",
                          resp.headers ? resp.headers : "");
        else
            hl = snprintf(head, sizeof(head),
                          "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                          "%sConnection: keep-alive\r\n\r\n",
                          resp.status, reason(resp.status),
                          resp.content_type ? resp.content_type : "application/json; charset=utf-8",
                          resp.body_len, resp.headers ? resp.headers : "");
        if (resp.status == 204)
            resp.body_len = 0;
        if (send_all(c->fd, head, (size_t)hl) < 0 || send_all(c->fd, resp.body, resp.body_len) < 0)
            return -1;
    }
}

static void close_conn(struct conn *c)
{
    close(c->fd);
    c->fd = -1;
    c->len = 0;
    c->held = false;
}

static void accept_conn(struct stub_server *s)
{
    int fd = accept(s->listen_fd, NULL, NULL);
    int i;

    if (fd < 0)
        return;
    pthread_mutex_lock(&s->lock);
    s->accepts++;
    pthread_mutex_unlock(&s->lock);
    for (i = 0; i < STUB_CONNS; i++) {
        if (s->conns[i].fd < 0) {
            s->conns[i].fd = fd;
            return;
        }
    }
    close(fd);
}

static void *run(void *arg)
{
    struct stub_server *s = arg;

    for (;;) {
        struct pollfd pfds[STUB_CONNS + 2];
        int map[STUB_CONNS + 2];
        int n = 0, i;

        pfds[n++] = (struct pollfd){.fd = s->stop_pipe[0], .events = POLLIN};
        pfds[n++] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
        for (i = 0; i < STUB_CONNS; i++) {
            if (s->conns[i].fd >= 0) {
                map[n] = i;
                pfds[n++] = (struct pollfd){.fd = s->conns[i].fd, .events = POLLIN};
            }
        }
        if (poll(pfds, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfds[0].revents)
            break;
        if (pfds[1].revents & POLLIN)
            accept_conn(s);
        for (i = 2; i < n; i++) {
            struct conn *c = &s->conns[map[i]];
            ssize_t r;

            if (!pfds[i].revents)
                continue;
            r = recv(c->fd, c->buf + c->len, STUB_BUF - 1 - c->len, 0);
            if (r <= 0 || serve(s, (c->len += (size_t)r, c)) < 0)
                close_conn(c);
        }
    }
    return NULL;
}

struct stub_server *stub_start(stub_route_fn route, void *ud)
{
    struct stub_server *s = calloc(1, sizeof(*s));
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t alen = sizeof(addr);
    sigset_t all, old;
    int i, one = 1;

    if (!s)
        return NULL;
    for (i = 0; i < STUB_CONNS; i++)
        s->conns[i].fd = -1;
    s->route = route;
    s->ud = ud;
    pthread_mutex_init(&s->lock, NULL);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(s->listen_fd, 16) < 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) < 0 || pipe(s->stop_pipe) < 0)
        abort();
    s->port = ntohs(addr.sin_port);
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
    /* signals are for the thread under test, never this one */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    if (pthread_create(&s->thread, NULL, run, s) != 0)
        abort();
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return s;
}

void stub_stop(struct stub_server **s)
{
    int i;

    if (!s || !*s)
        return;
    if (write((*s)->stop_pipe[1], "x", 1) != 1)
        abort();
    pthread_join((*s)->thread, NULL);
    for (i = 0; i < STUB_CONNS; i++)
        if ((*s)->conns[i].fd >= 0)
            close((*s)->conns[i].fd);
    close((*s)->listen_fd);
    close((*s)->stop_pipe[0]);
    close((*s)->stop_pipe[1]);
    pthread_mutex_destroy(&(*s)->lock);
    free(*s);
    *s = NULL;
}

int stub_port(const struct stub_server *s)
{
    return s->port;
}

const char *stub_url(const struct stub_server *s)
{
    return s->url;
}

unsigned stub_accepts(struct stub_server *s)
{
    unsigned n;

    pthread_mutex_lock(&s->lock);
    n = s->accepts;
    pthread_mutex_unlock(&s->lock);
    return n;
}

unsigned stub_requests(struct stub_server *s)
{
    unsigned n;

    pthread_mutex_lock(&s->lock);
    n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void stub_last(struct stub_server *s, struct stub_request *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->last;
    pthread_mutex_unlock(&s->lock);
}
