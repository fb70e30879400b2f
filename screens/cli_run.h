/* cli_run.h: what sett's commands share: the run's context, requests, and the list printer. */
#ifndef SETT_SCREENS_CLI_RUN_H
#define SETT_SCREENS_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "client/client.h"
#include "screens/app.h"
#include "screens/cli.h"
#include "screens/cli_out.h"

struct billingd;

/* Who a command must be signed in as. */
enum cli_auth {
    CLI_AUTH_NONE,     /* public (the catalog): no credentials are sent */
    CLI_AUTH_CUSTOMER, /* an account: API key, stored session, or the embedded demo customer */
    CLI_AUTH_OPERATOR, /* scope admin: API key, stored session, or the embedded demo operator */
};

/* The options a command was given (NULL / false when absent). */
struct cli_args {
    const char *category;
    const char *search;
    const char *status;
    bool transactions;
};

/* The one per-process context of a command run. */
struct cli {
    struct app_options opt; /* the same settings as the storefront: config, flags, SETT_* */
    bool json;
    bool color; /* stdout is a terminal that takes colours (and NO_COLOR is unset) */
    int width;  /* the terminal's columns when stdout is one, else 0 (cells are never cut) */
    struct client *client;
    struct billingd *embedded;
    char session_key[600]; /* names this API's entry in the credentials file */
    bool keep_tokens;      /* the session came from the credentials file: store its refreshes */
    struct billing_status *status; /* for the currency; loaded for tables only */
    struct client_error status_err;
};

/* Starts the embedded server when no API is configured, the client, and the sign-in `auth`
 * needs. Returns a cli_exit status (messages already on stderr). */
int cli_session_open(struct cli *c, enum cli_auth auth);
void cli_session_close(struct cli *c);
/* Prints `e` as "sett: <message> (<code>)" on stderr and returns its exit status. */
int cli_fail(const struct client_error *e);

/* Decodes one answer of a list (or the one object) and, when `t` is not NULL, adds its rows.
 * Returns 0, or -1 with `err` set (a malformed answer). */
typedef int (*cli_rows_fn)(struct cli *c, const char *body, size_t len, struct cli_table *t,
                           struct client_error *err);

struct cli_list {
    const char *path; /* under /api/v1, with its query (already percent-encoded) */
    bool paged;       /* a list: every page is fetched; else one object */
    const struct cli_column *cols;
    int n_cols;
    cli_rows_fn rows;
};

/* Fetches the list (all its pages) and prints it: a table, or with --json the `data` of the
 * answers (the pages' arrays joined into one). Returns a cli_exit status. */
int cli_list_print(struct cli *c, const struct cli_list *l);
/* Appends "<? or &>name=<value percent-encoded>" to `path` (of size n). */
void cli_query_add(char *path, size_t n, const char *name, const char *value);

/* The commands (cli_lists.c, cli_users.c, cli_coupons.c). */
int cli_products(struct cli *c, const struct cli_args *a);
int cli_services(struct cli *c, const struct cli_args *a);
int cli_invoices(struct cli *c, const struct cli_args *a);
int cli_credits(struct cli *c, const struct cli_args *a);
int cli_users(struct cli *c, const struct cli_args *a);
int cli_catalog(struct cli *c, const struct cli_args *a);
int cli_coupons(struct cli *c, const struct cli_args *a);

/* One GET of `path`, waited for: 0 with the body (free it) in *body, or -1 with `err` set. */
int cli_get(struct cli *c, const char *path, char **body, size_t *len, struct client_error *err);
/* Loads /billing/status into c->status (for the currency of a table). A cli_exit status. */
int cli_need_status(struct cli *c);

#endif
