/* test_catalog_search.c: product search through the trigram index: the same products a substring
 * match finds, searches that look like FTS5 syntax, and the index in step with operators' edits
 * (renamed, hidden, retired).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <curl/curl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_fixture.h"

static struct api_server server;
static char admin[128];

/* The whole public list, for matching by hand. */
static cJSON *all_products(void)
{
    cJSON *all = cJSON_CreateArray();
    for (int page = 1;; page++) {
        struct api_resp r;
        char path[96];
        cJSON *p;
        snprintf(path, sizeof path, "/billing/products?per_page=100&page=%d", page);
        assert_int_equal(api_get(&server, path, NULL, &r), 0);
        adm_expect(&r, 200, NULL);
        cJSON_ArrayForEach(p, api_data(&r)) cJSON_AddItemToArray(all, cJSON_Duplicate(p, true));
        bool last = page >= api_int(cJSON_GetObjectItem(r.json, "meta"), "total_pages");
        api_resp_clear(&r);
        if (last)
            return all;
    }
}

static bool contains_folded(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

/* What a case-insensitive substring search over the four fields finds, in list order. */
static int expected_ids(const cJSON *all, const char *q, int64_t *ids, int max)
{
    static const char *const fields[] = {"name", "slug", "short_description", "description"};
    const cJSON *p;
    int n = 0;
    cJSON_ArrayForEach(p, all)
    {
        bool hit = false;
        for (size_t f = 0; f < 4; f++)
            hit |= contains_folded(api_str(p, fields[f]), q);
        if (hit && n < max)
            ids[n++] = api_int(p, "id");
    }
    return n;
}

static void query_escape(const char *q, char *out, size_t size)
{
    char *e = curl_easy_escape(NULL, q, 0);
    assert_non_null(e);
    snprintf(out, size, "%s", e);
    curl_free(e);
}

/* The ids the API's search returns (one page of 100 is plenty for the demo catalog). */
static int search_ids(const char *q, int64_t *ids, int max)
{
    struct api_resp r;
    char path[512], esc[400];
    const cJSON *p;
    int n = 0;
    query_escape(q, esc, sizeof esc);
    snprintf(path, sizeof path, "/billing/products?per_page=100&q=%s", esc);
    assert_int_equal(api_get(&server, path, NULL, &r), 0);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"),
                     cJSON_GetArraySize(api_data(&r)));
    cJSON_ArrayForEach(p, api_data(&r)) if (n < max) ids[n++] = api_int(p, "id");
    api_resp_clear(&r);
    return n;
}

