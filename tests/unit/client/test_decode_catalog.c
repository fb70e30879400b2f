/* test_decode_catalog.c: the operator catalog's decoders (categories, products, a product with
 * its ETag, apply-prices) fed JSON fixtures, the from-price, and the requests that refuse bad
 * arguments before anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "client/types_catalog.h"
#include "fixtures.h"

static void test_categories(void **state)
{
    struct catalog_category_list *l = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_catalog_categories.json", &len);

    (void)state;
    assert_int_equal(decode_catalog_categories(body, len, &l, &e), 0);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->items[0].id, 1);
    assert_string_equal(l->items[0].slug, "minecraft");
    assert_true(l->items[0].visible);
    assert_int_equal(l->items[0].product_count, 4);
    assert_int_equal(l->items[0].version, 3);
    assert_string_equal(l->items[0].etag, "\"3\"");
    assert_string_equal(l->items[1].description, ""); /* null */
    assert_false(l->items[1].visible);
    assert_int_equal(l->items[1].sort_order, 1);
    catalog_category_list_free(&l);
    assert_null(l);
    free(body);

    EXPECT_FAIL(decode_catalog_categories, struct catalog_category_list, catalog_category_list_free,
                "admin_catalog_product.json", CLIENT_ERR_JSON, "expected an array");
    EXPECT_FAIL(decode_catalog_categories, struct catalog_category_list, catalog_category_list_free,
                "error_forbidden.json", CLIENT_ERR_API, "operator account");
}

static void test_product(void **state)
{
    struct catalog_product *p = NULL;
    struct client_error e;
    int64_t from = 0;
    enum billing_cycle cy = CYCLE_COUNT;
    size_t len;
    char *body = fixture_load("admin_catalog_product.json", &len);

    (void)state;
    assert_int_equal(decode_catalog_product(body, len, &p, &e), 0);
    assert_int_equal(p->id, 3);
    assert_int_equal(p->category_id, 1);
    assert_string_equal(p->category, "minecraft");
    assert_string_equal(p->slug, "mc-iron");
    assert_string_equal(p->description, "Runs Paper.\n\nTwo databases.");
    assert_int_equal(p->pricing_model, PRICING_FIXED);
    assert_int_equal(p->resources.memory_mb, 4096);
    assert_int_equal(p->resources.allocations, 1);
    assert_int_equal(p->n_options, 0);
    assert_int_equal(p->n_cycles, 2);
    assert_int_equal(p->cycles[1].cycle, CYCLE_ANNUAL);
    assert_int_equal(p->cycles[1].price, 8990);
    assert_int_equal(p->cycles[1].setup_fee, 500);
    assert_true(p->stock.limited);
    assert_int_equal(p->stock.available, 0);
    assert_true(p->visible);
    assert_false(p->retired);
    assert_int_equal(p->sort_order, 2);
    assert_int_equal(p->version, 7);
    assert_int_equal(p->services, 5);
    assert_string_equal(p->etag, "\"7\""); /* the version, until a response's header says else */
    assert_true(catalog_product_from_price(p, &from, &cy));
    assert_int_equal(from, 899);
    assert_int_equal(cy, CYCLE_MONTHLY);
    assert_ptr_equal(catalog_product_cycle(p, CYCLE_ANNUAL), &p->cycles[1]);
    assert_null(catalog_product_cycle(p, CYCLE_BIENNIAL));
    catalog_product_free(&p);
    assert_null(p);
    free(body);

    EXPECT_FAIL(decode_catalog_product, struct catalog_product, catalog_product_free,
                "admin_catalog_product_unknown_cycle.json", CLIENT_ERR_JSON,
                "data.cycles[1].cycle: unknown billing cycle");
    EXPECT_FAIL(decode_catalog_product, struct catalog_product, catalog_product_free,
                "admin_catalog_product_no_cycles.json", CLIENT_ERR_JSON, "data.cycles");
    EXPECT_FAIL(decode_catalog_product, struct catalog_product, catalog_product_free,
                "admin_catalog_product_negative_price.json", CLIENT_ERR_JSON,
                "data.cycles[0].price");
    EXPECT_FAIL(decode_catalog_product, struct catalog_product, catalog_product_free,
                "admin_catalog_product_zero_step.json", CLIENT_ERR_JSON, "data.options[0].step");
    EXPECT_FAIL(decode_catalog_product, struct catalog_product, catalog_product_free,
                "error_product_changed.json", CLIENT_ERR_API, "changed since");
    EXPECT_FAIL(decode_catalog_product, struct catalog_product, catalog_product_free,
                "malformed.json", CLIENT_ERR_JSON, "");
}

