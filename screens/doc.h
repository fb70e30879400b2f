/* doc.h: a scrolling document: screens paint it line by line and only the visible lines draw. */
#ifndef SETT_SCREENS_DOC_H
#define SETT_SCREENS_DOC_H

#include <stdbool.h>

#include "tui/tui.h"

/* Painting walks the document from its first line; `y` is the document line, and only the lines
 * inside the window [scroll, scroll + body.h) reach the screen. Every text goes through tui_text
 * (sanitized and clipped). */
struct doc {
    struct tui *t;
    struct tui_rect body;
    int scroll;
    int y;
};

int doc_row(const struct doc *d, int line); /* screen row of a document line, or -1 */
void doc_text(struct doc *d, int x, int w, enum theme_elem el, const char *s);
void doc_right(struct doc *d, int x, int w, enum theme_elem el, const char *s);
void doc_fill(struct doc *d, int x, int w, enum theme_elem el); /* the current line */
/* Wrapped text from column x, `w` wide; moves y past it. */
void doc_wrap(struct doc *d, int x, int w, enum theme_elem el, const char *text);
/* A blank line, then the title; y moves past both. */
void doc_heading(struct doc *d, const char *title);
/* "Label        value" at the standard columns (label at 3, value at 18); y moves on. */
void doc_field(struct doc *d, const char *label, enum theme_elem el, const char *value);

/* The view: the scroll position and what the last paint measured. */
struct doc_view {
    int scroll;
    int height; /* document lines */
    int page_h; /* lines shown */
};
typedef void (*doc_paint_fn)(struct doc *d, void *ud);
/* Measures the document, keeps the scroll in range, gives the last row to "▼ more below" when
 * the document is longer than the body, and paints. */
void doc_view_paint(struct doc_view *v, struct tui *t, struct tui_rect body, doc_paint_fn fn,
                    void *ud);
void doc_view_scroll_to(struct doc_view *v, int line);
/* Scrolls as little as needed to show lines [first, last]. */
void doc_view_show(struct doc_view *v, int first, int last);
/* Up/down/page/home/end keys and the wheel scroll the document; true if the event was one. */
bool doc_view_handle(struct doc_view *v, const struct tui_event *ev);

#endif
