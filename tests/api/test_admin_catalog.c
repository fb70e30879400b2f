/* test_admin_catalog.c: operators create and change categories and products: the public catalog
 * follows, If-Match keeps two operators from overwriting each other, the --catalog rules refuse
 * a bad product with nothing changed, stock never goes negative, and every write is audited. */
#include "admin_fixture.h"

#include <stdlib.h>

#include <curl/curl.h>

static struct api_server server;
static char demo[128], admin[128], key[64];
static int64_t category_id, product_id, key_id;
static int product_writes, category_writes; /* the writes that must each leave an audit row */

#define OPTION_MEMORY(def)                                                                         \
    "{\"resource\":\"memory_mb\",\"label\":\"Memory\",\"unit\":\"GB\",\"unit_size\":1024,"         \
    "\"min\":1024,\"max\":8192,\"step\":1024,\"default\":" #def ",\"unit_price\":200}"

#define PRODUCT                                                                                    \
    "\"slug\":\"tr-custom\",\"name\":\"Custom Terraria\",\"short_description\":\"Pick the "        \
    "memory.\",\"pricing_model\":\"configurable\",\"options\":[" OPTION_MEMORY(                    \
        2048) "],"                                                                                 \
              "\"cycles\":[{\"cycle\":\"monthly\",\"price\":100},{\"cycle\":\"annual\",\"price\":" \
              "1000,"                                                                              \
              "\"setup_fee\":500}],\"stock\":{\"limited\":true,\"available\":5}"

/* A call with an optional If-Match; the answer must keep the contract. */
static void call(const char *method, const char *path, const char *token, const char *json,
                 const char *if_match, struct api_resp *r)
{
    char match[96];
    const char *headers[3] = {"Content-Type: application/json", NULL, NULL};

    if (if_match) {
        snprintf(match, sizeof match, "If-Match: %s", if_match);
        headers[1] = match;
    }
    assert_int_equal(api_call(&server, method, path, token, json ? headers : headers + 1, json,
                              json ? strlen(json) : 0, r),
                     0);
}

static void product_path(char *out, size_t size, const char *tail)
{
    snprintf(out, size, "/admin/products/%lld%s", (long long)product_id, tail);
}

/* The product as operators see it now, with its ETag. */
static void load_product(struct api_resp *r, char etag[32])
{
    char path[64];

    product_path(path, sizeof path, "");
    call("GET", path, admin, NULL, NULL, r);
    adm_expect(r, 200, NULL);
    assert_int_equal(api_header(r, "ETag", etag, 32), 0);
}

static void patch_product(const char *token, const char *json, const char *if_match,
                          struct api_resp *r)
{
    char path[64];

    product_path(path, sizeof path, "");
    call("PATCH", path, token, json, if_match, r);
}

/* Whether the public catalog lists the product (by category and by its slug). */
static bool public_has_product(void)
{
    struct api_resp r;
    bool listed = false;
    const cJSON *p;

    assert_int_equal(api_get(&server, "/billing/products/tr-custom", NULL, &r), 0);
    assert_true(r.status == 200 || r.status == 404);
    if (r.status == 200)
        assert_int_equal(api_int(api_data(&r), "id"), product_id);
    api_resp_clear(&r);
    assert_int_equal(api_get(&server, "/billing/products?q=tr-custom", NULL, &r), 0);
    adm_expect(&r, 200, NULL);
    cJSON_ArrayForEach(p, api_data(&r)) listed |= api_int(p, "id") == product_id;
    api_resp_clear(&r);
    return listed;
}

