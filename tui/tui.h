/* tui.h: the ncurses toolkit: event loop, screen stack, widgets, text sanitizing. */
#ifndef SETT_TUI_H
#define SETT_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/glyph.h"
#include "tui/keymap.h"
#include "tui/theme.h"

struct tui;
struct pollfd;

/* Smallest terminal the screens are laid out for; below it a "terminal too small" message shows
 * and the app recovers when it grows. Documented in README and docs/architecture.md. */
#define TUI_MIN_COLS 40
#define TUI_MIN_ROWS 12

enum tui_action {
    TUI_IGNORED = 0, /* not handled: the loop tries the global bindings (help, quit) */
    TUI_HANDLED,
    TUI_CLOSE, /* pop this screen */
    TUI_QUIT,
};

enum tui_event_kind {
    TUI_EV_KEY,
    TUI_EV_MOUSE,
};

enum tui_mouse {
    TUI_MOUSE_CLICK,
    TUI_MOUSE_WHEEL_UP,
    TUI_MOUSE_WHEEL_DOWN,
};

struct tui_event {
    enum tui_event_kind kind;
    enum tui_op op; /* resolved from the key among the screen's keys (OP_NONE if none) */
    int key;        /* ncurses key code or Unicode code point */
    bool is_char;   /* key is a character (wget_wch returned OK) */
    enum tui_mouse mouse;
    int y, x; /* mouse position, screen coordinates */
};

struct tui_rect {
    int y, x, h, w;
};

struct screen;

/* A screen is a struct of operations. Handlers return an action; they never exit or repaint.
 * Paint does no I/O. Every hook but paint and handle may be NULL. */
struct screen_ops {
    const char *name;
    size_t priv_size;                         /* zeroed allocation at s->priv */
    int (*open)(struct screen *s, void *arg); /* non-zero: the push fails */
    void (*close)(struct screen *s);          /* release priv members; cancel requests */
    void (*resize)(struct screen *s, struct tui_rect body);
    void (*paint)(struct screen *s, struct tui_rect body);
    enum tui_action (*handle)(struct screen *s, const struct tui_event *ev);
    void (*reload)(struct screen *s);
    const char *(*title)(struct screen *s, char *buf, size_t bufsz);
    const enum tui_op *keys; /* the screen's ops in footer order, OP_NONE-terminated */
    bool fullscreen;         /* paints the whole terminal: no header, status line or footer */
};

struct screen {
    const struct screen_ops *ops;
    void *priv;
    struct tui *tui;
    void *app; /* the application's context, as given to tui_new */
};

enum tui_notice {
    TUI_NOTICE_IDLE,    /* the session closes soon without input */
    TUI_NOTICE_RESTART, /* the server is draining for a restart: finish within `seconds` */
};

/* How the loop waits: the app plugs in its network here (the client's curl multi), so one
 * thread waits on the terminal and the sockets together. wait() has poll(2) semantics over
 * `fds` (which it must fill revents of) and returns -1 only on a real error; dispatch() runs
 * network completions. With no backend, plain poll(2) is used. */
struct tui_backend {
    int (*wait)(void *ud, struct pollfd *fds, unsigned n, int timeout_ms);
    void (*dispatch)(void *ud);
    /* settd's word for the customer: SIGUSR1 (the idle warning) or SIGUSR2 (the server is
     * restarting; `seconds` left, as sigqueue(3) sent it, or -1). May set the status line. May
     * be NULL. SIGTERM ends tui_run as a quit does, so the terminal is restored. */
    void (*notice)(void *ud, enum tui_notice kind, int seconds);
    void *ud;
};

struct tui_config {
    const char *theme; /* NULL: "default" */
    bool no_color;     /* also true when NO_COLOR is set and non-empty */
    bool mouse;        /* enable mouse click and wheel */
    void *app;
    struct tui_backend backend;
    /* Raw mode instead of cbreak: ^C ^Z ^\ ^S ^Q arrive as keys, and SIGINT, SIGQUIT and SIGTSTP
     * are ignored until tui_free (a kiosk that no key may stop or suspend). */
    bool raw;
    /* No animation: a spinner is a still "Loading…" and asks for no ticks (--no-animation). */
    bool no_animation;
};

/* tui_new() starts curses on the controlling terminal; tui_free() pops every screen (calling
 * close), then restores the terminal. The application must have called setlocale(LC_ALL, "")
 * before tui_new: without a UTF-8 locale, text outside ASCII is drawn as an ASCII look-alike
 * (dashes, quotes, the middle dot) or else '?', sett's own glyphs in ASCII (tui/glyph.h) and lines
 * with the terminal's line-drawing set. A theme that cannot be loaded is replaced by the built-in
 * default and the reason shown in the status line. One tui per process. */
struct tui *tui_new(const struct tui_config *cfg, char *err, size_t errsz);
void tui_free(struct tui **t);

