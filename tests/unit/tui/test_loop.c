/* test_loop.c: the real event loop on a pseudo-terminal: paint, keys, help, prompt, stack,
 * resize, "too small", ticks, idle silence and mouse, read back through libvterm. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/tui.h"
#include "vt.h"

#define WAIT_MS 3000

static const char *const hostile = "\033]0;pwned\007Evil\033[2J\xc2\x9b"
                                   "5n\xe2\x80\xae";

/* ---- the child: two small screens ---- */

static int opens, closes;
static bool use_mouse;
static const char *child_locale = "C.UTF-8";

struct demo {
    struct tui_list list;
    struct tui_rect rows;
    bool loading;
};

struct detail {
    int id;
};

static const struct screen_ops detail_ops;

static void demo_item(struct tui *t, struct tui_rect r, int index, bool selected, void *ud)
{
    tui_textf(t, r.y, r.x + 1, r.w - 2, selected ? EL_SELECTED : EL_PRODUCT_NAME, "Item %d %s",
              index + 1, index == 2 ? hostile : "");
}

static int demo_open(struct screen *s, void *arg)
{
    struct demo *d = s->priv;
    d->list = (struct tui_list){.count = 50, .item_h = 1};
    opens++;
    return 0;
}

static void demo_close(struct screen *s)
{
    closes++;
}

static void demo_paint(struct screen *s, struct tui_rect body)
{
    struct demo *d = s->priv;

    d->rows = (struct tui_rect){body.y, body.x, body.h - 1, body.w};
    tui_list_paint(s->tui, &d->list, d->rows, demo_item, d);
    if (d->loading)
        tui_spinner(s->tui, body.y + body.h - 1, 1, body.w - 2, "Loading products…");
    else
        tui_textf(s->tui, body.y + body.h - 1, 1, body.w - 2, EL_DIM, "Selected %d",
                  d->list.selected + 1);
}

static void demo_searched(struct screen *s, const char *text, void *ud)
{
    tui_status(s->tui, "You searched for %s", text ? text : "(cancelled)");
}

static enum tui_action demo_handle(struct screen *s, const struct tui_event *ev)
{
    struct demo *d = s->priv;
    static int next_id = 1;

    if (tui_list_handle(&d->list, ev, d->rows))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_ENTER:
        tui_push(s->tui, &detail_ops, &next_id);
        return TUI_HANDLED;
    case OP_SEARCH:
        tui_prompt(s->tui, "Search:", "", demo_searched, NULL);
        return TUI_HANDLED;
    case OP_RETRY:
        d->loading = !d->loading;
        return TUI_HANDLED;
    default:
        return TUI_IGNORED;
    }
}

static const enum tui_op demo_keys[] = {OP_UP,  OP_DOWN,  OP_PAGE_UP, OP_PAGE_DOWN, OP_HOME,
                                        OP_END, OP_ENTER, OP_SEARCH,  OP_RETRY,     OP_NONE};
static const struct screen_ops demo_ops = {
    .name = "Demo",
    .priv_size = sizeof(struct demo),
    .open = demo_open,
    .close = demo_close,
    .paint = demo_paint,
    .handle = demo_handle,
    .keys = demo_keys,
};

static int detail_open(struct screen *s, void *arg)
{
    struct detail *d = s->priv;
    int *next_id = arg;
    d->id = (*next_id)++;
    opens++;
    return 0;
}

static void detail_paint(struct screen *s, struct tui_rect body)
{
    static const struct tui_column cols[] = {{"Cycle", 0, false}, {"Price", 10, true}};
    struct tui_rect text = {body.y, body.x + 1, 3, body.w - 2};
    struct tui_rect table = {body.y + 3, body.x, 3, body.w};
    struct tui_rect banner = {body.y + 6, body.x, body.h - 6, body.w};

    tui_wrap_paint(s->tui, text, 0, EL_NORMAL,
                   "A game server with plenty of memory, fast disks and a \033[5mfriendly\033[0m "
                   "price. 日本語のテキストも大丈夫です。");
    tui_table_paint(s->tui, table, cols, 2, 2, 0, NULL, NULL);
    tui_error_banner(s->tui, banner, "The billing server did not answer in time.");
}

static const char *detail_title(struct screen *s, char *buf, size_t bufsz)
{
    struct detail *d = s->priv;
    snprintf(buf, bufsz, "Detail #%d", d->id);
    return buf;
}

static enum tui_action detail_handle(struct screen *s, const struct tui_event *ev)
{
    static int next_id = 100;