static void test_create_category_and_product(void **state)
{
    struct api_resp r;
    char etag[32], path[96], body[1024];
    cJSON *d;

    call("POST", "/admin/categories", admin,
         "{\"slug\":\"terraria\",\"name\":\"Terraria\",\"description\":\"tModLoader worlds.\"}",
         NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "reason"), "is required");
    api_resp_clear(&r);
    call("POST", "/admin/categories", admin,
         "{\"slug\":\"terraria\",\"name\":\"Terraria\",\"description\":\"tModLoader worlds.\","
         "\"reason\":\"New game for the winter sale.\"}",
         NULL, &r);
    adm_expect(&r, 201, NULL);
    category_writes++;
    d = api_data(&r);
    category_id = api_int(d, "id");
    assert_string_equal(api_str(d, "slug"), "terraria");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "visible")));
    assert_int_equal(api_int(d, "version"), 1);
    assert_int_equal(api_int(d, "product_count"), 0);
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    assert_string_equal(etag, "\"1\"");
    api_resp_clear(&r);
    /* A slug already taken is the file's rule too. */
    call("POST", "/admin/categories", admin,
         "{\"slug\":\"terraria\",\"name\":\"Again\",\"reason\":\"twice\"}", NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_non_null(strstr(adm_field(&r, "slug"), "terraria"));
    api_resp_clear(&r);

    snprintf(body, sizeof body, "{\"category_id\":%lld," PRODUCT ",\"reason\":\"Launch.\"}",
             (long long)category_id);
    call("POST", "/admin/products", admin, body, NULL, &r);
    adm_expect(&r, 201, NULL);
    product_writes++;
    d = api_data(&r);
    product_id = api_int(d, "id");
    assert_int_equal(api_int(d, "category_id"), category_id);
    assert_string_equal(api_str(d, "category"), "terraria");
    assert_int_equal(api_int(d, "version"), 1);
    assert_int_equal(api_int(d, "services"), 0);
    assert_string_equal(api_str(d, "pricing_model"), "configurable");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "cycles")), 2);
    assert_int_equal(api_int(cJSON_GetObjectItem(d, "resources"), "memory_mb"), 2048);
    assert_int_equal(api_int(cJSON_GetObjectItem(d, "stock"), "available"), 5);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(d, "retired")));
    api_resp_clear(&r);

    /* The public catalog shows it, priced by the one pricing function. */
    assert_true(public_has_product());
    assert_int_equal(api_get(&server, "/billing/products/tr-custom", NULL, &r), 0);
    adm_expect(&r, 200, NULL);
    assert_int_equal(adm_money(api_data(&r), "from_price"), 100 + 200);
    api_resp_clear(&r);
    snprintf(path, sizeof path, "/billing/products?category=terraria");
    assert_int_equal(api_get(&server, path, NULL, &r), 0);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    api_resp_clear(&r);

    /* Operators find it, and its category counts it. */
    snprintf(path, sizeof path, "/admin/products?category_id=%lld&q=CUSTOM",
             (long long)category_id);
    call("GET", path, admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 1);
    assert_int_equal(api_int(cJSON_GetArrayItem(api_data(&r), 0), "id"), product_id);
    api_resp_clear(&r);
    call("GET", "/admin/categories", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    d = cJSON_GetArrayItem(api_data(&r), cJSON_GetArraySize(api_data(&r)) - 1);
    assert_int_equal(api_int(d, "id"), category_id); /* last in sort order */
    assert_int_equal(api_int(d, "product_count"), 1);
    api_resp_clear(&r);
    load_product(&r, etag);
    assert_string_equal(etag, "\"1\"");
    api_resp_clear(&r);
}

static void test_category_patch(void **state)
{
    struct api_resp r;
    char path[64], etag[32];

    snprintf(path, sizeof path, "/admin/categories/%lld", (long long)category_id);
    call("PATCH", path, admin, "{\"name\":\"Terraria worlds\",\"reason\":\"Clearer.\"}", NULL, &r);
    adm_expect(&r, 428, "precondition_required");
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "category"));
    api_resp_clear(&r);
    call("PATCH", path, admin, "{\"slug\":\"tr\",\"reason\":\"Shorter.\"}", "\"1\"", &r);
    adm_expect(&r, 422, "validation_failed");
    assert_true(adm_field(&r, "slug")[0] != '\0');
    api_resp_clear(&r);
    call("PATCH", path, admin, "{\"name\":\"Terraria worlds\",\"reason\":\"Clearer.\"}", "\"1\"",
         &r);
    adm_expect(&r, 200, NULL);
    category_writes++;
    assert_string_equal(api_str(api_data(&r), "name"), "Terraria worlds");
    assert_string_equal(api_str(api_data(&r), "slug"), "terraria");
    assert_int_equal(api_int(api_data(&r), "version"), 2);
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    assert_string_equal(etag, "\"2\"");
    api_resp_clear(&r);
    call("PATCH", path, admin, "{\"description\":\"x\",\"reason\":\"late\"}", "\"1\"", &r);
    adm_expect(&r, 412, "precondition_failed");
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    assert_string_equal(etag, "\"2\"");
    api_resp_clear(&r);
    call("PATCH", "/admin/categories/99999", admin, "{\"name\":\"x\",\"reason\":\"x\"}", "\"1\"",
         &r);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
}

