/* idle_conns.c: what idle keep-alive connections cost sett-billingd: its threads and memory with
 * none held (the baseline) and with thousands held, and how fast a request answers meanwhile. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REQUEST                                                                                    \
    "GET /api/v1/billing/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
#define PROBES 200 /* timed requests per measurement */

struct opts {
    const char *billingd;
    int conns;
    int threads; /* 0: the server's default */
    int hold;    /* seconds the connections are held before the second measurement */
};

struct server {
    pid_t pid;
    int port;
    char dir[64];
};

struct snapshot {
    long threads, rss_kb;
    double fresh_p50, fresh_p99; /* ms: a new connection, one request */
    double kept_p50, kept_p99;   /* ms: one request on an open keep-alive connection */
};

static long long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* A field of /proc/PID/status ("Threads", "VmRSS"); -1 if unreadable. */
static long proc_status(pid_t pid, const char *field)
{
    char path[64], line[256];
    size_t n = strlen(field);
    long v = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

static int conn_open(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One request on fd, read to the end of its body (Content-Length). 0 or -1. */
static int conn_request(int fd)
{
    char buf[8192];
    size_t have = 0;
    const char *end, *cl;

    if (write(fd, REQUEST, sizeof REQUEST - 1) != (ssize_t)(sizeof REQUEST - 1))
        return -1;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);

        if (n <= 0)
            return -1;
        have += (size_t)n;
        buf[have] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) && (cl = strcasestr(buf, "\r\nContent-Length:")) &&
            have >= (size_t)(end + 4 - buf) + strtoul(cl + 17, NULL, 10))
            return strncmp(buf, "HTTP/1.1 200", 12) == 0 ? 0 : -1;
        if (have == sizeof buf - 1)
            return -1;
    }
}

/* p50 and p99 of PROBES requests, each on a new connection (fresh) or all on one (kept). */
static int probe(int port, bool fresh, double *p50, double *p99)
{
    double ms[PROBES];
    int kept = fresh ? -1 : conn_open(port);

    if (!fresh && kept < 0)
        return -1;
    for (int i = 0; i < PROBES; i++) {
        long long t0 = now_us();
        int fd = fresh ? conn_open(port) : kept;

        if (fd < 0 || conn_request(fd) != 0) {
            fprintf(stderr, "idle_conns: a probe request failed\n");
            return -1;
        }
        ms[i] = (now_us() - t0) / 1000.0;
        if (fresh)
            close(fd);
    }
    if (!fresh)
        close(kept);
    qsort(ms, PROBES, sizeof ms[0], cmp_double);
    *p50 = ms[PROBES / 2];
    *p99 = ms[PROBES * 99 / 100];
    return 0;
}

static int measure(const struct server *s, struct snapshot *m)
{
    m->threads = proc_status(s->pid, "Threads");
    m->rss_kb = proc_status(s->pid, "VmRSS");
    if (m->threads < 0 || m->rss_kb < 0)
        return -1;
    return probe(s->port, true, &m->fresh_p50, &m->fresh_p99) ||
                   probe(s->port, false, &m->kept_p50, &m->kept_p99)
               ? -1
               : 0;
}

static int server_start(const struct opts *o, struct server *s)
{
    char db[128], portfile[128], threads[16];
    FILE *f;

    snprintf(s->dir, sizeof s->dir, "/tmp/bench-idle-XXXXXX");
    if (!mkdtemp(s->dir))
        return -1;
    snprintf(db, sizeof db, "%s/billing.db", s->dir);
    snprintf(portfile, sizeof portfile, "%s/port", s->dir);
    snprintf(threads, sizeof threads, "%d", o->threads);
    if ((s->pid = fork()) == 0) {
        const char *argv[] = {o->billingd, "--db",
                              db,          "--port",
                              "0",         "--port-file",
                              portfile,    "--quiet",
                              "--demo",    "--scheduler-interval",
                              "0",         o->threads ? "--threads" : NULL,
                              threads,     NULL};
        int null = open("/dev/null", O_WRONLY);

        dup2(null, STDOUT_FILENO);
        execv(o->billingd, (char *const *)argv);
        _exit(127);
    }
    if (s->pid < 0)
        return -1;
    for (int i = 0; i < 200; i++) {
        usleep(50000);
        if ((f = fopen(portfile, "r"))) {
            int ok = fscanf(f, "%d", &s->port) == 1;

            fclose(f);
            if (ok)
                return 0;
        }
    }
    fprintf(stderr, "idle_conns: %s did not start\n", o->billingd);
    return -1;
}

