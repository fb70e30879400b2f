/* test_cli.c: sett-billingd's command line: help, version, bad flags, catalogs, data directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api_fixture.h"

static char out[8192], err[8192];

static int run(const char *const *argv)
{
    return api_run(argv, out, sizeof out, err, sizeof err);
}

static void test_help(void **state)
{
    const char *argv[] = {BILLINGD_PATH, "--help", NULL};

    assert_int_equal(run(argv), 0);
    assert_non_null(strstr(out, "Usage: sett-billingd"));
    for (const char *const *flag =
             (const char *const[]){"--listen", "--port", "--db", "--catalog", "--port-file",
                                   "--sandbox", "--demo", "admin create", "--quiet", "--version",
                                   NULL};
         *flag; flag++)
        assert_non_null(strstr(out, *flag));
    assert_string_equal(err, "");
}

static void test_version(void **state)
{
    const char *argv[] = {BILLINGD_PATH, "--version", NULL};

    assert_int_equal(run(argv), 0);
    assert_string_equal(out, "sett-billingd " SETT_VERSION "\n");
    assert_string_equal(out, "sett-billingd 0.1.0\n");
}

static void test_bad_flags(void **state)
{
    const char *unknown[] = {BILLINGD_PATH, "--frobnicate", NULL};
    const char *bad_port[] = {BILLINGD_PATH, "--port", "70000", NULL};
    const char *word_port[] = {BILLINGD_PATH, "--port", "http", NULL};
    const char *missing[] = {BILLINGD_PATH, "--db", NULL};
    const char *extra[] = {BILLINGD_PATH, "serve", NULL};

    assert_int_equal(run(unknown), 2);
    assert_non_null(strstr(err, "--frobnicate"));
    assert_string_equal(out, "");
    assert_int_equal(run(bad_port), 2);
    assert_non_null(strstr(err, "70000"));
    assert_int_equal(run(word_port), 2);
    assert_int_equal(run(missing), 2);
    assert_non_null(strstr(err, "--db"));
    assert_int_equal(run(extra), 2);
    assert_non_null(strstr(err, "serve"));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A sandbox marks every screen "no real money": a live Stripe key beside it is refused at once,
 * before the server opens its database or listens. */
static void test_sandbox_refuses_live_key(void **state)
{
    char dir[] = "/tmp/sett-cli-live-XXXXXX", key[64], db[64];

    assert_non_null(mkdtemp(dir));
    snprintf(key, sizeof key, "%s/key", dir);
    snprintf(db, sizeof db, "%s/billing.db", dir);
    write_file(key, "sk_live_51Hx0000000000000000000000\n");
    for (const char *const *mode = (const char *const[]){"--sandbox", "--demo", NULL}; *mode;
         mode++) {
        const char *argv[] = {
            BILLINGD_PATH, *mode, "--db", db, "--port", "0", "--stripe-secret-key-file", key, NULL};
        assert_int_equal(run(argv), 2);
        assert_non_null(strstr(err, "no live Stripe key"));
        assert_null(strstr(err, "sk_live_51")); /* the secret never reaches a log */
        assert_string_equal(out, "");
    }
    assert_int_equal(access(db, F_OK), -1);
    unlink(key);
    rmdir(dir);
}

/* A catalog that does not validate stops the server before it listens, saying where. */
static void test_bad_catalog_refused(void **state)
{
    char dir[] = "/tmp/sett-cli-XXXXXX";
    char db[64], cat[64];
    const char *argv[] = {BILLINGD_PATH, "--db", db, "--port", "0", "--catalog", cat, NULL};

    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/billing.db", dir);
    snprintf(cat, sizeof cat, "%s/catalog.json", dir);

    write_file(cat, "{\"categories\":[{\"slug\":\"a\",\"name\":\"A\",\"products\":[{\"slug\":\"p\","
                    "\"name\":\"P\",\"pricing_model\":\"fixed\",\"cycles\":[{\"cycle\":\"weekly\","
                    "\"price\":1}]}]}]}");
    assert_int_equal(run(argv), 1);
    assert_non_null(strstr(err, "categories[0].products[0]"));
    assert_non_null(strstr(err, "weekly"));

    write_file(cat, "{\"categories\":[{\"slug\":\"a\",\"name\":\"A\",\"products\":[{\"slug\":\"p\","
                    "\"name\":\"P\",\"pricing_model\":\"per_gb_memory\",\"cycles\":[{\"cycle\":"
                    "\"monthly\",\"price\":1}]}]}]}");
    assert_int_equal(run(argv), 1);
    assert_non_null(strstr(err, "memory_mb option"));

    write_file(cat, "not json");
    assert_int_equal(run(argv), 1);
    assert_non_null(strstr(err, "not valid JSON"));

    write_file(cat, "{\"categories\":[{\"slug\":\"a\",\"name\":\"Raw \x9b byte\"}]}");
    assert_int_equal(run(argv), 1);
    assert_non_null(strstr(err, "not valid UTF-8"));

    unlink(cat);
    assert_int_equal(run(argv), 1);
    assert_non_null(strstr(err, "catalog.json"));

    /* Nothing was half-seeded: a later start with the built-in catalog works. */
    {
        struct api_server s;
        struct api_resp r;
        memset(&s, 0, sizeof s);
        assert_int_equal(api_server_start_in(&s, dir, NULL), 0);
        assert_int_equal(api_get(&s, "/billing/categories", NULL, &r), 0);
        assert_true(cJSON_GetArraySize(api_data(&r)) >= 4);
        api_resp_clear(&r);
        assert_int_equal(api_server_stop(&s), 0);
        api_server_cleanup(&s);
    }
}