static void test_two_operators_one_product(void **state)
{
    struct api_resp r;
    char etag[32], seen[32], current[32];
    cJSON *d;

    load_product(&r, seen);
    api_resp_clear(&r);
    patch_product(admin, "{\"name\":\"Custom Terraria\",\"reason\":\"no If-Match\"}", NULL, &r);
    adm_expect(&r, 428, "precondition_required");
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "product"));
    api_resp_clear(&r);

    /* Both operators loaded the same version; the first to write wins. */
    patch_product(admin,
                  "{\"cycles\":[{\"cycle\":\"monthly\",\"price\":150}],\"reason\":\"Raise.\"}",
                  seen, &r);
    adm_expect(&r, 200, NULL);
    product_writes++;
    d = api_data(&r);
    assert_int_equal(api_int(d, "version"), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "cycles")), 1); /* replaced */
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "options")), 1);
    assert_string_equal(api_str(d, "name"), "Custom Terraria");
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    assert_string_equal(etag, "\"2\"");
    api_resp_clear(&r);
    patch_product(key, "{\"name\":\"Terraria Custom\",\"reason\":\"Rename.\"}", seen, &r);
    adm_expect(&r, 412, "precondition_failed");
    assert_non_null(strstr(api_str(cJSON_GetObjectItem(r.json, "error"), "message"), "product"));
    assert_int_equal(api_header(&r, "ETag", current, sizeof current), 0);
    assert_string_equal(current, etag);
    api_resp_clear(&r);
    load_product(&r, etag);
    assert_string_equal(api_str(api_data(&r), "name"), "Custom Terraria");
    assert_int_equal(api_int(api_data(&r), "version"), 2);
    api_resp_clear(&r);

    /* The second operator reloads and retries, with a merge patch of one member. */
    patch_product(key, "{\"name\":\"Terraria Custom\",\"reason\":\"Rename.\"}", current, &r);
    adm_expect(&r, 200, NULL);
    product_writes++;
    d = api_data(&r);
    assert_string_equal(api_str(d, "name"), "Terraria Custom");
    assert_int_equal(api_int(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "cycles"), 0), "price"),
                     150);
    assert_int_equal(api_int(d, "version"), 3);
    api_resp_clear(&r);

    patch_product(admin, "{\"name\":\"x\",\"reason\":\"x\"}", "*", &r); /* any version */
    adm_expect(&r, 200, NULL);
    product_writes++;
    api_resp_clear(&r);
    patch_product(admin, "{\"name\":\"Terraria Custom\",\"reason\":\"Back.\"}", "\"4\"", &r);
    adm_expect(&r, 200, NULL);
    product_writes++;
    api_resp_clear(&r);
    call("PATCH", "/admin/products/99999", admin, "{\"name\":\"x\",\"reason\":\"x\"}", "\"1\"", &r);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
    call("GET", "/admin/products/x", admin, NULL, NULL, &r);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
}

