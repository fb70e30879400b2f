/* server.c: the accept loop. It stays single-threaded and does no SSH itself: a flood of
 * connections costs it an accept, a count and a fork each, and the limits bound the forks. */
#include "ssh/server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ssh/addr.h"
#include "ssh/ctl.h"
#include "ssh/limits.h"
#include "ssh/log.h"
#include "ssh/pump.h"

#define SERVER_STOP_WAIT_MS 5000
/* out of descriptors or memory: the listening socket rests this long instead of spinning */
#define SERVER_ACCEPT_PAUSE_MS 250
#define SERVER_ACCEPT_BATCH    64
/* a drain's backstop past --drain-timeout: each session ends itself at the deadline and takes
 * up to this long to restore its terminal and say goodbye */
#define SERVER_DRAIN_SLACK_S 10

struct server {
    const struct session_ctx *ctx;
    int listen_fd;
    pid_t *billing_pid; /* cleared here if it dies */
    struct limits *limits;
    char (*ctl_buf)[CTL_LINE_MAX + 1];
    size_t *ctl_len;
    struct pollfd *pfd;
    int *pfd_slot;
    int sig[2];
    sigset_t forkmask; /* blocked across fork */
    bool stopping;
    bool draining;       /* SIGTERM: not listening, sessions finishing */
    int64_t drain_until; /* ns: then whatever is left is stopped */
    int exit_code;
    int64_t accept_paused_until; /* ns; 0: accepting */
    bool accept_fail_logged;     /* once per spell of failures, not once per wake-up */
    bool poll_fail_logged;
};

static volatile int server_sig_fd = -1;

static void server_on_signal(int sig)
{
    char b = sig == SIGCHLD ? 'c' : sig == SIGTERM ? 'd' : 't';
    int saved = errno;

    if (server_sig_fd >= 0 && write(server_sig_fd, &b, 1) < 0) {
        /* full: a wake-up is pending already */
    }
    errno = saved;
}

int server_listen(const char *addr, int port, int *fd, int *bound, char *err, size_t errsz)
{
    struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char portstr[16];
    int one = 1, rc, s = -1;

    snprintf(portstr, sizeof portstr, "%d", port);
    if ((rc = getaddrinfo(addr, portstr, &hints, &res)) != 0) {
        snprintf(err, errsz, "--listen %s: %s", addr, gai_strerror(rc));
        return -1;
    }
    s = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s, res->ai_addr, res->ai_addrlen) != 0 || listen(s, 128) != 0 ||
        getsockname(s, (struct sockaddr *)&ss, &sl) != 0) {
        snprintf(err, errsz, "cannot listen on %s port %d: %s", addr, port, strerror(errno));
        if (s >= 0)
            close(s);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    *bound = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                            : ((struct sockaddr_in *)&ss)->sin_port);
    *fd = s;
    return 0;
}

/* In the new process: drop everything that belongs to the parent, then serve the connection. */
static void server_child(struct server *s, int slot, int fd, int ctl)
{
    sigset_t none;

    /* signals were blocked across fork: the parent's handlers must not run here */
    server_sig_fd = -1;
    signal(SIGCHLD, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigemptyset(&none);
    /* a drain's SIGUSR1 waits until session_run is ready for it */
    sigaddset(&none, SIGUSR1);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int i = 0; i < s->limits->cap; i++)
        if (i != slot && s->limits->slots[i].ctl >= 0)
            close(s->limits->slots[i].ctl);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    close(s->sig[0]);
    close(s->sig[1]);
    _exit(session_run(s->ctx, fd, ctl));
}

static void server_refuse(const struct server *s, const char *peer)
{
    struct conn_log l = {.quiet = s->ctx->opt->quiet, .start_ns = log_now_ns()};

    snprintf(l.addr, sizeof l.addr, "%s", peer);
    log_connect(&l);
    log_disconnect(&l, "limit");
}

