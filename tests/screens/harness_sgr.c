/* harness_sgr.c: the program's output on its way to libvterm, with faint (SGR 2) kept as a font.
 *
 * libvterm 0.1 drops SGR 2 (faint, ncurses' A_DIM) and so loses the dim attribute. Here SGR 2
 * becomes SGR 11 (alternative font 1), and SGR 22 (normal intensity) is followed by SGR 10, so
 * a cell's `attrs.font == HARNESS_FONT_DIM` means dim. Nothing else in the stream changes; the
 * raw log keeps the bytes exactly as written. */
#include "harness_internal.h"

#include <string.h>

/* Hands bytes to libvterm. */
static void emit(struct harness *h, const char *s, size_t n)
{
    if (n > 0)
        vterm_input_write(h->vt, s, n);
}

/* Rewrites the parameters of one SGR ("1;2;38;5;2" …) into `out`; returns its length. */
static size_t rewrite_sgr(const char *p, size_t n, char *out, size_t outsz)
{
    size_t len = 0, i = 0;
    int skip = 0; /* parameters of a 38/48/58 colour still to copy as they are */
    while (i <= n) {
        size_t start = i;
        while (i < n && p[i] != ';')
            i++;
        size_t plen = i - start;
        const char *rep = NULL;
        if (skip > 0) {
            skip--;
        } else if (plen == 1 && p[start] == '2') {
            rep = "11";
        } else if (plen == 2 && memcmp(p + start, "22", 2) == 0) {
            rep = "22;10";
        } else if (plen == 2 &&
                   (memcmp(p + start, "38", 2) == 0 || memcmp(p + start, "48", 2) == 0 ||
                    memcmp(p + start, "58", 2) == 0)) {
            /* "38;5;N" or "38;2;R;G;B": the mode decides how many follow */
            size_t next = i + 1;
            skip = next < n && p[next] == '2' ? 4 : 2;
        }
        const char *src = rep ? rep : p + start;
        size_t slen = rep ? strlen(rep) : plen;
        if (len + slen + 1 >= outsz)
            return 0;
        if (start > 0)
            out[len++] = ';';
        memcpy(out + len, src, slen);
        len += slen;
        i++;
    }
    return len;
}

static void flush_csi(struct harness *h)
{
    struct harness_sgr *f = &h->sgr;
    /* f->buf holds ESC [ params final */
    size_t n = f->len;
    char final = f->buf[n - 1];
    size_t plen = n - 3;
    const char *params = f->buf + 2;
    bool plain = true;
    for (size_t i = 0; i < plen; i++)
        if (!((params[i] >= '0' && params[i] <= '9') || params[i] == ';'))
            plain = false; /* private markers, colons, intermediates: left alone */
    if (final == 'm' && plain && plen > 0) {
        char out[HARNESS_SGR_MAX * 2 + 8];
        size_t len = rewrite_sgr(params, plen, out + 2, sizeof out - 3);
        if (len > 0) {
            out[0] = 0x1b;
            out[1] = '[';
            out[2 + len] = 'm';
            emit(h, out, len + 3);
            f->len = 0;
            return;
        }
    }
    emit(h, f->buf, n);
    f->len = 0;
}

void harness_feed(struct harness *h, const char *buf, size_t n)
{
    struct harness_sgr *f = &h->sgr;
    size_t plain_from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (f->len == 0) {
            if (c != 0x1b)
                continue;
            emit(h, buf + plain_from, i - plain_from);
            f->buf[f->len++] = (char)c;
            continue;
        }
        f->buf[f->len++] = (char)c;
        if (f->len == 2) {
            if (c != '[') { /* not a CSI: as it was */
                emit(h, f->buf, f->len);
                f->len = 0;
                plain_from = i + 1;
            }
            continue;
        }
        if (c >= 0x40 && c <= 0x7e) {
            flush_csi(h);
            plain_from = i + 1;
        } else if (c < 0x20 || f->len >= HARNESS_SGR_MAX) {
            /* a control inside the sequence, or a long one: let libvterm judge it */
            emit(h, f->buf, f->len);
            f->len = 0;
            plain_from = i + 1;
        }
    }
    if (f->len == 0)
        emit(h, buf + plain_from, n - plain_from);
}
