/* test_support.c: checks the shared test helpers: the slow proxy, the dead port, and (when the
 * server is built) starting and stopping sett-billingd. */
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

/* A server that answers every read with "pong:" and what it read, once per connection. */
static void *pong_server(void *arg)
{
    int lfd = *(int *)arg;
    int cfd = accept(lfd, NULL, NULL);
    if (cfd >= 0) {
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

/* Lets pong_server's accept return if nobody reached it (harmless in the backlog otherwise). */
static void release_pong(pthread_t thread, int port)
{
    int fd = connect_port(port);
    if (fd >= 0)
        shutdown(fd, SHUT_WR); /* its read sees the end at once */
    pthread_join(thread, NULL);
    if (fd >= 0)
        close(fd);
}

static int test_slow_proxy(void)
{
    int rc = -1, target_port, fd = -1;
    pthread_t thread;
    bool started = false;
    struct slow_proxy *p = NULL;
    int lfd = net_listen_loopback(&target_port);
    H_CHECK(lfd >= 0);
    H_CHECK(pthread_create(&thread, NULL, pong_server, &lfd) == 0);
    started = true;
    p = slow_proxy_start(target_port, 400);
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
    if (started)
        release_pong(thread, target_port);
    if (lfd >= 0)
        close(lfd);
    return rc;
}

/* A client that leaves while its reply is held back does not upset the proxy. */
static int test_slow_proxy_hangup(void)
{
    int rc = -1, target_port;
    pthread_t thread;
    bool started = false;
    struct slow_proxy *p = NULL;
    int lfd = net_listen_loopback(&target_port);
    H_CHECK(lfd >= 0);
    H_CHECK(pthread_create(&thread, NULL, pong_server, &lfd) == 0);
    started = true;
    p = slow_proxy_start(target_port, 3000);
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
    if (started)
        release_pong(thread, target_port);
    if (lfd >= 0)
        close(lfd);
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
        {"dead_port", test_dead_port},
    };
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int r = tests[i].fn();
        fprintf(stderr, "%s %s\n", r == 0 ? "ok  " : "FAIL", tests[i].name);
        failed += r != 0;
    }
    return failed ? 1 : 0;
}
