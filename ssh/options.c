/* options.c: parses settd's command line and resolves its environment-dependent defaults. */
#include "ssh/options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ssh/plainmode.h"

enum {
    OPT_LISTEN = 256,
    OPT_PORT,
    OPT_PORT_FILE,
    OPT_HOST_KEY,
    OPT_PRINT_FP,
    OPT_DATA_DIR,
    OPT_API,
    OPT_SERVICE_KEY_FILE,
    OPT_API_TIMEOUT,
    OPT_SETT,
    OPT_LOGIN_GRACE,
    OPT_MAX_AUTH_TRIES,
    OPT_MAX_STARTUPS,
    OPT_MAX_STARTUPS_PER_ADDR,
    OPT_MAX_SESSIONS,
    OPT_MAX_SESSIONS_PER_ADDR,
    OPT_IDLE_TIMEOUT,
    OPT_IDLE_WARNING,
    OPT_MAX_SESSION,
    OPT_DRAIN_TIMEOUT,
    OPT_USER,
    OPT_PROXY,
    OPT_KIOSK,
    OPT_SANDBOX,
    OPT_ALLOW_PASSWORD_SIGNIN,
    OPT_PLAIN_USER,
    OPT_NO_FORK_SERVER,
    OPT_QUIET,
    OPT_HELP,
    OPT_VERSION,
};

