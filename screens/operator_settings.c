/* operator_settings.c: the billing settings, one row each with its value; e changes the selected
 * one: the new value, then a confirmation showing old → new; the server checks it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/list_screen.h"
#include "screens/operator.h"
#include "screens/operator_shop.h"
#include "screens/screens.h"

struct settings_view {
    struct list_screen ls; /* first: the shared screen operations take it from priv */
    struct shop_settings *cur;
    uint64_t save_req;
    enum shop_setting editing;
    struct shop_settings next; /* cur's members but the one being changed (not owned) */
    char text[256];            /* a new text value */
    char *gateways[2];
};

static const enum tui_op settings_keys[] = {
    OP_EDIT,          OP_UP,        OP_DOWN,    OP_RETRY, OP_CATALOG, OP_COUPONS, OP_ORDERS,
    OP_FIND_CUSTOMER, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,  OP_END,     OP_BACK,    OP_HELP,
    OP_QUIT,          OP_NONE,
};

/* The value as shown ("19%", "7 days", "Yes"); `edit` gives the text to type instead. */
static const char *value_text(struct app *a, const struct shop_settings *s, enum shop_setting i,
                              bool edit, char *buf, size_t n)
{
    return operator_setting_text(s, i, edit, app_currency(a), tui_glyph(a->tui, GLYPH_EM_DASH), buf,
                                 n);
}

/* ---- loading ---- */

static void on_settings(void *ud, struct shop_settings *s, const struct client_error *err)
{
    struct list_screen *ls = ud;
    struct settings_view *v = ls->owner;
    int order[SETTING_COUNT];
    size_t count = SETTING_COUNT;
    struct page_meta meta = {1, SETTING_COUNT, SETTING_COUNT, 1};

    if (!s) {
        list_screen_fail(ls, err);
        return;
    }
    shop_settings_free(&v->cur);
    v->cur = s;
    for (int i = 0; i < SETTING_COUNT; i++)
        order[i] = i;
    list_screen_take(ls, order, &count, &meta);
}

static uint64_t fetch(struct list_screen *ls, struct list_query *q)
{
    (void)q;
    return client_admin_get_settings(ls->app->client, on_settings, ls);
}

static void clear_item(void *item)
{
    (void)item;
}

enum { COL_NAME, COL_VALUE, COL_API, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_NAME] = {"Setting", 26, false},
    [COL_VALUE] = {"Value", 0, false},
    [COL_API] = {"API name", 22, false},
};
static const int min_width[N_COLS] = {[COL_API] = 90};

static const char *cell(struct list_screen *ls, const void *item, int col, bool sel,
                        enum theme_elem *el, char *buf, size_t n)
{
    struct settings_view *v = ls->owner;
    enum shop_setting i = *(const int *)item;
    switch (col) {
    case COL_NAME:
        return operator_setting_label(i);
    case COL_VALUE:
        if (!sel)
            *el = EL_PRODUCT_NAME;
        return v->cur ? value_text(ls->app, v->cur, i, false, buf, n) : "";
    default:
        if (!sel)
            *el = EL_DIM;
        return shop_settings_fields[i].name;
    }
}

/* ---- changing one ---- */

static void on_saved(void *ud, struct shop_settings *s, const struct client_error *err)
{
    struct settings_view *v = ud;
    struct app *a = v->ls.app;
    char msg[400], value[200];

    v->save_req = 0;
    if (!s) {
        operator_shop_refusal(err, msg, sizeof msg);
        tui_status(a->tui, "%s not changed: %s", operator_setting_label(v->editing), msg);
        return;
    }
    shop_settings_free(&v->cur);
    v->cur = s;
    tui_status(a->tui, "%s is now %s.", operator_setting_label(v->editing),
               value_text(a, s, v->editing, false, value, sizeof value));
    app_load_status(a); /* the store's currency and tax come from there */
}

static void send_change(void *ud)
{
    struct settings_view *v = ud;
    struct app *a = v->ls.app;

    if (!v->cur)
        return;
    v->save_req = client_admin_update_settings(a->client, &v->next, 1u << v->editing, on_saved, v);
    tui_status(a->tui, v->save_req ? "Saving…" : "This change cannot be sent.");
}

