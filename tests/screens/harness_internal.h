/* harness_internal.h: the harness's state, shared by its source files (not for tests). */
#ifndef SETT_SCREENS_HARNESS_INTERNAL_H
#define SETT_SCREENS_HARNESS_INTERNAL_H

#include <limits.h>

#include "harness.h"

/* An escape sequence held back until complete (harness_sgr.c). */
#define HARNESS_SGR_MAX 64
struct harness_sgr {
    char buf[HARNESS_SGR_MAX];
    size_t len;
};

struct harness {
    pid_t pid;
    bool reaped;
    int status;
    int master;
    bool eof;
    int rows, cols;
    VTerm *vt;
    VTermScreen *screen;
    char home[PATH_MAX];
    /* everything the program wrote, in order */
    unsigned char *raw;
    size_t raw_len, raw_cap;
    /* bytes for the program (keys, answers to the terminal's queries) not yet written */
    char *out;
    size_t out_len, out_cap;
    /* terminal properties as the program left them */
    bool title_set;
    char title[256];
    bool altscreen;
    bool cursor_visible;
    int cursor_row, cursor_col; /* where the program last left the cursor */
    int bells;
    struct harness_sgr sgr;
};

/* Monotonic clock, milliseconds. */
long long harness_now_ms(void);

/* harness_env.c: the child's environment and its side of the fork. */
struct env_list {
    char *vars[64 + 1]; /* "NAME=value", NULL-terminated; later entries replace earlier ones */
    int n;
};
int harness_env_build(struct env_list *e, const char *home, const char *const env_add[]);
void harness_env_clear(struct env_list *e);
void harness_make_home(const char *home);
/* Between fork and exec: only async-signal-safe calls; never returns. */
void harness_child_exec(const char *const argv[], char *const env[], const char *home)
    __attribute__((noreturn));

/* harness_sgr.c: writes the program's output to libvterm, faint (SGR 2) kept as
 * attrs.font == HARNESS_FONT_DIM. */
void harness_feed(struct harness *h, const char *buf, size_t n);

/* harness_screen.c: code point `c` as UTF-8 into `out` (room for 4 bytes): the byte count. */
size_t harness_put_utf8(char *out, uint32_t c);
/* One row as text (trailing spaces trimmed); `cols_at`, if given, receives
 * each byte's column. */
size_t harness_row_render(struct harness *h, int row, char *buf, size_t bufsz, int *cols_at);

#endif
