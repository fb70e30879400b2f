/* list_screen.c: what the list screens share: paging, states, the table and the common keys. */
#include "screens/list_screen.h"

#include <stdlib.h>

#include "screens/frame.h"
#include "screens/paging.h"

#define PER_PAGE 50

static void *item_at(const struct list_screen *ls, size_t i)
{
    return (char *)ls->items + i * ls->ops->item_size;
}

static void clear_items(struct list_screen *ls)
{
    for (size_t i = 0; i < ls->n; i++)
        ls->ops->clear_item(item_at(ls, i));
    free(ls->items);
    ls->items = NULL;
    ls->n = 0;
    ls->list.count = 0;
}

static void request_page(struct list_screen *ls, int page)
{
    struct list_query q = {.page = page, .per_page = PER_PAGE};
    client_error_clear(&ls->err);
    ls->req = ls->ops->fetch(ls, &q);
    if (!ls->req && ls->ops->start_error)
        client_error_set(&ls->err, ls->ops->start_status, "%s", ls->ops->start_error);
    else if (!ls->req)
        client_error_set(&ls->err, CLIENT_ERR_NOMEM, "could not start the request");
}

void list_screen_init(struct list_screen *ls, const struct list_screen_ops *ops, struct app *app,
                      void *owner)
{
    ls->ops = ops;
    ls->app = app;
    ls->owner = owner;
    ls->list.item_h = 1;
}

void list_screen_close(struct list_screen *ls)
{
    client_cancel(ls->app->client, ls->req);
    ls->req = 0;
    app_cancel_timer(ls->app, ls->reload_timer);
    ls->reload_timer = 0;
    clear_items(ls);
}

void list_screen_load(struct list_screen *ls)
{
    client_cancel(ls->app->client, ls->req);
    ls->req = 0;
    ls->loaded = false;
    ls->replacing = false;
    ls->gen = ls->app->account_gen;
    clear_items(ls);
    request_page(ls, 1);
}

void list_screen_refresh(struct list_screen *ls)
{
    client_cancel(ls->app->client, ls->req);
    ls->req = 0;
    ls->replacing = true;
    request_page(ls, 1);
}

void list_screen_take(struct list_screen *ls, void *items, size_t *count,
                      const struct page_meta *meta)
{
    ls->req = 0;
    if (ls->replacing) {
        clear_items(ls);
        ls->list.selected = ls->list.top = 0;
        ls->replacing = false;
    }
    ls->meta = *meta;
    if (paging_append(&ls->items, &ls->n, items, *count, ls->ops->item_size) != 0) {
        client_error_set(&ls->err, CLIENT_ERR_NOMEM, "out of memory");
        return; /* the items stay with the page */
    }
    ls->list.count = (int)ls->n;
    int max = ls->ops->max_pages ? ls->ops->max_pages : LIST_SCREEN_MAX_PAGES;
    int next = paging_next(meta, *count, max);
    *count = 0; /* the items moved */
    if (next)
        request_page(ls, next);
    else
        ls->loaded = true;
}

void list_screen_fail(struct list_screen *ls, const struct client_error *err)
{
    ls->req = 0;
    ls->err = *err;
}

void *list_screen_selected(const struct list_screen *ls)
{
    if (ls->list.selected < 0 || (size_t)ls->list.selected >= ls->n)
        return NULL;
    return item_at(ls, (size_t)ls->list.selected);
}

/* ---- painting ---- */

static void reload_now(void *ud)
{
    struct list_screen *ls = ud;
    ls->reload_timer = 0;
    list_screen_load(ls);
}

bool list_screen_paint_begin(struct list_screen *ls, struct tui_rect body)
{
    if (frame_gate(ls->app, body))
        return true;
    if (frame_stale(ls->app, ls->gen) && !ls->req && !ls->reload_timer)
        ls->reload_timer = app_after(ls->app, 0, reload_now, ls);
    return false;
}

