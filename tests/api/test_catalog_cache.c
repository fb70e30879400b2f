/* test_catalog_cache.c: the public catalog is answered from memory, yet every change shows on the
 * next request: restock, price, hide, settings, a purchase and a write from another process;
 * If-None-Match gives 304 with the current ETag only; each query keeps its own answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "commerce_fixture.h"

#define LIST   "/billing/products?per_page=50"
#define TS3_10 16 /* "TeamSpeak 10 Slots", 1.99 a month, unlimited stock in the demo catalog */

static struct api_server server;
static char admin[128], demo[128];

static int setup(void **state)
{
    if (api_server_start(&server, NULL) != 0)
        return -1;
    adm_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin);
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    return 0;
}

static int teardown(void **state)
{
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    return rc == 0 ? 0 : -1;
}

/* A GET with If-None-Match when `inm` is set; the answer's ETag in etag (may be NULL). */
static void get(const char *path, const char *inm, struct api_resp *r, char etag[64])
{
    char header[128];
    const char *headers[2] = {NULL, NULL};

    if (inm) {
        snprintf(header, sizeof header, "If-None-Match: %s", inm);
        headers[0] = header;
    }
    assert_int_equal(api_call(&server, "GET", path, NULL, headers, NULL, 0, r), 0);
    if (etag)
        assert_int_equal(api_header(r, "ETag", etag, 64), 0);
}

/* The product with this id in the cached list (asked twice so the second answer is the kept
 * one), and in its own answer; both must agree. Returns the list's entry (owned by r). */
static const cJSON *listed(int64_t id, struct api_resp *r)
{
    struct api_resp first, one;
    const cJSON *p, *found = NULL;
    char path[64];

    get(LIST, NULL, &first, NULL);
    get(LIST, NULL, r, NULL);
    adm_expect(r, 200, NULL);
    assert_int_equal(first.len, r->len);
    assert_memory_equal(first.body, r->body, r->len);
    api_resp_clear(&first);
    cJSON_ArrayForEach(p, api_data(r)) if (api_int(p, "id") == id) found = p;
    snprintf(path, sizeof path, "/billing/products/%lld", (long long)id);
    get(path, NULL, &one, NULL);
    if (found) {
        char *a = cJSON_PrintUnformatted(found), *b = cJSON_PrintUnformatted(api_data(&one));
        assert_string_equal(a, b);
        free(a);
        free(b);
    } else {
        adm_expect(&one, 404, "not_found");
    }
    api_resp_clear(&one);
    return found;
}

static int64_t available(int64_t id)
{
    struct api_resp r;
    const cJSON *p = listed(id, &r);
    const cJSON *stock = cJSON_GetObjectItem(p, "stock");
    int64_t n =
        cJSON_IsNull(cJSON_GetObjectItem(stock, "available")) ? -1 : api_int(stock, "available");

    api_resp_clear(&r);
    return n;
}

static int64_t monthly_price(int64_t id, char currency[8])
{
    struct api_resp r;
    const cJSON *p = listed(id, &r);
    const cJSON *price =
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "cycles"), 0), "price");
    int64_t amount = api_int(price, "amount");

    snprintf(currency, 8, "%s", api_str(price, "currency"));
    api_resp_clear(&r);
    return amount;
}

static void test_etag_and_not_modified(void **state)
{
    struct api_resp r;
    char etag[64], again[64], list[160];

    get(LIST, NULL, &r, etag);
    adm_expect(&r, 200, NULL);
    assert_true(etag[0] == '"' && strlen(etag) == 34);
    api_resp_clear(&r);

    get(LIST, etag, &r, again);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_string_equal(again, etag);
    api_resp_clear(&r);

    /* Weak comparison, lists and "*" match; another tag does not. */
    snprintf(list, sizeof list, "\"nope\", W/%s", etag);
    get(LIST, list, &r, NULL);
    assert_int_equal(r.status, 304);
    api_resp_clear(&r);
    get(LIST, "*", &r, NULL);
    assert_int_equal(r.status, 304);
    api_resp_clear(&r);
    get(LIST, "\"0123456789abcdef0123456789abcdef\"", &r, again);
    adm_expect(&r, 200, NULL);
    assert_string_equal(again, etag);
    api_resp_clear(&r);

    /* Another query's tag is not this one's. */
    get("/billing/products?per_page=49", etag, &r, again);
    adm_expect(&r, 200, NULL);
    assert_string_not_equal(again, etag);
    api_resp_clear(&r);

    /* Categories and single products carry tags too. */
    get("/billing/categories", NULL, &r, etag);
    api_resp_clear(&r);
    get("/billing/categories", etag, &r, NULL);
    assert_int_equal(r.status, 304);
    api_resp_clear(&r);
    get("/billing/products/mc-iron", NULL, &r, etag);
    api_resp_clear(&r);
    get("/billing/products/mc-iron", etag, &r, NULL);
    assert_int_equal(r.status, 304);
    api_resp_clear(&r);
}

