/* test_support.c: checks the shared test helpers: the slow proxy and its faults, the dead port,
 * and (when the server is built) starting, killing, restarting and stopping sett-billingd. */
#include "api_peek.h"
#include "billingd_proc.h"
#include "harness.h"
#include "netutil.h"
#include "slow_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int connect_port(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct pong {
    int lfd, port;
    int conns; /* how many connections it serves before it ends */
    pthread_t thread;
    bool started;
};

/* A server that answers every read with "pong:" and what it read, once per connection. */
static void *pong_server(void *arg)
{
    struct pong *pg = arg;
    for (int i = 0; i < pg->conns; i++) {
        int cfd = accept(pg->lfd, NULL, NULL);
        if (cfd < 0)
            break;
        char buf[64], reply[80];
        ssize_t n = read(cfd, buf, sizeof buf - 1);
        if (n > 0) {
            buf[n] = '\0';
            int len = snprintf(reply, sizeof reply, "pong:%s", buf);
            if (write(cfd, reply, (size_t)len) < 0)
                perror("pong_server");
        }
        close(cfd);
    }
    return NULL;
}

/* Starts pong_server on a loopback port for `conns` connections. 0 or -1. */
static int pong_start(struct pong *pg, int conns)
{
    *pg = (struct pong){.conns = conns};
    pg->lfd = net_listen_loopback(&pg->port);
    if (pg->lfd < 0)
        return -1;
    pg->started = pthread_create(&pg->thread, NULL, pong_server, pg) == 0;
    return pg->started ? 0 : -1;
}

/* Lets pong_server's accepts return if nobody reached them (harmless in the backlog otherwise),
 * then closes its port. */
static void pong_stop(struct pong *pg)
{
    int fds[8];
    int n = pg->conns < 8 ? pg->conns : 8;
    if (pg->started) {
        for (int i = 0; i < n; i++)
            if ((fds[i] = connect_port(pg->port)) >= 0)
                shutdown(fds[i], SHUT_WR); /* its read sees the end at once */
        pthread_join(pg->thread, NULL);
        for (int i = 0; i < n; i++)
            if (fds[i] >= 0)
                close(fds[i]);
    }
    if (pg->lfd >= 0)
        close(pg->lfd);
    pg->started = false;
    pg->lfd = -1;
}