bool list_screen_paint_state(struct list_screen *ls, struct tui_rect area)
{
    char msg[200];
    if (ls->err.status != CLIENT_OK && !ls->req) {
        frame_error(ls->app, area, &ls->err);
        return true;
    }
    if (ls->n > 0)
        return false;
    if (!ls->loaded)
        frame_loading(ls->app, area, ls->ops->loading);
    else
        frame_message(ls->app, area, ls->ops->empty_el,
                      ls->ops->empty ? ls->ops->empty(ls, msg, sizeof msg) : ls->ops->empty_text);
    return true;
}

struct tui_rect list_screen_rows(struct list_screen *ls, struct tui_rect table)
{
    ls->rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&ls->list, &(struct tui_event){.kind = TUI_EV_KEY}, ls->rows); /* clamp */
    return ls->rows;
}

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct list_screen *ls = ud;
    bool sel = row == ls->list.selected;
    *el = sel ? EL_SELECTED : EL_NORMAL;
    return ls->ops->cell(ls, item_at(ls, (size_t)row), ls->ids[col], sel, el, buf, n);
}

void list_screen_paint_table(struct list_screen *ls, struct tui_rect table)
{
    const struct list_screen_ops *o = ls->ops;
    struct tui_column cols[16];
    int ncols = 0, w = table.w + 2; /* the widths are the body's, the table's margins aside */
    for (int i = 0; i < o->ncolumns && ncols < 16; i++) {
        if (w < o->min_width[i])
            continue;
        ls->ids[ncols] = i;
        cols[ncols++] = o->columns[i];
    }
    list_screen_rows(ls, table);
    tui_table_paint(ls->app->tui, table, cols, ncols, (int)ls->n, ls->list.top, cell, ls);
    if (o->loading_more && ls->req)
        tui_spinner(ls->app->tui, table.y + table.h - 1, table.x + 1, table.w - 2, "Loading more…");
}

/* ---- keys ---- */

static void open_selected(struct list_screen *ls)
{
    void *item = list_screen_selected(ls);
    if (item)
        ls->ops->open(ls, item);
}

enum tui_action list_screen_handle(struct list_screen *ls, const struct tui_event *ev)
{
    const struct list_screen_ops *o = ls->ops;
    if (ev->kind == TUI_EV_MOUSE) {
        int at = tui_list_hit(&ls->list, ls->rows, ev->y);
        if (o->open && ev->mouse == TUI_MOUSE_CLICK && at >= 0 && at == ls->list.selected)
            open_selected(ls);
        else
            tui_list_handle(&ls->list, ev, ls->rows);
        return TUI_HANDLED;
    }
    if (!o->no_nav && app_handle_nav(ls->app, ev->op))
        return TUI_HANDLED;
    enum tui_action own = o->key ? o->key(ls, ev->op) : TUI_IGNORED;
    if (own != TUI_IGNORED)
        return own;
    switch (ev->op) {
    case OP_RETRY:
        list_screen_load(ls);
        return TUI_HANDLED;
    case OP_ENTER:
        if (!o->open)
            break;
        open_selected(ls);
        return TUI_HANDLED;
    case OP_BACK:
        if (!o->back_cancels)
            break;
        if (ls->req) {
            client_cancel(ls->app->client, ls->req);
            ls->req = 0;
            ls->loaded = true;
            tui_status(ls->app->tui, "Cancelled.");
            return TUI_HANDLED;
        }
        return TUI_IGNORED;
    default:
        break;
    }
    return tui_list_handle(&ls->list, ev, ls->rows) ? TUI_HANDLED : TUI_IGNORED;
}

/* ---- screen operations ---- */

void list_screen_reload_op(struct screen *s)
{
    list_screen_load(s->priv);
}

void list_screen_close_op(struct screen *s)
{
    list_screen_close(s->priv);
}

void list_screen_paint_op(struct screen *s, struct tui_rect body)
{
    struct list_screen *ls = s->priv;
    if (list_screen_paint_begin(ls, body) || list_screen_paint_state(ls, body))
        return;
    list_screen_paint_table(ls, (struct tui_rect){body.y, body.x + 1, body.h, body.w - 2});
}

enum tui_action list_screen_handle_op(struct screen *s, const struct tui_event *ev)
{
    return list_screen_handle(s->priv, ev);
}
