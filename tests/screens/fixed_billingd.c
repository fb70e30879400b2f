/* fixed_billingd.c: the billing server of the screen snapshots whose pages show dates: the same
 * server code as sett-billingd, living on a fixed day (SCREENS_FIXED_NOW), so invoice numbers,
 * due dates and the ledger's times are the same on every run. SIGUSR1 moves that day two weeks
 * on (SCREENS_FIXED_STEP), for the pages of a service in the middle of its period. Takes
 * sett-billingd's flags as billingd_proc passes them: --port 0 --port-file F --db D
 * [--catalog C] --quiet. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "billing/billingd.h"

/* 2025-06-02 09:30:00 UTC: a Monday, with the demo's expired coupon already over. */
#define SCREENS_FIXED_NOW 1748856600
/* What SIGUSR1 adds to it: 14 days, still a week before a monthly renewal is invoiced. */
#define SCREENS_FIXED_STEP (14 * 86400)

/* The fixed day, read by the server's threads through time(); moved only by main's SIGUSR1. */
static int64_t fixed_now = SCREENS_FIXED_NOW;

/* The server reads the time through time(); this program's definition is the one its code
 * links to, so even the seeding of a new database happens on the fixed day. */
time_t time(time_t *t)
{
    time_t now = (time_t)__atomic_load_n(&fixed_now, __ATOMIC_RELAXED);
    if (t)
        *t = now;
    return now;
}

static int write_port(const char *path, unsigned port)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    struct billingd_config cfg = {
        .bind_addr = "127.0.0.1", .quiet = false, .scheduler_interval = -1};
    const char *port_file = NULL;
    char err[512] = "";
    struct billingd *d = NULL;
    sigset_t set;
    int sig;

    for (int i = 1; i < argc; i++) {
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--port") == 0 && next)
            cfg.port = (uint16_t)atoi(argv[++i]);
        else if (strcmp(argv[i], "--port-file") == 0 && next)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && next)
            cfg.db_path = argv[++i];
        else if (strcmp(argv[i], "--catalog") == 0 && next)
            cfg.catalog_path = argv[++i];
        else if (strcmp(argv[i], "--quiet") == 0)
            cfg.quiet = true;
        else if (strcmp(argv[i], "--demo") == 0)
            cfg.demo = true;
        else if (strcmp(argv[i], "--sandbox") == 0)
            cfg.sandbox = true;
        else {
            fprintf(stderr, "fixed_billingd: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!cfg.db_path) {
        fprintf(stderr, "fixed_billingd: --db is required\n");
        return 2;
    }
    /* stop on SIGTERM/SIGINT, handled synchronously below */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    if (billingd_start(&cfg, &d, err, sizeof err) != 0) {
        fprintf(stderr, "fixed_billingd: %s\n", err);
        return 1;
    }
    billingd_set_clock(d, SCREENS_FIXED_NOW);
    if (port_file && write_port(port_file, billingd_port(d)) != 0) {
        perror("fixed_billingd: port file");
        billingd_stop(&d);
        return 1;
    }
    printf("fixed_billingd listening on http://127.0.0.1:%u\n", (unsigned)billingd_port(d));
    fflush(stdout);
    while (sigwait(&set, &sig) == 0 && sig == SIGUSR1) {
        int64_t now = __atomic_add_fetch(&fixed_now, SCREENS_FIXED_STEP, __ATOMIC_RELAXED);
        billingd_set_clock(d, now);
    }
    billingd_stop(&d);
    return 0;
}
