/* text.c: the sanitizer for the lines settd writes to a customer's terminal. */
#include "ssh/text.h"

#include <stdbool.h>
#include <string.h>

size_t text_utf8_len(const unsigned char *s, size_t avail)
{
    unsigned c = s[0], cp;
    size_t n;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Skips the escape sequence that starts at s (ESC or a C1 introducer already consumed as
 * `intro`: '[' CSI, ']' OSC, 'P' DCS, 'X' SOS, '^' PM, '_' APC, anything else one byte). */
static const unsigned char *text_skip_sequence(const unsigned char *s, unsigned char intro)
{
    if (intro == '[') {
        while (*s >= 0x20 && *s <= 0x3F) /* parameters and intermediates */
            s++;
        return *s >= 0x40 && *s <= 0x7E ? s + 1 : s;
    }
    if (intro == ']' || intro == 'P' || intro == 'X' || intro == '^' || intro == '_') {
        while (*s && *s != 0x07 && *s != 0x18 && *s != 0x1A) {
            if (s[0] == 0x1B)
                return s[1] == '\\' ? s + 2 : s;
            if (s[0] == 0xC2 && s[1] == 0x9C) /* ST as C1 */
                return s + 2;
            s++;
        }
        return *s ? s + 1 : s;
    }
    return s;
}

size_t text_sanitize(const char *in, char *out, size_t outsz)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0, n;

    if (!outsz)
        return 0;
    while (*s) {
        if (s[0] == 0x1B) {
            s++;
            if (*s >= 0x20 && *s <= 0x7E)
                s = text_skip_sequence(s + 1, *s);
            continue;
        }
        if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) { /* C1, maybe CSI/OSC... */
            static const unsigned char intro[32] = {
                [0x1b] = '[', [0x1d] = ']', [0x10] = 'P', [0x18] = 'X', [0x1e] = '^', [0x1f] = '_'};
            unsigned char k = intro[s[1] - 0x80];

            s = k ? text_skip_sequence(s + 2, k) : s + 2;
            continue;
        }
        if (s[0] < 0x20 || s[0] == 0x7F) {
            s++;
            continue;
        }
        n = text_utf8_len(s, strnlen((const char *)s, 4));
        if (n == 0) {
            if (o + 1 >= outsz)
                break;
            out[o++] = '?';
            s++;
            continue;
        }
        if (o + n >= outsz)
            break;
        for (size_t i = 0; i < n; i++)
            out[o++] = (char)s[i];
        s += n;
    }
    out[o] = '\0';
    return o;
}
