/* utf8.c: strict UTF-8 decoding. */
#include "tui/utf8.h"

size_t tui_utf8_decode(const unsigned char *p, const unsigned char *end, int *cp)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t n;
    int v;

    if (c < 0x80) {
        *cp = (int)c;
        return 1;
    }
    if (c < 0xC2 || c > 0xF4) {
        *cp = -1;
        return 1;
    }
    if (c < 0xE0) {
        n = 2;
        v = (int)(c & 0x1F);
    } else if (c < 0xF0) {
        n = 3;
        v = (int)(c & 0x0F);
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else {
        n = 4;
        v = (int)(c & 0x07);
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    }
    for (size_t i = 1; i < n; i++) {
        if (p + i >= end || p[i] < lo || p[i] > hi) {
            *cp = -1;
            return i;
        }
        v = (v << 6) | (p[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return n;
}
