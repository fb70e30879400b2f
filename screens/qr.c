/* qr.c: QR codes of payment links, encoded by libqrencode and drawn with "▀▄█". */
#include "screens/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

int qr_encode(const char *text, struct qr *out)
{
    memset(out, 0, sizeof *out);
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
    if (!code)
        return -1;
    out->dark = malloc((size_t)code->width * (size_t)code->width);
    if (!out->dark) {
        QRcode_free(code);
        return -1;
    }
    out->width = code->width;
    for (int i = 0; i < code->width * code->width; i++)
        out->dark[i] = code->data[i] & 1;
    QRcode_free(code);
    return 0;
}

void qr_free(struct qr *q)
{
    free(q->dark);
    memset(q, 0, sizeof *q);
}

int qr_cols(const struct qr *q, int quiet)
{
    return q->width ? q->width + 2 * quiet : 0;
}

int qr_rows(const struct qr *q, int quiet)
{
    return q->width ? (q->width + 2 * quiet + 1) / 2 : 0;
}

bool qr_drawable(const struct tui *t)
{
    return tui_utf8(t);
}

/* Modules outside the code are the quiet zone: light. */
static bool light(const struct qr *q, int quiet, int mx, int my)
{
    int x = mx - quiet, y = my - quiet;
    if (x < 0 || y < 0 || x >= q->width || y >= q->width)
        return true;
    return !q->dark[y * q->width + x];
}

void qr_paint(struct tui *t, int y, int x, const struct qr *q, int quiet)
{
    int cols = qr_cols(q, quiet), rows = qr_rows(q, quiet);
    int side = q->width + 2 * quiet;
    char *line = malloc((size_t)cols * 3 + 1);
    if (!line)
        return;
    for (int r = 0; r < rows; r++) {
        char *p = line;
        for (int c = 0; c < cols; c++) {
            bool top = light(q, quiet, c, 2 * r);
            bool bottom = 2 * r + 1 < side ? light(q, quiet, c, 2 * r + 1) : false;
            const char *cell = top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
            size_t n = strlen(cell);
            memcpy(p, cell, n);
            p += n;
        }
        *p = '\0';
        tui_text(t, y + r, x, cols, EL_NORMAL, line);
    }
    free(line);
}
