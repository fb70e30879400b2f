/* main.c: sett-billingd, the billing API server as a program: flags, data directory, signals. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "billing/admin_cli.h"
#include "billing/catalog_cli.h"
#include "billing/billingd.h"
#include "billing/gateway.h"

#define DEFAULT_PORT        8420
#define TRUSTED_PROXIES_MAX 64

struct options {
    struct billingd_config cfg;
    const char *port_file;
    char db_default[PATH_MAX];
    const char *trusted[TRUSTED_PROXIES_MAX]; /* --trusted-proxy, in order */
    const char *stripe_key_file, *stripe_webhook_file, *paypal_secret_file;
    char *stripe_key, *stripe_webhook, *paypal_secret; /* from the files or the environment */
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
            "  --sandbox          run the sandbox gateway: card and PayPal payments on a\n"
            "                     pretend page (/sandbox/pay/...), no real money\n"
            "  --demo             a new database also gets the demo accounts and coupons;\n"
            "                     implies --sandbox. Never on a server others can reach\n"
            "  --trusted-proxy ADDR\n"
            "                     take the client address from X-Forwarded-For or\n"
            "                     Forwarded when the peer is ADDR (an address or a\n"
            "                     network, ADDR/BITS); repeatable\n"
            "  --stripe-secret-key-file PATH\n"
            "                     take card payments through Stripe with the secret key\n"
            "                     (sk_test_... or sk_live_...) in PATH (or $STRIPE_SECRET_KEY)\n"
            "  --stripe-webhook-secret-file PATH\n"
            "                     Stripe's webhook signing secret (whsec_...) in PATH\n"
            "                     (or $STRIPE_WEBHOOK_SECRET)\n"
            "  --stripe-api-base URL\n"
            "                     Stripe's API (default https://api.stripe.com)\n"
            "  --public-url URL   this server's address as customers reach it, for the pages\n"
            "                     gateways send them back to (needed with Stripe, PayPal)\n"
            "  --paypal-client-id ID\n"
            "                     take PayPal payments with this REST app's client id\n"
            "  --paypal-secret-file PATH\n"
            "                     its client secret, in PATH (or $PAYPAL_CLIENT_SECRET)\n"
            "  --paypal-webhook-id ID\n"
            "                     the id of its webhook, for verifying PayPal's events\n"
            "  --paypal-api-base URL\n"
            "                     PayPal's API (default https://api-m.paypal.com)\n"
            "  --gateway-timeout SECONDS\n"
            "                     give up on a gateway request after SECONDS (1-120,\n"
            "                     default 10)\n"
            "  --threads N        threads that serve the connections (network I/O, epoll),\n"
            "                     1-%d (default: the number of CPUs, at least 2)\n"
            "  --workers N        threads that run requests, which may wait on a gateway\n"
            "                     or the database, 1-%d (default %d)\n"
            "  --quiet            do not log requests on stderr\n"
            "  --help             show this help and exit\n"
            "  --version          show the version and exit\n"
            "\n"
            "  sett-billingd admin create --email EMAIL [--name NAME] [--db PATH]\n"
            "                     create an operator (see 'sett-billingd admin --help')\n"
            "  sett-billingd catalog export [--db PATH]\n"
            "  sett-billingd catalog apply FILE [--dry-run] [--db PATH]\n"
            "                     write the live catalog as a --catalog file, or make it\n"
            "                     match one (see 'sett-billingd catalog --help')\n"
            "\n"
            "A new database holds the catalog and settings but no account: create the first\n"
            "operator with 'sett-billingd admin create'. With --demo it also holds the demo\n"
            "customer %s (password \"%s\") and the demo operator %s\n"
            "(password \"%s\").\n",
            DEFAULT_PORT, BILLINGD_THREADS_MAX, BILLINGD_THREADS_MAX, BILLINGD_WORKERS,
            BILLINGD_DEMO_EMAIL, BILLINGD_DEMO_PASSWORD, BILLINGD_ADMIN_EMAIL,
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

