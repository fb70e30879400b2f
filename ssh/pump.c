/* pump.c: the session's pseudo-terminal and the sett process on it. */
#include "ssh/pump.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ssh/log.h"

#define PUMP_SESSION_FD 3
#define PUMP_ARGV_MAX   24 /* "sett --api URL" and a command's words (COMMAND_MAX_WORDS) */
#define PUMP_ENV_MAX    16
#define PUMP_ENV_LEN    400

void pump_init(struct pump *p)
{
    memset(p, 0, sizeof *p);
    p->master = -1;
    p->err = -1;
    p->pidfd = -1;
    p->status_fd = -1;
}

/* The session's HOME, named by this connection process's pid inside settd's private directory,
 * so that settd can remove the home of a connection process that was killed before it could. */
static int pump_make_home(struct pump *p, const struct homes *homes, char *err, size_t errsz)
{
    if (!homes || homes->fd < 0) {
        snprintf(err, errsz, "no directory for session homes");
        return -1;
    }
    if (homes_make(homes, getpid(), p->home, sizeof p->home, err, errsz) != 0) {
        p->home[0] = '\0';
        return -1;
    }
    p->homes = homes;
    return 0;
}

/* sett's command line and environment: the same whether this process execs it or the fork
 * server forks it. The environment is clean: only what sett needs, nothing of settd's. */
struct pump_words {
    const char *argv[PUMP_ARGV_MAX];
    const char *envp[PUMP_ENV_MAX];
    char env[PUMP_ENV_MAX][PUMP_ENV_LEN];
};

static void pump_words(const struct pump *p, const struct pump_spec *spec, struct pump_words *w)
{
    int argc = 0, envc = 0;

#define PUMP_ENV(...)                                                                              \
    do {                                                                                           \
        snprintf(w->env[envc], PUMP_ENV_LEN, __VA_ARGS__);                                         \
        w->envp[envc] = w->env[envc];                                                              \
        envc++;                                                                                    \
    } while (0)
    PUMP_ENV("TERM=%s", spec->term);
    PUMP_ENV("HOME=%s", p->home);
    PUMP_ENV("XDG_CONFIG_HOME=%s", p->home);
    PUMP_ENV("XDG_DATA_HOME=%s", p->home);
    PUMP_ENV("XDG_CACHE_HOME=%s", p->home);
    PUMP_ENV("XDG_STATE_HOME=%s", p->home);
    PUMP_ENV("PATH=/usr/local/bin:/usr/bin:/bin");
    PUMP_ENV("LANG=C.UTF-8");
    PUMP_ENV("SETT_SESSION_FD=%d", PUMP_SESSION_FD);
    /* sett sends it as X-Forwarded-For: the billing API's per-address limits see the customer */
    if (spec->client_addr && spec->client_addr[0])
        PUMP_ENV("SETT_CLIENT_ADDR=%s", spec->client_addr);
    /* The key is the identity: sett offers no password sign-in or sign-out unless told to. */
    if (spec->allow_password_signin)
        PUMP_ENV("SETT_ALLOW_PASSWORD_SIGNIN=1");
    if (spec->idle_warning > 0)
        PUMP_ENV("SETT_IDLE_WARNING=%d", spec->idle_warning);
#undef PUMP_ENV
    w->envp[envc] = NULL;
    w->argv[argc++] = "sett";
    w->argv[argc++] = "--api";
    w->argv[argc++] = spec->api;
    /* a command takes none of the storefront's options (sett calls them a usage error) */
    for (int i = 0; spec->command && spec->command[i] && argc < PUMP_ARGV_MAX - 1; i++)
        w->argv[argc++] = spec->command[i];
    if (spec->plain && !spec->command)
        w->argv[argc++] = "--plain";
    if (spec->kiosk && !spec->command)
        w->argv[argc++] = "--kiosk";
    w->argv[argc] = NULL;
}

/* In the forked child, on the pty slave: never returns. */
static void pump_exec(const struct pump *p, const struct pump_spec *spec, int session_fd)
{
    static struct pump_words w; /* this child's own copy: nothing else runs in it */
    sigset_t none;

    /* the terminal's sett gets default signal handling and only fds 0-2 and the session fd */
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (session_fd != PUMP_SESSION_FD) {
        if (dup2(session_fd, PUMP_SESSION_FD) < 0)
            _exit(127);
        close(session_fd);
    } else {
        fcntl(PUMP_SESSION_FD, F_SETFD, 0);
    }
    close_range(PUMP_SESSION_FD + 1, ~0U, 0);
    if (chdir(p->home) != 0)
        _exit(127);
    pump_words(p, spec, &w);
    execve(spec->sett, (char *const *)w.argv, (char *const *)w.envp);
    dprintf(STDOUT_FILENO, "settd: cannot start the shop (%s: %s)\r\n", spec->sett,
            strerror(errno));
    _exit(127);
}

