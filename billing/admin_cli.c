/* admin_cli.c: `sett-billingd admin create --email E [--name N] [--db PATH]`: an operator account,
 * its password from a no-echo prompt on a terminal or one line of standard input otherwise. */
#include "billing/admin_cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "billing/billingd.h"

#define ADMIN_PASSWORD_BUF 1100 /* longer than the longest password accepted */
#define ADMIN_DEFAULT_NAME "Operator"

static void admin_usage(FILE *out)
{
    fprintf(out,
            "Usage: sett-billingd admin create --email EMAIL [--name NAME] [--db PATH]\n"
            "Create an operator account (role admin), e.g. the first one of a new database.\n"
            "\n"
            "  --email EMAIL   the operator's e-mail address, used to sign in\n"
            "  --name NAME     the name shown to other operators (default \"%s\")\n"
            "  --db PATH       the database (default $XDG_DATA_HOME/sett/billing.db)\n"
            "  --help          show this help and exit\n"
            "\n"
            "The password is asked for twice, without echo, on a terminal; otherwise it is the\n"
            "first line of standard input. It needs at least %d characters.\n"
            "\n"
            "Exit status: 0 created; 1 database error; 2 bad command line; 3 the e-mail is\n"
            "already taken; 4 refused (invalid e-mail or name, short password, or the two\n"
            "entries differ).\n",
            ADMIN_DEFAULT_NAME, BILLINGD_OPERATOR_PASSWORD_MIN);
}

static int admin_usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "sett-billingd admin: %s%s%s%s\nTry 'sett-billingd admin --help'.\n", what,
            arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return 2;
}

/* One line from f without its line ending; false at end of input. */
static bool admin_read_line(FILE *f, char *buf, size_t size)
{
    if (!fgets(buf, (int)size, f))
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

/* Prompts on the terminal with echo off. */
static bool admin_prompt(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    bool ok, restore = tcgetattr(STDIN_FILENO, &old) == 0;

    fputs(prompt, stderr);
    fflush(stderr);
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ok = admin_read_line(stdin, buf, size);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    return ok;
}

/* The password: twice on a terminal, or one line of stdin. 0, or an exit status. */
static int admin_password(char *pw, size_t size)
{
    char again[ADMIN_PASSWORD_BUF];
    int rc = 0;

    if (!isatty(STDIN_FILENO)) {
        if (!admin_read_line(stdin, pw, size)) {
            fputs("sett-billingd admin: no password on standard input\n", stderr);
            return 4;
        }
        return 0;
    }
    if (!admin_prompt("Password: ", pw, size) || !admin_prompt("Repeat it: ", again, sizeof again))
        rc = 4;
    else if (strcmp(pw, again) != 0) {
        fputs("sett-billingd admin: the two passwords differ; nothing was created\n", stderr);
        rc = 4;
    }
    explicit_bzero(again, sizeof again);
    return rc;
}

int admin_cli_main(int argc, char **argv, int (*default_db)(char *buf, size_t size))
{
    enum { OPT_EMAIL = 256, OPT_NAME, OPT_DB, OPT_HELP };
    static const struct option longopts[] = {
        {"email", required_argument, NULL, OPT_EMAIL},
        {"name", required_argument, NULL, OPT_NAME},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *email = NULL, *name = ADMIN_DEFAULT_NAME, *db = NULL;
    char db_default[PATH_MAX], pw[ADMIN_PASSWORD_BUF], err[512];
    int c, rc;

    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        admin_usage(stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "create") != 0)
        return admin_usage_error(argc < 2 ? "missing command: create" : "unknown command",
                                 argc < 2 ? NULL : argv[1]);
    argc--;
    argv++;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_EMAIL:
            email = optarg;
            break;
        case OPT_NAME:
            name = optarg;
            break;
        case OPT_DB:
            db = optarg;
            break;
        case OPT_HELP:
            admin_usage(stdout);
            return 0;
        case ':':
            return admin_usage_error("missing value for option", argv[optind - 1]);
        default:
            return admin_usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return admin_usage_error("unexpected argument", argv[optind]);
    if (!email)
        return admin_usage_error("--email is required", NULL);
    if (!db) {
        if (default_db(db_default, sizeof db_default) != 0)
            return 1;
        db = db_default;
    }
    if ((rc = billingd_admin_check(email, name, err, sizeof err)) != 0) {
        fprintf(stderr, "sett-billingd admin: %s\n", err);
        return rc;
    }
    if ((rc = admin_password(pw, sizeof pw)) != 0)
        goto done;
    rc = billingd_admin_create(db, email, name, pw, err, sizeof err);
    if (rc != BILLINGD_ADMIN_OK)
        fprintf(stderr, "sett-billingd admin: %s\n", err);
    else
        printf("sett-billingd: operator %s created in %s\n", email, db);
done:
    explicit_bzero(pw, sizeof pw);
    return rc;
}
