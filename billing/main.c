/* main.c: sett-billingd, the billing API server as a program: flags, data directory, signals. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "billing/billingd.h"

#define DEFAULT_PORT 8420

struct options {
    struct billingd_config cfg;
    const char *port_file;
    char db_default[PATH_MAX];
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: sett-billingd [OPTION]...\n"
            "Serve the sett billing API (catalog, accounts, checkout) over HTTP.\n"
            "\n"
            "  --listen ADDR      address to listen on (default 127.0.0.1)\n"
            "  --port N           port to listen on; 0 picks a free one (default %d)\n"
            "  --db PATH          SQLite database, created and seeded on first start\n"
            "                     (default $XDG_DATA_HOME/sett/billing.db)\n"
            "  --catalog FILE     catalog JSON to seed a new database with, instead of the\n"
            "                     built-in demo catalog\n"
            "  --port-file FILE   write the port to FILE once listening\n"
            "  --scheduler-interval SECONDS\n"
            "                     run the billing scheduler (renewal invoices, overdue,\n"
            "                     suspension) every SECONDS; 0 never (default 60)\n"
            "  --seed-users N     a new database also gets the test accounts\n"
            "                     customer1..N@example.com, password \"password\"\n"
            "  --quiet            do not log requests on stderr\n"
            "  --help             show this help and exit\n"
            "  --version          show the version and exit\n"
            "\n"
            "A new database holds the demo customer %s (password \"%s\") and the demo\n"
            "operator %s (password \"%s\").\n",
            DEFAULT_PORT, BILLINGD_DEMO_EMAIL, BILLINGD_DEMO_PASSWORD, BILLINGD_ADMIN_EMAIL,
            BILLINGD_ADMIN_PASSWORD);
}

/* "sett-billingd: <what> '<arg>'" and the usage hint; the exit status of a usage error. */
static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "sett-billingd: %s '%s'\nTry 'sett-billingd --help'.\n", what, arg);
    return 2;
}

/* mkdir -p for the parents of path, private to the user (data may hold account details). */
static int make_parents(char *path)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "sett-billingd: cannot create %s: %s\n", path, strerror(errno));
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

/* $XDG_DATA_HOME/sett/billing.db, falling back to ~/.local/share as the spec says. */
static int default_db_path(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    const struct passwd *pw;
    int n;

    if (xdg && xdg[0] == '/') {
        n = snprintf(buf, size, "%s/sett/billing.db", xdg);
    } else {
        if ((!home || !*home) && (pw = getpwuid(getuid())))
            home = pw->pw_dir;
        if (!home || !*home) {
            fputs("sett-billingd: no home directory; use --db PATH\n", stderr);
            return -1;
        }
        n = snprintf(buf, size, "%s/.local/share/sett/billing.db", home);
    }
    if (n < 0 || (size_t)n >= size) {
        fputs("sett-billingd: data directory path too long; use --db PATH\n", stderr);
        return -1;
    }
    return make_parents(buf);
}

