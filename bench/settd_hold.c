/* settd_hold.c: thousands of SSH sessions started as fast as the load client can open them and
 * held: how many were signed in, the ramp's rate and first paint, then with all of them open the
 * idle CPU, the memory, the billing server's threads and tokens, key → repaint in a sample, and
 * the descriptors of settd and the billing server once all have closed. */
#include "settd_bench.h"

#include "bench_util.h"
#include "ssh_timed.h"
#include "tempdir.h"

#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#if !defined(BENCH_SETT) || !defined(BENCH_SETTD) || !defined(BENCH_BILLINGD)
#error "BENCH_SETT, BENCH_SETTD and BENCH_BILLINGD must be defined"
#endif

#define FAILED_SCREENS_SHOWN 3 /* screens of failed sessions printed; the rest are counted */

struct hold_settings {
    int sessions;     /* sessions opened and held */
    int connectors;   /* threads opening them, each one session after another */
    int sample;       /* held sessions that get a key */
    int idle_seconds; /* how long the held sessions are left alone */
    const char *settd, *sett;
};

/* Where a session that did not reach the store stopped. */
enum hold_step {
    STEP_TCP,
    STEP_KEX,
    STEP_AUTH,
    STEP_CHANNEL,
    STEP_PTY,
    STEP_SHELL,
    STEP_PAINT,
    STEP_N
};
static const char *const step_names[STEP_N] = {
    "TCP connect", "key exchange",  "public-key auth",         "channel open",
    "pty request", "shell request", "first screen (signed in)"};

struct hold {
    struct sb b; /* the shop, settd, the customer's key; b.set.settd and b.set.sett */
    struct hold_settings set;
    struct ssh_timed **c;   /* [sessions]: held sessions; NULL where one failed */
    struct ssh_marks *mark; /* [sessions] */
    double *paint_ms;       /* [sessions]: TCP connect → complete first screen */
    int *failed_at;         /* [sessions]: enum hold_step, or -1 */
    atomic_int next, painted, failed;
    pthread_mutex_t print;
};

static void usage(FILE *out)
{
    fprintf(out, "Usage: bench_settd_hold [OPTION]...\n"
                 "Opens sessions on settd as fast as the client can (no pacing) and holds them:\n"
                 "signed in or not, sessions/s, first paint, idle CPU, memory, key → repaint.\n"
                 "\n"
                 "  --sessions N      sessions opened and held (2000)\n"
                 "  --connectors N    threads opening them at once (8)\n"
                 "  --sample N        held sessions that get a key, one at a time (50)\n"
                 "  --idle-seconds N  how long the held sessions are left alone (5)\n"
                 "  --settd PATH      measure another build of settd (default: this build's)\n"
                 "  --sett PATH       and have it run another build of sett\n"
                 "  --help            show this help\n");
}

