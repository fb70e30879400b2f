/* vt.c: runs a child on a pty and renders its output with libvterm, for loop tests. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#include "vt.h"

struct vt {
    int master;
    pid_t pid;
    int rows, cols;
    VTerm *term;
    VTermScreen *screen;
    char *raw;
    size_t rawlen, rawcap;
    char row[1024];
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

struct vt *vt_start(int rows, int cols, int (*child)(void))
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    struct vt *v = calloc(1, sizeof *v);

    if (!v)
        return NULL;
    v->rows = rows;
    v->cols = cols;
    fflush(NULL);
    v->pid = forkpty(&v->master, NULL, NULL, &ws);
    if (v->pid < 0) {
        free(v);
        return NULL;
    }
    if (v->pid == 0) {
        setenv("TERM", "xterm-256color", 1);
        unsetenv("NO_COLOR");
        exit(child()); /* exit, not _exit: the sanitizers check the child too */
    }
    v->term = vterm_new(rows, cols);
    vterm_set_utf8(v->term, 1);
    v->screen = vterm_obtain_screen(v->term);
    vterm_screen_reset(v->screen, 1);
    return v;
}

size_t vt_pump(struct vt *v, int ms)
{
    long end = now_ms() + ms;
    size_t total = 0;

    for (;;) {
        struct pollfd pfd = {.fd = v->master, .events = POLLIN};
        long left = end - now_ms();
        char buf[4096];
        ssize_t n;
        if (poll(&pfd, 1, left > 0 ? (int)left : 0) <= 0)
            break;
        n = read(v->master, buf, sizeof buf);
        if (n <= 0)
            break;
        if (v->rawlen + (size_t)n + 1 > v->rawcap) {
            v->rawcap = (v->rawlen + (size_t)n + 1) * 2;
            v->raw = realloc(v->raw, v->rawcap);
        }
        memcpy(v->raw + v->rawlen, buf, (size_t)n);
        v->rawlen += (size_t)n;
        v->raw[v->rawlen] = '\0';
        vterm_input_write(v->term, buf, (size_t)n);
        total += (size_t)n;
        if (left <= 0)
            break;
    }
    return total;
}

const char *vt_row(struct vt *v, int row)
{
    size_t len = 0;

    for (int col = 0; col < v->cols && len + 8 < sizeof v->row; col++) {
        VTermScreenCell cell;
        vterm_screen_get_cell(v->screen, (VTermPos){row, col}, &cell);
        if (cell.chars[0] == 0) {
            v->row[len++] = ' ';
            continue;
        }
        for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++) {
            uint32_t c = cell.chars[i];
            if (c < 0x80) {
                v->row[len++] = (char)c;
            } else if (c < 0x800) {
                v->row[len++] = (char)(0xC0 | (c >> 6));
                v->row[len++] = (char)(0x80 | (c & 0x3F));
            } else if (c < 0x10000) {
                v->row[len++] = (char)(0xE0 | (c >> 12));
                v->row[len++] = (char)(0x80 | ((c >> 6) & 0x3F));
                v->row[len++] = (char)(0x80 | (c & 0x3F));
            } else {
                v->row[len++] = (char)(0xF0 | (c >> 18));
                v->row[len++] = (char)(0x80 | ((c >> 12) & 0x3F));
                v->row[len++] = (char)(0x80 | ((c >> 6) & 0x3F));
                v->row[len++] = (char)(0x80 | (c & 0x3F));
            }
        }
        if (cell.width == 2)
            col++;
    }
    while (len > 0 && v->row[len - 1] == ' ')
        len--;
    v->row[len] = '\0';
    return v->row;
}

bool vt_cell_reverse(struct vt *v, int row, int col)
{
    VTermScreenCell cell;
    vterm_screen_get_cell(v->screen, (VTermPos){row, col}, &cell);
    return cell.attrs.reverse;
}

long vt_cpu_ticks(struct vt *v)
{
    char path[64], buf[1024], *p;
    unsigned long utime, stime;
    FILE *f;
    size_t n;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)v->pid);
    if (!(f = fopen(path, "r")))
        return -1;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* fields after the command name, which is in parentheses and may hold spaces */
    if (!(p = strrchr(buf, ')')) ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (long)(utime + stime);
}

void vt_dump(struct vt *v, const char *what)
{
    fprintf(stderr, "---- %s (%dx%d)\n", what, v->cols, v->rows);
    for (int r = 0; r < v->rows; r++)
        fprintf(stderr, "%2d|%s\n", r, vt_row(v, r));
}

static bool vt_shows(struct vt *v, const char *text)
{
    for (int r = 0; r < v->rows; r++)
        if (strstr(vt_row(v, r), text))
            return true;
    return false;
}

bool vt_wait_text(struct vt *v, const char *text, int timeout_ms)
{
    long end = now_ms() + timeout_ms;

    while (!vt_shows(v, text)) {
        if (now_ms() >= end)
            return false;
        vt_pump(v, 20);
    }
    return true;
}

void vt_send(struct vt *v, const char *bytes)
{
    size_t len = strlen(bytes);
    while (len > 0) {
        ssize_t n = write(v->master, bytes, len);
        if (n <= 0 && errno != EINTR)
            return;
        if (n > 0) {
            bytes += n;
            len -= (size_t)n;
        }
    }
}

void vt_resize(struct vt *v, int rows, int cols)
{
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};

    v->rows = rows;
    v->cols = cols;
    vterm_set_size(v->term, rows, cols);
    ioctl(v->master, TIOCSWINSZ, &ws); /* the kernel sends the child SIGWINCH */
}

const char *vt_raw(struct vt *v, size_t *len)
{
    if (len)
        *len = v->rawlen;
    return v->raw ? v->raw : "";
}

int vt_finish(struct vt **vp, int timeout_ms)
{
    struct vt *v = *vp;
    long end = now_ms() + timeout_ms;
    int status = 0, rc = -1;

    for (;;) {
        pid_t p = waitpid(v->pid, &status, WNOHANG);
        if (p == v->pid) {
            rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (now_ms() >= end) {
            kill(v->pid, SIGKILL);
            waitpid(v->pid, &status, 0);
            break;
        }
        vt_pump(v, 10); /* keep the pty drained so the child never blocks writing */
    }
    close(v->master);
    vterm_free(v->term);
    free(v->raw);
    free(v);
    *vp = NULL;
    return rc;
}
