/* inproc_price_lock.c: a price change as the shop lives it, over HTTP: an operator makes a
 * configurable product and customers buy it; the operator raises its price and withdraws a
 * cycle; services already sold renew at the price they were sold at, a new order pays the new
 * one, a cart filled before the change meets price_changed; apply-prices moves the services
 * onto the new price from their next renewal not yet issued, and they go on renewing once the
 * product is retired; the audit log holds every step with its reason. */
#include "inproc_lifecycle.h"

#include "billing/ledger.h"

#define DEMO_USER 1

static struct lc t;
static char admin[128], demo[128], other[128];
static int64_t other_id, category;

static int setup(void **state)
{
    sqlite3 *conn;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    lc_start(&t, lc_noon(2025, 6, 1));
    other_id = lc_customer(&t, "other@example.com", "other-password");
    lc_login(&t, "admin@example.com", "admin", admin);
    lc_login(&t, "demo@example.com", "demo", demo);
    lc_login(&t, "other@example.com", "other-password", other);
    conn = lc_db(&t);
    assert_int_equal(db_begin(conn), 0);
    for (int64_t *u = (int64_t[]){DEMO_USER, other_id, 0}; *u; u++)
        assert_int_equal(ledger_post(conn, *u, "adjustment", 100000, "Test funds", 0, 0,
                                     lc_noon(2025, 6, 1), NULL),
                         API_OK);
    assert_int_equal(db_commit(conn), 0);
    lc_db_done(&t);
    return 0;
}

static int teardown(void **state)
{
    lc_stop(&t);
    curl_global_cleanup();
    return 0;
}

/* A JSON call with an optional If-Match and Idempotency-Key. */
static void call(const char *method, const char *path, const char *token, const char *if_match,
                 const char *idem, const char *body, struct lc_resp *r)
{
    char match[96], key[96];
    const char *headers[4] = {"Content-Type: application/json", NULL, NULL, NULL};
    size_t n = 1;

    if (if_match) {
        snprintf(match, sizeof match, "If-Match: %s", if_match);
        headers[n++] = match;
    }
    if (idem) {
        snprintf(key, sizeof key, "Idempotency-Key: %s", idem);
        headers[n++] = key;
    }
    lc_call(&t, method, path, token, body ? headers : headers + 1, body, r);
}

static void expect(const struct lc_resp *r, long status, const char *code)
{
    if (r->status != status)
        fail_msg("answered %ld, expected %ld: %s", r->status, status, r->body ? r->body : "");
    if (code)
        assert_string_equal(lc_error(r), code);
}

static int64_t money(const cJSON *obj, const char *name)
{
    return lc_num(cJSON_GetObjectItemCaseSensitive(obj, name), "amount");
}

/* The operator's category and configurable product: 500 a month plus 200 a GB of memory a
 * month (1 to 8 GB, 2 by default), or 1400 a quarter plus the same per month. Returns its id
 * and its ETag in etag. */
static int64_t make_product(char *etag, size_t size)
{
    char body[1024];
    int64_t product;
    struct lc_resp r;

    call("POST", "/admin/categories", admin, NULL, NULL,
         "{\"slug\":\"terraria\",\"name\":\"Terraria\",\"description\":\"Worlds to dig.\","
         "\"reason\":\"Terraria servers from June.\"}",
         &r);
    expect(&r, 201, NULL);
    category = lc_num(lc_data(&r), "id");
    lc_resp_clear(&r);
    snprintf(body, sizeof body,
             "{\"category_id\":%lld,\"slug\":\"tr-custom\",\"name\":\"Terraria Custom\","
             "\"pricing_model\":\"configurable\",\"resources\":{\"memory_mb\":2048},"
             "\"options\":[{\"resource\":\"memory_mb\",\"label\":\"Memory\",\"unit\":\"GB\","
             "\"unit_size\":1024,\"min\":1024,\"max\":8192,\"step\":1024,\"default\":2048,"
             "\"unit_price\":200}],"
             "\"cycles\":[{\"cycle\":\"monthly\",\"price\":500},"
             "{\"cycle\":\"quarterly\",\"price\":1400}],"
             "\"reason\":\"A configurable Terraria server.\"}",
             (long long)category);
    call("POST", "/admin/products", admin, NULL, NULL, body, &r);
    expect(&r, 201, NULL);
    product = lc_num(lc_data(&r), "id");
    assert_int_equal(lc_header(&r, "ETag", etag, size), 0);
    lc_resp_clear(&r);
    return product;
}

