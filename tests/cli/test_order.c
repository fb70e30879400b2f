/* test_order.c: the options of `sett COMMAND` before the command word as well as after it
 * (`sett --api URL invoices` is `sett invoices --api URL`), the storefront's own options refused
 * there, and `sett --api URL` alone still opening the storefront. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "billingd_proc.h"
#include "child.h"
#include "cli_support.h"
#include "netutil.h"
#include "tempdir.h"

static struct billingd_proc *server;
static const char *url;
static struct cli_home home;
static struct cli_home fresh; /* no session, no database: the embedded server, the storefront */
static char key_file[700];
static char paid_number[64];

static int setup(void **state)
{
    char customer[512], customer_refresh[512], admin[512], admin_refresh[512], key[64];
    cJSON *env = NULL;
    (void)state;
    server = billingd_proc_start(BILLINGD_BIN, NULL, 20000);
    if (!server || cli_home_make(&home) != 0 || cli_home_make(&fresh) != 0)
        return -1;
    url = billingd_proc_url(server);
    /* the customer's session is stored: a paid invoice and a service to list; an operator's key
     * in a file, for `users` (the customer's session alone is refused there) */
    if (cli_login(url, "demo@example.com", "demo", customer, customer_refresh) != 0 ||
        cli_buy_with_credits(url, customer, "mc-dirt") != 0 ||
        cli_store_session(&home, url, customer, customer_refresh) != 0 ||
        cli_login(url, "admin@example.com", "admin", admin, admin_refresh) != 0 ||
        cli_api_key(url, admin, "[\"admin\"]", key) != 0)
        return -1;
    snprintf(key_file, sizeof key_file, "%s/admin.key", home.dir);
    if (tempdir_write_file(key_file, key, strlen(key)) != 0)
        return -1;
    if (cli_http(url, "GET", "/billing/invoices", customer, NULL, NULL, &env) != 200)
        return -1;
    const cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(env, "data"), 0);
    snprintf(paid_number, sizeof paid_number, "%s",
             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(inv, "number")));
    cJSON_Delete(env);
    return paid_number[0] ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    billingd_proc_stop(&server);
    cli_home_remove(&home);
    cli_home_remove(&fresh);
    return 0;
}

/* Runs sett with `args`; asserts it succeeded with nothing on stderr. */
static void run_ok(struct cli_result *r, const char *const *args)
{
    assert_int_equal(cli_run(&home, args, NULL, 0, r), 0);
    if (r->status != 0)
        fprintf(stderr, "status %d, stderr: %s\n", r->status, r->err);
    assert_int_equal(r->status, 0);
    assert_string_equal(r->err, "");
}

/* Runs every argument list of `forms` (NULL-ended); asserts each succeeds and prints exactly what
 * the first prints, and that it holds `says`. */
static void expect_same(const char *const *const *forms, const char *says)
{
    struct cli_result first, r;
    run_ok(&first, forms[0]);
    if (!strstr(first.out, says))
        fprintf(stderr, "stdout: %s\n", first.out);
    assert_non_null(strstr(first.out, says));
    for (const char *const *const *f = forms + 1; *f; f++) {
        run_ok(&r, *f);
        if (strcmp(r.out, first.out) != 0)
            fprintf(stderr, "sett %s ...: %s\nbut sett %s ...: %s\n", (*f)[0], r.out, forms[0][0],
                    first.out);
        assert_string_equal(r.out, first.out);
        cli_result_clear(&r);
    }
    cli_result_clear(&first);
}

/* Runs sett; asserts the exit status, that stdout stayed empty, and that stderr says `says`. */
static void expect_usage(const char *const *args, const char *says)
{
    struct cli_result r;
    assert_int_equal(cli_run(&home, args, NULL, 0, &r), 0);
    if (r.status != 2 || !strstr(r.err, says))
        fprintf(stderr, "status %d, stderr: %s\n", r.status, r.err);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.out, ""); /* nothing listed, and no screen drawn */
    assert_non_null(strstr(r.err, says));
    assert_true(strncmp(r.err, "sett: ", 6) == 0);
    cli_result_clear(&r);
}

