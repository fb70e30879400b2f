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

enum style { ST_TEXT, ST_INT, ST_DAYS, ST_BOOL, ST_RATE, ST_MONEY, ST_GATEWAYS };

static const struct setting_row {
    const char *label;
    enum style style;
    const char *hint; /* what the prompt asks for */
} rows[SETTING_COUNT] = {
    [SETTING_CURRENCY_CODE] = {"Currency", ST_TEXT, "three capital letters, e.g. EUR"},
    [SETTING_CURRENCY_SYMBOL] = {"Currency symbol", ST_TEXT, "e.g. €"},
    [SETTING_CURRENCY_EXPONENT] = {"Currency decimals", ST_INT, "0 to 4"},
    [SETTING_TAX_ENABLED] = {"Tax charged", ST_BOOL, "yes or no"},
    [SETTING_TAX_NAME] = {"Tax name", ST_TEXT, "e.g. VAT"},
    [SETTING_TAX_RATE_BPS] = {"Tax rate", ST_RATE, "percent, e.g. 19 or 7.5"},
    [SETTING_TAX_INCLUSIVE] = {"Prices include tax", ST_BOOL, "yes or no"},
    [SETTING_GATEWAYS] = {"Payment gateways", ST_GATEWAYS, "stripe, paypal, both or none"},
    [SETTING_CREDITS_ENABLED] = {"Account credits", ST_BOOL, "yes or no"},
    [SETTING_CREDITS_MIN_DEPOSIT] = {"Smallest credit deposit", ST_MONEY, "an amount"},
    [SETTING_CREDITS_MAX_DEPOSIT] = {"Largest credit deposit", ST_MONEY, "an amount"},
    [SETTING_AUTO_ACTIVATE] = {"Activate paid orders", ST_BOOL, "yes, or no to approve each"},
    [SETTING_AUTO_SUSPEND_DAYS] = {"Suspend when overdue", ST_DAYS, "days, 0 never"},
    [SETTING_AUTO_TERMINATE_DAYS] = {"Terminate when overdue", ST_DAYS, "days, 0 never"},
    [SETTING_RENEWAL_INVOICE_DAYS] = {"Renewal invoice ahead", ST_INT, "days before due, 0 to 60"},
    [SETTING_SIGNUP_ENABLED] = {"Sign-ups open", ST_BOOL, "yes or no"},
    [SETTING_BILLING_ENABLED] = {"Billing switched on", ST_BOOL, "yes or no"},
    [SETTING_BILLING_LICENSED] = {"Billing licensed", ST_BOOL, "yes or no"},
};

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
    const struct record_field *f = &shop_settings_fields[i];
    switch (rows[i].style) {
    case ST_TEXT: {
        const char *t = REC_GET(char *, s, f);
        snprintf(buf, n, "%s", t && *t ? t : edit ? "" : tui_glyph(a->tui, GLYPH_EM_DASH));
        break;
    }
    case ST_INT:
    case ST_DAYS: {
        int v = REC_GET(int, s, f);
        if (edit)
            snprintf(buf, n, "%d", v);
        else if (rows[i].style == ST_DAYS && v == 0)
            snprintf(buf, n, "Never");
        else if (rows[i].style == ST_DAYS || i == SETTING_RENEWAL_INVOICE_DAYS)
            snprintf(buf, n, "%d day%s", v, v == 1 ? "" : "s");
        else
            snprintf(buf, n, "%d", v);
        break;
    }
    case ST_BOOL:
        snprintf(buf, n, "%s", REC_GET(bool, s, f) ? edit ? "yes" : "Yes" : edit ? "no" : "No");
        break;
    case ST_RATE: {
        int bps = REC_GET(int, s, f);
        if (edit)
            snprintf(buf, n, "%d.%02d", bps / 100, bps % 100);
        else
            fmt_rate(bps, buf, n);
        break;
    }
    case ST_MONEY: {
        struct money m = REC_GET(struct money, s, f);
        if (edit)
            operator_shop_amount(&m, app_currency(a), buf, n);
        else
            money_format(&m, app_currency(a), buf, n);
        break;
    }
    case ST_GATEWAYS: {
        const struct string_list *g = &REC_GET(struct string_list, s, f);
        size_t used = 0;
        buf[0] = '\0';
        for (size_t k = 0; k < g->n && used < n; k++)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? ", " : "", g->v[k]);
        if (!g->n)
            snprintf(buf, n, "%s", edit ? "none" : "None");
        break;
    }
    }
    return buf;
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
        return rows[i].label;
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
        tui_status(a->tui, "%s not changed: %s", rows[v->editing].label, msg);
        return;
    }
    shop_settings_free(&v->cur);
    v->cur = s;
    tui_status(a->tui, "%s is now %s.", rows[v->editing].label,
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
    const struct record_field *f = &shop_settings_fields[v->editing];
    char *end;
    int64_t minor;
    long n;

    operator_shop_trim(text, v->text, sizeof v->text);
    switch (rows[v->editing].style) {
    case ST_TEXT:
        *REC_AT(char *, &v->next, f) = v->text;
        return 0;
    case ST_INT:
    case ST_DAYS:
        n = strtol(v->text, &end, 10);
        if (!v->text[0] || *end || n < -1000000 || n > 1000000)
            break;
        *REC_AT(int, &v->next, f) = (int)n;
        return 0;
    case ST_BOOL:
        if (operator_shop_parse_bool(v->text, REC_AT(bool, &v->next, f)) != 0)
            break;
        return 0;
    case ST_RATE: /* a percentage with two decimals is the rate in basis points */
        if (fmt_parse_amount(v->text, NULL, &minor) != 0 || minor > 1000000)
            break;
        *REC_AT(int, &v->next, f) = (int)minor;
        return 0;
    case ST_MONEY:
        if (fmt_parse_amount(v->text, app_currency(a), &minor) != 0)
            break;
        REC_AT(struct money, &v->next, f)->amount = minor;
        return 0;
    case ST_GATEWAYS: {
        struct string_list *g = REC_AT(struct string_list, &v->next, f);
        bool stripe = strstr(v->text, "stripe") || strstr(v->text, "both");
        bool paypal = strstr(v->text, "paypal") || strstr(v->text, "both");
        if (!stripe && !paypal && strcmp(v->text, "none") != 0)
            break;
        g->n = 0;
        g->v = v->gateways;
        if (stripe)
            v->gateways[g->n++] = "stripe";
        if (paypal)
            v->gateways[g->n++] = "paypal";
        return 0;
    }
    }
    tui_status(a->tui, "\"%s\" is not a value for %s: %s.", v->text, rows[v->editing].label,
               rows[v->editing].hint);
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
        tui_status(a->tui, "%s is already %s: nothing was changed.", rows[v->editing].label,
                   before);
        return;
    }
    snprintf(msg, sizeof msg, "Change %s: %s → %s?", rows[v->editing].label, before, after);
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
    snprintf(label, sizeof label, "%s (%s):", rows[v->editing].label, rows[v->editing].hint);
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