static int parse(int argc, char **argv, struct hold_settings *s)
{
    static const struct option opts[] = {
        {"sessions", required_argument, NULL, 0}, {"connectors", required_argument, NULL, 1},
        {"sample", required_argument, NULL, 2},   {"idle-seconds", required_argument, NULL, 3},
        {"settd", required_argument, NULL, 'd'},  {"sett", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    *s = (struct hold_settings){.sessions = 2000,
                                .connectors = 8,
                                .sample = 50,
                                .idle_seconds = 5,
                                .settd = BENCH_SETTD,
                                .sett = BENCH_SETT};
    int *numbers[] = {&s->sessions, &s->connectors, &s->sample, &s->idle_seconds};
    const struct sb_options o = {.prog = "bench_settd_hold",
                                 .opts = opts,
                                 .numbers = numbers,
                                 .n_numbers = (int)(sizeof numbers / sizeof numbers[0]),
                                 .lo = 1,
                                 .hi = 20000,
                                 .settd = &s->settd,
                                 .sett = &s->sett,
                                 .verbose = NULL,
                                 .usage = usage};
    return sb_parse_options(&o, argc, argv);
}

/* ---- what the machine and the servers look like ---- */

/* Token pairs the billing server's database holds that can still be used (not revoked, not
 * expired), read from the file beside the running server (WAL: a reader does not block it). */
static long live_tokens(const struct hold *h, const char *table)
{
    char sql[160];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long n = -1;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM %s WHERE revoked_at IS NULL AND expires_at > strftime('%%s')",
             table);
    if (sqlite3_open_v2(billingd_proc_db(h->b.billing), &db, SQLITE_OPEN_READONLY, NULL) ==
            SQLITE_OK &&
        sqlite3_busy_timeout(db, 2000) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* CPU of settd, every process below it and the billing server: utime+stime clock ticks and
 * run time in nanoseconds. */
struct cpu {
    long ticks[3];
    long long ns[3];
};
enum { CPU_SETTD, CPU_BELOW, CPU_BILLING };

static void cpu_add(struct cpu *c, int who, pid_t pid)
{
    long t = proc_cpu_ticks(pid);
    long long ns = proc_run_ns(pid);
    c->ticks[who] += t > 0 ? t : 0;
    c->ns[who] += ns > 0 ? ns : 0;
}

static struct cpu cpu_now(const struct hold *h, const pid_t *below, int n)
{
    struct cpu c = {{0}, {0}};
    cpu_add(&c, CPU_SETTD, settd_proc_pid(h->b.sett.settd));
    cpu_add(&c, CPU_BILLING, billingd_proc_pid(h->b.billing));
    for (int i = 0; i < n; i++)
        cpu_add(&c, CPU_BELOW, below[i]);
    return c;
}

static double ns_s(long long ns)
{
    return (double)ns / 1e9;
}

static double ticks_ms(long ticks)
{
    return (double)ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* The soft descriptor limit raised to the hard one; settd and the billing server inherit it. */
static void raise_fd_limit(int need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    printf("Open file limit (this client, settd and the billing server inherit it): %llu",
           (unsigned long long)rl.rlim_cur);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)need)
        printf(" — TOO LOW: the client alone needs about %d; raise the hard limit (ulimit -Hn)",
               need);
    printf("\n");
}

/* ---- the ramp ---- */

static enum hold_step failed_step(const struct ssh_marks *m)
{
    const long long at[] = {m->tcp, m->kex, m->auth, m->channel, m->pty, m->shell_ok};
    for (int s = 0; s < (int)(sizeof at / sizeof at[0]); s++)
        if (!at[s])
            return (enum hold_step)s;
    return STEP_PAINT;
}

static void *connector(void *arg)
{
    struct hold *h = arg;
    int port = settd_proc_port(h->b.sett.settd), i;
    while ((i = atomic_fetch_add(&h->next, 1)) < h->set.sessions) {
        long long at;
        struct ssh_timed *c =
            ssh_timed_open(port, "guest", h->b.key, SB_ROWS, SB_COLS, &h->mark[i]);
        if (c && ssh_timed_wait_row(c, h->b.sett.frame, h->b.sett.complete, SB_PAINT_TIMEOUT_MS,
                                    &at) == 0) {
            h->c[i] = c;
            h->paint_ms[i] = (double)at / 1000.0;
            int n = atomic_fetch_add(&h->painted, 1) + 1;
            if (n % 250 == 0) {
                char load[64];
                bench_loadavg(load, sizeof load);
                pthread_mutex_lock(&h->print);
                fprintf(stderr, "bench_settd_hold: %d signed in, %d failed (load %s)\n", n,
                        atomic_load(&h->failed), load);
                pthread_mutex_unlock(&h->print);
            }
            continue;
        }
        h->failed_at[i] = c ? STEP_PAINT : (int)failed_step(&h->mark[i]);
        if (c && atomic_fetch_add(&h->failed, 1) < FAILED_SCREENS_SHOWN) {
            pthread_mutex_lock(&h->print);
            ssh_timed_print_screen(c, "a session without the store's first screen");
            pthread_mutex_unlock(&h->print);
        } else if (!c) {
            atomic_fetch_add(&h->failed, 1);
        }
        ssh_timed_free(&c);
    }
    return NULL;
}

/* Runs `fn` on `n` threads and waits for them. 0, or -1 if a thread could not start. */
static int run_threads(int n, void *(*fn)(void *), void *arg)
{
    pthread_t *t = calloc((size_t)n, sizeof *t);
    int started = 0;
    for (; t && started < n; started++)
        if (pthread_create(&t[started], NULL, fn, arg) != 0)
            break;
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    return t && started == n ? 0 : -1;
}

/* The `reason=` of each disconnect line in settd's log, tallied (every session is held, so each
 * one is a session that ended early). */
static void print_disconnect_reasons(const struct hold *h, size_t from)
{
    char *log = settd_proc_log(h->b.sett.settd),
         *p = log && strlen(log) >= from ? log + from : NULL;
    char *lines = p;
    int connects = 0;
    for (char *q = p; q && (q = strstr(q, "settd: connect ")); q++)
        connects++;
    char reasons[16][40];
    int counts[16] = {0}, nr = 0, other = 0;
    while (p && (p = strstr(p, " reason="))) {
        p += strlen(" reason=");
        size_t len = strcspn(p, " \n");
        int k = 0;
        while (k < nr && (strlen(reasons[k]) != len || strncmp(reasons[k], p, len) != 0))
            k++;
        if (k == nr && nr < 16)
            snprintf(reasons[nr++], sizeof reasons[0], "%.*s", (int)len, p);
        if (k < nr)
            counts[k]++;
        else
            other++;
    }
    printf("settd's log during the ramp: %d connect lines; disconnects (every session was to be "
           "held):",
           connects);
    for (int k = 0; k < nr; k++)
        printf(" %d reason=%s", counts[k], reasons[k]);
    printf("%s%s\n", nr ? "" : " none", other ? " (and more kinds)" : "");
    int said = 0; /* the lines for the operator, the first few */
    for (char *q = lines; q && (q = strstr(q, "settd: ")) && said < 5; q++)
        if (strncmp(q, "settd: connect", 14) != 0 && strncmp(q, "settd: disconnect", 17) != 0) {
            printf("settd said: %.*s\n", (int)strcspn(q, "\n"), q);
            said++;
        }
    free(log);
}

static int ramp(struct hold *h)
{
    char load0[64], load1[64];
    pid_t settd = settd_proc_pid(h->b.sett.settd);
    struct cpu t0 = cpu_now(h, NULL, 0);
    long reaped0 = sb_children_ticks(settd);
    struct rusage ru0, ru1;
    char *log0 = settd_proc_log(h->b.sett.settd);
    size_t log_from = log0 ? strlen(log0) : 0;
    free(log0);
    bench_loadavg(load0, sizeof load0);
    getrusage(RUSAGE_SELF, &ru0);
    fflush(stdout);
    long long start = bench_now_us();
    if (run_threads(h->set.connectors, connector, h) != 0)
        return -1;
    long long end = bench_now_us();
    getrusage(RUSAGE_SELF, &ru1);
    bench_loadavg(load1, sizeof load1);
    int n = h->set.sessions, ok = atomic_load(&h->painted);
    int cap = 2 * n + 64;
    pid_t *below = malloc((size_t)cap * sizeof *below);
    int nb = below ? settd_proc_descendants(h->b.sett.settd, below, cap) : 0;
    struct cpu t1 = cpu_now(h, below, nb < cap ? nb : cap);
    /* the same split by kind: settd's children are the connection processes, theirs sett */
    int nc = below ? sb_server_procs(&h->b.sett, below, below + n + 32, n + 32, &nb) : 0;
    long long conn_ns = 0, prog_ns = 0;
    for (int i = 0; i < nc; i++)
        conn_ns += proc_run_ns(below[i]);
    for (int i = 0; i < nb; i++)
        prog_ns += proc_run_ns(below[n + 32 + i]);
    free(below);
    double secs = (double)(end - start) / 1e6, *v = malloc((size_t)n * sizeof *v);
    int failed_by[STEP_N] = {0}, k = 0;
    for (int i = 0; i < n; i++)
        if (h->failed_at[i] >= 0)
            failed_by[h->failed_at[i]]++;
    printf("### Ramp: %d sessions, %d connectors, no pacing\n\n", n, h->set.connectors);
    printf("Attempted %d, **signed in %d** (the store's first screen with its prices), failed "
           "%d.\n",
           n, ok, n - ok);
    for (int s = 0; s < STEP_N; s++)
        if (failed_by[s])
            printf("  failed at %s: %d\n", step_names[s], failed_by[s]);
    print_disconnect_reasons(h, log_from);
    printf("Ramp: %.1f s, **%.1f sessions/s** signed in (load average %s before, %s after).\n",
           secs, secs > 0 ? ok / secs : 0.0, load0, load1);
    for (int i = 0; v && i < n; i++)
        if (h->c[i])
            v[k++] = h->paint_ms[i];
    double p50 = sb_percentile(v, k, 50), p90 = sb_percentile(v, k, 90),
           p99 = sb_percentile(v, k, 99), max = k ? v[k - 1] : 0.0; /* sorted by now */
    printf("TCP connect → complete first screen, all %d: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
           "max %.1f ms.\n",
           k, p50, p90, p99, max);
    /* the first and the last tenth, by session number: does the cost grow with those held? */
    int tenth = n / 10 ? n / 10 : 1, a = 0, z = 0;
    for (int i = 0; v && i < tenth && i < n; i++)
        if (h->c[i])
            v[a++] = h->paint_ms[i];
    double first50 = sb_percentile(v, a, 50), first99 = sb_percentile(v, a, 99);
    for (int i = n - tenth; v && i < n; i++)
        if (i >= 0 && h->c[i])
            v[z++] = h->paint_ms[i];
    printf("  the first %d sessions p50 %.1f / p99 %.1f ms; the last %d (with the others held) "
           "p50 %.1f / p99 %.1f ms.\n",
           tenth, first50, first99, tenth, sb_percentile(v, z, 50), sb_percentile(v, z, 99));
    double client = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec -
                             ru0.ru_stime.tv_sec) *
                        1000.0 +
                    (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec -
                             ru0.ru_stime.tv_usec) /
                        1000.0;
    /* the held sessions' processes are alive: their run time; the failed ones were reaped */
    double below_s = ns_s(t1.ns[CPU_BELOW]) + ticks_ms(sb_children_ticks(settd) - reaped0) / 1000;
    double settd_s = ns_s(t1.ns[CPU_SETTD] - t0.ns[CPU_SETTD]),
           bill_s = ns_s(t1.ns[CPU_BILLING] - t0.ns[CPU_BILLING]);
    printf("CPU during the ramp: settd %.2f s, its sessions (connection processes + sett) %.2f s "
           "(%.1f ms per session: connection process %.1f, sett %.1f), billing server %.2f s, "
           "this client %.2f s: %.1f s of CPU in %.1f s on %ld cores.\n\n",
           settd_s, below_s, ok ? below_s * 1000 / ok : 0.0, ok ? ns_s(conn_ns) * 1000 / ok : 0.0,
           ok ? ns_s(prog_ns) * 1000 / ok : 0.0, bill_s, client / 1000,
           settd_s + below_s + bill_s + client / 1000, secs, sysconf(_SC_NPROCESSORS_ONLN));
    free(v);
    fflush(stdout);
    return 0;
}

/* ---- with every session held ---- */

/* Reads what every held session has sent, for about wait_ms; the bytes received in all. */
static size_t drain_all(struct hold *h, int wait_ms)
{
    long long until = bench_now_us() + (long long)wait_ms * 1000;
    size_t bytes;
    do {
        bytes = 0;
        for (int i = 0; i < h->set.sessions; i++)
            if (h->c[i]) {
                ssh_timed_drain(h->c[i]);
                bytes += ssh_timed_received(h->c[i]);
            }
        if (wait_ms)
            poll(NULL, 0, 20);
    } while (bench_now_us() < until);
    return bytes;
}

/* Sessions that reached the store (read once the connectors have stopped). */
static int held(struct hold *h)
{
    return atomic_load(&h->painted);
}

static void idle(struct hold *h)
{
    int n = held(h), cap = 2 * h->set.sessions + 64;
    pid_t *below = malloc((size_t)cap * sizeof *below);
    int nb = below ? settd_proc_descendants(h->b.sett.settd, below, cap) : 0;
    nb = nb < cap ? nb : cap;
    pid_t fs = settd_proc_fork_server(h->b.sett.settd);
    if (fs > 0 && nb < cap)
        below[nb++] = fs; /* it must sleep too */
    size_t bytes0 = drain_all(h, 1000);
    struct cpu t0 = cpu_now(h, below, nb);
    poll(NULL, 0, h->set.idle_seconds * 1000); /* nobody types: nothing should run */
    struct cpu t1 = cpu_now(h, below, nb);
    size_t bytes1 = drain_all(h, 0);
    printf("### Held: %d sessions open\n\n", n);
    printf("Idle for %d s (no input): CPU clock ticks (1 tick = %.0f ms) and run time:\n\n"
           "| | ticks | run time ms |\n|---|---:|---:|\n",
           h->set.idle_seconds, ticks_ms(1));
    char below_name[96];
    snprintf(below_name, sizeof below_name,
             "the %d processes below settd (connection processes + sett%s)", nb,
             fs > 0 ? " + the fork server" : "");
    const char *who[] = {"settd (listening)", below_name, "billing server"};
    for (int k = 0; k < 3; k++)
        printf("| %s | %ld | %.1f |\n", who[k], t1.ticks[k] - t0.ticks[k],
               (double)(t1.ns[k] - t0.ns[k]) / 1e6);
    printf("\nBytes sent to the clients meanwhile: %zu.\n", bytes1 - bytes0);
    free(below);
}

/* PSS and RSS of settd's connection processes and of the programs they run, summed. */
static void memory(struct hold *h)
{
    int n = held(h), max = h->set.sessions + 64, np = 0;
    pid_t *conns = malloc((size_t)max * sizeof *conns),
          *progs = malloc((size_t)max * sizeof *progs);
    int nc = conns && progs ? sb_server_procs(&h->b.sett, conns, progs, max, &np) : 0;
    struct proc_memory sum_c = {0}, sum_p = {0}, parent = {0}, bill = {0};
    for (int i = 0; i < nc + np; i++) {
        struct proc_memory m = {0}, *s = i < nc ? &sum_c : &sum_p;
        proc_memory_kb(i < nc ? conns[i] : progs[i - nc], &m);
        s->pss_kb += m.pss_kb, s->rss_kb += m.rss_kb, s->private_kb += m.private_kb;
    }
    proc_memory_kb(settd_proc_pid(h->b.sett.settd), &parent);
    pid_t bpid = billingd_proc_pid(h->b.billing);
    proc_memory_kb(bpid, &bill);
    printf("\n| memory (smaps_rollup), %d sessions | processes | PSS MB | RSS MB | PSS kB per "
           "session |\n|---|---:|---:|---:|---:|\n",
           n);
    printf("| settd connection processes | %d | %.1f | %.1f | %.0f |\n", nc, sum_c.pss_kb / 1024.0,
           sum_c.rss_kb / 1024.0, n ? (double)sum_c.pss_kb / n : 0.0);
    printf("| sett | %d | %.1f | %.1f | %.0f |\n", np, sum_p.pss_kb / 1024.0, sum_p.rss_kb / 1024.0,
           n ? (double)sum_p.pss_kb / n : 0.0);
    printf("| **both** | %d | **%.1f** | %.1f | **%.0f** |\n", nc + np,
           (sum_c.pss_kb + sum_p.pss_kb) / 1024.0, (sum_c.rss_kb + sum_p.rss_kb) / 1024.0,
           n ? (double)(sum_c.pss_kb + sum_p.pss_kb) / n : 0.0);
    printf("| settd (listening) | 1 | %.1f | %.1f | |\n", parent.pss_kb / 1024.0,
           parent.rss_kb / 1024.0);
    pid_t fs = settd_proc_fork_server(h->b.sett.settd);
    struct proc_memory fsm = {0};
    if (fs > 0 && proc_memory_kb(fs, &fsm) == 0)
        printf("| the fork server (`sett --fork-server`) | 1 | %.1f | %.1f | %.1f |\n",
               fsm.pss_kb / 1024.0, fsm.rss_kb / 1024.0, n ? (double)fsm.pss_kb / n : 0.0);
    printf("\nBilling server: %d threads, RSS %.1f MB, %d open descriptors; live tokens in its "
           "database: %ld refresh, %ld access.\n",
           proc_threads(bpid), bill.rss_kb / 1024.0, sb_fd_count(bpid),
           live_tokens(h, "refresh_tokens"), live_tokens(h, "access_tokens"));
    free(conns);
    free(progs);
}

/* `j` in a sample of the held sessions, one at a time, the others connected. */
static void keys(struct hold *h)
{
    int n = held(h), want = h->set.sample < n ? h->set.sample : n, k = 0, lost = 0;
    double *first = malloc((size_t)(want + 1) * sizeof *first),
           *last = malloc((size_t)(want + 1) * sizeof *last);
    int *idx = malloc((size_t)(n + 1) * sizeof *idx), m = 0;
    for (int i = 0; idx && i < h->set.sessions; i++)
        if (h->c[i])
            idx[m++] = i;
    for (int s = 0; first && last && idx && s < want; s++) {
        struct ssh_timed *c = h->c[idx[(long)s * m / want]]; /* spread over the ramp */
        long long t0, a, z;
        ssh_timed_drain(c);
        t0 = bench_now_us();
        if (ssh_timed_send(c, "j") != 0 || ssh_timed_wait_answer(c, 5000, 50, &a, &z) != 0) {
            lost++;
            continue;
        }
        first[k] = (double)(a - t0) / 1000.0;
        last[k++] = (double)(z - t0) / 1000.0;
    }
    printf("\nKey `j` in %d held sessions, one at a time (the store moves to the next category "
           "and shows its products): first byte of the answer p50 %.1f ms, p99 %.1f ms; "
           "**repaint complete** (its last byte before 50 ms of silence) p50 %.1f ms, p99 "
           "%.1f ms%s.\n\n",
           k, sb_percentile(first, k, 50), sb_percentile(first, k, 99), sb_percentile(last, k, 50),
           sb_percentile(last, k, 99), lost ? "; SOME SESSIONS DID NOT ANSWER" : "");
    if (lost)
        printf("%d of the sample did not answer within 5 s.\n\n", lost);
    free(first);
    free(last);
    free(idx);
}

/* ---- closing ---- */

static void *closer(void *arg)
{
    struct hold *h = arg;
    int i;
    while ((i = atomic_fetch_add(&h->next, 1)) < h->set.sessions)
        if (h->c[i] && sb_session_quit(&h->c[i]) != 0)
            atomic_fetch_add(&h->failed, 1);
    return NULL;
}

/* Quits every held session (`q`, as a customer leaves) and waits until settd's and the billing
 * server's descriptors are back to what they were before the ramp. */
static int close_all(struct hold *h, int settd_fds0, int bill_fds0)
{
    pid_t settd = settd_proc_pid(h->b.sett.settd), bill = billingd_proc_pid(h->b.billing);
    int settd_held = sb_fd_count(settd), bill_held = sb_fd_count(bill), sf, bf;
    atomic_store(&h->next, 0);
    atomic_store(&h->failed, 0);
    long long t0 = bench_now_us();
    run_threads(h->set.connectors, closer, h);
    int unclosed = atomic_load(&h->failed);
    double quit_secs = (double)(bench_now_us() - t0) / 1e6;
    int left = settd_proc_wait_no_descendants(h->b.sett.settd, 60000);
    long long deadline = bench_now_us() + 30 * 1000000LL;
    for (;;) {
        sf = sb_fd_count(settd), bf = sb_fd_count(bill);
        if ((sf == settd_fds0 && bf == bill_fds0) || bench_now_us() >= deadline)
            break;
        poll(NULL, 0, 100);
    }
    double secs = (double)(bench_now_us() - t0) / 1e6;
    printf("### Closed: every session quit with `q`\n\n");
    printf("All quit in %.1f s (%d did not close after q); %s; descriptors settled after "
           "%.1f s.\n\n",
           quit_secs, unclosed,
           left == 0 ? "no process left below settd" : "PROCESSES LEFT BELOW SETTD", secs);
    printf("| open descriptors | before the ramp | all held | after |\n|---|---:|---:|---:|\n");
    printf("| settd | %d | %d | %d |\n| billing server | %d | %d | %d |\n\n", settd_fds0,
           settd_held, sf, bill_fds0, bill_held, bf);
    printf("Live tokens after: %ld refresh, %ld access.\n", live_tokens(h, "refresh_tokens"),
           live_tokens(h, "access_tokens"));
    return left == 0 && unclosed == 0 && sf == settd_fds0 && bf == bill_fds0 ? 0 : -1;
}

static struct settd_proc *settd_start(struct hold *h)
{
    char sessions[16], startups[16];
    int s = h->set.connectors * 4 > 100 ? h->set.connectors * 4 : 100;
    snprintf(sessions, sizeof sessions, "%d", h->set.sessions);
    snprintf(startups, sizeof startups, "%d", s);
    /* one client address and one key for every session: the per-address limits go up to the
     * total; the held sessions are idle by design, so no idle close; per-connection log lines
     * stay on, they give the reason of any session that ends */
    const char *args[] = {"--api",
                          billingd_proc_url(h->b.billing),
                          "--service-key-file",
                          h->b.key_file,
                          "--sett",
                          h->set.sett,
                          "--max-sessions",
                          sessions,
                          "--max-sessions-per-addr",
                          sessions,
                          "--max-startups",
                          startups,
                          "--max-startups-per-addr",
                          startups,
                          "--idle-timeout",
                          "0",
                          "--drain-timeout",
                          "0",
                          NULL};
    printf("settd %s", h->set.settd);
    for (int i = 0; args[i]; i++)
        printf(" %s", strcmp(args[i], h->b.key_file) == 0 ? "KEYFILE" : args[i]);
    printf("\n");
    return settd_proc_start(h->set.settd, args, 10000);
}

int main(int argc, char **argv)
{
    struct hold h = {.print = PTHREAD_MUTEX_INITIALIZER};
    char load[64];
    int rc = 1;
    if (parse(argc, argv, &h.set) != 0)
        return 2;
    int n = h.set.sessions;
    h.b.set.settd = h.set.settd;
    h.b.set.sett = h.set.sett;
    h.b.sett = (struct sb_target){
        .name = "sett", .program = h.set.sett, .frame = "Dirt", .complete = "$2.99"};
    h.c = calloc((size_t)n, sizeof *h.c);
    h.mark = calloc((size_t)n, sizeof *h.mark);
    h.paint_ms = calloc((size_t)n, sizeof *h.paint_ms);
    h.failed_at = malloc((size_t)n * sizeof *h.failed_at);
    if (!h.c || !h.mark || !h.paint_ms || !h.failed_at)
        return 1;
    for (int i = 0; i < n; i++)
        h.failed_at[i] = -1;
    ssh_init();
    bench_loadavg(load, sizeof load);
    printf("settd hold benchmark: %d sessions, %d connectors, %dx%d pty, one ed25519 key, "
           "libssh %s client; %ld cores, load average %s\n",
           n, h.set.connectors, SB_COLS, SB_ROWS, ssh_version(0), sysconf(_SC_NPROCESSORS_ONLN),
           load);
    raise_fd_limit(n + 64);
    if (tempdir_make("settd-hold", h.b.dir, sizeof h.b.dir) != 0) {
        perror("bench_settd_hold: temporary directory");
        return 1;
    }
    snprintf(h.b.key_file, sizeof h.b.key_file, "%s/service-key", h.b.dir);
    snprintf(h.b.config_dir, sizeof h.b.config_dir, "%s/config", h.b.dir);
    if (!(h.b.billing = billingd_proc_start(BENCH_BILLINGD, NULL, 10000)) ||
        sb_shop_prepare(&h.b) != 0 || !(h.b.sett.settd = settd_start(&h)))
        goto done;
    pid_t bpid = billingd_proc_pid(h.b.billing);
    /* settd_proc_start's probe of the port has a connection process of its own: let it end */
    if (settd_proc_wait_log(h.b.sett.settd, " reason=", 1, 10000) != 0 ||
        settd_proc_wait_no_descendants(h.b.sett.settd, 10000) != 0)
        goto done;
    printf("Billing server before: %d threads; live tokens %ld refresh, %ld access.\n\n",
           proc_threads(bpid), live_tokens(&h, "refresh_tokens"), live_tokens(&h, "access_tokens"));
    int settd_fds0 = sb_fd_count(settd_proc_pid(h.b.sett.settd)), bill_fds0 = sb_fd_count(bpid);
    if (ramp(&h) != 0)
        goto done;
    if (held(&h) < n)
        billingd_proc_dump_log(h.b.billing);
    if (held(&h) > 0) {
        idle(&h);
        memory(&h);
        keys(&h);
    }
    fflush(stdout);
    int closed = close_all(&h, settd_fds0, bill_fds0);
    bench_loadavg(load, sizeof load);
    printf("Load average at the end: %s.\n", load);
    rc = held(&h) == n && closed == 0 ? 0 : 1;
done:
    for (int i = 0; i < n; i++)
        ssh_timed_free(&h.c[i]);
    settd_proc_stop(&h.b.sett.settd);
    billingd_proc_stop(&h.b.billing);
    ssh_key_free(h.b.key);
    tempdir_remove(h.b.dir);
    free(h.c);
    free(h.mark);
    free(h.paint_ms);
    free(h.failed_at);
    return rc;
}
