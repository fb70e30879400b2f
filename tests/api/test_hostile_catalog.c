/* test_hostile_catalog.c: a --catalog with control sequences comes back byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

/* Expected strings as bytes. Literals are split where a hex escape would swallow the next
 * character ("\x9b" "2J"). U+009B arrives as UTF-8 C2 9B (JSON text is UTF-8, so a raw 0x9B byte
 * never gets in). */
#define CAT_NAME "Evil \x1b[2J\x1b[H Category"
#define CAT_DESC                                                                                   \
    "Title \x1b]0;pwned\x07 and C1 CSI \xc2\x9b"                                                   \
    "31m red"
#define BOX_NAME                                                                                   \
    "Box \x1b[31mRED\x1b[0m \xc2\x9b"                                                              \
    "2J"
#define BOX_SHORT "bell \x07 bs \x08 cr \r tab \t del \x7f"
#define BOX_DESC                                                                                   \
    "Raw C1 byte \xc2\x9b"                                                                         \
    "31m here.\n\nLink \x1b]8;;http://example.com\x1b\\link\x1b]8;;\x1b\\ "                        \
    "DCS \xc2\x90q\xc2\x9c OSC \xc2\x9d"                                                           \
    "0;t\x07"
#define WIDE_NAME                                                                                  \
    "\xf0\x9f\x8e\xae \xef\xbc\xa7\xef\xbd\x81\xef\xbd\x8d\xef\xbd\x85 \xe5\xad\x97 e\xcc\x81 "    \
    "\xe2\x80\x8b\xe2\x80\xae"                                                                     \
    "evil"

static struct api_server server;

static void get_ok(const char *path, struct api_resp *r)
{
    assert_int_equal(api_get(&server, path, NULL, r), 0);
    assert_int_equal(r->status, 200);
    assert_non_null(r->json);
}

static void test_only_the_imported_catalog(void **state)
{
    struct api_resp r;

    get_ok("/billing/categories", &r);
    assert_int_equal(cJSON_GetArraySize(api_data(&r)), 1);
    api_resp_clear(&r);
    get_ok("/billing/products", &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 4);
    api_resp_clear(&r);
}

static void test_category_bytes(void **state)
{
    struct api_resp r;
    cJSON *c;

    get_ok("/billing/categories", &r);
    c = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(c, "name"), CAT_NAME);
    assert_string_equal(api_str(c, "description"), CAT_DESC);
    api_resp_clear(&r);
}

static void test_product_bytes(void **state)
{
    struct api_resp r;
    cJSON *p;

    get_ok("/billing/products/evil-box", &r);
    p = api_data(&r);
    assert_string_equal(api_str(p, "name"), BOX_NAME);
    assert_string_equal(api_str(p, "short_description"), BOX_SHORT);
    assert_string_equal(api_str(p, "description"), BOX_DESC);
    /* Control characters travel as JSON escapes, never raw on the wire. */
    assert_null(memchr(r.body, 0x1b, r.len));
    assert_non_null(strstr(r.body, "\\u001b[31mRED"));
    api_resp_clear(&r);

    get_ok("/billing/products/evil-wide", &r);
    assert_string_equal(api_str(api_data(&r), "name"), WIDE_NAME);
    api_resp_clear(&r);
}

static void test_list_carries_the_same_bytes(void **state)
{
    struct api_resp r;
    cJSON *p;
    int found = 0;

    get_ok("/billing/products?category=evil", &r);
    cJSON_ArrayForEach(p, api_data(&r))
    {
        if (strcmp(api_str(p, "slug"), "evil-box") == 0) {
            assert_string_equal(api_str(p, "name"), BOX_NAME);
            assert_string_equal(api_str(p, "description"), BOX_DESC);
            found++;
        }
    }
    assert_int_equal(found, 1);
    api_resp_clear(&r);
}

static void test_search_matches_raw_bytes(void **state)
{
    struct api_resp r;

    get_ok("/billing/products?q=%1b%5b31mRED", &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    assert_string_equal(api_str(cJSON_GetArrayItem(api_data(&r), 0), "slug"), "evil-box");
    api_resp_clear(&r);
}

static void test_option_labels_and_long_text(void **state)
{
    struct api_resp r;
    cJSON *p, *o;

    get_ok("/billing/products/evil-options", &r);
    p = api_data(&r);
    o = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "options"), 0);
    assert_string_equal(api_str(o, "label"), "Mem\x1b[5mory");
    assert_string_equal(api_str(o, "unit"), "G\x1b"
                                            "B");
    assert_int_equal(api_int(cJSON_GetObjectItem(p, "from_price"), "amount"), 100);
    assert_int_equal(api_int(cJSON_GetObjectItem(p, "resources"), "memory_mb"), 2048);
    api_resp_clear(&r);

    get_ok("/billing/products/evil-long", &r);
    p = api_data(&r);
    assert_int_equal(strlen(api_str(p, "name")), 5 + 5 * 400);
    assert_int_equal(strlen(api_str(p, "short_description")), 3000);
    assert_int_equal(api_int(cJSON_GetObjectItem(p, "from_price"), "amount"), 999999999);
    assert_string_equal(api_str(p, "from_cycle"), "annual");
    assert_int_equal(api_int(cJSON_GetObjectItem(p, "stock"), "available"), 0);
    api_resp_clear(&r);
}

static void test_survives_and_stops_cleanly(void **state)
{
    struct api_resp r;

    get_ok("/billing/status", &r);
    api_resp_clear(&r);
    assert_int_equal(api_server_stop(&server), 0);
}

static int setup(void **state)
{
    static const char *const args[] = {"--catalog", API_TEST_DATA "/hostile-catalog.json", NULL};

    curl_global_init(CURL_GLOBAL_DEFAULT);
    return api_server_start(&server, args);
}

static int teardown(void **state)
{
    api_server_cleanup(&server);
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_only_the_imported_catalog),
        cmocka_unit_test(test_category_bytes),
        cmocka_unit_test(test_product_bytes),
        cmocka_unit_test(test_list_carries_the_same_bytes),
        cmocka_unit_test(test_search_matches_raw_bytes),
        cmocka_unit_test(test_option_labels_and_long_text),
        cmocka_unit_test(test_survives_and_stops_cleanly),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
