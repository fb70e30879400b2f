/* operator_coupons.c: the shop's coupon codes with their discount, uses and dates; I creates one
 * (code, type, amount), e changes a field of the selected one, D disables or enables it. Each
 * asks for a confirmation, and the server's refusal goes to the status line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/list_screen.h"
#include "screens/operator.h"
#include "screens/operator_shop.h"
#include "screens/screens.h"

enum edit_style {
    ED_TEXT,
    ED_DISCOUNT,
    ED_DURATION,
    ED_COUNT,
    ED_START,
    ED_END,
    ED_BOOL,
    ED_MONEY
};

/* What e offers to change, in the order of the choice. */
static const struct coupon_edit {
    const char *label;
    enum edit_style style;
    const char *hint;
} edits[] = {
    {"Description", ED_TEXT, "up to 200 characters"},
    {"Discount", ED_DISCOUNT, "percent, or the amount off for a fixed coupon"},
    {"Duration", ED_DURATION, "once, forever, or how many invoices"},
    {"Max uses", ED_COUNT, "a number; empty for no limit"},
    {"Starts", ED_START, "YYYY-MM-DD; empty for no start"},
    {"Ends", ED_END, "YYYY-MM-DD; empty for no end"},
    {"Once per customer", ED_BOOL, "yes or no"},
    {"Minimum subtotal", ED_MONEY, "an amount; empty for none"},
};
#define N_EDITS (sizeof edits / sizeof edits[0])

enum act { ACT_CREATE, ACT_CHANGE, ACT_DISABLE, ACT_ENABLE };

struct coupons_view {
    struct list_screen ls; /* first: the shared screen operations take it from priv */
    uint64_t req;          /* the create, change or switch in flight */
    enum act act;
    int64_t target;      /* the coupon changed */
    size_t editing;      /* index into edits */
    struct coupon draft; /* what is sent; its strings point into the buffers below */
    uint32_t mask;
    char code[72], type[8], duration[12], text[256], starts[32], ends[32], before[200];
};

static const enum tui_op coupons_keys[] = {
    OP_CREATE,   OP_EDIT,   OP_DISABLE,       OP_UP,        OP_DOWN,    OP_RETRY, OP_CATALOG,
    OP_SETTINGS, OP_ORDERS, OP_FIND_CUSTOMER, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,  OP_END,
    OP_BACK,     OP_HELP,   OP_QUIT,          OP_NONE,
};

/* The state's word with its colour. */
static const char *coupon_state(const struct coupon *c, enum theme_elem *el)
{
    static const enum theme_elem els[] = {
        [COUPON_ACTIVE] = EL_STATUS_ACTIVE,
        [COUPON_DISABLED] = EL_STATUS_CANCELLED,
        [COUPON_ENDED] = EL_DIM,
        [COUPON_SCHEDULED] = EL_STATUS_PENDING,
        [COUPON_USED_UP] = EL_STATUS_OVERDUE,
    };
    enum coupon_state st = operator_coupon_state(c);
    *el = els[st];
    return operator_coupon_state_label(st);
}

static void fmt_discount(struct app *a, const struct coupon *c, char *buf, size_t n)
{
    char v[64];
    if (strcmp(c->type, "fixed") == 0)
        money_format(&c->amount_off, app_currency(a), v, sizeof v);
    else
        fmt_rate(c->percent_bps, v, sizeof v);
    snprintf(buf, n, "%s off", v);
}

static void fmt_duration(const struct coupon *c, char *buf, size_t n)
{
    if (strcmp(c->duration, "repeating") == 0)
        snprintf(buf, n, "%d invoices", c->duration_cycles);
    else
        snprintf(buf, n, "%s", c->duration);
}

static void fmt_dates(const struct tui *t, const struct coupon *c, char *buf, size_t n)
{
    if (!c->starts_at[0] && !c->ends_at[0])
        tui_format(t, buf, n, "—");
    else if (!c->ends_at[0])
        snprintf(buf, n, "from %.10s", c->starts_at);
    else if (!c->starts_at[0])
        snprintf(buf, n, "until %.10s", c->ends_at);
    else
        snprintf(buf, n, "%.10s → %.10s", c->starts_at, c->ends_at);
}

