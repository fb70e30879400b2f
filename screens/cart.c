/* cart.c: the Cart screen: its lines, changing and removing them, the coupon, and the totals the
 * server computed (discount, tax, credits, what is due now); the way to checkout. Every change
 * carries the cart's version (If-Match), so a cart changed elsewhere is shown, not overwritten. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/kiosk.h"
#include "screens/screens.h"

#define FULL_TOTALS_MIN_H 16 /* below: the totals on two lines */
#define QUANTITY_MAX      10

enum cart_action { ACT_NONE, ACT_REMOVE, ACT_QUANTITY, ACT_COUPON, ACT_UNCOUPON };

struct cart_view {
    struct app *app;
    struct cart *cart;
    unsigned gen; /* app->cart_gen when this cart was shown */
    uint64_t req, change_req, reload_timer;
    struct client_error err;
    struct tui_list list;
    struct tui_rect list_rect;

    enum cart_action action; /* the change in flight, for its message */
    char subject[160];       /* what it was about: a product's name, a coupon's code */
    int64_t remove_id;
    char notice[512];
    bool notice_error;
};

static const enum tui_op cart_keys[] = {
    OP_CHECKOUT, OP_UP,    OP_DOWN,    OP_EDIT,  OP_REMOVE,   OP_COUPON,   OP_LESS,
    OP_MORE,     OP_RETRY, OP_GO_HOME, OP_STORE, OP_SERVICES, OP_INVOICES, OP_CREDITS,
    OP_ACCOUNT,  OP_BACK,  OP_HELP,    OP_QUIT,  OP_NONE,
};

static void notice(struct cart_view *cv, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void notice(struct cart_view *cv, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cv->notice, sizeof cv->notice, fmt, ap);
    va_end(ap);
    cv->notice_error = error;
}

static void show_cart(struct cart_view *cv, struct cart *c)
{
    cart_free(&cv->cart);
    cv->cart = c;
    kiosk_cart_view(cv->app, c);
    app_cart_changed(cv->app, c);
    cv->gen = cv->app->cart_gen;
    cv->list.count = (int)c->n_items;
    if (cv->list.selected >= cv->list.count)
        cv->list.selected = cv->list.count > 0 ? cv->list.count - 1 : 0;
}

static void on_cart(void *ud, struct cart *c, const struct client_error *err)
{
    struct cart_view *cv = ud;
    cv->req = 0;
    if (!c) {
        cv->err = *err;
        return;
    }
    client_error_clear(&cv->err);
    show_cart(cv, c);
}

static void cart_reload(struct screen *s)
{
    struct cart_view *cv = s->priv;
    if (cv->req)
        return;
    client_error_clear(&cv->err);
    cv->req = client_get_cart(cv->app->client, on_cart, cv);
    if (!cv->req)
        client_error_set(&cv->err, CLIENT_ERR_NOMEM, "could not start the request");
}

static void reload_now(void *ud)
{
    struct cart_view *cv = ud;
    cv->reload_timer = 0;
    if (!cv->req) {
        client_error_clear(&cv->err);
        cv->req = client_get_cart(cv->app->client, on_cart, cv);
    }
}

/* The product screen below which a line was changed hands back the cart it answered. */
static void on_line_changed(void *ud, struct cart *c)
{
    struct cart_view *cv = ud;
    if (c) {
        notice(cv, false, "Saved the changes.");
        show_cart(cv, c);
    } else {
        notice(cv, true,
               "Your cart changed in another session, so nothing was saved. Here it "
               "is as it is now.");
        reload_now(cv);
    }
}

static int cart_open(struct screen *s, void *arg)
{
    struct cart_view *cv = s->priv;
    cv->app = s->app;
    cv->list.item_h = 2;
    cart_reload(s);
    return 0;
}

static void cart_close(struct screen *s)
{
    struct cart_view *cv = s->priv;
    client_cancel(cv->app->client, cv->req);
    client_cancel(cv->app->client, cv->change_req);
    app_cancel_timer(cv->app, cv->reload_timer);
    cart_free(&cv->cart);
}

/* ---- painting ---- */

