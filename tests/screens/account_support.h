/* account_support.h: the customer's side of the billing API from a screen test (sign in, fill
 * the cart, check out, pay on the sandbox page), a stored session for sett, and snapshots of
 * screens that show what changes from run to run (spinners, payment links, QR codes). */
#ifndef SETT_SCREENS_ACCOUNT_SUPPORT_H
#define SETT_SCREENS_ACCOUNT_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sett_run.h"

#define ACCT_DEMO_EMAIL    "demo@example.com"
#define ACCT_DEMO_PASSWORD "demo"
#define ACCT_ADMIN_EMAIL   "admin@example.com"
#define ACCT_ADMIN_PASS    "admin"

struct acct {
    char url[256]; /* the server (not a proxy in front of it) */
    char access[512];
    char refresh[512];
};

/* POST /auth/login. 0, or -1 (reason on stderr). */
int acct_login(struct acct *a, const char *server_url, const char *email, const char *password);
/* One request: JSON `body` or NULL; If-Match and Idempotency-Key when not NULL. The response's
 * HTTP status and body (NUL-terminated, free with free(); may be NULL). 0 if it was answered. */
int acct_call(const struct acct *a, const char *method, const char *path, const char *body,
              const char *if_match, const char *idem_key, long *status, char **resp);
/* GET path with the session: the response's envelope (free with cJSON_Delete) when it answered
 * 200, else NULL with the status and body on stderr. */
struct cJSON;
struct cJSON *acct_get(const struct acct *a, const char *path);
/* Adds a product by slug (its default configuration) to the cart. */
int acct_cart_add(const struct acct *a, const char *slug, const char *cycle, int quantity);
int acct_cart_coupon(const struct acct *a, const char *code);
/* Checks out the cart as it is with `method`; the payment's link when it needs action ("" when
 * it was paid at once). 0, or -1. */
int acct_checkout(const struct acct *a, const char *method, bool use_credits, char *pay_url,
                  size_t n);
/* Submits the sandbox page's form: action "pay" or "decline". The HTTP status, or -1. */
long acct_sandbox(const char *pay_url, const char *action);
/* PATCH /admin/settings with `json` as the operator (e.g. {"tax":{"rate_bps":2500}}). */
int acct_admin_settings(const char *server_url, const char *json);
/* Any operator request; 0 when it answered 2xx. */
int acct_admin(const char *server_url, const char *method, const char *path, const char *json);
/* GET with the session; the envelope's data as text is not needed: callers use api_peek. */

/* A stored session for sett: writes CONFIG_DIR/sett/credentials (0600) naming `api` (the URL
 * sett is given). 0 or -1. */
int acct_store_session(const char *config_dir, const char *api, const char *access,
                       const char *refresh);

/* For sett_run_opts.prepare: sign in as the demo customer on the server, optionally run
 * `setup` with that session (to create records), and store the session for sett under
 * `config_dir` (pass "XDG_CONFIG_HOME=<config_dir>" in the options' env). With the dead
 * backend no server answers: a made-up session is stored, so sett shows its errors. */
struct acct_prepare {
    char config_dir[512];
    int (*setup)(const struct acct *a, void *ud);
    void *ud;
    struct acct session; /* filled in */
};
int acct_prepare(struct sett_run *r, void *ud);
/* The temporary config directory of a prepare, and its removal. */
int acct_prepare_init(struct acct_prepare *p);
void acct_prepare_cleanup(struct acct_prepare *p);

/* sett under a fresh XDG_CONFIG_HOME, started by sett_run_start with `o` (its env and prepare set
 * here); with `session`, the demo customer's session is stored first, after `setup` (may be
 * NULL) made its records with it. 0 or -1; acct_run_stop in either case. */
struct acct_run {
    struct sett_run r;
    struct acct_prepare p;
    char env_config[600];
    const char *env[2];
};
int acct_run_start(struct acct_run *ar, struct sett_run_opts o, bool session,
                   int (*setup)(const struct acct *, void *), void *ud);
void acct_run_stop(struct acct_run *ar);

/* True if `text` is on the screen, its words allowed to wrap across rows (and indents). */
bool acct_screen_says(struct harness *h, const char *text);

/* The payment link on the screen ("http://…/sandbox/pay/ps_…"), or -1. */
int acct_screen_pay_url(struct harness *h, char *url, size_t n);
/* The same in a screen's text (rows ended by newlines), or -1. */
int acct_text_pay_url(const char *text, char *url, size_t n);

/* harness_snapshot, with what differs between runs made the same first: spinner frames, the
 * port and token of payment links, and the modules of QR codes (each row of a code becomes
 * '#'s from its first block to its last), so the layout is still compared. */
int acct_snapshot(struct harness *h, const char *name);

#endif