/* One field of `c` as shown, or (`edit`) as typed. */
static const char *edit_text(struct app *a, const struct coupon *c, size_t i, bool edit, char *buf,
                             size_t n)
{
    const char *none = edit ? "" : "none";
    switch (edits[i].style) {
    case ED_TEXT:
        snprintf(buf, n, "%s", c->description[0] || edit ? c->description : "none");
        break;
    case ED_DISCOUNT:
        if (!edit)
            fmt_discount(a, c, buf, n);
        else if (strcmp(c->type, "fixed") == 0)
            operator_shop_amount(&c->amount_off, app_currency(a), buf, n);
        else
            snprintf(buf, n, "%d.%02d", c->percent_bps / 100, c->percent_bps % 100);
        break;
    case ED_DURATION:
        if (edit && strcmp(c->duration, "repeating") == 0)
            snprintf(buf, n, "%d", c->duration_cycles);
        else
            fmt_duration(c, buf, n);
        break;
    case ED_COUNT:
        if (c->max_uses)
            snprintf(buf, n, "%lld", (long long)c->max_uses);
        else
            snprintf(buf, n, "%s", edit ? "" : "no limit");
        break;
    case ED_START:
    case ED_END: {
        const char *t = edits[i].style == ED_START ? c->starts_at : c->ends_at;
        snprintf(buf, n, "%.10s", t[0] ? t : none);
        break;
    }
    case ED_BOOL:
        snprintf(buf, n, "%s", c->once_per_customer ? "yes" : "no");
        break;
    case ED_MONEY:
        if (!c->minimum_subtotal.amount)
            snprintf(buf, n, "%s", none);
        else if (edit)
            operator_shop_amount(&c->minimum_subtotal, app_currency(a), buf, n);
        else
            money_format(&c->minimum_subtotal, app_currency(a), buf, n);
        break;
    }
    return buf;
}

/* ---- the list ---- */

LIST_SCREEN_ON_PAGE(on_page, coupon_page, coupon_page_free)

static uint64_t fetch(struct list_screen *ls, struct list_query *q)
{
    struct coupon_query cq = {.page = q->page, .per_page = q->per_page};
    return client_admin_get_coupons(ls->app->client, &cq, on_page, ls);
}

static void clear_item(void *item)
{
    coupon_clear(item);
}

enum { COL_CODE, COL_DISCOUNT, COL_DURATION, COL_USES, COL_DATES, COL_STATE, N_COLS };

static const struct tui_column columns[N_COLS] = {
    [COL_CODE] = {"Code", 12, false},    [COL_DISCOUNT] = {"Discount", 11, false},
    [COL_DURATION] = {"For", 11, false}, [COL_USES] = {"Uses", 9, true},
    [COL_DATES] = {"Dates", 0, false},   [COL_STATE] = {"State", 9, false},
};
static const int min_width[N_COLS] = {0};

static const char *cell(struct list_screen *ls, const void *item, int col, bool sel,
                        enum theme_elem *el, char *buf, size_t n)
{
    const struct coupon *c = item;
    enum theme_elem state_el;
    switch (col) {
    case COL_CODE:
        if (!sel)
            *el = EL_PRODUCT_NAME;
        return c->code;
    case COL_DISCOUNT:
        fmt_discount(ls->app, c, buf, n);
        if (!sel)
            *el = EL_PRICE;
        return buf;
    case COL_DURATION:
        fmt_duration(c, buf, n);
        return buf;
    case COL_USES:
        if (c->max_uses)
            snprintf(buf, n, "%lld/%lld", (long long)c->uses, (long long)c->max_uses);
        else
            tui_format(ls->app->tui, buf, n, "%lld/∞", (long long)c->uses);
        return buf;
    case COL_DATES:
        fmt_dates(ls->app->tui, c, buf, n);
        return buf;
    default: {
        const char *s = coupon_state(c, &state_el);
        if (!sel)
            *el = state_el;
        return s;
    }
    }
}

