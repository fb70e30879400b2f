/* vt.h: a child process on a pseudo-terminal whose screen is rendered by libvterm. */
#ifndef SETT_TESTS_TUI_VT_H
#define SETT_TESTS_TUI_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct vt;

/* Runs child() in a forked process on a new pty of rows x cols; its return is the exit code. */
struct vt *vt_start(int rows, int cols, int (*child)(void));
/* Exit status of the child (waits up to timeout_ms, then kills it and returns -1). */
int vt_finish(struct vt **v, int timeout_ms);

void vt_send(struct vt *v, const char *bytes);
void vt_resize(struct vt *v, int rows, int cols);
/* Reads output for up to ms milliseconds; returns the number of bytes read. */
size_t vt_pump(struct vt *v, int ms);
/* Waits until the screen shows `text` somewhere (true) or timeout_ms passes (false). */
bool vt_wait_text(struct vt *v, const char *text, int timeout_ms);
/* Row `row` of the screen as UTF-8, trailing blanks removed. */
const char *vt_row(struct vt *v, int row);
/* Everything the child wrote so far (raw bytes, NUL-terminated). */
const char *vt_raw(struct vt *v, size_t *len);
bool vt_cell_reverse(struct vt *v, int row, int col);
/* CPU time the child has used so far, in clock ticks (utime + stime), or -1. */
long vt_cpu_ticks(struct vt *v);
/* Prints the screen, framed, to stderr (for a failing test, or TUI_LOOP_DUMP=1). */
void vt_dump(struct vt *v, const char *what);

#endif
