/* bench_util.h: what the benchmarks measure: screen cells, a process's CPU and memory, time. */
#ifndef SETT_BENCH_UTIL_H
#define SETT_BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "harness.h"

/* A copy of every cell of a rendered screen. */
struct cells {
    int rows, cols;
    VTermScreenCell *cell;
};

/* Copies the harness's screen into `c` (allocated or grown as needed). Returns 0 or -1. */
int cells_take(struct cells *c, struct harness *h);
/* Cells that differ in characters, width, attributes or colours; -1 if the sizes differ. */
long cells_changed(const struct cells *a, const struct cells *b);
/* True if row `row` holds the same characters in both (attributes aside). */
bool cells_row_same_text(const struct cells *a, const struct cells *b, int row);
void cells_free(struct cells *c);

/* What a program's output spends its bytes on. */
struct byte_kinds {
    size_t text;   /* characters drawn (UTF-8 sequences counted in bytes) */
    size_t attr;   /* SGR sequences and the charset selection that sgr0 brings along */
    size_t motion; /* cursor moves, erases, scroll regions and scrolls, CR, LF, BS */
    size_t other;  /* modes, queries, anything else */
};

/* Adds the bytes of p[0..n) to k by kind (an escape sequence split at n is still classified). */
void bytes_classify(const unsigned char *p, size_t n, struct byte_kinds *k);

/* Reads /proc/PID/stat into buf: its third field on (the state, after the command name), or
 * NULL if unreadable. */
const char *proc_stat_read(pid_t pid, char *buf, size_t size);
/* utime + stime of every thread of `pid`, in clock ticks; -1 if unreadable. */
long proc_cpu_ticks(pid_t pid);
/* Voluntary and involuntary context switches of every thread of `pid`; -1 if unreadable. */
long proc_ctx_switches(pid_t pid);
/* Nanoseconds every thread of `pid` has run (/proc/PID/task/TID/schedstat): finer than clock
 * ticks, so a process that ran for less than a tick does not read 0; -1 if unreadable. */
long long proc_run_ns(pid_t pid);
/* `Threads:` of /proc/PID/status; -1 if unreadable. */
int proc_threads(pid_t pid);
/* Memory of `pid` in kB from /proc/PID/smaps_rollup. */
struct proc_memory {
    long rss_kb, pss_kb;
    long private_kb; /* Private_Clean + Private_Dirty: pages no other process shares */
};
int proc_memory_kb(pid_t pid, struct proc_memory *m);

/* Milliseconds from spawning argv (stdin, stdout and stderr on /dev/null) to its exit; -1 if it
 * could not be started or did not exit with status 0. */
double bench_exec_ms(const char *const argv[]);

/* The 1, 5 and 15 minute load averages of /proc/loadavg as "A B C" into out. */
void bench_loadavg(char *out, size_t n);
/* Monotonic clock in microseconds. */
long long bench_now_us(void);
/* Median of n values (sorts them in place); 0 when n is 0. */
double bench_median(double *v, int n);

#endif
