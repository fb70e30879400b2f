/* test_list.c: list selection and scrolling, mouse hits, and table column layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tui/internal.h"

static struct tui_event key(enum tui_op op)
{
    return (struct tui_event){.kind = TUI_EV_KEY, .op = op};
}

static struct tui_event mouse(enum tui_mouse m, int y, int x)
{
    return (struct tui_event){.kind = TUI_EV_MOUSE, .mouse = m, .y = y, .x = x};
}

static bool press(struct tui_list *l, enum tui_op op, struct tui_rect r)
{
    struct tui_event ev = key(op);
    return tui_list_handle(l, &ev, r);
}

static void test_move_and_clamp(void **state)
{
    struct tui_list l = {.count = 3, .item_h = 1};
    struct tui_rect r = {1, 0, 10, 40};

    assert_false(press(&l, OP_UP, r)); /* already at the top */
    assert_true(press(&l, OP_DOWN, r));
    assert_int_equal(l.selected, 1);
    assert_true(press(&l, OP_DOWN, r));
    assert_false(press(&l, OP_DOWN, r)); /* no wrap-around */
    assert_int_equal(l.selected, 2);
    assert_true(press(&l, OP_HOME, r));
    assert_int_equal(l.selected, 0);
    assert_true(press(&l, OP_END, r));
    assert_int_equal(l.selected, 2);
    assert_false(press(&l, OP_ENTER, r)); /* Enter is the screen's business */
    assert_false(press(&l, OP_NONE, r));

    struct tui_list empty = {.count = 0, .item_h = 1};
    assert_false(press(&empty, OP_DOWN, r));
    assert_int_equal(empty.selected, 0);

    /* the list shrank under the selection (a reload): the next key clamps it */
    l.count = 2;
    l.selected = 7;
    assert_true(press(&l, OP_UP, r));
    assert_int_equal(l.selected, 0);
}

static void test_scroll_keeps_selection_visible(void **state)
{
    struct tui_list l = {.count = 20, .item_h = 1};
    struct tui_rect r = {1, 0, 5, 40};

    for (int i = 0; i < 5; i++)
        press(&l, OP_DOWN, r);
    assert_int_equal(l.selected, 5);
    assert_int_equal(l.top, 1);
    press(&l, OP_END, r);
    assert_int_equal(l.selected, 19);
    assert_int_equal(l.top, 15);
    press(&l, OP_UP, r);
    assert_int_equal(l.top, 15); /* still visible: no scroll */
    press(&l, OP_HOME, r);
    assert_int_equal(l.top, 0);
}

static void test_pages_by_visible_items(void **state)
{
    struct tui_list l = {.count = 10, .item_h = 2};
    struct tui_rect r = {1, 0, 7, 40}; /* three whole items of two rows */

    assert_true(press(&l, OP_PAGE_DOWN, r));
    assert_int_equal(l.selected, 3);
    assert_int_equal(l.top, 1);
    press(&l, OP_PAGE_DOWN, r);
    press(&l, OP_PAGE_DOWN, r);
    assert_int_equal(l.selected, 9);
    assert_int_equal(l.top, 7);
    assert_false(press(&l, OP_PAGE_DOWN, r));
    press(&l, OP_PAGE_UP, r);
    assert_int_equal(l.selected, 6);
    assert_int_equal(l.top, 6);
    press(&l, OP_PAGE_UP, r);
    press(&l, OP_PAGE_UP, r);
    assert_int_equal(l.selected, 0);
    assert_int_equal(l.top, 0);
}

static void test_hit(void **state)
{
    struct tui_list l = {.count = 4, .item_h = 2, .top = 1};
    struct tui_rect r = {2, 0, 7, 40};

    assert_int_equal(tui_list_hit(&l, r, 1), -1); /* above */
    assert_int_equal(tui_list_hit(&l, r, 2), 1);
    assert_int_equal(tui_list_hit(&l, r, 3), 1);
    assert_int_equal(tui_list_hit(&l, r, 4), 2);
    assert_int_equal(tui_list_hit(&l, r, 7), 3);
    assert_int_equal(tui_list_hit(&l, r, 8), -1); /* the half item row at the bottom */
    assert_int_equal(tui_list_hit(&l, r, 9), -1);
    l.count = 2;
    assert_int_equal(tui_list_hit(&l, r, 4), -1); /* past the last item */
}

