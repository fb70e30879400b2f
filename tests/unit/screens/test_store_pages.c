/* test_store_pages.c: the store's long list as the pages fetched so far: which page to fetch
 * next, what a changed total does, and the bound on pages held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "screens/store_pages.h"

/* Page `page` of a list of `total` products, `per` a page; product ids are their indexes. */
static struct product_page *page_of(int page, int per, int total)
{
    struct product_page *pg = calloc(1, sizeof *pg);
    int first = (page - 1) * per, n = total - first < per ? total - first : per;
    assert_non_null(pg);
    pg->items = calloc((size_t)(n > 0 ? n : 1), sizeof *pg->items);
    assert_non_null(pg->items);
    pg->n = (size_t)(n > 0 ? n : 0);
    for (int i = 0; i < n; i++)
        pg->items[i].id = first + i;
    pg->meta = (struct page_meta){.current_page = page,
                                  .per_page = per,
                                  .total = total,
                                  .total_pages = (total + per - 1) / per};
    return pg;
}

static void put(struct store_pages *p, int page, int total, int near)
{
    struct product_page *pg = page_of(page, p->per_page, total);
    assert_int_equal(store_pages_put(p, &pg, near), 0);
    assert_null(pg);
}

static void test_first_page_then_what_is_in_view(void **state)
{
    struct store_pages p;
    (void)state;
    store_pages_init(&p, 50, 0);
    assert_int_equal(store_pages_wanted(&p, 0, 10, 0), 1); /* the total is not known yet */
    put(&p, 1, 10000, 0);
    assert_int_equal(p.total, 10000);
    assert_int_equal(p.n_pages, 200);
    assert_int_equal(store_pages_get(&p, 49)->id, 49);
    assert_null(store_pages_get(&p, 50));
    assert_null(store_pages_get(&p, 10000));
    assert_int_equal(store_pages_wanted(&p, 0, 40, 5), 0);
    /* End: only the last page, not the 198 between */
    assert_int_equal(store_pages_wanted(&p, 9989, 9999, 9999), 200);
    put(&p, 200, 10000, 9999);
    assert_int_equal(store_pages_get(&p, 9999)->id, 9999);
    assert_int_equal(store_pages_wanted(&p, 9989, 9999, 9999), 0);
    /* several missing: the one under the selection first, then outward */
    assert_int_equal(store_pages_wanted(&p, 2000, 2200, 2100), 43);
    put(&p, 43, 10000, 2100);
    assert_int_equal(store_pages_wanted(&p, 2000, 2200, 2100), 44);
    put(&p, 44, 10000, 2100);
    assert_int_equal(store_pages_wanted(&p, 2000, 2200, 2100), 42);
    store_pages_clear(&p);
    assert_int_equal(p.total, -1);
}

static void test_total_changed(void **state)
{
    struct store_pages p;
    (void)state;
    store_pages_init(&p, 50, 0);
    put(&p, 1, 120, 0);
    put(&p, 2, 120, 60);
    assert_int_equal(p.cached, 2);
    put(&p, 3, 101, 100); /* a product went: the pages held before may have moved */
    assert_int_equal(p.total, 101);
    assert_int_equal(p.cached, 1);
    assert_null(store_pages_get(&p, 0));
    assert_int_equal(store_pages_get(&p, 100)->id, 100);
    assert_int_equal(store_pages_wanted(&p, 0, 100, 0), 1);
    put(&p, 1, 0, 0); /* everything went */
    assert_int_equal(p.total, 0);
    assert_int_equal(store_pages_wanted(&p, 0, 10, 0), 0);
    store_pages_clear(&p);
}

static void test_bounded(void **state)
{
    struct store_pages p;
    (void)state;
    store_pages_init(&p, 10, 3);
    for (int page = 1; page <= 5; page++)
        put(&p, page, 1000, (page - 1) * 10);
    assert_int_equal(p.cached, 3);
    assert_false(store_pages_has(&p, 1)); /* the farthest from the customer went first */
    assert_false(store_pages_has(&p, 2));
    assert_true(store_pages_has(&p, 5));
    put(&p, 100, 1000, 995); /* End: the pages at the top are now the far ones */
    assert_int_equal(p.cached, 3);
    assert_false(store_pages_has(&p, 3));
    assert_true(store_pages_has(&p, 100));
    store_pages_clear(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_page_then_what_is_in_view),
        cmocka_unit_test(test_total_changed),
        cmocka_unit_test(test_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
