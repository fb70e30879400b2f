/* settd_bench.c: benchmarks of settd, the SSH server: first paint against the same program on a
 * local pty, memory and CPU per session, idle cost, growth over many sessions, sessions/s. */
#include "settd_bench.h"

#include "bench_items.h"
#include "bench_util.h"
#include "tempdir.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if !defined(BENCH_SETT) || !defined(BENCH_SETTD) || !defined(BENCH_BILLINGD) || !defined(BENCH_TOY)
#error "BENCH_SETT, BENCH_SETTD, BENCH_BILLINGD and BENCH_TOY must be defined"
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bench_settd [OPTION]...\n"
            "Measures settd: sett, and a plain ncurses list, over SSH against the same program\n"
            "started directly on a local pty; memory, CPU, idle cost, growth, sessions/s; then\n"
            "settd against OpenSSH's sshd running the same sett and a Wish + Bubble Tea list.\n"
            "\n"
            "  --runs N              sequential sessions timed to first paint (50)\n"
            "  --open N              sessions held open for the memory figures (20)\n"
            "  --idle N              sessions held open for the idle figures (50)\n"
            "  --idle-seconds N      how long the idle sessions are left alone (5)\n"
            "  --churn N             short sessions for growth and the sequential rate (1000)\n"
            "  --parallel N          clients connecting at once (8)\n"
            "  --parallel-seconds N  how long they keep connecting (10)\n"
            "  --stacks LIST         stacks compared at the end (settd,openssh,wish); each is\n"
            "                        skipped with a line when it is not installed or built\n"
            "  --held N              sessions held on each stack for PSS and idle CPU (100)\n"
            "  --stack-runs N        sessions one after another on each stack (30)\n"
            "  --stacks-only         run the comparison alone\n"
            "  --settd PATH          measure another build of settd (default: this build's)\n"
            "  --sett PATH           and have it run another build of sett\n"
            "  --verbose             every session's times\n"
            "  --help                show this help\n");
}

