/* utf8.h: strict UTF-8 decoding; plain text work with no curses, so the command line's output
 * shares it with the screen's sanitizer. */
#ifndef SETT_TUI_UTF8_H
#define SETT_TUI_UTF8_H

#include <stddef.h>

/* Decodes the sequence at p (p < end). Strict: no overlongs, no surrogates, nothing above
 * U+10FFFF. Returns the bytes consumed with the code point in *cp; an invalid sequence gives
 * *cp = -1 and is consumed as its maximal valid prefix (at least one byte), so one U+FFFD can
 * stand for it. */
size_t tui_utf8_decode(const unsigned char *p, const unsigned char *end, int *cp);

#endif
