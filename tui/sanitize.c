/* sanitize.c: turns untrusted text into printable UTF-8 that carries no terminal controls. */
#include <string.h>
#include <wchar.h>

#include "tui/internal.h"
#include "tui/utf8.h"

#define REPLACEMENT 0xFFFD

size_t utf8_encode(int cp, char *out)
{
    unsigned c = (unsigned)cp;

    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* CSI: parameter and intermediate bytes up to a final byte 0x40-0x7E. Anything else ends the
 * sequence unconsumed (terminals abort there too) and is judged on its own. */
static void csi_skip(struct san_iter *it)
{
    while (it->p < it->end) {
        unsigned c = *it->p;
        if (c >= 0x40 && c <= 0x7E) {
            it->p++;
            return;
        }
        if (c < 0x20 || c > 0x7E)
            return;
        it->p++;
    }
}

/* OSC, DCS, SOS, PM, APC: a string up to ST (ESC \ or U+009C), BEL for OSC, CAN/SUB which
 * abort it, or the end of the text. An ESC not followed by '\' ends the string and starts a
 * new sequence, as in xterm. */
static void string_skip(struct san_iter *it, bool bel_ends)
{
    while (it->p < it->end) {
        unsigned c = *it->p;
        if ((c == 0x07 && bel_ends) || c == 0x18 || c == 0x1A) {
            it->p++;
            return;
        }
        if (c == 0x1B) {
            if (it->p + 1 < it->end && it->p[1] == '\\')
                it->p += 2;
            return;
        }
        if (c == 0xC2 && it->p + 1 < it->end && it->p[1] == 0x9C) {
            it->p += 2;
            return;
        }
        it->p++;
    }
}

/* After ESC: a CSI or string introducer, else an nF sequence (intermediates 0x20-0x2F then a
 * final byte) or a two-byte ESC x. An ESC before anything else is dropped alone. */
static void esc_skip(struct san_iter *it)
{
    if (it->p >= it->end)
        return;
    switch (*it->p) {
    case '[':
        it->p++;
        csi_skip(it);
        return;
    case ']':
        it->p++;
        string_skip(it, true);
        return;
    case 'P':
    case 'X':
    case '^':
    case '_':
        it->p++;
        string_skip(it, false);
        return;
    default:
        break;
    }
    while (it->p < it->end && *it->p >= 0x20 && *it->p <= 0x2F)
        it->p++;
    if (it->p < it->end && *it->p >= 0x30 && *it->p <= 0x7E)
        it->p++;
}

/* C1 controls in their UTF-8 form introduce the same sequences as their ESC forms. */
static void c1_skip(struct san_iter *it, int cp)
{
    switch (cp) {
    case 0x9B:
        csi_skip(it);
        break;
    case 0x9D:
        string_skip(it, true);
        break;
    case 0x90:
    case 0x98:
    case 0x9E:
    case 0x9F:
        string_skip(it, false);
        break;
    default:
        break;
    }
}

/* Explicit embeddings, overrides and isolates can reorder what follows them on the line, so a
 * product name could make a price read differently. The plain marks (U+200E/F) stay. */
static bool is_bidi_control(int cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void san_init(struct san_iter *it, const char *s, size_t len, bool keep_nl)
{
    if (!s) {
        s = "";
        len = 0;
    } else if (len == (size_t)-1) {
        len = strlen(s);
    }
    it->p = (const unsigned char *)s;
    it->end = it->p + len;
    it->keep_nl = keep_nl;
}

int san_next(struct san_iter *it)
{
    while (it->p < it->end) {
        int cp;
        it->p += tui_utf8_decode(it->p, it->end, &cp);
        if (cp < 0)
            return REPLACEMENT;
        if (cp == 0x1B) {
            esc_skip(it);
            continue;
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            c1_skip(it, cp);
            continue;
        }
        if (cp == '\n')
            return it->keep_nl ? '\n' : ' ';
        if (cp == '\t')
            return ' ';
        if (cp < 0x20 || cp == 0x7F || is_bidi_control(cp))
            continue;
        return cp;
    }
    return -1;
}

int san_cp_width(int cp)
{
    if (cp == '\n')
        return 0;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

size_t tui_sanitize(const char *in, char *out, size_t outsz, bool keep_newlines)
{
    struct san_iter it;
    size_t len = 0;
    int cp;

    if (!out || outsz == 0)
        return 0;
    san_init(&it, in, (size_t)-1, keep_newlines);
    while ((cp = san_next(&it)) >= 0) {
        char enc[4];
        size_t n = utf8_encode(cp, enc);
        if (len + n >= outsz)
            break; /* stop rather than split a character or skip to a shorter one */
        memcpy(out + len, enc, n);
        len += n;
    }
    out[len] = '\0';
    return len;
}

int text_width_n(const char *s, size_t len)
{
    struct san_iter it;
    int cp, w = 0;

    san_init(&it, s, len, false);
    while ((cp = san_next(&it)) >= 0)
        w += san_cp_width(cp);
    return w;
}

int tui_text_width(const char *s)
{
    return text_width_n(s, (size_t)-1);
}
