/* stacks.c: starts and stops the servers of the session-cost comparison and reads what their
 * sessions cost from /proc. */
#include "stacks.h"

#include "bench_util.h"
#include "settd_proc.h"
#include "tempdir.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BENCH_WISH
#define BENCH_WISH "" /* not built: go or Debian's Wish and Bubble Tea packages were missing */
#endif
#define SSHD       "/usr/sbin/sshd" /* sshd re-executes itself: it must be given a full path */
#define SSH_KEYGEN "/usr/bin/ssh-keygen"
#define MAX_PROCS  8192
#define START_MS   10000

extern char **environ;

/* ---- processes ---- */

static pid_t parent_pid(pid_t pid)
{
    char buf[1024];
    const char *p = proc_stat_read(pid, buf, sizeof buf);
    int ppid;
    return p && sscanf(p, "%*c %d", &ppid) == 1 ? (pid_t)ppid : -1;
}

/* Every process below root, breadth first, found through /proc; a fork server directly below it
 * is not one of them (its children are), but is named in *standing (else -1). */
static int descendants_of(pid_t root, pid_t *out, int max, pid_t *standing)
{
    pid_t *pid = malloc(3 * MAX_PROCS * sizeof *pid), *ppid = pid + MAX_PROCS;
    pid_t *queue = pid + 2 * MAX_PROCS;
    int n = 0, found = 0, queued = 0;
    DIR *d = pid ? opendir("/proc") : NULL;
    struct dirent *e;
    *standing = -1;
    while (d && (e = readdir(d)) && n < MAX_PROCS)
        if (isdigit((unsigned char)e->d_name[0]) &&
            (ppid[n] = parent_pid(pid[n] = (pid_t)atoi(e->d_name))) > 0)
            n++;
    if (d)
        closedir(d);
    for (int head = -1; pid && head < queued; head++) {
        pid_t parent = head < 0 ? root : queue[head];
        for (int i = 0; i < n && queued < MAX_PROCS; i++) {
            if (ppid[i] != parent)
                continue;
            queue[queued++] = pid[i];
            if (parent == root && *standing < 0 && settd_proc_is_fork_server(pid[i]))
                *standing = pid[i];
            else if (found++ < max)
                out[found - 1] = pid[i];
        }
    }
    free(pid);
    return found;
}

static int descendants(pid_t root, pid_t *out, int max)
{
    pid_t standing;
    return descendants_of(root, out, max, &standing);
}

static pid_t stack_fork_server(const struct stack *s)
{
    pid_t one, standing;
    descendants_of(s->pid, &one, 0, &standing);
    return standing;
}

int stack_below(const struct stack *s, pid_t *pids, int max)
{
    return descendants(s->pid, pids, max);
}

int stack_wait_idle(const struct stack *s, int timeout_ms)
{
    long long deadline = bench_now_us() + (long long)timeout_ms * 1000;
    pid_t left[4];
    while (stack_below(s, left, 4) > 0) {
        if (bench_now_us() > deadline) {
            fprintf(stderr, "bench_settd: %s: processes still below the server after %d ms\n",
                    s->name, timeout_ms);
            return -1;
        }
        poll(NULL, 0, 5);
    }
    return 0;
}

static long cpu_ticks(pid_t pid)
{
    char buf[1024];
    const char *p = proc_stat_read(pid, buf, sizeof buf);
    long u, st, cu, cs;
    if (!p || sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld %ld %ld", &u, &st, &cu,
                     &cs) != 4)
        return -1;
    return u + st + cu + cs;
}

long stack_cpu_ticks(const struct stack *s)
{
    long ticks = cpu_ticks(s->pid);
    /* a fork server's sessions are its children, reaped by it: their time is in its counters */
    pid_t fs = stack_fork_server(s);
    long more = fs > 0 ? cpu_ticks(fs) : 0;
    return ticks < 0 || more < 0 ? -1 : ticks + more;
}

long long stack_run_ns(const struct stack *s)
{
    pid_t *pids = malloc(MAX_PROCS * sizeof *pids);
    int n = pids ? stack_below(s, pids, MAX_PROCS) : 0;
    long long ns = proc_run_ns(s->pid), one;
    pid_t fs = stack_fork_server(s);
    if (fs > 0 && (one = proc_run_ns(fs)) > 0)
        ns += one;
    for (int i = 0; i < n && i < MAX_PROCS; i++)
        if ((one = proc_run_ns(pids[i])) > 0)
            ns += one;
    free(pids);
    return ns;
}

