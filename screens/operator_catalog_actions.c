/* operator_catalog_actions.c: the catalog's changes, each asked step by step: the new value, why
 * (a reason; a restock's is given), a confirmation, then the request with the version shown. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/operator_catalog.h"
#include "screens/screens.h"

static const char *const change_names[] = {
    [CHANGE_NAME] = "name",
    [CHANGE_SHORT_DESCRIPTION] = "short description",
    [CHANGE_DESCRIPTION] = "description",
    [CHANGE_SORT_ORDER] = "place in the list",
    [CHANGE_PRICE] = "price",
    [CHANGE_SETUP_FEE] = "setup fee",
    [CHANGE_STOCK] = "stock",
    [CHANGE_CATEGORY_NAME] = "name",
};

static const char *const action_names[] = {
    [CACT_NONE] = "Change",
    [CACT_RESTOCK] = "Restock",
    [CACT_CHANGE] = "Change",
    [CACT_VISIBLE] = "Visibility change",
    [CACT_CATEGORY_VISIBLE] = "Visibility change",
    [CACT_APPLY_PRICES] = "Applying prices",
};

/* ---- shared formatting ---- */

const char *catalog_stock_text(const struct stock *s, char *buf, size_t n, enum theme_elem *el)
{
    if (!s->limited) {
        *el = EL_STOCK_OK;
        snprintf(buf, n, "unlimited");
    } else if (s->available <= 0) {
        *el = EL_STOCK_SOLDOUT;
        snprintf(buf, n, "sold out");
    } else {
        *el = s->available <= 5 ? EL_STOCK_LOW : EL_STOCK_OK;
        snprintf(buf, n, "%" PRId64 " left", s->available);
    }
    return buf;
}

const char *catalog_visibility(bool visible, bool retired)
{
    return retired ? "retired" : visible ? "shown" : "hidden";
}

static struct money money_of(const struct app *a, int64_t minor)
{
    const struct currency *cur = app_currency(a);
    struct money m = {.amount = minor};
    snprintf(m.currency, sizeof m.currency, "%s", cur ? cur->code : "USD");
    return m;
}

void catalog_amount(const struct app *a, int64_t minor, char *buf, size_t n)
{
    struct money m = money_of(a, minor);
    money_format(&m, app_currency(a), buf, n);
}

void catalog_from_price(const struct app *a, const struct catalog_product *p, char *buf, size_t n)
{
    int64_t amount;
    enum billing_cycle cy;
    buf[0] = '\0';
    if (catalog_product_from_price(p, &amount, &cy)) {
        struct money m = money_of(a, amount);
        fmt_price_cycle(&m, cy, app_currency(a), buf, n);
    }
}

