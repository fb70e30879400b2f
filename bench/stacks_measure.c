/* stacks_measure.c: what a customer's session costs on settd against the baselines run in the
 * same process with the same client: OpenSSH's sshd running the same sett, and a Wish list. */
#include "stacks.h"

#include "bench_util.h"
#include "ssh_timed.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IDLE_WAIT_MS 20000

static double ticks_ms(long ticks)
{
    return (double)ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* Sessions one after another, the stacks taking turns so that each sees the same load: TCP
 * connect → complete first screen, and the server's CPU from the connect to the close. */
static int paint_and_cpu(struct sb *b, struct stack *st, int runs)
{
    double *v[STACK_N] = {0};
    long ticks0[STACK_N] = {0};
    int rc = -1;
    for (int k = 0; k < STACK_N; k++) {
        if (st[k].skipped[0])
            continue;
        if (!(v[k] = calloc((size_t)runs, sizeof(double))))
            goto done;
        ticks0[k] = stack_cpu_ticks(&st[k]);
    }
    for (int i = 0; i < runs; i++)
        for (int k = 0; k < STACK_N; k++) {
            struct sb_session_times t;
            struct ssh_timed *c;
            if (st[k].skipped[0])
                continue;
            if (!(c = sb_session_open(b, &st[k].t, &t)) || sb_session_quit(&c) != 0) {
                fprintf(stderr, "bench_settd: %s: session %d failed\n", st[k].name, i + 1);
                goto done;
            }
            v[k][i] = (double)t.complete / 1000.0;
            if (b->set.verbose)
                fprintf(stderr, "%s %d: complete first screen %.1f ms\n", st[k].name, i, v[k][i]);
        }
    for (int k = 0; k < STACK_N; k++) {
        if (st[k].skipped[0])
            continue;
        if (stack_wait_idle(&st[k], IDLE_WAIT_MS) != 0)
            goto done;
        poll(NULL, 0, 50); /* a one-process server finishes the closed sessions' work */
        st[k].fig.cpu_ms = ticks_ms(stack_cpu_ticks(&st[k]) - ticks0[k]) / runs;
        st[k].fig.paint_p50 = sb_percentile(v[k], runs, 50);
        st[k].fig.paint_p90 = sb_percentile(v[k], runs, 90);
    }
    rc = 0;
done:
    for (int k = 0; k < STACK_N; k++)
        free(v[k]);
    return rc;
}

/* N sessions held open: PSS per session, then the CPU of every server process while nobody
 * types. The memory of a one-process server is its growth over the sessions. */
static int held(struct sb *b, struct stack *s, int n)
{
    struct ssh_timed **c = calloc((size_t)n, sizeof *c);
    struct sb_session_times t;
    size_t bytes0 = 0, bytes1 = 0;
    int open = 0, rc = -1;
    if (!c || stack_wait_idle(s, IDLE_WAIT_MS) != 0)
        goto done;
    long pss0 = stack_pss_kb(s, true);
    for (; open < n; open++)
        if (!(c[open] = sb_session_open(b, &s->t, &t))) {
            fprintf(stderr, "bench_settd: %s: held session %d of %d failed\n", s->name, open + 1,
                    n);
            goto done;
        }
    sb_drain_all(c, open, 1000);
    long pss = s->kind == STACK_WISH ? stack_pss_kb(s, true) - pss0 : stack_pss_kb(s, false);
    pid_t *below = malloc(((size_t)open * 4 + 64) * sizeof *below);
    s->fig.held = open;
    s->fig.pss_kb = (double)pss / open;
    s->fig.procs = below ? (double)stack_below(s, below, open * 4 + 64) / open : -1;
    free(below);
    for (int i = 0; i < open; i++)
        bytes0 += ssh_timed_received(c[i]);
    long long ns0 = stack_run_ns(s), t0 = bench_now_us();
    poll(NULL, 0, b->set.idle_seconds * 1000);
    long long ns1 = stack_run_ns(s), t1 = bench_now_us();
    sb_drain_all(c, open, 0);
    for (int i = 0; i < open; i++)
        bytes1 += ssh_timed_received(c[i]);
    s->fig.idle_pct = 100.0 * (double)(ns1 - ns0) / ((double)(t1 - t0) * 1000.0);
    s->fig.idle_bytes = bytes1 - bytes0;
    rc = 0;
done:
    for (int i = 0; i < open; i++)
        if (c[i] && sb_session_quit(&c[i]) != 0)
            rc = -1;
    if (stack_wait_idle(s, IDLE_WAIT_MS) != 0)
        rc = -1;
    free(c);
    return rc;
}

static int rate(struct sb *b, struct stack *s)
{
    struct sb_parallel_result r;
    if (sb_connect_parallel(b, &s->t, b->set.parallel, b->set.parallel_seconds, &r) != 0 ||
        stack_wait_idle(s, IDLE_WAIT_MS) != 0)
        return -1;
    s->fig.rate = r.seconds > 0 ? r.ok / r.seconds : 0;
    s->fig.rate_failed = r.failed;
    return 0;
}

/* ---- the table ---- */

static void cell(double v, int decimals)
{
    if (v < 0)
        printf(" — |");
    else
        printf(" %.*f |", decimals, v);
}

/* settd's figure over a baseline's, and whether it is within `target` (0: no target). */
static void ratio(double settd, double base, double target, bool higher_is_better)
{
    if (settd < 0 || base <= 0) {
        printf(" — | %s |", target > 0 ? "—" : "");
        return;
    }
    double r = settd / base;
    printf(" %.2f× |", r);
    if (target > 0)
        printf(" ≤ %.2f× %s |", target,
               (higher_is_better ? r >= target : r <= target) ? "met" : "**missed**");
    else
        printf(" |");
}

struct row {
    const char *what;
    size_t at; /* offsetof the figure in struct stack_figures */
    int decimals;
    double vs_openssh, vs_wish; /* targets, 0 for none */
};

static double fig(const struct stack *s, size_t at)
{
    double v;
    if (s->skipped[0])
        return -1;
    memcpy(&v, (const char *)&s->fig + at, sizeof v);
    return v;
}

static void table(const struct sb *b, const struct stack *st)
{
    static const struct row rows[] = {
        {"first paint p50, ms (TCP connect → complete first screen)",
         offsetof(struct stack_figures, paint_p50), 1, 0.25, 0.8},
        {"first paint p90, ms", offsetof(struct stack_figures, paint_p90), 1, 0, 0},
        {"PSS per held session, kB", offsetof(struct stack_figures, pss_kb), 0, 0.25, 0},
        {"processes per held session", offsetof(struct stack_figures, procs), 1, 0, 0},
        {"server CPU per session (connect, paint, quit), ms",
         offsetof(struct stack_figures, cpu_ms), 1, 0.25, 0},
        {"sessions/s", offsetof(struct stack_figures, rate), 1, 0, 0},
        {"idle CPU, all sessions held, % of a core", offsetof(struct stack_figures, idle_pct), 2, 0,
         0},
    };
    const struct stack *settd = &st[STACK_SETTD];
    printf("### settd against its baselines (%d sessions one after another each, taking turns; "
           "%d held; %d clients at once for %d s)\n\n",
           b->set.stack_runs, b->set.held, b->set.parallel, b->set.parallel_seconds);
    printf("| | settd + sett | OpenSSH + sett | Wish list | settd/OpenSSH | target | "
           "settd/Wish | target |\n|---|---:|---:|---:|---:|---|---:|---|\n");
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        printf("| %s |", rows[r].what);
        for (int k = 0; k < STACK_N; k++)
            cell(fig(&st[k], rows[r].at), rows[r].decimals);
        ratio(fig(settd, rows[r].at), fig(&st[STACK_OPENSSH], rows[r].at), rows[r].vs_openssh,
              false);
        ratio(fig(settd, rows[r].at), fig(&st[STACK_WISH], rows[r].at), rows[r].vs_wish, false);
        printf("\n");
    }
    double settd_rate = fig(settd, offsetof(struct stack_figures, rate));
    printf("\nsettd's sessions/s against the target of ≥ 150: %.1f, %s.", settd_rate,
           settd_rate >= 150 ? "met" : "**missed**");
    for (int k = 0; k < STACK_N; k++) {
        if (st[k].skipped[0])
            printf(" %s: skipped, %s.", st[k].name, st[k].skipped);
        else if (st[k].fig.rate_failed || st[k].fig.idle_bytes)
            printf(" %s: %d sessions failed in the parallel run; %zu bytes sent to the held "
                   "sessions while idle.",
                   st[k].name, st[k].fig.rate_failed, st[k].fig.idle_bytes);
    }
    printf("\n\n");
}

