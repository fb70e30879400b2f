/* harness_svg.h: pictures of the rendered screen: the cells as SVG, and as a text dump. */
#ifndef SETT_SCREENS_HARNESS_SVG_H
#define SETT_SCREENS_HARNESS_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness.h"

/* Cell attributes as the picture draws them. */
enum {
    SVG_BOLD = 1 << 0,
    SVG_UNDERLINE = 1 << 1,
    SVG_ITALIC = 1 << 2,
    SVG_REVERSE = 1 << 3,
    SVG_DIM = 1 << 4,
    SVG_STRIKE = 1 << 5,
};

enum svg_color_kind { SVG_COLOR_DEFAULT, SVG_COLOR_INDEXED, SVG_COLOR_RGB };

struct svg_color {
    enum svg_color_kind kind;
    uint8_t index;   /* SVG_COLOR_INDEXED: 0-255, through the xterm palette */
    uint8_t r, g, b; /* SVG_COLOR_RGB */
};

/* Cells of one row side by side with the same colours and attributes. `cells` counts columns
 * (a wide character takes two); `text` is their characters in UTF-8, a blank cell a space. */
struct svg_run {
    int row, col, cells;
    struct svg_color fg, bg;
    unsigned attrs;
    char *text;
};

/* A screen as runs covering every cell, row by row, and the cursor. */
struct svg_screen {
    int rows, cols;
    int cursor_row, cursor_col;
    bool cursor_visible;
    char title[160]; /* the picture's <title>, or "" */
    struct svg_run *runs;
    size_t n, cap;
};

/* The harness's screen now: its cells and cursor. 0, or -1 (out of memory). */
int svg_screen_from_harness(struct harness *h, struct svg_screen *s);
/* Frees the runs; the screen can be filled again. */
void svg_screen_clear(struct svg_screen *s);
/* Appends a run (text copied). 0 or -1. */
int svg_screen_add(struct svg_screen *s, const struct svg_run *run);

/* The text dump ("sett-cells 1"): size, cursor, title, then one line per run with its text
 * quoted. Same screen, same bytes. */
int svg_screen_dump(const struct svg_screen *s, FILE *out);
/* Reads a dump back; on failure -1 with the line and the reason in `err`. */
int svg_screen_load(struct svg_screen *s, FILE *in, char *err, size_t errsz);

/* The SVG picture: a monospace grid on the dark scheme's background, one <text> per run of
 * styled characters, <rect>s for backgrounds other than the default, block and line-drawing
 * characters drawn as shapes, the cursor as an outlined cell when shown. 0 or -1. */
int svg_screen_write(const struct svg_screen *s, FILE *out);

/* The harness's screen written to `path` as SVG; 0 or -1 (reason on stderr). */
int harness_svg(struct harness *h, const char *path);
/* The same with a title, and the cell dump to `cells_path` too when not NULL. */
int harness_svg_titled(struct harness *h, const char *path, const char *title,
                       const char *cells_path);

/* The colour the picture gives `c` (0xRRGGBB); `fg` picks the default's meaning. */
uint32_t svg_color_rgb(struct svg_color c, bool fg);

#endif
