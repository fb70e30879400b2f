/* test_catalog_file.c: `sett-billingd catalog export|apply` against a running server's database:
 * a round trip changes nothing, an edit changes exactly what it says (and --dry-run nothing), a
 * broken file nothing at all, and a hidden product leaves the public catalog but not its
 * services. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_fixture.h"

static struct api_server server;
static char out[1 << 18], err[8192];
static char db_path[300], file_path[300];

static int setup(void **state)
{
    (void)state;
    if (api_server_start(&server, NULL) != 0)
        return -1;
    snprintf(db_path, sizeof db_path, "%s/billing.db", server.dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (*file_path)
        unlink(file_path);
    file_path[0] = '\0';
    api_server_stop(&server);
    api_server_cleanup(&server);
    return 0;
}

/* `sett-billingd catalog ARGS... --db DB`; the exit status, output in out and err. */
static int catalog(const char *a, const char *b, const char *c)
{
    const char *argv[] = {BILLINGD_PATH, "catalog", a, "--db", db_path, b, c, NULL};

    return api_run(argv, out, sizeof out, err, sizeof err);
}

/* The rows of a query, columns joined by '|', one row a line; the caller frees it. */
static char *query(const char *sql)
{
    sqlite3 *conn = NULL;
    sqlite3_stmt *st = NULL;
    size_t len = 0, cap = 1 << 16;
    char *text = calloc(1, cap);

    assert_non_null(text);
    assert_int_equal(sqlite3_open_v2(db_path, &conn, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(conn, 5000);
    assert_int_equal(sqlite3_prepare_v2(conn, sql, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *v = sqlite3_column_text(st, i);

            len += (size_t)snprintf(text + len, cap - len, "%s%s", v ? (const char *)v : "",
                                    i + 1 < sqlite3_column_count(st) ? "|" : "\n");
            assert_true(len < cap);
        }
    sqlite3_finalize(st);
    sqlite3_close(conn);
    return text;
}

/* Everything apply might change: versions, visibility, prices, stock, order, the audit log. */
static char *snapshot(void)
{
    return query("SELECT 'p', slug, version, visible, retired, sort_order, stock_limited,"
                 " stock_available, (SELECT group_concat(cycle || '=' || price, ',')"
                 " FROM product_cycles WHERE product_id = p.id) FROM products p "
                 "UNION ALL SELECT 'c', slug, version, visible, 0, sort_order, 0, 0, ''"
                 " FROM categories "
                 "UNION ALL SELECT 'a', count(*), max(id), 0, 0, 0, 0, 0, '' FROM audit_log "
                 "UNION ALL SELECT 's', key, value, 0, 0, 0, 0, 0, '' FROM settings "
                 "ORDER BY 1, 2");
}

static int64_t audit_max_id(void)
{
    char *s = query("SELECT coalesce(max(id), 0) FROM audit_log");
    int64_t id = strtoll(s, NULL, 10);

    free(s);
    return id;
}

/* The live catalog as `catalog export` prints it. */
static cJSON *export_doc(void)
{
    cJSON *doc;

    assert_int_equal(catalog("export", NULL, NULL), 0);
    assert_string_equal(err, "");
    doc = cJSON_Parse(out);
    assert_non_null(doc);
    return doc;
}

static void write_doc(const char *name, const cJSON *doc)
{
    char *text = cJSON_Print(doc);
    FILE *f;

    snprintf(file_path, sizeof file_path, "%s/%s", server.dir, name);
    assert_non_null(text);
    assert_non_null(f = fopen(file_path, "w"));
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    free(text);
}

static cJSON *find_slug(const cJSON *list, const char *slug)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, list)
    {
        if (strcmp(api_str(e, "slug"), slug) == 0)
            return (cJSON *)e;
    }
    fail_msg("no %s", slug);
    return NULL;
}

static cJSON *doc_product(const cJSON *doc, const char *category, const char *slug)
{
    return find_slug(cJSON_GetObjectItem(
                         find_slug(cJSON_GetObjectItem(doc, "categories"), category), "products"),
                     slug);
}

/* Whether the public list of products names the slug. */
static bool public_lists(const char *slug)
{
    struct api_resp r;
    bool found = false;
    const cJSON *p;

    assert_int_equal(api_get(&server, "/billing/products?per_page=100", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON_ArrayForEach(p, api_data(&r))
    {
        found |= strcmp(api_str(p, "slug"), slug) == 0;
    }
    api_resp_clear(&r);
    return found;
}

static void test_round_trip_changes_nothing(void **state)
{
    cJSON *doc = export_doc();
    char *first = strdup(out), *before = snapshot(), *after;

    (void)state;
    write_doc("live.json", doc);
    assert_int_equal(catalog("apply", file_path, NULL), 0);
    assert_string_equal(out, "no changes\n");
    assert_int_equal(catalog("apply", file_path, "--dry-run"), 0);
    assert_string_equal(out, "no changes\n");
    after = snapshot();
    assert_string_equal(before, after);
    cJSON_Delete(export_doc());
    assert_string_equal(out, first);
    /* The document holds what the --catalog format knows, hidden and retired included. */
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItem(doc_product(doc, "minecraft", "mc-dirt"), "visible")));
    assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "settings"), "currency_code"));
    free(first);
    free(before);
    free(after);
    cJSON_Delete(doc);
}