/* Screen stack. tui_push may be called from a handler; the new screen is opened at once. If
 * open fails, close is not called: open cleans up after itself. A popped screen is closed at
 * once but its memory is freed only after the running handler returns, so a handler may pop
 * its own screen and still return. TUI_CLOSE closes the screen whose handler returned it, even
 * if that handler pushed another screen first (replace = push, then return TUI_CLOSE). */
int tui_push(struct tui *t, const struct screen_ops *ops, void *arg);
void tui_pop(struct tui *t);
struct screen *tui_top(struct tui *t);
/* Runs until a handler returns TUI_QUIT, tui_quit() is called, or the stack empties: 0; -1 if
 * waiting failed or the terminal went away (hang-up). */
int tui_run(struct tui *t);
void tui_quit(struct tui *t);

/* Ops switched off for the whole program (a kiosk has no sign-in and no quit key): their keys
 * resolve to nothing and they drop out of every footer and help overlay, so no screen needs to
 * know. `ops` is OP_NONE-terminated; each call replaces the set (NULL: none off). */
void tui_disable_ops(struct tui *t, const enum tui_op *ops);
bool tui_op_enabled(const struct tui *t, enum tui_op op);
/* Sees every key and mouse event first, before the help overlay, a prompt or the screen; returns
 * true to swallow it (it then changes nothing, not even the status line). NULL removes it. */
typedef bool (*tui_input_hook)(void *ud, const struct tui_event *ev);
void tui_set_input_hook(struct tui *t, tui_input_hook fn, void *ud);

/* Animation: while something is loading a screen asks for a tick; the loop then wakes after
 * `ms` and repaints. With no request the loop sleeps until input (no idle CPU). With
 * no_animation a request is ignored and the frame never moves. */
void tui_request_tick(struct tui *t, int ms);
unsigned tui_frame(const struct tui *t); /* increments on each tick; drives spinners */

/* The cursor spot: where the terminal cursor is parked, visible, after each frame, so that a
 * screen reader (which follows the cursor) reads the selection. The top screen's paint may set
 * it; otherwise the first thing it draws as EL_SELECTED sets it (a selected list row, where its
 * marker is), and a table sets it on its selected row. With no spot the cursor rests at the
 * start of the title line; an open prompt has it at its insertion point. Screen coordinates. */
void tui_set_cursor(struct tui *t, int y, int x);

/* Status line (one line above the footer) and the header's right-hand badge. A status message
 * stays until the next key press (so one set while handling a key is seen), or until replaced;
 * tui_status(t, "%s", "") clears it. The badge stays until changed. */