/* ---- sending ---- */

static const char *const act_names[] = {"Coupon not created", "Coupon not changed",
                                        "Coupon not disabled", "Coupon not enabled"};

static void on_coupon(void *ud, struct coupon *c, const struct client_error *err)
{
    struct coupons_view *v = ud;
    struct app *a = v->ls.app;
    char msg[400], what[200];

    v->req = 0;
    if (!c) {
        operator_shop_refusal(err, msg, sizeof msg);
        tui_status(a->tui, "%s: %s", act_names[v->act], msg);
        return;
    }
    switch (v->act) {
    case ACT_CREATE:
        fmt_discount(a, c, what, sizeof what);
        tui_status(a->tui, "Coupon %s created: %s, %s.", c->code, what, c->duration);
        break;
    case ACT_CHANGE:
        tui_status(a->tui, "%s of %s is now %s.", edits[v->editing].label, c->code,
                   edit_text(a, c, v->editing, false, what, sizeof what));
        break;
    default:
        tui_status(a->tui, "Coupon %s is %s.", c->code,
                   v->act == ACT_DISABLE ? "disabled: the code no longer works" : "enabled again");
        break;
    }
    coupon_free(&c);
    list_screen_refresh(&v->ls);
}

static void send_act(void *ud)
{
    struct coupons_view *v = ud;
    struct client *c = v->ls.app->client;

    if (v->act == ACT_CREATE)
        v->req = client_admin_create_coupon(c, &v->draft, v->mask, on_coupon, v);
    else
        v->req = client_admin_update_coupon(c, v->target, &v->draft, v->mask, on_coupon, v);
    tui_status(v->ls.app->tui, v->req ? "Sending…" : "This request cannot be sent.");
}

static void ask_confirm(struct coupons_view *v, const char *title, const char *msg)
{
    struct confirm_args ca = {.title = title, .message = msg, .yes = send_act, .ud = v};
    tui_push(v->ls.app->tui, &confirm_screen, &ca);
}

/* A fresh draft with nothing to send. */
static void draft_reset(struct coupons_view *v)
{
    memset(&v->draft, 0, sizeof v->draft);
    v->code[0] = v->text[0] = v->starts[0] = v->ends[0] = '\0';
    v->draft.code = v->code;
    v->draft.description = v->draft.starts_at = v->draft.ends_at = v->draft.created_at = "";
    v->draft.type = v->type;
    v->draft.duration = v->duration;
    v->mask = 0;
}

/* ---- creating: code, type, amount, confirmation ---- */

static void on_create_amount(struct screen *s, const char *text, void *ud)
{
    struct coupons_view *v = ud;
    struct app *a = v->ls.app;
    bool fixed = strcmp(v->type, "fixed") == 0;
    char msg[600], what[100];
    int64_t minor;
    (void)s;

    if (!text) {
        tui_status(a->tui, "Nothing was created.");
        return;
    }
    if (fmt_parse_amount(text, fixed ? app_currency(a) : NULL, &minor) != 0 || minor <= 0 ||
        minor > 1000000000) {
        tui_status(a->tui, "\"%s\" is not %s; nothing was created.", text,
                   fixed ? "an amount such as 5 or 4.50" : "a percentage such as 10 or 12.5");
        return;
    }
    if (fixed) {
        const struct currency *cur = app_currency(a);
        v->draft.amount_off.amount = minor;
        snprintf(v->draft.amount_off.currency, sizeof v->draft.amount_off.currency, "%s",
                 cur ? cur->code : "USD");
        v->mask |= 1u << COUPON_F_AMOUNT_OFF;
    } else {
        v->draft.percent_bps = (int)minor;
        v->mask |= 1u << COUPON_F_PERCENT_BPS;
    }
    snprintf(v->duration, sizeof v->duration, "once");
    v->mask |= 1u << COUPON_F_CODE | 1u << COUPON_F_TYPE | 1u << COUPON_F_DURATION;
    v->act = ACT_CREATE;
    fmt_discount(a, &v->draft, what, sizeof what);
    snprintf(msg, sizeof msg,
             "Create coupon %s: %s the first invoice, no limit on uses? e changes its other "
             "fields afterwards.",
             v->code, what);
    ask_confirm(v, "New coupon", msg);
}