static void paint_line(struct tui *t, struct tui_rect r, int i, bool selected, void *ud)
{
    struct cart_view *cv = ud;
    const struct priced_line *l = &cv->cart->items[i];
    const struct currency *cur = app_currency(cv->app);
    char total[64], setup[64], qty[16], detail[400], opts[300], own[300];
    enum theme_elem el = selected ? EL_SELECTED : EL_NORMAL;
    int cw = r.w >= 60 ? 12 : 0; /* the cycle column, when there is room */
    int tw = 11, qw = 5;

    if (selected)
        tui_fill(t, (struct tui_rect){r.y, r.x, 1, r.w}, EL_SELECTED);
    money_format(&l->line_total, cur, total, sizeof total);
    tui_format(t, qty, sizeof qty, "×%d", l->quantity);
    int name_w = r.w - 2 - tw - qw - cw - 3;
    tui_text(t, r.y, r.x, 2, el, selected ? tui_glyph(t, GLYPH_MARKER) : " ");
    tui_text(t, r.y, r.x + 2, name_w, selected ? EL_SELECTED : EL_PRODUCT_NAME, l->product.name);
    if (cw)
        tui_text(t, r.y, r.x + 2 + name_w + 1, cw, el, billing_cycle_label(l->cycle));
    tui_text_right(t, r.y, r.x + r.w - tw - qw - 1, qw, el, qty);
    tui_text_right(t, r.y, r.x + r.w - tw - 1, tw, selected ? EL_SELECTED : EL_PRICE, total);
    if (r.h < 2)
        return;
    fmt_option_values(l->options, l->n_options, " · ", opts, sizeof opts);
    money_format(&l->setup_fee, cur, setup, sizeof setup);
    char dot[8], dot_setup[16];
    tui_format(t, dot, sizeof dot, " · ");
    tui_format(t, dot_setup, sizeof dot_setup, " · setup ");
    snprintf(detail, sizeof detail, "%s%s%s%s%s", cw ? "" : billing_cycle_label(l->cycle),
             cw || !opts[0] ? "" : dot, tui_own(t, opts, own, sizeof own),
             l->setup_fee.amount ? dot_setup : "", l->setup_fee.amount ? setup : "");
    int x = r.x + 4;
    if (!l->available)
        x += tui_text(t, r.y + 1, x, r.w - 4, EL_STOCK_SOLDOUT, "Sold out") + 1;
    tui_text(t, r.y + 1, x, r.w - (x - r.x) - 1, EL_DIM, detail);
}

/* One "label … amount" line of the totals. */
static void total_row(struct tui *t, int y, struct tui_rect r, enum theme_elem label_el,
                      const char *label, enum theme_elem el, const char *amount)
{
    int aw = tui_text_width(amount);
    tui_text(t, y, r.x + 2, r.w - aw - 5, label_el, label);
    tui_text_right(t, y, r.x, r.w - 1, el, amount);
}

static bool has_credits(const struct cart *c)
{
    return c->credits_available.amount > 0;
}

static int totals_height(const struct cart *c, bool full)
{
    if (!full)
        return 3; /* rule, coupon, total and due now */
    return 5 + (c->totals.discount.amount ? 1 : 0) + (int)c->totals.n_tax_lines +
           (has_credits(c) ? 1 : 0);
}

static void coupon_text(const struct cart *c, const struct currency *cur, char *text, size_t tn,
                        char *amount, size_t an, enum theme_elem *el)
{
    amount[0] = '\0';
    *el = EL_DIM;
    if (!c->has_coupon) {
        snprintf(text, tn, "No coupon (C applies one)");
        return;
    }
    if (!c->coupon.valid) {
        *el = EL_ERROR;
        snprintf(text, tn, "Coupon %s no longer applies (%s)", c->coupon.code,
                 c->coupon.invalid_reason[0] ? c->coupon.invalid_reason : "not valid");
        return;
    }
    *el = EL_NORMAL;
    snprintf(text, tn, "Coupon %s%s%s", c->coupon.code, c->coupon.description[0] ? ": " : "",
             c->coupon.description);
    struct money neg = c->coupon.discount;
    neg.amount = -neg.amount;
    money_format(&neg, cur, amount, an);
}

