/* glyph.c: the glyph table: UTF-8 where the locale has it, ASCII elsewhere. */
#include "tui/glyph.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tui/internal.h"

static const struct {
    const char *utf8, *ascii;
} glyphs[GLYPH_COUNT] = {
#define TUI_GLYPH_ROW(name, u, a) [name] = {u, a},
    TUI_GLYPHS(TUI_GLYPH_ROW)
#undef TUI_GLYPH_ROW
};

bool tui_codeset_utf8(const char *codeset)
{
    return codeset && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0);
}

const char *tui_glyph_pick(enum tui_glyph g, bool utf8)
{
    if ((unsigned)g >= GLYPH_COUNT)
        return "";
    return utf8 ? glyphs[g].utf8 : glyphs[g].ascii;
}

const char *tui_glyph(const struct tui *t, enum tui_glyph g)
{
    return tui_glyph_pick(g, t && t->utf8);
}

bool tui_utf8(const struct tui *t)
{
    return t && t->utf8;
}

/* The table entry whose UTF-8 form starts `s`, or -1. */
static int glyph_at(const char *s)
{
    for (int g = 0; g < GLYPH_COUNT; g++)
        if (strncmp(s, glyphs[g].utf8, strlen(glyphs[g].utf8)) == 0)
            return g;
    return -1;
}

size_t tui_glyphs_ascii(const char *in, char *out, size_t outsz)
{
    size_t len = 0;

    if (!out || outsz == 0)
        return 0;
    for (const char *p = in ? in : ""; *p;) {
        int g = (unsigned char)*p >= 0x80 ? glyph_at(p) : -1;
        const char *piece = g >= 0 ? glyphs[g].ascii : p;
        size_t used = g >= 0 ? strlen(glyphs[g].utf8) : 1, n;
        while (g < 0 && ((unsigned char)p[used] & 0xC0) == 0x80)
            used++; /* another character: copied whole */
        n = g >= 0 ? strlen(piece) : used;
        if (len + n >= outsz)
            break;
        memcpy(out + len, piece, n);
        len += n;
        p += used;
    }
    out[len] = '\0';
    return len;
}

int tui_glyph_ascii_char(int cp)
{
    static const struct {
        int cp;
        char ascii;
    } extra[] = {
        {0x00a0, ' '},  {0x2010, '-'},  {0x2011, '-'},  {0x2012, '-'},  {0x2212, '-'},
        {0x2018, '\''}, {0x2019, '\''}, {0x201a, '\''}, {0x2032, '\''}, {0x201c, '"'},
        {0x201d, '"'},  {0x201e, '"'},  {0x2033, '"'},  {0x00ab, '"'},  {0x00bb, '"'},
    };
    char enc[5] = {0};
    int g;

    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (extra[i].cp == cp)
            return extra[i].ascii;
    if (cp < 0x80 || utf8_encode(cp, enc) == 0)
        return 0;
    g = glyph_at(enc);
    return g >= 0 && strlen(glyphs[g].ascii) == 1 ? glyphs[g].ascii[0] : 0;
}

const char *tui_own(const struct tui *t, const char *s, char *buf, size_t bufsz)
{
    if (!s || (t && t->utf8))
        return s ? s : "";
    tui_glyphs_ascii(s, buf, bufsz);
    return buf;
}

int tui_format(const struct tui *t, char *buf, size_t n, const char *fmt, ...)
{
    char own[512];
    va_list ap;
    int r;

    if (!t || t->utf8 || strlen(fmt) >= sizeof own) {
        va_start(ap, fmt);
        r = vsnprintf(buf, n, fmt, ap);
        va_end(ap);
        return r;
    }
    tui_glyphs_ascii(fmt, own, sizeof own);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    va_start(ap, fmt);
    r = vsnprintf(buf, n, own, ap);
    va_end(ap);
#pragma GCC diagnostic pop
    return r;
}
