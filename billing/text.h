/* text.h: safe echoes of untrusted text in messages and logs. */
#ifndef SETT_BILLING_TEXT_H
#define SETT_BILLING_TEXT_H

#include <stddef.h>

/* Copies printable ASCII of untrusted text into buf (others become '?', long text is cut with
 * "..."), so echoing a request or a file back in a message never carries control bytes or broken
 * UTF-8. Returns buf. */
const char *text_echo(const char *text, char *buf, size_t bufsz);

#endif