static void paint_totals(struct cart_view *cv, struct tui_rect r, bool full)
{
    struct tui *t = cv->app->tui;
    const struct cart *c = cv->cart;
    const struct totals *tt = &c->totals;
    const struct currency *cur = app_currency(cv->app);
    char text[300], a[64], b[64], line[200];
    enum theme_elem el;
    int y = r.y;

    tui_hline(t, y++, r.x + 1, r.w - 2, EL_BORDER);
    coupon_text(c, cur, text, sizeof text, a, sizeof a, &el);
    total_row(t, y++, r, el, text, EL_PRICE, a);
    money_format(&tt->total, cur, a, sizeof a);
    money_format(&c->due_now, cur, b, sizeof b);
    if (!full) {
        tui_format(t, line, sizeof line, "%s · due now %s", a, b);
        total_row(t, y, r, EL_TITLE, "Total", EL_PRICE, line);
        return;
    }
    money_format(&tt->subtotal, cur, text, sizeof text);
    total_row(t, y++, r, EL_LABEL, "Subtotal", EL_NORMAL, text);
    if (tt->discount.amount) {
        struct money neg = tt->discount;
        neg.amount = -neg.amount;
        money_format(&neg, cur, text, sizeof text);
        total_row(t, y++, r, EL_LABEL, "Discount", EL_NORMAL, text);
    }
    for (size_t i = 0; i < tt->n_tax_lines; i++) {
        fmt_tax_label(&tt->tax_lines[i], line, sizeof line);
        money_format(&tt->tax_lines[i].amount, cur, text, sizeof text);
        total_row(t, y++, r, EL_LABEL, line, EL_NORMAL, text);
    }
    total_row(t, y++, r, EL_TITLE, "Total", EL_PRICE, a);
    if (has_credits(c)) {
        char avail[64];
        struct money neg = c->credits_to_apply;
        neg.amount = -neg.amount;
        money_format(&c->credits_available, cur, avail, sizeof avail);
        money_format(&neg, cur, text, sizeof text);
        snprintf(line, sizeof line, "Credits (%s available, used at checkout)", avail);
        total_row(t, y++, r, EL_LABEL, line, EL_NORMAL, text);
    }
    total_row(t, y, r, EL_TITLE, "Due now", EL_PRICE, b);
}

static void paint_cart(struct cart_view *cv, struct tui_rect body)
{
    struct tui *t = cv->app->tui;
    bool full = body.h >= FULL_TOTALS_MIN_H;
    int th = totals_height(cv->cart, full);
    int nh = 0;
    const char *note = cv->notice[0] ? cv->notice : kiosk_cart_note(cv->app);
    if (note && note[0]) {
        nh = tui_wrap_count(note, body.w - 4);
        nh = nh > 2 ? 2 : nh;
    }
    int list_h = body.h - th - nh - 1;
    if (list_h < 2) { /* tiny: the totals give way to the lines */
        full = false;
        th = totals_height(cv->cart, false);
        list_h = body.h - th - nh - 1;
    }
    bool wide = body.w >= 60;
    tui_text(t, body.y, body.x + 2, body.w - 20, EL_TABLE_HEADER, "Product");
    if (wide)
        tui_text(t, body.y, body.x + body.w - 30, 12, EL_TABLE_HEADER, "Cycle");
    tui_text_right(t, body.y, body.x + body.w - 17, 5, EL_TABLE_HEADER, "Qty");
    tui_text_right(t, body.y, body.x + body.w - 12, 11, EL_TABLE_HEADER, "Total");
    cv->list_rect = (struct tui_rect){body.y + 1, body.x, list_h > 0 ? list_h : 0, body.w};
    if (list_h > 0)
        tui_list_paint(t, &cv->list, cv->list_rect, paint_line, cv);
    int y = body.y + 1 + (list_h > 0 ? list_h : 0);
    if (nh)
        tui_wrap_paint(t, (struct tui_rect){y, body.x + 2, nh, body.w - 4}, 0,
                       cv->notice[0] && cv->notice_error ? EL_ERROR : EL_STATUS, note);
    paint_totals(cv, (struct tui_rect){y + nh, body.x, th, body.w}, full);
}

static void cart_paint(struct screen *s, struct tui_rect body)
{
    struct cart_view *cv = s->priv;
    if (frame_gate(cv->app, body))
        return;
    /* a cart answered elsewhere (added from the store, checkout emptied it): load it again */
    if (cv->cart && cv->gen != cv->app->cart_gen && !cv->req && !cv->reload_timer)
        cv->reload_timer = app_after(cv->app, 0, reload_now, cv);
    if (cv->err.status != CLIENT_OK && !cv->req) {
        frame_error(cv->app, body, &cv->err);
    } else if (!cv->cart) {
        frame_loading(cv->app, body, "Loading your cart…");
    } else if (cart_empty(cv->cart)) {
        char text[700];
        snprintf(text, sizeof text,
                 "%s%sYour cart is empty. Press s to open the store and add a product%s.",
                 cv->notice, cv->notice[0] ? "\n\n" : "",
                 tui_op_enabled(cv->app->tui, OP_GO_HOME) ? ", or H for the home screen" : "");
        frame_message(cv->app, body, EL_NORMAL, text);
    } else {
        paint_cart(cv, body);
    }
}