    if (ev->op == OP_RETRY) {
        tui_status(s->tui, "Retrying");
        return TUI_HANDLED;
    }
    if (ev->op == OP_ENTER) { /* replace this screen: push, then close ourselves */
        tui_push(s->tui, &detail_ops, &next_id);
        return TUI_CLOSE;
    }
    return TUI_IGNORED;
}

static const enum tui_op detail_keys[] = {OP_RETRY, OP_ENTER, OP_BACK, OP_NONE};
static const struct screen_ops detail_ops = {
    .name = "Detail",
    .priv_size = sizeof(struct detail),
    .open = detail_open,
    .close = demo_close,
    .paint = detail_paint,
    .handle = detail_handle,
    .title = detail_title,
    .keys = detail_keys,
};

static int demo_main(void)
{
    struct tui_config cfg = {.mouse = use_mouse};
    char err[256];
    struct tui *t;
    int rc;

    setlocale(LC_ALL, child_locale);
    t = tui_new(&cfg, err, sizeof err);
    if (!t)
        return 10;
    tui_set_badge(t, "Cart 2");
    if (tui_push(t, &demo_ops, NULL) < 0)
        return 11;
    rc = tui_run(t);
    tui_free(&t);
    if (t)
        return 12;
    return rc == 0 && opens == closes ? 0 : 13;
}

/* ---- the tests ---- */

static void wait_for(struct vt *v, const char *text)
{
    if (!vt_wait_text(v, text, WAIT_MS)) {
        vt_dump(v, "screen");
        fail_msg("the screen never showed '%s'", text);
    }
    if (getenv("TUI_LOOP_DUMP"))
        vt_dump(v, text);
}

static void test_paint_keys_help_prompt(void **state)
{
    struct vt *v = vt_start(24, 80, demo_main);
    size_t rawlen;
    const char *raw;

    assert_non_null(v);
    wait_for(v, "Item 1");
    assert_non_null(strstr(vt_row(v, 0), "Demo"));
    assert_non_null(strstr(vt_row(v, 0), "Cart 2"));
    wait_for(v, "Selected 1");
    const char *footer = vt_row(v, 23);
    assert_non_null(strstr(footer, "↑↓ move"));
    assert_non_null(strstr(footer, "⏎ open"));
    assert_non_null(strstr(footer, "/ search"));
    assert_non_null(strstr(footer, "? help"));
    assert_non_null(strstr(footer, "q quit"));
    assert_null(strstr(footer, "back")); /* nowhere to go back to */

    /* the hostile name shows as text and nothing of its sequences reaches the terminal */
    wait_for(v, "Item 3 Evil"); /* "5n" belonged to the C1 CSI */
    raw = vt_raw(v, &rawlen);
    assert_null(strstr(raw, "pwned"));
    assert_null(strstr(raw, "\033]"));
    assert_null(strstr(raw, "Evil\033[2J")); /* ncurses clears on start; the name must not */
    assert_null(strstr(raw, "\xc2\x9b"));
    assert_null(strstr(raw, "\xe2\x80\xae"));

    vt_send(v, "jjj");
    wait_for(v, "Selected 4");
    assert_true(vt_cell_reverse(v, 4, 3));
    assert_false(vt_cell_reverse(v, 1, 3));

    vt_send(v, "?");
    wait_for(v, "Move the selection down");
    wait_for(v, "Quit sett");
    vt_send(v, "x"); /* any key closes help and does nothing else */
    wait_for(v, "Selected 4");
    vt_pump(v, 100);
    for (int r = 0; r < 24; r++)
        assert_null(strstr(vt_row(v, r), "Move the selection down"));

    vt_send(v, "/");
    wait_for(v, "Search:");
    vt_send(v, "hé\033[Dxllo\x15héllo 日本\x7f"); /* typing, Left, Ctrl-U, Backspace */
    wait_for(v, "Search: héllo");
    vt_send(v, "\r");
    wait_for(v, "You searched for héllo ");
    vt_send(v, "j");
    wait_for(v, "Selected 5");
    for (int r = 0; r < 24; r++) /* messages last until the next key */
        assert_null(strstr(vt_row(v, r), "You searched"));

    vt_send(v, "q");
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
}

