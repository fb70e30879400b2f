/* test_output.c: what `sett COMMAND` writes: hostile names made inert, every page of a long list
 * in the shop's own currency, colours and fitting only on a terminal, and the embedded demo. */
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
#include "tempdir.h"

static struct cli_home home;

static int setup(void **state)
{
    (void)state;
    return cli_home_make(&home);
}

static int teardown(void **state)
{
    (void)state;
    cli_home_remove(&home);
    return 0;
}

static void run(struct cli_result *r, const char *const *args, const char *const *env, int cols)
{
    assert_int_equal(cli_run(&home, args, env, cols, r), 0);
    if (r->status != 0)
        fprintf(stderr, "status %d, stderr: %s\n", r->status, r->err);
    assert_int_equal(r->status, 0);
    assert_string_equal(r->err, "");
}

/* Product names with ESC/CSI/OSC sequences, C1 controls, BEL, CR, wide and bidi characters. */
static void test_hostile_catalog(void **state)
{
    struct cli_result r;
    char row[8192];
    (void)state;
    struct billingd_proc *b = billingd_proc_start(BILLINGD_BIN, HOSTILE_CATALOG, 20000);
    assert_non_null(b);
    const char *url = billingd_proc_url(b);

    run(&r, (const char *[]){"products", "--api", url, NULL}, NULL, 0);
    assert_false(cli_has_controls(r.out, r.out_len));
    assert_null(memchr(r.out, 0x1b, r.out_len));
    /* the table holds: a header and one line per product, the sequences gone, the text kept */
    cJSON *env = NULL;
    assert_int_equal(cli_http(url, "GET", "/billing/products?per_page=100", NULL, NULL, NULL, &env),
                     200);
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(env, "data"));
    cJSON_Delete(env);
    assert_int_equal(cli_count_lines(r.out), 1 + n);
    assert_non_null(cli_line_starting(r.out, "evil-box ", row, sizeof row));
    assert_non_null(strstr(row, "Box RED "));
    assert_null(strstr(row, "[31m"));
    assert_null(strstr(row, "2J"));
    /* the category's slug column lines up with the header's */
    char header[512];
    cli_line_starting(r.out, "SLUG", header, sizeof header);
    size_t col = (size_t)(strstr(header, "NAME") - header);
    assert_int_equal((size_t)(strstr(row, "Box RED") - row), col);
    cli_result_clear(&r);

    /* JSON: the same bytes escaped, so a terminal shows them inert and jq gets them back */
    run(&r, (const char *[]){"products", "--api", url, "--json", NULL}, NULL, 0);
    assert_false(cli_has_controls(r.out, r.out_len));
    assert_non_null(strstr(r.out, "Box \\u001b[31mRED\\u001b[0m \\u009b2J"));
    cJSON *j = cJSON_Parse(r.out);
    assert_non_null(j);
    bool found = false;
    for (int i = 0; i < cJSON_GetArraySize(j); i++) {
        const cJSON *p = cJSON_GetArrayItem(j, i);
        if (strcmp(cJSON_GetObjectItemCaseSensitive(p, "slug")->valuestring, "evil-box") == 0) {
            assert_string_equal(cJSON_GetObjectItemCaseSensitive(p, "name")->valuestring,
                                "Box \x1b[31mRED\x1b[0m \xc2\x9b"
                                "2J");
            found = true;
        }
    }
    assert_true(found);
    cJSON_Delete(j);
    cli_result_clear(&r);
    billingd_proc_stop(&b);
}