static void test_invalid_product_changes_nothing(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"cycles\":[],\"reason\":\"Oops.\"}", "cycles"},
        {"{\"cycles\":[{\"cycle\":\"weekly\",\"price\":1}],\"reason\":\"Oops.\"}", "cycles"},
        {"{\"options\":[" OPTION_MEMORY(9216) "],\"reason\":\"Out of range.\"}", "options"},
        {"{\"options\":[" OPTION_MEMORY(1536) "],\"reason\":\"Off step.\"}", "options"},
        {"{\"options\":null,\"reason\":\"A configurable product needs one.\"}", "options"},
        {"{\"pricing_model\":\"free\",\"reason\":\"Oops.\"}", "pricing_model"},
        {"{\"slug\":\"mc-iron\",\"reason\":\"Taken.\"}", "slug"},
        {"{\"name\":\"\",\"reason\":\"Oops.\"}", "name"},
        {"{\"colour\":\"red\",\"reason\":\"Oops.\"}", "colour"},
        {"{\"category_id\":99999,\"reason\":\"Oops.\"}", "category_id"},
        {"{\"name\":\"No reason\"}", "reason"},
        {"{\"name\":\"Empty reason\",\"reason\":\"\"}", "reason"},
        {"{\"reason\":\"Nothing to change.\"}", "product"},
    };
    struct api_resp r;
    char etag[32], after[32];
    char *before;

    load_product(&r, etag);
    before = cJSON_PrintUnformatted(api_data(&r));
    api_resp_clear(&r);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        patch_product(admin, bad[i].body, etag, &r);
        adm_expect(&r, 422, "validation_failed");
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
    load_product(&r, after);
    assert_string_equal(after, etag);
    {
        char *now = cJSON_PrintUnformatted(api_data(&r));
        assert_string_equal(now, before);
        free(now);
    }
    api_resp_clear(&r);
    free(before);

    /* A new product is held to the same rules. */
    call("POST", "/admin/products", admin,
         "{\"category_id\":1,\"slug\":\"bad\",\"name\":\"Bad\",\"pricing_model\":\"fixed\","
         "\"cycles\":[],\"reason\":\"Oops.\"}",
         NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_true(adm_field(&r, "cycles")[0] != '\0');
    api_resp_clear(&r);
    call("POST", "/admin/products", admin,
         "{\"slug\":\"bad\",\"name\":\"Bad\",\"pricing_model\":\"fixed\","
         "\"cycles\":[{\"cycle\":\"monthly\",\"price\":1}],\"reason\":\"No category.\"}",
         NULL, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_string_equal(adm_field(&r, "category_id"), "is required");
    api_resp_clear(&r);
    assert_int_equal(api_get(&server, "/billing/products/bad", NULL, &r), 0);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
}

static void stock_change(const char *body, long status, const char *field, struct api_resp *r)
{
    char path[96];

    product_path(path, sizeof path, "/stock");
    call("POST", path, admin, body, NULL, r);
    adm_expect(r, status, status == 200 ? NULL : "validation_failed");
    if (field)
        assert_true(adm_field(r, field)[0] != '\0');
    if (status == 200)
        product_writes++;
}

static void test_stock(void **state)
{
    struct api_resp r;
    char etag[32];
    int64_t version;
    cJSON *stock;

    load_product(&r, etag);
    version = api_int(api_data(&r), "version");
    api_resp_clear(&r);
    stock_change("{\"set\":10,\"reason\":\"New node.\"}", 200, NULL, &r);
    stock = cJSON_GetObjectItem(api_data(&r), "stock");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(stock, "limited")));
    assert_int_equal(api_int(stock, "available"), 10);
    assert_int_equal(api_int(api_data(&r), "version"), version + 1);
    api_resp_clear(&r);
    stock_change("{\"adjust\":-3,\"reason\":\"Three servers moved.\"}", 200, NULL, &r);
    assert_int_equal(api_int(cJSON_GetObjectItem(api_data(&r), "stock"), "available"), 7);
    api_resp_clear(&r);
    stock_change("{\"adjust\":-8,\"reason\":\"Too many.\"}", 422, "adjust", &r);
    api_resp_clear(&r);
    stock_change("{\"set\":-1,\"reason\":\"Negative.\"}", 422, "set", &r);
    api_resp_clear(&r);
    stock_change("{\"adjust\":2}", 422, "reason", &r);
    api_resp_clear(&r);
    stock_change("{\"set\":1,\"adjust\":1,\"reason\":\"Both.\"}", 422, NULL, &r);
    api_resp_clear(&r);
    stock_change("{\"reason\":\"Neither.\"}", 422, "set", &r);
    api_resp_clear(&r);
    stock_change("{\"unlimited\":false,\"reason\":\"No.\"}", 422, "unlimited", &r);
    api_resp_clear(&r);
    load_product(&r, etag);
    assert_int_equal(api_int(cJSON_GetObjectItem(api_data(&r), "stock"), "available"), 7);
    assert_int_equal(api_int(api_data(&r), "version"), version + 2);
    api_resp_clear(&r);
    stock_change("{\"unlimited\":true,\"reason\":\"Cloud capacity.\"}", 200, NULL, &r);
    stock = cJSON_GetObjectItem(api_data(&r), "stock");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(stock, "limited")));
    api_resp_clear(&r);
    stock_change("{\"adjust\":1,\"reason\":\"Unlimited.\"}", 422, "adjust", &r);
    api_resp_clear(&r);

    /* The audit entry holds the stock before and after. */
    {
        char path[128];
        cJSON *e, *details;

        snprintf(path, sizeof path,
                 "/admin/audit-log?target_type=product&target_id=%lld&per_page=1",
                 (long long)product_id);
        call("GET", path, admin, NULL, NULL, &r);
        adm_expect(&r, 200, NULL);
        e = cJSON_GetArrayItem(api_data(&r), 0);
        assert_string_equal(api_str(e, "action"), "product.stock");
        assert_string_equal(api_str(e, "reason"), "Cloud capacity.");
        details = cJSON_GetObjectItem(e, "details");
        assert_int_equal(api_int(cJSON_GetObjectItem(details, "before"), "available"), 7);
        assert_false(
            cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(details, "after"), "limited")));
        api_resp_clear(&r);
    }
}

