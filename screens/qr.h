/* qr.h: a QR code of a link (libqrencode), drawn with half blocks: two modules a cell. */
#ifndef SETT_SCREENS_QR_H
#define SETT_SCREENS_QR_H

#include <stdbool.h>

#include "tui/tui.h"

struct qr {
    int width;           /* modules per side; 0 when there is no code */
    unsigned char *dark; /* width * width, 1 = dark module */
};

/* 0, or -1 when the text cannot be encoded (too long) or memory ran out. */
int qr_encode(const char *text, struct qr *out);
void qr_free(struct qr *q);
/* Cells the code takes with a quiet zone of `quiet` modules around it. */
int qr_cols(const struct qr *q, int quiet);
int qr_rows(const struct qr *q, int quiet);
/* Half blocks need a UTF-8 terminal; without one there is no code to show. */
bool qr_drawable(const struct tui *t);
/* Draws the code at (y, x): light modules (and the quiet zone) as blocks, so it reads as dark on
 * light on the usual dark terminal, the way phone cameras expect it. */
void qr_paint(struct tui *t, int y, int x, const struct qr *q, int quiet);

#endif
