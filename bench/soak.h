/* soak.h: the soak's parts: customers that shop over SSH for a set time (soak.c), and what is
 * watched meanwhile and checked at the end (soak_checks.c). */
#ifndef SETT_BENCH_SOAK_H
#define SETT_BENCH_SOAK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "settd_bench.h"

#define SOAK_MAX_SAMPLES 512

struct soak_settings {
    int seconds;            /* how long the customers shop */
    int customers;          /* customers at once, each one session after another */
    int sample_seconds;     /* between samples of the servers */
    int warmup_seconds;     /* samples before this are not compared */
    int idle_min, idle_max; /* seconds an idle customer sits */
    int storm;              /* window changes in one resize storm */
    bool short_run, verbose;
    const char *settd, *sett;
};

/* What a customer does in one session. */
enum soak_action { ACT_BROWSE, ACT_BUY, ACT_IDLE, ACT_DROP, ACT_RESIZE, ACT_N };

/* One look at the long-lived processes. */
struct soak_sample {
    double minute;             /* since the load started */
    long settd_rss, settd_pss; /* kB, the listening process */
    long bill_rss, bill_pss;   /* kB, sett-billingd */
    long settd_fds, bill_fds;  /* open descriptors */
    long fs_rss, fs_fds;       /* settd's fork server (`sett --fork-server`): kB, descriptors */
    int bill_threads;          /* sett-billingd's threads */
    int conns, progs;          /* connection processes and the programs they run */
    int zombies;               /* processes in state Z below settd or sett-billingd */
};

struct soak {
    struct sb b; /* the shop and settd; b.sett.settd is the server */
    struct soak_settings set;
    ssh_key *keys; /* [customers]: each customer's own key, so each has an account of its own */
    atomic_bool stop;
    atomic_int ok[ACT_N], failed[ACT_N];
    atomic_int paid;     /* sandbox payments the customers made (the page answered 200) */
    atomic_int bought;   /* purchases seen through: the service shown active */
    atomic_long money;   /* cents the customers were told they pay, summed over payments */
    atomic_long resizes; /* window changes sent */
    atomic_int shown;    /* failed sessions whose screen was printed */
    pthread_mutex_t print;
    struct soak_sample sample[SOAK_MAX_SAMPLES];
    int samples;
    struct soak_sample quiet_before, quiet_after; /* no customer connected */
};

/* ---- soak_checks.c ---- */
/* Samples the servers into *out (out->minute is left to the caller). 0 or -1. */
int soak_sample_take(struct soak *s, struct soak_sample *out);
/* The samples as a table, the growth between the first sample after the warm-up and the last,
 * with its slope per hour, and the quiet samples before and after. 0 when descriptors are back
 * where they were and memory stayed flat, else -1. */
int soak_report_growth(const struct soak *s);
/* Lines in the servers' logs written after byte offsets settd_from and bill_from that are not a
 * connection's connect/disconnect line: each printed (the first few), the count returned.
 * Disconnect reasons are tallied too; an internal-error counts as an error line. */
int soak_report_logs(const struct soak *s, size_t settd_from, size_t bill_from);
/* The billing API's record of the customers' accounts against what the customers did: paid
 * invoices and their money, active services. 0 when they agree, else -1. */
int soak_report_purchases(const struct soak *s);

#endif
