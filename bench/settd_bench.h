/* settd_bench.h: what the settd benchmark's parts share: the shop under measurement (a billing
 * server, settd, a client key, a stored session for the local baseline) and the settings. */
#ifndef SETT_BENCH_SETTD_BENCH_H
#define SETT_BENCH_SETTD_BENCH_H

#include <libssh/libssh.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <sys/types.h>

#include "bench_util.h"
#include "billingd_proc.h"
#include "settd_proc.h"

#define SB_ROWS             24
#define SB_COLS             80
#define SB_PAINT_TIMEOUT_MS 15000 /* longest wait for a first screen or a close */

struct sb_settings {
    int runs;             /* sequential sessions timed to first paint */
    int open;             /* sessions held open for the memory figures */
    int idle;             /* sessions held open for the idle figures */
    int idle_seconds;     /* how long they are left alone */
    int churn;            /* short sessions for growth and the sequential rate */
    int parallel;         /* clients connecting at once for the parallel rate */
    int parallel_seconds; /* how long they keep connecting */
    int held;             /* sessions held on each stack of the comparison */
    int stack_runs;       /* sequential sessions on each stack of the comparison */
    bool stacks_only;     /* the comparison alone */
    const char *stacks;   /* the stacks compared: "settd,openssh,wish" */
    bool verbose;
    const char *settd; /* the settd program measured */
    const char *sett;  /* the sett it runs, and runs on the local pty */
};

/* One settd serving one program: what a session waits for to count as painted. */
struct sb_target {
    const char *name;     /* "sett", "toy_list" */
    const char *program;  /* path given to settd --sett, and run directly for the baseline */
    const char *frame;    /* a row holding this text is the first frame */
    const char *complete; /* ... and holding this as well is the complete first screen (or NULL) */
    struct settd_proc *settd;    /* NULL for another server (the baselines of stacks.c) */
    int port;                    /* that server's port; 0: settd's */
    const char *user;            /* the SSH user name; NULL: "guest" */
    struct proc_memory at_start; /* settd's own memory before its first connection */
};

struct sb {
    struct sb_settings set;
    char dir[PATH_MAX];
    char key_file[PATH_MAX + 16];   /* the ssh-scope service key for settd */
    char config_dir[PATH_MAX + 16]; /* XDG_CONFIG_HOME with the key's session, for local runs */
    struct billingd_proc *billing;
    ssh_key key;             /* the customer's ed25519 key */
    char service_key[256];   /* scope ssh, as settd uses it */
    char signin_body[1024];  /* POST /auth/ssh for that key, as settd sends it */
    char session_json[2048]; /* that sign-in's tokens, as settd hands them to sett */
    struct sb_target sett, toy;
};

/* ---- options ---- */
struct option;
struct sb_options {
    const char *prog;          /* for messages */
    const struct option *opts; /* getopt_long's table: a val below n_numbers is an index */
    int *const *numbers;       /* into this: a whole number from lo to hi */
    int n_numbers;
    long lo, hi;
    const char **settd, **sett; /* 'd' and 's': an executable */
    bool *verbose;              /* 'v', or NULL when there is none */
    const char **stacks;        /* 'S': a list, or NULL when there is none */
    bool *stacks_only;          /* 'O', or NULL */
    bool *flag;                 /* 'Q': a switch of the program's own, or NULL */
    void (*usage)(FILE *out);   /* 'h': to stdout, then exit(0); an unknown option: to stderr */
};
/* Parses argv by o. 0, or -1 with the reason on stderr. */
int sb_parse_options(const struct sb_options *o, int argc, char **argv);

/* ---- the shop ---- */
/* The operator mints settd's service key (written to b->key_file); the customer's ed25519 key
 * (b->key) is signed in once, its session stored in b->config_dir for sett on a local pty.
 * Needs b->billing running. 0 or -1 (reason on stderr). */
int sb_shop_prepare(struct sb *b);

/* ---- one session ---- */
struct ssh_timed;
/* Opens a session on t's server (settd's unless t->port is set) and waits for its complete first
 * screen (or first frame when t->complete is NULL). The marks and times in microseconds from the
 * TCP connect. NULL on failure (screen and reason on stderr). */
struct sb_session_times {
    long long tcp, kex, auth, channel, pty, shell_sent, shell_ok, first_byte, frame, complete;
};
struct ssh_timed *sb_session_open(const struct sb *b, const struct sb_target *t,
                                  struct sb_session_times *st);
/* `q` and the server's close; then frees. 0 when the server closed the channel. */
int sb_session_quit(struct ssh_timed **c);

/* ---- the server's processes ---- */
/* settd's descendants split into the per-connection processes (its children) and the
 * programs they run (grandchildren): fills up to max of each, *n_programs (may be NULL) with
 * how many programs were stored, and returns how many connection processes were stored. */
int sb_server_procs(const struct sb_target *t, pid_t *conns, pid_t *programs, int max,
                    int *n_programs);
/* The connection process started last (a previous one may still be closing) and the program
 * it runs. 0, or -1 if either is missing. */
int sb_newest_session(const struct sb_target *t, pid_t *conn, pid_t *program);
/* Milliseconds for one POST /auth/ssh (the sign-in settd makes before it starts sett) on a new
 * connection, as settd makes it; -1 on failure. */
double sb_signin_ms(const struct sb *b);
/* CPU time a process has run, in microseconds (/proc/PID/schedstat); -1 if unreadable. */
long long sb_run_us(pid_t pid);
/* utime+stime of a process's reaped children (cutime+cstime), in clock ticks; -1. */
long sb_children_ticks(pid_t pid);
/* Open file descriptors of a process; -1. */
int sb_fd_count(pid_t pid);

/* ---- the measurements (settd_measure.c); each prints its table, 0 or -1 ---- */
int sb_first_paint(struct sb *b, struct sb_target *t);
int sb_memory(struct sb *b, struct sb_target *t);
int sb_idle(struct sb *b);
int sb_churn(struct sb *b);
int sb_parallel(struct sb *b);
/* `clients` forked clients open sessions on t (complete first screen, `q`, close) one after
 * another each for `seconds`. 0, or -1 if they could not be started. */
struct sb_parallel_result {
    int ok, failed;
    double seconds;   /* wall time of the run */
    double client_ms; /* the clients' own CPU */
};
int sb_connect_parallel(struct sb *b, const struct sb_target *t, int clients, int seconds,
                        struct sb_parallel_result *r);
/* Reads what every open session has sent, for about wait_ms (the screens settle). */
void sb_drain_all(struct ssh_timed **c, int n, int wait_ms);
/* The comparison with the baselines (stacks.c, stacks_measure.c): prints its tables. 0 or -1. */
int sb_stacks(struct sb *b);

/* ---- figures ---- */
/* p-th percentile (0..100, nearest rank) of n values (sorts them in place); 0 when n is 0. */
double sb_percentile(double *v, int n, int p);

#endif
