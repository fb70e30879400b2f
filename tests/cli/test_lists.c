/* test_lists.c: `sett products|services|invoices|credits|users` print what the API holds, as a
 * table and as JSON, against a real sett-billingd with the demo shop and one purchase. */
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
static char customer[512], customer_refresh[512], admin_key[64];

static int setup(void **state)
{
    char admin[512], admin_refresh[512];
    (void)state;
    server = billingd_proc_start(BILLINGD_BIN, NULL, 20000);
    if (!server || cli_home_make(&home) != 0)
        return -1;
    url = billingd_proc_url(server);
    /* the demo customer buys Dirt with the welcome credit: a service, a paid invoice, a ledger */
    if (cli_login(url, "demo@example.com", "demo", customer, customer_refresh) != 0 ||
        cli_buy_with_credits(url, customer, "mc-dirt") != 0 ||
        cli_store_session(&home, url, customer, customer_refresh) != 0)
        return -1;
    if (cli_login(url, "admin@example.com", "admin", admin, admin_refresh) != 0 ||
        cli_api_key(url, admin, "[\"admin\"]", admin_key) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    billingd_proc_stop(&server);
    cli_home_remove(&home);
    return 0;
}

/* Runs `sett ARGS... --api URL` with stdout a pipe; asserts nothing reached stderr. */
static void run_ok(struct cli_result *r, const char *const *args, const char *const *env)
{
    const char *argv[24];
    int n = 0;
    for (; args[n]; n++)
        argv[n] = args[n];
    argv[n++] = "--api";
    argv[n++] = url;
    argv[n] = NULL;
    assert_int_equal(cli_run(&home, argv, env, 0, r), 0);
    if (r->status != 0)
        fprintf(stderr, "stderr: %s\nstdout: %s\n", r->err, r->out);
    assert_int_equal(r->status, 0);
    assert_string_equal(r->err, "");
    assert_false(cli_has_controls(r->out, r->out_len)); /* no colours, no curses on a pipe */
}

/* The `data` of GET path as the API answers it. */
static cJSON *api_data_of(const char *path, const char *token, cJSON **env)
{
    assert_int_equal(cli_http(url, "GET", path, token, NULL, NULL, env), 200);
    return cJSON_GetObjectItemCaseSensitive(*env, "data");
}

static void assert_columns(const char *out, const char *const *titles)
{
    char header[512];
    assert_non_null(cli_line_starting(out, titles[0], header, sizeof header));
    const char *at = header;
    for (const char *const *t = titles; *t; t++) {
        const char *found = strstr(at, *t);
        assert_non_null(found);
        at = found + strlen(*t);
    }
}

static void test_products_table(void **state)
{
    struct cli_result r;
    char row[512];
    cJSON *env;
    (void)state;
    run_ok(&r, (const char *[]){"products", NULL}, NULL);
    assert_columns(r.out, (const char *[]){"SLUG", "NAME", "CATEGORY", "FROM", "STOCK", NULL});
    /* every product of the catalog, one row each, below the header */
    const cJSON *all = api_data_of("/billing/products?per_page=100", NULL, &env);
    assert_int_equal(cli_count_lines(r.out), 1 + cJSON_GetArraySize(all));
    cJSON_Delete(env);
    assert_non_null(cli_line_starting(r.out, "mc-dirt ", row, sizeof row));
    assert_non_null(strstr(row, " Dirt "));
    assert_non_null(strstr(row, " minecraft "));
    assert_non_null(strstr(row, " $2.99/mo "));
    assert_non_null(strstr(row, "In stock"));
    assert_non_null(cli_line_starting(r.out, "rust-launch-site ", row, sizeof row));
    assert_non_null(strstr(row, "Sold out"));
    /* aligned: the header and every row have the stock column at the same place */
    char header[512], other[512];
    cli_line_starting(r.out, "SLUG", header, sizeof header);
    cli_line_starting(r.out, "mc-netherite ", other, sizeof other);
    size_t col = (size_t)(strstr(header, "STOCK") - header);
    assert_non_null(strstr(other, "Only 2 left"));
    assert_int_equal((size_t)(strstr(other, "Only 2 left") - other), col);
    assert_int_equal((size_t)(strstr(row, "Sold out") - row), col);
    cli_result_clear(&r);
}

static void test_products_filters(void **state)
{
    struct cli_result r;
    char row[512];
    (void)state;
    run_ok(&r, (const char *[]){"products", "--category", "voice", NULL}, NULL);
    assert_non_null(cli_line_starting(r.out, "ts3-10 ", row, sizeof row));
    assert_null(cli_line_starting(r.out, "mc-dirt ", row, sizeof row));
    cli_result_clear(&r);
    run_ok(&r, (const char *[]){"products", "--search", "Launch Site", "--json", NULL}, NULL);
    cJSON *j = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(j));
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, 0), "slug")->valuestring,
        "rust-launch-site");
    cJSON_Delete(j);
    cli_result_clear(&r);
}

static void test_products_json(void **state)
{
    struct cli_result r;
    cJSON *env;
    (void)state;
    run_ok(&r, (const char *[]){"products", "--json", NULL}, NULL);
    cJSON *j = cJSON_Parse(r.out);
    const cJSON *all = api_data_of("/billing/products?per_page=100", NULL, &env);
    assert_true(cJSON_IsArray(j));
    /* the API's own objects, in its order */
    assert_true(cJSON_Compare(j, all, true));
    cJSON_Delete(env);
    cJSON_Delete(j);
    cli_result_clear(&r);
}