static void test_options_before_the_command(void **state)
{
    (void)state;
    /* --api before the command reaches that server: the customer's paid invoice */
    expect_same(
        (const char *const *const[]){
            (const char *const[]){"invoices", "--api", url, "--status", "paid", NULL},
            (const char *const[]){"--api", url, "invoices", "--status", "paid", NULL},
            (const char *const[]){"--api", url, "--status", "paid", "invoices", NULL}, NULL},
        paid_number);
    expect_same(
        (const char *const *const[]){
            (const char *const[]){"services", "--json", "--api", url, NULL},
            (const char *const[]){"--json", "--api", url, "services", NULL},
            (const char *const[]){"--json", "services", "--api", url, NULL}, NULL},
        "\"mc-dirt\"");
    /* the operator's key from the file: the stored customer session would be refused */
    expect_same(
        (const char *const *const[]){(const char *const[]){"users", "--api", url, "--api-key-file",
                                                           key_file, "--search", "demo@", NULL},
                                     (const char *const[]){"--api-key-file", key_file, "--api", url,
                                                           "users", "--search", "demo@", NULL},
                                     NULL},
        "demo@example.com");
    expect_same(
        (const char *const *const[]){(const char *const[]){"invoices", "--help", NULL},
                                     (const char *const[]){"--help", "invoices", NULL},
                                     (const char *const[]){"--api", url, "help", "invoices", NULL},
                                     NULL},
        "Usage: sett invoices");
}

static void test_equals_form_before_the_command(void **state)
{
    char api_opt[128], key_opt[800];
    (void)state;
    snprintf(api_opt, sizeof api_opt, "--api=%s", url);
    snprintf(key_opt, sizeof key_opt, "--api-key-file=%s", key_file);
    expect_same(
        (const char *const *const[]){
            (const char *const[]){"invoices", "--api", url, "--json", "--status", "paid", NULL},
            (const char *const[]){api_opt, "--json", "invoices", "--status=paid", NULL},
            (const char *const[]){api_opt, "--status=paid", "invoices", "--json", NULL}, NULL},
        paid_number);
    expect_same(
        (const char *const *const[]){
            (const char *const[]){"users", "--api", url, "--api-key-file", key_file, NULL},
            (const char *const[]){key_opt, api_opt, "users", NULL}, NULL},
        "admin@example.com");
}

static bool exists(const char *dir, const char *name)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* The embedded server keeps its database where --data-dir says, wherever the option is. */
static void test_data_dir_before_the_command(void **state)
{
    char before[700], equals[700], after[700], opt[800];
    struct cli_result r1, r2, r3;
    (void)state;
    snprintf(before, sizeof before, "%s/before", fresh.dir);
    snprintf(equals, sizeof equals, "%s/equals", fresh.dir);
    snprintf(after, sizeof after, "%s/after", fresh.dir);
    snprintf(opt, sizeof opt, "--data-dir=%s", equals);
    assert_int_equal(
        cli_run(&fresh, (const char *[]){"--data-dir", before, "products", NULL}, NULL, 0, &r1), 0);
    assert_int_equal(cli_run(&fresh, (const char *[]){opt, "products", NULL}, NULL, 0, &r2), 0);
    assert_int_equal(
        cli_run(&fresh, (const char *[]){"products", "--data-dir", after, NULL}, NULL, 0, &r3), 0);
    assert_int_equal(r1.status, 0);
    assert_int_equal(r2.status, 0);
    assert_int_equal(r3.status, 0);
    assert_non_null(strstr(r1.out, "mc-dirt "));
    assert_string_equal(r1.out, r3.out);
    assert_string_equal(r2.out, r3.out);
    assert_true(exists(before, "billing.db"));
    assert_true(exists(equals, "billing.db"));
    assert_true(exists(after, "billing.db"));
    assert_false(exists(fresh.data, "sett/billing.db")); /* not the default place */
    cli_result_clear(&r1);
    cli_result_clear(&r2);
    cli_result_clear(&r3);
}

static void test_missing_value_before_the_command(void **state)
{
    (void)state;
    expect_usage((const char *[]){"--api", "invoices", NULL}, "option '--api' needs a value");
    expect_usage((const char *[]){"--api", "invoices", NULL}, "Try 'sett invoices --help'.");
    expect_usage((const char *[]){"--json", "--api-key-file", "users", "--search", "x", NULL},
                 "option '--api-key-file' needs a value");
    expect_usage((const char *[]){"--data-dir", "products", "--json", NULL},
                 "option '--data-dir' needs a value");
    expect_usage((const char *[]){"--status", "invoices", NULL}, "option '--status' needs a value");
    /* after the command, as before */
    expect_usage((const char *[]){"invoices", "--api", NULL}, "option '--api' needs a value");
}

