/* app.h: the one per-process application context shared by the screens. */
#ifndef SETT_SCREENS_APP_H
#define SETT_SCREENS_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "screens/kiosk_options.h"
#include "tui/tui.h"

struct billingd;
struct operator_mode;

struct app_options {
    char api_url[512]; /* "" means: start the embedded server */
    int api_timeout;   /* --api-timeout: seconds one answer of the API may take; 0: the client's */
    char theme[64];
    char data_dir[512]; /* "" means $XDG_DATA_HOME/sett */
    bool mouse;
    bool no_color;
    bool no_animation;          /* --no-animation, [ui] animation = false: no spinners turning */
    struct kiosk_options kiosk; /* --kiosk and its settings */
    /* An API key ("bp_" and 40 letters and digits) from --api-key-file or SETT_API_KEY; "" when
     * none. When set the client sends it on every request instead of a signed-in session. */
    char api_key[64];
    bool operator_mode; /* --operator: the operator's screens instead of the storefront */
    bool plain;         /* --plain: lines of text, no escapes (screens/plain.h) */
};

/* A one-shot timer run from the event loop (polling a payment, debouncing a quote). */
typedef void (*app_timer_fn)(void *ud);
struct app_timer {
    uint64_t id; /* 0: free slot */
    int64_t due; /* CLOCK_MONOTONIC, ns */
    app_timer_fn fn;
    void *ud;
};
#define APP_TIMERS 16

struct app {
    struct app_options opt;
    struct client *client;
    struct tui *tui;
    struct billingd *embedded;
    struct billing_status *status; /* NULL until loaded */
    /* The store's currency as the terminal shows it (status->currency, with its symbol spelled
     * as the code where the locale cannot show it), and whether it must be: decided once. */
    struct currency currency;
    bool currency_codes;
    struct client_error status_err;
    uint64_t status_req;
    uint64_t login_req;
    uint64_t me_req;
    uint64_t cart_req;
    uint64_t logout_req;
    char user_name[128];   /* signed-in customer's name, "" when browsing anonymously */
    char session_key[600]; /* names this server's section in the credentials file */
    bool
        session_in_memory; /* from settd (SETT_SESSION_FD): never written to the credentials file */
    /* A settd session whose SSH key is the identity: no password sign-in, no sign-out (L), unless
     * settd --allow-password-signin set SETT_ALLOW_PASSWORD_SIGNIN=1. */
    bool key_identity;

    /* The header badge's cart summary, kept current from every cart the server answers. */
    bool cart_known;
    int cart_count; /* units, all lines */
    struct money cart_total;
    int64_t cart_version; /* of the cart shown: an older answer arriving late is ignored */
    int badge_cols;       /* the terminal width the badge was fitted to */
    char badge[256];      /* the badge as last set */
    unsigned cart_gen;    /* counts the carts seen, so a cart screen can tell it is out of date */
    /* Bumped when money moved or a service changed (a payment settled, a cancellation, a
     * deposit): account screens below the one that did it load again when they show. */
    unsigned account_gen;

    /* Operator mode (--operator): the customer whose account the account screens show, 0 while
     * none is open; and how sett ends when the operator is refused. */
    int64_t view_user_id;
    char view_email[256];
    struct operator_mode *op; /* operator mode's own state (screens/operator.h) */
    int exit_code;            /* non-zero: app_run() returns it */
    char exit_message[512];   /* printed to stderr by app_stop(), once curses is gone */

    struct screen *root; /* the bottom of the stack: home when signed in, else the store */
    struct app_timer timers[APP_TIMERS];
    uint64_t next_timer_id;
    bool worked; /* the loop did something since the heap was last trimmed */

    struct kiosk *kiosk; /* kiosk mode's state; NULL when not a kiosk */
};

/* Parses argv, config file and SETT_* environment into `opt`. Returns -1 to exit with status
 * *exit_code (help, version, or a usage error already printed). */
int app_parse_options(int argc, char **argv, struct app_options *opt, int *exit_code);
/* The client's settings for `opt`: the API, --api-timeout, and the customer's address that settd
 * names in SETT_CLIENT_ADDR (so the API's per-address limits count each customer apart; a sett of
 * its own sends nothing of the kind). Points into opt and the environment. */
struct client_config app_client_config(const struct app_options *opt);
/* Fills opt->api_key from the file at `path` (NULL: none; its first line, surrounding blanks
 * dropped), then from SETT_API_KEY, which overrides it. Returns -1 with a sentence in `err` for an
 * unreadable file or a value that is not an API key; opt->api_key is then "". */
int app_load_api_key(struct app_options *opt, const char *path, char *err, size_t errsz);
/* Starts the embedded server if needed, the client, and curses; pushes the first screen: home
 * with a stored session (or the embedded demo customer), else the store. */
int app_start(struct app *a, char *err, size_t errsz);
int app_run(struct app *a);
void app_stop(struct app *a);

/* The currency to format money with (from /billing/status when loaded, else NULL); without a
 * UTF-8 locale a symbol outside ASCII is spelled as the code ("EUR 8.99"). */
const struct currency *app_currency(const struct app *a);
/* Loads /billing/status (again); screens call it on retry. */
void app_load_status(struct app *a);
/* True (with the reason as a sentence) when /billing/status says the store is unlicensed or
 * switched off: then no billing screen shows anything else. */
bool app_billing_closed(const struct app *a, const char **why);

/* Timers: `fn(ud)` runs once, from the loop, `ms` from now. Returns the id (never 0). */
uint64_t app_after(struct app *a, int ms, app_timer_fn fn, void *ud);
void app_cancel_timer(struct app *a, uint64_t id); /* 0 and fired ids are ignored */

/* ---- the session ---- */
bool app_signed_in(const struct app *a);
/* True (with a sentence in the status line) where no one may sign in here now: a kiosk whose
 * guest is not signed in yet, or a settd session whose key session has ended. */
bool app_refuses_signin(struct app *a);
/* After a successful sign-in: the name for the badge, the cart for its count. */
void app_signed_in_as(struct app *a, const char *name);
/* Signs out (the server revokes the session; the stored one is forgotten either way) and goes
 * back to the store. */
void app_sign_out(struct app *a);

/* ---- the cart badge ---- */
/* Every cart the server answers passes through here, so the header stays current. */
void app_cart_changed(struct app *a, const struct cart *c);
void app_refresh_cart(struct app *a); /* GET the cart for the badge */
/* Screens call this when they paint: on a narrow terminal the badge drops the customer's name
 * rather than cut the cart's total. Sets the badge only when its text changes. */
void app_badge_fit(struct app *a, int cols);

/* ---- navigation ---- */
/* Opens a section (home, store, cart, services, invoices, credits): the stack goes back to its
 * root, then the section is pushed (unless it is the root). Account sections ask for sign-in
 * first when there is no session. `arg` is the screen's open argument. */
void app_open_section(struct app *a, const struct screen_ops *ops, void *arg);
/* Pushes `ops` (an account screen), or the sign-in screen first when there is no session. */
void app_push_account(struct app *a, const struct screen_ops *ops, void *arg);
/* Makes `ops` the only screen (the root). */
void app_reset_root(struct app *a, const struct screen_ops *ops);
/* The section keys every account screen handles the same way (H s c v i $ L). Returns true if
 * `op` was one of them and has been acted on. */
bool app_handle_nav(struct app *a, enum tui_op op);
/* What a list screen does with a key it did not take itself: the section keys, then moving in
 * `list` (whose rows are at `rows`). */
enum tui_action app_handle_list(struct app *a, struct tui_list *list, const struct tui_event *ev,
                                struct tui_rect rows);

#endif
