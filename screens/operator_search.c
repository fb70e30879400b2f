/* operator_search.c: the operator's first screen: customer accounts found by e-mail, name, id or
 * SSH key fingerprint, each with its figures; Enter opens one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/list_screen.h"
#include "screens/operator_state.h"
#include "screens/screens.h"

struct search_view {
    struct list_screen ls; /* first: the shared screen operations take it from priv */
    char q[201];
};

static const enum tui_op search_keys[] = {
    OP_FIND_CUSTOMER, OP_ENTER, OP_ORDERS,    OP_CATALOG, OP_COUPONS, OP_SETTINGS, OP_UP,
    OP_DOWN,          OP_RETRY, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,    OP_END,      OP_HELP,
    OP_QUIT,          OP_NONE,
};

LIST_SCREEN_ON_PAGE(on_users, admin_user_page, admin_user_page_free)

static uint64_t fetch(struct list_screen *ls, struct list_query *lq)
{
    const struct search_view *v = ls->owner;
    struct admin_user_query q = {.q = v->q, .per_page = lq->per_page};
    return client_admin_search_users(ls->app->client, &q, on_users, ls);
}

static void clear_item(void *item)
{
    admin_user_clear(item);
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
    list_screen_refresh(&v->ls);
}

enum { COL_ID, COL_EMAIL, COL_NAME, COL_SERVICES, COL_UNPAID, COL_BALANCE, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_ID] = {"#", 5, true},          [COL_EMAIL] = {"E-mail", 0, false},
    [COL_NAME] = {"Name", 18, false},   [COL_SERVICES] = {"Active", 6, true},
    [COL_UNPAID] = {"Unpaid", 6, true}, [COL_BALANCE] = {"Credit", 10, true},
};
static const int min_width[N_COLS] = {[COL_NAME] = 60};

static const char *cell(struct list_screen *ls, const void *item, int col, bool sel,
                        enum theme_elem *el, char *buf, size_t n)
{
    const struct admin_user *u = item;
    switch (col) {
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
        money_format(&u->credit_balance, app_currency(ls->app), buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    }
}

static void open_item(struct list_screen *ls, void *item)
{
    const struct admin_user *u = item;
    operator_open_customer(ls->app, u->id, u->email);
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    switch (op) {
    case OP_FIND_CUSTOMER:
        tui_prompt(ls->app->tui, "Find customer (e-mail, name, id or SHA256:…):", "", on_query,
                   NULL);
        return TUI_HANDLED;
    case OP_RETRY:
        list_screen_refresh(ls);
        return TUI_HANDLED;
    case OP_ORDERS:
    case OP_CATALOG:
    case OP_COUPONS:
    case OP_SETTINGS: /* the shop's screens need no customer */
        return operator_handle_nav(ls->app, op) ? TUI_HANDLED : TUI_IGNORED;
    default:
        return TUI_IGNORED;
    }
}

static const struct list_screen_ops list_ops = {
    .item_size = sizeof(struct admin_user),
    .max_pages = 1, /* a search shows its first page; the query narrows it */
    .fetch = fetch,
    .start_status = CLIENT_ERR_USAGE,
    .start_error = "this search cannot be sent",
    .clear_item = clear_item,
    .loading = "Searching…",
    .empty_text = "No customer matches. w searches again.",
    .columns = columns,
    .min_width = min_width,
    .ncolumns = N_COLS,
    .cell = cell,
    .open = open_item,
    .key = own_key,
    .no_nav = true,
};

static void search_reload(struct screen *s)
{
    struct search_view *v = s->priv;
    v->ls.app->view_user_id = 0; /* back at the search: no customer open */
    v->ls.app->view_email[0] = '\0';
    if (operator_allowed(v->ls.app))
        list_screen_refresh(&v->ls);
}

static int search_open(struct screen *s, void *arg)
{
    struct search_view *v = s->priv;
    (void)arg;
    list_screen_init(&v->ls, &list_ops, s->app, v);
    if (operator_allowed(v->ls.app))
        list_screen_refresh(&v->ls);
    return 0;
}

static void search_paint(struct screen *s, struct tui_rect body)
{
    struct search_view *v = s->priv;
    char line[300], q[220], key[16];
    tui_sanitize(v->q, q, sizeof q, false);
    keymap_op_key(OP_FIND_CUSTOMER, key, sizeof key);
    if (q[0])
        snprintf(line, sizeof line, "Customers matching \"%s\" (%s searches again)", q, key);
    else
        snprintf(line, sizeof line,
                 "All customers, newest first. %s searches: e-mail, name, id, SSH fingerprint.",
                 key);
    tui_text(s->tui, body.y, body.x + 1, body.w - 2, EL_DIM, line);
    struct tui_rect rest = {body.y + 1, body.x, body.h - 1, body.w};
    if (list_screen_paint_state(&v->ls, rest))
        return;
    list_screen_paint_table(&v->ls,
                            (struct tui_rect){rest.y + 1, rest.x + 1, rest.h - 1, rest.w - 2});
}

static const char *search_title(struct screen *s, char *buf, size_t n)
{
    struct search_view *v = s->priv;
    if (v->ls.loaded)
        tui_format(s->tui, buf, n, "Operator › Customers · %lld", (long long)v->ls.meta.total);
    else
        snprintf(buf, n, "Operator");
    return buf;
}

const struct screen_ops operator_search_screen = {
    .name = "operator-search",
    .priv_size = sizeof(struct search_view),
    .open = search_open,
    .close = list_screen_close_op,
    .paint = search_paint,
    .handle = list_screen_handle_op,
    .reload = search_reload,
    .title = search_title,
    .keys = search_keys,
};
