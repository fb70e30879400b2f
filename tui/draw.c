/* draw.c: drawing primitives; every string goes through the sanitizer on its way out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "tui/internal.h"

void draw_spot_auto(struct tui *t, enum theme_elem el, int y, int x)
{
    if (t->spot_armed && !t->spot_set && el == EL_SELECTED) {
        t->spot_y = y;
        t->spot_x = x;
        t->spot_set = true;
    }
}

void tui_set_cursor(struct tui *t, int y, int x)
{
    if (!t || y < 0 || x < 0 || y >= t->rows || x >= t->cols)
        return;
    t->spot_y = y;
    t->spot_x = x;
    t->spot_set = true;
}

int draw_text_n(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *s,
                size_t len)
{
    struct san_iter it;
    wchar_t buf[64];
    int n = 0, used = 0, cp;

    const struct tui_rect *c = &t->clip;

    if (!s || y < c->y || y >= c->y + c->h || x < c->x || x >= c->x + c->w || maxw <= 0)
        return 0;
    if (maxw > c->x + c->w - x)
        maxw = c->x + c->w - x;
    if ((unsigned)el >= EL_COUNT)
        el = EL_NORMAL;
    draw_spot_auto(t, el, y, x);
    wattr_set(stdscr, t->attr[el], t->pair[el], NULL);
    wmove(stdscr, y, x);
    san_init(&it, s, len, false);
    while ((cp = san_next(&it)) >= 0) {
        int w = wcwidth((wchar_t)cp);
        if (w < 0) { /* outside the locale: its ASCII look-alike, else the stand-in */
            int a = t->utf8 ? 0 : tui_glyph_ascii_char(cp);
            cp = a ? a : (int)t->repl;
            w = 1;
        }
        if (used + w > maxw)
            break; /* a wide character that does not fit whole is left out */
        if (w == 0 && used == 0)
            continue; /* a combining mark here would attach to someone else's cell */
        buf[n++] = (wchar_t)cp;
        used += w;
        if (n == (int)(sizeof buf / sizeof buf[0])) {
            waddnwstr(stdscr, buf, n);
            n = 0;
        }
    }
    if (n > 0)
        waddnwstr(stdscr, buf, n);
    return used;
}

int tui_text(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *s)
{
    return draw_text_n(t, y, x, maxw, el, s, (size_t)-1);
}

int tui_textf(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *fmt, ...)
{
    char stack[512], own[512], *heap = NULL;
    const char *s = stack, *f = tui_own(t, fmt, own, sizeof own); /* the format is sett's own */
    va_list ap;
    int n, used;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    va_start(ap, fmt);
    n = vsnprintf(stack, sizeof stack, f, ap);
    va_end(ap);
    if (n < 0)
        return 0;
    if ((size_t)n >= sizeof stack) {
        va_start(ap, fmt);
        if (vasprintf(&heap, f, ap) < 0)
            heap = NULL;
        va_end(ap);
        if (heap)
            s = heap; /* else the truncated stack copy is still worth showing */
    }
#pragma GCC diagnostic pop
    used = tui_text(t, y, x, maxw, el, s);
    free(heap);
    return used;
}

int tui_text_right(struct tui *t, int y, int x, int maxw, enum theme_elem el, const char *s)
{
    int w = tui_text_width(s);

    if (w > maxw)
        w = maxw;
    return tui_text(t, y, x + maxw - w, w, el, s);
}

/* Clips a rectangle to the drawing area; false if nothing is left. */
static bool rect_clip(const struct tui *t, struct tui_rect *r)
{
    const struct tui_rect *c = &t->clip;
    int y1 = r->y + r->h, x1 = r->x + r->w;

    if (r->y < c->y)
        r->y = c->y;
    if (r->x < c->x)
        r->x = c->x;
    if (y1 > c->y + c->h)
        y1 = c->y + c->h;
    if (x1 > c->x + c->w)
        x1 = c->x + c->w;
    r->h = y1 - r->y;
    r->w = x1 - r->x;
    return r->h > 0 && r->w > 0;
}