int sb_stacks(struct sb *b)
{
    static const char *const names[STACK_N] = {"settd", "openssh", "wish"};
    static const char *const titles[STACK_N] = {"settd", "OpenSSH", "Wish"};
    struct stack st[STACK_N];
    char load[64];
    int rc = -1;
    for (int k = 0; k < STACK_N; k++) {
        st[k] = (struct stack){.kind = (enum stack_kind)k, .name = titles[k]};
        char list[128];
        snprintf(list, sizeof list, ",%s,", b->set.stacks);
        char want[32];
        snprintf(want, sizeof want, ",%s,", names[k]);
        if (!strstr(list, want))
            snprintf(st[k].skipped, sizeof st[k].skipped, "not in --stacks");
    }
    st[STACK_WISH].t =
        (struct sb_target){.name = "wish_list", .frame = "Minecraft Dirt", .complete = "$4.49"};
    for (int k = 0; k < STACK_N; k++)
        if (!st[k].skipped[0] && stack_start(b, &st[k]) < 0)
            goto done;
    if (st[STACK_SETTD].skipped[0]) {
        fprintf(stderr, "bench_settd: --stacks must name settd\n");
        goto done;
    }
    bench_loadavg(load, sizeof load);
    printf("## settd against OpenSSH and Wish (load average %s)\n\n", load);
    for (int k = 0; k < STACK_N; k++)
        if (st[k].skipped[0])
            printf("%s: skipped: %s.\n", st[k].name, st[k].skipped);
        else
            printf("%s: port %d, user %s, waits for a row with \"%s\" and \"%s\".\n", st[k].name,
                   st[k].t.port ? st[k].t.port : settd_proc_port(st[k].t.settd),
                   st[k].t.user ? st[k].t.user : "guest", st[k].t.frame, st[k].t.complete);
    printf("\n");
    fflush(stdout);
    if (paint_and_cpu(b, st, b->set.stack_runs) != 0)
        goto done;
    for (int k = 0; k < STACK_N; k++)
        if (!st[k].skipped[0] && (held(b, &st[k], b->set.held) != 0 || rate(b, &st[k]) != 0))
            goto done;
    table(b, st);
    bench_loadavg(load, sizeof load);
    printf("Load average after: %s.\n\n", load);
    rc = 0;
done:
    fflush(stdout);
    for (int k = 0; k < STACK_N; k++)
        stack_stop(&st[k]);
    return rc;
}