/* The new prices: 700 a month plus 300 a GB; the quarterly cycle withdrawn. etag becomes the
 * product's new ETag. */
static void change_price(int64_t product, char *etag, size_t size)
{
    char path[64];
    struct lc_resp r;

    snprintf(path, sizeof path, "/admin/products/%lld", (long long)product);
    call("PATCH", path, admin, NULL, NULL, "{\"cycles\":[],\"reason\":\"Forgot If-Match.\"}", &r);
    expect(&r, 428, "precondition_required");
    lc_resp_clear(&r);
    call("PATCH", path, admin, etag, NULL,
         "{\"options\":[{\"resource\":\"memory_mb\",\"label\":\"Memory\",\"unit\":\"GB\","
         "\"unit_size\":1024,\"min\":1024,\"max\":8192,\"step\":1024,\"default\":2048,"
         "\"unit_price\":300}],\"cycles\":[{\"cycle\":\"monthly\",\"price\":700}],"
         "\"reason\":\"New prices from July; quarterly plans end.\"}",
         &r);
    expect(&r, 200, NULL);
    assert_int_equal(lc_header(&r, "ETag", etag, size), 0);
    lc_resp_clear(&r);
}

/* Retired: hidden for good, while its services go on renewing. */
static void retire(int64_t product, const char *etag)
{
    char path[64];
    struct lc_resp r;

    snprintf(path, sizeof path, "/admin/products/%lld", (long long)product);
    call("PATCH", path, admin, etag, NULL,
         "{\"retired\":true,\"reason\":\"Terraria Custom is no longer sold.\"}", &r);
    expect(&r, 200, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(lc_data(&r), "retired")));
    lc_resp_clear(&r);
}

static void cart_add(const char *token, int64_t product, const char *cycle, int64_t memory)
{
    char body[160];
    struct lc_resp r;

    snprintf(body, sizeof body,
             "{\"product_id\":%lld,\"cycle\":\"%s\",\"options\":{\"memory_mb\":%lld}}",
             (long long)product, cycle, (long long)memory);
    call("POST", "/billing/cart/items", token, NULL, NULL, body, &r);
    expect(&r, 201, NULL);
    lc_resp_clear(&r);
}

/* The cart's total and ETag, as the customer sees them before paying. */
static int64_t cart_total(const char *token, char *etag, size_t size)
{
    struct lc_resp r;
    int64_t total;

    lc_call(&t, "GET", "/billing/cart", token, NULL, NULL, &r);
    expect(&r, 200, NULL);
    assert_int_equal(lc_header(&r, "ETag", etag, size), 0);
    total = money(cJSON_GetObjectItem(lc_data(&r), "totals"), "total");
    lc_resp_clear(&r);
    return total;
}

/* Checks out with credits at `total`; the answer in r. */
static void checkout(const char *token, const char *etag, int64_t total, const char *key,
                     struct lc_resp *r)
{
    char body[160];

    snprintf(body, sizeof body,
             "{\"payment_method\":\"credits\",\"use_credits\":true,"
             "\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
             (long long)total);
    call("POST", "/billing/checkout", token, etag, key, body, r);
}

static int64_t service_price(int64_t svc, const char *token)
{
    char path[64];
    struct lc_resp r;
    int64_t amount;

    snprintf(path, sizeof path, "/billing/services/%lld", (long long)svc);
    lc_call(&t, "GET", path, token, NULL, NULL, &r);
    expect(&r, 200, NULL);
    amount = money(lc_data(&r), "recurring_price");
    lc_resp_clear(&r);
    return amount;
}

/* The renewal invoice of the period starting `start`, and its subtotal and total. */
static int64_t renewal(int64_t svc, const char *start, int64_t subtotal, int64_t total)
{
    int64_t inv = lc_renewal(&t, svc, start);
    char path[64];
    struct lc_resp r;
    cJSON *totals;

    assert_true(inv > 0);
    snprintf(path, sizeof path, "/billing/invoices/%lld", (long long)inv);
    lc_call(&t, "GET", path, demo, NULL, NULL, &r);
    expect(&r, 200, NULL);
    totals = cJSON_GetObjectItem(lc_data(&r), "totals");
    assert_int_equal(money(totals, "subtotal"), subtotal);
    assert_int_equal(money(totals, "total"), total);
    lc_resp_clear(&r);
    return inv;
}

