/* prompt.c: the one-line editor in the status row (search and the like). */
#include <string.h>

#include "tui/internal.h"

void tui_prompt(struct tui *t, const char *label, const char *initial, tui_prompt_fn done, void *ud)
{
    struct tui_prompt_state *p;

    if (!t)
        return;
    p = &t->prompt;
    memset(p, 0, sizeof *p);
    p->open = true;
    p->done = done;
    p->ud = ud;
    p->owner = tui_top(t);
    tui_sanitize(label ? label : "", p->label, sizeof p->label, false);
    /* the initial text becomes editable text: keep only what typing could have produced */
    p->len = tui_sanitize(initial ? initial : "", p->text, sizeof p->text, false);
    p->cur = p->len;
    t->dirty = true;
}

void tui_prompt_secret(struct tui *t, const char *label, tui_prompt_fn done, void *ud)
{
    tui_prompt(t, label, "", done, ud);
    if (t)
        t->prompt.secret = true;
}

/* Closes the prompt without calling back: its screen is going away. */
void prompt_cancel_for(struct tui *t, struct screen *s)
{
    if (t->prompt.open && t->prompt.owner == s)
        explicit_bzero(&t->prompt, sizeof t->prompt);
}

static size_t prev_char(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
        ;
    return i;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
    if (i < len)
        i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static void text_delete(struct tui_prompt_state *p, size_t from, size_t to)
{
    memmove(p->text + from, p->text + to, p->len - to + 1);
    p->len -= to - from;
    p->cur = from;
}

static void text_insert(struct tui_prompt_state *p, int cp)
{
    char enc[5], clean[8];
    size_t n = utf8_encode(cp, enc);

    enc[n] = '\0';
    /* only what the sanitizer keeps unchanged may be typed: no controls, no bidi overrides */
    if (tui_sanitize(enc, clean, sizeof clean, false) != n || memcmp(clean, enc, n) != 0)
        return;
    if (p->len + n >= sizeof p->text)
        return;
    memmove(p->text + p->cur + n, p->text + p->cur, p->len - p->cur + 1);
    memcpy(p->text + p->cur, enc, n);
    p->len += n;
    p->cur += n;
}

static void prompt_finish(struct tui *t, bool submit)
{
    struct tui_prompt_state p = t->prompt;

    explicit_bzero(&t->prompt, sizeof t->prompt);
    if (p.done && p.owner) {
        t->busy++;
        p.done(p.owner, submit ? p.text : NULL, p.ud);
        t->busy--;
        stack_reap(t);
    }
    explicit_bzero(&p, sizeof p); /* a password must not linger on the stack */
}

void prompt_handle(struct tui *t, const struct tui_event *ev)
{
    struct tui_prompt_state *p = &t->prompt;
    int k = ev->key;

    if (ev->kind != TUI_EV_KEY)
        return;
    if (ev->is_char && k >= 0x20 && k != 0x7F) {
        text_insert(p, k);
        return;
    }
    switch (k) {
    case '\r':
    case '\n':
    case KEY_ENTER:
        prompt_finish(t, true);
        break;
    case TUI_KEY_ESC:
        prompt_finish(t, false);
        break;
    case KEY_BACKSPACE:
    case 127:
    case 8:
        if (p->cur > 0)
            text_delete(p, prev_char(p->text, p->cur), p->cur);
        break;
    case KEY_DC:
    case TUI_KEY_CTRL('d'):
        if (p->cur < p->len)
            text_delete(p, p->cur, next_char(p->text, p->len, p->cur));
        break;
    case TUI_KEY_CTRL('u'):
        p->text[0] = '\0';
        p->len = p->cur = 0;
        break;
    case TUI_KEY_CTRL('w'): {
        size_t i = p->cur;
        while (i > 0 && p->text[i - 1] == ' ')
            i--;
        while (i > 0 && p->text[i - 1] != ' ')
            i--;
        text_delete(p, i, p->cur);
        break;
    }
    case KEY_LEFT:
    case TUI_KEY_CTRL('b'):
        p->cur = prev_char(p->text, p->cur);
        break;
    case KEY_RIGHT:
    case TUI_KEY_CTRL('f'):
        p->cur = next_char(p->text, p->len, p->cur);
        break;
    case KEY_HOME:
    case TUI_KEY_CTRL('a'):
        p->cur = 0;
        break;
    case KEY_END:
    case TUI_KEY_CTRL('e'):
        p->cur = p->len;
        break;
    default:
        break;
    }
}

int prompt_paint(struct tui *t, int y)
{
    struct tui_prompt_state *p = &t->prompt;
    int x, avail, before;
    size_t from = 0;

    tui_fill(t, (struct tui_rect){y, 0, 1, t->cols}, EL_NORMAL);
    x = 1 + tui_text(t, y, 1, t->cols - 1, EL_PROMPT, p->label);
    x += tui_text(t, y, x, t->cols - x, EL_PROMPT, " ");
    avail = t->cols - x - 1; /* one column for the cursor after the last character */
    if (avail <= 0)
        return t->cols - 1;
    /* scroll so the cursor stays in view: drop characters from the left until it fits */
    before = text_width_n(p->text, p->cur);
    while (before > avail && from < p->cur) {
        size_t nx = next_char(p->text, p->len, from);
        before -= text_width_n(p->text + from, nx - from);
        from = nx;
    }
    if (p->secret) {
        /* one bullet per character; the cursor column counts characters, not their widths */
        const char *bullet = tui_glyph(t, GLYPH_BULLET);
        int chars = 0, shown = 0;
        for (size_t i = 0; i < p->len; i = next_char(p->text, p->len, i))
            chars++;
        int at = 0;
        for (size_t i = 0; i < p->cur; i = next_char(p->text, p->len, i))
            at++;
        int first = at > avail ? at - avail : 0;
        for (int i = first; i < chars && shown <= avail; i++, shown++)
            tui_text(t, y, x + shown, 1, EL_NORMAL, bullet);
        return x + at - first;
    }
    draw_text_n(t, y, x, avail + 1, EL_NORMAL, p->text + from, p->len - from);
    return x + before;
}