static bool found(const char *q, int64_t id)
{
    int64_t ids[100];
    int n = search_ids(q, ids, 100);
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Index or scan, a search finds exactly what a substring match finds, in the list's order. */
static void expect_as_substring(const char *const *queries, size_t n)
{
    cJSON *all = all_products();
    int64_t want[100], got[100];
    for (size_t i = 0; i < n; i++) {
        int nw = expected_ids(all, queries[i], want, 100);
        int ng = search_ids(queries[i], got, 100);
        if (nw != ng)
            fprintf(stderr, "q=%s: expected %d products, got %d\n", queries[i], nw, ng);
        assert_int_equal(nw, ng);
        assert_memory_equal(want, got, (size_t)nw * sizeof *want);
    }
    cJSON_Delete(all);
}

static void test_same_as_substring(void **state)
{
    static const char *const queries[] = {
        "teamspeak", "EAMSPEA", "eamspe",  "rust",      "mc-",  "GB", "a", "ea",       "ts",
        "players",   "modpack", "Slots —", "zzzz-none", "vcpu", "-",  "x", "Lifetime",
    };
    int64_t got[100];
    expect_as_substring(queries, sizeof queries / sizeof *queries);
    assert_true(search_ids("teamspeak", got, 100) >= 3);
    assert_true(search_ids("a", got, 100) >= 10);
}

/* FTS5 operators and quotes in a search are text to find, never syntax or an error. */
static void test_syntax_is_text(void **state)
{
    static const char *const queries[] = {
        "\"",
        "\"\"\"",
        "team\"speak",
        "a OR b",
        "NEAR(a b)",
        "name:iron",
        "iro*",
        "(((",
        "-iron",
        "a AND NOT b",
        "^ir",
        "{name}: x",
        "'; DROP TABLE products; --",
        "\"iron\"",
        "iron OR",
    };
    int64_t got[100];
    expect_as_substring(queries, sizeof queries / sizeof *queries);
    assert_int_equal(search_ids("-iron", got, 100), 1); /* mc-iron, as text */
}

/* The server's database, opened beside it (WAL: readers do not block it). */
static sqlite3 *open_db(void)
{
    char path[320];
    sqlite3 *db = NULL;
    snprintf(path, sizeof path, "%s/billing.db", server.dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

/* Whether the index itself (not the products table) holds `text` for product `id`. */
static bool indexed(int64_t id, const char *text)
{
    sqlite3 *db = open_db();
    sqlite3_stmt *st = NULL;
    char *phrase = sqlite3_mprintf("\"%w\"", text);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM products_fts WHERE products_fts "
                                        "MATCH ?1 AND rowid = ?2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, phrase, -1, sqlite3_free);
    sqlite3_bind_int64(st, 2, id);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool hit = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return hit;
}

/* FTS5's own check that the index matches the products table row for row. */
static void index_consistent(void)
{
    sqlite3 *db = open_db();
    int rc = sqlite3_exec(
        db, "INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)", NULL,
        NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "integrity-check: %s\n", sqlite3_errmsg(db));
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

/* The product's id, its ETag for If-Match. */
static int64_t product_etag(const char *slug, char etag[32])
{
    struct api_resp r;
    char path[96];
    snprintf(path, sizeof path, "/billing/products/%s", slug);
    assert_int_equal(api_get(&server, path, NULL, &r), 0);
    adm_expect(&r, 200, NULL);
    int64_t id = api_int(api_data(&r), "id");
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/admin/products/%lld", (long long)id);
    assert_int_equal(api_get(&server, path, admin, &r), 0);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_header(&r, "ETag", etag, 32), 0);
    api_resp_clear(&r);
    return id;
}

static void patch(int64_t id, const char *json, char etag[32])
{
    struct api_resp r;
    char path[96], match[64];
    const char *headers[] = {"Content-Type: application/json", match, NULL};
    snprintf(path, sizeof path, "/admin/products/%lld", (long long)id);
    snprintf(match, sizeof match, "If-Match: %s", etag);
    assert_int_equal(api_call(&server, "PATCH", path, admin, headers, json, strlen(json), &r), 0);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_header(&r, "ETag", etag, 32), 0);
    api_resp_clear(&r);
}

/* An operator's edits reach the index: the new words found, the old ones not; hidden and
 * retired products are never found, though the index still holds their text. */
static void test_index_follows_edits(void **state)
{
    char etag[32];
    int64_t id = product_etag("mc-iron", etag);

    index_consistent();
    assert_true(found("mc-iron", id));
    assert_true(indexed(id, "mc-iron"));
    assert_false(found("Quokkastone", id));
    patch(id, "{\"name\":\"Quokkastone Iron\",\"reason\":\"Rename.\"}", etag);
    assert_true(indexed(id, "kkasto"));
    assert_true(found("kkasto", id));
    assert_true(found("QUOKKA", id));
    patch(id, "{\"name\":\"Iron\",\"description\":\"Now with wombatite.\",\"reason\":\"Back.\"}",
          etag);
    assert_false(indexed(id, "Quokka"));
    assert_false(found("Quokka", id));
    assert_true(indexed(id, "wombatit"));
    assert_true(found("wombatit", id));
    assert_true(found("mbat", id));
    index_consistent();

    patch(id, "{\"visible\":false,\"reason\":\"Pause.\"}", etag);
    assert_false(found("wombatite", id));
    assert_false(found("wo", id)); /* the short search's scan keeps it out too */
    patch(id, "{\"visible\":true,\"reason\":\"Resume.\"}", etag);
    assert_true(found("wombatite", id));
    patch(id, "{\"retired\":true,\"reason\":\"End of line.\"}", etag);
    assert_false(found("wombatite", id));
    assert_false(found("mc-iron", id));
    assert_true(indexed(id, "wombatite")); /* still indexed: the query leaves it out */
    index_consistent();
}

static int setup(void **state)
{
    char refresh[128];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0 ||
        api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    curl_global_cleanup();
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_substring),
        cmocka_unit_test(test_syntax_is_text),
        cmocka_unit_test(test_index_follows_edits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