/* The catalog is seeded once; a restart keeps the data and ignores --catalog. */
static void test_seeded_once(void **state)
{
    static const char *const hostile[] = {"--catalog", API_TEST_DATA "/hostile-catalog.json", NULL};
    struct api_server s;
    struct api_resp r;
    char dir[256], access[128], refresh[128];

    assert_int_equal(api_server_start(&s, NULL), 0);
    assert_int_equal(api_login(&s, "demo@example.com", "demo", access, refresh), 0);
    assert_int_equal(api_server_stop(&s), 0);
    snprintf(dir, sizeof dir, "%s", s.dir);

    assert_int_equal(api_server_start_in(&s, dir, hostile), 0);
    assert_int_equal(api_get(&s, "/billing/categories", NULL, &r), 0);
    assert_true(cJSON_GetArraySize(api_data(&r)) >= 4);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "slug"), "minecraft");
    api_resp_clear(&r);
    /* Tokens survive a restart: they live in the database. */
    assert_int_equal(api_get(&s, "/auth/me", access, &r), 0);
    assert_int_equal(r.status, 200);
    api_resp_clear(&r);
    assert_int_equal(api_server_stop(&s), 0);
    api_server_cleanup(&s);
}

/* Without --db the database goes to $XDG_DATA_HOME/sett/billing.db in a private directory, and
 * the ready line names the address and port. */
static void test_default_db_and_ready_line(void **state)
{
    char dir[] = "/tmp/sett-xdg-XXXXXX";
    char data[96], sett_dir[128], db[160], line[256] = "", gateways[256] = "";
    struct stat st;
    int pipefd[2], status;
    pid_t pid;
    FILE *f;

    assert_non_null(mkdtemp(dir));
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(sett_dir, sizeof sett_dir, "%s/sett", data);
    snprintf(db, sizeof db, "%s/billing.db", sett_dir);
    assert_int_equal(pipe(pipefd), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], STDOUT_FILENO);
        close(pipefd[0]);
        setenv("XDG_DATA_HOME", data, 1);
        execl(BILLINGD_PATH, BILLINGD_PATH, "--port", "0", "--quiet", (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    f = fdopen(pipefd[0], "r");
    /* both lines read before any check, so a failing check leaves no server behind */
    if (!fgets(line, sizeof line, f)) /* blocks until ready */
        line[0] = '\0';
    /* then the gateways that take money: without --sandbox or --demo, credits only */
    if (!fgets(gateways, sizeof gateways, f))
        gateways[0] = '\0';
    fclose(f);
    if (!strstr(line, "listening") || !strstr(gateways, "gateways"))
        kill(pid, SIGTERM);
    assert_non_null(strstr(line, "sett-billingd listening on http://127.0.0.1:"));
    assert_true(atoi(strrchr(line, ':') + 1) > 0);
    assert_string_equal(gateways, "sett-billingd: gateways: credits only\n");
    assert_int_equal(stat(sett_dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(db, &st), 0);
    kill(pid, SIGTERM);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    for (const char *const *suffix = (const char *const[]){"", "-wal", "-shm", NULL}; *suffix;
         suffix++) {
        char path[200];
        snprintf(path, sizeof path, "%s%s", db, *suffix);
        unlink(path);
    }
    rmdir(sett_dir);
    rmdir(data);
    rmdir(dir);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_bad_flags),
        cmocka_unit_test(test_bad_catalog_refused),
        cmocka_unit_test(test_sandbox_refuses_live_key),
        cmocka_unit_test(test_seeded_once),
        cmocka_unit_test(test_default_db_and_ready_line),
    };
    /* clang-format on */
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
