/* internal.h: state and helpers shared by the tui sources; not part of the interface. */
#ifndef SETT_TUI_INTERNAL_H
#define SETT_TUI_INTERNAL_H

#include <curses.h>
#include <signal.h>
#include <stdint.h>

#include "tui/tui.h"

/* A screen on the stack and the body size it was last told about, so resize() is called
 * exactly when the size it sees changes (also for a screen that was covered during a resize). */
struct tui_entry {
    struct screen *s;
    struct tui_rect seen;
};

struct tui_prompt_state {
    bool open;
    bool secret; /* drawn as bullets, wiped after use */
    char label[64];
    char text[256];  /* UTF-8, only printable characters are ever inserted */
    size_t len, cur; /* bytes; cur is always on a character boundary */
    tui_prompt_fn done;
    void *ud;
    struct screen *owner;
};

struct tui {
    struct tui_config cfg;
    SCREEN *scr;
    int sigpipe[2];
    struct sigaction old_winch, old_term, old_usr1, old_usr2;
    bool winch_installed;
    struct sigaction old_stop[3]; /* raw mode: SIGINT, SIGQUIT, SIGTSTP as they were */
    bool stop_ignored;
    bool op_off[OP_COUNT]; /* tui_disable_ops */
    tui_input_hook input_hook;
    void *input_hook_ud;

    struct tui_entry *stack;
    int depth, cap;
    struct screen **dead; /* popped while a handler ran; freed once it returns */
    int ndead, dead_cap;
    int busy; /* > 0 while handlers or network callbacks run */

    bool quit, dirty, help_open;
    bool utf8, color, cursor_on;
    bool tick_pending;
    int64_t tick_deadline; /* CLOCK_MONOTONIC, ns */
    unsigned frame;
    /* the cursor spot of this frame: set by the screen (tui_set_cursor) or by the first selection
     * drawn while the screen paints (spot_armed) */
    int spot_y, spot_x;
    bool spot_set, spot_armed;
    int rows, cols;
    struct tui_rect clip; /* drawing stays inside: the body while a screen paints */

    char status[256];
    char badge[64];
    char mark[64]; /* the header's permanent warning ("SANDBOX — no real money") */
    char mark_short[32];
    struct tui_prompt_state prompt;

    struct theme theme;
    attr_t attr[EL_COUNT];
    short pair[EL_COUNT];
    wchar_t repl; /* drawn for characters the locale cannot show */
};

/* sanitize.c: an iterator over the code points tui_sanitize would write; every drawing and
 * measuring path goes through it so none can disagree with the sanitizer. */
struct san_iter {
    const unsigned char *p, *end;
    bool keep_nl;
};
void san_init(struct san_iter *it, const char *s, size_t len, bool keep_nl);
int san_next(struct san_iter *it);     /* code point, or -1 at the end */
int san_cp_width(int cp);              /* display columns; unprintables count 1 (drawn as U+FFFD) */
size_t utf8_encode(int cp, char *out); /* out has room for 4 bytes */

/* draw.c */
int draw_text_n(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *s,
                size_t len);
int text_width_n(const char *s, size_t len);
void draw_box(struct tui *t, struct tui_rect r, enum theme_elem el);

/* wrap.c: greedy word wrap as a line iterator, shared by the widgets and the frame. */
struct wrap_iter {
    struct san_iter it;
    int width;
    bool done;
    bool soft; /* the last line was wrapped, not ended by '\n' */
};
struct wrap_line {
    const char *start;
    size_t len;
    int width;
};
void wrap_init(struct wrap_iter *w, const char *text, int width);
bool wrap_next(struct wrap_iter *w, struct wrap_line *line);

/* table.c: x offset and width of each column in a table `total` columns wide. */
#define TABLE_GAP      1
#define TABLE_MAX_COLS 32
void table_layout(const struct tui_column *cols, int ncols, int total, int *xs, int *ws);

/* palette.c */
void palette_setup(struct tui *t);

/* stack.c */
void stack_remove(struct tui *t, struct screen *s);
void stack_reap(struct tui *t);
void stack_free_all(struct tui *t);

/* prompt.c */
void prompt_handle(struct tui *t, const struct tui_event *ev);
int prompt_paint(struct tui *t, int y); /* returns the cursor column */
void prompt_cancel_for(struct tui *t, struct screen *s);

/* chrome.c: everything around the body: header, status, footer, help, "too small". */
void chrome_paint(struct tui *t);
struct tui_rect chrome_body(const struct tui *t);
bool chrome_too_small(const struct tui *t);

/* loop.c */
int64_t loop_now(void);
/* draw.c: a selection drawn at (y, x) while the screen paints may become the cursor spot. */
void draw_spot_auto(struct tui *t, enum theme_elem el, int y, int x);

#endif