static void test_products_page(void **state)
{
    struct catalog_product_page *pg = NULL;
    struct client_error e;
    int64_t from = 0;
    enum billing_cycle cy = CYCLE_COUNT;
    size_t len;
    char *body = fixture_load("admin_catalog_products_page.json", &len);

    (void)state;
    assert_int_equal(decode_catalog_products(body, len, &pg, &e), 0);
    assert_int_equal(pg->n, 2);
    assert_int_equal(pg->meta.total, 2);
    assert_int_equal(pg->meta.per_page, 20);
    const struct catalog_product *custom = &pg->items[0], *old = &pg->items[1];
    assert_int_equal(custom->pricing_model, PRICING_PER_GB_MEMORY);
    assert_int_equal(custom->n_options, 1);
    assert_string_equal(custom->options[0].label, "Memory");
    assert_int_equal(custom->options[0].def, 4096);
    assert_int_equal(custom->options[0].unit_price, 200);
    assert_false(custom->stock.limited);
    assert_false(custom->visible);
    /* monthly 300 + 2 GB * 200 = 700; quarterly 900 + 2 * 200 * 3 = 2100 */
    assert_true(catalog_product_from_price(custom, &from, &cy));
    assert_int_equal(from, 700);
    assert_int_equal(cy, CYCLE_MONTHLY);
    assert_int_equal(custom->cycles[1].setup_fee, 100);
    /* absent members take their defaults */
    assert_true(old->retired);
    assert_string_equal(old->short_description, "");
    assert_false(old->stock.limited);
    assert_int_equal(old->services, 0);
    assert_int_equal(old->cycles[0].cycle, CYCLE_ONE_TIME);
    assert_int_equal(old->cycles[0].setup_fee, 0);
    catalog_product_page_free(&pg);
    assert_null(pg);
    free(body);

    EXPECT_FAIL(decode_catalog_products, struct catalog_product_page, catalog_product_page_free,
                "admin_catalog_categories.json", CLIENT_ERR_JSON, "data[0]");
}

static void test_apply_prices(void **state)
{
    struct apply_prices_result *r = NULL;
    struct client_error e;
    size_t len;
    char *body = fixture_load("admin_catalog_apply_prices.json", &len);

    (void)state;
    assert_int_equal(decode_apply_prices(body, len, &r, &e), 0);
    assert_int_equal(r->n_changed, 2);
    assert_int_equal(r->changed[0].service_id, 11);
    assert_int_equal(r->changed[0].before, 899); /* money objects: their amounts */
    assert_int_equal(r->changed[1].after, 9990);
    assert_int_equal(r->unchanged, 3);
    assert_int_equal(r->n_skipped, 1);
    assert_int_equal(r->skipped[0].service_id, 14);
    assert_string_equal(r->skipped[0].why, "the product no longer offers the cycle quarterly");
    apply_prices_result_free(&r);
    assert_null(r);
    free(body);
}