static const struct option options_long[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"port", required_argument, NULL, OPT_PORT},
    {"port-file", required_argument, NULL, OPT_PORT_FILE},
    {"host-key", required_argument, NULL, OPT_HOST_KEY},
    {"print-fingerprint", no_argument, NULL, OPT_PRINT_FP},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"api", required_argument, NULL, OPT_API},
    {"service-key-file", required_argument, NULL, OPT_SERVICE_KEY_FILE},
    {"api-timeout", required_argument, NULL, OPT_API_TIMEOUT},
    {"sett", required_argument, NULL, OPT_SETT},
    {"login-grace", required_argument, NULL, OPT_LOGIN_GRACE},
    {"max-auth-tries", required_argument, NULL, OPT_MAX_AUTH_TRIES},
    {"max-startups", required_argument, NULL, OPT_MAX_STARTUPS},
    {"max-startups-per-addr", required_argument, NULL, OPT_MAX_STARTUPS_PER_ADDR},
    {"max-sessions", required_argument, NULL, OPT_MAX_SESSIONS},
    {"max-sessions-per-addr", required_argument, NULL, OPT_MAX_SESSIONS_PER_ADDR},
    {"idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
    {"idle-warning", required_argument, NULL, OPT_IDLE_WARNING},
    {"max-session", required_argument, NULL, OPT_MAX_SESSION},
    {"drain-timeout", required_argument, NULL, OPT_DRAIN_TIMEOUT},
    {"user", required_argument, NULL, OPT_USER},
    {"proxy-protocol", no_argument, NULL, OPT_PROXY},
    {"kiosk", no_argument, NULL, OPT_KIOSK},
    {"sandbox", no_argument, NULL, OPT_SANDBOX},
    {"allow-password-signin", no_argument, NULL, OPT_ALLOW_PASSWORD_SIGNIN},
    {"plain-user", required_argument, NULL, OPT_PLAIN_USER},
    {"no-fork-server", no_argument, NULL, OPT_NO_FORK_SERVER},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static void options_help(void)
{
    printf("Usage: settd [OPTION]...\n"
           "Serves the sett storefront over SSH: a customer's key is their account.\n"
           "\n"
           "  --listen ADDR              address to listen on (default 127.0.0.1)\n"
           "  --port N                   port (default 2222; 0: any free port)\n"
           "  --port-file PATH           write the bound port there once listening\n"
           "  --host-key PATH            ed25519 host key, created (0600) if missing\n"
           "                             (default DATA_DIR/ssh_host_ed25519_key)\n"
           "  --print-fingerprint        print the host key's SHA256 fingerprint and exit\n"
           "  --data-dir DIR             state directory (default $XDG_DATA_HOME/settd,\n"
           "                             else ~/.local/share/settd)\n"
           "  --api URL                  billing API (default: an embedded server with its\n"
           "                             database in DATA_DIR/billing.db)\n"
           "  --service-key-file PATH    the API key of scope ssh for --api (or env\n"
           "                             SETT_SERVICE_KEY)\n"
           "  --api-timeout SECONDS      longest wait for the API to sign a customer in (10)\n"
           "  --sett PATH                the sett program (default: sett beside settd)\n"
           "  --login-grace SECONDS      time to sign in and open a terminal (30)\n"
           "  --max-auth-tries N         failed authentication attempts per connection (6)\n"
           "  --max-startups N           unauthenticated connections in total (20)\n"
           "  --max-startups-per-addr N  unauthenticated connections per address (5)\n"
           "  --max-sessions N           sessions in total (200)\n"
           "  --max-sessions-per-addr N  sessions per address (10)\n"
           "  --idle-timeout SECONDS     close a session without input (900; 0: never)\n"
           "  --idle-warning SECONDS     warn this long before the idle close (60)\n"
           "  --max-session SECONDS      longest session (14400; 0: no limit)\n"
           "  --drain-timeout SECONDS    on SIGTERM, stop listening and let sessions go on\n"
           "                             this long, telling customers (300; 0: end them\n"
           "                             at once); a second SIGTERM, or SIGINT, stops now\n"
           "  --user NAME                run as NAME after binding and loading the host key\n"
           "  --proxy-protocol           expect a PROXY protocol v1/v2 header on every\n"
           "                             connection (behind HAProxy send-proxy[-v2])\n"
           "  --kiosk                    run every session as `sett --kiosk`\n"
           "  --sandbox                  the embedded billing server runs the sandbox\n"
           "                             gateway: pretend card and PayPal payments (no\n"
           "                             real money); not with --api\n"
           "  --allow-password-signin    let customers sign in with an e-mail and password\n"
           "                             and sign out (L); by default the SSH key is the\n"
           "                             identity\n"
           "  --plain-user NAME          customers who connect as NAME get plain mode\n"
           "                             (sett --plain, for screen readers; default plain;\n"
           "                             '' for none); so do TERM=dumb and ssh -T\n"
           "  --no-fork-server           start each session's sett by exec instead of\n"
           "                             forking it from a warm sett started once\n"
           "  --quiet                    no per-connection log lines\n"
           "  --help                     show this help\n"
           "  --version                  show the version\n"
           "\n"
           "Customers connect with: ssh -p PORT anything@HOST\n"
           "(plain mode: ssh -p PORT plain@HOST); the shop's commands for scripts:\n"
           "ssh -p PORT HOST products|services|invoices|credits [OPTIONS], e.g. --json\n");
}

static int options_copy(char *dst, size_t size, const char *src, const char *what)
{
    if (strlen(src) >= size || !*src) {
        fprintf(stderr, "settd: %s: %s\n", what, *src ? "too long" : "must not be empty");
        return -1;
    }
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

static int options_number(const char *text, long lo, long hi, int *out, const char *what)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "settd: %s: expected a whole number from %ld to %ld, got '%s'\n", what, lo,
                hi, text);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* The defaults that depend on where we run. */
static int options_resolve(struct settd_options *o)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    char self[PATH_MAX];
    ssize_t n;
    int w = 0;

    if (!o->data_dir[0]) {
        if (xdg && *xdg == '/')
            w = snprintf(o->data_dir, sizeof o->data_dir, "%s/settd", xdg);
        else if (home && *home)
            w = snprintf(o->data_dir, sizeof o->data_dir, "%s/.local/share/settd", home);
        else {
            fprintf(stderr, "settd: no data directory: set --data-dir, XDG_DATA_HOME or HOME\n");
            return -1;
        }
    }
    if (!o->host_key[0])
        w |= snprintf(o->host_key, sizeof o->host_key, "%s/ssh_host_ed25519_key", o->data_dir);
    if (!o->sett[0]) {
        n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0) {
            fprintf(stderr, "settd: cannot find my own program; give --sett PATH\n");
            return -1;
        }
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        *slash = '\0';
        /* In the build tree sett is beside settd; installed, settd is in sbin and sett in bin. */
        w |= snprintf(o->sett, sizeof o->sett, "%s/sett", self);
        if (access(o->sett, X_OK) != 0) {
            char installed[sizeof o->sett];
            int k = snprintf(installed, sizeof installed, "%s/%s", self, SETTD_SETT_FROM_SBIN);
            if (k > 0 && (size_t)k < sizeof installed && access(installed, X_OK) == 0)
                memcpy(o->sett, installed, (size_t)k + 1);
        }
    }
    if (w < 0 || strlen(o->data_dir) + 40 >= sizeof o->data_dir) {
        fprintf(stderr, "settd: paths too long\n");
        return -1;
    }
    return 0;
}

static void options_defaults(struct settd_options *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->listen, sizeof o->listen, "127.0.0.1");
    o->port = 2222;
    o->fork_server = true;
    o->login_grace = 30;
    o->api_timeout = 10;
    o->max_auth_tries = 6;
    o->max_startups = 20;
    o->max_startups_per_addr = 5;
    o->max_sessions = 200;
    o->max_sessions_per_addr = 10;
    o->idle_timeout = 900;
    o->idle_warning = 60;
    o->max_session = 14400;
    o->drain_timeout = 300;
    snprintf(o->plain_user, sizeof o->plain_user, "%s", PLAINMODE_USER_DEFAULT);
}

