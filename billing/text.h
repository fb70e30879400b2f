/* text.h: safe echoes of untrusted text in messages and logs. */
#ifndef SETT_BILLING_TEXT_H
#define SETT_BILLING_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copies printable ASCII of untrusted text into buf (others become '?', long text is cut with
 * "..."), so echoing a request or a file back in a message never carries control bytes or broken
 * UTF-8. Returns buf. */
const char *text_echo(const char *text, char *buf, size_t bufsz);

/* True when `len` bytes are well-formed UTF-8 (no overlongs, surrogates or bytes past
 * U+10FFFF): JSON text must be, so the server never stores or sends anything else. */
bool text_utf8_valid(const char *s, size_t len);

#endif
