/* text.c: safe echoes of untrusted text in messages and logs. */
#include "billing/text.h"

#include <string.h>

const char *text_echo(const char *text, char *buf, size_t bufsz)
{
    const size_t keep = bufsz > 4 ? bufsz - 4 : 0; /* room for "..." and the NUL */
    size_t i = 0;

    if (bufsz == 0)
        return "";
    for (; text && text[i] && i < keep; i++) {
        unsigned char c = (unsigned char)text[i];
        buf[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (text && text[i] && bufsz > 4) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
    return buf;
}