/* 230 products in euros: three pages of the API, one list here. */
static void test_all_pages_in_the_shop_currency(void **state)
{
    char path[700];
    (void)state;
    size_t cap = 64 * 1024, len = 0;
    char *cat = malloc(cap);
    assert_non_null(cat);
    len += (size_t)snprintf(cat + len, cap - len,
                            "{\"settings\":{\"currency_code\":\"EUR\",\"currency_symbol\":"
                            "\"\xe2\x82\xac\",\"currency_exponent\":2},"
                            "\"categories\":[{\"slug\":\"bulk\",\"name\":\"Bulk\",\"products\":[");
    for (int i = 1; i <= 230; i++)
        len += (size_t)snprintf(cat + len, cap - len,
                                "%s{\"slug\":\"p%03d\",\"name\":\"Plan %d\",\"pricing_model\":"
                                "\"fixed\",\"cycles\":[{\"cycle\":\"monthly\",\"price\":%d}]}",
                                i > 1 ? "," : "", i, i, 100000 + i);
    len += (size_t)snprintf(cat + len, cap - len, "]}]}");
    snprintf(path, sizeof path, "%s/bulk.json", home.dir);
    assert_int_equal(tempdir_write_file(path, cat, len), 0);
    free(cat);
    struct billingd_proc *b = billingd_proc_start(BILLINGD_BIN, path, 20000);
    assert_non_null(b);
    const char *url = billingd_proc_url(b);

    struct cli_result r;
    char row[256];
    run(&r, (const char *[]){"products", "--api", url, NULL}, NULL, 0);
    assert_int_equal(cli_count_lines(r.out), 1 + 230);
    assert_non_null(cli_line_starting(r.out, "p230 ", row, sizeof row));
    assert_non_null(strstr(row, "\xe2\x82\xac"
                                "1,002.30/mo")); /* €1,002.30/mo */
    cli_result_clear(&r);

    run(&r, (const char *[]){"products", "--api", url, "--json", NULL}, NULL, 0);
    cJSON *j = cJSON_Parse(r.out);
    assert_int_equal(cJSON_GetArraySize(j), 230);
    for (int i = 0; i < 230; i++) {
        char want[8];
        snprintf(want, sizeof want, "p%03d", i + 1);
        assert_string_equal(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, i), "slug")->valuestring, want);
    }
    cJSON_Delete(j);
    cli_result_clear(&r);
    billingd_proc_stop(&b);
}

/* On a terminal: a bold header and coloured statuses, names shortened to the width; NO_COLOR
 * keeps the fitting and drops the colours. */
static void test_terminal(void **state)
{
    struct cli_result r;
    (void)state;
    struct billingd_proc *b = billingd_proc_start(BILLINGD_BIN, HOSTILE_CATALOG, 20000);
    assert_non_null(b);
    const char *url = billingd_proc_url(b);

    run(&r, (const char *[]){"products", "--api", url, NULL}, NULL, 60);
    assert_non_null(strstr(r.out, "\033[1mSLUG\033[0m"));
    assert_non_null(strstr(r.out, "\033[31mSold out\033[0m"));
    assert_non_null(strstr(r.out, "\xe2\x80\xa6")); /* the long name, cut with an ellipsis */
    assert_null(strstr(r.out, "name name name name name name name name name name name"));
    cli_result_clear(&r);

    run(&r, (const char *[]){"products", "--api", url, NULL}, (const char *[]){"NO_COLOR=1", NULL},
        60);
    assert_null(memchr(r.out, 0x1b, r.out_len));
    /* the pty turns each \n into \r\n: nothing else is a control */
    for (size_t i = 0; i < r.out_len; i++)
        if (r.out[i] == '\r')
            r.out[i] = ' ';
    assert_false(cli_has_controls(r.out, r.out_len));
    assert_non_null(strstr(r.out, "\xe2\x80\xa6"));
    cli_result_clear(&r);
    billingd_proc_stop(&b);
}

/* No API configured: the embedded server, as the demo customer, and `users` as the operator. */
static void test_embedded(void **state)
{
    struct cli_result r;
    char row[256];
    (void)state;
    run(&r, (const char *[]){"products", NULL}, NULL, 0);
    assert_non_null(cli_line_starting(r.out, "mc-dirt ", row, sizeof row));
    assert_non_null(strstr(row, "$2.99/mo"));
    cli_result_clear(&r);

    run(&r, (const char *[]){"credits", NULL}, NULL, 0);
    assert_non_null(strstr(r.out, "$10.00"));
    cli_result_clear(&r);

    run(&r, (const char *[]){"users", "--search", "demo@example.com", "--json", NULL}, NULL, 0);
    cJSON *j = cJSON_Parse(r.out);
    assert_int_equal(cJSON_GetArraySize(j), 1);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, 0), "name")->valuestring,
        "Demo Customer");
    cJSON_Delete(j);
    cli_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_catalog),
        cmocka_unit_test(test_all_pages_in_the_shop_currency),
        cmocka_unit_test(test_terminal),
        cmocka_unit_test(test_embedded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