int options_parse(int argc, char **argv, struct settd_options *o, int *exit_code)
{
    const int day = 86400 * 365;
    int c, rc = 0;

    options_defaults(o);
    *exit_code = 2;
    optind = 1;
    while (rc == 0 && (c = getopt_long(argc, argv, "", options_long, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN:
            rc = options_copy(o->listen, sizeof o->listen, optarg, "--listen");
            break;
        case OPT_PORT:
            rc = options_number(optarg, 0, 65535, &o->port, "--port");
            break;
        case OPT_PORT_FILE:
            rc = options_copy(o->port_file, sizeof o->port_file, optarg, "--port-file");
            break;
        case OPT_HOST_KEY:
            rc = options_copy(o->host_key, sizeof o->host_key, optarg, "--host-key");
            break;
        case OPT_PRINT_FP:
            o->print_fingerprint = true;
            break;
        case OPT_DATA_DIR:
            rc = options_copy(o->data_dir, sizeof o->data_dir, optarg, "--data-dir");
            break;
        case OPT_API:
            rc = options_copy(o->api, sizeof o->api, optarg, "--api");
            break;
        case OPT_SERVICE_KEY_FILE:
            rc = options_copy(o->service_key_file, sizeof o->service_key_file, optarg,
                              "--service-key-file");
            break;
        case OPT_SETT:
            rc = options_copy(o->sett, sizeof o->sett, optarg, "--sett");
            break;
        case OPT_API_TIMEOUT:
            rc = options_number(optarg, 1, 300, &o->api_timeout, "--api-timeout");
            break;
        case OPT_LOGIN_GRACE:
            rc = options_number(optarg, 1, 3600, &o->login_grace, "--login-grace");
            break;
        case OPT_MAX_AUTH_TRIES:
            rc = options_number(optarg, 1, 100, &o->max_auth_tries, "--max-auth-tries");
            break;
        case OPT_MAX_STARTUPS:
            rc = options_number(optarg, 1, 100000, &o->max_startups, "--max-startups");
            break;
        case OPT_MAX_STARTUPS_PER_ADDR:
            rc = options_number(optarg, 1, 100000, &o->max_startups_per_addr,
                                "--max-startups-per-addr");
            break;
        case OPT_MAX_SESSIONS:
            rc = options_number(optarg, 1, 100000, &o->max_sessions, "--max-sessions");
            break;
        case OPT_MAX_SESSIONS_PER_ADDR:
            rc = options_number(optarg, 1, 100000, &o->max_sessions_per_addr,
                                "--max-sessions-per-addr");
            break;
        case OPT_IDLE_TIMEOUT:
            rc = options_number(optarg, 0, day, &o->idle_timeout, "--idle-timeout");
            break;
        case OPT_IDLE_WARNING:
            rc = options_number(optarg, 0, day, &o->idle_warning, "--idle-warning");
            break;
        case OPT_MAX_SESSION:
            rc = options_number(optarg, 0, day, &o->max_session, "--max-session");
            break;
        case OPT_DRAIN_TIMEOUT:
            rc = options_number(optarg, 0, day, &o->drain_timeout, "--drain-timeout");
            break;
        case OPT_USER:
            rc = options_copy(o->user, sizeof o->user, optarg, "--user");
            break;
        case OPT_PROXY:
            o->proxy_protocol = true;
            break;
        case OPT_KIOSK:
            o->kiosk = true;
            break;
        case OPT_SANDBOX:
            o->sandbox = true;
            break;
        case OPT_ALLOW_PASSWORD_SIGNIN:
            o->allow_password_signin = true;
            break;
        case OPT_NO_FORK_SERVER:
            o->fork_server = false;
            break;
        case OPT_PLAIN_USER:
            if (strlen(optarg) >= sizeof o->plain_user) {
                fprintf(stderr, "settd: --plain-user: too long\n");
                rc = -1;
            } else {
                memcpy(o->plain_user, optarg, strlen(optarg) + 1); /* "": no plain user name */
            }
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        case OPT_HELP:
            options_help();
            *exit_code = 0;
            return -1;
        case OPT_VERSION:
            printf("settd %s\n", SETT_VERSION);
            *exit_code = 0;
            return -1;
        default:
            fprintf(stderr, "Try 'settd --help'.\n");
            return -1;
        }
    }
    if (rc != 0)
        return -1;
    if (optind < argc) {
        fprintf(stderr, "settd: unexpected argument '%s'\nTry 'settd --help'.\n", argv[optind]);
        return -1;
    }
    if (o->service_key_file[0] && !o->api[0]) {
        fprintf(stderr, "settd: --service-key-file is for --api; the embedded server mints its "
                        "own key\n");
        return -1;
    }
    if (o->sandbox && o->api[0]) {
        fprintf(stderr, "settd: --sandbox is for the embedded server; start the server behind "
                        "--api with sett-billingd --sandbox\n");
        return -1;
    }
    if (options_resolve(o) != 0) {
        *exit_code = 1;
        return -1;
    }
    return 0;
}
