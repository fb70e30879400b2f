/* scenarios_operator_access.c: who gets into operator mode: a customer's key or account is
 * refused with the server's reason (and nothing of operator mode), the embedded server's demo
 * operator, and keys read from --api-key-file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "operator_support.h"
#include "scenarios.h"

/* ---- refused ---- */

/* A customer's key: sett says why and exits with status 3, nothing of operator mode shown. */
int scenario_operator_refused_key(void)
{
    struct op_run o;
    int status = -1, rc = -1;
    H_CHECK(op_start(&o, ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD, "billing", false) == 0);
    H_CHECK(harness_wait_exit(o.r.h, HARNESS_TIMEOUT_MS, &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    H_CHECK(harness_wait_text(o.r.h,
                              "sett: This account is not an operator:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_screen_contains(o.r.h, "demo@example.com"));
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}

/* A customer's e-mail and password: the reason, nothing of operator mode, and r to sign in
 * again, where the operator's own account gets in. */
int scenario_operator_refused_signin(void)
{
    struct op_run o;
    struct harness *h;
    int rc = -1;
    H_CHECK(op_start(&o, NULL, NULL, NULL, false) == 0);
    h = o.r.h;
    H_CHECK(harness_wait_text(h, "E-mail:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_DEMO_EMAIL HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Password:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_DEMO_PASSWORD HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "This account is not an operator", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_screen_contains(h, "Customers"));
    H_CHECK(!harness_screen_contains(h, "demo@example.com"));
    H_CHECK(acct_snapshot(h, "operator_refused_80x24") == 0);
    /* r signs in again: the operator's own account gets in */
    H_CHECK(harness_send(h, "r") == 0);
    H_CHECK(harness_wait_text(h, "E-mail:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_ADMIN_EMAIL HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Password:", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, ACCT_ADMIN_PASS HK_ENTER) == 0);
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(harness_wait_text(h, "Customers", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}

/* ---- the embedded server ---- */

/* No --api: sett signs in as the demo operator of its own server. */
int scenario_operator_embedded(void)
{
    static const char *const args[] = {"--operator", NULL};
    struct sett_run r;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_EMBEDDED, .extra_args = args, .rows = 24, .cols = 80};
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(sett_wait_settled(r.h, "demo@example.com") == 0);
    H_CHECK(harness_wait_text(r.h, "Operator › Customers · 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_screen_contains(r.h, "admin@example.com"));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* ---- --api-key-file ---- */

struct key_file_run {
    char path[600];
    const char *content; /* NULL: a key made on the server for `email` */
    const char *email, *pass, *scopes;
};

static int write_key_file(struct sett_run *r, void *ud)
{
    struct key_file_run *k = ud;
    char key[128];
    FILE *f;
    if (!k->content &&
        op_make_key(sett_run_server_url(r), k->email, k->pass, k->scopes, key, sizeof key) != 0)
        return -1;
    if (!(f = fopen(k->path, "w")))
        return -1;
    fprintf(f, "%s\n", k->content ? k->content : key); /* a trailing newline is allowed */
    return fclose(f);
}

/* The operator's key from a file works; a file holding something else is refused at start with
 * status 2 and a sentence, before the terminal is taken; a customer's key without --operator
 * opens the customer's own home. */
int scenario_operator_key_file(void)
{
    char dir[] = "/tmp/sett-key-XXXXXX";
    struct key_file_run k = {.email = ACCT_ADMIN_EMAIL, .pass = ACCT_ADMIN_PASS, .scopes = "admin"};
    const char *args[] = {"--operator", "--api-key-file", k.path, NULL};
    struct sett_run r;
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .extra_args = args,
                              .rows = 24,
                              .cols = 80,
                              .prepare = write_key_file,
                              .prepare_ud = &k};
    int status = -1, rc = -1;
    bool started = false;
    H_CHECK(mkdtemp(dir) != NULL);
    snprintf(k.path, sizeof k.path, "%s/key", dir);
    H_CHECK(sett_run_start(&r, &o) == 0);
    started = true;
    H_CHECK(sett_wait_settled(r.h, "demo@example.com") == 0);
    H_CHECK(harness_wait_text(r.h, "Operator › Customers", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    sett_run_stop(&r);
    started = false;
    k.content = "hunter2";
    H_CHECK(sett_run_start(&r, &o) == 0);
    started = true;
    H_CHECK(harness_wait_exit(r.h, HARNESS_TIMEOUT_MS, &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    H_CHECK(harness_wait_text(r.h, "does not hold an API key", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_screen_contains(r.h, "hunter2")); /* a secret is never echoed back */
    sett_run_stop(&r);
    started = false;
    k.content = NULL;
    k.email = ACCT_DEMO_EMAIL;
    k.pass = ACCT_DEMO_PASSWORD;
    k.scopes = "billing";
    args[0] = "--no-mouse"; /* the storefront, not operator mode */
    H_CHECK(sett_run_start(&r, &o) == 0);
    started = true;
    H_CHECK(sett_wait_settled(r.h, "Credit balance") == 0);
    H_CHECK(harness_wait_text(r.h, "Demo Customer", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    if (started)
        sett_run_stop(&r);
    unlink(k.path);
    rmdir(dir);
    return rc;
}