static void test_hide_and_retire(void **state)
{
    struct api_resp r;
    char etag[32], path[64];

    assert_true(public_has_product());
    load_product(&r, etag);
    api_resp_clear(&r);
    patch_product(admin, "{\"visible\":false,\"reason\":\"Not yet.\"}", etag, &r);
    adm_expect(&r, 200, NULL);
    product_writes++;
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    api_resp_clear(&r);
    assert_false(public_has_product());
    patch_product(admin, "{\"visible\":true,\"reason\":\"Now.\"}", etag, &r);
    adm_expect(&r, 200, NULL);
    product_writes++;
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    api_resp_clear(&r);
    assert_true(public_has_product());

    /* A hidden category hides its products. */
    snprintf(path, sizeof path, "/admin/categories/%lld", (long long)category_id);
    call("PATCH", path, admin, "{\"visible\":false,\"reason\":\"Pause.\"}", "\"2\"", &r);
    adm_expect(&r, 200, NULL);
    category_writes++;
    api_resp_clear(&r);
    assert_false(public_has_product());
    call("PATCH", path, admin, "{\"visible\":true,\"reason\":\"Resume.\"}", "\"3\"", &r);
    adm_expect(&r, 200, NULL);
    category_writes++;
    api_resp_clear(&r);
    assert_true(public_has_product());

    /* Retired is for good: hidden, still there for operators, never back. */
    patch_product(admin, "{\"retired\":true,\"reason\":\"End of line.\"}", etag, &r);
    adm_expect(&r, 200, NULL);
    product_writes++;
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "retired")));
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    api_resp_clear(&r);
    assert_false(public_has_product());
    patch_product(admin, "{\"retired\":false,\"visible\":true,\"reason\":\"Undo.\"}", etag, &r);
    adm_expect(&r, 422, "validation_failed");
    assert_true(adm_field(&r, "retired")[0] != '\0');
    api_resp_clear(&r);
    patch_product(admin, "{\"visible\":true,\"reason\":\"Show it.\"}", etag, &r);
    adm_expect(&r, 200, NULL);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "visible")));
    api_resp_clear(&r);
    assert_false(public_has_product());
    load_product(&r, etag);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "retired")));
    api_resp_clear(&r);
}

/* Every write left one audit row, with the operator, its reason, and the record before and
 * after; refused writes left none. */