/* A number of threads: 1 to BILLINGD_THREADS_MAX. */
static int parse_threads(const char *s, unsigned *out)
{
    size_t digits = strspn(s, "0123456789");
    long v = digits && s[digits] == '\0' && digits <= 3 ? strtol(s, NULL, 10) : 0;

    if (v < 1 || v > BILLINGD_THREADS_MAX)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Every connection is a file descriptor: the soft limit (often 1,024) is raised to the hard one,
 * which the administrator sets (LimitNOFILE= in the unit). Returns the limit now in force. */
static rlim_t raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    if (rl.rlim_cur < rl.rlim_max) {
        rlim_t want = rl.rlim_max;

        rl.rlim_cur = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur;
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
        OPT_SANDBOX,
        OPT_DEMO,
        OPT_QUIET,
        OPT_TRUSTED_PROXY,
        OPT_STRIPE_KEY_FILE,
        OPT_STRIPE_WEBHOOK_FILE,
        OPT_STRIPE_API_BASE,
        OPT_PUBLIC_URL,
        OPT_GATEWAY_TIMEOUT,
        OPT_PAYPAL_CLIENT_ID,
        OPT_PAYPAL_SECRET_FILE,
        OPT_PAYPAL_WEBHOOK_ID,
        OPT_PAYPAL_API_BASE,
        OPT_THREADS,
        OPT_WORKERS,
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
        {"sandbox", no_argument, NULL, OPT_SANDBOX},
        {"demo", no_argument, NULL, OPT_DEMO},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"trusted-proxy", required_argument, NULL, OPT_TRUSTED_PROXY},
        {"stripe-secret-key-file", required_argument, NULL, OPT_STRIPE_KEY_FILE},
        {"stripe-webhook-secret-file", required_argument, NULL, OPT_STRIPE_WEBHOOK_FILE},
        {"stripe-api-base", required_argument, NULL, OPT_STRIPE_API_BASE},
        {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
        {"gateway-timeout", required_argument, NULL, OPT_GATEWAY_TIMEOUT},
        {"paypal-client-id", required_argument, NULL, OPT_PAYPAL_CLIENT_ID},
        {"paypal-secret-file", required_argument, NULL, OPT_PAYPAL_SECRET_FILE},
        {"paypal-webhook-id", required_argument, NULL, OPT_PAYPAL_WEBHOOK_ID},
        {"paypal-api-base", required_argument, NULL, OPT_PAYPAL_API_BASE},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"workers", required_argument, NULL, OPT_WORKERS},
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
        case OPT_SANDBOX:
            o->cfg.sandbox = true;
            break;
        case OPT_DEMO:
            o->cfg.demo = true;
            break;
        case OPT_QUIET:
            o->cfg.quiet = true;
            break;
        case OPT_TRUSTED_PROXY:
            if (o->cfg.n_trusted_proxies == TRUSTED_PROXIES_MAX)
                return usage_error("too many trusted proxies (at most 64)", optarg);
            o->trusted[o->cfg.n_trusted_proxies++] = optarg;
            o->cfg.trusted_proxies = o->trusted;
            break;
        case OPT_STRIPE_KEY_FILE:
            o->stripe_key_file = optarg;
            break;
        case OPT_STRIPE_WEBHOOK_FILE:
            o->stripe_webhook_file = optarg;
            break;
        case OPT_STRIPE_API_BASE:
            o->cfg.stripe_api_base = optarg;
            break;
        case OPT_PUBLIC_URL:
            o->cfg.public_url = optarg;
            break;
        case OPT_GATEWAY_TIMEOUT:
            if (strspn(optarg, "0123456789") != strlen(optarg) || strlen(optarg) > 3 ||
                atoi(optarg) < 1 || atoi(optarg) > 120)
                return usage_error("invalid gateway timeout (1-120 seconds)", optarg);
            o->cfg.gateway_timeout_ms = atoi(optarg) * 1000L;
            break;
        case OPT_PAYPAL_CLIENT_ID:
            o->cfg.paypal_client_id = optarg;
            break;
        case OPT_PAYPAL_SECRET_FILE:
            o->paypal_secret_file = optarg;
            break;
        case OPT_PAYPAL_WEBHOOK_ID:
            o->cfg.paypal_webhook_id = optarg;
            break;
        case OPT_PAYPAL_API_BASE:
            o->cfg.paypal_api_base = optarg;
            break;
        case OPT_THREADS:
            if (parse_threads(optarg, &o->cfg.io_threads) != 0)
                return usage_error("invalid number of threads (1-256)", optarg);
            break;
        case OPT_WORKERS:
            if (parse_threads(optarg, &o->cfg.workers) != 0)
                return usage_error("invalid number of workers (1-256)", optarg);
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

/* One Stripe secret: from its file when given, else from the environment (then removed from it,
 * so nothing started later inherits it). Secrets never come on the command line. */
static int load_secret(const char *file, const char *env, char **out)
{
    const char *value = getenv(env);
    char err[PATH_MAX + 64];

    if (file) {
        if (gateway_secret_read(file, out, err, sizeof err) != 0) {
            fprintf(stderr, "sett-billingd: %s\n", err);
            return -1;
        }
    } else if (value && *value && !(*out = strdup(value))) {
        return -1;
    }
    unsetenv(env);
    return 0;
}

/* Whether real gateways take real money here, and where they must send their events. */
static void print_gateway_modes(const struct billingd *d, const char *public_url)
{
    int n = public_url ? (int)strlen(public_url) : 0;

    while (n > 0 && public_url[n - 1] == '/')
        n--;
    if (billingd_stripe_mode(d))
        printf("sett-billingd: Stripe in %s mode; its webhook endpoint is "
               "%.*s/api/billing/webhooks/stripe\n",
               billingd_stripe_mode(d), n, public_url);
    if (billingd_paypal_mode(d))
        printf("sett-billingd: PayPal in %s mode; its webhook endpoint is "
               "%.*s/api/billing/webhooks/paypal\n",
               billingd_paypal_mode(d), n, public_url);
}

static void free_secret(char **s)
{
    if (*s) {
        explicit_bzero(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
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
    char err[512], gateways[128];
    const char *addr;
    unsigned io_threads, workers, conn_limit;
    rlim_t fds;
    sigset_t stop;
    int rc, sig = 0;

    if (argc >= 2 && strcmp(argv[1], "admin") == 0)
        return admin_cli_main(argc - 1, argv + 1, default_db_path);
    if (argc >= 2 && strcmp(argv[1], "catalog") == 0)
        return catalog_cli_main(argc - 1, argv + 1, default_db_path);
    if ((rc = parse_args(argc, argv, &o)) >= 0)
        return rc;
    if (!o.cfg.db_path) {
        if (default_db_path(o.db_default, sizeof o.db_default) != 0)
            return 1;
        o.cfg.db_path = o.db_default;
    }
    if (load_secret(o.stripe_key_file, "STRIPE_SECRET_KEY", &o.stripe_key) != 0 ||
        load_secret(o.stripe_webhook_file, "STRIPE_WEBHOOK_SECRET", &o.stripe_webhook) != 0 ||
        load_secret(o.paypal_secret_file, "PAYPAL_CLIENT_SECRET", &o.paypal_secret) != 0)
        return 1;
    o.cfg.stripe_secret_key = o.stripe_key;
    o.cfg.stripe_webhook_secret = o.stripe_webhook;
    o.cfg.paypal_secret = o.paypal_secret;
    /* A sandbox says "no real money" on every screen: a live key beside it would be a lie. */
    if ((o.cfg.sandbox || o.cfg.demo) && o.stripe_key &&
        strncmp(o.stripe_key, "sk_live_", 8) == 0) {
        fprintf(stderr, "sett-billingd: --sandbox and --demo take no live Stripe key (sk_live_)\n");
        free_secret(&o.stripe_key);
        free_secret(&o.stripe_webhook);
        free_secret(&o.paypal_secret);
        return 2;
    }
    /* Block the stop signals before any thread exists, so every thread inherits the mask and
     * only sigwait below receives them. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    fds = raise_fd_limit();

    rc = billingd_start(&o.cfg, &d, err, sizeof err);
    /* The server keeps its own copies: these are wiped at once. */
    free_secret(&o.stripe_key);
    free_secret(&o.stripe_webhook);
    free_secret(&o.paypal_secret);
    if (rc != 0) {
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
    /* Which gateways take money, so no one runs a sandbox believing it is real (or the reverse).
     * After the ready line, which scripts read first. */
    billingd_gateways_text(d, gateways, sizeof gateways);
    printf("sett-billingd: gateways: %s\n", gateways);
    print_gateway_modes(d, o.cfg.public_url);
    billingd_threads(d, &io_threads, &workers, &conn_limit);
    printf("sett-billingd: %u I/O threads, %u request threads, up to %u connections, "
           "%llu file descriptors\n",
           io_threads, workers, conn_limit, (unsigned long long)fds);
    /* past the descriptor limit, connections beyond it wait in the listen queue */
    if (fds && fds < (rlim_t)conn_limit + 64)
        fprintf(stderr,
                "sett-billingd: warning: the file descriptor limit (%llu) is below the connection "
                "limit; raise it (ulimit -Hn, LimitNOFILE=) to serve %u connections\n",
                (unsigned long long)fds, conn_limit);
    fflush(stdout);

    while (sigwait(&stop, &sig) != 0)
        ;
    if (!o.cfg.quiet)
        fprintf(stderr, "sett-billingd: %s, stopping\n", strsignal(sig));
    billingd_stop(&d);
    return 0;
}
