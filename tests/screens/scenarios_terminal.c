/* scenarios_terminal.c: the terminal around the store: resizes, too small, NO_COLOR, --no-mouse,
 * and catalog text that tries to drive the terminal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "scenarios.h"
#include "sett_run.h"

#define TOO_SMALL "Terminal too small"

static int start_demo(struct sett_run *r, int rows, int cols, const char *const *args,
                      const char *const *env, char *first, size_t firstsz)
{
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .rows = rows, .cols = cols, .extra_args = args, .env = env};
    char *names[1];
    if (sett_run_start(r, &o) != 0)
        return -1;
    int n = sett_peek_product_names(r, "", names, 1);
    if (n < 1)
        return -1;
    snprintf(first, firstsz, "%s", names[0]);
    sett_names_free(names, n);
    return sett_wait_settled(r->h, first);
}

/* 80x24 → 40x15 → 80x24: the small layout, then exactly the first screen again. */
int scenario_resize(void)
{
    struct sett_run r;
    char first[256];
    int rc = -1;
    H_CHECK(start_demo(&r, 24, 80, NULL, NULL, first, sizeof first) == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    H_CHECK(harness_resize(r.h, 15, 40) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_snapshot(r.h, "resize_40x15") == 0);
    H_CHECK(harness_resize(r.h, 24, 80) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* A terminal resized and back before sett looks (a window dragged and let go, a resize storm
 * over SSH): its size is as it was, but the terminal cropped or reflowed what it showed, so the
 * one SIGWINCH sett sees must still repaint everything. sett is stopped while the terminal
 * changes, so both changes land before it runs again. */
int scenario_resize_and_back(void)
{
    struct sett_run r;
    char first[256];
    int rc = -1;
    H_CHECK(start_demo(&r, 24, 80, NULL, NULL, first, sizeof first) == 0);
    H_CHECK(kill(harness_pid(r.h), SIGSTOP) == 0);
    H_CHECK(harness_resize(r.h, 10, 30) == 0);
    H_CHECK(harness_resize(r.h, 24, 80) == 0);
    H_CHECK(kill(harness_pid(r.h), SIGCONT) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* Resizes, then waits for the "too small" notice (or, if `fits`, for the store). */
static int resize_expect(struct sett_run *r, int rows, int cols, bool fits, const char *first)
{
    if (harness_resize(r->h, rows, cols) != 0)
        return -1;
    if (fits)
        return sett_wait_settled(r->h, first);
    if (harness_wait_text(r->h, TOO_SMALL, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return harness_wait_quiet(r->h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS);
}

/* Below 40x12 a notice replaces the screen; growing again brings the store back, whole. */
int scenario_too_small(void)
{
    struct sett_run r;
    char first[256];
    int rc = -1;
    H_CHECK(start_demo(&r, 24, 80, NULL, NULL, first, sizeof first) == 0);
    H_CHECK(resize_expect(&r, 8, 30, false, first) == 0);
    H_CHECK(resize_expect(&r, 24, 80, true, first) == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    /* the limits: 40x12 is enough, one less either way is not */
    H_CHECK(resize_expect(&r, 12, 40, true, first) == 0);
    H_CHECK(resize_expect(&r, 11, 40, false, first) == 0);
    H_CHECK(resize_expect(&r, 12, 39, false, first) == 0);
    /* 1x1: nothing fits, nothing breaks */
    H_CHECK(harness_resize(r.h, 1, 1) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_exited(r.h));
    H_CHECK(kill(harness_pid(r.h), 0) == 0);
    H_CHECK(resize_expect(&r, 24, 80, true, first) == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* NO_COLOR: the same screen with no colour at all (attributes only). */
int scenario_no_color(void)
{
    static const char *const env[] = {"NO_COLOR=1", NULL};
    struct sett_run r;
    char first[256];
    int rc = -1, coloured = 0;
    H_CHECK(start_demo(&r, 24, 80, NULL, env, first, sizeof first) == 0);
    for (int row = 0; row < 24; row++) {
        for (int col = 0; col < 80; col++) {
            VTermScreenCell cell;
            if (harness_cell(r.h, row, col, &cell) != 0)
                continue;
            if (!VTERM_COLOR_IS_DEFAULT_FG(&cell.fg) || !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg)) {
                if (coloured++ == 0)
                    fprintf(stderr, "coloured cell at row %d, column %d\n", row, col);
            }
        }
    }
    H_CHECK(coloured == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* --no-mouse: mouse reporting is never switched on. */
int scenario_no_mouse(void)
{
    static const char *const args[] = {"--no-mouse", NULL};
    struct sett_run r;
    char first[256];
    int rc = -1;
    H_CHECK(start_demo(&r, 24, 80, args, NULL, first, sizeof first) == 0);
    H_CHECK(harness_mouse_mode(r.h) == VTERM_PROP_MOUSE_NONE);
    H_CHECK(harness_raw_find(r.h, 0, "\x1b[?1000h", 8) < 0);
    H_CHECK(harness_raw_find(r.h, 0, "\x1b[?1002h", 8) < 0);
    H_CHECK(harness_raw_find(r.h, 0, "\x1b[?1003h", 8) < 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* ---- hostile catalog text ---- */

/* What the fixture's strings look like once every control sequence is removed whole. */
#define EVIL_NAME     "Evil Red Box"
#define EVIL_SHORT    "Short one line end"
#define EVIL_CATEGORY "Hostile Goods"
#define EVIL_DESC_1   "Top of text stays put."
#define EVIL_DESC_2   "return end."
#define EVIL_DESC_3   "Second paragraph here."
#define EVIL_OPTION   "RAM size"

/* Nothing in the raw output that data could have put there. */
int screens_raw_clean(struct harness *h)
{
    size_t len;
    const unsigned char *raw = harness_raw(h, &len);
    int rc = 0;
    if (harness_raw_find(h, 0, "\x1b]", 2) >= 0) {
        fprintf(stderr, "an OSC sequence (ESC ]) reached the terminal\n");
        rc = -1;
    }
    if (harness_raw_find(h, 0, "pwned", 5) >= 0) {
        fprintf(stderr, "\"pwned\" from a title sequence reached the terminal\n");
        rc = -1;
    }
    if (harness_raw_find(h, 0,
                         "\x1b"
                         "c",
                         2) >= 0) {
        fprintf(stderr, "a terminal reset (ESC c) reached the terminal\n");
        rc = -1;
    }
    for (size_t i = 0; i + 1 < len; i++) {
        if (raw[i] == 0xC2 && raw[i + 1] >= 0x80 && raw[i + 1] <= 0x9F) {
            fprintf(stderr, "a C1 control U+%04X reached the terminal at byte %zu\n", raw[i + 1],
                    i);
            rc = -1;
            break;
        }
    }
    if (memchr(raw, 0x07, len)) {
        fprintf(stderr, "a BEL reached the terminal\n");
        rc = -1;
    }
    if (harness_title_set(h)) {
        fprintf(stderr, "the window title was set to \"%s\"\n", harness_title(h));
        rc = -1;
    }
    if (harness_bells(h) != 0) {
        fprintf(stderr, "the terminal rang %d times\n", harness_bells(h));
        rc = -1;
    }
    return rc;
}

/* Header (screen title) on the first row and key hints on the last: data cleared nothing. */
static int check_frame(struct harness *h, const char *title)
{
    char line[1024];
    int rows, cols;
    harness_size(h, &rows, &cols);
    if (harness_row_text(h, 0, line, sizeof line) < 0 || !strstr(line, title)) {
        harness_print_screen(h, stderr, "the header is gone");
        return -1;
    }
    if (harness_row_text(h, rows - 1, line, sizeof line) < 0 || !strstr(line, "quit")) {
        harness_print_screen(h, stderr, "the footer is gone");
        return -1;
    }
    if (!harness_altscreen(h)) {
        harness_print_screen(h, stderr, "data switched the terminal off the alternate screen");
        return -1;
    }
    return 0;
}

int scenario_hostile(void)
{
    struct sett_run r;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .catalog = "hostile-catalog.json", .rows = 24, .cols = 80};
    int rc = -1, status;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(sett_wait_settled(r.h, EVIL_NAME) == 0);
    H_CHECK(harness_wait_text(r.h, EVIL_SHORT, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(r.h, EVIL_CATEGORY, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(r.h, "Plain Box", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(check_frame(r.h, "Store") == 0);
    H_CHECK(screens_raw_clean(r.h) == 0);
    H_CHECK(harness_snapshot(r.h, "hostile_store_80x24") == 0);

    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_ENTER, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, EVIL_DESC_1) == 0);
    H_CHECK(harness_screen_contains(r.h, EVIL_DESC_2));
    H_CHECK(harness_screen_contains(r.h, EVIL_DESC_3));
    H_CHECK(check_frame(r.h, EVIL_NAME) == 0);
    H_CHECK(screens_raw_clean(r.h) == 0);
    H_CHECK(harness_snapshot(r.h, "hostile_product_80x24") == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(sett_wait_settled(r.h, EVIL_OPTION) == 0);
    H_CHECK(check_frame(r.h, EVIL_NAME) == 0);
    H_CHECK(screens_raw_clean(r.h) == 0);
    H_CHECK(harness_snapshot(r.h, "hostile_product_80x24_end") == 0);

    /* the data's own "leave the alternate screen" never came: only sett's exit does that */
    H_CHECK(harness_raw_find(r.h, 0, "\x1b[?1049l", 8) < 0);
    H_CHECK(harness_send(r.h, "q") == 0);
    H_CHECK(harness_wait_exit(r.h, harness_ms(5000), &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    H_CHECK(screens_raw_clean(r.h) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}
