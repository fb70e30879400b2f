/* cli.c: `sett COMMAND`: the commands for scripts, their options, help and exit statuses. */
#include "screens/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "client/types_account.h"
#include "screens/cli_run.h"

/* Option flags a command accepts besides the common ones. */
enum {
    ARG_CATEGORY = 1 << 0,
    ARG_SEARCH = 1 << 1,
    ARG_STATUS = 1 << 2,
    ARG_TRANSACTIONS = 1 << 3,
};

struct cli_command {
    const char *name;
    const char *synopsis; /* after "sett NAME" */
    const char *summary;
    const char *options; /* the command's own options, as help lines */
    enum cli_auth auth;
    unsigned args;
    int (*run)(struct cli *c, const struct cli_args *a);
    int (*status_parse)(const char *s); /* --status values: 0 valid, -1 not */
};

static int service_status_ok(const char *s)
{
    enum service_status v;
    return service_status_parse(s, &v);
}

static int invoice_status_ok(const char *s)
{
    enum invoice_status v;
    return invoice_status_parse(s, &v);
}

static const struct cli_command commands[] = {
    {"products", "[--category SLUG] [--search TEXT]",
     "the catalog: slug, name, category, lowest price, stock",
     "  --category SLUG   only the products of this category (its slug or id)\n"
     "  --search TEXT     only the products whose name or description holds TEXT\n",
     CLI_AUTH_NONE, ARG_CATEGORY | ARG_SEARCH, cli_products, NULL},
    {"services", "[--status STATUS]", "your services: id, product, status, cycle, next due, price",
     "  --status STATUS   pending, active, suspended, cancelled or terminated\n", CLI_AUTH_CUSTOMER,
     ARG_STATUS, cli_services, service_status_ok},
    {"invoices", "[--status STATUS]", "your invoices: number, status, dates, total, amount due",
     "  --status STATUS   draft, pending, paid, overdue, cancelled or refunded\n",
     CLI_AUTH_CUSTOMER, ARG_STATUS, cli_invoices, invoice_status_ok},
    {"credits", "[--transactions]", "your credit balance, or with --transactions its ledger",
     "  --transactions    the ledger: every deposit, payment, refund and adjustment\n",
     CLI_AUTH_CUSTOMER, ARG_TRANSACTIONS, cli_credits, NULL},
    {"users", "[--search TEXT]", "operators: customer accounts (needs the admin scope)",
     "  --search TEXT     e-mail or name (any part, any case), an account id, or an\n"
     "                    SSH key fingerprint (SHA256:..., or its beginning)\n",
     CLI_AUTH_OPERATOR, ARG_SEARCH, cli_users, NULL},
    {"catalog", "[--json]", "operators: every category and product, with stock and prices",
     "  None of its own. A row per category, then one per product under it: its\n"
     "  visibility (shown, hidden, retired), stock, lowest price, and every cycle's\n"
     "  price and setup fee. With --json: {\"categories\": [...], \"products\":\n"
     "  [...]}, the data of /admin/categories and of every page of /admin/products\n",
     CLI_AUTH_OPERATOR, 0, cli_catalog, NULL},
    {"coupons", "[--json]", "operators: coupon codes with their discount, uses, dates and state",
     "  only the common options. States: Active, Scheduled (not started), Ended,\n"
     "  Used up (max uses reached) and Disabled (switched off in operator mode).\n"
     "  With --json: the data of /admin/coupons\n",
     CLI_AUTH_OPERATOR, 0, cli_coupons, NULL},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* The commands' options: those of one command need its flag in cli_command.args (`needs`), the
 * others go with every command. */
enum { O_JSON = 1, O_API, O_KEY, O_DATA, O_HELP, O_CATEGORY, O_SEARCH, O_STATUS, O_TX };
static const struct option options[] = {
    {"json", no_argument, NULL, O_JSON},
    {"api", required_argument, NULL, O_API},
    {"api-key-file", required_argument, NULL, O_KEY},
    {"data-dir", required_argument, NULL, O_DATA},
    {"help", no_argument, NULL, O_HELP},
    {"category", required_argument, NULL, O_CATEGORY},
    {"search", required_argument, NULL, O_SEARCH},
    {"status", required_argument, NULL, O_STATUS},
    {"transactions", no_argument, NULL, O_TX},
    {NULL, 0, NULL, 0},
};
static const unsigned needs[] = {[O_CATEGORY] = ARG_CATEGORY,
                                 [O_SEARCH] = ARG_SEARCH,
                                 [O_STATUS] = ARG_STATUS,
                                 [O_TX] = ARG_TRANSACTIONS};

static const char common_help[] =
    "Options of every command:\n"
    "  --json            print the API's data as JSON (see below) instead of a table\n"
    "  --api URL         the billing API at URL (else SETT_API, config.ini [api] url,\n"
    "                    else the embedded server with the demo shop)\n"
    "  --api-key-file PATH\n"
    "                    sign in with the API key (bp_...) in PATH; SETT_API_KEY holds\n"
    "                    a key itself. Without one, the session kept by an earlier\n"
    "                    sign-in in `sett` is used (refreshed as needed)\n"
    "  --data-dir DIR    the embedded server's database directory\n"
    "  --help            show the command's help and exit\n"
    "Options may come before or after the command: `sett --api URL invoices` is\n"
    "`sett invoices --api URL`. The storefront's own options (--theme, --no-mouse,\n"
    "--kiosk..., --operator) do not go with a command.\n"
    "\n"
    "Output: a table with a header row, columns two spaces apart, money in the\n"
    "shop's currency; on a terminal, long names are shortened to fit and statuses\n"
    "are coloured (not with NO_COLOR). With --json: the `data` of the API's answer,\n"
    "one JSON document on one line; a list is one array of every page's items.\n"
    "Errors go to stderr as `sett: MESSAGE (CODE)`.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  the server refused the request (its message and code on stderr)\n"
    "  2  usage: unknown command, option or value\n"
    "  3  the server is unreachable, or its answer is malformed\n"
    "  4  not signed in, or the session or API key was refused (401)\n"
    "  5  signed in, but not allowed (403), e.g. `users` without the admin scope\n";

static void print_overview(FILE *out)
{
    fputs("Usage: sett [OPTIONS] COMMAND [OPTIONS]\n"
          "Commands for scripts: the billing data on stdout, no terminal needed.\n\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n\n", "help", "this help, or `sett help COMMAND` for one command");
    fputs(common_help, out);
    fputs("\nWithout a command, `sett` opens the storefront (`sett --help`).\n", out);
}

static void print_command_help(const struct cli_command *cmd, FILE *out)
{
    fprintf(out, "Usage: sett %s %s [OPTIONS]\n%c%s.\n\n", cmd->name, cmd->synopsis,
            cmd->summary[0] - 'a' + 'A', cmd->summary + 1);
    fprintf(out, "Options of %s:\n%s\n%s", cmd->name, cmd->options, common_help);
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; name && i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

bool cli_is_command(const char *word)
{
    return word && (find_command(word) || strcmp(word, "help") == 0);
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("sett: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (strcmp(cmd, "help") == 0)
        fputs("\nTry 'sett help'.\n", stderr);
    else
        fprintf(stderr, "\nTry 'sett %s --help'.\n", cmd);
    return CLI_EXIT_USAGE;
}

/* `help [COMMAND]`: argv[0] is the word "help". */
static int help_command(int argc, char **argv)
{
    if (argc <= 1) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    const struct cli_command *cmd = find_command(argv[1]);
    if (!cmd || argc > 2) {
        fprintf(stderr, "sett: no command '%s'\nTry 'sett help'.\n", argv[argc > 2 ? 2 : 1]);
        return CLI_EXIT_USAGE;
    }
    print_command_help(cmd, stdout);
    return CLI_EXIT_OK;
}

/* The storefront's settings (config.ini, SETT_*), with this command's --api, --data-dir and
 * --api-key-file given to the same parser, so both agree on what wins. */
static int load_settings(struct cli *c, const char *api, const char *data_dir, const char *key_file)
{
    char *args[8];
    int n = 0, code = 0;
    args[n++] = "sett";
    if (api) {
        args[n++] = "--api";
        args[n++] = (char *)api;
    }
    if (data_dir) {
        args[n++] = "--data-dir";
        args[n++] = (char *)data_dir;
    }
    if (key_file) {
        args[n++] = "--api-key-file";
        args[n++] = (char *)key_file;
    }
    args[n] = NULL;
    if (app_parse_options(n, args, &c->opt, &code) != 0)
        return code ? code : CLI_EXIT_USAGE;
    return CLI_EXIT_OK;
}

static void detect_terminal(struct cli *c)
{
    const char *term = getenv("TERM");
    c->width = 0;
    c->color = false;
    if (!isatty(STDOUT_FILENO))
        return;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        c->width = ws.ws_col;
    else
        c->width = 80;
    c->color = !c->opt.no_color && term && *term && strcmp(term, "dumb") != 0;
}

/* What the command line holds besides the command word. */
struct cli_flags {
    struct cli_args a;
    bool json, help;
    const char *api, *key_file, *data_dir;
};

/* Parses the options in argv[1..argc-1] into `f` (argv[0] is not read). CLI_EXIT_OK, also after
 * printing the help (then f->help is set), or CLI_EXIT_USAGE with the message on stderr. */
static int parse_options(const struct cli_command *cmd, int argc, char **argv, struct cli_flags *f)
{
    int opt, idx = 0;
    opterr = 0;
    optind = 0; /* glibc starts afresh: cli_command_at() scanned with another ordering */
    while ((opt = getopt_long(argc, argv, ":", options, &idx)) != -1) {
        if (opt >= O_CATEGORY && opt <= O_TX && !(cmd->args & needs[opt]))
            return usage_error(cmd->name, "'--%s' is not an option of this command",
                               options[idx].name);
        switch (opt) {
        case O_JSON:
            f->json = true;
            break;
        case O_API:
            f->api = optarg;
            break;
        case O_KEY:
            f->key_file = optarg;
            break;
        case O_DATA:
            f->data_dir = optarg;
            break;
        case O_HELP:
            print_command_help(cmd, stdout);
            f->help = true;
            return CLI_EXIT_OK;
        case O_CATEGORY:
            f->a.category = optarg;
            break;
        case O_SEARCH:
            f->a.search = optarg;
            break;
        case O_STATUS:
            f->a.status = optarg;
            break;
        case O_TX:
            f->a.transactions = true;
            break;
        case ':':
            return usage_error(cmd->name, "option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error(cmd->name, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error(cmd->name, "unexpected argument '%s'", argv[optind]);
    return CLI_EXIT_OK;
}

bool cli_has_option(const char *name)
{
    size_t n = strcspn(name, "=");
    for (const struct option *o = options; o->name; o++)
        if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
            return true;
    return false;
}

/* The command is the first word that is neither an option of the commands nor its value. Any
 * other option before it (the storefront's --theme, a typo) means no command here: the
 * storefront's parser knows those options and their values, and says what is wrong. A value
 * that names a command (`sett --api invoices`) is a forgotten value: that word is the command,
 * and parse_options() reports the option without its value. */
int cli_command_at(int argc, char **argv)
{
    int opt;
    opterr = 0;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+:", options, NULL)) != -1) {
        if (opt == '?' || opt == ':')
            return 0;
        if (optarg == argv[optind - 1] && cli_is_command(optarg)) /* a word of its own, no '=' */
            return optind - 1;
    }
    return optind < argc && cli_is_command(argv[optind]) ? optind : 0;
}

int cli_main(int argc, char **argv, int at)
{
    const struct cli_command *cmd = find_command(argv[at]);
    struct cli_flags f = {0};
    struct cli c;
    int code;

    if (strcmp(argv[at], "help") == 0)
        return help_command(argc - at, argv + at);
    if (!cmd)
        return usage_error("help", "no command '%s'", argv[at]);
    /* the options before the command word, then those after it (the word plays argv[0]) */
    code = parse_options(cmd, at, argv, &f);
    if (code == CLI_EXIT_OK && !f.help)
        code = parse_options(cmd, argc - at, argv + at, &f);
    if (code != CLI_EXIT_OK || f.help)
        return code;
    if (f.a.status && cmd->status_parse && cmd->status_parse(f.a.status) != 0)
        return usage_error(cmd->name, "'%s' is not a status of this list", f.a.status);
    memset(&c, 0, sizeof c);
    if ((code = load_settings(&c, f.api, f.data_dir, f.key_file)) != CLI_EXIT_OK)
        return code;
    c.json = f.json;
    detect_terminal(&c);
    code = cli_session_open(&c, cmd->auth);
    if (code == CLI_EXIT_OK)
        code = cmd->run(&c, &f.a);
    cli_session_close(&c);
    explicit_bzero(c.opt.api_key, sizeof c.opt.api_key);
    return code;
}
