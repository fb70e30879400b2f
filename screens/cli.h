/* cli.h: sett's commands for scripts (`sett products`, `sett invoices --json`, ...): the data on
 * stdout as an aligned table or JSON, errors on stderr, an exit status per kind of failure. The
 * commands never start curses. */
#ifndef SETT_SCREENS_CLI_H
#define SETT_SCREENS_CLI_H

#include <stdbool.h>

/* Exit statuses, documented in docs/cli.md and `sett help`. */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_REFUSED = 1,   /* the server refused the request (its message and code on stderr) */
    CLI_EXIT_USAGE = 2,     /* unknown command, option or value */
    CLI_EXIT_NETWORK = 3,   /* server unreachable, transport error, malformed response */
    CLI_EXIT_AUTH = 4,      /* not signed in, or the credentials were refused (401) */
    CLI_EXIT_FORBIDDEN = 5, /* signed in, but not allowed (403) */
};

/* True when `word` names a command (or is "help"). */
bool cli_is_command(const char *word);
/* True when the commands take the long option `name` ("json", "api=URL": no "--"). */
bool cli_has_option(const char *name);
/* Where the command word is in argv: after the commands' options and their values, as in
 * `sett --api URL invoices --json`. 0 when there is none: the storefront runs. */
int cli_command_at(int argc, char **argv);
/* Runs the command argv[at] with the options around it; returns the exit status. */
int cli_main(int argc, char **argv, int at);

#endif
