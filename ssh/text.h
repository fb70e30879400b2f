/* text.h: text from outside (the billing API's messages) made safe for the customer's terminal.
 */
#ifndef SETT_SSH_TEXT_H
#define SETT_SSH_TEXT_H

#include <stddef.h>

/* Copies `in` to `out` as printable UTF-8: whole ESC sequences (CSI to its final byte; OSC, DCS
 * and the other strings to BEL or ST) and every other C0 control, DEL and C1 control
 * (U+0080-U+009F) are dropped, invalid UTF-8 becomes '?'. Always NUL-terminates (a multi-byte
 * character is never cut); returns the length written. The rules of tui_sanitize, for settd,
 * which has no terminal library. */
size_t text_sanitize(const char *in, char *out, size_t outsz);
/* Length of the valid UTF-8 sequence at s (1-4) within its `avail` bytes, or 0 when it is not
 * one (overlong, surrogate, above U+10FFFF, cut short). */
size_t text_utf8_len(const unsigned char *s, size_t avail);

#endif