static const char edit_lines[] = "minecraft/mc-dirt.cycles[monthly].price: 299 -> 349\n"
                                 "minecraft/mc-stone.visible: true -> false\n"
                                 "minecraft/mc-netherite.stock.available: 2 -> 7\n"
                                 "minecraft/mc-new: added\n";

static void test_edit_changes_exactly_that(void **state)
{
    cJSON *doc = export_doc(), *p, *mc;
    char *before = snapshot(), *after, *versions, *audit;
    int64_t audit_from = audit_max_id();
    struct api_resp r;
    const cJSON *c;
    int64_t monthly = -1;

    (void)state;
    p = doc_product(doc, "minecraft", "mc-dirt");
    cJSON_SetNumberValue(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "cycles"), 0), "price"), 349);
    cJSON_ReplaceItemInObject(doc_product(doc, "minecraft", "mc-stone"), "visible",
                              cJSON_CreateFalse());
    cJSON_ReplaceItemInObject(
        cJSON_GetObjectItem(doc_product(doc, "minecraft", "mc-netherite"), "stock"), "available",
        cJSON_CreateNumber(7));
    mc = cJSON_GetObjectItem(find_slug(cJSON_GetObjectItem(doc, "categories"), "minecraft"),
                             "products");
    cJSON_AddItemToArray(mc, cJSON_Parse("{\"slug\": \"mc-new\", \"name\": \"Emerald\","
                                         " \"pricing_model\": \"fixed\", \"cycles\":"
                                         " [{\"cycle\": \"monthly\", \"price\": 999}]}"));
    write_doc("edited.json", doc);

    /* A dry run prints exactly the edit and changes nothing. */
    assert_int_equal(catalog("apply", file_path, "--dry-run"), 0);
    assert_string_equal(out, edit_lines);
    after = snapshot();
    assert_string_equal(before, after);
    free(after);
    assert_true(public_lists("mc-stone"));
    assert_false(public_lists("mc-new"));

    assert_int_equal(catalog("apply", file_path, NULL), 0);
    assert_string_equal(out, edit_lines);
    versions = query("SELECT slug, version FROM products WHERE version != 1 OR slug = 'mc-new'"
                     " UNION ALL SELECT slug, version FROM categories WHERE version != 1"
                     " ORDER BY 1");
    assert_string_equal(versions, "mc-dirt|2\nmc-netherite|2\nmc-new|1\nmc-stone|2\n");
    {
        char sql[400];

        snprintf(sql, sizeof sql,
                 "SELECT action, (SELECT slug FROM products WHERE id = target_id), actor_id,"
                 " reason, json_extract(details, '$.actor'),"
                 " json_extract(details, '$.after.slug') FROM audit_log WHERE id > %lld"
                 " ORDER BY id",
                 (long long)audit_from);
        audit = query(sql);
    }
    assert_string_equal(
        audit, "product.update|mc-dirt|0|catalog apply edited.json|catalog apply|mc-dirt\n"
               "product.update|mc-stone|0|catalog apply edited.json|catalog apply|mc-stone\n"
               "product.update|mc-netherite|0|catalog apply edited.json|catalog "
               "apply|mc-netherite\n"
               "product.create|mc-new|0|catalog apply edited.json|catalog apply|mc-new\n");

    /* The public catalog shows it at once. */
    assert_int_equal(api_get(&server, "/billing/products/mc-dirt", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(api_data(&r), "cycles"))
    {
        if (strcmp(api_str(c, "cycle"), "monthly") == 0)
            monthly = api_int(cJSON_GetObjectItem(c, "price"), "amount");
    }
    assert_int_equal(monthly, 349);
    api_resp_clear(&r);
    assert_int_equal(api_get(&server, "/billing/products/mc-netherite", NULL, &r), 0);
    assert_int_equal(api_int(cJSON_GetObjectItem(api_data(&r), "stock"), "available"), 7);
    api_resp_clear(&r);
    assert_false(public_lists("mc-stone"));
    assert_true(public_lists("mc-new"));

    /* Applied again, it is already true. */
    free(before);
    before = snapshot();
    assert_int_equal(catalog("apply", file_path, NULL), 0);
    assert_string_equal(out, "no changes\n");
    after = snapshot();
    assert_string_equal(before, after);
    free(after);
    free(before);
    free(versions);
    free(audit);
    cJSON_Delete(doc);
}

