/* test_lockdown.c: the toolkit's parts for a locked-down terminal (a kiosk), on a real
 * pseudo-terminal: raw mode (Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys, no signal), ops switched
 * off (gone from keys, footer and help), the input hook, and a full-screen screen. */
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

static const struct screen_ops cover_ops;

static void plain_paint(struct screen *s, struct tui_rect body)
{
    tui_text(s->tui, body.y + 1, 2, body.w - 4, EL_NORMAL, "Plain body");
}

static enum tui_action plain_handle(struct screen *s, const struct tui_event *ev)
{
    if (ev->op == OP_SEARCH)
        tui_prompt(s->tui, "Search:", "", NULL, NULL);
    else if (ev->op == OP_RETRY)
        tui_status(s->tui, "Retry pressed");
    else
        return TUI_IGNORED; /* help and quit are the loop's */
    return TUI_HANDLED;
}

static const enum tui_op plain_keys[] = {OP_SEARCH, OP_RETRY, OP_CART, OP_HELP, OP_QUIT, OP_NONE};
static const struct screen_ops plain_ops = {
    .name = "Plain",
    .paint = plain_paint,
    .handle = plain_handle,
    .keys = plain_keys,
};

static void cover_paint(struct screen *s, struct tui_rect body)
{
    tui_text(s->tui, body.y, body.x, body.w, EL_TITLE, "Cover on the top row");
    tui_text(s->tui, body.y + body.h - 1, body.x, body.w, EL_NORMAL, "Cover on the bottom row");
}

static enum tui_action cover_handle(struct screen *s, const struct tui_event *ev)
{
    return TUI_CLOSE;
}

static const struct screen_ops cover_ops = {
    .name = "Cover",
    .paint = cover_paint,
    .handle = cover_handle,
    .fullscreen = true,
};

/* Swallows ^C ^Z ^\ (saying so in the status line), opens the cover on '!', quits on 'Q'. */
static bool hook(void *ud, const struct tui_event *ev)
{
    struct tui *t = ud;
    if (ev->kind != TUI_EV_KEY || !ev->is_char)
        return false;
    switch (ev->key) {
    case 0x03:
    case 0x1a:
    case 0x1c:
        tui_status(t, "Swallowed ^%c", ev->key + '@');
        return true;
    case '!':
        tui_push(t, &cover_ops, NULL);
        return true;
    case 'Q':
        tui_quit(t);
        return true;
    default:
        return false;
    }
}

static int lockdown_main(void)
{
    static const enum tui_op off[] = {OP_SEARCH, OP_QUIT, OP_NONE};
    struct tui_config cfg = {.raw = true};
    char err[256];
    struct tui *t;
    int rc;

    setlocale(LC_ALL, "C.UTF-8");
    t = tui_new(&cfg, err, sizeof err);
    if (!t)
        return 10;
    tui_disable_ops(t, off);
    if (tui_op_enabled(t, OP_QUIT) || !tui_op_enabled(t, OP_CART))
        return 11;
    tui_set_input_hook(t, hook, t);
    if (tui_push(t, &plain_ops, NULL) < 0)
        return 12;
    rc = tui_run(t);
    tui_free(&t);
    return rc == 0 ? 0 : 13;
}

static void wait_for(struct vt *v, const char *text)
{
    if (!vt_wait_text(v, text, WAIT_MS)) {
        vt_dump(v, "screen");
        fail_msg("the screen never showed '%s'", text);
    }
}

static bool screen_has(struct vt *v, const char *text)
{
    for (int r = 0; r < 24; r++)
        if (strstr(vt_row(v, r), text))
            return true;
    return false;
}

static void test_lockdown(void **state)
{
    struct vt *v = vt_start(24, 80, lockdown_main);

    assert_non_null(v);
    wait_for(v, "Plain body");
    /* switched-off ops: not in the footer, not in the help, their keys do nothing */
    assert_non_null(strstr(vt_row(v, 23), "c cart"));
    assert_null(strstr(vt_row(v, 23), "search"));
    assert_null(strstr(vt_row(v, 23), "quit"));
    vt_send(v, "?");
    wait_for(v, "Open the cart");
    assert_false(screen_has(v, "Search products"));
    assert_false(screen_has(v, "Quit sett"));
    vt_send(v, " ");
    vt_send(v, "/q");
    vt_send(v, "r");
    wait_for(v, "Retry pressed");
    assert_false(screen_has(v, "Search:"));

    /* raw mode: the keys that send signals in cbreak mode reach the hook */
    vt_send(v, "\x03");
    wait_for(v, "Swallowed ^C");
    vt_send(v, "\x1a");
    wait_for(v, "Swallowed ^Z");
    vt_send(v, "\x1c");
    wait_for(v, "Swallowed ^\\");

    /* a full-screen screen: no header, status line or footer */
    vt_send(v, "!");
    wait_for(v, "Cover on the top row");
    wait_for(v, "Cover on the bottom row");
    assert_non_null(strstr(vt_row(v, 0), "Cover on the top row"));
    assert_non_null(strstr(vt_row(v, 23), "Cover on the bottom row"));
    assert_false(screen_has(v, "cart"));
    vt_send(v, "x");
    wait_for(v, "Plain body");
    assert_non_null(strstr(vt_row(v, 23), "c cart"));

    vt_send(v, "Q");
    assert_int_equal(vt_finish(&v, WAIT_MS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lockdown),
    };

    if (!setlocale(LC_ALL, "C.UTF-8"))
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
