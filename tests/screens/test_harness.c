/* test_harness.c: proves the harness on a stand-in ncurses program (keys, colours, wide
 * characters, resize, title detection, exit and terminal restore, snapshot comparison). */
#include "harness.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SELFTEST_APP
#error "SELFTEST_APP must name the stand-in program"
#endif

static struct harness *start(int rows, int cols)
{
    const char *argv[] = {SELFTEST_APP, NULL};
    return harness_start(argv, NULL, rows, cols);
}

static int test_render_and_keys(void)
{
    struct harness *h = start(24, 80);
    int rc = -1, row, col, status;
    char line[256];
    VTermScreenCell cell;
    H_CHECK(h);
    H_CHECK(harness_wait_text(h, "selftest 80x24", HARNESS_TIMEOUT_MS) == 0);
    /* the first text can arrive before the rest of the frame: let the program finish */
    H_CHECK(harness_wait_quiet(h, 100, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_altscreen(h));
    H_CHECK(!harness_cursor_visible(h));
    /* cursor movement: text lands where the program put it */
    H_CHECK(harness_find(h, "moved here", &row, &col) == 0);
    H_CHECK(row == 5 && col == 10);
    H_CHECK(harness_find(h, "right", &row, &col) == 0);
    H_CHECK(row == 23 && col == 75);
    /* colours and attributes reach the cells */
    H_CHECK(harness_find(h, "red text", &row, &col) == 0);
    H_CHECK(harness_cell(h, row, col, &cell) == 0);
    H_CHECK(cell.chars[0] == 'r' && cell.attrs.bold);
    H_CHECK(VTERM_COLOR_IS_INDEXED(&cell.fg) && cell.fg.indexed.idx == 1);
    /* wide characters take two cells and are written once */
    H_CHECK(harness_row_text(h, 3, line, sizeof line) > 0);
    H_CHECK(strcmp(line, "wide: \u65e5\u672c\u8a9e end") == 0);
    H_CHECK(harness_find(h, "end", &row, &col) == 0);
    H_CHECK(col == 13);
    H_CHECK(harness_snapshot(h, "selftest_80x24") == 0);
    /* special keys go through the emulator in the mode the program set (keypad: SS3) */
    H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(h, "down: 2", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "abc") == 0);
    H_CHECK(harness_wait_text(h, "typed: abc", HARNESS_TIMEOUT_MS) == 0);
    /* a text that never comes times out, prints the screen, and says so */
    fprintf(stderr, "(an expected timeout follows)\n");
    H_CHECK(harness_wait_text(h, "never shown", 200) == -1);
    H_CHECK(harness_wait_gone(h, "typed: abc", 200) == -1);
    /* no title yet; a title sequence is seen */
    H_CHECK(!harness_title_set(h));
    H_CHECK(harness_raw_find(h, 0, "\x1b]", 2) < 0);
    H_CHECK(harness_send(h, "t") == 0);
    H_CHECK(harness_wait_raw(h, 0, "\x1b]2;", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_title_set(h));
    H_CHECK(strcmp(harness_title(h), "selftest-title") == 0);
    /* mouse reporting: on when asked for, off again at exit */
    H_CHECK(harness_mouse_mode(h) == VTERM_PROP_MOUSE_NONE);
    H_CHECK(harness_send(h, "m") == 0);
    H_CHECK(harness_wait_raw(h, 0, "1000h", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_mouse_mode(h) == VTERM_PROP_MOUSE_CLICK);
    /* q: exit 0, the terminal restored */
    size_t mark = harness_raw_len(h);
    H_CHECK(harness_send(h, "q") == 0);
    H_CHECK(harness_wait_exit(h, harness_ms(5000), &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    H_CHECK(harness_raw_find(h, mark, "\x1b[?1049l", 8) >= 0);
    H_CHECK(!harness_altscreen(h));
    H_CHECK(harness_cursor_visible(h));
    H_CHECK(harness_mouse_mode(h) == VTERM_PROP_MOUSE_NONE);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

static int test_resize(void)
{
    struct harness *h = start(24, 80);
    int rc = -1;
    H_CHECK(h);
    H_CHECK(harness_wait_text(h, "selftest 80x24", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_resize(h, 15, 40) == 0);
    H_CHECK(harness_wait_text(h, "selftest 40x15", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, 100, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_snapshot(h, "selftest_40x15") == 0);
    H_CHECK(harness_resize(h, 8, 10) == 0);
    H_CHECK(harness_wait_text(h, "Terminal t", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_resize(h, 1, 1) == 0);
    H_CHECK(harness_wait_quiet(h, 100, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_exited(h));
    H_CHECK(harness_resize(h, 24, 80) == 0);
    H_CHECK(harness_wait_text(h, "selftest 80x24", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, 100, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_snapshot(h, "selftest_80x24") == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

/* An exit status other than 0, and an exit that leaves the terminal as it was. */
static int test_exit_status(void)
{
    struct harness *h = start(12, 40);
    int rc = -1, status;
    H_CHECK(h);
    H_CHECK(harness_wait_text(h, "selftest 40x12", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_exit(h, 100, &status) == -1); /* still running */
    H_CHECK(harness_send(h, "e") == 0);
    H_CHECK(harness_wait_exit(h, harness_ms(5000), &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    H_CHECK(harness_altscreen(h)); /* it never left the alternate screen */
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

/* harness_free ends a program that is still running. */
static int test_free_running(void)
{
    struct harness *h = start(12, 40);
    int rc = -1;
    H_CHECK(h);
    H_CHECK(harness_wait_text(h, "selftest", HARNESS_TIMEOUT_MS) == 0);
    pid_t pid = harness_pid(h);
    harness_free(&h);
    H_CHECK(h == NULL);
    H_CHECK(kill(pid, 0) != 0); /* reaped: no such process */
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

static int test_diff(void)
{
    int rc = -1;
    H_CHECK(harness_diff_text("same", "a\nb\n", "a\nb\n", NULL) == 0);
    fprintf(stderr, "(an expected difference follows)\n");
    H_CHECK(harness_diff_text("differs", "a\nb\n", "a\nc\n", stderr) == 1);
    H_CHECK(harness_diff_text("longer", "a\n", "a\nb\n", NULL) == 1);
    H_CHECK(harness_diff_text("shorter", "a\nb\nc\n", "a\n", NULL) == 2);
    rc = 0;
fail:
    return rc;
}

/* A program that is not there is a failed start, not a hang. */
static int test_missing_program(void)
{
    const char *argv[] = {"/nonexistent/sett", NULL};
    int rc = -1;
    struct harness *h = harness_start(argv, NULL, 24, 80);
    H_CHECK(h == NULL);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

int main(void)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } tests[] = {
        {"render_and_keys", test_render_and_keys},
        {"resize", test_resize},
        {"exit_status", test_exit_status},
        {"free_running", test_free_running},
        {"diff", test_diff},
        {"missing_program", test_missing_program},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int r = tests[i].fn();
        fprintf(stderr, "%s %s\n", r == 0 ? "ok  " : "FAIL", tests[i].name);
        failed += r != 0;
    }
    return failed ? 1 : 0;
}
