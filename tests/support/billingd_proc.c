/* billingd_proc.c: runs `sett-billingd` as a child process on a free loopback port for a test. */
#include "billingd_proc.h"

#include "child.h"
#include "netutil.h"
#include "tempdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define POLL_STEP_MS 10

struct billingd_proc {
    pid_t pid;
    int port;
    char dir[PATH_MAX];
    char db[PATH_MAX + 16];
    char port_file[PATH_MAX + 16];
    char log[PATH_MAX + 16];
    char url[64];
    /* how it was started, for a restart */
    char binary[PATH_MAX];
    char catalog[PATH_MAX];
    char mode[32];
};

extern char **environ;

/* The port file holds the port once the server listens; its log line says the same. */
static int read_port(const struct billingd_proc *b)
{
    char *text = tempdir_read_file(b->port_file, NULL);
    int port = 0;
    if (text) {
        char *end;
        long v = strtol(text, &end, 10);
        if (end != text && (*end == '\n' || *end == '\0') && v > 0 && v < 65536)
            port = (int)v;
        free(text);
    }
    if (port)
        return port;
    text = tempdir_read_file(b->log, NULL);
    if (text) {
        const char *m = strstr(text, "listening on http://127.0.0.1:");
        if (m) {
            long v = strtol(m + strlen("listening on http://127.0.0.1:"), NULL, 10);
            if (v > 0 && v < 65536)
                port = (int)v;
        }
        free(text);
    }
    return port;
}

/* Starts the server on `port` (0: the kernel chooses) with the same files as before. */
static pid_t spawn(const struct billingd_proc *b, int port)
{
    const char *argv[16], *binary = b->binary;
    char port_arg[16];
    int n = 0;
    snprintf(port_arg, sizeof port_arg, "%d", port);
    argv[n++] = binary;
    argv[n++] = "--port";
    argv[n++] = port_arg;
    argv[n++] = "--port-file";
    argv[n++] = b->port_file;
    argv[n++] = "--db";
    argv[n++] = b->db;
    if (b->catalog[0]) {
        argv[n++] = "--catalog";
        argv[n++] = b->catalog;
    }
    argv[n++] = "--quiet";
    if (b->mode[0])
        argv[n++] = b->mode;
    argv[n] = NULL;

    unlink(b->port_file); /* a restart's port file says the new server listens */
    int logfd = open(b->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execve(binary, (char *const *)argv, environ);
        _exit(127);
    }
    close(logfd);
    return pid;
}

/* Spawns the server on `port` and waits until it accepts connections there; b->port is set. */
static int listen_on(struct billingd_proc *b, int port, int timeout_ms)
{
    b->pid = spawn(b, port);
    if (b->pid < 0) {
        perror("billingd_proc: fork");
        return -1;
    }
    long long deadline = net_now_ms() + timeout_ms;
    for (;;) {
        int status;
        if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
            fprintf(stderr, "billingd_proc: %s exited before listening (status %d)\n", b->binary,
                    status);
            b->pid = -1;
            billingd_proc_dump_log(b);
            return -1;
        }
        int got = read_port(b);
        if (got && net_port_accepts(got)) {
            b->port = got;
            return 0;
        }
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "billingd_proc: no listening port after %d ms\n", timeout_ms);
            billingd_proc_dump_log(b);
            return -1;
        }
        poll(NULL, 0, POLL_STEP_MS);
    }
}

struct billingd_proc *billingd_proc_start(const char *binary, const char *catalog, int timeout_ms)
{
    return billingd_proc_start_mode(binary, catalog, "--demo", timeout_ms);
}

struct billingd_proc *billingd_proc_start_mode(const char *binary, const char *catalog,
                                               const char *mode, int timeout_ms)
{
    struct billingd_proc *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->pid = -1;
    if (tempdir_make("sett-billingd", b->dir, sizeof b->dir) != 0) {
        perror("billingd_proc: temporary directory");
        free(b);
        return NULL;
    }
    snprintf(b->db, sizeof b->db, "%s/billing.db", b->dir);
    snprintf(b->port_file, sizeof b->port_file, "%s/port", b->dir);
    snprintf(b->log, sizeof b->log, "%s/log", b->dir);
    if (access(binary, X_OK) != 0) {
        fprintf(stderr, "billingd_proc: %s is not an executable: %s\n", binary, strerror(errno));
        goto fail;
    }
    snprintf(b->binary, sizeof b->binary, "%s", binary);
    snprintf(b->catalog, sizeof b->catalog, "%s", catalog ? catalog : "");
    snprintf(b->mode, sizeof b->mode, "%s", mode ? mode : "");
    if (listen_on(b, 0, timeout_ms) != 0)
        goto fail;
    snprintf(b->url, sizeof b->url, "http://127.0.0.1:%d", b->port);
    return b;
fail:
    billingd_proc_stop(&b);
    return NULL;
}

int billingd_proc_kill(struct billingd_proc *b)
{
    if (!b || b->pid <= 0)
        return -1;
    kill(b->pid, SIGKILL);
    int status = child_reap(b->pid, 5000);
    b->pid = -1;
    return status;
}

int billingd_proc_restart(struct billingd_proc *b, int timeout_ms)
{
    if (!b || b->pid > 0)
        return -1;
    int port = b->port;
    if (listen_on(b, port, timeout_ms) != 0)
        return -1;
    if (b->port != port) {
        fprintf(stderr, "billingd_proc: restarted on port %d, not %d\n", b->port, port);
        return -1;
    }
    return 0;
}

const char *billingd_proc_url(const struct billingd_proc *b)
{
    return b->url;
}

const char *billingd_proc_db(const struct billingd_proc *b)
{
    return b->db;
}

int billingd_proc_port(const struct billingd_proc *b)
{
    return b->port;
}

pid_t billingd_proc_pid(const struct billingd_proc *b)
{
    return b->pid;
}

char *billingd_proc_log(const struct billingd_proc *b)
{
    return tempdir_read_file(b->log, NULL);
}

void billingd_proc_dump_log(const struct billingd_proc *b)
{
    char *text = tempdir_read_file(b->log, NULL);
    fprintf(stderr, "---- sett-billingd output ----\n%s\n---- end ----\n", text ? text : "(none)");
    free(text);
}

int billingd_proc_stop(struct billingd_proc **bp)
{
    struct billingd_proc *b = bp ? *bp : NULL;
    if (!b)
        return -1;
    int status = -1;
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        status = child_reap(b->pid, 5000);
        if (status == CHILD_RUNNING) {
            fprintf(stderr, "billingd_proc: no exit 5 s after SIGTERM; killing it\n");
            kill(b->pid, SIGKILL);
            status = child_reap(b->pid, 5000);
        }
    }
    tempdir_remove(b->dir);
    free(b);
    *bp = NULL;
    return status;
}
