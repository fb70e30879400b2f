/* options.c: sett's settings from defaults, config file, flags and SETT_* environment. */
#include "screens/app.h"

#include <ctype.h>
#include <errno.h>

#include <getopt.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/types_admin.h"
#include "screens/cli.h"

static const char usage_text[] =
    "Usage: sett [OPTIONS]\n"
    "Terminal storefront for a game-server host's billing panel: browse its\n"
    "products, configure and order them, pay, and manage services, invoices and\n"
    "credits.\n"
    "\n"
    "With no API configured, sett starts its embedded billing server on a loopback\n"
    "port with a demo database under $XDG_DATA_HOME/sett and signs in as the demo\n"
    "customer.\n"
    "\n"
    "Options:\n"
    "  --api URL         use the billing API at URL (e.g. https://panel.example.com)\n"
    "  --api-timeout SECONDS\n"
    "                    longest wait for one answer of the API (1-300, default\n"
    "                    20); then the screen says so and offers to retry\n"
    "  --theme NAME      colour theme: default, dracula, mono, or a file in\n"
    "                    $XDG_CONFIG_HOME/sett/themes/NAME.ini\n"
    "  --data-dir DIR    where the embedded server keeps its database\n"
    "  --no-mouse        do not capture the mouse\n"
    "  --no-animation    no spinners or other motion: a still \"Loading...\" instead\n"
    "  --kiosk           kiosk mode: a shared demo stand; guests browse and fill a\n"
    "                    cart (a guest account's) without signing in, never see\n"
    "                    an account, and idle sessions start over with an empty\n"
    "                    cart; q, Ctrl-C and Ctrl-Z do nothing\n"
    "  --kiosk-checkout off|sandbox\n"
    "                    kiosk checkout: off (default), or through the billing\n"
    "                    server's sandbox gateway only, never with credits\n"
    "  --kiosk-idle SECONDS\n"
    "                    start over after this long without a key (default 120)\n"
    "  --kiosk-quit CHORD\n"
    "                    the keys that quit a kiosk (default \"C-x C-q\": Ctrl-X,\n"
    "                    then Ctrl-Q within 2 s)\n"
    "  --operator        operator mode: search customer accounts, open one, and\n"
    "                    adjust credit, refund invoices, suspend or unsuspend\n"
    "                    services and approve orders (each with a reason);\n"
    "                    needs an operator account or an admin API key. On the\n"
    "                    embedded server it signs in as the demo operator\n"
    "                    admin@example.com\n"
    "  --api-key-file PATH\n"
    "                    sign in with the API key (bp_...) kept in PATH\n"
    "  --plain           plain mode for screen readers and any terminal: each\n"
    "                    screen printed once as lines of text, numbered choices,\n"
    "                    results announced as sentences, no colour and no escape\n"
    "                    sequences; chosen on its own when TERM is dumb or cannot\n"
    "                    address the cursor, or when ACCESSIBLE is set; works\n"
    "                    with --operator and --kiosk too\n"
    "  --help            show this help and exit\n"
    "  --version         show the version and exit\n"
    "\n"
    "Configuration: $XDG_CONFIG_HOME/sett/config.ini ([api] url, [ui] theme, mouse,\n"
    "animation); the sign-in session: $XDG_CONFIG_HOME/sett/credentials (kept 0600).\n"
    "Flags override the file; SETT_API, SETT_THEME, SETT_DATA_DIR and SETT_API_KEY\n"
    "(an API key itself) override both.\n"
    "NO_COLOR disables colour. ACCESSIBLE (any value) chooses plain mode.\n"
    "Kiosk: [kiosk] checkout, idle, quit, name (the shop's name on the idle screen),\n"
    "email and password (the guest account; SETT_KIOSK_EMAIL and\n"
    "SETT_KIOSK_PASSWORD override them; the embedded server's demo customer when\n"
    "unset).\n"
    "\n"
    "Keys: arrows or hjkl move, Enter opens, Esc goes back, / searches, a adds to\n"
    "the cart, c opens it, H home, L signs in or out, ? shows every key of the\n"
    "screen, q quits. In operator mode: w finds a customer, O their orders, E\n"
    "refunds, A adjusts credit, Z suspends or unsuspends, P approves; each asks\n"
    "for a reason and a confirmation. In plain mode: type a number or one of the\n"
    "same letters, then Enter; b goes back, m lists more, ? says what can be typed.\n"
    "\n"
    "Commands for scripts, without the interface: sett products, services,\n"
    "invoices, credits, users: a table, or JSON with --json. Their options may come\n"
    "before or after the command word (`sett --api URL invoices`). Of the options\n"
    "above, --api, --data-dir and --api-key-file go with a command too; the others\n"
    "are the storefront's alone. `sett help` and `sett COMMAND --help` tell more.\n";

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static bool parse_bool(const char *v)
{
    return strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0 ||
           strcasecmp(v, "on") == 0;
}