/* For a client without a terminal: sett's descriptors 0-2 are one end of a socket pair and the
 * other end stands where the pty master would. A socket, unlike a pty, passes every byte as it
 * is and can be shut for writing, which sett reads as the end of its input. */
static pid_t pump_fork_socket(int *master)
{
    int sv[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        setsid();
        for (int fd = 0; fd < 3; fd++)
            if (dup2(sv[1], fd) < 0)
                _exit(127);
        close(sv[0]);
        if (sv[1] > 2)
            close(sv[1]);
        return 0;
    }
    close(sv[1]);
    *master = sv[0];
    return pid;
}

/* For a command without a terminal: stdin /dev/null, stdout and stderr a pipe each, so the client
 * gets them apart (stderr as the channel's extended data) and their end as EOF. */
static pid_t pump_fork_pipes(int *out, int *err)
{
    int o[2] = {-1, -1}, e[2] = {-1, -1}, null = -1;
    pid_t pid = -1;

    if (pipe2(o, O_CLOEXEC) != 0 || pipe2(e, O_CLOEXEC) != 0 ||
        (null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
        goto done;
    pid = fork();
    if (pid == 0) {
        setsid();
        if (dup2(null, 0) < 0 || dup2(o[1], 1) < 0 || dup2(e[1], 2) < 0)
            _exit(127);
        return 0; /* the rest are close-on-exec */
    }
    if (pid > 0) {
        *out = o[0];
        *err = e[0];
        o[0] = e[0] = -1;
    }
done:
    for (int i = 0; i < 2; i++) {
        if (o[i] >= 0)
            close(o[i]);
        if (e[i] >= 0)
            close(e[i]);
    }
    if (null >= 0)
        close(null);
    return pid;
}

/* The same three kinds of terminal, made here and handed to the fork server, whose child takes
 * them as its own. 0 with the master side in *master (and a command's stderr in p->err), or -1:
 * the caller starts sett itself. */
static int pump_start_warm(struct pump *p, const struct pump_spec *spec, struct winsize *ws,
                           int session_fd, int *master)
{
    static struct pump_words w; /* a connection process starts one sett */
    int mine[2] = {-1, -1}, theirs[3] = {-1, -1, -1}, rc = -1;
    char why[200];

    if (!spec->no_tty) {
        if (openpty(&mine[0], &theirs[0], NULL, NULL, ws) != 0)
            goto done;
        fcntl(mine[0], F_SETFD, FD_CLOEXEC);
        fcntl(theirs[0], F_SETFD, FD_CLOEXEC);
        theirs[1] = theirs[2] = theirs[0];
    } else if (spec->command) {
        int o[2], e[2];
        if (pipe2(o, O_CLOEXEC) != 0)
            goto done;
        mine[0] = o[0], theirs[1] = o[1];
        if (pipe2(e, O_CLOEXEC) != 0)
            goto done;
        mine[1] = e[0], theirs[2] = e[1];
        if ((theirs[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
            goto done;
    } else {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            goto done;
        mine[0] = sv[0];
        theirs[0] = theirs[1] = theirs[2] = sv[1];
    }
    pump_words(p, spec, &w);
    struct forkserver_spawn sp = {.tty = !spec->no_tty,
                                  .cwd = p->home,
                                  .argv = w.argv,
                                  .envp = w.envp,
                                  .in = theirs[0],
                                  .out = theirs[1],
                                  .err = theirs[2],
                                  .session_fd = session_fd};
    if (forkserver_spawn(spec->fork_server, &sp, &p->pid, &p->pidfd, &p->status_fd, why,
                         sizeof why) != 0) {
        log_msg("%s; starting sett by exec", why);
        goto done;
    }
    *master = mine[0];
    p->err = mine[1];
    mine[0] = mine[1] = -1;
    rc = 0;
done:
    for (int i = 0; i < 3; i++)
        if (theirs[i] >= 0 && (i == 0 || theirs[i] != theirs[i - 1]))
            close(theirs[i]);
    for (int i = 0; i < 2; i++)
        if (mine[i] >= 0)
            close(mine[i]);
    return rc;
}

int pump_start(struct pump *p, const struct pump_spec *spec, char *err, size_t errsz)
{
    struct winsize ws = {.ws_row = (unsigned short)spec->rows,
                         .ws_col = (unsigned short)spec->cols,
                         .ws_xpixel = (unsigned short)spec->px_w,
                         .ws_ypixel = (unsigned short)spec->px_h};
    size_t len = strlen(spec->session_json);
    int fds[2] = {-1, -1}, master = -1;
    pid_t pid;

    if (pump_make_home(p, spec->homes, err, errsz) != 0)
        return -1;
    /* a pipe holds 64 KiB: the few hundred bytes are in it before sett starts */
    if (pipe2(fds, O_CLOEXEC) != 0 || write(fds[1], spec->session_json, len) != (ssize_t)len) {
        snprintf(err, errsz, "session pipe: %s", strerror(errno));
        goto fail;
    }
    close(fds[1]);
    fds[1] = -1;
    if (spec->fork_server >= 0 && pump_start_warm(p, spec, &ws, fds[0], &master) == 0)
        pid = p->pid;
    else if (spec->no_tty && spec->command)
        pid = pump_fork_pipes(&master, &p->err);
    else
        pid = spec->no_tty ? pump_fork_socket(&master) : forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        snprintf(err, errsz, "%s: %s",
                 !spec->no_tty   ? "forkpty"
                 : spec->command ? "pipe"
                                 : "socketpair",
                 strerror(errno));
        goto fail;
    }
    if (pid == 0)
        pump_exec(p, spec, fds[0]);
    close(fds[0]);
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
    fcntl(master, F_SETFD, FD_CLOEXEC);
    if (p->err >= 0)
        fcntl(p->err, F_SETFL, fcntl(p->err, F_GETFL) | O_NONBLOCK);
    p->pid = pid;
    p->master = master;
    return 0;
fail:
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    pump_cleanup(p);
    return -1;
}

void pump_end_input(struct pump *p)
{
    if (p->master >= 0)
        shutdown(p->master, SHUT_WR); /* a pty has no such end: there, EOF is the customer's */
}

void pump_resize(struct pump *p, int cols, int rows, int px_w, int px_h)
{
    struct winsize ws = {.ws_row = (unsigned short)rows,
                         .ws_col = (unsigned short)cols,
                         .ws_xpixel = (unsigned short)px_w,
                         .ws_ypixel = (unsigned short)px_h};

    /* the kernel sends sett SIGWINCH */
    if (p->master >= 0)
        ioctl(p->master, TIOCSWINSZ, &ws);
}

int pump_write(struct pump *p, const void *buf, size_t len)
{
    const char *b = buf;

    while (len > 0 && p->master >= 0) {
        ssize_t n = write(p->master, b, len);
        if (n > 0) {
            b += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EAGAIN) {
            struct pollfd pf = {.fd = p->master, .events = POLLOUT};
            if (poll(&pf, 1, 5000) <= 0)
                return -1; /* sett has stopped reading for seconds: drop the input */
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            return -1;
        }
    }
    return 0;
}

/* The fork server's child: its exit as the fork server tells it, or, if the fork server died
 * first, as its pidfd shows it (the status then unknown: 1). */
static bool pump_reap_warm(struct pump *p, bool block)
{
    int fd, rc;

    for (;;) {
        fd = p->status_fd >= 0 ? p->status_fd : p->pidfd;
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        if (poll(&pf, 1, block ? 5000 : 0) <= 0)
            return false;
        if (fd == p->pidfd) {
            p->status = 1 << 8;
            p->reaped = true;
            return true;
        }
        if ((rc = forkserver_status(p->status_fd, &p->status)) > 0) {
            p->reaped = true;
            return true;
        }
        if (rc == 0)
            continue;
        close(p->status_fd);
        p->status_fd = -1;
    }
}

int pump_watch_fd(const struct pump *p)
{
    if (p->reaped)
        return -1;
    return p->status_fd >= 0 ? p->status_fd : p->pidfd;
}

void pump_signal(struct pump *p, int sig, int value)
{
    if (p->pid <= 0 || p->reaped)
        return;
    if (p->pidfd >= 0) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        si.si_signo = sig;
        si.si_code = SI_QUEUE;
        si.si_pid = getpid();
        si.si_uid = getuid();
        si.si_value.sival_int = value;
        syscall(SYS_pidfd_send_signal, p->pidfd, sig, &si, 0);
    } else {
        sigqueue(p->pid, sig, (union sigval){.sival_int = value});
    }
}

bool pump_reap(struct pump *p, bool block)
{
    pid_t r;

    if (p->reaped || p->pid <= 0)
        return p->reaped;
    if (p->pidfd >= 0)
        return pump_reap_warm(p, block);
    do
        r = waitpid(p->pid, &p->status, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == p->pid || (r < 0 && errno == ECHILD))
        p->reaped = true;
    return p->reaped;
}

int pump_exit_code(const struct pump *p)
{
    if (!p->reaped)
        return 1;
    if (WIFEXITED(p->status))
        return WEXITSTATUS(p->status);
    return WIFSIGNALED(p->status) ? 128 + WTERMSIG(p->status) : 1;
}

void pump_cleanup(struct pump *p)
{
    if (p->master >= 0) {
        close(p->master);
        p->master = -1;
    }
    if (p->err >= 0) {
        close(p->err);
        p->err = -1;
    }
    if (p->status_fd >= 0) {
        close(p->status_fd);
        p->status_fd = -1;
    }
    if (p->pidfd >= 0) {
        close(p->pidfd);
        p->pidfd = -1;
    }
    if (p->home[0]) {
        homes_remove(p->homes, getpid());
        p->home[0] = '\0';
    }
}