long stack_pss_kb(const struct stack *s, bool self)
{
    pid_t *pids = malloc(MAX_PROCS * sizeof *pids);
    int n = pids ? stack_below(s, pids, MAX_PROCS) : 0;
    long kb = 0;
    struct proc_memory m;
    /* the fork server's memory is the sessions' too (they share its pages) */
    pid_t fs = stack_fork_server(s);
    if (fs > 0 && proc_memory_kb(fs, &m) == 0 && m.pss_kb > 0)
        kb += m.pss_kb;
    for (int i = -1; i < n && i < MAX_PROCS; i++)
        if ((i >= 0 || self) && proc_memory_kb(i < 0 ? s->pid : pids[i], &m) == 0 && m.pss_kb > 0)
            kb += m.pss_kb;
    free(pids);
    return kb;
}

/* ---- starting a server ---- */

static int free_port(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static bool port_accepts(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void print_log(const struct stack *s)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/log", s->dir);
    char *log = tempdir_read_file(path, NULL);
    fprintf(stderr, "---- %s's log ----\n%s", s->name, log ? log : "(none)\n");
    free(log);
}

/* Spawns argv with stdin on /dev/null, stdout on out_fd (or the log) and stderr on DIR/log. */
static int spawn(struct stack *s, const char *const argv[], int out_fd)
{
    char log[PATH_MAX + 16];
    posix_spawn_file_actions_t fa;
    snprintf(log, sizeof log, "%s/log", s->dir);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        posix_spawn_file_actions_adddup2(&fa, 2, 1);
    int err = posix_spawn(&s->pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err) {
        fprintf(stderr, "bench_settd: cannot start %s: %s\n", argv[0], strerror(err));
        s->pid = 0;
        return -1;
    }
    s->own = true;
    return 0;
}

static int host_key(const struct stack *s, char *path, size_t n)
{
    snprintf(path, n, "%s/host_ed25519", s->dir);
    const char *argv[] = {SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-f", path, NULL};
    if (bench_exec_ms(argv) < 0) {
        fprintf(stderr, "bench_settd: %s failed\n", SSH_KEYGEN);
        return -1;
    }
    return 0;
}

/* sshd -D -e with a private configuration: a loopback port, the bench's client key as the only
 * authorized one, and a ForceCommand starting sett as settd does: its environment cleared, the
 * same billing server, the session settd's sign-in gave (b->session_json) on descriptor 3, so
 * sett opens on the store as it does under settd. Every session shares that one sign-in. */
static int start_openssh(struct sb *b, struct stack *s)
{
    char key[PATH_MAX + 32], cfg[PATH_MAX + 32], keys[PATH_MAX + 32], session[PATH_MAX + 32];
    char text[512];
    char *b64 = NULL, *conf = NULL;
    struct passwd *pw = getpwuid(getuid());
    if (access(SSHD, X_OK) != 0 || access(SSH_KEYGEN, X_OK) != 0) {
        snprintf(s->skipped, sizeof s->skipped,
                 "%s not installed (Debian's openssh-server: scripts/install-deps --bench)", SSHD);
        return 1;
    }
    if (!pw || ssh_pki_export_pubkey_base64(b->key, &b64) != SSH_OK || host_key(s, key, sizeof key))
        goto fail;
    /* the signed-in session handed to sett on fd 3, as settd hands it over a pipe */
    snprintf(session, sizeof session, "%s/session.json", s->dir);
    if (tempdir_write_file(session, b->session_json, strlen(b->session_json)) != 0)
        goto fail;
    snprintf(keys, sizeof keys, "%s/authorized_keys", s->dir);
    snprintf(text, sizeof text, "ssh-ed25519 %s bench\n", b64);
    if (tempdir_write_file(keys, text, strlen(text)) != 0)
        goto fail;
    /* privilege separation's chroot, made by the service's start otherwise */
    if (geteuid() == 0 && mkdir("/run/sshd", 0755) != 0 && errno != EEXIST)
        goto fail;
    int port = free_port();
    if (asprintf(&conf,
                 "Port %d\nListenAddress 127.0.0.1\nHostKey %s\nPidFile %s/sshd.pid\n"
                 "AuthorizedKeysFile %s\nUsePAM no\nStrictModes no\nLogLevel ERROR\n"
                 "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                 "PermitRootLogin prohibit-password\nPrintMotd no\nPrintLastLog no\nUseDNS no\n"
                 "X11Forwarding no\nAllowTcpForwarding no\nAllowAgentForwarding no\n"
                 "MaxStartups 100:30:200\n"
                 /* bash, the account's shell, reads ~/.bashrc for a command over SSH (Debian
                  * builds it so) unless it is a nested shell: the account's own start-up
                  * files are no part of what OpenSSH costs */
                 "SetEnv SHLVL=1\n"
                 "ForceCommand exec env -i TERM=\"$TERM\" HOME=%s XDG_CONFIG_HOME=%s "
                 "XDG_DATA_HOME=%s XDG_CACHE_HOME=%s XDG_STATE_HOME=%s LANG=C.UTF-8 "
                 "PATH=/usr/local/bin:/usr/bin:/bin SETT_SESSION_FD=3 %s --api %s 3<%s\n",
                 port, key, s->dir, keys, s->dir, s->dir, s->dir, s->dir, s->dir, b->set.sett,
                 billingd_proc_url(b->billing), session) < 0)
        conf = NULL;
    snprintf(cfg, sizeof cfg, "%s/sshd_config", s->dir);
    if (port <= 0 || !conf || tempdir_write_file(cfg, conf, strlen(conf)) != 0)
        goto fail;
    const char *argv[] = {SSHD, "-D", "-e", "-f", cfg, NULL};
    if (spawn(s, argv, -1) != 0)
        goto fail;
    s->t.port = port;
    snprintf(s->user, sizeof s->user, "%s", pw->pw_name);
    s->t.name = "sett";
    s->t.frame = b->sett.frame;
    s->t.complete = b->sett.complete;
    s->t.user = s->user;
    ssh_string_free_char(b64);
    free(conf);
    return 0;
fail:
    ssh_string_free_char(b64);
    free(conf);
    fprintf(stderr, "bench_settd: cannot set up OpenSSH's sshd\n");
    return -1;
}

/* bench/wish_list: prints "port N" once it listens on a port of its own choosing. */
static int start_wish(struct stack *s)
{
    char key[PATH_MAX + 32], line[64] = "";
    int out[2], port = 0;
    if (!BENCH_WISH[0] || access(BENCH_WISH, X_OK) != 0) {
        snprintf(s->skipped, sizeof s->skipped,
                 "wish_list not built (needs go and Debian's golang-github-charmbracelet-wish-dev "
                 "and -bubbletea-dev when cmake runs: scripts/install-deps --bench)");
        return 1;
    }
    if (host_key(s, key, sizeof key) != 0 || pipe2(out, O_CLOEXEC) != 0)
        return -1;
    const char *argv[] = {BENCH_WISH, "-host-key", key, NULL};
    int rc = spawn(s, argv, out[1]);
    close(out[1]);
    struct pollfd p = {.fd = out[0], .events = POLLIN};
    size_t len = 0;
    long long deadline = bench_now_us() + START_MS * 1000LL;
    while (rc == 0 && !strchr(line, '\n') && len < sizeof line - 1 && bench_now_us() < deadline &&
           poll(&p, 1, 100) >= 0) {
        ssize_t got = p.revents ? read(out[0], line + len, sizeof line - 1 - len) : 0;
        if (got < 0 || (p.revents && got == 0))
            break;
        line[len += (size_t)got] = '\0';
    }
    close(out[0]);
    if (rc != 0 || sscanf(line, "port %d", &port) != 1)
        return -1;
    s->t.port = port;
    return 0;
}

int stack_start(struct sb *b, struct stack *s)
{
    int rc;
    s->skipped[0] = '\0';
    if (s->kind == STACK_SETTD) {
        s->t = b->sett;
        s->pid = settd_proc_pid(b->sett.settd);
        return 0;
    }
    if (tempdir_make(s->kind == STACK_WISH ? "bench-wish" : "bench-sshd", s->dir, sizeof s->dir)) {
        perror("bench_settd: temporary directory");
        return -1;
    }
    if (s->kind == STACK_OPENSSH)
        rc = start_openssh(b, s);
    else
        rc = start_wish(s);
    long long deadline = bench_now_us() + START_MS * 1000LL;
    while (rc == 0 && !port_accepts(s->t.port)) {
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid || bench_now_us() > deadline) {
            fprintf(stderr, "bench_settd: %s did not start\n", s->name);
            s->pid = 0;
            rc = -1;
            break;
        }
        poll(NULL, 0, 10);
    }
    if (rc < 0)
        print_log(s);
    if (rc != 0)
        stack_stop(s);
    return rc;
}

void stack_stop(struct stack *s)
{
    if (s->own && s->pid > 0) {
        pid_t left[256];
        int n = stack_below(s, left, 256);
        for (int i = 0; i < n && i < 256; i++)
            kill(left[i], SIGTERM);
        kill(s->pid, SIGTERM);
        int status;
        long long deadline = bench_now_us() + 5000000;
        while (waitpid(s->pid, &status, WNOHANG) == 0) {
            if (bench_now_us() > deadline) {
                kill(s->pid, SIGKILL);
                waitpid(s->pid, &status, 0);
                break;
            }
            poll(NULL, 0, 10);
        }
    }
    s->pid = 0;
    s->own = false;
    if (s->dir[0])
        tempdir_remove(s->dir);
    s->dir[0] = '\0';
}