static int on_ini(void *ud, const char *section, const char *name, const char *value)
{
    struct app_options *o = ud;
    if (strcmp(section, "api") == 0 && strcmp(name, "url") == 0)
        copy(o->api_url, sizeof o->api_url, value);
    else if (strcmp(section, "ui") == 0 && strcmp(name, "theme") == 0)
        copy(o->theme, sizeof o->theme, value);
    else if (strcmp(section, "ui") == 0 && strcmp(name, "mouse") == 0)
        o->mouse = parse_bool(value);
    else if (strcmp(section, "ui") == 0 && strcmp(name, "animation") == 0)
        o->no_animation = !parse_bool(value);
    else if (strcmp(section, "data") == 0 && strcmp(name, "dir") == 0)
        copy(o->data_dir, sizeof o->data_dir, value);
    else if (strcmp(section, "kiosk") == 0)
        kiosk_options_ini(&o->kiosk, name, value);
    return 1; /* unknown keys are ignored so newer config files still load */
}

static void load_config_file(struct app_options *o)
{
    char path[1024];
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/sett/config.ini", xdg);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/sett/config.ini", home);
    else
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    int line = ini_parse_file(f, on_ini, o);
    fclose(f);
    if (line > 0)
        fprintf(stderr, "sett: %s:%d: syntax error (line ignored)\n", path, line);
}

struct client_config app_client_config(const struct app_options *o)
{
    const char *addr = getenv("SETT_CLIENT_ADDR");
    struct client_config cfg = {.base_url = o->api_url,
                                .forwarded_for = addr && *addr ? addr : NULL};
    if (o->api_timeout > 0) { /* a connection never takes longer than the whole answer */
        cfg.total_timeout_ms = o->api_timeout * 1000L;
        cfg.connect_timeout_ms = cfg.total_timeout_ms < 5000 ? cfg.total_timeout_ms : 5000;
    }
    return cfg;
}

int app_load_api_key(struct app_options *o, const char *path, char *err, size_t errsz)
{
    char line[256] = "";
    const char *env = getenv("SETT_API_KEY");
    const char *from = path;
    char *v = line, *end;

    o->api_key[0] = '\0';
    if (env && *env) {
        copy(line, sizeof line, env);
        from = "SETT_API_KEY";
    } else if (path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            snprintf(err, errsz, "cannot read the API key file %s: %s", path, strerror(errno));
            return -1;
        }
        if (!fgets(line, sizeof line, f))
            line[0] = '\0';
        fclose(f);
    } else {
        return 0;
    }
    while (isspace((unsigned char)*v))
        v++;
    end = v + strlen(v);
    while (end > v && isspace((unsigned char)end[-1]))
        *--end = '\0';
    if (!client_api_key_valid(v)) {
        snprintf(err, errsz, "%s does not hold an API key (bp_ followed by 40 letters and digits)",
                 from);
        explicit_bzero(line, sizeof line);
        return -1;
    }
    copy(o->api_key, sizeof o->api_key, v);
    explicit_bzero(line, sizeof line);
    return 0;
}

