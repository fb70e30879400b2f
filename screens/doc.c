/* doc.c: a scrolling document painted line by line. */
#include "screens/doc.h"

int doc_row(const struct doc *d, int line)
{
    int row = line - d->scroll;
    return row >= 0 && row < d->body.h ? d->body.y + row : -1;
}

void doc_text(struct doc *d, int x, int w, enum theme_elem el, const char *s)
{
    int row = doc_row(d, d->y);
    if (row >= 0)
        tui_text(d->t, row, d->body.x + x, w, el, s);
}

void doc_right(struct doc *d, int x, int w, enum theme_elem el, const char *s)
{
    int row = doc_row(d, d->y);
    if (row >= 0)
        tui_text_right(d->t, row, d->body.x + x, w, el, s);
}

void doc_fill(struct doc *d, int x, int w, enum theme_elem el)
{
    int row = doc_row(d, d->y);
    if (row >= 0 && w > 0)
        tui_fill(d->t, (struct tui_rect){row, d->body.x + x, 1, w}, el);
}

void doc_wrap(struct doc *d, int x, int w, enum theme_elem el, const char *text)
{
    if (w < 1)
        return;
    int n = tui_wrap_count(text, w);
    int first = d->scroll > d->y ? d->scroll - d->y : 0;
    int row = d->y + first - d->scroll;
    int h = n - first;
    if (h > d->body.h - row)
        h = d->body.h - row;
    if (h > 0 && row >= 0)
        tui_wrap_paint(d->t, (struct tui_rect){d->body.y + row, d->body.x + x, h, w}, first, el,
                       text);
    d->y += n;
}

void doc_heading(struct doc *d, const char *title)
{
    d->y++;
    doc_text(d, 1, d->body.w - 2, EL_TITLE, title);
    d->y++;
}

void doc_field(struct doc *d, const char *label, enum theme_elem el, const char *value)
{
    doc_text(d, 3, 14, EL_LABEL, label);
    doc_text(d, 18, d->body.w - 19, el, value);
    d->y++;
}

static void paint_pass(struct doc_view *v, struct tui *t, struct tui_rect body, doc_paint_fn fn,
                       void *ud)
{
    struct doc d = {.t = t, .body = body, .scroll = v->scroll, .y = 0};
    fn(&d, ud);
    v->height = d.y;
}

void doc_view_paint(struct doc_view *v, struct tui *t, struct tui_rect body, doc_paint_fn fn,
                    void *ud)
{
    char own[32];

    v->page_h = body.h;
    /* Measure first (a zero-height window draws nothing), so a long document can give up its
     * last row to the "more" marker. */
    paint_pass(v, t, (struct tui_rect){body.y, body.x, 0, body.w}, fn, ud);
    if (v->height > body.h) {
        body.h--;
        v->page_h = body.h;
        if (v->scroll > v->height - body.h)
            v->scroll = v->height - body.h;
        if (v->scroll + body.h < v->height)
            tui_text_right(t, body.y + body.h, body.x, body.w - 1, EL_DIM,
                           tui_own(t, "▼ more below", own, sizeof own));
    } else {
        v->scroll = 0;
    }
    paint_pass(v, t, body, fn, ud);
}

void doc_view_scroll_to(struct doc_view *v, int line)
{
    int max = v->height - v->page_h;
    if (line > max)
        line = max;
    v->scroll = line < 0 ? 0 : line;
}

void doc_view_show(struct doc_view *v, int first, int last)
{
    if (v->page_h <= 0)
        return;
    if (last >= v->scroll + v->page_h)
        v->scroll = last - v->page_h + 1;
    if (first < v->scroll)
        v->scroll = first;
    if (v->scroll < 0)
        v->scroll = 0;
}

bool doc_view_handle(struct doc_view *v, const struct tui_event *ev)
{
    if (ev->kind == TUI_EV_MOUSE) {
        if (ev->mouse == TUI_MOUSE_WHEEL_UP)
            doc_view_scroll_to(v, v->scroll - 3);
        else if (ev->mouse == TUI_MOUSE_WHEEL_DOWN)
            doc_view_scroll_to(v, v->scroll + 3);
        else
            return false;
        return true;
    }
    switch (ev->op) {
    case OP_UP:
        doc_view_scroll_to(v, v->scroll - 1);
        return true;
    case OP_DOWN:
        doc_view_scroll_to(v, v->scroll + 1);
        return true;
    case OP_PAGE_UP:
        doc_view_scroll_to(v, v->scroll - (v->page_h - 1));
        return true;
    case OP_PAGE_DOWN:
        doc_view_scroll_to(v, v->scroll + (v->page_h - 1));
        return true;
    case OP_HOME:
        doc_view_scroll_to(v, 0);
        return true;
    case OP_END:
        doc_view_scroll_to(v, v->height);
        return true;
    default:
        return false;
    }
}
