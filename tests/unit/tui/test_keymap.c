/* test_keymap.c: the key table: lookups per screen, help for every op, no double bindings. */
#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "tui/keymap.h"

static void test_table_is_indexed_by_op(void **state)
{
    for (int op = OP_NONE; op < OP_COUNT; op++)
        assert_int_equal(keymap_def((enum tui_op)op)->op, op);
    assert_int_equal(keymap_def(OP_COUNT)->op, OP_NONE);
    assert_string_equal(keymap_def(OP_SEARCH)->name, "search");
}

static void test_every_op_has_help_and_a_key(void **state)
{
    for (int op = OP_NONE + 1; op < OP_COUNT; op++) {
        const struct tui_keydef *d = keymap_def((enum tui_op)op);
        assert_non_null(d->name);
        assert_true(d->name[0] != '\0');
        assert_non_null(d->hint);
        assert_true(d->hint[0] != '\0');
        assert_non_null(d->help);
        assert_true(strlen(d->help) > 5);
        assert_true(d->keys[0] != 0); /* the footer shows the first key */
    }
}

/* The footer and help can only be honest if a key means one thing wherever it is pressed. */
static void test_no_key_bound_twice(void **state)
{
    for (int a = OP_NONE + 1; a < OP_COUNT; a++) {
        for (int i = 0; i < 3; i++) {
            int key = keymap_def((enum tui_op)a)->keys[i];
            if (!key)
                continue;
            for (int b = OP_NONE + 1; b < OP_COUNT; b++)
                for (int j = 0; j < 3; j++)
                    if ((a != b || i != j) && keymap_def((enum tui_op)b)->keys[j] == key)
                        fail_msg("key %d bound to %s and %s", key, keymap_def(a)->name,
                                 keymap_def(b)->name);
        }
    }
}

static void test_lookup(void **state)
{
    const enum tui_op list[] = {OP_UP, OP_DOWN, OP_ENTER, OP_NONE};
    const enum tui_op globals[] = {OP_HELP, OP_QUIT, OP_BACK, OP_NONE};
    const enum tui_op none[] = {OP_NONE};

    assert_int_equal(keymap_lookup(KEY_UP, list), OP_UP);
    assert_int_equal(keymap_lookup('k', list), OP_UP);
    assert_int_equal(keymap_lookup('j', list), OP_DOWN);
    assert_int_equal(keymap_lookup('\r', list), OP_ENTER);
    assert_int_equal(keymap_lookup('\n', list), OP_ENTER);
    assert_int_equal(keymap_lookup(KEY_ENTER, list), OP_ENTER);
    assert_int_equal(keymap_lookup('/', list), OP_NONE); /* search is not this screen's */
    assert_int_equal(keymap_lookup('q', list), OP_NONE);
    assert_int_equal(keymap_lookup('q', globals), OP_QUIT);
    assert_int_equal(keymap_lookup('?', globals), OP_HELP);
    assert_int_equal(keymap_lookup(TUI_KEY_ESC, globals), OP_BACK);
    assert_int_equal(keymap_lookup(KEY_BACKSPACE, globals), OP_BACK);
    assert_int_equal(keymap_lookup(127, globals), OP_BACK);
    assert_int_equal(keymap_lookup('j', globals), OP_NONE);
    assert_int_equal(keymap_lookup('j', none), OP_NONE);
    assert_int_equal(keymap_lookup('/', NULL), OP_SEARCH);
    assert_int_equal(keymap_lookup(' ', NULL), OP_PAGE_DOWN);
    assert_int_equal(keymap_lookup('G', NULL), OP_END);
    assert_int_equal(keymap_lookup('x', NULL), OP_NONE);
    assert_int_equal(keymap_lookup(0, NULL), OP_NONE);
    /* on a service, U changes the plan; the operator's customer search is w ("who") */
    assert_int_equal(keymap_lookup('U', NULL), OP_CHANGE_PLAN);
    assert_int_equal(keymap_lookup('w', NULL), OP_FIND_CUSTOMER);
    assert_int_equal(keymap_lookup('W', NULL), OP_NONE);
}

static void test_key_names(void **state)
{
    char buf[16];

    assert_string_equal(keymap_key_name(KEY_UP, buf, sizeof buf), "Up");
    assert_string_equal(keymap_key_name(KEY_DOWN, buf, sizeof buf), "Down");
    assert_string_equal(keymap_key_name(KEY_LEFT, buf, sizeof buf), "Left");
    assert_string_equal(keymap_key_name(KEY_RIGHT, buf, sizeof buf), "Right");
    assert_string_equal(keymap_key_name('\r', buf, sizeof buf), "Enter");
    assert_string_equal(keymap_key_name(KEY_ENTER, buf, sizeof buf), "Enter");
    assert_string_equal(keymap_key_name(TUI_KEY_ESC, buf, sizeof buf), "Esc");
    assert_string_equal(keymap_key_name(KEY_BACKSPACE, buf, sizeof buf), "Bksp");
    assert_string_equal(keymap_key_name(127, buf, sizeof buf), "Bksp");
    assert_string_equal(keymap_key_name(KEY_PPAGE, buf, sizeof buf), "PgUp");
    assert_string_equal(keymap_key_name(KEY_NPAGE, buf, sizeof buf), "PgDn");
    assert_string_equal(keymap_key_name(KEY_HOME, buf, sizeof buf), "Home");
    assert_string_equal(keymap_key_name(KEY_END, buf, sizeof buf), "End");
    assert_string_equal(keymap_key_name(' ', buf, sizeof buf), "Space");
    assert_string_equal(keymap_key_name('/', buf, sizeof buf), "/");
    assert_string_equal(keymap_key_name('G', buf, sizeof buf), "G");
    assert_string_equal(keymap_key_name(TUI_KEY_CTRL('u'), buf, sizeof buf), "^U");
    assert_string_equal(keymap_key_name(KEY_F(5), buf, sizeof buf), "F5");
    /* a small buffer gets a truncated, terminated name */
    assert_string_equal(keymap_key_name(KEY_DOWN, buf, 3), "Do");
    /* an op's first key, as a sentence names it */
    assert_string_equal(keymap_op_key(OP_CHANGE_PLAN, buf, sizeof buf), "U");
    assert_string_equal(keymap_op_key(OP_BACK, buf, sizeof buf), "Esc");
    /* every key in the table has a real name */
    for (int op = OP_NONE + 1; op < OP_COUNT; op++)
        for (int i = 0; i < 3; i++)
            if (keymap_def(op)->keys[i])
                assert_true(keymap_key_name(keymap_def(op)->keys[i], buf, sizeof buf)[0] != '#');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_indexed_by_op),
        cmocka_unit_test(test_every_op_has_help_and_a_key),
        cmocka_unit_test(test_no_key_bound_twice),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_key_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