static void audit_check(const char *type, int64_t id, int writes)
{
    struct api_resp r;
    char path[128];
    const cJSON *e;
    bool by_key = false;

    snprintf(path, sizeof path, "/admin/audit-log?target_type=%s&target_id=%lld&per_page=100", type,
             (long long)id);
    call("GET", path, admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), writes);
    cJSON_ArrayForEach(e, api_data(&r))
    {
        const cJSON *details = cJSON_GetObjectItem(e, "details");
        const cJSON *actor = cJSON_GetObjectItem(e, "actor");
        const char *action = api_str(e, "action");

        assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "reason")));
        assert_non_null(cJSON_GetObjectItem(details, "before"));
        assert_true(cJSON_IsObject(cJSON_GetObjectItem(details, "after")));
        assert_int_equal(strncmp(action, type, strlen(type)), 0);
        if (strstr(action, ".create"))
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(details, "before")));
        else
            assert_true(cJSON_IsObject(cJSON_GetObjectItem(details, "before")));
        if (strcmp(api_str(actor, "type"), "api_key") == 0) {
            by_key = true;
            assert_int_equal(api_int(actor, "id"), key_id);
        } else {
            assert_string_equal(api_str(actor, "type"), "user");
        }
    }
    assert_true(by_key == (strcmp(type, "product") == 0));
    api_resp_clear(&r);
}

static void test_every_write_audited(void **state)
{
    struct api_resp r;
    cJSON *e, *details;
    char path[128];

    audit_check("product", product_id, product_writes);
    audit_check("category", category_id, category_writes);
    /* The rename by the second operator: before and after in full. */
    snprintf(path, sizeof path, "/admin/audit-log?target_type=product&target_id=%lld&per_page=100",
             (long long)product_id);
    call("GET", path, admin, NULL, NULL, &r);
    cJSON_ArrayForEach(e, api_data(&r))
    {
        if (strcmp(api_str(e, "reason"), "Rename.") != 0)
            continue;
        details = cJSON_GetObjectItem(e, "details");
        assert_string_equal(api_str(cJSON_GetObjectItem(details, "before"), "name"),
                            "Custom Terraria");
        assert_string_equal(api_str(cJSON_GetObjectItem(details, "after"), "name"),
                            "Terraria Custom");
        assert_string_equal(api_str(e, "action"), "product.update");
    }
    api_resp_clear(&r);
}

static void test_operators_only(void **state)
{
    static const struct {
        const char *method, *path, *body;
    } calls[] = {
        {"GET", "/admin/categories", NULL},
        {"POST", "/admin/categories", "{\"slug\":\"x\",\"name\":\"x\",\"reason\":\"x\"}"},
        {"PATCH", "/admin/categories/1", "{\"name\":\"x\",\"reason\":\"x\"}"},
        {"GET", "/admin/products", NULL},
        {"POST", "/admin/products", "{\"category_id\":1,\"reason\":\"x\"}"},
        {"GET", "/admin/products/1", NULL},
        {"PATCH", "/admin/products/1", "{\"name\":\"x\",\"reason\":\"x\"}"},
        {"POST", "/admin/products/1/stock", "{\"set\":1,\"reason\":\"x\"}"},
        {"POST", "/admin/products/1/apply-prices", "{\"reason\":\"x\"}"},
    };
    struct api_resp r;

    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        call(calls[i].method, calls[i].path, demo, calls[i].body, "\"1\"", &r);
        adm_expect(&r, 403, "forbidden");
        api_resp_clear(&r);
        call(calls[i].method, calls[i].path, NULL, calls[i].body, "\"1\"", &r);
        assert_int_equal(r.status, 401);
        api_resp_clear(&r);
    }
    call("GET", "/admin/products/1", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "slug"), "mc-dirt"); /* nothing changed by them */
    api_resp_clear(&r);
}

static int setup(void **state)
{
    char refresh[128];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0 ||
        api_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo, refresh) ||
        api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh))
        return -1;
    /* The second operator signs in with an API key. */
    key_id = adm_key(&server, admin, "[\"admin\"]", key);
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
        cmocka_unit_test(test_create_category_and_product),
        cmocka_unit_test(test_category_patch),
        cmocka_unit_test(test_two_operators_one_product),
        cmocka_unit_test(test_invalid_product_changes_nothing),
        cmocka_unit_test(test_stock),
        cmocka_unit_test(test_hide_and_retire),
        cmocka_unit_test(test_every_write_audited),
        cmocka_unit_test(test_operators_only),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
