/* chrome.c: the frame around the body: header, status line, footer hints, help, "too small". */
#include <stdio.h>
#include <string.h>

#include "tui/internal.h"

#define HINT_GAP 2

/* Navigation ops that the footer leaves to the help overlay, and pairs it shows as one hint. */
static const enum tui_op footer_quiet[] = {OP_PAGE_UP, OP_PAGE_DOWN, OP_HOME, OP_END,
                                           OP_HELP,    OP_QUIT,      OP_BACK};
static const struct {
    enum tui_op a, b;
    const char *word;
} footer_pairs[] = {
    {OP_UP, OP_DOWN, "move"},
    {OP_LEFT, OP_RIGHT, "pane"},
};

struct hint {
    enum tui_op op;
    char keys[32];
    const char *word;
    int width;
};

bool chrome_too_small(const struct tui *t)
{
    return t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS;
}

struct tui_rect chrome_body(const struct tui *t)
{
    return (struct tui_rect){1, 0, t->rows - 3, t->cols};
}

static bool ops_has(const enum tui_op *ops, enum tui_op op)
{
    for (; ops && *ops != OP_NONE; ops++)
        if (*ops == op)
            return true;
    return false;
}

static bool op_quiet(enum tui_op op)
{
    for (size_t i = 0; i < sizeof footer_quiet / sizeof footer_quiet[0]; i++)
        if (footer_quiet[i] == op)
            return true;
    return false;
}

/* Arrows and ⏎ where the locale can show them, the keymap's names elsewhere. */
static const char *footer_key_name(const struct tui *t, int key, char *buf, size_t bufsz)
{
    enum tui_glyph g = key == KEY_UP                                    ? GLYPH_ARROW_UP
                       : key == KEY_DOWN                                ? GLYPH_ARROW_DOWN
                       : key == KEY_LEFT                                ? GLYPH_ARROW_LEFT
                       : key == KEY_RIGHT                               ? GLYPH_ARROW_RIGHT
                       : key == '\n' || key == '\r' || key == KEY_ENTER ? GLYPH_ENTER
                                                                        : GLYPH_COUNT;

    if (t->utf8 && g != GLYPH_COUNT) {
        snprintf(buf, bufsz, "%s", tui_glyph(t, g));
        return buf;
    }
    return keymap_key_name(key, buf, bufsz);
}

static void hint_set(const struct tui *t, struct hint *h, enum tui_op a, enum tui_op b,
                     const char *word)
{
    char k1[16], k2[16];

    footer_key_name(t, keymap_def(a)->keys[0], k1, sizeof k1);
    if (b != OP_NONE) {
        footer_key_name(t, keymap_def(b)->keys[0], k2, sizeof k2);
        snprintf(h->keys, sizeof h->keys, t->utf8 ? "%s%s" : "%s/%s", k1, k2);
    } else {
        snprintf(h->keys, sizeof h->keys, "%s", k1);
    }
    h->op = a;
    h->word = word;
    h->width = tui_text_width(h->keys) + 1 + tui_text_width(word);
}

/* The screen's hints in its order, then back (when there is somewhere to go back to), help
 * and quit, which always stay: screen hints are dropped from the end to make room. */
static int footer_hints(const struct tui *t, const enum tui_op *keys, struct hint *out, int max,
                        int *nfixed)
{
    int n = 0;

    for (const enum tui_op *k = keys; k && *k != OP_NONE && n < max - 3; k++) {
        enum tui_op op = *k, partner = OP_NONE;
        const char *word = keymap_def(op)->hint;
        bool skip = op_quiet(op) || !tui_op_enabled(t, op);
        for (size_t i = 0; i < sizeof footer_pairs / sizeof footer_pairs[0]; i++) {
            if (footer_pairs[i].b == op && ops_has(keys, footer_pairs[i].a) &&
                tui_op_enabled(t, footer_pairs[i].a))
                skip = true; /* already shown with its partner */
            if (footer_pairs[i].a == op && ops_has(keys, footer_pairs[i].b) &&
                tui_op_enabled(t, footer_pairs[i].b)) {
                partner = footer_pairs[i].b;
                word = footer_pairs[i].word;
            }
        }
        if (!skip)
            hint_set(t, &out[n++], op, partner, word);
    }
    *nfixed = 0;
    if ((t->depth > 1 || ops_has(keys, OP_BACK)) && tui_op_enabled(t, OP_BACK)) {
        hint_set(t, &out[n++], OP_BACK, OP_NONE, keymap_def(OP_BACK)->hint);
        (*nfixed)++;
    }
    for (enum tui_op op = OP_HELP; op != OP_NONE; op = op == OP_HELP ? OP_QUIT : OP_NONE) {
        if (!tui_op_enabled(t, op))
            continue;
        hint_set(t, &out[n++], op, OP_NONE, keymap_def(op)->hint);
        (*nfixed)++;
    }
    return n;
}

