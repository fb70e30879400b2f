/* test_paging.c: lists that arrive a page at a time: appending pages and knowing when to stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "screens/paging.h"

static void test_append_pages(void **state)
{
    int first[] = {1, 2, 3}, second[] = {4, 5};
    void *items = NULL;
    size_t n = 0;
    (void)state;
    assert_int_equal(paging_append(&items, &n, first, 3, sizeof(int)), 0);
    assert_int_equal(paging_append(&items, &n, second, 0, sizeof(int)), 0);
    assert_int_equal(paging_append(&items, &n, second, 2, sizeof(int)), 0);
    assert_int_equal(n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(((int *)items)[i], i + 1);
    free(items);
}

static void test_next_page(void **state)
{
    struct page_meta m = {.current_page = 1, .per_page = 50, .total = 120, .total_pages = 3};
    (void)state;
    assert_int_equal(paging_next(&m, 50, 20), 2);
    m.current_page = 3;
    assert_int_equal(paging_next(&m, 20, 20), 0); /* the last page */
    m.current_page = 1;
    assert_int_equal(paging_next(&m, 0, 20), 0); /* an empty page ends it whatever meta says */
    assert_int_equal(paging_next(&m, 50, 1), 0); /* the screen's own limit */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_pages),
        cmocka_unit_test(test_next_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
