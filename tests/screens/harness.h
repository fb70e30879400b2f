/* harness.h: runs a program on a pseudo-terminal, renders its output with libvterm, compares. */
#ifndef SETT_SCREENS_HARNESS_H
#define SETT_SCREENS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <vterm.h>

/* Keys as the terminal sends them when typed. Arrows, Home/End and the keypad depend on the modes
 * the program set (DECCKM: "\x1bOB" or "\x1b[B"), so send those with harness_key(), which asks the
 * emulated terminal, exactly as a real xterm would answer. */
#define HK_ESC       "\x1b"
#define HK_ENTER     "\r"
#define HK_TAB       "\t"
#define HK_BACKSPACE "\x7f"
#define HK_CTRL_C    "\x03"

/* Default time allowed for something to show up. Scaled, like every timeout given to the
 * harness, by $SETT_TEST_TIMEOUT_SCALE (e.g. 3 under sanitizers). */
#define HARNESS_TIMEOUT_MS 10000

struct harness;

/* Starts argv[0] (a path) on a new pseudo-terminal of rows x cols. The child gets a clean
 * environment: TERM=xterm-256color, LANG=LC_ALL=C.UTF-8, TZ=UTC, PATH, a fresh temporary HOME
 * with XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and XDG_CACHE_HOME inside it, the
 * sanitizer options of this process, and then `env_add` ("NAME=value" entries, NULL-terminated,
 * may be NULL), which override the defaults. NO_COLOR is unset unless given there.
 * Returns NULL on failure (reason on stderr). */
struct harness *harness_start(const char *const argv[], const char *const env_add[], int rows,
                              int cols);
/* SIGTERM, then SIGKILL if still alive after 2 s; reaps, removes HOME. Takes NULL, clears. */
void harness_free(struct harness **h);

pid_t harness_pid(const struct harness *h);
const char *harness_home(const struct harness *h);
void harness_size(const struct harness *h, int *rows, int *cols);
/* `ms` times $SETT_TEST_TIMEOUT_SCALE. */
int harness_ms(int ms);

/* ---- input ---- */
int harness_send(struct harness *h, const char *bytes); /* raw bytes, as typed or pasted */
int harness_send_len(struct harness *h, const void *bytes, size_t len);
/* A special key with modifiers (VTERM_KEY_DOWN, VTERM_KEY_ENTER, VTERM_KEY_ESCAPE …), encoded
 * by the emulated terminal for the current modes. */
int harness_key(struct harness *h, VTermKey key, VTermModifier mod);
/* Resizes the terminal: the emulator and the pty (the kernel sends SIGWINCH to the child).
 * First lets the current frame finish (50 ms without output, at most 1 s), so output laid out
 * for the old size does not land in the new one. */
int harness_resize(struct harness *h, int rows, int cols);

/* ---- waiting (every wait reads and renders the output as it arrives; none sleeps blindly) ---- */
/* Reads output for at most timeout_ms; returns bytes read, 0 if none, -1 once the pty is closed. */
int harness_pump(struct harness *h, int timeout_ms);
/* 0 once `text` is on the screen; -1 on timeout or exit, after printing the screen to stderr. */
int harness_wait_text(struct harness *h, const char *text, int timeout_ms);
/* 0 once `text` is no longer on the screen; -1 on timeout (screen printed). */
int harness_wait_gone(struct harness *h, const char *text, int timeout_ms);
/* 0 once the program has written nothing for quiet_ms (the screen is settled); -1 on timeout. */
int harness_wait_quiet(struct harness *h, int quiet_ms, int timeout_ms);
/* 0 once the raw output since byte offset `from` contains `bytes`; -1 on timeout. */
int harness_wait_raw(struct harness *h, size_t from, const char *bytes, int timeout_ms);
/* 0 when the child has exited within timeout_ms (status as from waitpid; all its output read);
 * -1 if it is still running (it is left running). */
int harness_wait_exit(struct harness *h, int timeout_ms, int *status);
/* True if the child has been reaped or has exited (checked without blocking). */
bool harness_exited(struct harness *h);

/* ---- the rendered screen ---- */
/* Rows joined by '\n' (each row's trailing spaces trimmed, a wide character written once, the
 * last row followed by '\n'). Returns the length (truncated to bufsz-1). */
size_t harness_screen_text(struct harness *h, char *buf, size_t bufsz);
/* The same in a heap buffer (free with free()). */
char *harness_screen_dup(struct harness *h);
/* One row, trimmed. Returns its length, or -1 if the row is out of range. */
int harness_row_text(struct harness *h, int row, char *buf, size_t bufsz);
bool harness_screen_contains(struct harness *h, const char *text);
/* Row and column (cells) of the first occurrence of `text`; 0, or -1 if absent. */
int harness_find(struct harness *h, const char *text, int *row, int *col);
/* A cell as libvterm has it; a dim (faint) cell has attrs.font == HARNESS_FONT_DIM. */
int harness_cell(struct harness *h, int row, int col, VTermScreenCell *cell);
#define HARNESS_FONT_DIM 1
/* Where the program left the terminal cursor (row and column, from 0) and whether it is shown,
 * as the rendered terminal has them after the output read so far. Any pointer may be NULL. */
void harness_cursor(const struct harness *h, int *row, int *col, bool *visible);
/* Prints the screen, framed and with row numbers, under `why`. */
void harness_print_screen(struct harness *h, FILE *out, const char *why);

/* ---- what reached the terminal ---- */
const unsigned char *harness_raw(const struct harness *h, size_t *len);
size_t harness_raw_len(const struct harness *h);
/* Offset of `bytes` (len bytes) in the raw output at or after `from`, or -1. */
long harness_raw_find(const struct harness *h, size_t from, const void *bytes, size_t len);
bool harness_title_set(const struct harness *h);    /* window title or icon name ever set */
const char *harness_title(const struct harness *h); /* the last one set, or "" */
bool harness_altscreen(const struct harness *h);    /* alternate screen active now */
bool harness_cursor_visible(const struct harness *h);
int harness_mouse_mode(const struct harness *h); /* VTERM_PROP_MOUSE_* now (from the output) */
int harness_bells(const struct harness *h);      /* BEL characters the terminal obeyed */

/* ---- snapshots ---- */
/* Compares the screen text with SCREENS_GOLDEN_DIR/NAME.txt. On a mismatch prints the rows
 * that differ and the whole screen, writes the screen to ./NAME.actual.txt, and returns -1.
 * With UPDATE_SNAPSHOTS=1 in the environment it writes the golden file instead and returns 0. */
int harness_snapshot(struct harness *h, const char *name);
/* Compares two screen texts row by row; prints differences under `name` to `out` (may be NULL).
 * Returns the number of rows that differ. */
int harness_diff_text(const char *name, const char *expected, const char *actual, FILE *out);

/* ---- test bookkeeping ---- */
/* Records a failed check with its location (used by H_CHECK). */
void harness_fail_at(const char *file, int line, const char *what);
/* A check in a test function that has a `fail:` label. Waits print the screen themselves. */
#define H_CHECK(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            harness_fail_at(__FILE__, __LINE__, #cond);                                            \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

#endif
