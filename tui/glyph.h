/* glyph.h: the characters sett chooses itself, each with the ASCII that stands in for it
 * where the locale is not UTF-8. */
#ifndef SETT_TUI_GLYPH_H
#define SETT_TUI_GLYPH_H

#include <stdbool.h>
#include <stddef.h>

/* X(name, utf8, ascii). Lines and borders are not here: they are the terminal's line-drawing
 * set (ACS), which ncurses maps to ASCII itself where the terminal has none. */
#define TUI_GLYPHS(X)                                                                              \
    X(GLYPH_MARKER, "\u203a", ">")     /* the selected row; also "Cart > Remove" */                \
    X(GLYPH_PREVIOUS, "\u2039", "<")   /* "< 4 GB >": a value that can go down */                  \
    X(GLYPH_SEPARATOR, "\u00b7", "-")  /* "Cart 2 · $9.00" */                                     \
    X(GLYPH_ELLIPSIS, "\u2026", "...") /* "Loading…" */                                          \
    X(GLYPH_EM_DASH, "\u2014", "-")    /* "SANDBOX — no real money", an empty field */           \
    X(GLYPH_EN_DASH, "\u2013", "-")    /* ranges: "1 – 16" */                                    \
    X(GLYPH_TIMES, "\u00d7", "x")      /* quantities: "2 × $5.00" */                              \
    X(GLYPH_BULLET, "\u2022", "*")     /* a hidden password's characters */                        \
    X(GLYPH_RADIO_ON, "\u25cf", "(*)") /* the chosen way to pay */                                 \
    X(GLYPH_RADIO_OFF, "\u25cb", "( )")                                                            \
    X(GLYPH_MORE_BELOW, "\u25bc", "v") /* the text goes on below */                                \
    X(GLYPH_ARROW_UP, "\u2191", "Up")                                                              \
    X(GLYPH_ARROW_DOWN, "\u2193", "Down")                                                          \
    X(GLYPH_ARROW_LEFT, "\u2190", "<-")                                                            \
    X(GLYPH_ARROW_RIGHT, "\u2192", "->") /* "20% → 19%" */                                       \
    X(GLYPH_ENTER, "\u23ce", "Enter")                                                              \
    X(GLYPH_INFINITY, "\u221e", "inf") /* no limit: "0/∞" uses */

enum tui_glyph {
#define TUI_GLYPH_ENUM(name, utf8, ascii) name,
    TUI_GLYPHS(TUI_GLYPH_ENUM)
#undef TUI_GLYPH_ENUM
        GLYPH_COUNT
};

/* True for a codeset (nl_langinfo(CODESET)) that is UTF-8, however it is spelled. */
bool tui_codeset_utf8(const char *codeset);
/* The glyph's UTF-8 form, or its ASCII one when `utf8` is false. */
const char *tui_glyph_pick(enum tui_glyph g, bool utf8);
/* Copies text of sett's own (a format string, a label) with every glyph of the table replaced
 * by its ASCII form. Never cuts a glyph; always NUL-terminates; returns the length written. */
size_t tui_glyphs_ascii(const char *in, char *out, size_t outsz);
/* One ASCII character that reads like `cp` (a dash, a quote, a middle dot), for text from the
 * shop where the locale cannot show it; 0 if none does. */
int tui_glyph_ascii_char(int cp);

#endif