/* "monthly", "semi-annual": a cycle inside a sentence. */
static const char *cycle_word(enum billing_cycle c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", billing_cycle_label(c));
    if (buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

/* ---- the action ---- */

void catalog_action_init(struct catalog_action *act, struct app *a, void (*changed)(void *ud),
                         void *ud)
{
    memset(act, 0, sizeof *act);
    act->app = a;
    act->changed = changed;
    act->ud = ud;
}

void catalog_action_cancel(struct catalog_action *act)
{
    if (act->app)
        client_cancel(act->app->client, act->req);
    act->req = 0;
    act->kind = CACT_NONE;
}

/* One at a time: a new one replaces what was being asked, not what is being sent. */
static bool begin(struct catalog_action *act, enum catalog_action_kind kind, int64_t id,
                  const char *etag, const char *name)
{
    if (act->req) {
        tui_status(act->app->tui, "Wait for the %s in flight to finish.", action_names[act->kind]);
        return false;
    }
    act->kind = kind;
    act->id = id;
    snprintf(act->etag, sizeof act->etag, "%s", etag ? etag : "");
    tui_sanitize(name ? name : "", act->label, sizeof act->label, false);
    act->value[0] = act->before[0] = act->reason[0] = '\0';
    act->unlimited = false;
    act->number = 0;
    act->what = CHANGE_NAME;
    return true;
}

static void take_product(struct catalog_action *act, const struct catalog_product *p)
{
    act->visible = p->visible;
    act->services = p->services;
    act->stock = p->stock;
    act->n_cycles = p->n_cycles < CYCLE_COUNT ? p->n_cycles : CYCLE_COUNT;
    memcpy(act->cycles, p->cycles, act->n_cycles * sizeof act->cycles[0]);
}

static void finish(struct catalog_action *act)
{
    act->req = 0;
    act->kind = CACT_NONE;
    if (act->changed)
        act->changed(act->ud);
}

/* A refusal: a stale version is reloaded so the next try starts from what is there now. */
static void refused(struct catalog_action *act, const struct client_error *err)
{
    char msg[400];
    act->req = 0;
    if (err->http_status == 412) {
        tui_status(act->app->tui, "Someone else changed this %s; reloaded, try again.",
                   act->kind == CACT_CATEGORY_VISIBLE ||
                           (act->kind == CACT_CHANGE && act->what == CHANGE_CATEGORY_NAME)
                       ? "category"
                       : "product");
        finish(act);
        return;
    }
    fmt_error(err, msg, sizeof msg);
    tui_status(act->app->tui, "%s refused: %s", action_names[act->kind], msg);
}

static void on_product(void *ud, struct catalog_product *p, const struct client_error *err)
{
    struct catalog_action *act = ud;
    char stock[64], label[160], cycle[32];
    enum theme_elem el;

    if (!p) {
        refused(act, err);
        return;
    }
    tui_sanitize(p->name, label, sizeof label, false);
    if (act->kind == CACT_RESTOCK || (act->kind == CACT_CHANGE && act->what == CHANGE_STOCK))
        tui_status(act->app->tui, "%s: %s.", label,
                   catalog_stock_text(&p->stock, stock, sizeof stock, &el));
    else if (act->kind == CACT_VISIBLE)
        tui_status(act->app->tui, "%s is now %s.", label,
                   catalog_visibility(p->visible, p->retired));
    else if (act->what == CHANGE_PRICE || act->what == CHANGE_SETUP_FEE)
        tui_status(act->app->tui, "Changed the %s %s of %s (version %" PRId64 ").",
                   cycle_word(act->cycles[act->cycle].cycle, cycle, sizeof cycle),
                   change_names[act->what], label, p->version);
    else
        tui_status(act->app->tui, "Changed the %s of %s (version %" PRId64 ").",
                   change_names[act->what], label, p->version);
    catalog_product_free(&p);
    finish(act);
}

static void on_category(void *ud, struct catalog_category *c, const struct client_error *err)
{
    struct catalog_action *act = ud;
    char label[160];

    if (!c) {
        refused(act, err);
        return;
    }
    tui_sanitize(c->name, label, sizeof label, false);
    if (act->kind == CACT_CATEGORY_VISIBLE)
        tui_status(act->app->tui, "The category %s is now %s.", label,
                   catalog_visibility(c->visible, false));
    else
        tui_status(act->app->tui, "Renamed the category to %s.", label);
    catalog_category_free(&c);
    finish(act);
}

static void on_apply(void *ud, struct apply_prices_result *r, const struct client_error *err)
{
    struct catalog_action *act = ud;

    if (!r) {
        refused(act, err);
        return;
    }
    tui_status(act->app->tui,
               "%zu service%s of %s moved to today's prices (%d already, %zu skipped).",
               r->n_changed, r->n_changed == 1 ? "" : "s", act->label, r->unchanged, r->n_skipped);
    apply_prices_result_free(&r);
    /* The product itself is as it was: nothing to load again. */
    act->req = 0;
    act->kind = CACT_NONE;
}

static void send_change(struct catalog_action *act)
{
    struct client *c = act->app->client;
    struct catalog_product_patch patch = {.visible = -1, .retired = -1};
    struct catalog_cycle cycles[CYCLE_COUNT];

    switch (act->what) {
    case CHANGE_NAME:
        patch.name = act->value;
        break;
    case CHANGE_SHORT_DESCRIPTION:
        patch.short_description = act->value;
        break;
    case CHANGE_DESCRIPTION:
        patch.description = act->value;
        break;
    case CHANGE_SORT_ORDER:
        patch.set_sort_order = true;
        patch.sort_order = (int)act->number;
        break;
    case CHANGE_PRICE:
    case CHANGE_SETUP_FEE:
        /* cycles are replaced whole: every cycle as shown, one amount changed */
        memcpy(cycles, act->cycles, act->n_cycles * sizeof cycles[0]);
        if (act->what == CHANGE_PRICE)
            cycles[act->cycle].price = act->number;
        else
            cycles[act->cycle].setup_fee = act->number;
        patch.cycles = cycles;
        patch.n_cycles = act->n_cycles;
        break;
    case CHANGE_STOCK: {
        struct catalog_stock_change sc = {act->unlimited ? STOCK_UNLIMITED : STOCK_SET,
                                          act->number};
        act->req = client_catalog_set_stock(c, act->id, &sc, act->reason, on_product, act);
        return;
    }
    case CHANGE_CATEGORY_NAME: {
        struct catalog_category_patch cp = {.name = act->value, .visible = -1};
        act->req = client_catalog_patch_category(c, act->id, act->etag, &cp, act->reason,
                                                 on_category, act);
        return;
    }
    }
    act->req =
        client_catalog_patch_product(c, act->id, act->etag, &patch, act->reason, on_product, act);
}

static void send_action(void *ud)
{
    struct catalog_action *act = ud;
    struct client *c = act->app->client;

    switch (act->kind) {
    case CACT_RESTOCK: {
        struct catalog_stock_change sc = {act->stock.limited ? STOCK_ADJUST : STOCK_SET,
                                          act->number};
        act->req = client_catalog_set_stock(c, act->id, &sc, act->reason, on_product, act);
        break;
    }
    case CACT_CHANGE:
        send_change(act);
        break;
    case CACT_VISIBLE: {
        struct catalog_product_patch patch = {.visible = !act->visible, .retired = -1};
        act->req = client_catalog_patch_product(c, act->id, act->etag, &patch, act->reason,
                                                on_product, act);
        break;
    }
    case CACT_CATEGORY_VISIBLE: {
        struct catalog_category_patch cp = {.visible = !act->visible};
        act->req = client_catalog_patch_category(c, act->id, act->etag, &cp, act->reason,
                                                 on_category, act);
        break;
    }
    case CACT_APPLY_PRICES:
        act->req = client_catalog_apply_prices(c, act->id, act->reason, on_apply, act);
        break;
    case CACT_NONE:
        return;
    }
    tui_status(act->app->tui, act->req ? "Sending…" : "This change cannot be sent.");
}

static void confirm(struct catalog_action *act, const char *question)
{
    char msg[3200];
    snprintf(msg, sizeof msg, "%s Reason: %s", question, act->reason);
    struct confirm_args ca = {
        .title = action_names[act->kind], .message = msg, .yes = send_action, .ud = act};
    tui_push(act->app->tui, &confirm_screen, &ca);
}

static void confirm_change(struct catalog_action *act)
{
    char q[2600], value[1001], cycle[32];
    tui_sanitize(act->value, value, sizeof value, false);
    if (act->kind == CACT_VISIBLE || act->kind == CACT_CATEGORY_VISIBLE)
        snprintf(q, sizeof q, "%s %s%s %s?", act->visible ? "Hide" : "Show",
                 act->kind == CACT_CATEGORY_VISIBLE ? "the category " : "", act->label,
                 act->visible ? "from the store" : "in the store again");
    else if (act->what == CHANGE_PRICE || act->what == CHANGE_SETUP_FEE)
        snprintf(q, sizeof q,
                 "Change the %s %s of %s from %s to %s? Existing services keep "
                 "theirs until prices are applied (M).",
                 cycle_word(act->cycles[act->cycle].cycle, cycle, sizeof cycle),
                 change_names[act->what], act->label, act->before, value);
    else
        snprintf(q, sizeof q, "Change the %s of %s from \"%s\" to \"%s\"?", change_names[act->what],
                 act->label, act->before, value);
    confirm(act, q);
}

static void ask_reason(struct catalog_action *act, bool again);

static void trim_copy(char *dst, size_t n, const char *text)
{
    while (*text == ' ')
        text++;
    snprintf(dst, n, "%s", text);
    for (size_t len = strlen(dst); len > 0 && dst[len - 1] == ' '; len--)
        dst[len - 1] = '\0';
}

static void on_reason(struct screen *s, const char *text, void *ud)
{
    struct catalog_action *act = ud;
    (void)s;
    if (!text) {
        tui_status(act->app->tui, "%s cancelled: nothing was changed.", action_names[act->kind]);
        return;
    }
    trim_copy(act->reason, sizeof act->reason, text);
    if (!act->reason[0]) {
        ask_reason(act, true);
        return;
    }
    confirm_change(act);
}

static void ask_reason(struct catalog_action *act, bool again)
{
    tui_prompt(act->app->tui,
               again ? "A reason is required (it goes to the audit log). Reason:"
                     : "Reason (required):",
               "", on_reason, act);
}

/* ---- restock ---- */

static void on_restock_amount(struct screen *s, const char *text, void *ud)
{
    struct catalog_action *act = ud;
    char q[600], now[64], after[64];
    enum theme_elem el;
    char *end;
    (void)s;
    if (!text) {
        tui_status(act->app->tui, "Restock cancelled: nothing was changed.");
        return;
    }
    long long n = strtoll(text, &end, 10);
    while (*end == ' ')
        end++;
    if (end == text || *end || n <= 0 || n > 1000000) {
        tui_status(act->app->tui, "\"%.40s\" is not a number of units; try e.g. 10.", text);
        return;
    }
    act->number = n;
    snprintf(act->reason, sizeof act->reason, "%s", CATALOG_RESTOCK_REASON);
    if (act->stock.limited) {
        struct stock then = {true, act->stock.available + n};
        catalog_stock_text(&act->stock, now, sizeof now, &el);
        catalog_stock_text(&then, after, sizeof after, &el);
        snprintf(q, sizeof q, "Add %lld to the stock of %s (%s now, %s after)?", n, act->label, now,
                 after);
    } else {
        snprintf(q, sizeof q, "Limit the stock of %s to %lld (unlimited now)?", act->label, n);
    }
    confirm(act, q);
}

void catalog_restock(struct catalog_action *act, const struct catalog_product *p)
{
    char label[300], num[24];
    if (!p || !begin(act, CACT_RESTOCK, p->id, p->etag, p->name))
        return;
    take_product(act, p);
    snprintf(num, sizeof num, "%d", CATALOG_RESTOCK_DEFAULT);
    if (p->stock.limited)
        snprintf(label, sizeof label, "Restock %s: how many to add?", act->label);
    else
        snprintf(label, sizeof label, "%s has no limit. Limit its stock to:", act->label);
    tui_prompt(act->app->tui, label, num, on_restock_amount, act);
}

/* ---- hide and show ---- */

void catalog_toggle_visible(struct catalog_action *act, const struct catalog_product *p)
{
    char name[160];
    if (!p)
        return;
    if (p->retired) {
        tui_sanitize(p->name, name, sizeof name, false);
        tui_status(act->app->tui, "%s is retired: it stays hidden.", name);
        return;
    }
    if (!begin(act, CACT_VISIBLE, p->id, p->etag, p->name))
        return;
    take_product(act, p);
    ask_reason(act, false);
}

void catalog_toggle_category(struct catalog_action *act, const struct catalog_category *c)
{
    if (!c || !begin(act, CACT_CATEGORY_VISIBLE, c->id, c->etag, c->name))
        return;
    act->visible = c->visible;
    ask_reason(act, false);
}

/* ---- changing a field ---- */

static void on_value(struct screen *s, const char *text, void *ud)
{
    struct catalog_action *act = ud;
    const struct currency *cur = app_currency(act->app);
    char *end;
    (void)s;
    if (!text) {
        tui_status(act->app->tui, "Change cancelled: nothing was changed.");
        return;
    }
    trim_copy(act->value, sizeof act->value, text);
    switch (act->what) {
    case CHANGE_NAME:
    case CHANGE_CATEGORY_NAME:
        if (!act->value[0]) {
            tui_status(act->app->tui, "A name cannot be empty; nothing was changed.");
            return;
        }
        break;
    case CHANGE_PRICE:
    case CHANGE_SETUP_FEE:
        if (fmt_parse_amount(act->value, cur, &act->number) != 0 || act->number < 0) {
            tui_status(act->app->tui, "\"%.40s\" is not an amount; try e.g. 9.99.", act->value);
            return;
        }
        catalog_amount(act->app, act->number, act->value, sizeof act->value);
        break;
    case CHANGE_SORT_ORDER:
        act->number = strtoll(act->value, &end, 10);
        if (end == act->value || *end || act->number < 0 || act->number > 1000000) {
            tui_status(act->app->tui, "\"%.40s\" is not a place; try e.g. 3.", act->value);
            return;
        }
        break;
    case CHANGE_STOCK:
        act->unlimited = strcmp(act->value, "unlimited") == 0;
        act->number = act->unlimited ? 0 : strtoll(act->value, &end, 10);
        if (!act->unlimited &&
            (end == act->value || *end || act->number < 0 || act->number > 1000000)) {
            tui_status(act->app->tui, "\"%.40s\" is not a stock; try 12, 0 or unlimited.",
                       act->value);
            return;
        }
        break;
    default:
        break;
    }
    ask_reason(act, false);
}

void catalog_change(struct catalog_action *act, const struct catalog_product *p,
                    enum catalog_change what, size_t cycle)
{
    char label[400], initial[1001];
    const struct currency *cur;
    enum theme_elem el;
    int64_t amount;

    if (!p || !begin(act, CACT_CHANGE, p->id, p->etag, p->name))
        return;
    take_product(act, p);
    act->what = what;
    act->cycle = cycle < act->n_cycles ? cycle : 0;
    initial[0] = '\0';
    switch (what) {
    case CHANGE_NAME:
        snprintf(initial, sizeof initial, "%s", p->name);
        break;
    case CHANGE_SHORT_DESCRIPTION:
        snprintf(initial, sizeof initial, "%s", p->short_description);
        break;
    case CHANGE_DESCRIPTION:
        snprintf(initial, sizeof initial, "%s", p->description);
        break;
    case CHANGE_SORT_ORDER:
        snprintf(initial, sizeof initial, "%d", p->sort_order);
        break;
    case CHANGE_PRICE:
    case CHANGE_SETUP_FEE:
        if (act->n_cycles == 0) {
            act->kind = CACT_NONE;
            return;
        }
        amount = what == CHANGE_PRICE ? act->cycles[act->cycle].price
                                      : act->cycles[act->cycle].setup_fee;
        catalog_amount(act->app, amount, act->before, sizeof act->before);
        /* the prompt starts with the plain number, ready to edit */
        cur = app_currency(act->app);
        snprintf(initial, sizeof initial, "%s", act->before);
        if (cur && cur->symbol[0] && strncmp(initial, cur->symbol, strlen(cur->symbol)) == 0)
            memmove(initial, initial + strlen(cur->symbol),
                    strlen(initial) - strlen(cur->symbol) + 1);
        break;
    case CHANGE_STOCK:
        if (p->stock.limited)
            snprintf(initial, sizeof initial, "%" PRId64, p->stock.available);
        else
            snprintf(initial, sizeof initial, "unlimited");
        catalog_stock_text(&p->stock, act->before, sizeof act->before, &el);
        break;
    case CHANGE_CATEGORY_NAME:
        break;
    }
    if (what != CHANGE_PRICE && what != CHANGE_SETUP_FEE && what != CHANGE_STOCK)
        tui_sanitize(initial, act->before, sizeof act->before, false);
    if (what == CHANGE_PRICE || what == CHANGE_SETUP_FEE)
        snprintf(label, sizeof label,
                 "%s %s of %s:", billing_cycle_label(act->cycles[act->cycle].cycle),
                 change_names[what], act->label);
    else if (what == CHANGE_STOCK)
        snprintf(label, sizeof label, "Stock of %s (a number, or unlimited):", act->label);
    else
        snprintf(label, sizeof label, "New %s of %s:", change_names[what], act->label);
    tui_prompt(act->app->tui, label, initial, on_value, act);
}

void catalog_rename_category(struct catalog_action *act, const struct catalog_category *c)
{
    char label[300];
    if (!c || !begin(act, CACT_CHANGE, c->id, c->etag, c->name))
        return;
    act->what = CHANGE_CATEGORY_NAME;
    tui_sanitize(c->name, act->before, sizeof act->before, false);
    snprintf(label, sizeof label, "New name of the category %s:", act->label);
    tui_prompt(act->app->tui, label, c->name, on_value, act);
}

/* ---- existing services to today's prices ---- */

void catalog_apply_prices(struct catalog_action *act, const struct catalog_product *p)
{
    char q[600];
    if (!p || !begin(act, CACT_APPLY_PRICES, p->id, p->etag, p->name))
        return;
    take_product(act, p);
    snprintf(act->reason, sizeof act->reason, "%s", CATALOG_APPLY_REASON);
    snprintf(q, sizeof q,
             "Move the services of %s (%d not ended) to its current prices from their next "
             "renewal invoice?",
             act->label, p->services);
    confirm(act, q);
}