static void test_broken_file_changes_nothing(void **state)
{
    cJSON *doc = export_doc(), *p;
    char *before = snapshot(), *after;
    FILE *f;

    (void)state;
    /* A valid edit first: the broken product after it must undo it too. */
    p = doc_product(doc, "minecraft", "mc-dirt");
    cJSON_SetNumberValue(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "cycles"), 0), "price"), 1);
    cJSON_ReplaceItemInObject(doc_product(doc, "minecraft", "mc-stone"), "cycles",
                              cJSON_CreateArray());
    write_doc("broken.json", doc);
    assert_int_equal(catalog("apply", file_path, NULL), 1);
    assert_string_equal(out, "");
    assert_non_null(
        strstr(err, "broken.json: categories[0].products[1]: cycles must be a non-empty array"));
    assert_int_equal(catalog("apply", file_path, "--dry-run"), 1);
    assert_string_equal(out, "");

    /* A slug twice, and a file that is not JSON at all. */
    cJSON_ReplaceItemInObject(doc_product(doc, "minecraft", "mc-stone"), "slug",
                              cJSON_CreateString("mc-dirt"));
    write_doc("broken.json", doc);
    assert_int_equal(catalog("apply", file_path, NULL), 1);
    assert_non_null(strstr(err, "categories[0].products[1]: slug 'mc-dirt' appears twice"));
    assert_non_null(f = fopen(file_path, "w"));
    fputs("{\"categories\": [", f);
    fclose(f);
    assert_int_equal(catalog("apply", file_path, NULL), 1);
    assert_non_null(strstr(err, "broken.json: not valid JSON"));

    after = snapshot();
    assert_string_equal(before, after);
    free(before);
    free(after);
    cJSON_Delete(doc);
}