/* The typed text into v->next; 0, or -1 with the reason on the status line. */
static int parse_value(struct settings_view *v, const char *text)
{
    struct app *a = v->ls.app;
    operator_shop_trim(text, v->text, sizeof v->text);
    if (operator_setting_parse(&v->next, v->editing, v->text, app_currency(a), v->gateways) == 0)
        return 0;
    tui_status(a->tui, "\"%s\" is not a value for %s: %s.", v->text,
               operator_setting_label(v->editing), operator_setting_hint(v->editing));
    return -1;
}

static void on_value(struct screen *s, const char *text, void *ud)
{
    struct settings_view *v = ud;
    struct app *a = v->ls.app;
    char msg[700], before[200], after[200];
    (void)s;

    if (!text) {
        tui_status(a->tui, "Nothing was changed.");
        return;
    }
    if (!v->cur)
        return;
    v->next = *v->cur;
    if (parse_value(v, text) != 0)
        return;
    value_text(a, v->cur, v->editing, false, before, sizeof before);
    value_text(a, &v->next, v->editing, false, after, sizeof after);
    if (strcmp(before, after) == 0) {
        tui_status(a->tui, "%s is already %s: nothing was changed.",
                   operator_setting_label(v->editing), before);
        return;
    }
    snprintf(msg, sizeof msg, "Change %s: %s → %s?", operator_setting_label(v->editing), before,
             after);
    struct confirm_args ca = {
        .title = "Change setting", .message = msg, .yes = send_change, .ud = v};
    tui_push(a->tui, &confirm_screen, &ca);
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    struct settings_view *v = ls->owner;
    const int *row = list_screen_selected(ls);
    char label[200], initial[200];

    if (op != OP_EDIT)
        return TUI_IGNORED;
    if (!row || !v->cur)
        return TUI_HANDLED;
    if (v->save_req) {
        tui_status(ls->app->tui, "Wait for the change in flight to finish.");
        return TUI_HANDLED;
    }
    v->editing = (enum shop_setting) * row;
    snprintf(label, sizeof label, "%s (%s):", operator_setting_label(v->editing),
             operator_setting_hint(v->editing));
    tui_prompt(ls->app->tui, label,
               value_text(ls->app, v->cur, v->editing, true, initial, sizeof initial), on_value, v);
    return TUI_HANDLED;
}

static const struct list_screen_ops list_ops = {
    .item_size = sizeof(int),
    .max_pages = 1,
    .fetch = fetch,
    .clear_item = clear_item,
    .loading = "Loading the settings…",
    .empty_text = "The server sent no settings.",
    .columns = columns,
    .min_width = min_width,
    .ncolumns = N_COLS,
    .cell = cell,
    .key = own_key,
};

static int settings_open(struct screen *s, void *arg)
{
    struct settings_view *v = s->priv;
    (void)arg;
    list_screen_init(&v->ls, &list_ops, s->app, v);
    list_screen_load(&v->ls);
    return 0;
}

static void settings_close(struct screen *s)
{
    struct settings_view *v = s->priv;
    client_cancel(v->ls.app->client, v->save_req);
    v->save_req = 0;
    list_screen_close(&v->ls);
    shop_settings_free(&v->cur);
}

/* No licence gate: switching billing on and its licence are among the settings. */
static void settings_paint(struct screen *s, struct tui_rect body)
{
    struct settings_view *v = s->priv;
    operator_shop_paint(
        &v->ls, body,
        "The billing settings. e changes the selected one; changes go to the audit log.");
}

static const char *settings_title(struct screen *s, char *buf, size_t n)
{
    tui_format(s->tui, buf, n, "Operator › Settings");
    return buf;
}

const struct screen_ops operator_settings_screen = {
    .name = "operator-settings",
    .priv_size = sizeof(struct settings_view),
    .open = settings_open,
    .close = settings_close,
    .paint = settings_paint,
    .handle = list_screen_handle_op,
    .reload = list_screen_reload_op,
    .title = settings_title,
    .keys = settings_keys,
};
