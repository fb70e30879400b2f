/* operator_search.c: the operator's first screen: customer accounts found by e-mail, name, id or
 * SSH key fingerprint, each with its figures; Enter opens one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator_state.h"
#include "screens/paging.h"
#include "screens/screens.h"

#define PER_PAGE 50

struct search_view {
    struct app *app;
    struct admin_user_page *page;
    char q[201];
    uint64_t req;
    struct client_error err;
    struct tui_list list;
    struct tui_rect rows;
};

static const enum tui_op search_keys[] = {
    OP_FIND_CUSTOMER, OP_ENTER, OP_UP,  OP_DOWN, OP_RETRY, OP_PAGE_DOWN,
    OP_PAGE_UP,       OP_HOME,  OP_END, OP_HELP, OP_QUIT,  OP_NONE,
};

static void on_users(void *ud, struct admin_user_page *pg, const struct client_error *err)
{
    struct search_view *v = ud;
    v->req = 0;
    if (!pg) {
        v->err = *err;
        return;
    }
    admin_user_page_free(&v->page);
    v->page = pg;
    v->list.count = (int)pg->n;
    v->list.selected = v->list.top = 0;
}

static void search(struct search_view *v)
{
    struct admin_user_query q = {.q = v->q, .per_page = PER_PAGE};
    client_cancel(v->app->client, v->req);
    client_error_clear(&v->err);
    v->req = client_admin_search_users(v->app->client, &q, on_users, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "this search cannot be sent");
}

static void on_query(struct screen *s, const char *text, void *ud)
{
    struct search_view *v = s->priv;
    (void)ud;
    if (!text)
        return;
    while (*text == ' ')
        text++;
    snprintf(v->q, sizeof v->q, "%s", text);
    for (size_t n = strlen(v->q); n > 0 && v->q[n - 1] == ' '; n--)
        v->q[n - 1] = '\0';
    search(v);
}

static void search_reload(struct screen *s)
{
    struct search_view *v = s->priv;
    v->app->view_user_id = 0; /* back at the search: no customer open */
    v->app->view_email[0] = '\0';
    if (operator_allowed(v->app))
        search(v);
}

static int search_open(struct screen *s, void *arg)
{
    struct search_view *v = s->priv;
    (void)arg;
    v->app = s->app;
    v->list.item_h = 1;
    if (operator_allowed(v->app))
        search(v);
    return 0;
}

static void search_close(struct screen *s)
{
    struct search_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    admin_user_page_free(&v->page);
}

enum { COL_ID, COL_EMAIL, COL_NAME, COL_SERVICES, COL_UNPAID, COL_BALANCE };

static int columns(int w, struct tui_column *cols, int *ids)
{
    static const struct tui_column all[] = {
        [COL_ID] = {"#", 5, true},          [COL_EMAIL] = {"E-mail", 0, false},
        [COL_NAME] = {"Name", 18, false},   [COL_SERVICES] = {"Active", 6, true},
        [COL_UNPAID] = {"Unpaid", 6, true}, [COL_BALANCE] = {"Credit", 10, true},
    };
    int n = 0;
    ids[n++] = COL_ID;
    ids[n++] = COL_EMAIL;
    if (w >= 60)
        ids[n++] = COL_NAME;
    ids[n++] = COL_SERVICES;
    ids[n++] = COL_UNPAID;
    ids[n++] = COL_BALANCE;
    for (int i = 0; i < n; i++)
        cols[i] = all[ids[i]];
    return n;
}

struct cell_ctx {
    struct search_view *v;
    int ids[8];
};

