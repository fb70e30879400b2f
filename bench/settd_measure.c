/* settd_measure.c: the settd benchmark's measurements, each printing its own table. */
#include "settd_bench.h"

#include "bench_util.h"
#include "harness.h"
#include "ssh_timed.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_OPEN 1000

static double ms(long long us)
{
    return (double)us / 1000.0;
}

/* CPU time of this process (RUSAGE_SELF) or of its reaped children, in ms. */
static double rusage_ms(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
}

static double ticks_ms(long ticks)
{
    return (double)ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* ---- first paint ---- */

static bool pty_row_holds(struct harness *h, const char *text, const char *also)
{
    char line[1024];
    for (int r = 0; harness_row_text(h, r, line, sizeof line) >= 0; r++)
        if (strstr(line, text) && (!also || strstr(line, also)))
            return true;
    return false;
}

/* The program on a local pty, no SSH: milliseconds from spawn to its first frame and complete
 * first screen, and the CPU it had used by then (ms). 0 or -1. */
static int local_paint(const struct sb *b, const struct sb_target *t, double *frame,
                       double *complete, double *cpu)
{
    char env_cfg[PATH_MAX + 32], env_fd[48];
    int session[2];
    snprintf(env_cfg, sizeof env_cfg, "XDG_CONFIG_HOME=%s", b->config_dir);
    const char *argv[] = {t->program, "--api", billingd_proc_url(b->billing), NULL};
    const char *env[] = {env_cfg, env_fd, NULL};
    /* sett gets its session as settd hands it over: the tokens on an inherited pipe */
    if (pipe(session) != 0)
        return -1;
    size_t len = strlen(b->session_json);
    bool sent = write(session[1], b->session_json, len) == (ssize_t)len;
    close(session[1]);
    snprintf(env_fd, sizeof env_fd, "SETT_SESSION_FD=%d", session[0]);
    long long t0 = bench_now_us(), deadline = t0 + 15000000;
    long long at_frame = -1, at_complete = -1;
    struct harness *h = sent ? harness_start(argv, env, SB_ROWS, SB_COLS) : NULL;
    int status, rc = -1;
    close(session[0]);
    if (!h)
        return -1;
    while (bench_now_us() < deadline) {
        if (at_frame < 0 && pty_row_holds(h, t->frame, NULL))
            at_frame = bench_now_us() - t0;
        if (at_frame >= 0 && (!t->complete || pty_row_holds(h, t->frame, t->complete))) {
            at_complete = bench_now_us() - t0;
            break;
        }
        if (harness_pump(h, 100) < 0)
            break;
    }
    if (at_complete < 0) {
        harness_print_screen(h, stderr, "local run: no first screen");
        goto done;
    }
    *frame = ms(at_frame);
    *complete = ms(at_complete);
    *cpu = ms(sb_run_us(harness_pid(h)));
    if (harness_send(h, "q") == 0 && harness_wait_exit(h, 10000, &status) == 0)
        rc = 0;
    else
        fprintf(stderr, "bench_settd: %s did not exit after q\n", t->program);
done:
    harness_free(&h);
    return rc;
}

enum {
    F_TCP,
    F_KEX,
    F_AUTH,
    F_CHAN,
    F_PTY,
    F_SHELL,
    F_BYTE,
    F_FRAME,
    F_DONE,
    F_SH_FRAME,
    F_SH_DONE,
    F_CPU_CONN,
    F_CPU_PROG,
    F_L_FRAME,
    F_L_DONE,
    F_L_CPU,
    F_N
};

static void row(const char *what, double *v, int n)
{
    printf("| %s | %.1f | %.1f | %.1f |\n", what, sb_percentile(v, n, 50), sb_percentile(v, n, 90),
           sb_percentile(v, n, 100));
}

int sb_first_paint(struct sb *b, struct sb_target *t)
{
    int n = b->set.runs, rc = -1;
    double *f[F_N];
    pid_t settd = settd_proc_pid(t->settd);
    bool ok = true;
    for (int k = 0; k < F_N; k++)
        ok &= (f[k] = calloc((size_t)n, sizeof(double))) != NULL;
    if (!ok)
        goto done;
    long children0 = sb_children_ticks(settd);
    for (int i = 0; i < n; i++) {
        struct sb_session_times st;
        pid_t conn = -1, prog = -1;
        struct ssh_timed *c = sb_session_open(b, t, &st);
        if (!c)
            goto done;
        if (sb_newest_session(t, &conn, &prog) != 0) {
            fprintf(stderr, "bench_settd: no connection process and %s below settd\n", t->name);
            settd_proc_dump_log(t->settd);
            sb_session_quit(&c);
            goto done;
        }
        f[F_CPU_CONN][i] = ms(sb_run_us(conn));
        f[F_CPU_PROG][i] = ms(sb_run_us(prog));
        if (sb_session_quit(&c) != 0)
            goto done;
        f[F_TCP][i] = ms(st.tcp);
        f[F_KEX][i] = ms(st.kex - st.tcp);
        f[F_AUTH][i] = ms(st.auth - st.kex);
        f[F_CHAN][i] = ms(st.channel - st.auth);
        f[F_PTY][i] = ms(st.pty - st.channel);
        f[F_SHELL][i] = ms(st.shell_ok - st.shell_sent);
        f[F_BYTE][i] = ms(st.first_byte - st.shell_ok);
        f[F_FRAME][i] = ms(st.frame);
        f[F_DONE][i] = ms(st.complete);
        f[F_SH_FRAME][i] = ms(st.frame - st.shell_sent);
        f[F_SH_DONE][i] = ms(st.complete - st.shell_sent);
        /* the baseline a moment later, so both see the same load */
        if (local_paint(b, t, &f[F_L_FRAME][i], &f[F_L_DONE][i], &f[F_L_CPU][i]) != 0)
            goto done;
        if (b->set.verbose)
            fprintf(stderr, "%s %d: ssh frame %.1f complete %.1f (shell +%.1f) local %.1f %.1f\n",
                    t->name, i, f[F_FRAME][i], f[F_DONE][i], f[F_SH_DONE][i], f[F_L_FRAME][i],
                    f[F_L_DONE][i]);
    }
    settd_proc_wait_no_descendants(t->settd, 10000);
    long children = sb_children_ticks(settd) - children0;
    const char *shown = t->complete ? "complete first screen" : "first frame";
    printf("### First paint: %s (%d sessions over SSH, each followed by a local run)\n\n", t->name,
           n);
    printf("| ms | p50 | p90 | max |\n|---|---:|---:|---:|\n");
    row("SSH: TCP connect → first frame", f[F_FRAME], n);
    if (t->complete)
        row("SSH: TCP connect → complete first screen", f[F_DONE], n);
    row("SSH: shell request → first frame", f[F_SH_FRAME], n);
    if (t->complete)
        row("SSH: shell request → complete first screen", f[F_SH_DONE], n);
    row("local pty: spawn → first frame", f[F_L_FRAME], n);
    if (t->complete)
        row("local pty: spawn → complete first screen", f[F_L_DONE], n);
    printf("\nSteps of the SSH session (p50 / p90 ms): TCP connect %.2f / %.2f, banners + key "
           "exchange %.1f / %.1f, public-key auth %.1f / %.1f, channel open %.2f / %.2f, pty-req "
           "%.2f / %.2f, shell request answered %.1f / %.1f, then first byte %.1f / %.1f\n",
           sb_percentile(f[F_TCP], n, 50), sb_percentile(f[F_TCP], n, 90),
           sb_percentile(f[F_KEX], n, 50), sb_percentile(f[F_KEX], n, 90),
           sb_percentile(f[F_AUTH], n, 50), sb_percentile(f[F_AUTH], n, 90),
           sb_percentile(f[F_CHAN], n, 50), sb_percentile(f[F_CHAN], n, 90),
           sb_percentile(f[F_PTY], n, 50), sb_percentile(f[F_PTY], n, 90),
           sb_percentile(f[F_SHELL], n, 50), sb_percentile(f[F_SHELL], n, 90),
           sb_percentile(f[F_BYTE], n, 50), sb_percentile(f[F_BYTE], n, 90));
    double add = sb_percentile(f[t->complete ? F_DONE : F_FRAME], n, 50) -
                 sb_percentile(f[t->complete ? F_L_DONE : F_L_FRAME], n, 50);
    printf("SSH adds %.1f ms to the p50 %s (TCP connect to it, against spawn to it locally).\n",
           add, shown);
    printf("CPU used by the %s (p50 ms): settd's connection process %.1f, %s over SSH %.1f, "
           "%s on a local pty %.1f. All of settd's children per session, start to exit "
           "(cutime+cstime): %.1f ms.\n\n",
           shown, sb_percentile(f[F_CPU_CONN], n, 50), t->name, sb_percentile(f[F_CPU_PROG], n, 50),
           t->name, sb_percentile(f[F_L_CPU], n, 50), n ? ticks_ms(children) / n : 0.0);
    fflush(stdout);
    rc = 0;
done:
    for (int k = 0; k < F_N; k++)
        free(f[k]);
    return rc;
}

/* ---- memory and idle cost ---- */

struct cpu_snap {
    long ticks, switches;
};

/* CPU ticks and context switches summed over settd, its descendants and the billing server. */
static void snap(const struct sb *b, struct cpu_snap *parent, struct cpu_snap *children,
                 struct cpu_snap *billing)
{
    pid_t settd = settd_proc_pid(b->sett.settd), bill = billingd_proc_pid(b->billing);
    pid_t *pids = calloc(2 * MAX_OPEN, sizeof *pids);
    int np = 0, nc = pids ? sb_server_procs(&b->sett, pids, pids + MAX_OPEN, MAX_OPEN, &np) : 0;
    *parent = (struct cpu_snap){proc_cpu_ticks(settd), proc_ctx_switches(settd)};
    *billing = (struct cpu_snap){proc_cpu_ticks(bill), proc_ctx_switches(bill)};
    *children = (struct cpu_snap){0, 0};
    for (int i = 0; i < nc; i++) {
        children->ticks += proc_cpu_ticks(pids[i]);
        children->switches += proc_ctx_switches(pids[i]);
    }
    for (int i = 0; i < np; i++) {
        children->ticks += proc_cpu_ticks(pids[MAX_OPEN + i]);
        children->switches += proc_ctx_switches(pids[MAX_OPEN + i]);
    }
    free(pids);
}

void sb_drain_all(struct ssh_timed **c, int n, int wait_ms)
{
    long long until = bench_now_us() + (long long)wait_ms * 1000;
    do {
        for (int i = 0; i < n; i++)
            ssh_timed_drain(c[i]);
        poll(NULL, 0, 20);
    } while (bench_now_us() < until);
}

/* PSS, RSS and private kB of each process in pids[0..n), into v[0..3n) by kind. */
static void memory_of(const pid_t *pids, int n, double *v)
{
    for (int i = 0; i < n; i++) {
        struct proc_memory m = {0};
        proc_memory_kb(pids[i], &m);
        v[i] = (double)m.pss_kb, v[n + i] = (double)m.rss_kb, v[2 * n + i] = (double)m.private_kb;
    }
}

static double sum_of(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void memory_table(const struct sb *b, const struct sb_target *t, int n)
{
    pid_t *pids = calloc(2 * MAX_OPEN, sizeof *pids);
    double *vc = calloc(3 * MAX_OPEN, sizeof *vc), *vp = calloc(3 * MAX_OPEN, sizeof *vp);
    struct proc_memory parent = {0};
    int np = 0, nc = pids ? sb_server_procs(t, pids, pids + MAX_OPEN, MAX_OPEN, &np) : 0;
    (void)b;
    if (!pids || !vc || !vp)
        goto done;
    memory_of(pids, nc, vc);
    memory_of(pids + MAX_OPEN, np, vp);
    double sum = sum_of(vc, nc) + sum_of(vp, np);
    proc_memory_kb(settd_proc_pid(t->settd), &parent);
    printf("### Memory: %s, %d sessions open (each on its %s)\n\n", t->name, n,
           t->complete ? "complete first screen" : "first frame");
    printf("| process (one per session) | PSS kB p50 | RSS kB p50 | private kB p50 |\n"
           "|---|---:|---:|---:|\n");
    printf("| settd connection process | %.0f | %.0f | %.0f |\n", sb_percentile(vc, nc, 50),
           sb_percentile(vc + nc, nc, 50), sb_percentile(vc + 2 * nc, nc, 50));
    printf("| %s on the session's pty | %.0f | %.0f | %.0f |\n", t->name, sb_percentile(vp, np, 50),
           sb_percentile(vp + np, np, 50), sb_percentile(vp + 2 * np, np, 50));
    printf("\n%d connection processes and %d programs found; their PSS sums to %.0f kB, %.0f kB "
           "per session. settd's listening process: PSS %ld kB, RSS %ld kB, private %ld kB "
           "(before its first connection: PSS %ld kB, RSS %ld kB, private %ld kB).\n\n",
           nc, np, sum, n ? sum / n : 0, parent.pss_kb, parent.rss_kb, parent.private_kb,
           t->at_start.pss_kb, t->at_start.rss_kb, t->at_start.private_kb);
done:
    free(pids);
    free(vc);
    free(vp);
}

/* Quits every open session and waits until settd has no process left below it. */
static int quit_all(const struct sb_target *t, struct ssh_timed **c, int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++)
        if (c[i] && sb_session_quit(&c[i]) != 0)
            rc = -1;
    if (settd_proc_wait_no_descendants(t->settd, 20000) != 0)
        rc = -1;
    fflush(stdout);
    return rc;
}

int sb_memory(struct sb *b, struct sb_target *t)
{
    struct ssh_timed **c = calloc(MAX_OPEN, sizeof *c);
    struct sb_session_times st;
    int want = b->set.open > MAX_OPEN ? MAX_OPEN : b->set.open, n = 0, rc = -1;
    if (!c)
        return -1;
    int bill_fds = sb_fd_count(billingd_proc_pid(b->billing));
    for (; n < want; n++)
        if (!(c[n] = sb_session_open(b, t, &st)))
            goto done;
    sb_drain_all(c, n, 500);
    memory_table(b, t, n);
    bill_fds = sb_fd_count(billingd_proc_pid(b->billing)) - bill_fds;
    printf("The billing server holds %d more open descriptors than before they opened: %.1f "
           "per session (API connections the session's program keeps alive).\n\n",
           bill_fds, n ? (double)bill_fds / n : 0.0);
    rc = 0;
done:
    if (quit_all(t, c, n) != 0)
        rc = -1;
    free(c);
    return rc;
}

int sb_idle(struct sb *b)
{
    struct ssh_timed **c = calloc(MAX_OPEN, sizeof *c);
    struct sb_session_times st;
    struct cpu_snap p0, c0, b0, p1, c1, b1;
    size_t bytes0 = 0, bytes1 = 0;
    int want = b->set.idle > MAX_OPEN ? MAX_OPEN : b->set.idle, n = 0, rc = -1;
    if (!c)
        return -1;
    for (; n < want; n++)
        if (!(c[n] = sb_session_open(b, &b->sett, &st))) {
            fprintf(stderr,
                    "bench_settd: session %d of %d had no first screen; the billing "
                    "server has %d open file descriptors\n",
                    n + 1, want, sb_fd_count(billingd_proc_pid(b->billing)));
            goto done;
        }
    sb_drain_all(c, n, 1000);
    for (int i = 0; i < n; i++)
        bytes0 += ssh_timed_received(c[i]);
    snap(b, &p0, &c0, &b0);
    /* the measurement itself: nobody types, nothing should run */
    poll(NULL, 0, b->set.idle_seconds * 1000);
    snap(b, &p1, &c1, &b1);
    sb_drain_all(c, n, 0);
    for (int i = 0; i < n; i++)
        bytes1 += ssh_timed_received(c[i]);
    printf("### Idle: %d sett sessions open, no input for %d s\n\n", n, b->set.idle_seconds);
    printf("| | CPU ticks | context switches |\n|---|---:|---:|\n");
    printf("| settd (listening) | %ld | %ld |\n", p1.ticks - p0.ticks, p1.switches - p0.switches);
    printf("| connection processes + sett, all %d sessions | %ld | %ld |\n", n, c1.ticks - c0.ticks,
           c1.switches - c0.switches);
    printf("| billing server | %ld | %ld |\n", b1.ticks - b0.ticks, b1.switches - b0.switches);
    printf("\nBytes sent to the clients meanwhile: %zu. (1 tick = %.0f ms.)\n\n", bytes1 - bytes0,
           ticks_ms(1));
    rc = 0;
done:
    if (quit_all(&b->sett, c, n) != 0)
        rc = -1;
    free(c);
    return rc;
}

/* ---- growth and sessions per second ---- */

int sb_churn(struct sb *b)
{
    pid_t settd = settd_proc_pid(b->sett.settd), bill = billingd_proc_pid(b->billing);
    int n = b->set.churn, done_n = 0;
    double *lat = calloc((size_t)n, sizeof *lat);
    struct proc_memory m0, m1, bm0, bm1;
    int fd0 = sb_fd_count(settd);
    proc_memory_kb(settd, &m0);
    proc_memory_kb(bill, &bm0);
    long ch0 = sb_children_ticks(settd), bt0 = proc_cpu_ticks(bill);
    double self0 = rusage_ms(RUSAGE_SELF);
    long long t0 = bench_now_us();
    for (; done_n < n; done_n++) {
        struct sb_session_times st;
        struct ssh_timed *c = sb_session_open(b, &b->sett, &st);
        if (!c || sb_session_quit(&c) != 0)
            break;
        lat[done_n] = ms(st.complete);
    }
    double secs = (double)(bench_now_us() - t0) / 1e6;
    double self = rusage_ms(RUSAGE_SELF) - self0;
    settd_proc_wait_no_descendants(b->sett.settd, 20000);
    long ch = sb_children_ticks(settd) - ch0, bt = proc_cpu_ticks(bill) - bt0;
    proc_memory_kb(settd, &m1);
    proc_memory_kb(bill, &bm1);
    int fd1 = sb_fd_count(settd);
    printf("### %d sessions one after another (connect, complete first screen, q, close)\n\n",
           done_n);
    printf("| | before | after | growth |\n|---|---:|---:|---:|\n");
    printf("| settd RSS kB | %ld | %ld | %+ld |\n", m0.rss_kb, m1.rss_kb, m1.rss_kb - m0.rss_kb);
    printf("| settd PSS kB | %ld | %ld | %+ld |\n", m0.pss_kb, m1.pss_kb, m1.pss_kb - m0.pss_kb);
    printf("| settd private kB | %ld | %ld | %+ld |\n", m0.private_kb, m1.private_kb,
           m1.private_kb - m0.private_kb);
    printf("| settd open fds | %d | %d | %+d |\n", fd0, fd1, fd1 - fd0);
    printf("| billing server RSS kB | %ld | %ld | %+ld |\n", bm0.rss_kb, bm1.rss_kb,
           bm1.rss_kb - bm0.rss_kb);
    printf("\n%.1f sessions/s; connect → complete first screen p50 %.1f ms, p90 %.1f ms.\n",
           done_n / secs, sb_percentile(lat, done_n, 50), sb_percentile(lat, done_n, 90));
    printf("CPU per session: settd's children (connection process + sett, cutime+cstime) "
           "%.1f ms; billing server %.1f ms; this client (libssh and libvterm) %.1f ms.\n\n",
           done_n ? ticks_ms(ch) / done_n : 0, done_n ? ticks_ms(bt) / done_n : 0,
           done_n ? self / done_n : 0);
    fflush(stdout);
    free(lat);
    return done_n == n ? 0 : -1;
}

/* One client of a parallel run: sessions on t until `until`; writes "ok failed" to fd. */
static void parallel_worker(struct sb *b, const struct sb_target *t, long long until, int fd)
{
    int ok = 0, failed = 0;
    while (bench_now_us() < until) {
        struct sb_session_times st;
        struct ssh_timed *c = sb_session_open(b, t, &st);
        if (c && sb_session_quit(&c) == 0)
            ok++;
        else
            failed++;
    }
    dprintf(fd, "%d %d\n", ok, failed);
    _exit(0);
}

int sb_connect_parallel(struct sb *b, const struct sb_target *t, int clients, int seconds,
                        struct sb_parallel_result *r)
{
    int p = clients > MAX_OPEN ? MAX_OPEN : clients, fds[2];
    pid_t *workers = calloc((size_t)p + 1, sizeof *workers);
    *r = (struct sb_parallel_result){0};
    if (!workers || pipe(fds) != 0) {
        free(workers);
        return -1;
    }
    fflush(NULL);
    double clients0 = rusage_ms(RUSAGE_CHILDREN);
    long long t0 = bench_now_us(), until = t0 + (long long)seconds * 1000000;
    for (int i = 0; i < p; i++) {
        workers[i] = fork();
        if (workers[i] == 0) {
            close(fds[0]);
            parallel_worker(b, t, until, fds[1]);
        }
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    int a, f;
    while (in && fscanf(in, "%d %d", &a, &f) == 2) {
        r->ok += a;
        r->failed += f;
    }
    if (in)
        fclose(in);
    for (int i = 0; i < p; i++) /* only the workers: the servers stay */
        if (workers[i] > 0)
            waitpid(workers[i], NULL, 0);
    free(workers);
    r->seconds = (double)(bench_now_us() - t0) / 1e6;
    r->client_ms = rusage_ms(RUSAGE_CHILDREN) - clients0;
    return 0;
}

int sb_parallel(struct sb *b)
{
    struct sb_parallel_result r;
    pid_t settd = settd_proc_pid(b->sett.settd), bill = billingd_proc_pid(b->billing);
    long ch0 = sb_children_ticks(settd), bt0 = proc_cpu_ticks(bill);
    if (sb_connect_parallel(b, &b->sett, b->set.parallel, b->set.parallel_seconds, &r) != 0)
        return -1;
    settd_proc_wait_no_descendants(b->sett.settd, 20000);
    long ch = sb_children_ticks(settd) - ch0, bt = proc_cpu_ticks(bill) - bt0;
    int ok = r.ok;
    printf("### %d clients at once for %d s\n\n%d sessions completed (%d failed): %.1f "
           "sessions/s.\n",
           b->set.parallel, b->set.parallel_seconds, ok, r.failed, ok / r.seconds);
    if (ok)
        printf("CPU per session: settd's children %.1f ms, billing server %.1f ms, the clients "
               "%.1f ms; %.1f s of CPU in %.1f s on %ld cores.\n\n",
               ticks_ms(ch) / ok, ticks_ms(bt) / ok, r.client_ms / ok,
               (ticks_ms(ch) + ticks_ms(bt) + r.client_ms) / 1000.0, r.seconds,
               sysconf(_SC_NPROCESSORS_ONLN));
    fflush(stdout);
    return r.failed ? -1 : 0;
}