/* Reads until `want` bytes, the end, or `ms` of silence; the bytes read, NUL-terminated. */
static size_t read_some(int fd, char *buf, size_t n, size_t want, int ms, bool *eof)
{
    size_t got = 0;
    *eof = false;
    while (got < want && got < n - 1 &&
           poll(&(struct pollfd){.fd = fd, .events = POLLIN}, 1, ms) == 1) {
        ssize_t r = read(fd, buf + got, n - 1 - got);
        if (r <= 0) {
            *eof = true;
            break;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    return got;
}

static int test_slow_proxy(void)
{
    int rc = -1, fd = -1;
    struct slow_proxy *p = NULL;
    struct pong pg;
    H_CHECK(pong_start(&pg, 1) == 0);
    p = slow_proxy_start(pg.port, 400);
    H_CHECK(p);
    fd = connect_port(slow_proxy_port(p));
    H_CHECK(fd >= 0);
    long long t0 = net_now_ms();
    H_CHECK(write(fd, "ping", 4) == 4);
    char buf[64] = {0};
    size_t got = 0;
    while (got < 9) {
        H_CHECK(poll(&(struct pollfd){.fd = fd, .events = POLLIN}, 1, harness_ms(5000)) == 1);
        ssize_t n = read(fd, buf + got, sizeof buf - 1 - got);
        H_CHECK(n > 0);
        got += (size_t)n;
    }
    long long took = net_now_ms() - t0;
    fprintf(stderr, "slow proxy: reply after %lld ms\n", took);
    H_CHECK(strcmp(buf, "pong:ping") == 0);
    H_CHECK(took >= 400);
    H_CHECK(slow_proxy_connections(p) == 1);
    /* the server closed: the proxy closes the client after the delayed bytes */
    H_CHECK(poll(&(struct pollfd){.fd = fd, .events = POLLIN}, 1, harness_ms(5000)) == 1);
    H_CHECK(read(fd, buf, sizeof buf) == 0);
    rc = 0;
fail:
    if (fd >= 0)
        close(fd);
    slow_proxy_stop(&p);
    pong_stop(&pg);
    return rc;
}

/* A client that leaves while its reply is held back does not upset the proxy. */
static int test_slow_proxy_hangup(void)
{
    int rc = -1;
    struct slow_proxy *p = NULL;
    struct pong pg;
    H_CHECK(pong_start(&pg, 1) == 0);
    p = slow_proxy_start(pg.port, 3000);
    H_CHECK(p);
    int fd = connect_port(slow_proxy_port(p));
    H_CHECK(fd >= 0);
    H_CHECK(write(fd, "ping", 4) == 4);
    close(fd);
    long long t0 = net_now_ms();
    slow_proxy_stop(&p); /* returns at once, not after the delay */
    H_CHECK(net_now_ms() - t0 < 1000);
    rc = 0;
fail:
    slow_proxy_stop(&p);
    pong_stop(&pg);
    return rc;
}

/* Black-holed: nothing comes back and nothing is closed, also after the path returns, while a new
 * connection and one that was idle meanwhile get through; cut: the first bytes of the reply, then
 * the end. */
static int test_proxy_faults(void)
{
    int rc = -1, held = -1, fd = -1, idle = -1;
    bool eof;
    struct slow_proxy *p = NULL;
    char buf[64];
    struct pong pg;
    H_CHECK(pong_start(&pg, 3) == 0);
    p = slow_proxy_start(pg.port, 0);
    H_CHECK(p);
    idle = connect_port(slow_proxy_port(p));
    H_CHECK(idle >= 0);
    for (long long t0 = net_now_ms(); slow_proxy_connections(p) < 1;) /* accepted */
        H_CHECK(net_now_ms() - t0 < harness_ms(5000) && poll(NULL, 0, 10) == 0);
    slow_proxy_set_fault(p, PROXY_BLACKHOLE, 0);
    held = connect_port(slow_proxy_port(p));
    H_CHECK(held >= 0);
    H_CHECK(write(held, "ping", 4) == 4);
    H_CHECK(read_some(held, buf, sizeof buf, 1, 300, &eof) == 0 && !eof);
    slow_proxy_set_fault(p, PROXY_FORWARD, 0);
    H_CHECK(write(idle, "ping", 4) == 4); /* the server serves it first */
    H_CHECK(read_some(idle, buf, sizeof buf, 9, harness_ms(5000), &eof) == 9);
    H_CHECK(strcmp(buf, "pong:ping") == 0);
    fd = connect_port(slow_proxy_port(p));
    H_CHECK(fd >= 0);
    H_CHECK(write(fd, "ping", 4) == 4);
    H_CHECK(read_some(fd, buf, sizeof buf, 9, harness_ms(5000), &eof) == 9);
    H_CHECK(strcmp(buf, "pong:ping") == 0);
    close(fd);
    H_CHECK(read_some(held, buf, sizeof buf, 1, 300, &eof) == 0 && !eof);
    slow_proxy_set_fault(p, PROXY_CUT, 3);
    fd = connect_port(slow_proxy_port(p));
    H_CHECK(fd >= 0);
    H_CHECK(write(fd, "ping", 4) == 4);
    H_CHECK(read_some(fd, buf, sizeof buf, 9, harness_ms(5000), &eof) == 3);
    H_CHECK(strcmp(buf, "pon") == 0);
    H_CHECK(eof || read_some(fd, buf, sizeof buf, 1, harness_ms(5000), &eof) == 0);
    H_CHECK(eof);
    H_CHECK(slow_proxy_connections(p) == 4);
    rc = 0;
fail:
    if (idle >= 0)
        close(idle);
    if (held >= 0)
        close(held);
    if (fd >= 0)
        close(fd);
    slow_proxy_stop(&p);
    pong_stop(&pg);
    return rc;
}

static int test_dead_port(void)
{
    struct dead_port d;
    int rc = -1;
    H_CHECK(dead_port_open(&d) == 0);
    H_CHECK(d.port > 0);
    int fd = connect_port(d.port);
    H_CHECK(fd < 0 && errno == ECONNREFUSED);
    H_CHECK(!net_port_accepts(d.port));
    rc = 0;
fail:
    dead_port_close(&d);
    return rc;
}

static int test_billingd(const char *binary)
{
    int rc = -1;
    struct billingd_proc *b = billingd_proc_start(binary, NULL, harness_ms(HARNESS_TIMEOUT_MS));
    cJSON *status = NULL;
    H_CHECK(b);
    H_CHECK(strncmp(billingd_proc_url(b), "http://127.0.0.1:", 17) == 0);
    status = api_peek_get(billingd_proc_url(b), "/billing/status");
    H_CHECK(status && api_peek_data(status));
    int port = billingd_proc_port(b);
    /* killed, it refuses; restarted, it answers on the same port */
    int killed = billingd_proc_kill(b);
    H_CHECK(WIFSIGNALED(killed) && WTERMSIG(killed) == SIGKILL);
    H_CHECK(!net_port_accepts(port));
    H_CHECK(billingd_proc_restart(b, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(billingd_proc_port(b) == port);
    cJSON_Delete(status);
    status = api_peek_get(billingd_proc_url(b), "/billing/status");
    H_CHECK(status && api_peek_data(status));
    int st = billingd_proc_stop(&b);
    H_CHECK(b == NULL);
    H_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    H_CHECK(!net_port_accepts(port));
    rc = 0;
fail:
    cJSON_Delete(status);
    billingd_proc_stop(&b);
    return rc;
}

int main(int argc, char **argv)
{
    int failed = 0;
    if (argc > 1) { /* with the server's path: the server checks only */
        failed = test_billingd(argv[1]) != 0;
        fprintf(stderr, "%s billingd\n", failed ? "FAIL" : "ok  ");
        return failed;
    }
    static const struct {
        const char *name;
        int (*fn)(void);
    } tests[] = {
        {"slow_proxy", test_slow_proxy},
        {"slow_proxy_hangup", test_slow_proxy_hangup},
        {"proxy_faults", test_proxy_faults},
        {"dead_port", test_dead_port},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int r = tests[i].fn();
        fprintf(stderr, "%s %s\n", r == 0 ? "ok  " : "FAIL", tests[i].name);
        failed += r != 0;
    }
    return failed ? 1 : 0;
}