static void on_create_type(struct screen *s, const char *text, void *ud)
{
    struct coupons_view *v = ud;
    struct app *a = v->ls.app;
    char word[16];
    (void)s;

    if (!text) {
        tui_status(a->tui, "Nothing was created.");
        return;
    }
    operator_shop_trim(text, word, sizeof word);
    if (word[0] == 'p' || word[0] == 'P' || word[0] == '%')
        snprintf(v->type, sizeof v->type, "percent");
    else if (word[0] == 'f' || word[0] == 'F')
        snprintf(v->type, sizeof v->type, "fixed");
    else {
        tui_status(a->tui, "\"%s\" is neither percent nor fixed; nothing was created.", word);
        return;
    }
    tui_prompt(
        a->tui,
        v->type[0] == 'f' ? "Amount off (e.g. 5 or 4.50):" : "Percent off (e.g. 10 or 12.5):", "",
        on_create_amount, v);
}

static void on_create_code(struct screen *s, const char *text, void *ud)
{
    struct coupons_view *v = ud;
    struct app *a = v->ls.app;
    (void)s;

    if (!text)
        return;
    operator_shop_trim(text, v->code, sizeof v->code);
    for (char *p = v->code; *p; p++) /* the server keeps codes upper-case */
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (!v->code[0]) {
        tui_status(a->tui, "A coupon needs a code; nothing was created.");
        return;
    }
    tui_prompt(a->tui, "Type: percent or fixed (p/f):", "percent", on_create_type, v);
}

/* ---- changing one field ---- */