static int parse_port(const char *s, uint16_t *out)
{
    size_t digits = strspn(s, "0123456789");
    long v;

    if (digits == 0 || s[digits] != '\0' || digits > 5)
        return -1;
    v = strtol(s, NULL, 10);
    if (v > 65535)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

/* Seconds between scheduler runs; 0 (or -1, as in the config) switches the scheduler off. */
static int parse_interval(const char *s, int *out)
{
    size_t digits = strspn(s, "0123456789");
    long v;

    if (strcmp(s, "-1") == 0) {
        *out = -1;
        return 0;
    }
    if (digits == 0 || s[digits] != '\0' || digits > 5)
        return -1;
    v = strtol(s, NULL, 10);
    if (v > 86400)
        return -1;
    *out = v == 0 ? -1 : (int)v;
    return 0;
}

/* A count of test accounts: 0 to 10000. */
static int parse_count(const char *s, int *out)
{
    size_t digits = strspn(s, "0123456789");

    if (digits == 0 || s[digits] != '\0' || digits > 5 || strtol(s, NULL, 10) > 10000)
        return -1;
    *out = (int)strtol(s, NULL, 10);
    return 0;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
    enum {
        OPT_LISTEN = 256,
        OPT_PORT,
        OPT_DB,
        OPT_CATALOG,
        OPT_PORT_FILE,
        OPT_SCHEDULER_INTERVAL,
        OPT_SEED_USERS,
        OPT_QUIET,
        OPT_HELP,
        OPT_VERSION
    };
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"port", required_argument, NULL, OPT_PORT},
        {"db", required_argument, NULL, OPT_DB},
        {"catalog", required_argument, NULL, OPT_CATALOG},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"scheduler-interval", required_argument, NULL, OPT_SCHEDULER_INTERVAL},
        {"seed-users", required_argument, NULL, OPT_SEED_USERS},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0; /* our own messages, with the usage hint */
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN:
            o->cfg.bind_addr = optarg;
            break;
        case OPT_PORT:
            if (parse_port(optarg, &o->cfg.port) != 0)
                return usage_error("invalid port (0-65535)", optarg);
            break;
        case OPT_DB:
            o->cfg.db_path = optarg;
            break;
        case OPT_CATALOG:
            o->cfg.catalog_path = optarg;
            break;
        case OPT_PORT_FILE:
            o->port_file = optarg;
            break;
        case OPT_SCHEDULER_INTERVAL:
            if (parse_interval(optarg, &o->cfg.scheduler_interval) != 0)
                return usage_error("invalid scheduler interval (0-86400 seconds)", optarg);
            break;
        case OPT_SEED_USERS:
            if (parse_count(optarg, &o->cfg.seed_users) != 0)
                return usage_error("invalid number of test accounts (0-10000)", optarg);
            break;
        case OPT_QUIET:
            o->cfg.quiet = true;
            break;
        case OPT_HELP:
            usage(stdout);
            return 0;
        case OPT_VERSION:
            printf("sett-billingd %s\n", SETT_VERSION);
            return 0;
        case ':':
            return usage_error("missing value for option", argv[optind - 1]);
        default:
            return usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    return -1;
}

/* Written whole and renamed into place, so a reader never sees half a number. */
static int write_port_file(const char *path, uint16_t port)
{
    char tmp[PATH_MAX];
    FILE *f;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return -1;
    if (!(f = fopen(tmp, "w")))
        return -1;
    fprintf(f, "%u\n", (unsigned)port);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {.cfg = {.port = DEFAULT_PORT}};
    struct billingd *d = NULL;
    char err[512];
    const char *addr;
    sigset_t stop;
    int rc, sig = 0;

    if ((rc = parse_args(argc, argv, &o)) >= 0)
        return rc;
    if (!o.cfg.db_path) {
        if (default_db_path(o.db_default, sizeof o.db_default) != 0)
            return 1;
        o.cfg.db_path = o.db_default;
    }
    /* Block the stop signals before any thread exists, so every thread inherits the mask and
     * only sigwait below receives them. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (billingd_start(&o.cfg, &d, err, sizeof err) != 0) {
        fprintf(stderr, "sett-billingd: %s\n", err);
        return 1;
    }
    if (o.port_file && write_port_file(o.port_file, billingd_port(d)) != 0) {
        fprintf(stderr, "sett-billingd: cannot write %s: %s\n", o.port_file, strerror(errno));
        billingd_stop(&d);
        return 1;
    }
    addr = o.cfg.bind_addr ? o.cfg.bind_addr : "127.0.0.1";
    printf(strchr(addr, ':') ? "sett-billingd listening on http://[%s]:%u\n"
                             : "sett-billingd listening on http://%s:%u\n",
           addr, (unsigned)billingd_port(d));
    fflush(stdout);

    while (sigwait(&stop, &sig) != 0)
        ;
    if (!o.cfg.quiet)
        fprintf(stderr, "sett-billingd: %s, stopping\n", strsignal(sig));
    billingd_stop(&d);
    return 0;
}
