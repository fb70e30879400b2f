/* forkserver.c: the warm storefront. Loaded, relocated and initialised once; each session is a
 * fork of it, so a customer's sett starts without the dynamic loader, and shares the warm pages
 * copy-on-write with every other session. Every session is still its own process. */
#include "screens/forkserver.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#define FS_MAGIC     "sett-fork 1"
#define FS_SLOTS_MIN 64

struct fs_session {
    pid_t pid;
    int status_fd;
};

struct fs {
    int fd;
    int (*run)(int argc, char **argv);
    /* the memory /proc/PID/cmdline and /proc/PID/environ show, as exec laid it out: a child
     * writes its own command line and environment there, so that ps and /proc tell the truth */
    char *args, *envs;
    size_t args_len, envs_len;
    struct fs_session *s;
    size_t n, cap;
};

static volatile int fs_sig_fd = -1;

static void fs_on_sigchld(int sig)
{
    int saved = errno;
    char b = 'c';

    (void)sig;
    if (fs_sig_fd >= 0 && write(fs_sig_fd, &b, 1) < 0) {
        /* full: a wake-up is pending already */
    }
    errno = saved;
}

/* The next NUL-terminated word of the message, or NULL at its end. */
static char *fs_word(char *msg, size_t len, size_t *at)
{
    char *w = msg + *at, *end;

    if (*at >= len || !(end = memchr(w, '\0', len - *at)))
        return NULL;
    *at += (size_t)(end - w) + 1;
    return w;
}

static int fs_count(const char *w, int max)
{
    char *end;
    long v;

    if (!w)
        return -1;
    errno = 0;
    v = strtol(w, &end, 10);
    return errno || end == w || *end || v < 0 || v > max ? -1 : (int)v;
}

int forkserver_parse(char *msg, size_t len, struct forkserver_req *r, const char **why)
{
    size_t at = 0;
    const char *magic, *flags;

    memset(r, 0, sizeof *r);
    *why = "malformed request";
    if (len == 0 || len > FORKSERVER_MSG_MAX || msg[len - 1] != '\0')
        return -1;
    magic = fs_word(msg, len, &at);
    if (!magic || strcmp(magic, FS_MAGIC) != 0) {
        *why = "unknown protocol";
        return -1;
    }
    if (!(flags = fs_word(msg, len, &at)) || strspn(flags, "t") != strlen(flags))
        return -1;
    r->tty = flags[0] == 't';
    if (!(r->cwd = fs_word(msg, len, &at)) || r->cwd[0] != '/')
        return -1;
    if ((r->argc = fs_count(fs_word(msg, len, &at), FORKSERVER_ARGS)) < 1)
        return -1;
    for (int i = 0; i < r->argc; i++)
        if (!(r->argv[i] = fs_word(msg, len, &at)))
            return -1;
    if ((r->envc = fs_count(fs_word(msg, len, &at), FORKSERVER_ENVS)) < 0)
        return -1;
    for (int i = 0; i < r->envc; i++)
        if (!(r->envp[i] = fs_word(msg, len, &at)) || !strchr(r->envp[i], '=') ||
            r->envp[i][0] == '=')
            return -1;
    if (at != len)
        return -1;
    *why = NULL;
    return 0;
}

static void fs_reply(int fd, const char *text, int pass_fd)
{
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = (void *)text, .iov_len = strlen(text) + 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

    if (pass_fd >= 0) {
        struct cmsghdr *cm;
        memset(cbuf, 0, sizeof cbuf);
        mh.msg_control = cbuf;
        mh.msg_controllen = sizeof cbuf;
        cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
    }
    /* the connection process waits for it; if it is gone, so is the need */
    while (sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno == EINTR)
        ;
}

/* Lays NUL-terminated words into an area /proc shows, as many whole ones as fit; the rest of
 * it NULs. */
static void fs_show(char *area, size_t len, char *const *words, int n)
{
    size_t at = 0;

    if (!area || len == 0)
        return;
    memset(area, 0, len);
    for (int i = 0; i < n && words[i]; i++) {
        size_t w = strlen(words[i]) + 1;
        if (at + w > len)
            break;
        memcpy(area + at, words[i], w);
        at += w;
    }
}

/* The first and one past the last byte of a list of contiguous strings, or 0. */
static size_t fs_area(char *const *list, int n, char **start)
{
    *start = n > 0 && list[0] ? list[0] : NULL;
    if (!*start)
        return 0;
    for (int i = 1; i < n; i++)
        if (list[i] != list[i - 1] + strlen(list[i - 1]) + 1)
            n = i; /* not laid out by exec: only the contiguous start is used */
    return (size_t)(list[n - 1] + strlen(list[n - 1]) + 1 - *start);
}

