/* stack.c: the screen stack; frees are deferred while a handler may still hold its screen. */
#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

static void screen_destroy(struct screen *s)
{
    free(s->priv);
    free(s);
}

int tui_push(struct tui *t, const struct screen_ops *ops, void *arg)
{
    struct screen *s = NULL;
    int rc;

    if (!t || !ops || !ops->paint || !ops->handle)
        return -1;
    if (t->depth == t->cap) {
        int cap = t->cap ? t->cap * 2 : 8;
        struct tui_entry *grown = realloc(t->stack, (size_t)cap * sizeof *grown);
        if (!grown)
            return -1;
        t->stack = grown;
        t->cap = cap;
    }
    s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->ops = ops;
    s->tui = t;
    s->app = t->cfg.app;
    if (ops->priv_size && !(s->priv = calloc(1, ops->priv_size)))
        goto fail;
    /* open() may push or pop in turn; it runs as a handler so nothing is freed under it */
    t->busy++;
    rc = ops->open ? ops->open(s, arg) : 0;
    t->busy--;
    if (rc != 0)
        goto fail;
    t->stack[t->depth++] = (struct tui_entry){s, {0, 0, 0, 0}};
    t->help_open = false;
    t->dirty = true;
    stack_reap(t);
    return 0;
fail:
    screen_destroy(s);
    stack_reap(t);
    return -1;
}

/* Removes `s` wherever it is: a handler that pushed a screen and then returns TUI_CLOSE closes
 * itself, not the screen it just pushed. */
void stack_remove(struct tui *t, struct screen *s)
{
    int i;

    for (i = t->depth - 1; i >= 0 && t->stack[i].s != s; i--)
        ;
    if (i < 0)
        return;
    memmove(&t->stack[i], &t->stack[i + 1], (size_t)(t->depth - i - 1) * sizeof t->stack[0]);
    t->depth--;
    prompt_cancel_for(t, s);
    t->help_open = false;
    t->dirty = true;
    if (s->ops->close) {
        t->busy++;
        s->ops->close(s);
        t->busy--;
    }
    if (t->ndead == t->dead_cap) {
        int cap = t->dead_cap ? t->dead_cap * 2 : 8;
        struct screen **grown = realloc(t->dead, (size_t)cap * sizeof *grown);
        if (!grown) {
            /* cannot defer: leaking one screen beats a use-after-free */
            return;
        }
        t->dead = grown;
        t->dead_cap = cap;
    }
    t->dead[t->ndead++] = s;
    stack_reap(t);
}

void stack_reap(struct tui *t)
{
    if (t->busy > 0)
        return;
    for (int i = 0; i < t->ndead; i++)
        screen_destroy(t->dead[i]);
    t->ndead = 0;
}

void tui_pop(struct tui *t)
{
    if (t && t->depth > 0)
        stack_remove(t, t->stack[t->depth - 1].s);
}

struct screen *tui_top(struct tui *t)
{
    return t && t->depth > 0 ? t->stack[t->depth - 1].s : NULL;
}

void stack_free_all(struct tui *t)
{
    while (t->depth > 0)
        tui_pop(t);
    t->busy = 0;
    stack_reap(t);
    free(t->stack);
    free(t->dead);
    t->stack = NULL;
    t->dead = NULL;
    t->cap = t->dead_cap = 0;
}