/* Hints that go last: the keys that buy, and the screen's first one unless it only moves. */
static bool hint_kept_longer(const struct hint *h, int i)
{
    if (h->op == OP_ADD_TO_CART || h->op == OP_SAVE || h->op == OP_CHECKOUT || h->op == OP_PAY)
        return true;
    return i == 0 && h->op != OP_UP && h->op != OP_DOWN;
}

static void paint_footer(struct tui *t, const struct screen *s)
{
    struct hint h[OP_COUNT + 4];
    bool keep[OP_COUNT + 4];
    int nfixed, n, total = 0, y = t->rows - 1, x = 1;
    int first_fixed;

    n = footer_hints(t, s ? s->ops->keys : NULL, h, (int)(sizeof h / sizeof h[0]), &nfixed);
    first_fixed = n - nfixed;
    for (int i = 0; i < n; i++)
        total += h[i].width + (i ? HINT_GAP : 0);
    /* drop screen hints from the right until the rest fits; the first and the keys that buy go
     * last, so a narrow terminal still says how to open, add, check out and pay */
    for (int i = 0; i < n; i++)
        keep[i] = true;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = first_fixed - 1; i >= 0 && total > t->cols - 2; i--) {
            if (!keep[i] || (pass == 0 && hint_kept_longer(&h[i], i)))
                continue;
            keep[i] = false;
            total -= h[i].width + HINT_GAP;
        }
    }
    tui_fill(t, (struct tui_rect){y, 0, 1, t->cols}, EL_FOOTER_TEXT);
    for (int i = 0; i < n && x < t->cols; i++) {
        if (!keep[i])
            continue;
        if (x > 1)
            x += HINT_GAP;
        x += tui_text(t, y, x, t->cols - x, EL_FOOTER_KEY, h[i].keys);
        x += tui_text(t, y, x, t->cols - x, EL_FOOTER_TEXT, " ");
        x += tui_text(t, y, x, t->cols - x, EL_FOOTER_TEXT, h[i].word);
    }
}

static void paint_header(struct tui *t, struct screen *s)
{
    char buf[256];
    const char *title = NULL;
    int bw = 0;

    if (s) {
        buf[0] = '\0';
        if (s->ops->title)
            title = s->ops->title(s, buf, sizeof buf);
        if (!title || !title[0])
            title = s->ops->name;
    }
    tui_fill(t, (struct tui_rect){0, 0, 1, t->cols}, EL_HEADER);
    if (t->badge[0]) {
        bw = tui_text_width(t->badge) + 2;
        if (bw > t->cols / 2)
            bw = t->cols / 2;
        tui_fill(t, (struct tui_rect){0, t->cols - bw, 1, bw}, EL_BADGE);
        tui_text(t, 0, t->cols - bw + 1, bw - 2, EL_BADGE, t->badge);
    }
    if (t->mark[0]) {
        /* The mark is never dropped: its long form while the title still fits beside it, else
         * the short one, and the title is clipped as it is for the badge. */
        const char *mark = t->mark;
        int mw = tui_text_width(mark) + 2;
        int tw = title ? tui_text_width(title) : 0;

        if (t->mark_short[0] && 1 + tw + 1 + mw + 1 + bw > t->cols) {
            mark = t->mark_short;
            mw = tui_text_width(mark) + 2;
        }
        if (mw > t->cols - bw - 1)
            mw = t->cols - bw - 1;
        if (mw > 2) {
            bw += mw + 1;
            tui_fill(t, (struct tui_rect){0, t->cols - bw, 1, mw}, EL_SANDBOX);
            tui_text(t, 0, t->cols - bw + 1, mw - 2, EL_SANDBOX, mark);
        }
    }
    tui_text(t, 0, 1, t->cols - bw - 2, EL_HEADER, title ? title : "");
}

/* Every key of an op, by name, without repeats ("Esc Bksp", not "Esc Bksp Bksp"). */
static void help_keys(enum tui_op op, char *out, size_t outsz)
{
    const struct tui_keydef *d = keymap_def(op);
    size_t len = 0;

    out[0] = '\0';
    for (int i = 0; i < 3; i++) {
        char name[16];
        if (!d->keys[i])
            continue;
        keymap_key_name(d->keys[i], name, sizeof name);
        const char *dup = strstr(out, name);
        size_t nl = strlen(name);
        if (dup && (dup == out || dup[-1] == ' ') && (dup[nl] == '\0' || dup[nl] == ' '))
            continue;
        len += (size_t)snprintf(out + len, outsz - len, "%s%s", len ? " " : "", name);
        if (len >= outsz)
            return;
    }
}