static void server_stop(struct server *s)
{
    char path[160];

    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    for (const char *const *f =
             (const char *const[]){"billing.db", "billing.db-wal", "billing.db-shm", "port", NULL};
         *f; f++) {
        snprintf(path, sizeof path, "%s/%s", s->dir, *f);
        unlink(path);
    }
    rmdir(s->dir);
}

/* Opens n connections, each with one request answered and then left idle, as a customer's
 * keep-alive connection is between screens. Returns how many are open. */
static int hold_open(int port, int *fds, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if ((fds[i] = conn_open(port)) < 0 || conn_request(fds[i]) != 0) {
            fprintf(stderr, "idle_conns: connection %d: %s\n", i + 1, strerror(errno));
            if (fds[i] >= 0)
                close(fds[i]);
            break;
        }
    }
    return i;
}

/* Connections the server closed while they were held. */
static int closed_by_server(const int *fds, int n)
{
    int closed = 0;

    for (int i = 0; i < n; i++) {
        struct pollfd p = {.fd = fds[i], .events = POLLIN};

        closed += poll(&p, 1, 0) == 1; /* readable while idle: EOF */
    }
    return closed;
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: bench_idle_conns [--conns N] [--hold SECONDS] [--threads N] "
                 "[--billingd PATH]\n"
                 "Threads, memory and request latency of sett-billingd with N idle keep-alive\n"
                 "connections held (default 10000), against none.\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"conns", required_argument, NULL, 'c'},   {"hold", required_argument, NULL, 'H'},
        {"threads", required_argument, NULL, 't'}, {"billingd", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->conns = atoi(optarg);
            break;
        case 'H':
            o->hold = atoi(optarg);
            break;
        case 't':
            o->threads = atoi(optarg);
            break;
        case 'b':
            o->billingd = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    return o->conns > 0 && o->hold >= 0 ? -1 : 2;
}

static void print_row(const char *what, const struct snapshot *m)
{
    printf("  %-22s %7ld %9ld   %6.2f / %6.2f     %6.2f / %6.2f\n", what, m->threads, m->rss_kb,
           m->fresh_p50, m->fresh_p99, m->kept_p50, m->kept_p99);
}

int main(int argc, char **argv)
{
    struct opts o = {.billingd = BENCH_BILLINGD, .conns = 10000, .hold = 5};
    struct server s = {0};
    struct snapshot base, held, after;
    struct rlimit rl;
    int *fds = NULL, open_n = 0, rc = 1, closed;
    long long t0;
    double open_s;

    if ((rc = parse(argc, argv, &o)) >= 0)
        return rc;
    rc = 1;
    signal(SIGPIPE, SIG_IGN);
    /* each held connection is a descriptor here too */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if ((rlim_t)o.conns + 64 > rl.rlim_cur) {
        fprintf(stderr, "idle_conns: the descriptor limit (%llu) is below %d connections\n",
                (unsigned long long)rl.rlim_cur, o.conns);
        return 1;
    }
    if (!(fds = calloc((size_t)o.conns, sizeof *fds)) || server_start(&o, &s) != 0)
        goto done;
    if (measure(&s, &base) != 0)
        goto done;
    t0 = now_us();
    open_n = hold_open(s.port, fds, o.conns);
    open_s = (now_us() - t0) / 1e6;
    if (open_n < o.conns)
        goto done;
    sleep((unsigned)o.hold);
    if (measure(&s, &held) != 0)
        goto done;
    closed = closed_by_server(fds, open_n);
    for (int i = 0; i < open_n; i++)
        close(fds[i]);
    open_n = 0;
    sleep(1);
    if (measure(&s, &after) != 0)
        goto done;

    printf("sett-billingd (%s), %d idle keep-alive connections held %d s (opened in %.1f s)\n",
           o.billingd, o.conns, o.hold, open_s);
    printf("  %-22s %7s %9s   %-17s  %s\n", "", "threads", "RSS kB", "new conn p50/p99 ms",
           "kept conn p50/p99 ms");
    print_row("none held (baseline)", &base);
    print_row("held", &held);
    print_row("released", &after);
    printf("  per held connection: %+.2f kB RSS, %+.4f threads; closed by the server while "
           "held: %d\n",
           (double)(held.rss_kb - base.rss_kb) / o.conns,
           (double)(held.threads - base.threads) / o.conns, closed);
    rc = 0;
done:
    for (int i = 0; i < open_n; i++)
        close(fds[i]);
    free(fds);
    if (s.pid)
        server_stop(&s);
    return rc;
}
