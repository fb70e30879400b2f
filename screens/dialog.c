/* dialog.c: two small screens that ask: a yes/no question, and a choice among a few labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/screens.h"

#define DIALOG_MAX_W   64
#define CHOICE_MAX     8
#define CHOICE_LABEL_N 160

/* ---- confirm: y or n ---- */

struct confirm {
    char title[96];
    char *message;
    void (*yes)(void *ud);
    void *ud;
    struct tui_rect yes_at, no_at; /* the two answers, for the mouse */
};

static const enum tui_op confirm_keys[] = {OP_YES, OP_NO, OP_BACK, OP_HELP, OP_QUIT, OP_NONE};

static int confirm_open(struct screen *s, void *arg)
{
    struct confirm *c = s->priv;
    const struct confirm_args *a = arg;
    char own[sizeof c->title];
    if (!a || !a->message)
        return -1;
    /* titles are sett's own ("Cart › Remove") */
    snprintf(c->title, sizeof c->title, "%s",
             tui_own(s->tui, a->title ? a->title : "Confirm", own, sizeof own));
    c->message = strdup(a->message);
    c->yes = a->yes;
    c->ud = a->ud;
    return c->message ? 0 : -1;
}

static void confirm_close(struct screen *s)
{
    struct confirm *c = s->priv;
    free(c->message);
}

/* A centred box: the text wrapped in it, then a line of answers. Returns the answers' row. */
static int dialog_box(struct tui *t, struct tui_rect body, const char *text, int extra_rows,
                      struct tui_rect *box_out)
{
    int w = body.w - 4 < DIALOG_MAX_W ? body.w - 4 : DIALOG_MAX_W;
    if (w < 10)
        w = body.w;
    int lines = tui_wrap_count(text, w - 4);
    int h = lines + extra_rows + 3;
    if (h > body.h)
        h = body.h;
    struct tui_rect box = {body.y + (body.h - h) / 2, body.x + (body.w - w) / 2, h, w};
    tui_fill(t, box, EL_NORMAL);
    int text_h = h - extra_rows - 3 > 0 ? h - extra_rows - 3 : 1;
    tui_wrap_paint(t, (struct tui_rect){box.y + 1, box.x + 2, text_h, w - 4}, 0, EL_NORMAL, text);
    *box_out = box;
    return box.y + 1 + text_h + 1;
}

static void confirm_paint(struct screen *s, struct tui_rect body)
{
    struct confirm *c = s->priv;
    struct tui_rect box;
    int row = dialog_box(s->tui, body, c->message, 1, &box);
    if (row >= body.y + body.h)
        row = body.y + body.h - 1;
    tui_set_cursor(s->tui, box.y + 1, box.x + 2); /* on the question: y and n answer it */
    int x = box.x + 2;
    x += tui_text(s->tui, row, x, 3, EL_FOOTER_KEY, "y");
    c->yes_at = (struct tui_rect){row, box.x + 2, 1, 0};
    x += tui_text(s->tui, row, x, box.w - (x - box.x), EL_NORMAL, " yes    ");
    c->yes_at.w = x - c->yes_at.x;
    c->no_at = (struct tui_rect){row, x, 1, 0};
    x += tui_text(s->tui, row, x, 3, EL_FOOTER_KEY, "n");
    x += tui_text(s->tui, row, x, box.w - (x - box.x), EL_NORMAL, " no");
    c->no_at.w = x - c->no_at.x;
}

static bool hit(struct tui_rect r, const struct tui_event *ev)
{
    return ev->y == r.y && ev->x >= r.x && ev->x < r.x + r.w;
}

static enum tui_action confirm_handle(struct screen *s, const struct tui_event *ev)
{
    struct confirm *c = s->priv;
    enum tui_op op = ev->op;
    if (ev->kind == TUI_EV_MOUSE) {
        if (ev->mouse != TUI_MOUSE_CLICK)
            return TUI_HANDLED;
        op = hit(c->yes_at, ev) ? OP_YES : hit(c->no_at, ev) ? OP_NO : OP_NONE;
    }
    if (op == OP_YES) {
        void (*yes)(void *) = c->yes;
        void *ud = c->ud;
        tui_pop(s->tui); /* closed first, so `yes` may push screens of its own */
        if (yes)
            yes(ud);
        return TUI_HANDLED;
    }
    if (op == OP_NO || op == OP_BACK) {
        tui_status(s->tui, "Nothing was changed.");
        return TUI_CLOSE;
    }
    return op == OP_HELP || op == OP_QUIT ? TUI_IGNORED : TUI_HANDLED;
}