void tui_status(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_set_badge(struct tui *t, const char *text);
/* A permanent mark in the header, left of the badge, in the `sandbox` element (e.g. "SANDBOX — no
 * real money"); `short_text` ("SANDBOX") stands in when the header is narrow. NULL or "" removes
 * it. */
void tui_set_mark(struct tui *t, const char *text, const char *short_text);

/* One-line text prompt in the status line (e.g. search). `done` is called with the text on Enter,
 * with NULL on Esc. While a prompt is open it receives every key. Editing: characters, Left,
 * Right, Home/^A, End/^E, Backspace, Del/^D, ^U (clear), ^W (word). The prompt belongs to the
 * top screen: if that screen is popped first, the prompt closes without calling `done`. */
typedef void (*tui_prompt_fn)(struct screen *s, const char *text, void *ud);
void tui_prompt(struct tui *t, const char *label, const char *initial, tui_prompt_fn done,
                void *ud);
/* The same for a secret (a password): each character shows as "•" ('*' without UTF-8), and the
 * text is wiped from the toolkit's memory once `done` returns. */
void tui_prompt_secret(struct tui *t, const char *label, tui_prompt_fn done, void *ud);

/* Drawing primitives: all text passes through the sanitizer and is clipped to `maxw` display
 * columns (wide characters never split). Return the columns used. */
int tui_text(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *s);
int tui_textf(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Right-aligned within [x, x+maxw). */
int tui_text_right(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *s);
void tui_fill(struct tui *t, struct tui_rect r, enum theme_elem el); /* spaces with el's style */
/* Rules and borders: box-drawing characters with UTF-8, else the terminal's line-drawing set. */
void tui_hline(struct tui *t, int y, int x, int w, enum theme_elem el);
void tui_vline(struct tui *t, int y, int x, int h, enum theme_elem el);
int tui_attr(const struct tui *t, enum theme_elem el); /* curses attr incl. colour pair */

/* ---- glyphs (tui/glyph.h) ---- */

/* Whether the locale is UTF-8, decided once in tui_new. */
bool tui_utf8(const struct tui *t);
/* The glyph this terminal shows: its UTF-8 form, or the ASCII one. */
const char *tui_glyph(const struct tui *t, enum tui_glyph g);
/* Text of sett's own (never data) as this terminal shows it: `s` itself with UTF-8, else a copy
 * in `buf` with the table's glyphs in ASCII. */
const char *tui_own(const struct tui *t, const char *s, char *buf, size_t bufsz);
/* snprintf whose format (sett's own text) has its glyphs shown as tui_own does; the arguments
 * (data) are left as they are. tui_status and tui_textf treat their formats the same way. */
int tui_format(const struct tui *t, char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- widgets ---- */

/* Scrolling selection list of `count` items of `item_h` rows each. */
struct tui_list {
    int count;
    int selected;
    int top; /* first visible item */
    int item_h;
};
typedef void (*tui_list_item_fn)(struct tui *t, struct tui_rect r, int index, bool selected,
                                 void *ud);
/* Handles up/down/page/home/end and mouse click/wheel inside `r`; returns true if the
 * selection changed. Enter is not handled here. Pure (no curses): it reads ev->op, so the screen
 * lists OP_UP, OP_DOWN (and OP_PAGE_UP, OP_PAGE_DOWN, OP_HOME, OP_END) in its keys. Pages move
 * by the number of whole items visible; the wheel scrolls the view by three rows' worth of
 * items and moves the selection only as far as needed to keep it in view (true is returned
 * when the view moved, too). Out-of-range selection (after a reload) is clamped. */
bool tui_list_handle(struct tui_list *l, const struct tui_event *ev, struct tui_rect r);
/* Paints the visible items; each item draws its own selection (it knows its text rows and
 * whether its pane has the focus). */
void tui_list_paint(struct tui *t, struct tui_list *l, struct tui_rect r, tui_list_item_fn item,
                    void *ud);
/* Index of the item at screen row y in `r`, or -1. */
int tui_list_hit(const struct tui_list *l, struct tui_rect r, int y);

/* Table: columns with width (0 = share the rest) and alignment; cells from a callback. */
struct tui_column {
    const char *title;
    int width;
    bool right;
};
typedef const char *(*tui_cell_fn)(int row, int col, enum theme_elem *el, char *buf, size_t bufsz,
                                   void *ud);
/* Paints the header row and up to r.h-1 rows from `first`; returns the number of rows shown.
 * One space separates columns; cell text is clipped to its column. `cell` sets *el (EL_NORMAL
 * by default) and returns the text (it may format into buf). A row whose first cell is
 * EL_SELECTED or EL_SELECTED_DIM is highlighted across the full width. With a tui_list for the
 * selection, pass the rows below the header as the list's rect and l.top as `first`. */
int tui_table_paint(struct tui *t, struct tui_rect r, const struct tui_column *cols, int ncols,
                    int nrows, int first, tui_cell_fn cell, void *ud);

/* Word-wrapped text. Counts lines for `width`, and paints from line `top`. Paragraphs are split
 * at '\n'; words longer than the width are broken. Widths are display columns; wide characters
 * (CJK, emoji) may also break between each other. "" has no lines, "a\n" one, "a\n\n" two.
 * tui_wrap_paint returns the total number of lines (for scrolling), not just those painted. */
int tui_wrap_count(const char *text, int width);
int tui_wrap_paint(struct tui *t, struct tui_rect r, int top, enum theme_elem el, const char *text);

/* Spinner: "⠋ Loading products…" with a frame from tui_frame(); requests the next tick (100 ms),
 * so it turns only while painted. "|/-\\" without a UTF-8 locale. */
void tui_spinner(struct tui *t, int y, int x, int maxw, const char *label);
/* Error banner: the message and "r retry · Esc back" hint, centred in `r`. The hint is built
 * from the keymap (the first keys of OP_RETRY and OP_BACK), so the screen should bind both. */
void tui_error_banner(struct tui *t, struct tui_rect r, const char *message);

/* ---- text ---- */

/* Copies `in` to `out` as safe UTF-8: drops C0 controls (keeps none; '\n' and '\t' become spaces
 * unless keep_newlines, which keeps '\n'), whole ESC/CSI/OSC/DCS sequences, C1 controls
 * (U+0080–U+009F), DEL, and replaces invalid UTF-8 with U+FFFD. Always NUL-terminates; returns
 * the length written. */
size_t tui_sanitize(const char *in, char *out, size_t outsz, bool keep_newlines);
/* Details: strings (OSC, DCS, SOS, PM, APC, also in their C1 forms) end at ST, BEL (OSC), CAN,
 * SUB, an ESC that starts another sequence, or the end of the text; CSI at its final byte or at
 * the first byte that cannot be part of it. Raw bytes 0x80-0x9F are invalid UTF-8, so they
 * become U+FFFD and do not introduce anything. Overlongs, surrogates and code points above
 * U+10FFFF are invalid; each maximal invalid subsequence becomes one U+FFFD. Bidi embeddings,
 * overrides and isolates (U+202A-E, U+2066-9) are dropped. Output stops before the first
 * character that does not fit whole. `in` (NULL = "") and `out` must not overlap. */
/* Display width of UTF-8 text (after sanitizing), wcwidth-based, in the current locale.
 * Combining marks count 0; characters the locale cannot print (wcwidth < 0) count 1, since
 * they are drawn as one U+FFFD (or '?'). Depends on LC_CTYPE, like the drawing does. */
int tui_text_width(const char *s);

#endif