static void test_stack_and_back(void **state)
{
    struct vt *v = vt_start(24, 80, demo_main);

    assert_non_null(v);
    wait_for(v, "Item 1");
    vt_send(v, "\r");
    wait_for(v, "Detail #1");
    wait_for(v, "did not answer in time");
    wait_for(v, "r retry · Esc back");
    wait_for(v, "Esc back"); /* the footer offers a way back now */
    wait_for(v, "日本語");
    vt_send(v, "r");
    wait_for(v, "Retrying");
    vt_send(v, "\r"); /* pushes #100 and closes #1 */
    wait_for(v, "Detail #100");
    vt_send(v, "\033");
    wait_for(v, "Selected 1"); /* straight back to the list: #1 is gone */
    assert_non_null(strstr(vt_row(v, 0), "Demo"));
    vt_send(v, "\033"); /* Esc on the first screen does nothing */
    vt_pump(v, 150);
    assert_non_null(strstr(vt_row(v, 0), "Demo"));
    vt_send(v, "\r");
    wait_for(v, "Detail #2");
    vt_send(v, "q"); /* quit with screens on the stack: all are closed */
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
}

static void test_resize_and_too_small(void **state)
{
    struct vt *v = vt_start(24, 80, demo_main);

    assert_non_null(v);
    wait_for(v, "Item 1");
    vt_resize(v, 8, 30);
    wait_for(v, "Terminal too small");
    wait_for(v, "have 30x8");
    vt_resize(v, 1, 1);
    vt_pump(v, 200);
    vt_resize(v, 3, 5);
    vt_pump(v, 200);
    vt_resize(v, 12, 40);
    wait_for(v, "Item 1");
    wait_for(v, "q quit");
    vt_resize(v, 30, 100);
    wait_for(v, "Item 26");
    vt_send(v, "q");
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
}

static void test_ticks_then_silence(void **state)
{
    struct vt *v = vt_start(24, 80, demo_main);
    char seen[16][8];
    int nseen = 0;

    assert_non_null(v);
    wait_for(v, "Item 1");
    vt_send(v, "r");
    wait_for(v, "Loading products…");
    for (int i = 0; i < 12 && nseen < 16; i++) {
        char frame[8];
        vt_pump(v, 60);
        snprintf(frame, sizeof frame, "%.3s", vt_row(v, 21) + 1);
        bool known = false;
        for (int j = 0; j < nseen; j++)
            known |= strcmp(seen[j], frame) == 0;
        if (!known)
            snprintf(seen[nseen++], sizeof seen[0], "%s", frame);
    }
    assert_true(nseen >= 3); /* the spinner turns on its own */
    vt_send(v, "r");
    wait_for(v, "Selected 1");
    vt_pump(v, 150);
    long cpu = vt_cpu_ticks(v);
    assert_true(cpu >= 0);
    assert_int_equal(vt_pump(v, 1000), 0);   /* nothing to show: nothing written */
    assert_true(vt_cpu_ticks(v) - cpu <= 1); /* and no CPU spent waiting */
    vt_send(v, "q");
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
}

static void test_mouse(void **state)
{
    struct vt *v;

    use_mouse = true;
    v = vt_start(24, 80, demo_main);
    assert_non_null(v);
    wait_for(v, "Item 1");
    vt_send(v, "\033[<0;10;6M\033[<0;10;6m"); /* click at row 5: the fifth item */
    wait_for(v, "Selected 5");
    vt_send(v, "\033[<65;10;6M"); /* wheel down: the view moves three items */
    vt_pump(v, 200);
    wait_for(v, "Item 4");
    assert_non_null(strstr(vt_row(v, 1), "Item 4"));
    assert_non_null(strstr(vt_row(v, 21), "Selected 5"));
    vt_send(v, "q");
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
    use_mouse = false;
}

/* Without a UTF-8 locale everything drawn is ASCII: names for arrows, '?' for the rest. */
static void test_ascii_locale(void **state)
{
    struct vt *v;

    child_locale = "C";
    v = vt_start(24, 80, demo_main);
    assert_non_null(v);
    wait_for(v, "Item 1");
    assert_non_null(strstr(vt_row(v, 23), "Up/Down move  Enter open  / search"));
    vt_send(v, "r");
    wait_for(v, "Loading products");
    vt_send(v, "r\r");
    wait_for(v, "r retry - Esc back");
    wait_for(v, "???????????????"); /* fifteen characters the locale cannot show */
    vt_send(v, "q");
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
    child_locale = "C.UTF-8";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paint_keys_help_prompt),
        cmocka_unit_test(test_stack_and_back),
        cmocka_unit_test(test_resize_and_too_small),
        cmocka_unit_test(test_ticks_then_silence),
        cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_ascii_locale),
    };

    if (!setlocale(LC_ALL, "C.UTF-8"))
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