static void test_hidden_product_keeps_its_services(void **state)
{
    cJSON *doc = export_doc(), *mc;
    char *services_before, *services_after, *row;
    struct api_resp r;
    char sql[600];
    sqlite3 *conn;

    (void)state;
    /* A customer's service on mc-iron, as a checkout leaves it. */
    assert_int_equal(sqlite3_open(db_path, &conn), SQLITE_OK);
    sqlite3_busy_timeout(conn, 5000);
    snprintf(sql, sizeof sql,
             "INSERT INTO services(user_id, product_id, name, status, cycle, months,"
             " recurring_amount, anchor_day, next_due_date, created_at, activated_at)"
             " SELECT u.id, p.id, 'Iron', 'active', 'monthly', 1, 899, 7, '2027-01-07',"
             " 1780000000, 1780000000 FROM users u, products p"
             " WHERE u.email = 'demo@example.com' AND p.slug = 'mc-iron'");
    assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_changes(conn), 1);
    sqlite3_close(conn);
    services_before = query("SELECT * FROM services ORDER BY id");

    /* The file no longer has mc-iron: it is hidden, not deleted. */
    mc = cJSON_GetObjectItem(find_slug(cJSON_GetObjectItem(doc, "categories"), "minecraft"),
                             "products");
    for (int i = 0; i < cJSON_GetArraySize(mc); i++)
        if (strcmp(api_str(cJSON_GetArrayItem(mc, i), "slug"), "mc-iron") == 0)
            cJSON_DeleteItemFromArray(mc, i);
    write_doc("without-iron.json", doc);
    assert_true(public_lists("mc-iron"));
    assert_int_equal(catalog("apply", file_path, NULL), 0);
    assert_string_equal(out, "minecraft/mc-iron.visible: true -> false\n");

    assert_false(public_lists("mc-iron"));
    assert_int_equal(api_get(&server, "/billing/products/mc-iron", NULL, &r), 0);
    assert_int_equal(r.status, 404);
    api_resp_clear(&r);
    services_after = query("SELECT * FROM services ORDER BY id");
    assert_string_equal(services_before, services_after);
    row = query("SELECT visible, retired, version FROM products WHERE slug = 'mc-iron'");
    assert_string_equal(row, "0|0|2\n");

    /* Still in the export, hidden, so exporting and applying again is a no-op. */
    cJSON_Delete(doc);
    doc = export_doc();
    assert_false(
        cJSON_IsTrue(cJSON_GetObjectItem(doc_product(doc, "minecraft", "mc-iron"), "visible")));
    write_doc("without-iron.json", doc);
    assert_int_equal(catalog("apply", file_path, NULL), 0);
    assert_string_equal(out, "no changes\n");
    free(services_before);
    free(services_after);
    free(row);
    cJSON_Delete(doc);
}

static void test_command_line(void **state)
{
    const char *help[] = {BILLINGD_PATH, "catalog", "--help", NULL};
    const char *none[] = {BILLINGD_PATH, "catalog", NULL};
    const char *no_file[] = {BILLINGD_PATH, "catalog", "apply", "--db", db_path, NULL};
    const char *no_db[] = {BILLINGD_PATH, "catalog", "export", "--db", "/nonexistent/x.db", NULL};

    (void)state;
    assert_int_equal(api_run(help, out, sizeof out, err, sizeof err), 0);
    assert_non_null(strstr(out, "catalog apply FILE"));
    assert_non_null(strstr(out, "--dry-run"));
    assert_int_equal(api_run(none, out, sizeof out, err, sizeof err), 2);
    assert_int_equal(api_run(no_file, out, sizeof out, err, sizeof err), 2);
    assert_non_null(strstr(err, "apply needs a FILE"));
    assert_int_equal(catalog("export", "--dry-run", NULL), 2);
    assert_int_equal(api_run(no_db, out, sizeof out, err, sizeof err), 1);
    assert_non_null(strstr(err, "no database"));
    assert_int_equal(access("/nonexistent/x.db", F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_changes_exactly_that, setup, teardown),
        cmocka_unit_test_setup_teardown(test_broken_file_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hidden_product_keeps_its_services, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_line, setup, teardown),
    };

    curl_global_init(CURL_GLOBAL_DEFAULT);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