/* The audit entries of one record, oldest first, must be exactly these actions and reasons. */
static void audited(const char *type, int64_t id, const char *const *actions,
                    const char *const *reasons, size_t n, cJSON **last_details)
{
    char path[128];
    struct lc_resp r;
    cJSON *items;

    snprintf(path, sizeof path, "/admin/audit-log?target_type=%s&target_id=%lld", type,
             (long long)id);
    lc_call(&t, "GET", path, admin, NULL, NULL, &r);
    expect(&r, 200, NULL);
    items = lc_data(&r);
    if (cJSON_GetArraySize(items) != (int)n)
        fail_msg("%s %lld: %s", type, (long long)id, r.body);
    for (size_t i = 0; i < n; i++) {
        cJSON *e = cJSON_GetArrayItem(items, (int)(n - 1 - i)); /* newest first */

        assert_string_equal(lc_str(e, "action"), actions[i]);
        assert_string_equal(lc_str(e, "reason"), reasons[i]);
        assert_string_equal(lc_str(cJSON_GetObjectItem(e, "actor"), "type"), "user");
    }
    if (last_details)
        *last_details =
            cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetArrayItem(items, 0), "details"), true);
    lc_resp_clear(&r);
}

static void test_old_services_keep_their_price_until_applied(void **state)
{
    char etag[32], cart_etag[32], path[96];
    int64_t product, kept, withdrawn, fresh, july, old_total, new_total;
    struct lc_resp r;
    cJSON *services, *data, *changed, *skipped, *details = NULL;

    /* The operator opens the product; a customer buys it monthly at 4 GB and quarterly at the
     * default 2 GB: 500 + 4 * 200 = 1300 and 1400 + 2 * 200 * 3 = 2600, VAT 20 % on top. */
    product = make_product(etag, sizeof etag);
    cart_add(demo, product, "monthly", 4096);
    cart_add(demo, product, "quarterly", 2048);
    old_total = cart_total(demo, cart_etag, sizeof cart_etag);
    assert_int_equal(old_total, (1300 + 2600) * 12 / 10);
    checkout(demo, cart_etag, old_total, "buy-tr-custom", &r);
    expect(&r, 201, NULL);
    services = cJSON_GetObjectItem(lc_data(&r), "services");
    assert_int_equal(cJSON_GetArraySize(services), 2);
    kept = lc_num(cJSON_GetArrayItem(services, 0), "id");
    withdrawn = lc_num(cJSON_GetArrayItem(services, 1), "id");
    lc_resp_clear(&r);
    assert_int_equal(service_price(kept, demo), 1300);
    assert_int_equal(service_price(withdrawn, demo), 2600);

    /* Another customer fills a cart at today's price and leaves it. */
    billingd_set_clock(t.d, lc_noon(2025, 6, 5));
    cart_add(other, product, "monthly", 4096);
    old_total = cart_total(other, cart_etag, sizeof cart_etag);
    assert_int_equal(old_total, 1300 * 12 / 10);

    /* The operator raises the price and withdraws the quarterly cycle: 700 + 4 * 300 = 1900. */
    billingd_set_clock(t.d, lc_noon(2025, 6, 10));
    change_price(product, etag, sizeof etag);

    /* The service sold at 1300 renews at 1300 and still shows it. */
    lc_run(&t, lc_noon(2025, 6, 24));
    july = renewal(kept, "2025-07-01", 1300, 1560);
    assert_int_equal(service_price(kept, demo), 1300);

    /* The cart from before the change is refused at its old total, then bought at the new. */
    checkout(other, cart_etag, old_total, "other-old-total", &r);
    expect(&r, 409, "price_changed");
    new_total = 1900 * 12 / 10;
    assert_string_equal(lc_detail(&r, "total"), "2280");
    lc_resp_clear(&r);
    assert_int_equal(cart_total(other, cart_etag, sizeof cart_etag), new_total);
    checkout(other, cart_etag, new_total, "other-new-total", &r);
    expect(&r, 201, NULL);
    assert_int_equal(
        money(cJSON_GetObjectItem(cJSON_GetObjectItem(lc_data(&r), "invoice"), "totals"), "total"),
        new_total);
    fresh = lc_num(cJSON_GetArrayItem(cJSON_GetObjectItem(lc_data(&r), "services"), 0), "id");
    lc_resp_clear(&r);
    assert_int_equal(service_price(fresh, other), 1900);

    /* apply-prices: operators only, with a reason, on a product that exists. */
    snprintf(path, sizeof path, "/admin/products/%lld/apply-prices", (long long)product);
    call("POST", path, demo, NULL, NULL, "{\"reason\":\"Not mine to give.\"}", &r);
    expect(&r, 403, "forbidden");
    lc_resp_clear(&r);
    call("POST", path, admin, NULL, NULL, "{\"reason\":\"\"}", &r);
    expect(&r, 422, "validation_failed");
    assert_string_equal(lc_detail(&r, "reason"), "is required");
    lc_resp_clear(&r);
    call("POST", "/admin/products/999999/apply-prices", admin, NULL, NULL,
         "{\"reason\":\"No such product.\"}", &r);
    expect(&r, 404, "not_found");
    lc_resp_clear(&r);
    assert_int_equal(service_price(kept, demo), 1300);

    /* Applied: the 4 GB monthly moves to 1900, the new order is already there, the quarterly
     * one cannot be priced and keeps its 2600. July's invoice, already issued, is untouched. */
    call("POST", path, admin, NULL, NULL,
         "{\"reason\":\"July prices for existing customers, announced on 10 June.\"}", &r);
    expect(&r, 200, NULL);
    data = lc_data(&r);
    changed = cJSON_GetObjectItem(data, "changed");
    skipped = cJSON_GetObjectItem(data, "skipped");
    assert_int_equal(cJSON_GetArraySize(changed), 1);
    assert_int_equal(lc_num(cJSON_GetArrayItem(changed, 0), "service_id"), kept);
    assert_int_equal(money(cJSON_GetArrayItem(changed, 0), "before"), 1300);
    assert_int_equal(money(cJSON_GetArrayItem(changed, 0), "after"), 1900);
    assert_int_equal(lc_num(data, "unchanged"), 1);
    assert_int_equal(cJSON_GetArraySize(skipped), 1);
    assert_int_equal(lc_num(cJSON_GetArrayItem(skipped, 0), "service_id"), withdrawn);
    assert_string_equal(lc_str(cJSON_GetArrayItem(skipped, 0), "why"),
                        "the product no longer offers the cycle quarterly");
    lc_resp_clear(&r);
    /* Again: nothing left to change, and nothing more in the audit log. */
    call("POST", path, admin, NULL, NULL, "{\"reason\":\"Making sure.\"}", &r);
    expect(&r, 200, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(lc_data(&r), "changed")), 0);
    assert_int_equal(lc_num(lc_data(&r), "unchanged"), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(lc_data(&r), "skipped")), 1);
    lc_resp_clear(&r);
    assert_int_equal(service_price(kept, demo), 1900);
    assert_int_equal(service_price(withdrawn, demo), 2600);
    assert_int_equal(lc_int(&t, "SELECT subtotal FROM invoices WHERE id = ?1", july), 1300);

    /* July is paid at 1300; August is the first renewal at 1900. Once the product is retired,
     * both go on renewing, the quarterly one at 2600 with its cycle gone from the catalog. */
    lc_pay(&t, july, lc_noon(2025, 6, 25));
    lc_run(&t, lc_noon(2025, 7, 25));
    lc_pay(&t, renewal(kept, "2025-08-01", 1900, 2280), lc_noon(2025, 7, 25));
    retire(product, etag);
    lc_run(&t, lc_noon(2025, 8, 25));
    renewal(kept, "2025-09-01", 1900, 2280);
    renewal(withdrawn, "2025-09-01", 2600, 3120);

    /* Every step is in the audit log with its reason. */
    audited("category", category, (const char *const[]){"category.create"},
            (const char *const[]){"Terraria servers from June."}, 1, NULL);
    audited("product", product,
            (const char *const[]){"product.create", "product.update", "product.update"},
            (const char *const[]){"A configurable Terraria server.",
                                  "New prices from July; quarterly plans end.",
                                  "Terraria Custom is no longer sold."},
            3, NULL);
    audited("service", kept, (const char *const[]){"service.apply_price"},
            (const char *const[]){"July prices for existing customers, announced on 10 June."}, 1,
            &details);
    assert_int_equal(lc_num(details, "before"), 1300);
    assert_int_equal(lc_num(details, "after"), 1900);
    assert_int_equal(lc_num(details, "product_id"), product);
    cJSON_Delete(details);
    /* Nothing was applied to the services skipped or already at the new price. */
    assert_int_equal(lc_int(&t,
                            "SELECT count(*) FROM audit_log WHERE action = 'service.apply_price'"
                            " AND target_id <> ?1",
                            kept),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_old_services_keep_their_price_until_applied),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
