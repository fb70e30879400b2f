/* forkserver.c: settd starts the warm storefront, restarts it, and asks it for sessions. */
#include "ssh/forkserver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ssh/log.h"

#define FS_MSG_MAX     8192 /* as the server reads it */
#define FS_FDS         5
#define FS_ANSWER_MS   3000 /* the server answers at once; past this, sett is started by exec */
#define FS_QUICK_NS    1000000000LL
#define FS_QUICK_LIMIT 3
#define FS_READY_NS    5000000000LL /* to load and say it is ready; else it is not a sett */
#define FS_ARG_ROOM    512
#define FS_ENV_ROOM    2048

int forkserver_start(struct forkserver *fs, char *err, size_t errsz)
{
    const struct timeval send_wait = {.tv_sec = FS_ANSWER_MS / 1000};
    int sv[2];
    pid_t pid;

    fs->fd = -1;
    fs->pid = 0;
    fs->ready = false;
    if (!fs->sett)
        return 0;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errsz, "fork server: socketpair: %s", strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        /* room where each session's sett shows its own command line and environment in
         * /proc (and so in ps): the fork server writes them over these */
        static char arg_room[FS_ARG_ROOM], env_room[FS_ENV_ROOM];
        const char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", env_room,
                                    NULL};
        const char *const argv[] = {"sett", "--fork-server", "3", arg_room, NULL};
        sigset_t none;

        memset(arg_room, ' ', sizeof arg_room - 1);
        memcpy(env_room, "ROOM=", 5);
        memset(env_room + 5, ' ', sizeof env_room - 6);

        for (int sig = 1; sig < NSIG; sig++)
            signal(sig, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* its errors go to settd's log; it has nothing to say on standard output */
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(sv[1], 3) < 0)
            _exit(127);
        close_range(4, ~0U, 0);
        execve(fs->sett, (char *const *)argv, (char *const *)envp);
        fprintf(stderr, "settd: cannot start the fork server (%s: %s)\n", fs->sett,
                strerror(errno));
        _exit(127);
    }
    close(sv[1]);
    if (pid < 0) {
        snprintf(err, errsz, "fork server: fork: %s", strerror(errno));
        close(sv[0]);
        return -1;
    }
    /* a server that stopped reading must not hold a connection process for long */
    setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &send_wait, sizeof send_wait);
    fs->fd = sv[0];
    fs->pid = pid;
    fs->started_ns = log_now_ns();
    return 0;
}

bool forkserver_reaped(struct forkserver *fs, pid_t pid, int status)
{
    char err[200];

    if (fs->pid <= 0 || pid != fs->pid)
        return false;
    if (fs->fd >= 0)
        close(fs->fd);
    fs->fd = -1;
    fs->pid = 0;
    if (fs->quick_deaths >= FS_QUICK_LIMIT)
        return true; /* given up on */
    fs->quick_deaths = log_now_ns() - fs->started_ns < FS_QUICK_NS ? fs->quick_deaths + 1 : 0;
    if (fs->quick_deaths >= FS_QUICK_LIMIT) {
        log_msg("the fork server stopped (status %d) %d times at once; sessions start sett by "
                "exec",
                status, fs->quick_deaths);
        return true;
    }
    log_msg("the fork server stopped (status %d); restarting it", status);
    if (forkserver_start(fs, err, sizeof err) != 0)
        log_msg("%s; sessions start sett by exec", err);
    return true;
}

void forkserver_readable(struct forkserver *fs)
{
    char word[16];
    ssize_t n = recv(fs->fd, word, sizeof word - 1, MSG_DONTWAIT);

    if (n <= 0 && !(n < 0 && (errno == EAGAIN || errno == EINTR))) {
        /* gone before it was ready (e.g. --sett names a program without the mode): its exit
         * is reaped; the socket is dropped now so it does not wake the loop */
        close(fs->fd);
        fs->fd = -1;
        return;
    }
    word[n > 0 ? n : 0] = '\0';
    if (strcmp(word, "ready") == 0) {
        fs->ready = true;
        log_msg("sessions are forked from a warm sett (pid %d)", (int)fs->pid);
    }
}

int forkserver_wait_ms(struct forkserver *fs, int64_t now)
{
    int64_t left;

    if (!fs || fs->ready || fs->pid <= 0)
        return -1;
    left = fs->started_ns + FS_READY_NS - now;
    if (left > 0)
        return (int)(left / 1000000) + 1;
    log_msg("the fork server (%s) did not say it was ready; sessions start sett by exec", fs->sett);
    kill(fs->pid, SIGKILL);
    fs->quick_deaths = FS_QUICK_LIMIT; /* not restarted when reaped */
    fs->started_ns = now;
    return -1;
}