static int parse(int argc, char **argv, struct sb_settings *s)
{
    /* the numeric options in the order of `numbers` below; their val is that index */
    static const struct option opts[] = {
        {"runs", required_argument, NULL, 0},
        {"open", required_argument, NULL, 1},
        {"idle", required_argument, NULL, 2},
        {"idle-seconds", required_argument, NULL, 3},
        {"churn", required_argument, NULL, 4},
        {"parallel", required_argument, NULL, 5},
        {"parallel-seconds", required_argument, NULL, 6},
        {"held", required_argument, NULL, 7},
        {"stack-runs", required_argument, NULL, 8},
        {"stacks", required_argument, NULL, 'S'},
        {"stacks-only", no_argument, NULL, 'O'},
        {"settd", required_argument, NULL, 'd'},
        {"sett", required_argument, NULL, 's'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *s = (struct sb_settings){.runs = 50,
                              .open = 20,
                              .idle = 50,
                              .idle_seconds = 5,
                              .churn = 1000,
                              .parallel = 8,
                              .parallel_seconds = 10,
                              .held = 100,
                              .stack_runs = 30,
                              .stacks = "settd,openssh,wish",
                              .settd = BENCH_SETTD,
                              .sett = BENCH_SETT};
    int *numbers[] = {&s->runs,
                      &s->open,
                      &s->idle,
                      &s->idle_seconds,
                      &s->churn,
                      &s->parallel,
                      &s->parallel_seconds,
                      &s->held,
                      &s->stack_runs};
    const struct sb_options o = {.prog = "bench_settd",
                                 .opts = opts,
                                 .numbers = numbers,
                                 .n_numbers = (int)(sizeof numbers / sizeof numbers[0]),
                                 .lo = 0,
                                 .hi = 100000,
                                 .settd = &s->settd,
                                 .sett = &s->sett,
                                 .verbose = &s->verbose,
                                 .stacks = &s->stacks,
                                 .stacks_only = &s->stacks_only,
                                 .usage = usage};
    return sb_parse_options(&o, argc, argv);
}

static struct settd_proc *settd_start(const struct sb *b, const char *program)
{
    const char *args[] = {"--api", billingd_proc_url(b->billing), "--service-key-file", b->key_file,
                          "--sett", program, "--quiet",
                          /* every session comes from 127.0.0.1: the per-address limits go */
                          "--max-sessions", "1000", "--max-sessions-per-addr", "1000",
                          "--max-startups", "100", "--max-startups-per-addr", "100",
                          /* stopped at once at the end, not drained */
                          "--drain-timeout", "0", NULL};
    return settd_proc_start(b->set.settd, args, 10000);
}

int main(int argc, char **argv)
{
    struct sb b = {0};
    char toy_first[64];
    int rc = 1;
    if (parse(argc, argv, &b.set) != 0)
        return 2;
    b.sett = (struct sb_target){
        .name = "sett", .program = b.set.sett, .frame = "Dirt", .complete = "$2.99"};
    b.toy = (struct sb_target){.name = "toy_list", .program = BENCH_TOY, .frame = toy_first};
    bench_item_name(0, toy_first, sizeof toy_first);
    if (tempdir_make("settd-bench", b.dir, sizeof b.dir) != 0) {
        perror("bench_settd: temporary directory");
        return 1;
    }
    snprintf(b.key_file, sizeof b.key_file, "%s/service-key", b.dir);
    snprintf(b.config_dir, sizeof b.config_dir, "%s/config", b.dir);
    if (!(b.billing = billingd_proc_start(BENCH_BILLINGD, NULL, 10000)) ||
        sb_shop_prepare(&b) != 0 || !(b.sett.settd = settd_start(&b, b.set.sett)) ||
        !(b.toy.settd = settd_start(&b, BENCH_TOY)))
        goto done;
    printf("settd benchmark: %s running %s; %dx%d pty, xterm-256color, ed25519 client key, "
           "libssh %s client\n\n",
           b.set.settd, b.set.sett, SB_COLS, SB_ROWS, ssh_version(0));
    /* the shell request's answer waits for this request; it also gives both settd processes
     * time to reach their accept loop before their memory is read */
    double signin[20];
    for (int i = 0; i < 20; i++)
        if ((signin[i] = sb_signin_ms(&b)) < 0)
            goto done;
    printf("settd's sign-in request, POST /auth/ssh, made from this process on a new connection "
           "each time: p50 %.1f ms, p90 %.1f ms (20 requests).\n\n",
           sb_percentile(signin, 20, 50), sb_percentile(signin, 20, 90));
    proc_memory_kb(settd_proc_pid(b.sett.settd), &b.sett.at_start);
    proc_memory_kb(settd_proc_pid(b.toy.settd), &b.toy.at_start);
    fflush(stdout);
    if (b.set.stacks_only)
        b.set.runs = b.set.open = b.set.idle = b.set.churn = 0;
    if (b.set.runs && (sb_first_paint(&b, &b.sett) != 0 || sb_first_paint(&b, &b.toy) != 0))
        goto done;
    if (b.set.open && (sb_memory(&b, &b.sett) != 0 || sb_memory(&b, &b.toy) != 0))
        goto done;
    if (b.set.idle && sb_idle(&b) != 0)
        goto done;
    if (b.set.churn && sb_churn(&b) != 0)
        goto done;
    if (b.set.parallel && !b.set.stacks_only && sb_parallel(&b) != 0)
        goto done;
    if (b.set.stack_runs && b.set.held && b.set.stacks[0] && sb_stacks(&b) != 0)
        goto done;
    rc = 0;
done:
    settd_proc_stop(&b.toy.settd);
    settd_proc_stop(&b.sett.settd);
    billingd_proc_stop(&b.billing);
    ssh_key_free(b.key);
    tempdir_remove(b.dir);
    return rc;
}