/* ---- changes ---- */

static void on_changed(void *ud, struct cart *c, const struct client_error *err)
{
    struct cart_view *cv = ud;
    const struct currency *cur = app_currency(cv->app);
    char msg[400], a[64];
    enum cart_action act = cv->action;
    cv->change_req = 0;
    cv->action = ACT_NONE;
    tui_status(cv->app->tui, "%s", ""); /* "Saving…" is over */
    if (!c) {
        fmt_error(err, msg, sizeof msg);
        if (strcmp(err->code, "precondition_failed") == 0) {
            notice(cv, true,
                   "Your cart changed in another session, so nothing was changed. "
                   "Here it is as it is now.");
            reload_now(cv);
        } else if (act == ACT_COUPON) {
            notice(cv, true, "Coupon %s refused: %s", cv->subject, msg);
        } else {
            notice(cv, true, "Not changed: %s", msg);
        }
        return;
    }
    switch (act) {
    case ACT_REMOVE:
        notice(cv, false, "Removed %s from the cart.", cv->subject);
        break;
    case ACT_QUANTITY:
        notice(cv, false, "Changed the quantity of %s.", cv->subject);
        break;
    case ACT_COUPON:
        money_format(&c->coupon.discount, cur, a, sizeof a);
        if (c->has_coupon && c->coupon.valid)
            notice(cv, false, "Coupon %s applied: %s off.", c->coupon.code, a);
        else
            notice(cv, true, "Coupon %s was accepted but does not apply to this cart.",
                   cv->subject);
        break;
    case ACT_UNCOUPON:
        notice(cv, false, "Coupon %s removed.", cv->subject);
        break;
    default:
        cv->notice[0] = '\0';
        break;
    }
    show_cart(cv, c);
}

static const struct priced_line *selected_line(const struct cart_view *cv)
{
    if (!cv->cart || cv->list.selected < 0 || (size_t)cv->list.selected >= cv->cart->n_items)
        return NULL;
    return &cv->cart->items[cv->list.selected];
}

static bool change_started(struct cart_view *cv, enum cart_action act, uint64_t id)
{
    cv->change_req = id;
    cv->action = id ? act : ACT_NONE;
    if (!id)
        notice(cv, true, "That change cannot be sent.");
    else
        tui_status(cv->app->tui, "Saving…");
    return id != 0;
}

static void remove_confirmed(void *ud)
{
    struct cart_view *cv = ud;
    if (cv->change_req || !cv->cart)
        return;
    change_started(
        cv, ACT_REMOVE,
        client_cart_remove(cv->app->client, cv->remove_id, cv->cart->etag, on_changed, cv));
}

static void ask_remove(struct cart_view *cv)
{
    const struct priced_line *l = selected_line(cv);
    char msg[300];
    if (!l)
        return;
    cv->remove_id = l->id;
    snprintf(cv->subject, sizeof cv->subject, "%s", l->product.name);
    tui_format(cv->app->tui, msg, sizeof msg, "Remove %s (%s, ×%d) from your cart?",
               l->product.name, billing_cycle_label(l->cycle), l->quantity);
    struct confirm_args ca = {
        .title = "Cart › Remove", .message = msg, .yes = remove_confirmed, .ud = cv};
    tui_push(cv->app->tui, &confirm_screen, &ca);
}

static void change_quantity(struct cart_view *cv, int dir)
{
    const struct priced_line *l = selected_line(cv);
    if (!l || cv->change_req)
        return;
    int q = l->quantity + dir;
    if (q < 1) {
        tui_status(cv->app->tui, "That is the lowest; d removes the line.");
        return;
    }
    if (q > QUANTITY_MAX) {
        tui_status(cv->app->tui, "At most %d of one line.", QUANTITY_MAX);
        return;
    }
    struct cart_item_patch p = {.quantity = q};
    snprintf(cv->subject, sizeof cv->subject, "%s", l->product.name);
    change_started(cv, ACT_QUANTITY,
                   client_cart_update(cv->app->client, l->id, &p, cv->cart->etag, on_changed, cv));
}