/* The typed text into the draft and the mask; 0, or -1 with the reason on the status line. */
static int parse_edit(struct coupons_view *v, const struct coupon *c, const char *text)
{
    struct app *a = v->ls.app;
    const struct currency *cur = app_currency(a);
    int64_t minor;
    char *end;
    long long n;

    operator_shop_trim(text, v->text, sizeof v->text);
    switch (edits[v->editing].style) {
    case ED_TEXT:
        v->draft.description = v->text;
        v->mask = 1u << COUPON_F_DESCRIPTION;
        return 0;
    case ED_DISCOUNT:
        if (fmt_parse_amount(v->text, strcmp(c->type, "fixed") == 0 ? cur : NULL, &minor) != 0 ||
            minor <= 0 || minor > 1000000000)
            break;
        if (strcmp(c->type, "fixed") == 0) {
            v->draft.amount_off = c->amount_off;
            v->draft.amount_off.amount = minor;
            v->mask = 1u << COUPON_F_AMOUNT_OFF;
        } else {
            v->draft.percent_bps = (int)minor;
            v->mask = 1u << COUPON_F_PERCENT_BPS;
        }
        return 0;
    case ED_DURATION:
        v->mask = 1u << COUPON_F_DURATION | 1u << COUPON_F_DURATION_CYCLES;
        if (strcmp(v->text, "once") == 0 || strcmp(v->text, "forever") == 0) {
            snprintf(v->duration, sizeof v->duration, "%s", v->text);
            v->draft.duration_cycles = 0;
            return 0;
        }
        n = strtoll(v->text, &end, 10);
        if (!v->text[0] || *end || n < 1 || n > 1000)
            break;
        snprintf(v->duration, sizeof v->duration, "repeating");
        v->draft.duration_cycles = (int)n;
        return 0;
    case ED_COUNT:
        n = v->text[0] ? strtoll(v->text, &end, 10) : 0;
        if (v->text[0] && (*end || n < 1))
            break;
        v->draft.max_uses = n;
        v->mask = 1u << COUPON_F_MAX_USES;
        return 0;
    case ED_START:
    case ED_END: {
        bool start = edits[v->editing].style == ED_START;
        char *out = start ? v->starts : v->ends;
        int y, m, d;
        if (v->text[0] &&
            (sscanf(v->text, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(v->text) != 10))
            break;
        if (v->text[0])
            snprintf(out, sizeof v->starts, "%sT%s", v->text, start ? "00:00:00Z" : "23:59:59Z");
        else
            out[0] = '\0'; /* null: none */
        *(start ? &v->draft.starts_at : &v->draft.ends_at) = out;
        v->mask = 1u << (start ? COUPON_F_STARTS_AT : COUPON_F_ENDS_AT);
        return 0;
    }
    case ED_BOOL:
        if (operator_shop_parse_bool(v->text, &v->draft.once_per_customer) != 0)
            break;
        v->mask = 1u << COUPON_F_ONCE_PER_CUSTOMER;
        return 0;
    case ED_MONEY:
        if (v->text[0] && (fmt_parse_amount(v->text, cur, &minor) != 0 || minor < 0))
            break;
        v->draft.minimum_subtotal.amount = v->text[0] ? minor : 0;
        snprintf(v->draft.minimum_subtotal.currency, sizeof v->draft.minimum_subtotal.currency,
                 "%s", cur ? cur->code : "USD");
        v->mask = 1u << COUPON_F_MINIMUM_SUBTOTAL;
        return 0;
    }
    tui_status(a->tui, "\"%s\" is not a value for %s: %s.", v->text, edits[v->editing].label,
               edits[v->editing].hint);
    return -1;
}

static void on_edit_value(struct screen *s, const char *text, void *ud)
{
    struct coupons_view *v = ud;
    struct app *a = v->ls.app;
    const struct coupon *c = list_screen_selected(&v->ls);
    char msg[800], after[200];
    (void)s;

    if (!text || !c || c->id != v->target) {
        tui_status(a->tui, "Nothing was changed.");
        return;
    }
    draft_reset(v);
    v->draft.type = c->type;
    if (parse_edit(v, c, text) != 0)
        return;
    /* the draft shows the new value the way the coupon would */
    struct coupon shown = *c;
    shown.description =
        v->mask & 1u << COUPON_F_DESCRIPTION ? v->draft.description : c->description;
    shown.percent_bps =
        v->mask & 1u << COUPON_F_PERCENT_BPS ? v->draft.percent_bps : c->percent_bps;
    shown.amount_off = v->mask & 1u << COUPON_F_AMOUNT_OFF ? v->draft.amount_off : c->amount_off;
    shown.duration = v->mask & 1u << COUPON_F_DURATION ? v->draft.duration : c->duration;
    shown.duration_cycles = v->draft.duration_cycles;
    shown.max_uses = v->draft.max_uses;
    shown.starts_at = v->mask & 1u << COUPON_F_STARTS_AT ? v->draft.starts_at : c->starts_at;
    shown.ends_at = v->mask & 1u << COUPON_F_ENDS_AT ? v->draft.ends_at : c->ends_at;
    shown.once_per_customer = v->draft.once_per_customer;
    shown.minimum_subtotal = v->draft.minimum_subtotal;
    edit_text(a, &shown, v->editing, false, after, sizeof after);
    if (strcmp(v->before, after) == 0) {
        tui_status(a->tui, "%s is already %s: nothing was changed.", edits[v->editing].label,
                   after);
        return;
    }
    v->act = ACT_CHANGE;
    snprintf(msg, sizeof msg, "Change %s of %s: %s → %s?", edits[v->editing].label, c->code,
             v->before, after);
    ask_confirm(v, "Change coupon", msg);
}

static void on_edit_choice(void *ud, int index)
{
    struct coupons_view *v = ud;
    struct app *a = v->ls.app;
    const struct coupon *c = list_screen_selected(&v->ls);
    char label[200], initial[200];

    if (!c || c->id != v->target || index < 0 || (size_t)index >= N_EDITS)
        return;
    v->editing = (size_t)index;
    edit_text(a, c, v->editing, false, v->before, sizeof v->before);
    snprintf(label, sizeof label, "%s of %s (%s):", edits[index].label, c->code, edits[index].hint);
    tui_prompt(a->tui, label, edit_text(a, c, v->editing, true, initial, sizeof initial),
               on_edit_value, v);
}

static void ask_edit(struct coupons_view *v, const struct coupon *c)
{
    const char *labels[N_EDITS];
    char msg[160];

    for (size_t i = 0; i < N_EDITS; i++)
        labels[i] = edits[i].label;
    v->target = c->id;
    snprintf(msg, sizeof msg, "Change which field of %s?", c->code);
    struct choice_args ca = {.title = "Change coupon",
                             .message = msg,
                             .labels = labels,
                             .n = (int)N_EDITS,
                             .chosen = on_edit_choice,
                             .ud = v};
    tui_push(v->ls.app->tui, &choice_screen, &ca);
}

/* ---- disabling and enabling ---- */

static void ask_switch(struct coupons_view *v, const struct coupon *c)
{
    char msg[600];

    /* Only the switch is sent: the coupon's dates and uses stay as they are. */
    draft_reset(v);
    v->target = c->id;
    v->mask = 1u << COUPON_F_DISABLED;
    v->draft.disabled = !c->disabled;
    if (c->disabled) {
        v->act = ACT_ENABLE;
        snprintf(msg, sizeof msg, "Enable %s again? The code works again within its dates.",
                 c->code);
        ask_confirm(v, "Enable coupon", msg);
        return;
    }
    v->act = ACT_DISABLE;
    snprintf(msg, sizeof msg,
             "Disable %s? The code stops working at once; its dates and uses stay. D enables it "
             "again.",
             c->code);
    ask_confirm(v, "Disable coupon", msg);
}

static enum tui_action own_key(struct list_screen *ls, enum tui_op op)
{
    struct coupons_view *v = ls->owner;
    const struct coupon *c = list_screen_selected(ls);

    if (op != OP_CREATE && op != OP_EDIT && op != OP_DISABLE)
        return TUI_IGNORED;
    if (v->req) {
        tui_status(ls->app->tui, "Wait for the request in flight to finish.");
        return TUI_HANDLED;
    }
    if (op == OP_CREATE) {
        draft_reset(v);
        tui_prompt(ls->app->tui, "New coupon code (letters, digits, _ or -):", "", on_create_code,
                   v);
    } else if (c && op == OP_EDIT) {
        ask_edit(v, c);
    } else if (c) {
        ask_switch(v, c);
    }
    return TUI_HANDLED;
}

static const struct list_screen_ops list_ops = {
    .item_size = sizeof(struct coupon),
    .fetch = fetch,
    .clear_item = clear_item,
    .loading = "Loading the coupons…",
    .empty_text = "No coupons yet. I creates one.",
    .columns = columns,
    .min_width = min_width,
    .ncolumns = N_COLS,
    .cell = cell,
    .key = own_key,
};

static int coupons_open(struct screen *s, void *arg)
{
    struct coupons_view *v = s->priv;
    (void)arg;
    list_screen_init(&v->ls, &list_ops, s->app, v);
    list_screen_load(&v->ls);
    return 0;
}

static void coupons_close(struct screen *s)
{
    struct coupons_view *v = s->priv;
    client_cancel(v->ls.app->client, v->req);
    v->req = 0;
    list_screen_close(&v->ls);
}

static void coupons_paint(struct screen *s, struct tui_rect body)
{
    struct coupons_view *v = s->priv;
    operator_shop_paint(
        &v->ls, body,
        "Coupon codes, newest first. I new · e change a field · D disable or enable.");
}

static const char *coupons_title(struct screen *s, char *buf, size_t n)
{
    struct coupons_view *v = s->priv;
    if (v->ls.loaded)
        tui_format(s->tui, buf, n, "Operator › Coupons · %lld", (long long)v->ls.meta.total);
    else
        tui_format(s->tui, buf, n, "Operator › Coupons");
    return buf;
}

const struct screen_ops operator_coupons_screen = {
    .name = "operator-coupons",
    .priv_size = sizeof(struct coupons_view),
    .open = coupons_open,
    .close = coupons_close,
    .paint = coupons_paint,
    .handle = list_screen_handle_op,
    .reload = list_screen_reload_op,
    .title = coupons_title,
    .keys = coupons_keys,
};