static const char *confirm_title(struct screen *s, char *buf, size_t n)
{
    struct confirm *c = s->priv;
    snprintf(buf, n, "%s", c->title);
    return buf;
}

const struct screen_ops confirm_screen = {
    .name = "confirm",
    .priv_size = sizeof(struct confirm),
    .open = confirm_open,
    .close = confirm_close,
    .paint = confirm_paint,
    .handle = confirm_handle,
    .title = confirm_title,
    .keys = confirm_keys,
};

/* ---- choice: one of a few labels ---- */

struct choice {
    char title[96];
    char *message;
    char labels[CHOICE_MAX][CHOICE_LABEL_N];
    struct tui_list list;
    struct tui_rect list_rect;
    void (*chosen)(void *ud, int index);
    void *ud;
};

static const enum tui_op choice_keys[] = {OP_ENTER, OP_UP,   OP_DOWN, OP_BACK,
                                          OP_HELP,  OP_QUIT, OP_NONE};

static int choice_open(struct screen *s, void *arg)
{
    struct choice *c = s->priv;
    const struct choice_args *a = arg;
    char own[sizeof c->title];
    if (!a || a->n < 1)
        return -1;
    snprintf(c->title, sizeof c->title, "%s",
             tui_own(s->tui, a->title ? a->title : "Choose", own, sizeof own));
    c->message = strdup(a->message ? a->message : "");
    for (int i = 0; i < a->n && i < CHOICE_MAX; i++)
        snprintf(c->labels[i], sizeof c->labels[i], "%s", a->labels[i]);
    c->list.count = a->n < CHOICE_MAX ? a->n : CHOICE_MAX;
    c->list.item_h = 1;
    c->chosen = a->chosen;
    c->ud = a->ud;
    return c->message ? 0 : -1;
}

static void choice_close(struct screen *s)
{
    struct choice *c = s->priv;
    free(c->message);
}

static void paint_label(struct tui *t, struct tui_rect r, int i, bool selected, void *ud)
{
    struct choice *c = ud;
    enum theme_elem el = selected ? EL_SELECTED : EL_NORMAL;
    tui_fill(t, r, el);
    tui_text(t, r.y, r.x, 2, el, selected ? tui_glyph(t, GLYPH_MARKER) : " ");
    tui_text(t, r.y, r.x + 2, r.w - 2, el, c->labels[i]);
}

static void choice_paint(struct screen *s, struct tui_rect body)
{
    struct choice *c = s->priv;
    struct tui_rect box;
    int row = dialog_box(s->tui, body, c->message, c->list.count, &box);
    int h = box.y + box.h - 1 - row;
    if (h < 1)
        h = 1;
    c->list_rect = (struct tui_rect){row, box.x + 2, h, box.w - 4};
    tui_list_paint(s->tui, &c->list, c->list_rect, paint_label, c);
}

static enum tui_action choice_handle(struct screen *s, const struct tui_event *ev)
{
    struct choice *c = s->priv;
    bool pick = ev->op == OP_ENTER;
    if (ev->kind == TUI_EV_MOUSE) {
        int at = tui_list_hit(&c->list, c->list_rect, ev->y);
        if (ev->mouse == TUI_MOUSE_CLICK && at >= 0 && at == c->list.selected)
            pick = true;
        else
            tui_list_handle(&c->list, ev, c->list_rect);
    }
    if (pick) {
        void (*chosen)(void *, int) = c->chosen;
        void *ud = c->ud;
        int index = c->list.selected;
        tui_pop(s->tui);
        if (chosen)
            chosen(ud, index);
        return TUI_HANDLED;
    }
    if (ev->op == OP_BACK) {
        tui_status(s->tui, "Nothing was changed.");
        return TUI_CLOSE;
    }
    if (ev->kind == TUI_EV_KEY && tui_list_handle(&c->list, ev, c->list_rect))
        return TUI_HANDLED;
    return ev->op == OP_HELP || ev->op == OP_QUIT ? TUI_IGNORED : TUI_HANDLED;
}

static const char *choice_title(struct screen *s, char *buf, size_t n)
{
    struct choice *c = s->priv;
    snprintf(buf, n, "%s", c->title);
    return buf;
}

const struct screen_ops choice_screen = {
    .name = "choice",
    .priv_size = sizeof(struct choice),
    .open = choice_open,
    .close = choice_close,
    .paint = choice_paint,
    .handle = choice_handle,
    .title = choice_title,
    .keys = choice_keys,
};