static void on_coupon_text(struct screen *s, const char *text, void *ud)
{
    struct cart_view *cv = s->priv;
    char code[128];
    if (!text || !cv->cart || cv->change_req)
        return;
    /* trim the spaces a paste brings along */
    while (*text == ' ')
        text++;
    snprintf(code, sizeof code, "%s", text);
    for (size_t n = strlen(code); n > 0 && code[n - 1] == ' '; n--)
        code[n - 1] = '\0';
    if (!code[0]) {
        if (!cv->cart->has_coupon)
            return;
        snprintf(cv->subject, sizeof cv->subject, "%s", cv->cart->coupon.code);
        change_started(cv, ACT_UNCOUPON,
                       client_cart_remove_coupon(cv->app->client, cv->cart->etag, on_changed, cv));
        return;
    }
    snprintf(cv->subject, sizeof cv->subject, "%s", code);
    change_started(cv, ACT_COUPON,
                   client_cart_apply_coupon(cv->app->client, code, cv->cart->etag, on_changed, cv));
}

static void ask_coupon(struct cart_view *cv)
{
    char label[64];
    if (!cv->cart)
        return;
    if (cv->cart->has_coupon)
        snprintf(label, sizeof label, "Coupon (empty removes %.20s):", cv->cart->coupon.code);
    else
        snprintf(label, sizeof label, "Coupon code:");
    tui_prompt(cv->app->tui, label, "", on_coupon_text, NULL);
}

static void edit_line(struct cart_view *cv)
{
    const struct priced_line *l = selected_line(cv);
    if (!l)
        return;
    struct product_args pa = {.id_or_slug = l->product.slug[0] ? l->product.slug : NULL,
                              .edit = l,
                              .etag = cv->cart->etag,
                              .cart_changed = on_line_changed,
                              .ud = cv};
    tui_push(cv->app->tui, &product_edit_screen, &pa);
}

static void checkout(struct cart_view *cv)
{
    if (!cv->cart || cart_empty(cv->cart)) {
        tui_status(cv->app->tui, "Your cart is empty: s opens the store.");
        return;
    }
    for (size_t i = 0; i < cv->cart->n_items; i++) {
        if (!cv->cart->items[i].available) {
            tui_status(cv->app->tui, "%s is sold out: remove it (d) to check out.",
                       cv->cart->items[i].product.name);
            return;
        }
    }
    struct screen_target target = {.kind = PAY_CART};
    tui_push(cv->app->tui, &pay_screen, &target);
}

static enum tui_action cart_handle(struct screen *s, const struct tui_event *ev)
{
    struct cart_view *cv = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        if (cv->cart && cv->list_rect.h > 0)
            tui_list_handle(&cv->list, ev, cv->list_rect);
        return TUI_HANDLED;
    }
    if (app_handle_nav(cv->app, ev->op))
        return TUI_HANDLED;
    if (ev->op == OP_RETRY) {
        cart_reload(s);
        return TUI_HANDLED;
    }
    if (cv->change_req && ev->op != OP_BACK && ev->op != OP_HELP && ev->op != OP_QUIT &&
        ev->op != OP_UP && ev->op != OP_DOWN) {
        tui_status(s->tui, "Saving the last change…");
        return TUI_HANDLED;
    }
    switch (ev->op) {
    case OP_CHECKOUT:
        checkout(cv);
        return TUI_HANDLED;
    case OP_EDIT:
        edit_line(cv);
        return TUI_HANDLED;
    case OP_REMOVE:
        ask_remove(cv);
        return TUI_HANDLED;
    case OP_LESS:
    case OP_MORE:
        change_quantity(cv, ev->op == OP_LESS ? -1 : 1);
        return TUI_HANDLED;
    case OP_COUPON:
        ask_coupon(cv);
        return TUI_HANDLED;
    default:
        break;
    }
    if (cv->cart && cv->list_rect.h > 0 && tui_list_handle(&cv->list, ev, cv->list_rect))
        return TUI_HANDLED;
    return TUI_IGNORED;
}

static const char *cart_title(struct screen *s, char *buf, size_t n)
{
    snprintf(buf, n, "Cart");
    return buf;
}

const struct screen_ops cart_screen = {
    .name = "cart",
    .priv_size = sizeof(struct cart_view),
    .open = cart_open,
    .close = cart_close,
    .paint = cart_paint,
    .handle = cart_handle,
    .reload = cart_reload,
    .title = cart_title,
    .keys = cart_keys,
};
