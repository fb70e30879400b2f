/* test_catalog.c: `sett catalog` prints every category and product as operators see them, hidden
 * and sold-out ones included, as a table and as the API's JSON, against a real sett-billingd;
 * a customer's key is refused. */
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

/* The product's id and ETag ("\"<version>\"") by slug, from GET /admin/products. */
static int product_of(const char *slug, long *id, char *etag, size_t n)
{
    cJSON *env = NULL, *item;
    int rc = -1;
    if (cli_http(url, "GET", "/admin/products?per_page=100", admin, NULL, NULL, &env) != 200)
        return -1;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(env, "data"))
    {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(item, "slug");
        if (cJSON_IsString(s) && strcmp(s->valuestring, slug) == 0) {
            *id = (long)cJSON_GetObjectItemCaseSensitive(item, "id")->valuedouble;
            snprintf(etag, n, "\"%lld\"",
                     (long long)cJSON_GetObjectItemCaseSensitive(item, "version")->valuedouble);
            rc = 0;
        }
    }
    cJSON_Delete(env);
    return rc;
}

static int setup(void **state)
{
    char refresh[512], customer[512], path[96], etag[32], im[64];
    long id;
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
    /* Iron sold out, Stone hidden: what the public catalog does not show the same way */
    if (product_of("mc-iron", &id, etag, sizeof etag) != 0)
        return -1;
    snprintf(path, sizeof path, "/admin/products/%ld/stock", id);
    if (cli_http(url, "POST", path, admin, "{\"set\":0,\"reason\":\"Counted\"}", NULL, NULL) != 200)
        return -1;
    if (product_of("mc-stone", &id, etag, sizeof etag) != 0)
        return -1;
    snprintf(path, sizeof path, "/admin/products/%ld", id);
    snprintf(im, sizeof im, "If-Match: %s", etag);
    if (cli_http(url, "PATCH", path, admin, "{\"visible\":false,\"reason\":\"Seasonal\"}",
                 (const char *[]){im, NULL}, NULL) != 200)
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

static void run_catalog(struct cli_result *r, bool json, const char *key, int want)
{
    char env_key[128];
    const char *args[] = {"catalog", "--api", url, json ? "--json" : NULL, NULL};
    snprintf(env_key, sizeof env_key, "SETT_API_KEY=%s", key);
    const char *env[] = {env_key, NULL};
    assert_int_equal(cli_run(&home, args, env, 0, r), 0);
    if (r->status != want)
        fprintf(stderr, "stderr: %s\nstdout: %s\n", r->err, r->out);
    assert_int_equal(r->status, want);
}

/* The JSON is the API's data: every category as /admin/categories has it, every product as
 * /admin/products has it. */
static void test_json(void **state)
{
    struct cli_result r;
    cJSON *cats_env = NULL, *products_env = NULL;
    (void)state;
    run_catalog(&r, true, admin_key, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(cli_count_lines(r.out), 1);
    cJSON *j = cJSON_Parse(r.out);
    assert_true(cJSON_IsObject(j));
    const cJSON *cats = cJSON_GetObjectItemCaseSensitive(j, "categories");
    const cJSON *products = cJSON_GetObjectItemCaseSensitive(j, "products");
    assert_int_equal(cli_http(url, "GET", "/admin/categories", admin, NULL, NULL, &cats_env), 200);
    assert_int_equal(
        cli_http(url, "GET", "/admin/products?per_page=100", admin, NULL, NULL, &products_env),
        200);
    assert_true(cJSON_Compare(cats, cJSON_GetObjectItemCaseSensitive(cats_env, "data"), true));
    assert_true(
        cJSON_Compare(products, cJSON_GetObjectItemCaseSensitive(products_env, "data"), true));
    assert_true(cJSON_GetArraySize(products) > 3);
    /* the hidden product and the sold-out one are there, as they are */
    bool hidden = false, sold_out = false;
    const cJSON *p;
    cJSON_ArrayForEach(p, products)
    {
        const char *slug = cJSON_GetObjectItemCaseSensitive(p, "slug")->valuestring;
        const cJSON *stock = cJSON_GetObjectItemCaseSensitive(p, "stock");
        if (strcmp(slug, "mc-stone") == 0)
            hidden = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(p, "visible"));
        if (strcmp(slug, "mc-iron") == 0)
            sold_out = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stock, "limited")) &&
                       cJSON_GetObjectItemCaseSensitive(stock, "available")->valuedouble == 0;
    }
    assert_true(hidden);
    assert_true(sold_out);
    cJSON_Delete(cats_env);
    cJSON_Delete(products_env);
    cJSON_Delete(j);
    cli_result_clear(&r);
}

/* The table: a row per category, its products under it, with visibility, stock and prices. */
static void test_table(void **state)
{
    struct cli_result r;
    char row[1024];
    (void)state;
    run_catalog(&r, false, admin_key, 0);
    assert_string_equal(r.err, "");
    assert_false(cli_has_controls(r.out, r.out_len));
    assert_non_null(cli_line_starting(r.out, "CATEGORY", row, sizeof row));
    const char *titles[] = {"CATEGORY", "SLUG", "NAME", "SHOWN", "STOCK", "FROM", "PRICES"};
    const char *at = row;
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        assert_non_null(at = strstr(at, titles[i]));
        at += strlen(titles[i]);
    }
    /* the category first, then its products */
    const char *cat = strstr(r.out, "\nminecraft  ");
    const char *iron = strstr(r.out, " mc-iron ");
    assert_non_null(cat);
    assert_non_null(iron);
    assert_true(cat < iron);
    assert_non_null(cli_line_starting(cat + 1, "minecraft ", row, sizeof row));
    assert_non_null(strstr(row, " - "));
    assert_non_null(strstr(row, " Minecraft "));
    assert_non_null(strstr(row, " products"));
    /* Iron: sold out, shown, its cycles with their prices */
    const char *line = iron;
    while (line > r.out && line[-1] != '\n')
        line--;
    snprintf(row, sizeof row, "%.*s", (int)strcspn(line, "\n"), line);
    assert_non_null(strstr(row, " sold out "));
    assert_non_null(strstr(row, " shown "));
    assert_non_null(strstr(row, "$8.99/mo"));
    assert_non_null(strstr(row, "monthly $8.99"));
    /* Stone: hidden */
    line = strstr(r.out, " mc-stone ");
    assert_non_null(line);
    while (line > r.out && line[-1] != '\n')
        line--;
    snprintf(row, sizeof row, "%.*s", (int)strcspn(line, "\n"), line);
    assert_non_null(strstr(row, " hidden "));
    cli_result_clear(&r);
}

/* A customer's key may not list the operator's catalog: 403, exit 5. */
static void test_forbidden(void **state)
{
    struct cli_result r;
    (void)state;
    run_catalog(&r, true, customer_key, 5);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "forbidden"));
    cli_result_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_forbidden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
