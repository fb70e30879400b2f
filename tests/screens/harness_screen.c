/* harness_screen.c: the rendered screen as text, and what reached the terminal. */
#include "harness_internal.h"

#include <stdlib.h>
#include <string.h>

size_t harness_put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t harness_row_render(struct harness *h, int row, char *buf, size_t bufsz, int *cols_at)
{
    size_t len = 0, keep = 0;
    for (int col = 0; col < h->cols;) {
        VTermScreenCell cell;
        char enc[4 * VTERM_MAX_CHARS_PER_CELL];
        size_t n = 0;
        int width = 1;
        if (vterm_screen_get_cell(h->screen, (VTermPos){.row = row, .col = col}, &cell)) {
            for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i]; i++)
                if (cell.chars[i] != (uint32_t)-1)
                    n += harness_put_utf8(enc + n, cell.chars[i]);
            if (cell.width > 1)
                width = cell.width;
        }
        if (n == 0)
            enc[n++] = ' ';
        if (len + n >= bufsz)
            break;
        for (size_t i = 0; i < n; i++) {
            if (cols_at)
                cols_at[len + i] = col;
            buf[len + i] = enc[i];
        }
        len += n;
        if (!(n == 1 && enc[0] == ' '))
            keep = len;
        col += width;
    }
    buf[keep] = '\0';
    return keep;
}

size_t harness_screen_text(struct harness *h, char *buf, size_t bufsz)
{
    size_t len = 0;
    if (bufsz == 0)
        return 0;
    buf[0] = '\0';
    for (int row = 0; row < h->rows && len + 1 < bufsz; row++) {
        len += harness_row_render(h, row, buf + len, bufsz - len - 1, NULL);
        buf[len++] = '\n';
        buf[len] = '\0';
    }
    return len;
}

char *harness_screen_dup(struct harness *h)
{
    size_t sz = (size_t)h->rows * ((size_t)h->cols * 4 * VTERM_MAX_CHARS_PER_CELL + 1) + 1;
    char *buf = malloc(sz);
    if (buf)
        harness_screen_text(h, buf, sz);
    return buf;
}

int harness_row_text(struct harness *h, int row, char *buf, size_t bufsz)
{
    if (row < 0 || row >= h->rows || bufsz == 0)
        return -1;
    return (int)harness_row_render(h, row, buf, bufsz, NULL);
}

bool harness_screen_contains(struct harness *h, const char *text)
{
    char *screen = harness_screen_dup(h);
    bool found = screen && strstr(screen, text) != NULL;
    free(screen);
    return found;
}

int harness_find(struct harness *h, const char *text, int *row, int *col)
{
    size_t sz = (size_t)h->cols * 4 * VTERM_MAX_CHARS_PER_CELL + 1;
    char *buf = malloc(sz);
    int *cols_at = malloc(sz * sizeof *cols_at);
    int rc = -1;
    for (int r = 0; buf && cols_at && r < h->rows; r++) {
        harness_row_render(h, r, buf, sz, cols_at);
        const char *m = strstr(buf, text);
        if (m) {
            *row = r;
            *col = cols_at[m - buf];
            rc = 0;
            break;
        }
    }
    free(buf);
    free(cols_at);
    return rc;
}

int harness_cell(struct harness *h, int row, int col, VTermScreenCell *cell)
{
    return vterm_screen_get_cell(h->screen, (VTermPos){.row = row, .col = col}, cell) ? 0 : -1;
}

void harness_cursor(const struct harness *h, int *row, int *col, bool *visible)
{
    if (row)
        *row = h->cursor_row;
    if (col)
        *col = h->cursor_col;
    if (visible)
        *visible = h->cursor_visible;
}

void harness_print_screen(struct harness *h, FILE *out, const char *why)
{
    size_t sz = (size_t)h->cols * 4 * VTERM_MAX_CHARS_PER_CELL + 1;
    char *buf = malloc(sz);
    if (!buf)
        return;
    fprintf(out, "---- %s; screen %dx%d (cols x rows)%s ----\n", why, h->cols, h->rows,
            h->reaped ? ", program exited" : "");
    for (int r = 0; r < h->rows; r++) {
        harness_row_render(h, r, buf, sz, NULL);
        fprintf(out, "%3d|%s\n", r, buf);
    }
    fprintf(out, "---- end of screen ----\n");
    free(buf);
}

/* ---- what reached the terminal ---- */

const unsigned char *harness_raw(const struct harness *h, size_t *len)
{
    if (len)
        *len = h->raw_len;
    return h->raw;
}

size_t harness_raw_len(const struct harness *h)
{
    return h->raw_len;
}

long harness_raw_find(const struct harness *h, size_t from, const void *bytes, size_t len)
{
    if (from > h->raw_len || !h->raw)
        return -1;
    const unsigned char *m = memmem(h->raw + from, h->raw_len - from, bytes, len);
    return m ? (long)(m - h->raw) : -1;
}

bool harness_title_set(const struct harness *h)
{
    return h->title_set;
}

const char *harness_title(const struct harness *h)
{
    return h->title;
}

bool harness_altscreen(const struct harness *h)
{
    return h->altscreen;
}

bool harness_cursor_visible(const struct harness *h)
{
    return h->cursor_visible;
}

/* libvterm 0.1 applies only the first mode of a multi-mode DECSM ("CSI ? 1006;1000 h", which is
 * how ncurses switches the mouse on), so the mouse modes are read from the raw output here. */
static int scan_mouse(const unsigned char *raw, size_t len)
{
    int mode = VTERM_PROP_MOUSE_NONE;
    for (size_t i = 0; i + 2 < len; i++) {
        if (raw[i] != 0x1b || raw[i + 1] != '[' || raw[i + 2] != '?')
            continue;
        long params[16];
        int n = 0;
        size_t j = i + 3;
        params[0] = 0;
        while (j < len && ((raw[j] >= '0' && raw[j] <= '9') || raw[j] == ';')) {
            if (raw[j] == ';') {
                if (n < 15)
                    params[++n] = 0;
            } else if (params[n] < 100000) {
                params[n] = params[n] * 10 + (raw[j] - '0');
            }
            j++;
        }
        if (j >= len || (raw[j] != 'h' && raw[j] != 'l'))
            continue;
        for (int k = 0; k <= n; k++) {
            int want = params[k] == 1000   ? VTERM_PROP_MOUSE_CLICK
                       : params[k] == 1002 ? VTERM_PROP_MOUSE_DRAG
                       : params[k] == 1003 ? VTERM_PROP_MOUSE_MOVE
                                           : -1;
            if (want >= 0)
                mode = raw[j] == 'h' ? want : VTERM_PROP_MOUSE_NONE;
        }
        i = j;
    }
    return mode;
}

int harness_mouse_mode(const struct harness *h)
{
    return scan_mouse(h->raw, h->raw_len);
}

int harness_bells(const struct harness *h)
{
    return h->bells;
}