static void cell_set(struct tui *t, cchar_t *cc, const wchar_t *wc, enum theme_elem el)
{
    /* Line drawing merges the window's current attributes into each cell; clear what the last
     * text left there so a fill is exactly its element's style. */
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    setcchar(cc, wc, t->attr[el], t->pair[el], NULL);
}

void tui_fill(struct tui *t, struct tui_rect r, enum theme_elem el)
{
    cchar_t cc;

    if (!rect_clip(t, &r))
        return;
    draw_spot_auto(t, el, r.y, r.x);
    cell_set(t, &cc, L" ", el);
    for (int i = 0; i < r.h; i++)
        mvwhline_set(stdscr, r.y + i, r.x, &cc, r.w);
}

/* The terminal's line-drawing character for a rule or border cell, in el's style. */
static chtype acs_cell(const struct tui *t, chtype acs, enum theme_elem el)
{
    wattr_set(stdscr, A_NORMAL, 0, NULL);
    return acs | t->attr[el] | (chtype)COLOR_PAIR(t->pair[el]);
}

void tui_hline(struct tui *t, int y, int x, int w, enum theme_elem el)
{
    struct tui_rect r = {y, x, 1, w};
    cchar_t cc;

    if (!rect_clip(t, &r))
        return;
    if (!t->utf8) {
        mvwhline(stdscr, r.y, r.x, acs_cell(t, ACS_HLINE, el), r.w);
        return;
    }
    cell_set(t, &cc, L"\u2500", el);
    mvwhline_set(stdscr, r.y, r.x, &cc, r.w);
}

void tui_vline(struct tui *t, int y, int x, int h, enum theme_elem el)
{
    struct tui_rect r = {y, x, h, 1};
    cchar_t cc;

    if (!rect_clip(t, &r))
        return;
    if (!t->utf8) {
        mvwvline(stdscr, r.y, r.x, acs_cell(t, ACS_VLINE, el), r.h);
        return;
    }
    cell_set(t, &cc, L"\u2502", el);
    mvwvline_set(stdscr, r.y, r.x, &cc, r.h);
}

void draw_box(struct tui *t, struct tui_rect r, enum theme_elem el)
{
    static const wchar_t *const corner[4] = {L"\u250c", L"\u2510", L"\u2514", L"\u2518"};
    const chtype acs_corner[4] = {ACS_ULCORNER, ACS_URCORNER, ACS_LLCORNER, ACS_LRCORNER};
    const struct tui_rect *c = &t->clip;

    if (r.h < 2 || r.w < 2 || r.y < c->y || r.x < c->x || r.y + r.h > c->y + c->h ||
        r.x + r.w > c->x + c->w)
        return;
    tui_hline(t, r.y, r.x + 1, r.w - 2, el);
    tui_hline(t, r.y + r.h - 1, r.x + 1, r.w - 2, el);
    tui_vline(t, r.y + 1, r.x, r.h - 2, el);
    tui_vline(t, r.y + 1, r.x + r.w - 1, r.h - 2, el);
    for (int i = 0; i < 4; i++) {
        int y = i < 2 ? r.y : r.y + r.h - 1, x = i % 2 ? r.x + r.w - 1 : r.x;
        if (t->utf8) {
            cchar_t cc;
            cell_set(t, &cc, corner[i], el);
            mvwadd_wch(stdscr, y, x, &cc);
        } else {
            mvwaddch(stdscr, y, x, acs_cell(t, acs_corner[i], el));
        }
    }
}

int tui_attr(const struct tui *t, enum theme_elem el)
{
    if ((unsigned)el >= EL_COUNT)
        el = EL_NORMAL;
    return (int)(t->attr[el] | (attr_t)COLOR_PAIR(t->pair[el]));
}
