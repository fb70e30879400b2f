/* palette.c: turns the theme's styles into curses attributes and as few colour pairs as can be. */
#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

static attr_t attrs_from_tm(unsigned tm)
{
    attr_t a = A_NORMAL;

    if (tm & TM_BOLD)
        a |= A_BOLD;
    if (tm & TM_REVERSE)
        a |= A_REVERSE;
    if (tm & TM_UNDERLINE)
        a |= A_UNDERLINE;
    if (tm & TM_DIM)
        a |= A_DIM;
    if (tm & TM_ITALIC)
        a |= A_ITALIC;
    if (tm & TM_STANDOUT)
        a |= A_STANDOUT;
    return a;
}

/* Nearest of the 8 base colours for an xterm-256 cube or grey-ramp colour. */
static int colour_base_of(int c)
{
    if (c >= 232) {
        int level = c - 232; /* 0-23, dark to light */
        return level < 12 ? COLOR_BLACK : COLOR_WHITE;
    }
    c -= 16;
    int r = c / 36, g = (c / 6) % 6, b = c % 6;
    int bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0);
    return bits; /* curses numbers the base colours as RGB bits */
}

/* Fits a theme colour to what the terminal has: 256-colour numbers only with 256 colours,
 * bright colours only with 16. */
static short colour_fit(int c)
{
    if (c < 0)
        return -1;
    if (c >= 16 && COLORS < 256)
        c = colour_base_of(c);
    if (c >= 8 && c < 16 && COLORS < 16)
        c -= 8;
    return (short)c;
}

void palette_setup(struct tui *t)
{
    short fgs[64], bgs[64];
    int npairs = 0;
    bool defaults = t->color && use_default_colors() == OK;

    for (int e = 0; e < EL_COUNT; e++) {
        const struct theme_style *st = &t->theme.styles[e];
        short fg, bg, pair = 0;

        t->pair[e] = 0;
        if (!t->color) {
            t->attr[e] = attrs_from_tm(theme_elem_mono((enum theme_elem)e));
            continue;
        }
        t->attr[e] = attrs_from_tm(st->attrs);
        fg = colour_fit(st->fg);
        bg = colour_fit(st->bg);
        if (!defaults) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        if (defaults && fg < 0 && bg < 0) {
            t->pair[e] = 0;
            continue;
        }
        for (int i = 0; i < npairs; i++)
            if (fgs[i] == fg && bgs[i] == bg)
                pair = (short)(i + 1);
        if (pair == 0 && npairs < (int)(sizeof fgs / sizeof fgs[0]) && npairs + 1 < COLOR_PAIRS) {
            fgs[npairs] = fg;
            bgs[npairs] = bg;
            pair = (short)++npairs;
            init_pair(pair, fg, bg);
        }
        t->pair[e] = pair;
    }
    if (t->scr) {
        cchar_t bk;
        setcchar(&bk, L" ", t->attr[EL_NORMAL], t->pair[EL_NORMAL], NULL);
        wbkgrndset(stdscr, &bk);
    }
}