static void test_services(void **state)
{
    struct cli_result r;
    char row[512];
    (void)state;
    run_ok(&r, (const char *[]){"services", NULL}, NULL);
    assert_columns(r.out,
                   (const char *[]){"ID", "PRODUCT", "STATUS", "CYCLE", "NEXT DUE", "PRICE", NULL});
    assert_int_equal(cli_count_lines(r.out), 2);
    const char *line = strchr(r.out, '\n') + 1;
    snprintf(row, sizeof row, "%s", line);
    assert_non_null(strstr(row, " Dirt "));
    assert_non_null(strstr(row, " Active "));
    assert_non_null(strstr(row, " Monthly "));
    assert_non_null(strstr(row, "$2.99/mo\n"));
    cli_result_clear(&r);

    run_ok(&r, (const char *[]){"services", "--json", NULL}, NULL);
    cJSON *j = cJSON_Parse(r.out);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    const cJSON *s = cJSON_GetArrayItem(j, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(s, "status")->valuestring, "active");
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s, "product"), "slug")
            ->valuestring,
        "mc-dirt");
    cJSON_Delete(j);
    cli_result_clear(&r);

    run_ok(&r, (const char *[]){"services", "--status", "suspended", NULL}, NULL);
    assert_int_equal(cli_count_lines(r.out), 1); /* the header alone */
    cli_result_clear(&r);
}

static void test_invoices(void **state)
{
    struct cli_result r;
    char row[512], total[32];
    cJSON *env;
    (void)state;
    const cJSON *inv = cJSON_GetArrayItem(api_data_of("/billing/invoices", customer, &env), 0);
    const char *number = cJSON_GetObjectItemCaseSensitive(inv, "number")->valuestring;
    const cJSON *amount =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(inv, "total"), "amount");
    cli_money("$", (long long)amount->valuedouble, total, sizeof total);
    assert_string_equal(total, "$3.59"); /* $2.99 and 20 % VAT */

    run_ok(&r, (const char *[]){"invoices", NULL}, NULL);
    assert_columns(r.out, (const char *[]){"NUMBER", "STATUS", "KIND", "ISSUED", "DUE", "TOTAL",
                                           "AMOUNT DUE", NULL});
    assert_non_null(cli_line_starting(r.out, number, row, sizeof row));
    assert_non_null(strstr(row, " Paid "));
    assert_non_null(strstr(row, " Order "));
    assert_non_null(strstr(row, " $3.59 "));
    assert_non_null(strstr(row, " $0.00"));
    cli_result_clear(&r);

    run_ok(&r, (const char *[]){"invoices", "--status", "paid", "--json", NULL}, NULL);
    cJSON *j = cJSON_Parse(r.out);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, 0), "number")->valuestring, number);
    cJSON_Delete(j);
    cJSON_Delete(env);
    cli_result_clear(&r);

    run_ok(&r, (const char *[]){"invoices", "--status", "overdue", "--json", NULL}, NULL);
    assert_string_equal(r.out, "[]\n");
    cli_result_clear(&r);
}

static void test_credits(void **state)
{
    struct cli_result r;
    char row[512], balance[32];
    (void)state;
    run_ok(&r, (const char *[]){"credits", "--json", NULL}, NULL);
    cJSON *j = cJSON_Parse(r.out);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "balance");
    /* the $10.00 welcome credit less the $3.59 invoice */
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(b, "amount")->valueint, 1000 - 359);
    cJSON_Delete(j);
    cli_result_clear(&r);

    cli_money("$", 641, balance, sizeof balance);
    run_ok(&r, (const char *[]){"credits", NULL}, NULL);
    assert_columns(r.out, (const char *[]){"BALANCE", "CREDITS", "DEPOSITS", NULL});
    assert_int_equal(cli_count_lines(r.out), 2);
    assert_non_null(strstr(r.out, "\n  $6.41  enabled  "));
    cli_result_clear(&r);

    run_ok(&r, (const char *[]){"credits", "--transactions", NULL}, NULL);
    assert_columns(r.out,
                   (const char *[]){"DATE", "TYPE", "DESCRIPTION", "AMOUNT", "BALANCE", NULL});
    assert_int_equal(cli_count_lines(r.out), 3); /* the welcome credit and the payment */
    assert_non_null(strstr(r.out, "-$3.59  "));
    assert_non_null(strstr(r.out, "$10.00"));
    (void)row;
    cli_result_clear(&r);
}

static void test_users(void **state)
{
    struct cli_result r;
    char row[512], env_key[128];
    (void)state;
    snprintf(env_key, sizeof env_key, "SETT_API_KEY=%s", admin_key);
    const char *env[] = {env_key, NULL};
    run_ok(&r, (const char *[]){"users", "--search", "demo@", NULL}, env);
    assert_columns(r.out, (const char *[]){"ID", "EMAIL", "NAME", "ROLE", "SERVICES", "UNPAID",
                                           "BALANCE", NULL});
    assert_int_equal(cli_count_lines(r.out), 2);
    const char *line = strchr(r.out, '\n') + 1;
    snprintf(row, sizeof row, "%s", line);
    assert_non_null(strstr(row, " demo@example.com "));
    assert_non_null(strstr(row, " Demo Customer "));
    assert_non_null(strstr(row, " customer "));
    assert_non_null(strstr(row, " $6.41\n"));
    cli_result_clear(&r);

    run_ok(&r, (const char *[]){"users", "--json", NULL}, env);
    cJSON *j = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(j));
    bool found = false;
    for (int i = 0; i < cJSON_GetArraySize(j); i++) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, i), "email");
        found = found || strcmp(e->valuestring, "admin@example.com") == 0;
    }
    assert_true(found);
    cJSON_Delete(j);
    cli_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_products_table), cmocka_unit_test(test_products_filters),
        cmocka_unit_test(test_products_json),  cmocka_unit_test(test_services),
        cmocka_unit_test(test_invoices),       cmocka_unit_test(test_credits),
        cmocka_unit_test(test_users),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