/* Bad arguments never reach the server: 0 and no callback. */
static void test_requests_refused_locally(void **state)
{
    struct client_error e;
    struct client_config cfg = {.base_url = "http://127.0.0.1:9"};
    struct client *c = client_new(&cfg, &e);
    struct catalog_cycle cycles[] = {{CYCLE_MONTHLY, 999, 0}};
    struct catalog_product_patch name = {.name = "Iron+", .visible = -1, .retired = -1};
    struct catalog_product_patch none = {.visible = -1, .retired = -1};
    struct catalog_product_patch price = {
        .visible = -1, .retired = -1, .cycles = cycles, .n_cycles = 1};
    struct catalog_product_patch no_cycles = {.visible = -1, .retired = -1, .cycles = cycles};
    struct catalog_category_patch hide = {.visible = 0};
    struct catalog_stock_change add = {STOCK_ADJUST, 10}, zero = {STOCK_ADJUST, 0};
    struct catalog_stock_change below = {STOCK_SET, -1}, unlimited = {STOCK_UNLIMITED, 0};

    (void)state;
    assert_non_null(c);
    /* every write needs a reason */
    assert_int_equal(client_catalog_patch_product(c, 3, "\"7\"", &name, "", NULL, NULL), 0);
    assert_int_equal(client_catalog_set_stock(c, 3, &add, NULL, NULL, NULL), 0);
    assert_int_equal(client_catalog_apply_prices(c, 3, "", NULL, NULL), 0);
    assert_int_equal(client_catalog_patch_category(c, 1, "\"3\"", &hide, NULL, NULL, NULL), 0);
    /* changes need If-Match, and something to change */
    assert_int_equal(client_catalog_patch_product(c, 3, NULL, &name, "Typo.", NULL, NULL), 0);
    assert_int_equal(client_catalog_patch_product(c, 3, "", &name, "Typo.", NULL, NULL), 0);
    assert_int_equal(client_catalog_patch_product(c, 3, "\"7\"", &none, "Typo.", NULL, NULL), 0);
    assert_int_equal(client_catalog_patch_product(c, 3, "\"7\"", &no_cycles, "Why.", NULL, NULL),
                     0);
    assert_int_equal(client_catalog_patch_category(c, 1, NULL, &hide, "Why.", NULL, NULL), 0);
    /* stock and ids */
    assert_int_equal(client_catalog_set_stock(c, 3, &zero, "Restock", NULL, NULL), 0);
    assert_int_equal(client_catalog_set_stock(c, 3, &below, "Restock", NULL, NULL), 0);
    assert_int_equal(client_catalog_get_product(c, 0, NULL, NULL), 0);
    assert_int_equal(client_catalog_set_stock(c, -3, &add, "Restock", NULL, NULL), 0);
    assert_int_equal(client_pending(c), 0);
    /* well-formed ones are queued */
    struct catalog_product_query q = {.category_id = 1, .q = "iron & co", .page = 2};
    assert_true(client_catalog_get_categories(c, NULL, NULL) != 0);
    assert_true(client_catalog_get_products(c, &q, NULL, NULL) != 0);
    assert_true(client_catalog_get_products(c, NULL, NULL, NULL) != 0);
    assert_true(client_catalog_get_product(c, 3, NULL, NULL) != 0);
    assert_true(client_catalog_patch_product(c, 3, "\"7\"", &name, "Typo.", NULL, NULL) != 0);
    assert_true(client_catalog_patch_product(c, 3, "\"7\"", &price, "Dearer.", NULL, NULL) != 0);
    assert_true(client_catalog_set_stock(c, 3, &add, "Restock", NULL, NULL) != 0);
    assert_true(client_catalog_set_stock(c, 3, &unlimited, "Restock", NULL, NULL) != 0);
    assert_true(client_catalog_apply_prices(c, 3, "New prices.", NULL, NULL) != 0);
    assert_true(client_catalog_patch_category(c, 1, "\"3\"", &hide, "Seasonal.", NULL, NULL) != 0);
    assert_int_equal(client_pending(c), 10);
    client_free(&c);
}

static void test_free_null(void **state)
{
    (void)state;
    catalog_category_free(NULL);
    catalog_category_list_free(NULL);
    catalog_product_free(NULL);
    catalog_product_page_free(NULL);
    catalog_product_clear(NULL);
    apply_prices_result_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_product),
        cmocka_unit_test(test_products_page),
        cmocka_unit_test(test_apply_prices),
        cmocka_unit_test(test_requests_refused_locally),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
