/* wrap.c: greedy word wrap by display width; paragraphs at '\n', over-long words broken. */
#include "tui/internal.h"

/* Lines are what a text file has: "" has none, "a\n" one, "a\n\n" two ("a" and an empty one).
 * Spaces where a line is wrapped are dropped; a paragraph's leading spaces are kept while they
 * fit (indentation). */

static bool wrap_soft_continue(struct wrap_iter *w)
{
    struct san_iter before;
    int cp;

    /* after a wrap, the spaces and a '\n' that ended the paragraph belong to the last line */
    for (;;) {
        before = w->it;
        cp = san_next(&w->it);
        if (cp == ' ')
            continue;
        if (cp < 0) {
            w->done = true;
            return false;
        }
        if (cp != '\n')
            w->it = before;
        return true;
    }
}

void wrap_init(struct wrap_iter *w, const char *text, int width)
{
    san_init(&w->it, text, (size_t)-1, true);
    w->width = width;
    w->done = width < 1;
    w->soft = false;
}

/* Measures the word at `it` (up to a space, '\n' or the end); leaves `it` after it. A wide
 * character (CJK, emoji) is a word of its own: such text may break between any two of them. */
static int word_measure(struct san_iter *it)
{
    struct san_iter before;
    int cp, w = 0, cw;

    for (;;) {
        before = *it;
        cp = san_next(it);
        cw = cp < 0 ? 0 : san_cp_width(cp);
        if (cp < 0 || cp == ' ' || cp == '\n' || (cw > 1 && w > 0)) {
            *it = before;
            return w;
        }
        w += cw;
        if (cw > 1)
            return w;
    }
}

/* Places as much of the word at `it` as fits from column *col; at least one character so an
 * over-wide character still makes progress (drawing clips it). */
static void word_break(struct san_iter *it, int width, int *col)
{
    struct san_iter before;
    int cp, placed = 0;

    for (;;) {
        before = *it;
        cp = san_next(it);
        if (cp < 0 || cp == ' ' || cp == '\n' || (placed > 0 && *col + san_cp_width(cp) > width)) {
            *it = before;
            return;
        }
        *col += san_cp_width(cp);
        placed++;
    }
}

bool wrap_next(struct wrap_iter *w, struct wrap_line *line)
{
    struct san_iter it, before, word;
    const unsigned char *start, *end;
    int col = 0, pend = 0, cp, ww;
    bool any = false;

    if (w->done)
        return false;
    if (w->soft) {
        w->soft = false;
        if (!wrap_soft_continue(w))
            return false;
    }
    it = w->it;
    start = end = it.p;
    for (;;) {
        before = it;
        cp = san_next(&it);
        if (cp < 0) {
            w->done = true;
            if (!any)
                return false;
            break;
        }
        if (cp == '\n') {
            w->it = it;
            break;
        }
        any = true;
        if (cp == ' ') {
            pend++;
            continue;
        }
        word = before;
        ww = word_measure(&word);
        if (col + pend + ww <= w->width) {
            col += pend + ww;
            pend = 0;
            it = word;
            end = it.p;
            continue;
        }
        if (col > 0) { /* wrap before this word */
            w->it = before;
            w->soft = true;
            break;
        }
        /* first word of the line: indentation goes before the word does */
        if (pend > 0)
            start = before.p;
        pend = 0;
        it = before;
        if (ww <= w->width) {
            col = ww;
            it = word;
            end = it.p;
            continue;
        }
        word_break(&it, w->width, &col);
        end = it.p;
        w->it = it;
        w->soft = true;
        break;
    }
    if (cp < 0)
        w->it = it;
    line->start = (const char *)start;
    line->len = (size_t)(end - start);
    line->width = col;
    return true;
}

int tui_wrap_count(const char *text, int width)
{
    struct wrap_iter w;
    struct wrap_line line;
    int n = 0;

    wrap_init(&w, text, width);
    while (wrap_next(&w, &line))
        n++;
    return n;
}

int tui_wrap_paint(struct tui *t, struct tui_rect r, int top, enum theme_elem el, const char *text)
{
    struct wrap_iter w;
    struct wrap_line line;
    int n = 0;

    wrap_init(&w, text, r.w);
    while (wrap_next(&w, &line)) {
        int row = n - top;
        if (row >= 0 && row < r.h)
            draw_text_n(t, r.y + row, r.x, r.w, el, line.start, line.len);
        n++;
    }
    return n;
}