static const char *cell(int row, int col, enum theme_elem *el, char *buf, size_t n, void *ud)
{
    struct cell_ctx *c = ud;
    const struct admin_user *u = &c->v->page->items[row];
    bool sel = row == c->v->list.selected;
    *el = sel ? EL_SELECTED : EL_NORMAL;
    switch (c->ids[col]) {
    case COL_ID:
        snprintf(buf, n, "%lld", (long long)u->id);
        return buf;
    case COL_EMAIL:
        if (!sel)
            *el = EL_PRODUCT_NAME;
        return u->email;
    case COL_NAME:
        return u->name;
    case COL_SERVICES:
        snprintf(buf, n, "%d", u->active_services);
        return buf;
    case COL_UNPAID:
        snprintf(buf, n, "%d", u->unpaid_invoices);
        if (!sel && u->unpaid_invoices)
            *el = EL_STATUS_PENDING;
        return buf;
    default:
        money_format(&u->credit_balance, app_currency(c->v->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    }
}

static void search_paint(struct screen *s, struct tui_rect body)
{
    struct search_view *v = s->priv;
    char line[300], q[220];
    tui_sanitize(v->q, q, sizeof q, false);
    if (q[0])
        snprintf(line, sizeof line, "Customers matching \"%s\" (U searches again)", q);
    else
        snprintf(line, sizeof line,
                 "All customers, newest first. U searches: e-mail, name, id, SSH fingerprint.");
    tui_text(s->tui, body.y, body.x + 1, body.w - 2, EL_DIM, line);
    struct tui_rect rest = {body.y + 1, body.x, body.h - 1, body.w};
    if (v->err.status != CLIENT_OK && !v->req) {
        frame_error(v->app, rest, &v->err);
        return;
    }
    if (!v->page) {
        frame_loading(v->app, rest, "Searching…");
        return;
    }
    if (v->page->n == 0) {
        frame_message(v->app, rest, EL_NORMAL, "No customer matches. U searches again.");
        return;
    }
    struct tui_column cols[8];
    struct cell_ctx ctx = {.v = v};
    int ncols = columns(body.w, cols, ctx.ids);
    struct tui_rect table = {rest.y + 1, rest.x + 1, rest.h - 1, rest.w - 2};
    v->rows = (struct tui_rect){table.y + 1, table.x, table.h - 1, table.w};
    tui_list_handle(&v->list, &(struct tui_event){.kind = TUI_EV_KEY}, v->rows); /* clamp */
    tui_table_paint(s->tui, table, cols, ncols, (int)v->page->n, v->list.top, cell, &ctx);
}

static void open_selected(struct search_view *v)
{
    if (!v->page || v->list.selected < 0 || (size_t)v->list.selected >= v->page->n)
        return;
    const struct admin_user *u = &v->page->items[v->list.selected];
    operator_open_customer(v->app, u->id, u->email);
}

static enum tui_action search_handle(struct screen *s, const struct tui_event *ev)
{
    struct search_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        int at = tui_list_hit(&v->list, v->rows, ev->y);
        if (ev->mouse == TUI_MOUSE_CLICK && at >= 0 && at == v->list.selected)
            open_selected(v);
        else
            tui_list_handle(&v->list, ev, v->rows);
        return TUI_HANDLED;
    }
    switch (ev->op) {
    case OP_FIND_CUSTOMER:
        tui_prompt(s->tui, "Find customer (e-mail, name, id or SHA256:…):", "", on_query, NULL);
        return TUI_HANDLED;
    case OP_RETRY:
        search(v);
        return TUI_HANDLED;
    case OP_ENTER:
        open_selected(v);
        return TUI_HANDLED;
    default:
        return tui_list_handle(&v->list, ev, v->rows) ? TUI_HANDLED : TUI_IGNORED;
    }
}

static const char *search_title(struct screen *s, char *buf, size_t n)
{
    struct search_view *v = s->priv;
    if (v->page)
        snprintf(buf, n, "Operator › Customers · %lld", (long long)v->page->meta.total);
    else
        snprintf(buf, n, "Operator");
    return buf;
}

const struct screen_ops operator_search_screen = {
    .name = "operator-search",
    .priv_size = sizeof(struct search_view),
    .open = search_open,
    .close = search_close,
    .paint = search_paint,
    .handle = search_handle,
    .reload = search_reload,
    .title = search_title,
    .keys = search_keys,
};
