/* widgets.c: status line, badge, spinner and the error banner. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/internal.h"

#define SPINNER_MS   100
#define BANNER_MAX_W 60

void tui_status(struct tui *t, const char *fmt, ...)
{
    char raw[sizeof t->status];
    va_list ap;

    if (!t)
        return;
    raw[0] = '\0';
    if (fmt) {
        char own[sizeof t->status];
        /* the format is sett's own text: its glyphs as the terminal shows them */
        const char *f = tui_own(t, fmt, own, sizeof own);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, f, ap);
        va_end(ap);
#pragma GCC diagnostic pop
    }
    /* vsnprintf may have cut a character in half; the sanitizer turns that into U+FFFD */
    tui_sanitize(raw, t->status, sizeof t->status, false);
    t->dirty = true;
}

void tui_set_badge(struct tui *t, const char *text)
{
    if (!t)
        return;
    tui_sanitize(text ? text : "", t->badge, sizeof t->badge, false);
    t->dirty = true;
}

void tui_set_mark(struct tui *t, const char *text, const char *short_text)
{
    if (!t)
        return;
    char own[sizeof t->mark];

    /* the mark is sett's own text: its glyphs as the terminal shows them */
    tui_sanitize(tui_own(t, text ? text : "", own, sizeof own), t->mark, sizeof t->mark, false);
    tui_sanitize(tui_own(t, short_text ? short_text : "", own, sizeof own), t->mark_short,
                 sizeof t->mark_short, false);
    t->dirty = true;
}

void tui_spinner(struct tui *t, int y, int x, int maxw, const char *label)
{
    static const char *const braille[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    static const char *const ascii[] = {"|", "/", "-", "\\"};
    const char *frame;
    int used;

    if (t->cfg.no_animation) { /* a still word in place of the turning frame */
        char own[256];
        tui_text(t, y, x, maxw, EL_NORMAL,
                 tui_own(t, label && label[0] ? label : "Loading…", own, sizeof own));
        return;
    }
    if (t->utf8)
        frame = braille[t->frame % (sizeof braille / sizeof braille[0])];
    else
        frame = ascii[t->frame % (sizeof ascii / sizeof ascii[0])];
    used = tui_text(t, y, x, maxw, EL_SPINNER, frame);
    if (label && used < maxw) {
        char own[256];
        label = tui_own(t, label, own, sizeof own); /* labels are sett's own: "Loading…" */
        used += tui_text(t, y, x + used, maxw - used, EL_NORMAL, " ");
        tui_text(t, y, x + used, maxw - used, EL_NORMAL, label);
    }
    tui_request_tick(t, SPINNER_MS); /* one-shot: the next paint asks again while shown */
}

/* "r retry · Esc back", from the keymap so it names the keys that really do it. */
static void banner_hint(const struct tui *t, char *buf, size_t bufsz)
{
    char k1[16], k2[16];
    const struct tui_keydef *retry = keymap_def(OP_RETRY), *back = keymap_def(OP_BACK);

    snprintf(buf, bufsz, "%s %s %s %s %s", keymap_key_name(retry->keys[0], k1, sizeof k1),
             retry->hint, tui_glyph(t, GLYPH_SEPARATOR),
             keymap_key_name(back->keys[0], k2, sizeof k2), back->hint);
}

void tui_error_banner(struct tui *t, struct tui_rect r, const char *message)
{
    struct wrap_iter w;
    struct wrap_line line;
    char hint[64];
    int width, lines, boxh, boxw, y, x;

    if (r.w <= 0 || r.h <= 0)
        return;
    width = r.w - 4 < BANNER_MAX_W ? r.w - 4 : BANNER_MAX_W;
    if (width < 1)
        width = r.w;
    lines = tui_wrap_count(message ? message : "", width);
    if (lines < 1)
        lines = 1;
    boxh = lines + 2; /* a blank row above and below the message */
    if (boxh > r.h - 2)
        boxh = r.h - 2 > 1 ? r.h - 2 : 1;
    boxw = width + 4 <= r.w ? width + 4 : r.w;
    y = r.y + (r.h - boxh - 2) / 2;
    if (y < r.y)
        y = r.y;
    x = r.x + (r.w - boxw) / 2;
    tui_fill(t, (struct tui_rect){y, x, boxh, boxw}, EL_ERROR);
    wrap_init(&w, message ? message : "", width);
    for (int i = 0; wrap_next(&w, &line); i++) {
        int row = boxh > 2 ? i + 1 : i;
        if (row >= boxh)
            break;
        int lx = line.width < boxw ? (boxw - line.width) / 2 : 0;
        draw_text_n(t, y + row, x + lx, boxw - lx, EL_ERROR, line.start, line.len);
    }
    banner_hint(t, hint, sizeof hint);
    if (y + boxh + 1 < r.y + r.h) {
        int hw = tui_text_width(hint);
        int hx = hw < r.w ? r.x + (r.w - hw) / 2 : r.x;
        tui_text(t, y + boxh + 1, hx, r.w - (hx - r.x), EL_DIM, hint);
    }
}