/* In the child: the session's descriptors in place, a clean environment, then sett. */
static void fs_child(struct fs *f, struct forkserver_req *r, int fds[FORKSERVER_FDS])
{
    sigset_t none;

    fs_sig_fd = -1;
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0)
        _exit(127);
    /* above 0-3, so that putting them in place cannot close one another */
    for (int i = 1; i < FORKSERVER_FDS; i++)
        if (fds[i] < 4 && (fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 4)) < 0)
            _exit(127);
    if (r->tty && ioctl(fds[1], TIOCSCTTY, 0) != 0)
        _exit(127);
    for (int i = 0; i < 4; i++)
        if (dup2(fds[i + 1], i) < 0)
            _exit(127);
    close_range(4, ~0U, 0);
    if (clearenv() != 0)
        _exit(127);
    for (int i = 0; i < r->envc; i++)
        if (putenv(r->envp[i]) != 0)
            _exit(127);
    if (chdir(r->cwd) != 0)
        _exit(127);
    fs_show(f->args, f->args_len, r->argv, r->argc);
    fs_show(f->envs, f->envs_len, r->envp, r->envc);
    int code = f->run(r->argc, r->argv);
#if defined(__SANITIZE_ADDRESS__)
    exit(code); /* the leak check runs at exit */
#else
    /* the exit handlers would tear down what the fork server set up (libcurl, OpenSSL), page by
     * page copied first: the session has closed its own things, the kernel takes the rest */
    fflush(NULL);
    _exit(code);
#endif
}

static int fs_track(struct fs *f, pid_t pid, int status_fd)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : FS_SLOTS_MIN;
        struct fs_session *s = realloc(f->s, cap * sizeof *s);
        if (!s)
            return -1;
        f->s = s;
        f->cap = cap;
    }
    f->s[f->n++] = (struct fs_session){.pid = pid, .status_fd = status_fd};
    return 0;
}

/* One request: the session's process, or a refusal on its status socket. -1 once settd has
 * closed its end. */
static int fs_request(struct fs *f)
{
    char msg[FORKSERVER_MSG_MAX], cbuf[CMSG_SPACE(FORKSERVER_FDS * sizeof(int))], line[64];
    struct iovec iov = {.iov_base = msg, .iov_len = sizeof msg};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    int fds[FORKSERVER_FDS], nfds = 0, pidfd;
    struct forkserver_req r;
    const char *why;
    ssize_t len;
    pid_t pid;

    len = recvmsg(f->fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    if (len == 0) { /* an empty message, or the end: settd's close */
        struct pollfd pf = {.fd = f->fd, .events = POLLIN};
        return poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP) ? -1 : 0;
    }
    if (len < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < n; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
                if (nfds < FORKSERVER_FDS)
                    fds[nfds++] = fd;
                else
                    close(fd);
            }
        }
    if (nfds != FORKSERVER_FDS || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
        forkserver_parse(msg, (size_t)len, &r, &why) != 0) {
        if (nfds > 0)
            fs_reply(fds[0], "refused malformed request", -1);
        goto done;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        fs_child(f, &r, fds);
    if (pid < 0) {
        snprintf(line, sizeof line, "refused fork: %s", strerror(errno));
        fs_reply(fds[0], line, -1);
        goto done;
    }
    /* the child cannot be reaped before this, so the pidfd names it for good */
    pidfd = pidfd_open(pid, 0);
    snprintf(line, sizeof line, "started %d", (int)pid);
    fs_reply(fds[0], line, pidfd);
    if (pidfd >= 0)
        close(pidfd);
    if (fs_track(f, pid, fds[0]) == 0)
        fds[0] = -1; /* kept until the child's exit is told */
done:
    for (int i = 0; i < nfds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return 0;
}

static void fs_reap(struct fs *f)
{
    char line[64];
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        for (size_t i = 0; i < f->n; i++) {
            if (f->s[i].pid != pid)
                continue;
            snprintf(line, sizeof line, "exited %d", status);
            fs_reply(f->s[i].status_fd, line, -1);
            close(f->s[i].status_fd);
            f->s[i] = f->s[--f->n];
            break;
        }
}

/* What every session would otherwise do first: libcurl and its TLS library initialised, the
 * locale's tables loaded. */
static void fs_warm(void)
{
    setlocale(LC_ALL, "");
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int forkserver_main(int fd, int argc, char **argv, char **envp, int (*run)(int argc, char **argv))
{
    struct fs f = {.fd = fd, .run = run};
    int envc = 0;

    while (envp && envp[envc])
        envc++;
    f.args_len = fs_area(argv, argc, &f.args);
    f.envs_len = fs_area(envp, envc, &f.envs);
    struct sigaction sa;
    int sig[2];

    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || pipe2(sig, O_CLOEXEC | O_NONBLOCK) != 0) {
        fprintf(stderr, "sett: --fork-server: %s\n", strerror(errno));
        return 1;
    }
    fs_sig_fd = sig[1];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fs_on_sigchld;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    fs_warm();
    fs_reply(fd, "ready", -1); /* settd sends no session before this */
    for (;;) {
        struct pollfd pf[2] = {{.fd = fd, .events = POLLIN}, {.fd = sig[0], .events = POLLIN}};
        char buf[64];

        if (poll(pf, 2, -1) < 0 && errno != EINTR)
            break;
        if (pf[1].revents) {
            while (read(sig[0], buf, sizeof buf) > 0)
                ;
            fs_reap(&f);
        }
        /* settd gone: the sessions go on without their starter */
        if ((pf[0].revents & POLLIN) && fs_request(&f) != 0)
            break;
        if (!(pf[0].revents & POLLIN) && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
            break;
    }
    for (size_t i = 0; i < f.n; i++)
        close(f.s[i].status_fd);
    free(f.s);
    return 0;
}
