/* draw.c: drawing primitives; every string goes through the sanitizer on its way out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "tui/internal.h"

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
    wattr_set(stdscr, t->attr[el], t->pair[el], NULL);
    wmove(stdscr, y, x);
    san_init(&it, s, len, false);
    while ((cp = san_next(&it)) >= 0) {
        int w = wcwidth((wchar_t)cp);
        if (w < 0) {
            cp = (int)t->repl;
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
    char stack[512], *heap = NULL;
    const char *s = stack;
    va_list ap;
    int n, used;

    va_start(ap, fmt);
    n = vsnprintf(stack, sizeof stack, fmt, ap);
    va_end(ap);
    if (n < 0)
        return 0;
    if ((size_t)n >= sizeof stack) {
        va_start(ap, fmt);
        if (vasprintf(&heap, fmt, ap) < 0)
            heap = NULL;
        va_end(ap);
        if (heap)
            s = heap; /* else the truncated stack copy is still worth showing */
    }
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
    cell_set(t, &cc, L" ", el);
    for (int i = 0; i < r.h; i++)
        mvwhline_set(stdscr, r.y + i, r.x, &cc, r.w);
}

void tui_hline(struct tui *t, int y, int x, int w, enum theme_elem el)
{
    struct tui_rect r = {y, x, 1, w};
    cchar_t cc;

    if (!rect_clip(t, &r))
        return;
    cell_set(t, &cc, t->utf8 ? L"\u2500" : L"-", el);
    mvwhline_set(stdscr, r.y, r.x, &cc, r.w);
}

void draw_box(struct tui *t, struct tui_rect r, enum theme_elem el)
{
    cchar_t v, h;
    const wchar_t *corner[4] = {L"+", L"+", L"+", L"+"};

    const struct tui_rect *c = &t->clip;

    if (r.h < 2 || r.w < 2 || r.y < c->y || r.x < c->x || r.y + r.h > c->y + c->h ||
        r.x + r.w > c->x + c->w)
        return;
    if (t->utf8) {
        corner[0] = L"\u250c";
        corner[1] = L"\u2510";
        corner[2] = L"\u2514";
        corner[3] = L"\u2518";
    }
    cell_set(t, &h, t->utf8 ? L"\u2500" : L"-", el);
    cell_set(t, &v, t->utf8 ? L"\u2502" : L"|", el);
    mvwhline_set(stdscr, r.y, r.x + 1, &h, r.w - 2);
    mvwhline_set(stdscr, r.y + r.h - 1, r.x + 1, &h, r.w - 2);
    mvwvline_set(stdscr, r.y + 1, r.x, &v, r.h - 2);
    mvwvline_set(stdscr, r.y + 1, r.x + r.w - 1, &v, r.h - 2);
    for (int i = 0; i < 4; i++) {
        cchar_t cc;
        cell_set(t, &cc, corner[i], el);
        mvwadd_wch(stdscr, i < 2 ? r.y : r.y + r.h - 1, i % 2 ? r.x + r.w - 1 : r.x, &cc);
    }
}

int tui_attr(const struct tui *t, enum theme_elem el)
{
    if ((unsigned)el >= EL_COUNT)
        el = EL_NORMAL;
    return (int)(t->attr[el] | (attr_t)COLOR_PAIR(t->pair[el]));
}