int forkserver_fd(const struct forkserver *fs)
{
    return fs && fs->ready ? fs->fd : -1;
}

void forkserver_stop(struct forkserver *fs)
{
    if (fs->fd >= 0)
        close(fs->fd);
    fs->fd = -1;
    if (fs->pid > 0) {
        kill(fs->pid, SIGTERM);
        while (waitpid(fs->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    fs->pid = 0;
}

/* Appends a word and its NUL; false when the message would be too long. */
static bool fs_put(char *buf, size_t *len, const char *w)
{
    size_t n = strlen(w) + 1;

    if (*len + n > FS_MSG_MAX)
        return false;
    memcpy(buf + *len, w, n);
    *len += n;
    return true;
}

static bool fs_put_list(char *buf, size_t *len, const char *const *list)
{
    char count[16];
    int n = 0;

    while (list[n])
        n++;
    snprintf(count, sizeof count, "%d", n);
    if (!fs_put(buf, len, count))
        return false;
    for (int i = 0; i < n; i++)
        if (!fs_put(buf, len, list[i]))
            return false;
    return true;
}

static int fs_send(int fd, const char *msg, size_t len, const int *fds, int nfds)
{
    char cbuf[CMSG_SPACE(FS_FDS * sizeof(int))];
    struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *cm;
    ssize_t n;

    memset(cbuf, 0, sizeof cbuf);
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
    memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
    do
        n = sendmsg(fd, &mh, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : -1;
}

/* One message from the status socket, with the descriptor it carries (or -1). */
static ssize_t fs_recv(int fd, char *buf, size_t size, int *passed)
{
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = buf, .iov_len = size - 1};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    ssize_t n;

    *passed = -1;
    do
        n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    for (struct cmsghdr *cm = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm; cm = CMSG_NXTHDR(&mh, cm))
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
            cm->cmsg_len == CMSG_LEN(sizeof(int)))
            memcpy(passed, CMSG_DATA(cm), sizeof(int));
    buf[n > 0 ? n : 0] = '\0';
    return n;
}

int forkserver_spawn(int fd, const struct forkserver_spawn *sp, pid_t *pid, int *pidfd,
                     int *status_fd, char *err, size_t errsz)
{
    char msg[FS_MSG_MAX], answer[128];
    size_t len = 0;
    int st[2] = {-1, -1}, passed = -1, fds[FS_FDS];
    struct pollfd pf;
    long got;
    char *end;

    if (fd < 0) {
        snprintf(err, errsz, "no fork server");
        return -1;
    }
    if (!fs_put(msg, &len, "sett-fork 1") || !fs_put(msg, &len, sp->tty ? "t" : "") ||
        !fs_put(msg, &len, sp->cwd) || !fs_put_list(msg, &len, sp->argv) ||
        !fs_put_list(msg, &len, sp->envp)) {
        snprintf(err, errsz, "fork server: the request is too long");
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st) != 0) {
        snprintf(err, errsz, "fork server: socketpair: %s", strerror(errno));
        return -1;
    }
    fds[0] = st[1], fds[1] = sp->in, fds[2] = sp->out, fds[3] = sp->err, fds[4] = sp->session_fd;
    if (fs_send(fd, msg, len, fds, FS_FDS) != 0) {
        snprintf(err, errsz, "fork server: send: %s", strerror(errno));
        goto fail;
    }
    close(st[1]);
    st[1] = -1;
    pf = (struct pollfd){.fd = st[0], .events = POLLIN};
    if (poll(&pf, 1, FS_ANSWER_MS) != 1 || fs_recv(st[0], answer, sizeof answer, &passed) <= 0) {
        snprintf(err, errsz, "fork server: no answer");
        goto fail;
    }
    if (strncmp(answer, "started ", 8) != 0 || passed < 0 ||
        (got = strtol(answer + 8, &end, 10)) <= 0 || *end) {
        snprintf(err, errsz, "fork server: %s", answer);
        goto fail;
    }
    *pid = (pid_t)got;
    *pidfd = passed;
    *status_fd = st[0];
    return 0;
fail:
    if (passed >= 0)
        close(passed);
    for (int i = 0; i < 2; i++)
        if (st[i] >= 0)
            close(st[i]);
    return -1;
}

int forkserver_status(int status_fd, int *status)
{
    char answer[64], *end;
    int passed;
    ssize_t n = fs_recv(status_fd, answer, sizeof answer, &passed);
    long v;

    if (passed >= 0)
        close(passed);
    if (n < 0 && errno == EAGAIN)
        return 0;
    if (n <= 0 || strncmp(answer, "exited ", 7) != 0)
        return -1;
    v = strtol(answer + 7, &end, 10);
    if (*end)
        return -1;
    *status = (int)v;
    return 1;
}
