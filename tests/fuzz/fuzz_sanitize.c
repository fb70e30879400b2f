/* fuzz_sanitize.c: tui_sanitize, the width measure and the word wrap: nothing that leaves them
 * can drive a terminal, and no line is wider than asked. */
#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"
#include "tui/utf8.h"

/* Valid UTF-8 without C0 (but '\n' when allowed), DEL, C1 or bidi controls. */
static void check_safe(const char *s, size_t len, bool keep_nl)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        int cp;

        p += tui_utf8_decode(p, end, &cp);
        if (cp < 0 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
            abort();
        if (cp < 0x20 && !(keep_nl && cp == '\n'))
            abort();
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
            abort();
    }
}

static int code_points(const char *s, size_t len)
{
    struct san_iter it;
    int n = 0;

    san_init(&it, s, len, true);
    while (san_next(&it) >= 0)
        n++;
    return n;
}

static void check_wrap(const char *text, size_t len, int width)
{
    struct wrap_iter w;
    struct wrap_line line;
    size_t lines = 0;

    wrap_init(&w, text, width);
    while (wrap_next(&w, &line)) {
        /* every line takes at least one character or ends a paragraph */
        if (++lines > 2 * len + 2)
            abort();
        if (line.start < text || line.start + line.len > text + len)
            abort();
        if (line.width != text_width_n(line.start, line.len))
            abort();
        /* wider than asked only as one character wider than the whole width, which must still
         * make progress (drawing clips it) */
        if (line.width > width && code_points(line.start, line.len) != 1)
            abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* widths come from wcwidth in the customer's UTF-8 locale */
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in, *out, *again;
    size_t outsz, len, len2;
    bool keep_nl;
    int width;

    if (size < 2)
        return 0;
    keep_nl = data[0] & 1;
    outsz = 1 + (data[0] >> 1) % 64 * 8; /* tight buffers too: 1 to 505 bytes */
    width = data[1] % 40;                /* 0 (no room) to 39 columns */
    in = malloc(size - 1);
    out = malloc(outsz);
    again = malloc(outsz);
    if (!in || !out || !again)
        goto done;
    memcpy(in, data + 2, size - 2);
    in[size - 2] = '\0';

    len = tui_sanitize(in, out, outsz, keep_nl);
    if (len >= outsz || out[len] != '\0' || strlen(out) != len)
        abort();
    check_safe(out, len, keep_nl);
    /* clean text passes unchanged */
    len2 = tui_sanitize(out, again, outsz, keep_nl);
    if (len2 != len || memcmp(out, again, len) != 0)
        abort();
    if (tui_text_width(in) < 0 || tui_text_width(out) > tui_text_width(in))
        abort();
    check_wrap(in, strlen(in), width);
    check_wrap(out, len, width);
done:
    free(in);
    free(out);
    free(again);
    return 0;
}
