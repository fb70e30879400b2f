/* haproxy_proc.c: HAProxy as a child process in front of the settd under test. */
#include "haproxy_proc.h"

#include "child.h"
#include "netutil.h"
#include "tempdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef HAPROXY_BIN
#define HAPROXY_BIN "haproxy"
#endif

#define POLL_STEP_MS 20
#define SERVERS_MAX  8

struct haproxy_proc {
    pid_t pid;
    int port;
    char dir[PATH_MAX];
    char cfg[PATH_MAX + 16];
    char sock[PATH_MAX + 16];
    char log[PATH_MAX + 16];
};

extern char **environ;

/* The configuration docs/deploy.md shows, on loopback and with quick checks. */
static int write_config(const struct haproxy_proc *h, const int ports[], int n)
{
    char text[4096];
    size_t o = 0;

    o += (size_t)snprintf(text + o, sizeof text - o,
                          "global\n"
                          "    stats socket %s mode 600 level admin\n"
                          "defaults\n"
                          "    mode tcp\n"
                          "    timeout connect 2s\n"
                          "    timeout client 1h\n"
                          "    timeout server 1h\n"
                          "    retries 2\n"
                          "    option redispatch 1\n"
                          "frontend shop\n"
                          "    bind 127.0.0.1:%d\n"
                          "    default_backend settd\n"
                          "backend settd\n"
                          "    balance roundrobin\n"
                          "    option tcp-check\n"
                          "    tcp-check expect string SSH-2.0-\n"
                          "    default-server send-proxy-v2 check-send-proxy check inter 300ms "
                          "fall 1 rise 1\n",
                          h->sock, h->port);
    for (int i = 0; i < n && o < sizeof text; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "    server s%d 127.0.0.1:%d\n", i,
                              ports[i]);
    if (o >= sizeof text)
        return -1;
    return tempdir_write_file(h->cfg, text, o);
}

static int free_port(void)
{
    int port = 0, fd = net_listen_loopback(&port);

    if (fd < 0)
        return -1;
    close(fd); /* HAProxy binds it a moment later */
    return port;
}

/* One command on the stats socket; its answer (heap) or NULL. */
static char *stats_ask(const struct haproxy_proc *h, const char *cmd)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t cap = 65536, len = 0;
    char *buf = NULL;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ssize_t r;

    if (strlen(h->sock) >= sizeof sa.sun_path)
        goto fail;
    memcpy(sa.sun_path, h->sock, strlen(h->sock) + 1);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) || !(buf = malloc(cap)))
        goto fail;
    while (len < cap - 1 && (r = read(fd, buf + len, cap - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(fd);
    return buf;
fail:
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

struct haproxy_proc *haproxy_proc_start(const int ports[], int n, int timeout_ms)
{
    struct haproxy_proc *h = calloc(1, sizeof *h);
    char *answer = NULL;

    if (!h)
        return NULL;
    h->pid = -1;
    if (n > SERVERS_MAX || tempdir_make("haproxy-e2e", h->dir, sizeof h->dir) != 0) {
        perror("haproxy_proc: temporary directory");
        free(h);
        return NULL;
    }
    snprintf(h->cfg, sizeof h->cfg, "%s/haproxy.cfg", h->dir);
    snprintf(h->sock, sizeof h->sock, "%s/stats.sock", h->dir);
    snprintf(h->log, sizeof h->log, "%s/log", h->dir);
    if ((h->port = free_port()) < 0 || write_config(h, ports, n) != 0) {
        perror("haproxy_proc: configuration");
        goto fail;
    }
    int logfd = open(h->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0)
        goto fail;
    h->pid = fork();
    if (h->pid == 0) {
        const char *argv[] = {HAPROXY_BIN, "-db", "-f", h->cfg, NULL};
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execvpe(argv[0], (char *const *)argv, environ);
        dprintf(2,
                "haproxy_proc: cannot run %s: %s (install haproxy: scripts/install-deps "
                "--test)\n",
                argv[0], strerror(errno));
        _exit(127);
    }
    close(logfd);
    if (h->pid < 0)
        goto fail;
    long long deadline = net_now_ms() + timeout_ms;
    while (!(answer = stats_ask(h, "show info\n")) || !strstr(answer, "Name: HAProxy")) {
        free(answer);
        answer = NULL;
        int status = child_reap(h->pid, 0);
        if (status != CHILD_RUNNING) {
            fprintf(stderr, "haproxy_proc: haproxy exited (status 0x%x)\n", status);
            h->pid = -1;
            goto fail;
        }
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "haproxy_proc: no stats socket after %d ms\n", timeout_ms);
            goto fail;
        }
        poll(NULL, 0, POLL_STEP_MS);
    }
    free(answer);
    return h;
fail:
    haproxy_proc_dump_log(h);
    haproxy_proc_stop(&h);
    return NULL;
}

int haproxy_proc_port(const struct haproxy_proc *h)
{
    return h->port;
}

/* The status column of server s<i> in `show stat` (CSV: pxname,svname,… status is field 17). */
static int server_status(const struct haproxy_proc *h, int i, char *out, size_t n)
{
    char prefix[32], *csv = stats_ask(h, "show stat\n"), *line;
    int rc = -1;

    snprintf(prefix, sizeof prefix, "settd,s%d,", i);
    out[0] = '\0';
    if (!csv)
        return -1;
    if ((line = strstr(csv, prefix))) {
        char *field = line;
        for (int f = 0; f < 17 && field; f++)
            field = strchr(field, ',') ? strchr(field, ',') + 1 : NULL;
        if (field) {
            size_t len = strcspn(field, ",\n");
            snprintf(out, n, "%.*s", (int)len, field);
            rc = 0;
        }
    }
    free(csv);
    return rc;
}

int haproxy_proc_wait_server(const struct haproxy_proc *h, int i, const char *status,
                             int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    char now[64] = "";

    for (;;) {
        if (server_status(h, i, now, sizeof now) == 0 && strncmp(now, status, strlen(status)) == 0)
            return 0;
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "haproxy_proc: server s%d is '%s', not %s, after %d ms\n", i, now,
                    status, timeout_ms);
            haproxy_proc_dump_log(h);
            return -1;
        }
        poll(NULL, 0, POLL_STEP_MS);
    }
}

void haproxy_proc_dump_log(const struct haproxy_proc *h)
{
    char *log = h ? tempdir_read_file(h->log, NULL) : NULL;

    fprintf(stderr, "---- haproxy log ----\n%s---- end of haproxy log ----\n", log ? log : "");
    free(log);
}

void haproxy_proc_stop(struct haproxy_proc **hp)
{
    struct haproxy_proc *h = hp ? *hp : NULL;

    if (!h)
        return;
    if (h->pid > 0) {
        kill(h->pid, SIGTERM);
        if (child_reap(h->pid, 5000) == CHILD_RUNNING) {
            kill(h->pid, SIGKILL);
            child_reap(h->pid, 5000);
        }
    }
    if (h->dir[0])
        tempdir_remove(h->dir);
    free(h);
    *hp = NULL;
}