static void test_storefront_options_before_a_command(void **state)
{
    (void)state;
    const char *says = "is an option of the storefront, not of the commands";
    expect_usage((const char *[]){"--theme", "dracula", "invoices", NULL}, "'--theme' ");
    expect_usage((const char *[]){"--theme", "dracula", "invoices", NULL}, says);
    expect_usage((const char *[]){"--theme=mono", "products", "--json", NULL}, "'--theme' ");
    expect_usage((const char *[]){"--kiosk", "products", NULL}, "'--kiosk' ");
    expect_usage((const char *[]){"--api", url, "--operator", "users", NULL}, "'--operator' ");
    expect_usage((const char *[]){"--no-mouse", "help", NULL}, "'--no-mouse' ");
    expect_usage((const char *[]){"--kiosk-checkout", "sandbox", "credits", NULL},
                 "'--kiosk-checkout' ");
    expect_usage((const char *[]){"--json", "--kiosk-idle", "30", "services", "--json", NULL},
                 "'--kiosk-idle' ");
    /* after the command they are unknown to it, as ever */
    expect_usage((const char *[]){"invoices", "--theme", "mono", NULL}, "'--theme'");
    /* and the commands' own options mean nothing to the storefront */
    expect_usage((const char *[]){"--api", url, "--json", NULL},
                 "'--json' is an option of the commands, not of the storefront");
    expect_usage((const char *[]){"--status", "paid", NULL},
                 "'--status' is an option of the commands, not of the storefront");
}

/* Waits until `out` (read from fd) holds `text`; false at the deadline. */
static bool read_until(int fd, char *out, size_t size, size_t *len, const char *text)
{
    long long deadline = net_now_ms() + 20000;
    while (!strstr(out, text) && net_now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t got = read(fd, out + *len, size - 1 - *len);
        if (got <= 0)
            return false;
        *len += (size_t)got;
        out[*len] = '\0';
    }
    return strstr(out, text) != NULL;
}

/* `sett --api URL` with no command is the storefront: signed out, it draws the Store screen, and
 * quits on q. */
static void test_api_alone_opens_the_storefront(void **state)
{
    int master = -1;
    static char screen[1 << 16];
    size_t len = 0;
    char vars[3][700];
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    (void)state;
    snprintf(vars[0], sizeof vars[0], "HOME=%s", fresh.dir);
    snprintf(vars[1], sizeof vars[1], "XDG_CONFIG_HOME=%s", fresh.config);
    snprintf(vars[2], sizeof vars[2], "XDG_DATA_HOME=%s", fresh.data);
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    assert_true(pid >= 0);
    if (pid == 0) {
        char *argv[] = {SETT_BIN, "--api", (char *)url, NULL};
        char *envp[] = {vars[0],        vars[1],  vars[2], "TERM=xterm-256color",
                        "LANG=C.UTF-8", "TZ=UTC", NULL};
        execve(SETT_BIN, argv, envp);
        _exit(127);
    }
    screen[0] = '\0';
    bool drawn = read_until(master, screen, sizeof screen, &len, "Store");
    ssize_t put = write(master, "q", 1);
    int status = child_reap(pid, 20000);
    if (status == CHILD_RUNNING) {
        kill(pid, SIGKILL);
        child_reap(pid, 5000);
    }
    close(master);
    assert_true(drawn);
    assert_int_equal(put, 1);
    assert_non_null(strstr(screen, "\033[?1049h")); /* the terminal's alternate screen: curses */
    assert_true(status != CHILD_RUNNING && WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_before_the_command),
        cmocka_unit_test(test_equals_form_before_the_command),
        cmocka_unit_test(test_data_dir_before_the_command),
        cmocka_unit_test(test_missing_value_before_the_command),
        cmocka_unit_test(test_storefront_options_before_a_command),
        cmocka_unit_test(test_api_alone_opens_the_storefront),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
