/* test_coupons.c: `sett coupons` prints the shop's coupon codes as operators see them, as a
 * table (with each coupon's state) and as the API's JSON, against a real sett-billingd; a
 * customer's key is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billingd_proc.h"
#include "cli_support.h"

static struct billingd_proc *server;
static const char *url;
static struct cli_home home;
static char admin[512], admin_key[64], customer_key[64];

static int setup(void **state)
{
    char refresh[512], customer[512];
    cJSON *env = NULL;
    long status;
    (void)state;
    server = billingd_proc_start(BILLINGD_BIN, NULL, 20000);
    if (!server || cli_home_make(&home) != 0)
        return -1;
    url = billingd_proc_url(server);
    if (cli_login(url, "admin@example.com", "admin", admin, refresh) != 0 ||
        cli_api_key(url, admin, "[\"admin\"]", admin_key) != 0 ||
        cli_login(url, "demo@example.com", "demo", customer, refresh) != 0 ||
        cli_api_key(url, customer, "[\"billing\"]", customer_key) != 0)
        return -1;
    /* one of the operator's own with a limit, and one switched off that keeps its end date */
    status = cli_http(url, "POST", "/admin/coupons", admin,
                      "{\"code\":\"SPRING15\",\"type\":\"percent\",\"percent_bps\":1500,"
                      "\"duration\":\"repeating\",\"duration_cycles\":3,\"max_uses\":50,"
                      "\"description\":\"Spring \\u001b[31msale\"}",
                      NULL, &env);
    cJSON_Delete(env);
    if (status != 201)
        return -1;
    status = cli_http(url, "POST", "/admin/coupons", admin,
                      "{\"code\":\"GONE\",\"type\":\"fixed\",\"amount_off\":{\"amount\":250,"
                      "\"currency\":\"USD\"},\"duration\":\"once\","
                      "\"ends_at\":\"2099-06-30T23:59:59Z\",\"disabled\":true}",
                      NULL, &env);
    cJSON_Delete(env);
    return status == 201 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    billingd_proc_stop(&server);
    cli_home_remove(&home);
    return 0;
}

static void run_as(struct cli_result *r, const char *key, const char *const *args)
{
    const char *argv[16];
    char env_key[128];
    int n = 0;
    snprintf(env_key, sizeof env_key, "SETT_API_KEY=%s", key);
    const char *env[] = {env_key, NULL};
    for (; args[n]; n++)
        argv[n] = args[n];
    argv[n++] = "--api";
    argv[n++] = url;
    argv[n] = NULL;
    assert_int_equal(cli_run(&home, argv, env, 0, r), 0);
}

/* The row of `code` in the table (copied into buf). */
static const char *row_of(const char *out, const char *code, char *buf, size_t n)
{
    char prefix[64];
    for (const char *line = out; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        const char *p = line;
        while (*p == ' ' || (*p >= '0' && *p <= '9'))
            p++;
        snprintf(prefix, sizeof prefix, "%s ", code);
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            const char *end = strchr(line, '\n');
            snprintf(buf, n, "%.*s", end ? (int)(end - line) : (int)strlen(line), line);
            return buf;
        }
    }
    return NULL;
}

static void test_table(void **state)
{
    struct cli_result r;
    char row[512], header[512];
    (void)state;
    run_as(&r, admin_key, (const char *[]){"coupons", NULL});
    if (r.status != 0)
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_false(cli_has_controls(r.out, r.out_len));
    assert_non_null(cli_line_starting(r.out, "ID", header, sizeof header));
    const char *at = header;
    for (const char *const *t = (const char *[]){"CODE", "DISCOUNT", "DURATION", "USES", "DATES",
                                                 "STATE", "DESCRIPTION", NULL};
         *t; t++) {
        assert_non_null((at = strstr(at, *t)));
        at += strlen(*t);
    }
    assert_int_equal(cli_count_lines(r.out), 9); /* the header, six demo coupons, two more */
    assert_non_null(row_of(r.out, "SPRING15", row, sizeof row));
    assert_non_null(strstr(row, " 15% "));
    assert_non_null(strstr(row, " 3 invoices "));
    assert_non_null(strstr(row, " 0/50 "));
    assert_non_null(strstr(row, " Active "));
    assert_non_null(strstr(row, "Spring"));
    assert_non_null(row_of(r.out, "GONE", row, sizeof row));
    assert_non_null(strstr(row, " $2.50 "));
    assert_non_null(strstr(row, " until 2099-06-30 "));
    assert_non_null(strstr(row, " Disabled "));
    assert_non_null(row_of(r.out, "EXPIRED", row, sizeof row));
    assert_non_null(strstr(row, " until 2024-12-31 "));
    assert_non_null(strstr(row, " Ended "));
    assert_non_null(row_of(r.out, "NOTYET", row, sizeof row));
    assert_non_null(strstr(row, " Scheduled "));
    assert_non_null(row_of(r.out, "WELCOME10", row, sizeof row));
    assert_non_null(strstr(row, " 10% "));
    assert_non_null(strstr(row, " once "));
    cli_result_clear(&r);
}

/* --json is the data of every page of GET /admin/coupons, as the API has it. */
static void test_json(void **state)
{
    struct cli_result r;
    cJSON *env = NULL;
    (void)state;
    run_as(&r, admin_key, (const char *[]){"coupons", "--json", NULL});
    assert_int_equal(r.status, 0);
    assert_int_equal(cli_count_lines(r.out), 1);
    cJSON *j = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(j));
    assert_int_equal(cli_http(url, "GET", "/admin/coupons?per_page=100", admin, NULL, NULL, &env),
                     200);
    assert_true(cJSON_Compare(j, cJSON_GetObjectItemCaseSensitive(env, "data"), true));
    assert_int_equal(cJSON_GetArraySize(j), 8);
    const cJSON *first = cJSON_GetArrayItem(j, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "code")->valuestring, "GONE");
    cJSON_Delete(env);
    cJSON_Delete(j);
    cli_result_clear(&r);
}

static void test_customer_refused(void **state)
{
    struct cli_result r;
    (void)state;
    run_as(&r, customer_key, (const char *[]){"coupons", NULL});
    assert_int_equal(r.status, 5);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "(forbidden)"));
    cli_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_customer_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
