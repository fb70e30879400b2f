/* scenarios_doors.c: what sett shows of the server's doors: the permanent SANDBOX mark in the
 * header while /billing/status says sandbox (and none when it does not), and a session settd
 * hands over (SETT_SESSION_FD) that offers no password sign-in or sign-out unless settd's
 * operator allowed them (SETT_ALLOW_PASSWORD_SIGNIN=1). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account_support.h"
#include "scenarios.h"

#define SANDBOX_MARK "SANDBOX — no real money"

/* The first product's name, which says the store has loaded. */
static int first_product(struct sett_run *r, char *first, size_t firstsz)
{
    char *names[1];
    int n = sett_peek_product_names(r, "", names, 1);
    if (n < 1) {
        fprintf(stderr, "the catalog lists no products\n");
        return -1;
    }
    snprintf(first, firstsz, "%s", names[0]);
    sett_names_free(names, n);
    return 0;
}

/* The demo server runs the sandbox gateway: the mark sits in the header, on every screen, at
 * 80 columns in full and at 40 as "SANDBOX". */
int scenario_sandbox_mark(void)
{
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER, .rows = 24, .cols = 80};
    struct sett_run r;
    char first[256], row[512];
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(first_product(&r, first, sizeof first) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_wait_text(r.h, SANDBOX_MARK, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_row_text(r.h, 0, row, sizeof row) >= 0);
    H_CHECK(strstr(row, SANDBOX_MARK) != NULL);
    H_CHECK(harness_snapshot(r.h, "sandbox_store_80x24") == 0);
    /* still there on the next screen */
    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_send(r.h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(r.h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_row_text(r.h, 0, row, sizeof row) >= 0);
    H_CHECK(strstr(row, SANDBOX_MARK) != NULL);
    /* narrow: the short form, still in the header */
    H_CHECK(harness_resize(r.h, 24, 40) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_row_text(r.h, 0, row, sizeof row) >= 0);
    H_CHECK(strstr(row, "SANDBOX") != NULL);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* A server without the sandbox (no --demo, no --sandbox): no mark anywhere. */
int scenario_sandbox_mark_absent(void)
{
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .rows = 24, .cols = 80, .real_money = true};
    struct sett_run r;
    char first[256];
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(first_product(&r, first, sizeof first) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(!harness_screen_contains(r.h, "SANDBOX"));
    H_CHECK(harness_snapshot(r.h, "real_money_store_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

struct session_run {
    struct acct demo;
    char env_fd[32];
    int fd; /* the pipe's read end sett inherits */
};

/* As settd does: the demo customer's tokens on an inherited pipe named by SETT_SESSION_FD. */
static int session_prepare(struct sett_run *r, void *ud)
{
    struct session_run *sr = ud;
    char json[1200];
    int fds[2];
    if (acct_login(&sr->demo, sett_run_server_url(r), ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0)
        return -1;
    if (pipe(fds) != 0)
        return -1;
    int n = snprintf(json, sizeof json, "{\"access_token\":\"%s\",\"refresh_token\":\"%s\"}",
                     sr->demo.access, sr->demo.refresh);
    if (write(fds[1], json, (size_t)n) != n) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    close(fds[1]);
    sr->fd = fds[0];
    snprintf(sr->env_fd, sizeof sr->env_fd, "SETT_SESSION_FD=%d", sr->fd);
    return 0;
}

static int session_start(struct sett_run *r, struct session_run *sr, bool allow)
{
    static const char *env[3];
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .rows = 24,
                              .cols = 80,
                              .env = env,
                              .prepare = session_prepare,
                              .prepare_ud = sr};
    memset(sr, 0, sizeof *sr);
    sr->fd = -1;
    env[0] = sr->env_fd; /* filled by the prepare hook, before sett starts */
    env[1] = allow ? "SETT_ALLOW_PASSWORD_SIGNIN=1" : NULL;
    env[2] = NULL;
    int rc = sett_run_start(r, &o);
    if (sr->fd >= 0)
        close(sr->fd);
    return rc;
}

/* A session from settd: signed in by its key; L is in neither the footer nor the help, home has
 * no "Sign out", and the key does nothing. */
int scenario_settd_session(void)
{
    struct sett_run r;
    struct session_run sr;
    char first[256];
    int rc = -1;
    H_CHECK(session_start(&r, &sr, false) == 0);
    H_CHECK(first_product(&r, first, sizeof first) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_wait_text(r.h, "Demo Customer", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "?") == 0);
    H_CHECK(harness_wait_text(r.h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_screen_contains(r.h, "sign out of this account"));
    H_CHECK(harness_send(r.h, "x") == 0);
    H_CHECK(harness_wait_gone(r.h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    /* L is no key here: still signed in, no sign-in screen */
    H_CHECK(harness_send(r.h, "L") == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_screen_contains(r.h, "Demo Customer"));
    H_CHECK(!harness_screen_contains(r.h, "Password"));
    H_CHECK(harness_send(r.h, "H") == 0);
    H_CHECK(sett_wait_settled(r.h, "your servers") == 0);
    H_CHECK(!harness_screen_contains(r.h, "Sign out"));
    H_CHECK(harness_snapshot(r.h, "settd_session_home_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* settd --allow-password-signin: the same session offers L again. */
int scenario_settd_session_password(void)
{
    struct sett_run r;
    struct session_run sr;
    char first[256];
    int rc = -1;
    H_CHECK(session_start(&r, &sr, true) == 0);
    H_CHECK(first_product(&r, first, sizeof first) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_wait_text(r.h, "Demo Customer", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "?") == 0);
    H_CHECK(harness_wait_text(r.h, "sign out of this account", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "x") == 0);
    H_CHECK(harness_wait_gone(r.h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "H") == 0);
    H_CHECK(sett_wait_settled(r.h, "your servers") == 0);
    H_CHECK(harness_screen_contains(r.h, "Sign out"));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}