static void paint_help(struct tui *t, const struct screen *s)
{
    enum tui_op ops[OP_COUNT + 4];
    const enum tui_op globals[] = {OP_BACK, OP_HELP, OP_QUIT};
    const enum tui_op *keys = s ? s->ops->keys : NULL;
    char k[48];
    int n = 0, nscreen, keyw = 0, helpw = 0, w, h, y, x;

    for (const enum tui_op *p = keys; p && *p != OP_NONE && n < OP_COUNT; p++) {
        bool seen = *p == OP_BACK || *p == OP_HELP || *p == OP_QUIT || *p >= OP_COUNT ||
                    !tui_op_enabled(t, *p);
        for (int i = 0; i < n && !seen; i++)
            seen = ops[i] == *p;
        if (!seen)
            ops[n++] = *p;
    }
    nscreen = n;
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
        if ((globals[i] != OP_BACK || t->depth > 1 || ops_has(keys, OP_BACK)) &&
            tui_op_enabled(t, globals[i]))
            ops[n++] = globals[i];
    for (int i = 0; i < n; i++) {
        help_keys(ops[i], k, sizeof k);
        int kw = tui_text_width(k), hw = tui_text_width(keymap_def(ops[i])->help);
        keyw = kw > keyw ? kw : keyw;
        helpw = hw > helpw ? hw : helpw;
    }
    w = keyw + helpw + 6;
    h = n + (nscreen > 0) + 4;
    if (w > t->cols)
        w = t->cols;
    if (h > t->rows)
        h = t->rows;
    y = (t->rows - h) / 2;
    x = (t->cols - w) / 2;
    tui_fill(t, (struct tui_rect){y, x, h, w}, EL_HELP);
    draw_box(t, (struct tui_rect){y, x, h, w}, EL_BORDER);
    tui_text(t, y, x + 2, w - 4, EL_BORDER, " Keys ");
    int row = y + 1;
    for (int i = 0; i < n && row < y + h - 3; i++) {
        if (i == nscreen && nscreen > 0)
            tui_hline(t, row++, x + 1, w - 2, EL_BORDER);
        help_keys(ops[i], k, sizeof k);
        tui_text(t, row, x + 2, keyw, EL_HELP_KEY, k);
        tui_text(t, row, x + 4 + keyw, w - keyw - 6, EL_HELP, keymap_def(ops[i])->help);
        row++;
    }
    tui_text(t, y + h - 2, x + 2, w - 4, EL_DIM, "Press any key to close");
}

static void paint_too_small(struct tui *t)
{
    char msg[96];
    struct wrap_iter w;
    struct wrap_line line;
    int n, y;

    snprintf(msg, sizeof msg, "Terminal too small: need %dx%d, have %dx%d", TUI_MIN_COLS,
             TUI_MIN_ROWS, t->cols, t->rows);
    n = tui_wrap_count(msg, t->cols);
    y = n < t->rows ? (t->rows - n) / 2 : 0;
    wrap_init(&w, msg, t->cols);
    while (wrap_next(&w, &line) && y < t->rows) {
        int x = line.width < t->cols ? (t->cols - line.width) / 2 : 0;
        draw_text_n(t, y++, x, t->cols - x, EL_NORMAL, line.start, line.len);
    }
}

/* The cursor, always shown, where a screen reader should read: the prompt's insertion point,
 * else the spot the screen's selection left, else the start of the title line. */
static void chrome_cursor(struct tui *t, int prompt_x)
{
    int y = t->spot_y, x = t->spot_x;

    if (prompt_x >= 0) {
        y = t->rows - 2;
        x = prompt_x;
    } else if (t->help_open || chrome_too_small(t)) {
        y = 0;
        x = 0;
    }
    if (!t->cursor_on) /* a terminal without a cursor says ERR each time: nothing else changes */
        t->cursor_on = curs_set(1) != ERR;
    wmove(stdscr, y < t->rows ? y : t->rows - 1, x < t->cols ? x : t->cols - 1);
}

void chrome_paint(struct tui *t)
{
    struct screen *s = tui_top(t);
    int cx = -1;

    t->clip = (struct tui_rect){0, 0, t->rows, t->cols};
    t->spot_set = false;
    t->spot_y = 0; /* the start of the title line, unless something is selected */
    t->spot_x = s && !s->ops->fullscreen ? 1 : 0;
    werase(stdscr);
    if (chrome_too_small(t)) {
        paint_too_small(t);
    } else {
        bool full = s && s->ops->fullscreen;
        struct tui_rect body = full ? t->clip : chrome_body(t);
        if (s) {
            struct tui_entry *e = &t->stack[t->depth - 1];
            t->busy++;
            if (memcmp(&e->seen, &body, sizeof body) != 0) {
                e->seen = body;
                if (s->ops->resize)
                    s->ops->resize(s, body);
            }
            t->clip = body;
            t->spot_armed = true;
            s->ops->paint(s, body);
            t->spot_armed = false;
            t->clip = (struct tui_rect){0, 0, t->rows, t->cols};
            t->busy--;
        }
        if (!full) { /* a full-screen screen (an attract display) has no frame */
            paint_header(t, s);
            if (t->prompt.open)
                cx = prompt_paint(t, t->rows - 2);
            else
                tui_text(t, t->rows - 2, 1, t->cols - 2, EL_STATUS, t->status);
            paint_footer(t, s);
            if (t->help_open)
                paint_help(t, s);
        }
    }
    chrome_cursor(t, cx);
    wnoutrefresh(stdscr);
    doupdate();
}
