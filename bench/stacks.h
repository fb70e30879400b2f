/* stacks.h: the SSH servers the session-cost comparison runs side by side: settd, OpenSSH's sshd
 * with a ForceCommand running the same sett against the same billing server, and a Wish +
 * Bubble Tea list program (bench/wish_list). */
#ifndef SETT_BENCH_STACKS_H
#define SETT_BENCH_STACKS_H

#include "settd_bench.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum stack_kind { STACK_SETTD, STACK_OPENSSH, STACK_WISH, STACK_N };

/* What the comparison measured of one stack; a figure below 0 was not measured. */
struct stack_figures {
    double paint_p50, paint_p90; /* ms, TCP connect → complete first screen */
    double cpu_ms;               /* server CPU per session: connect, paint, quit */
    int held;                    /* sessions held for the next three */
    double pss_kb;               /* PSS per held session */
    double procs;                /* processes per held session (0: the server's goroutines) */
    double idle_pct;             /* CPU of one core, every server process, all sessions held */
    size_t idle_bytes;           /* sent to the clients meanwhile */
    double rate;                 /* sessions/s with the parallel clients */
    int rate_failed;
};

struct stack {
    enum stack_kind kind;
    const char *name;
    char skipped[200];  /* why it was not run; "" if it ran */
    struct sb_target t; /* what a session waits for; the port and user */
    pid_t pid;          /* the listening server: its descendants serve the sessions */
    bool own;           /* started (and so stopped) by stack_start */
    char user[64];      /* the SSH user name, for OpenSSH the one running the benchmark */
    char dir[PATH_MAX]; /* its private files */
    struct stack_figures fig;
};

/* Starts the server of s->kind (settd: takes the one main() started) against b's billing server
 * and sett. 0 when it runs, 1 when it cannot run here (s->skipped says why), -1 on failure
 * (reason on stderr). */
int stack_start(struct sb *b, struct stack *s);
/* Stops what stack_start started: the sessions' processes, then the server; removes its files. */
void stack_stop(struct stack *s);

/* Processes below the server (the sessions' processes), up to max; returns how many there are. */
int stack_below(const struct stack *s, pid_t *pids, int max);
/* 0 once no session process is left below the server; -1 on timeout. */
int stack_wait_idle(const struct stack *s, int timeout_ms);
/* CPU in clock ticks of the server and every child it has reaped (utime + stime + cutime +
 * cstime): a session's processes count once they have exited, also those that exit early
 * (OpenSSH's pre-authentication child). -1 if unreadable. */
long stack_cpu_ticks(const struct stack *s);
/* Nanoseconds run by the server and every live process below it (schedstat). */
long long stack_run_ns(const struct stack *s);
/* PSS kB summed over the processes below the server; the server's own with `self`. */
long stack_pss_kb(const struct stack *s, bool self);

#endif