static void test_mouse(void **state)
{
    struct tui_list l = {.count = 30, .item_h = 1};
    struct tui_rect r = {1, 2, 10, 20};
    struct tui_event ev;

    ev = mouse(TUI_MOUSE_CLICK, 5, 10);
    assert_true(tui_list_handle(&l, &ev, r));
    assert_int_equal(l.selected, 4);
    ev = mouse(TUI_MOUSE_CLICK, 5, 10);
    assert_false(tui_list_handle(&l, &ev, r)); /* same item again */
    ev = mouse(TUI_MOUSE_CLICK, 5, 0);
    assert_false(tui_list_handle(&l, &ev, r)); /* left of the list */
    ev = mouse(TUI_MOUSE_CLICK, 11, 10);
    assert_false(tui_list_handle(&l, &ev, r)); /* below it */

    /* the wheel moves the view three rows; the selection follows only to stay in view */
    ev = mouse(TUI_MOUSE_WHEEL_DOWN, 5, 10);
    assert_true(tui_list_handle(&l, &ev, r));
    assert_int_equal(l.top, 3);
    assert_int_equal(l.selected, 4);
    tui_list_handle(&l, &ev, r);
    assert_int_equal(l.top, 6);
    assert_int_equal(l.selected, 6);
    for (int i = 0; i < 20; i++)
        tui_list_handle(&l, &ev, r);
    assert_int_equal(l.top, 20); /* no scrolling past the last page */
    assert_false(tui_list_handle(&l, &ev, r));
    ev = mouse(TUI_MOUSE_WHEEL_UP, 5, 10);
    assert_true(tui_list_handle(&l, &ev, r));
    assert_int_equal(l.top, 17);
    assert_int_equal(l.selected, 20); /* pushed to the top edge, now in view */

    /* items two rows high: the wheel moves one item (three rows' worth, rounded down) */
    struct tui_list tall = {.count = 30, .item_h = 2};
    ev = mouse(TUI_MOUSE_WHEEL_DOWN, 5, 10);
    tui_list_handle(&tall, &ev, r);
    assert_int_equal(tall.top, 1);
    ev = mouse(TUI_MOUSE_CLICK, 4, 10);
    tui_list_handle(&tall, &ev, r);
    assert_int_equal(tall.selected, 2);
}

static void test_table_layout(void **state)
{
    const struct tui_column cols[] = {
        {"Product", 0, false}, {"Cycle", 10, false}, {"Price", 12, true}, {"Notes", 0, false}};
    int xs[4], ws[4];

    table_layout(cols, 4, 80, xs, ws);
    /* 80 - 22 fixed - 3 gaps = 55 shared by two: 28 and 27 */
    assert_int_equal(ws[0], 28);
    assert_int_equal(ws[1], 10);
    assert_int_equal(ws[2], 12);
    assert_int_equal(ws[3], 27);
    assert_int_equal(xs[0], 0);
    assert_int_equal(xs[1], 29);
    assert_int_equal(xs[2], 40);
    assert_int_equal(xs[3], 53);
    assert_int_equal(xs[3] + ws[3], 80);

    /* too narrow: shared columns get nothing, fixed ones are cut at the edge */
    table_layout(cols, 4, 20, xs, ws);
    assert_int_equal(ws[0], 0);
    assert_int_equal(ws[1], 10);
    assert_int_equal(ws[2], 8);
    assert_int_equal(ws[3], 0);
    for (int i = 0; i < 4; i++)
        assert_true(ws[i] == 0 || xs[i] + ws[i] <= 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_move_and_clamp),
        cmocka_unit_test(test_scroll_keeps_selection_visible),
        cmocka_unit_test(test_pages_by_visible_items),
        cmocka_unit_test(test_hit),
        cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_table_layout),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