static void server_accept_one(struct server *s, int fd, const struct sockaddr *sa, socklen_t len)
{
    struct session_ctx ctx;
    char ip[64];
    int one = 1, slot, pair[2];
    sigset_t old;
    pid_t pid;

    /* without it Nagle's algorithm holds back every small screen update */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* a client that vanished without a FIN is noticed before the idle timeout */
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    ctx = *s->ctx;
    addr_format(sa, len, ctx.peer, sizeof ctx.peer, ip, sizeof ip);
    slot = limits_admit(s->limits, s->ctx->opt->proxy_protocol ? "" : ip);
    if (slot < 0) {
        server_refuse(s, ctx.peer);
        close(fd);
        return;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        log_msg("socketpair: %s", strerror(errno));
        limits_release(s->limits, slot);
        close(fd);
        return;
    }
    sigprocmask(SIG_BLOCK, &s->forkmask, &old);
    pid = fork();
    if (pid == 0) {
        close(pair[0]);
        s->ctx = &ctx;
        server_child(s, slot, fd, pair[1]);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(pair[1]);
    close(fd);
    if (pid < 0) {
        log_msg("fork: %s", strerror(errno));
        close(pair[0]);
        limits_release(s->limits, slot);
        return;
    }
    fcntl(pair[0], F_SETFL, O_NONBLOCK);
    s->limits->slots[slot].pid = pid;
    s->limits->slots[slot].ctl = pair[0];
    s->ctl_len[slot] = 0;
}

static void server_accept(struct server *s)
{
    /* a bounded batch: under a flood the loop still gets back to the children's questions and
     * to SIGCHLD, which frees their slots */
    for (int batch = 0; batch < SERVER_ACCEPT_BATCH; batch++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);

        if (fd < 0) {
            /* a network error on the pending connection itself (accept(2)): the next one */
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == ENETDOWN ||
                errno == ENOPROTOOPT || errno == EHOSTDOWN || errno == ENONET ||
                errno == EHOSTUNREACH || errno == ENETUNREACH || errno == EPERM)
                continue;
            if (errno == EAGAIN)
                return;
            /* EMFILE, ENFILE, ENOBUFS, ENOMEM: the connection stays queued and the socket stays
             * readable, so polling it again at once would spin */
            if (!s->accept_fail_logged)
                log_msg("accept: %s; pausing new connections", strerror(errno));
            s->accept_fail_logged = true;
            s->accept_paused_until = log_now_ns() + (int64_t)SERVER_ACCEPT_PAUSE_MS * 1000000;
            return;
        }
        s->accept_fail_logged = false;
        server_accept_one(s, fd, (struct sockaddr *)&ss, len);
    }
}

static void server_reap(struct server *s)
{
    int status, slot;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (s->billing_pid && *s->billing_pid > 0 && pid == *s->billing_pid) {
            log_msg("the embedded billing server stopped; stopping");
            *s->billing_pid = 0;
            s->stopping = true;
            s->exit_code = 1;
            continue;
        }
        if (s->ctx->forkserver && forkserver_reaped(s->ctx->forkserver, pid, status))
            continue;
        if ((slot = limits_find_pid(s->limits, pid)) < 0)
            continue;
        if (WIFSIGNALED(status))
            homes_remove(s->ctx->homes, pid);
        if (s->limits->slots[slot].ctl >= 0)
            close(s->limits->slots[slot].ctl);
        limits_release(s->limits, slot);
    }
}

static void server_ctl(struct server *s, int slot)
{
    struct limits_slot *ls = &s->limits->slots[slot];
    char line[CTL_LINE_MAX + 1];
    int rc = ctl_read_line(ls->ctl, s->ctl_buf[slot], &s->ctl_len[slot], line, sizeof line);

    if (rc < 0) { /* the child closed it: its SIGCHLD releases the slot */
        close(ls->ctl);
        ls->ctl = -1;
        return;
    }
    if (rc == 0)
        return;
    if (strncmp(line, "addr ", 5) == 0)
        ctl_answer(ls->ctl, !s->stopping && limits_set_addr(s->limits, slot, line + 5));
    else if (strcmp(line, "session") == 0)
        ctl_answer(ls->ctl, !s->stopping && limits_promote(s->limits, slot));
    else
        ctl_answer(ls->ctl, 0);
}

