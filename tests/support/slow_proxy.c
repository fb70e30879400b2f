/* slow_proxy.c: a loopback TCP proxy that holds every byte of the server's replies for a while,
 * and on demand black-holes connections or cuts replies short. */
#include "slow_proxy.h"

#include "netutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROXY_MAX_CONNS 64
#define PROXY_CHUNK     16384

struct chunk {
    struct chunk *next;
    long long release_ms;
    size_t len, off;
    char data[];
};

struct conn {
    int cfd, sfd;    /* client side, server side; -1 when closed */
    bool server_eof; /* server finished: close the client once the queue drains */
    bool held;       /* black-holed: the client's bytes are read and dropped, for good */
    bool cutting;    /* the replies end after cut_left more bytes */
    size_t cut_left;
    struct chunk *head, *tail; /* server-to-client bytes waiting for their release time */
};

struct slow_proxy {
    int listen_fd;
    int port, target_port, delay_ms;
    int wake[2]; /* pipe: 'x' stops the thread, 'f' says the fault changed */
    pthread_t thread;
    atomic_int connections;
    atomic_int fault;        /* enum proxy_fault */
    atomic_size_t cut_after; /* PROXY_CUT */
    struct conn conns[PROXY_MAX_CONNS];
    int n_conns;
};

static int connect_target(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void conn_close(struct conn *c)
{
    if (c->cfd >= 0)
        close(c->cfd);
    if (c->sfd >= 0)
        close(c->sfd);
    c->cfd = c->sfd = -1;
    while (c->head) {
        struct chunk *next = c->head->next;
        free(c->head);
        c->head = next;
    }
    c->tail = NULL;
}

static bool blackhole(struct slow_proxy *p)
{
    return atomic_load(&p->fault) == PROXY_BLACKHOLE;
}

/* Bytes fell into the black hole: they are lost, and the connection with them, for good. The
 * server's side and what it sent are dropped; the client's side stays open and unanswered. */
static void swallow(struct conn *c)
{
    if (c->held)
        return;
    struct conn kept = {.cfd = c->cfd, .sfd = -1, .held = true};
    c->cfd = -1;
    conn_close(c);
    *c = kept;
}

/* What a cut means for one connection: its replies end cut_after bytes from now. */
static void apply_fault(struct slow_proxy *p, struct conn *c)
{
    c->cutting = atomic_load(&p->fault) == PROXY_CUT;
    c->cut_left = atomic_load(&p->cut_after);
}

static void accept_one(struct slow_proxy *p)
{
    int cfd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (cfd < 0)
        return;
    bool hole = blackhole(p); /* as it was when counted */
    atomic_fetch_add(&p->connections, 1);
    int sfd = hole ? -1 : connect_target(p->target_port);
    if ((sfd < 0 && !hole) || p->n_conns == PROXY_MAX_CONNS) {
        if (sfd >= 0)
            close(sfd);
        close(cfd);
        return;
    }
    struct conn *c = &p->conns[p->n_conns++];
    *c = (struct conn){.cfd = cfd, .sfd = sfd, .held = hole};
    apply_fault(p, c);
}

/* Client to server: passed on at once (loopback; a short blocking wait is fine). */
static bool pump_request(struct slow_proxy *p, struct conn *c)
{
    char buf[PROXY_CHUNK];
    ssize_t n = read(c->cfd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return false; /* the client went away: drop both sides */
    if (c->held || blackhole(p)) {
        swallow(c);
        return true;
    }
    for (ssize_t off = 0; n > 0 && off < n;) {
        ssize_t w = send(c->sfd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return false;
        if (w > 0)
            off += w;
        else
            poll(&(struct pollfd){.fd = c->sfd, .events = POLLOUT}, 1, 100);
    }
    return true;
}

static bool pump_reply(struct slow_proxy *p, struct conn *c)
{
    char buf[PROXY_CHUNK];
    ssize_t n = read(c->sfd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (n <= 0) {
        c->server_eof = true;
        close(c->sfd);
        c->sfd = -1;
        return true;
    }
    if (blackhole(p)) {
        swallow(c);
        return true;
    }
    if (c->cutting) {
        n = (ssize_t)MIN((size_t)n, c->cut_left);
        c->cut_left -= (size_t)n;
        if (c->cut_left == 0) { /* the rest never comes: the client is closed once this is sent */
            c->server_eof = true;
            close(c->sfd);
            c->sfd = -1;
        }
        if (n == 0)
            return true;
    }
    struct chunk *ch = malloc(sizeof *ch + (size_t)n);
    if (!ch)
        return false;
    *ch = (struct chunk){.release_ms = net_now_ms() + p->delay_ms, .len = (size_t)n};
    memcpy(ch->data, buf, (size_t)n);
    if (c->tail)
        c->tail->next = ch;
    else
        c->head = ch;
    c->tail = ch;
    return true;
}

/* Sends what is due; returns false when the connection is finished. */
static bool release_due(struct conn *c, long long now)
{
    while (c->head && c->head->release_ms <= now) {
        struct chunk *ch = c->head;
        ssize_t w = send(c->cfd, ch->data + ch->off, ch->len - ch->off, MSG_NOSIGNAL);
        if (w < 0)
            return errno == EAGAIN || errno == EINTR;
        ch->off += (size_t)w;
        if (ch->off < ch->len)
            return true;
        c->head = ch->next;
        if (!c->head)
            c->tail = NULL;
        free(ch);
    }
    return !(c->server_eof && !c->head);
}

static void *proxy_main(void *arg)
{
    struct slow_proxy *p = arg;
    struct pollfd fds[2 + 2 * PROXY_MAX_CONNS];
    for (;;) {
        long long now = net_now_ms();
        int timeout = -1;
        nfds_t n = 0;
        fds[n++] = (struct pollfd){.fd = p->wake[0], .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = p->listen_fd, .events = POLLIN};
        for (int i = 0; i < p->n_conns; i++) {
            struct conn *c = &p->conns[i];
            bool due = c->head && c->head->release_ms <= now;
            fds[n++] = (struct pollfd){.fd = c->cfd, .events = POLLIN | (due ? POLLOUT : 0)};
            fds[n++] = (struct pollfd){.fd = c->sfd, .events = POLLIN}; /* -1 is ignored */
            if (c->head) {
                long long wait = c->head->release_ms - now;
                if (wait < 0)
                    wait = 0;
                if (timeout < 0 || wait < timeout)
                    timeout = (int)wait;
            }
        }
        if (poll(fds, n, timeout) < 0 && errno != EINTR)
            break;
        if (fds[0].revents) {
            char what = 'x';
            if (read(p->wake[0], &what, 1) != 1 || what != 'f')
                break;
            for (int i = 0; i < p->n_conns; i++)
                apply_fault(p, &p->conns[i]);
            continue; /* the poll results may name descriptors just closed */
        }
        if (fds[1].revents & POLLIN)
            accept_one(p);
        now = net_now_ms();
        for (int i = 0; i < p->n_conns; i++) {
            struct conn *c = &p->conns[i];
            struct pollfd *cf = &fds[2 + 2 * i], *sf = &fds[3 + 2 * i];
            bool alive = true;
            if (cf->fd == c->cfd && (cf->revents & (POLLIN | POLLHUP | POLLERR)))
                alive = pump_request(p, c);
            if (alive && c->sfd >= 0 && sf->fd == c->sfd &&
                (sf->revents & (POLLIN | POLLHUP | POLLERR)))
                alive = pump_reply(p, c);
            if (alive && c->head && blackhole(p))
                swallow(c);
            if (alive)
                alive = release_due(c, now);
            if (!alive) {
                conn_close(c);
                p->conns[i] = p->conns[--p->n_conns];
                /* the moved entry's poll results belong to another slot: it is served next round */
                break;
            }
        }
    }
    for (int i = 0; i < p->n_conns; i++)
        conn_close(&p->conns[i]);
    p->n_conns = 0;
    return NULL;
}

struct slow_proxy *slow_proxy_start(int target_port, int delay_ms)
{
    struct slow_proxy *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->target_port = target_port;
    p->delay_ms = delay_ms;
    p->wake[0] = p->wake[1] = -1;
    p->listen_fd = net_listen_loopback(&p->port);
    if (p->listen_fd < 0 || pipe2(p->wake, O_CLOEXEC) != 0) {
        perror("slow_proxy: listen");
        goto fail;
    }
    if (pthread_create(&p->thread, NULL, proxy_main, p) != 0) {
        fprintf(stderr, "slow_proxy: cannot start its thread\n");
        goto fail;
    }
    return p;
fail:
    if (p->listen_fd >= 0)
        close(p->listen_fd);
    if (p->wake[0] >= 0) {
        close(p->wake[0]);
        close(p->wake[1]);
    }
    free(p);
    return NULL;
}

int slow_proxy_port(const struct slow_proxy *p)
{
    return p->port;
}

int slow_proxy_connections(const struct slow_proxy *p)
{
    return atomic_load(&((struct slow_proxy *)p)->connections);
}

void slow_proxy_set_fault(struct slow_proxy *p, enum proxy_fault f, size_t cut_after)
{
    atomic_store(&p->cut_after, cut_after);
    atomic_store(&p->fault, (int)f);
    while (write(p->wake[1], "f", 1) < 0 && errno == EINTR)
        ;
}

void slow_proxy_stop(struct slow_proxy **pp)
{
    struct slow_proxy *p = pp ? *pp : NULL;
    if (!p)
        return;
    while (write(p->wake[1], "x", 1) < 0 && errno == EINTR)
        ;
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
    close(p->wake[0]);
    close(p->wake[1]);
    free(p);
    *pp = NULL;
}