int app_parse_options(int argc, char **argv, struct app_options *o, int *exit_code)
{
    enum {
        OPT_API = 1,
        OPT_THEME,
        OPT_DATA_DIR,
        OPT_NO_MOUSE,
        OPT_HELP,
        OPT_VERSION,
        OPT_OPERATOR,
        OPT_API_KEY_FILE,
        OPT_NO_ANIMATION,
        OPT_PLAIN,
        OPT_API_TIMEOUT
    };
    enum { OPT_KIOSK = 100, OPT_KIOSK_CHECKOUT, OPT_KIOSK_IDLE, OPT_KIOSK_QUIT };
    static const struct option longopts[] = {
        {"api", required_argument, NULL, OPT_API},
        {"api-timeout", required_argument, NULL, OPT_API_TIMEOUT},
        {"theme", required_argument, NULL, OPT_THEME},
        {"data-dir", required_argument, NULL, OPT_DATA_DIR},
        {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
        {"no-animation", no_argument, NULL, OPT_NO_ANIMATION},
        {"operator", no_argument, NULL, OPT_OPERATOR},
        {"api-key-file", required_argument, NULL, OPT_API_KEY_FILE},
        {"plain", no_argument, NULL, OPT_PLAIN},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"kiosk", no_argument, NULL, OPT_KIOSK},
        {"kiosk-checkout", required_argument, NULL, OPT_KIOSK_CHECKOUT},
        {"kiosk-idle", required_argument, NULL, OPT_KIOSK_IDLE},
        {"kiosk-quit", required_argument, NULL, OPT_KIOSK_QUIT},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    copy(o->theme, sizeof o->theme, "default");
    o->mouse = true;
    kiosk_options_defaults(&o->kiosk);
    load_config_file(o);

    const char *key_file = NULL;
    const char *own = NULL;    /* the first option the commands do not take, e.g. "theme" */
    const char *theirs = NULL; /* an option only the commands take, e.g. "--json" */
    char why[600];
    int c, idx = 0;
    opterr = 0;
    optind = 0; /* glibc starts afresh; "+": the first word that is not an option ends them */
    while ((c = getopt_long(argc, argv, "+", longopts, &idx)) != -1) {
        if (c != '?' && !own && !cli_has_option(longopts[idx].name))
            own = longopts[idx].name;
        switch (c) {
        case OPT_API:
            copy(o->api_url, sizeof o->api_url, optarg);
            break;
        case OPT_API_TIMEOUT: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > 300) {
                fprintf(stderr,
                        "sett: --api-timeout wants seconds from 1 to 300, not '%s'\n"
                        "Try 'sett --help'.\n",
                        optarg);
                *exit_code = 2;
                return -1;
            }
            o->api_timeout = (int)v;
            break;
        }
        case OPT_THEME:
            copy(o->theme, sizeof o->theme, optarg);
            break;
        case OPT_DATA_DIR:
            copy(o->data_dir, sizeof o->data_dir, optarg);
            break;
        case OPT_NO_MOUSE:
            o->mouse = false;
            break;
        case OPT_NO_ANIMATION:
            o->no_animation = true;
            break;
        case OPT_KIOSK:
            o->kiosk.enabled = true;
            break;
        case OPT_KIOSK_CHECKOUT:
            copy(o->kiosk.checkout_text, sizeof o->kiosk.checkout_text, optarg);
            break;
        case OPT_KIOSK_IDLE:
            copy(o->kiosk.idle_text, sizeof o->kiosk.idle_text, optarg);
            break;
        case OPT_KIOSK_QUIT:
            copy(o->kiosk.quit, sizeof o->kiosk.quit, optarg);
            break;
        case OPT_OPERATOR:
            o->operator_mode = true;
            break;
        case OPT_API_KEY_FILE:
            key_file = optarg;
            break;
        case OPT_PLAIN:
            o->plain = true;
            break;
        case OPT_HELP:
            fputs(usage_text, stdout);
            *exit_code = 0;
            return -1;
        case OPT_VERSION:
            printf("sett %s\n", SETT_VERSION);
            *exit_code = 0;
            return -1;
        default:
            /* an option only the commands take (optopt 0: not one of ours with a fault): said
             * after the loop, unless a command word explains more */
            if (!theirs && optopt == 0 && strncmp(argv[optind - 1], "--", 2) == 0 &&
                cli_has_option(argv[optind - 1] + 2)) {
                theirs = argv[optind - 1];
                break;
            }
            fprintf(stderr, "sett: unknown or incomplete option '%s'\nTry 'sett --help'.\n",
                    argv[optind - 1]);
            *exit_code = 2;
            return -1;
        }
    }
    if (optind < argc && own && cli_is_command(argv[optind])) {
        fprintf(stderr,
                "sett: '--%s' is an option of the storefront, not of the commands\n"
                "Try 'sett help'.\n",
                own);
        *exit_code = 2;
        return -1;
    }
    if (theirs) {
        fprintf(stderr,
                "sett: '%s' is an option of the commands, not of the storefront\n"
                "Try 'sett help'.\n",
                theirs);
        *exit_code = 2;
        return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "sett: unexpected argument '%s'\nTry 'sett --help'.\n", argv[optind]);
        *exit_code = 2;
        return -1;
    }
    const char *env;
    if ((env = getenv("SETT_API")) && *env)
        copy(o->api_url, sizeof o->api_url, env);
    if ((env = getenv("SETT_THEME")) && *env)
        copy(o->theme, sizeof o->theme, env);
    if ((env = getenv("SETT_DATA_DIR")) && *env)
        copy(o->data_dir, sizeof o->data_dir, env);
    if ((env = getenv("NO_COLOR")) && *env)
        o->no_color = true;
    if (o->kiosk.enabled && o->operator_mode) {
        fputs("sett: --kiosk and --operator cannot be used together\nTry 'sett --help'.\n", stderr);
        *exit_code = 2;
        return -1;
    }
    if (o->kiosk.enabled && kiosk_options_finish(&o->kiosk, why, sizeof why) != 0) {
        fprintf(stderr, "sett: %s\nTry 'sett --help'.\n", why);
        *exit_code = 2;
        return -1;
    }
    if (app_load_api_key(o, key_file, why, sizeof why) != 0) {
        fprintf(stderr, "sett: %s\n", why);
        *exit_code = 2;
        return -1;
    }
    return 0;
}
