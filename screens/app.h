/* app.h: the one per-process application context shared by the screens. */
#ifndef SETT_SCREENS_APP_H
#define SETT_SCREENS_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "tui/tui.h"

struct billingd;

struct app_options {
    char api_url[512]; /* "" means: start the embedded server */
    char theme[64];
    char data_dir[512]; /* "" means $XDG_DATA_HOME/sett */
    bool mouse;
    bool no_color;
};

struct app {
    struct app_options opt;
    struct client *client;
    struct tui *tui;
    struct billingd *embedded;
    struct billing_status *status; /* NULL until loaded */
    struct client_error status_err;
    uint64_t status_req;
    uint64_t login_req;
    char user_name[128]; /* signed-in customer's name, "" when browsing anonymously */
};

/* Parses argv, config file and SETT_* environment into `opt`. Returns -1 to exit with status
 * *exit_code (help, version, or a usage error already printed). */
int app_parse_options(int argc, char **argv, struct app_options *opt, int *exit_code);
/* Starts the embedded server if needed, the client, and curses; pushes the store. */
int app_start(struct app *a, char *err, size_t errsz);
int app_run(struct app *a);
void app_stop(struct app *a);

/* The currency to format money with (from /billing/status when loaded, else NULL). */
const struct currency *app_currency(const struct app *a);
/* Loads /billing/status (again); screens call it on retry. */
void app_load_status(struct app *a);

#endif
