/* embedded.c: the billing process answers once on a pipe ("PORT KEY" or "! message") and then
 * serves until settd stops it or dies. */
#include "ssh/embedded.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "billing/billingd.h"

static void embedded_child(const char *db_path, bool sandbox, int out, int close_fd)
{
    struct billingd_config cfg = {.db_path = db_path, .quiet = true, .sandbox = sandbox};
    /* every sett reaches this server over loopback and names its customer in X-Forwarded-For */
    static const char *const loopback[] = {"127.0.0.1", "::1"};
    struct billingd *d = NULL;
    char err[400], key[64], line[600];
    sigset_t set;
    int sig = 0;

    /* blocked before any thread exists, so every thread inherits it and sigwait gets them */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* an HTTP server has no business with settd's listening socket */
    if (close_fd >= 0)
        close(close_fd);
    if (getppid() == 1)
        _exit(0);
    cfg.trusted_proxies = loopback;
    cfg.n_trusted_proxies = sizeof loopback / sizeof *loopback;
    if (billingd_start(&cfg, &d, err, sizeof err) != 0 ||
        billingd_service_key(d, "settd", key, sizeof key, err, sizeof err) != 0) {
        snprintf(line, sizeof line, "! %s\n", err);
    } else {
        snprintf(line, sizeof line, "%u %s\n", (unsigned)billingd_port(d), key);
        explicit_bzero(key, sizeof key);
    }
    if (write(out, line, strlen(line)) < 0 || line[0] == '!') {
        billingd_stop(&d);
        _exit(1);
    }
    explicit_bzero(line, sizeof line);
    close(out);
    sigwait(&set, &sig);
    billingd_stop(&d);
    _exit(0);
}

int embedded_start(const char *db_path, bool sandbox, int close_fd, struct embedded *e, char *err,
                   size_t errsz)
{
    char line[600] = "";
    size_t have = 0;
    unsigned port = 0;
    int fds[2];

    memset(e, 0, sizeof *e);
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errsz, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    e->pid = fork();
    if (e->pid < 0) {
        snprintf(err, errsz, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (e->pid == 0) {
        close(fds[0]);
        embedded_child(db_path, sandbox, fds[1], close_fd);
    }
    close(fds[1]);
    while (have < sizeof line - 1) {
        ssize_t n = read(fds[0], line + have, sizeof line - 1 - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        have += (size_t)n;
        if (memchr(line, '\n', have))
            break;
    }
    close(fds[0]);
    line[have] = '\0';
    line[strcspn(line, "\n")] = '\0';
    if (line[0] == '!' || sscanf(line, "%u %63s", &port, e->service_key) != 2 || !port) {
        snprintf(err, errsz, "embedded billing server: %s",
                 line[0] == '!' ? line + 2 : "did not start");
        embedded_stop(e);
        return -1;
    }
    explicit_bzero(line, sizeof line);
    snprintf(e->url, sizeof e->url, "http://127.0.0.1:%u", port);
    return 0;
}

void embedded_stop(struct embedded *e)
{
    int status;

    if (e->pid <= 0)
        return;
    kill(e->pid, SIGTERM);
    while (waitpid(e->pid, &status, 0) < 0 && errno == EINTR)
        ;
    e->pid = 0;
    explicit_bzero(e->service_key, sizeof e->service_key);
}