static int server_live(const struct server *s)
{
    return s->limits->cap - limits_count(s->limits, LIMITS_FREE, NULL);
}

/* SIGTERM: the listening socket closes, so a balancer's health check and new connections fail
 * here and go to another server; every connection is told and ends itself by the deadline. */
static void server_drain(struct server *s)
{
    const int timeout = s->ctx->opt->drain_timeout;

    if (s->draining || timeout <= 0) { /* a second SIGTERM, or no drain wanted */
        s->stopping = true;
        return;
    }
    s->draining = true;
    s->drain_until = log_now_ns() + (int64_t)(timeout + SERVER_DRAIN_SLACK_S) * 1000000000;
    close(s->listen_fd);
    s->listen_fd = -1;
    log_msg("draining: not listening; %d connection(s) may go on for up to %d s", server_live(s),
            timeout);
    for (int i = 0; i < s->limits->cap; i++)
        if (s->limits->slots[i].phase != LIMITS_FREE && s->limits->slots[i].pid > 0)
            kill(s->limits->slots[i].pid, SIGUSR1);
}

static void server_signals_drain(struct server *s)
{
    char buf[64];
    bool drain = false;
    ssize_t n;

    while ((n = read(s->sig[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == 't')
                s->stopping = true;
            else if (buf[i] == 'd')
                drain = true;
        }
    server_reap(s);
    if (drain && !s->stopping)
        server_drain(s);
}

/* Every connection's process gets SIGTERM (it closes its session politely), then SIGKILL. */
static void server_stop_all(struct server *s)
{
    int64_t until = log_now_ns() + (int64_t)SERVER_STOP_WAIT_MS * 1000000;

    for (int i = 0; i < s->limits->cap; i++) {
        if (s->limits->slots[i].ctl >= 0) { /* a child waiting for an answer gets EOF */
            close(s->limits->slots[i].ctl);
            s->limits->slots[i].ctl = -1;
        }
        if (s->limits->slots[i].phase != LIMITS_FREE && s->limits->slots[i].pid > 0)
            kill(s->limits->slots[i].pid, SIGTERM);
    }
    while (server_live(s) > 0 && log_now_ns() < until) {
        struct pollfd pf = {.fd = s->sig[0], .events = POLLIN};
        poll(&pf, 1, 100);
        server_signals_drain(s);
    }
    for (int i = 0; i < s->limits->cap; i++)
        if (s->limits->slots[i].phase != LIMITS_FREE && s->limits->slots[i].pid > 0) {
            kill(s->limits->slots[i].pid, SIGKILL);
            waitpid(s->limits->slots[i].pid, NULL, 0);
            homes_remove(s->ctx->homes, s->limits->slots[i].pid);
            if (s->limits->slots[i].ctl >= 0)
                close(s->limits->slots[i].ctl);
            limits_release(s->limits, i);
        }
}

static int server_setup(struct server *s)
{
    static const int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP};
    struct limits_config lc = {
        .max_startups = s->ctx->opt->max_startups,
        .max_startups_per_addr = s->ctx->opt->max_startups_per_addr,
        .max_sessions = s->ctx->opt->max_sessions,
        .max_sessions_per_addr = s->ctx->opt->max_sessions_per_addr,
    };
    struct sigaction sa;
    int cap;

    if (!(s->limits = limits_new(&lc)))
        return -1;
    cap = s->limits->cap;
    s->ctl_buf = calloc((size_t)cap, sizeof *s->ctl_buf);
    s->ctl_len = calloc((size_t)cap, sizeof *s->ctl_len);
    s->pfd = calloc((size_t)cap + 3, sizeof *s->pfd);
    s->pfd_slot = calloc((size_t)cap + 3, sizeof *s->pfd_slot);
    if (!s->ctl_buf || !s->ctl_len || !s->pfd || !s->pfd_slot ||
        pipe2(s->sig, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    server_sig_fd = s->sig[1];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = server_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&s->forkmask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaction(sigs[i], &sa, NULL);
        sigaddset(&s->forkmask, sigs[i]);
    }
    sigaddset(&s->forkmask, SIGUSR1); /* so that a new child starts with it blocked */
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

int server_run(const struct session_ctx *ctx, int listen_fd, pid_t *billing_pid)
{
    struct server s = {
        .ctx = ctx, .listen_fd = listen_fd, .billing_pid = billing_pid, .sig = {-1, -1}};
    struct forkserver *fs = ctx->forkserver;

    if (server_setup(&s) != 0) {
        log_msg("cannot set up the accept loop: %s", strerror(errno));
        s.exit_code = 1;
        goto done;
    }
    while (!s.stopping) {
        int n = 0, wait_ms = -1;
        int64_t now = log_now_ns();

        if (s.draining && server_live(&s) == 0) {
            log_msg("drained: every session has ended");
            break;
        }
        if (s.draining && now >= s.drain_until) {
            log_msg("drain: %d connection(s) still open past the deadline; stopping them",
                    server_live(&s));
            break;
        }
        if (s.accept_paused_until && now >= s.accept_paused_until)
            s.accept_paused_until = 0;
        if (s.accept_paused_until)
            wait_ms = (int)((s.accept_paused_until - now) / 1000000) + 1;
        if (s.draining)
            wait_ms = (int)((s.drain_until - now) / 1000000) + 1;
        int fs_ms = forkserver_wait_ms(fs, now);
        if (fs_ms >= 0 && (wait_ms < 0 || fs_ms < wait_ms))
            wait_ms = fs_ms;
        s.pfd[n++] = (struct pollfd){.fd = s.sig[0], .events = POLLIN};
        /* a negative fd is skipped by poll: the listening socket rests while paused */
        s.pfd[n++] =
            (struct pollfd){.fd = s.accept_paused_until ? -1 : s.listen_fd, .events = POLLIN};
        /* the fork server's word that it is ready; after that only connection processes use it
         * (watched only while awaited: poll refuses more entries than the descriptor limit) */
        int fs_at = -1;
        if (fs && !fs->ready && fs->fd >= 0) {
            fs_at = n;
            s.pfd[n++] = (struct pollfd){.fd = fs->fd, .events = POLLIN};
        }
        for (int i = 0; i < s.limits->cap; i++)
            if (s.limits->slots[i].ctl >= 0) {
                s.pfd_slot[n] = i;
                s.pfd[n++] = (struct pollfd){.fd = s.limits->slots[i].ctl, .events = POLLIN};
            }
        int ready = poll(s.pfd, (nfds_t)n, wait_ms);
        if (ready < 0 && errno == EINVAL) {
            /* more entries than the descriptor limit allows (it was lowered below what settd
             * holds): the signals alone for a moment, then again */
            if (!s.poll_fail_logged)
                log_msg("poll: %s; watching only for signals for now", strerror(errno));
            s.poll_fail_logged = true;
            n = 1;
            poll(s.pfd, 1, SERVER_ACCEPT_PAUSE_MS);
        } else if (ready < 0 && errno != EINTR) {
            log_msg("poll: %s", strerror(errno));
            s.exit_code = 1;
            break;
        } else {
            s.poll_fail_logged = false;
        }
        if (s.pfd[0].revents)
            server_signals_drain(&s);
        if (fs_at >= 0 && s.pfd[fs_at].revents && s.pfd[fs_at].fd == fs->fd)
            forkserver_readable(fs);
        for (int i = 2; i < n; i++)
            if (i != fs_at && s.pfd[i].revents && s.limits->slots[s.pfd_slot[i]].ctl == s.pfd[i].fd)
                server_ctl(&s, s.pfd_slot[i]);
        if (s.pfd[1].revents && !s.stopping && !s.draining)
            server_accept(&s);
    }
    if (s.listen_fd >= 0)
        close(s.listen_fd);
    server_stop_all(&s);
done:
    server_sig_fd = -1;
    for (int i = 0; i < 2; i++)
        if (s.sig[i] >= 0)
            close(s.sig[i]);
    free(s.ctl_buf);
    free(s.ctl_len);
    free(s.pfd);
    free(s.pfd_slot);
    limits_free(&s.limits);
    return s.exit_code;
}