/* Each query its own answer: pages, sizes, categories, searches, ids and slugs, asked twice. */
static void test_queries_keep_their_own_answers(void **state)
{
    static const struct {
        const char *path;
        int64_t first_id, count, total;
    } q[] = {
        {"/billing/products?per_page=5", 1, 5, 23},
        {"/billing/products?per_page=5&page=2", 6, 5, 23},
        {"/billing/products?per_page=5&page=02", 6, 5, 23},
        {"/billing/products?category=rust", 8, 5, 5},
        {"/billing/products?category=2", 8, 5, 5},
        {"/billing/products?category=voice&per_page=2", 16, 2, 5},
        {"/billing/products?q=iron", 3, 1, 1},
        {"/billing/products?q=rust", 8, 5, 5},
        {"/billing/products?q=zzz", 0, 0, 0},
        {"/billing/products?q=", 1, 20, 23},
        {"/billing/products?category=", 1, 20, 23},
    };

    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
            struct api_resp r;
            const cJSON *items;

            get(q[i].path, NULL, &r, NULL);
            adm_expect(&r, 200, NULL);
            items = api_data(&r);
            if (cJSON_GetArraySize(items) != q[i].count ||
                api_int(cJSON_GetObjectItem(r.json, "meta"), "total") != q[i].total)
                fprintf(stderr, "%s: %s\n", q[i].path, r.body);
            assert_int_equal(cJSON_GetArraySize(items), q[i].count);
            assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), q[i].total);
            if (q[i].count)
                assert_int_equal(api_int(cJSON_GetArrayItem(items, 0), "id"), q[i].first_id);
            api_resp_clear(&r);
        }
    /* Unknown categories and products are still refused, every time. */
    for (int round = 0; round < 2; round++) {
        adm_check(&server, "GET", "/billing/products?category=nope", NULL, NULL, 404, "not_found");
        adm_check(&server, "GET", "/billing/products/nope", NULL, NULL, 404, "not_found");
    }
}

static void test_operator_changes_show_at_once(void **state)
{
    char currency[8], etag[64], body[256];
    struct api_resp r;

    /* Restock: a sold-out product comes back. */
    assert_int_equal(available(10), 0);
    get(LIST, NULL, &r, etag);
    api_resp_clear(&r);
    adm_check(&server, "POST", "/admin/products/10/stock", admin,
              "{\"set\":7,\"reason\":\"New hardware.\"}", 200, NULL);
    assert_int_equal(available(10), 7);
    get(LIST, etag, &r, NULL); /* the old copy is stale */
    adm_expect(&r, 200, NULL);
    api_resp_clear(&r);

    /* A price change. */
    assert_int_equal(monthly_price(3, currency), 899);
    adm_call(&server, "GET", "/admin/products/3", admin, NULL, NULL, &r);
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    api_resp_clear(&r);
    snprintf(body, sizeof body, "If-Match: %s", etag);
    {
        const char *headers[] = {"Content-Type: application/json", body, NULL};
        const char *json =
            "{\"cycles\":[{\"cycle\":\"monthly\",\"price\":949}],\"reason\":\"Up.\"}";

        assert_int_equal(
            api_call(&server, "PATCH", "/admin/products/3", admin, headers, json, strlen(json), &r),
            0);
        adm_expect(&r, 200, NULL);
        assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
        api_resp_clear(&r);
    }
    assert_int_equal(monthly_price(3, currency), 949);

    /* Hidden: gone from the list, the product's page and the category's count. */
    snprintf(body, sizeof body, "If-Match: %s", etag);
    {
        const char *headers[] = {"Content-Type: application/json", body, NULL};
        const char *json = "{\"visible\":false,\"reason\":\"Paused.\"}";

        assert_int_equal(
            api_call(&server, "PATCH", "/admin/products/3", admin, headers, json, strlen(json), &r),
            0);
        adm_expect(&r, 200, NULL);
        api_resp_clear(&r);
    }
    assert_null(listed(3, &r));
    api_resp_clear(&r);
    get("/billing/categories", NULL, &r, NULL);
    assert_int_equal(api_int(cJSON_GetArrayItem(api_data(&r), 0), "product_count"), 6);
    api_resp_clear(&r);

    /* Settings: the currency every price is shown in. */
    adm_check(&server, "PATCH", "/admin/settings", admin,
              "{\"currency\":{\"code\":\"EUR\",\"symbol\":\"€\",\"exponent\":2}}", 200, NULL);
    monthly_price(1, currency);
    assert_string_equal(currency, "EUR");
    adm_check(&server, "PATCH", "/admin/settings", admin,
              "{\"currency\":{\"code\":\"USD\",\"symbol\":\"$\",\"exponent\":2}}", 200, NULL);
    monthly_price(1, currency);
    assert_string_equal(currency, "USD");
}

static void test_purchase_takes_stock_at_once(void **state)
{
    struct api_resp r;
    char line[96];

    adm_check(&server, "POST", "/admin/products/16/stock", admin,
              "{\"set\":3,\"reason\":\"Licence count.\"}", 200, NULL);
    assert_int_equal(available(TS3_10), 3);
    snprintf(line, sizeof line, "{\"product_id\":%d,\"cycle\":\"monthly\"}", TS3_10);
    cm_add(&server, demo, line);
    cm_checkout(&server, demo, "credits", false, "cache-buy-1", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    assert_int_equal(available(TS3_10), 2);
}

/* A write by another process (the sqlite3 shell, a second server) shows as well: the generation
 * is bumped by the database itself. */
static void test_other_writers_show_at_once(void **state)
{
    char path[512], currency[8];
    sqlite3 *db = NULL;

    assert_int_equal(monthly_price(2, currency), 599);
    snprintf(path, sizeof path, "%s/billing.db", server.dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE product_cycles SET price = 611 "
                                  "WHERE product_id = 2 AND cycle = 'monthly'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(monthly_price(2, currency), 611);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_etag_and_not_modified),
        cmocka_unit_test(test_queries_keep_their_own_answers),
        cmocka_unit_test(test_operator_changes_show_at_once),
        cmocka_unit_test(test_purchase_takes_stock_at_once),
        cmocka_unit_test(test_other_writers_show_at_once),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
