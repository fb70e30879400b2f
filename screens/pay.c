/* pay.c: the payment screen: review the cart (or an invoice), choose how to pay among the
 * gateways the store offers, confirm the amount, and place the order (or pay the invoice) with
 * an Idempotency-Key kept for retries, If-Match and the total the customer saw. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/doc.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/kiosk.h"
#include "screens/screens.h"

#define PAY_METHODS 4

enum pay_phase {
    PAY_LOADING,    /* the cart (or the invoice) and the balance */
    PAY_REVIEW,     /* what is bought, how to pay; p asks to confirm */
    PAY_SUBMITTING, /* checkout or the invoice payment is on its way */
    PAY_REFUSED,    /* the server said no; nothing was charged */
    PAY_STARTED,    /* the payment screen follows it from here */
};

struct pay {
    struct app *app;
    struct screen *self;
    enum pay_kind kind;
    int64_t invoice_id;
    enum pay_phase phase;

    struct cart *cart;       /* PAY_CART */
    struct invoice *invoice; /* PAY_INVOICE */
    struct credits *credits;
    uint64_t load_req, credits_req;
    struct client_error load_err;
    const char *methods[PAY_METHODS]; /* gateway names, from /billing/status */
    int n_methods;
    int method;
    bool use_credits;
    int method_y[PAY_METHODS]; /* screen rows from the last paint, for the mouse */
    int methods_line;          /* the document line of "Pay with" */
    int charge_line;           /* … and of "You pay now" */
    struct doc_view view;

    /* one key per confirmation, the same for every retry of it */
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE];
    struct money expected; /* the total the customer confirmed */
    uint64_t submit_req, retry_timer;
    char message[700]; /* why it was refused */
    bool can_retry;    /* the same attempt may be sent again (the network failed) */
};

static const enum tui_op pay_keys[] = {
    OP_PAY,      OP_UP,      OP_DOWN, OP_USE_CREDITS, OP_RETRY,   OP_GO_HOME, OP_SERVICES,
    OP_INVOICES, OP_CREDITS, OP_CART, OP_PAGE_DOWN,   OP_PAGE_UP, OP_HOME,    OP_END,
    OP_ACCOUNT,  OP_BACK,    OP_HELP, OP_QUIT,        OP_NONE,
};

static void say(struct pay *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct pay *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
}

static const char *method_name(const struct pay *p)
{
    return p->n_methods ? p->methods[p->method] : "";
}

static bool paying_with_credits(const struct pay *p)
{
    return strcmp(method_name(p), "credits") == 0;
}

static struct money balance(const struct pay *p)
{
    if (p->kind == PAY_CART && p->cart)
        return p->cart->credits_available;
    if (p->credits)
        return p->credits->balance;
    return (struct money){0, ""};
}

static struct money amount_due(const struct pay *p)
{
    if (p->kind == PAY_CART)
        return p->cart ? p->cart->totals.total : (struct money){0, ""};
    return p->invoice ? p->invoice->summary.amount_due : (struct money){0, ""};
}

/* Credits a deposit cannot use (it would pay credits with credits). */
static bool credits_allowed(const struct pay *p)
{
    const struct billing_status *st = p->app->status;
    if ((st && !st->credits_enabled) || kiosk_no_credits(p->app))
        return false;
    return !(p->kind == PAY_INVOICE && p->invoice &&
             p->invoice->summary.kind == INVOICE_KIND_DEPOSIT);
}

/* What the credits take and what the gateway is charged: the cart's own figures, or for an
 * invoice the balance up to the amount due (exact integers, as the server computes them). */
static void split(const struct pay *p, struct money *from_credits, struct money *charged)
{
    struct money due = amount_due(p), bal = balance(p);
    *from_credits = (struct money){0, ""};
    memcpy(from_credits->currency, due.currency, sizeof due.currency);
    *charged = due;
    if (paying_with_credits(p)) {
        *from_credits = due;
        charged->amount = 0;
    } else if (p->use_credits && credits_allowed(p)) {
        if (p->kind == PAY_CART && p->cart) {
            *from_credits = p->cart->credits_to_apply;
            *charged = p->cart->due_now;
        } else {
            from_credits->amount = bal.amount < due.amount ? bal.amount : due.amount;
            charged->amount = due.amount - from_credits->amount;
        }
    }
}

static void set_methods(struct pay *p)
{
    const struct billing_status *st = p->app->status;
    p->n_methods = 0;
    for (size_t i = 0; st && i < st->n_gateways && p->n_methods < PAY_METHODS; i++) {
        const char *g = st->gateways[i];
        if (strcmp(g, "credits") == 0 && !credits_allowed(p))
            continue;
        p->methods[p->n_methods++] = g;
    }
    if (p->method >= p->n_methods)
        p->method = 0;
}

/* ---- loading ---- */

static void loaded(struct pay *p)
{
    if (p->load_req || p->credits_req)
        return;
    if (p->load_err.status != CLIENT_OK)
        return;
    set_methods(p);
    if (p->phase == PAY_LOADING) { /* the customer's choices survive a reload */
        p->use_credits = credits_allowed(p) && balance(p).amount > 0;
        p->phase = PAY_REVIEW;
    }
}

static void on_cart(void *ud, struct cart *c, const struct client_error *err)
{
    struct pay *p = ud;
    p->load_req = 0;
    if (!c) {
        p->load_err = *err;
        return;
    }
    cart_free(&p->cart);
    p->cart = c;
    kiosk_cart_view(p->app, c);
    app_cart_changed(p->app, c);
    loaded(p);
}

static void on_invoice(void *ud, struct invoice *inv, const struct client_error *err)
{
    struct pay *p = ud;
    p->load_req = 0;
    if (!inv) {
        p->load_err = *err;
        return;
    }
    invoice_free(&p->invoice);
    p->invoice = inv;
    loaded(p);
}

static void on_credits(void *ud, struct credits *c, const struct client_error *err)
{
    struct pay *p = ud;
    p->credits_req = 0;
    credits_free(&p->credits);
    p->credits = c; /* none (credits off, an error): paying without them still works */
    loaded(p);
}

static void pay_reload(struct pay *p)
{
    client_cancel(p->app->client, p->load_req);
    client_cancel(p->app->client, p->credits_req);
    client_error_clear(&p->load_err);
    if (!p->app->status)
        app_load_status(p->app);
    if (p->kind == PAY_CART) {
        p->load_req = client_get_cart(p->app->client, on_cart, p);
    } else {
        p->load_req = client_get_invoice(p->app->client, p->invoice_id, on_invoice, p);
        p->credits_req = client_get_credits(p->app->client, on_credits, p);
    }
    if (!p->load_req)
        client_error_set(&p->load_err, CLIENT_ERR_USAGE, "nothing to pay");
}

static int pay_open(struct screen *s, void *arg)
{
    struct pay *p = s->priv;
    const struct screen_target *t = arg;
    p->app = s->app;
    p->self = s;
    p->kind = t ? t->kind : PAY_CART;
    p->invoice_id = t ? t->id : 0;
    p->phase = PAY_LOADING;
    pay_reload(p);
    return 0;
}

static void pay_close(struct screen *s)
{
    struct pay *p = s->priv;
    client_cancel(p->app->client, p->load_req);
    client_cancel(p->app->client, p->credits_req);
    client_cancel(p->app->client, p->submit_req);
    app_cancel_timer(p->app, p->retry_timer);
    cart_free(&p->cart);
    invoice_free(&p->invoice);
    credits_free(&p->credits);
    explicit_bzero(p->key, sizeof p->key);
}

/* Back to the form, loaded afresh (the payment screen above asks for another try). */
static void pay_again(struct screen *s)
{
    struct pay *p = s->priv;
    p->phase = PAY_LOADING;
    p->message[0] = '\0';
    pay_reload(p);
}

/* ---- painting the review ---- */

static void money_row(struct doc *d, enum theme_elem lel, const char *label, enum theme_elem el,
                      const struct money *m, const struct currency *cur, bool negative)
{
    char a[64];
    struct money v = *m;
    if (negative)
        v.amount = -v.amount;
    money_format(&v, cur, a, sizeof a);
    int aw = tui_text_width(a);
    doc_text(d, 3, d->body.w - aw - 6, lel, label);
    doc_right(d, 1, d->body.w - 2, el, a);
    d->y++;
}

static void paint_totals(struct doc *d, const struct totals *t, const char *coupon,
                         const struct currency *cur)
{
    char label[160];
    money_row(d, EL_LABEL, "Subtotal", EL_NORMAL, &t->subtotal, cur, false);
    if (t->discount.amount) {
        snprintf(label, sizeof label, "Discount%s%s%s", coupon && coupon[0] ? " (" : "",
                 coupon ? coupon : "", coupon && coupon[0] ? ")" : "");
        money_row(d, EL_LABEL, label, EL_NORMAL, &t->discount, cur, true);
    }
    for (size_t i = 0; i < t->n_tax_lines; i++) {
        fmt_tax_label(&t->tax_lines[i], label, sizeof label);
        money_row(d, EL_LABEL, label, EL_NORMAL, &t->tax_lines[i].amount, cur, false);
    }
    money_row(d, EL_TITLE, "Total", EL_PRICE, &t->total, cur, false);
}

static void paint_cart_summary(struct doc *d, const struct pay *p, const struct currency *cur)
{
    char label[300], own[32];
    const struct cart *c = p->cart;
    doc_heading(d, "Your order");
    for (size_t i = 0; i < c->n_items; i++) {
        const struct priced_line *l = &c->items[i];
        tui_format(d->t, label, sizeof label, "%s · %s · ×%d%s", l->product.name,
                   billing_cycle_label(l->cycle), l->quantity,
                   l->available ? "" : tui_own(d->t, " · sold out", own, sizeof own));
        money_row(d, l->available ? EL_NORMAL : EL_STOCK_SOLDOUT, label, EL_NORMAL, &l->line_total,
                  cur, false);
    }
    paint_totals(d, &c->totals, c->has_coupon && c->coupon.valid ? c->coupon.code : NULL, cur);
}

static void paint_invoice_summary(struct doc *d, const struct pay *p, const struct currency *cur)
{
    char label[300];
    const struct invoice *inv = p->invoice;
    tui_format(d->t, label, sizeof label, "Invoice %s · %s · due %s", inv->summary.number,
               invoice_kind_label(inv->summary.kind), inv->summary.due_date);
    doc_heading(d, label);
    for (size_t i = 0; i < inv->n_lines; i++)
        money_row(d, EL_NORMAL, inv->lines[i].description, EL_NORMAL, &inv->lines[i].amount, cur,
                  false);
    paint_totals(d, &inv->totals, inv->coupon_code, cur);
    if (inv->amount_paid.amount)
        money_row(d, EL_LABEL, "Already paid", EL_NORMAL, &inv->amount_paid, cur, true);
    money_row(d, EL_TITLE, "Amount due", EL_PRICE, &inv->summary.amount_due, cur, false);
}

static void paint_methods(struct doc *d, struct pay *p, const struct currency *cur)
{
    char label[200], bal[64];
    doc_heading(d, "Pay with");
    for (int i = 0; i < PAY_METHODS; i++)
        p->method_y[i] = -1;
    struct money bm = balance(p);
    money_format(&bm, cur, bal, sizeof bal);
    for (int i = 0; i < p->n_methods; i++) {
        bool sel = i == p->method;
        if (strcmp(p->methods[i], "credits") == 0)
            snprintf(label, sizeof label, "%s %s (%s available)",
                     tui_glyph(d->t, sel ? GLYPH_RADIO_ON : GLYPH_RADIO_OFF),
                     fmt_gateway(p->methods[i]), bal);
        else
            snprintf(label, sizeof label, "%s %s",
                     tui_glyph(d->t, sel ? GLYPH_RADIO_ON : GLYPH_RADIO_OFF),
                     fmt_gateway(p->methods[i]));
        p->method_y[i] = doc_row(d, d->y);
        if (i == 0)
            p->methods_line = d->y - 1;
        if (sel)
            doc_fill(d, 1, d->body.w - 2, EL_SELECTED);
        doc_text(d, 1, 2, sel ? EL_SELECTED : EL_NORMAL, sel ? tui_glyph(d->t, GLYPH_MARKER) : " ");
        doc_text(d, 3, d->body.w - 4, sel ? EL_SELECTED : EL_NORMAL, label);
        d->y++;
    }
    if (p->n_methods == 0) {
        doc_wrap(d, 3, d->body.w - 4, EL_ERROR,
                 "This store offers no way to pay right now. Please try again later.");
        return;
    }
    if (credits_allowed(p) && balance(p).amount > 0 && !paying_with_credits(p)) {
        snprintf(label, sizeof label, "[%s] Use my credits first (%s available; u changes)",
                 p->use_credits ? "x" : " ", bal);
        doc_text(d, 3, d->body.w - 4, EL_NORMAL, label);
        d->y++;
    }
}

/* "You pay now: …" and why p might not work. */
static void paint_charge(struct doc *d, struct pay *p, const struct currency *cur)
{
    struct money from_credits, charged;
    char a[64], b[64], line[300];
    split(p, &from_credits, &charged);
    d->y++;
    p->charge_line = d->y;
    money_format(&charged, cur, a, sizeof a);
    money_format(&from_credits, cur, b, sizeof b);
    if (paying_with_credits(p) && balance(p).amount < amount_due(p).amount) {
        struct money bm = balance(p);
        money_format(&bm, cur, a, sizeof a);
        snprintf(line, sizeof line, "Your credits (%s) do not cover %s: choose another way to pay.",
                 a, b);
        doc_wrap(d, 3, d->body.w - 4, EL_ERROR, line);
        return;
    }
    if (paying_with_credits(p))
        snprintf(line, sizeof line, "%s is paid from your credits.", b);
    else if (from_credits.amount)
        snprintf(line, sizeof line, "You pay now: %s with %s, after %s from your credits.", a,
                 fmt_gateway(method_name(p)), b);
    else
        snprintf(line, sizeof line, "You pay now: %s with %s.", a, fmt_gateway(method_name(p)));
    doc_wrap(d, 3, d->body.w - 4, EL_PRICE, line);
    doc_text(d, 3, d->body.w - 4, EL_DIM, "p pays (you confirm the amount first)");
    d->y++;
}

static void paint_review(struct doc *d, void *ud)
{
    struct pay *p = ud;
    const struct currency *cur = app_currency(p->app);
    if (!p->n_methods && p->app->status)
        set_methods(p); /* /billing/status arrived after the cart */
    if (p->kind == PAY_CART)
        paint_cart_summary(d, p, cur);
    else
        paint_invoice_summary(d, p, cur);
    if (p->phase == PAY_REFUSED && p->message[0]) {
        d->y++;
        doc_wrap(d, 1, d->body.w - 2, EL_ERROR, p->message);
        if (p->can_retry)
            doc_text(d, 1, d->body.w - 2, EL_DIM,
                     "r sends the same order again (safe: it cannot "
                     "be placed twice)");
        d->y += p->can_retry ? 1 : 0;
    }
    if (p->kind == PAY_CART && cart_empty(p->cart)) {
        d->y++;
        doc_wrap(d, 1, d->body.w - 2, EL_NORMAL,
                 "Your cart is empty: there is nothing to check out. Press s for the store.");
        return;
    }
    if (p->kind == PAY_INVOICE && !invoice_payable(&p->invoice->summary)) {
        d->y++;
        doc_wrap(d, 1, d->body.w - 2, EL_NORMAL, "This invoice has nothing left to pay.");
        return;
    }
    paint_methods(d, p, cur);
    if (p->n_methods)
        paint_charge(d, p, cur);
}

static void pay_paint(struct screen *s, struct tui_rect body)
{
    struct pay *p = s->priv;
    if (frame_gate(p->app, body))
        return;
    switch (p->phase) {
    case PAY_LOADING:
        if (p->load_err.status != CLIENT_OK && !p->load_req)
            frame_error(p->app, body, &p->load_err);
        else
            frame_loading(p->app, body,
                          p->kind == PAY_CART ? "Loading your cart…" : "Loading the invoice…");
        break;
    case PAY_SUBMITTING:
        frame_loading(p->app, body,
                      p->kind == PAY_CART ? "Placing your order…" : "Starting the payment…");
        break;
    case PAY_REVIEW:
    case PAY_REFUSED:
        if (p->load_req && !p->cart && !p->invoice)
            frame_loading(p->app, body, "Loading…");
        else if (p->kind == PAY_CART ? !!p->cart : !!p->invoice)
            doc_view_paint(&p->view, s->tui, body, paint_review, p);
        break;
    case PAY_STARTED:
        frame_message(p->app, body, EL_DIM, "The payment has started; Esc goes back.");
        break;
    }
}

/* ---- confirming and submitting ---- */

static void submit(struct pay *p);

static void retry_later(void *ud)
{
    struct pay *p = ud;
    p->retry_timer = 0;
    submit(p);
}

static void refused(struct pay *p, const struct client_error *err)
{
    const struct currency *cur = app_currency(p->app);
    char msg[400], a[64], b[64];
    fmt_error(err, msg, sizeof msg);
    p->phase = PAY_REFUSED;
    p->can_retry = false;
    if (err->status == CLIENT_ERR_TRANSPORT || err->status == CLIENT_ERR_TIMEOUT) {
        p->can_retry = true;
        say(p,
            "The connection to the server was lost before it answered (%s). If the order "
            "went through, r shows it; if not, r places it. Either way nothing is charged "
            "twice.",
            msg);
        return;
    }
    if (strcmp(err->code, "idempotency_key_in_progress") == 0) {
        p->phase = PAY_SUBMITTING;
        p->retry_timer =
            app_after(p->app, (err->retry_after > 0 ? err->retry_after : 1) * 1000, retry_later, p);
        return;
    }
    explicit_bzero(p->key, sizeof p->key); /* the next attempt is a new one */
    if (strcmp(err->code, "price_changed") == 0) {
        money_format(&p->expected, cur, a, sizeof a);
        if (err->has_total)
            money_format(&err->total, cur, b, sizeof b);
        else
            snprintf(b, sizeof b, "a new amount");
        say(p,
            "The total changed from %s to %s since you looked (a price, the tax or the coupon "
            "changed). Nothing was charged. Check the new total below; p pays it.",
            a, b);
    } else if (strcmp(err->code, "precondition_failed") == 0) {
        say(p, "Your cart changed in another session. Nothing was charged; here it is as it is "
               "now.");
    } else if (strcmp(err->code, "out_of_stock") == 0) {
        say(p, "Something in your cart has just sold out. Nothing was charged, and your cart is "
               "as it was: remove the sold-out line to check out.");
    } else if (strncmp(err->code, "coupon_", 7) == 0) {
        say(p,
            "The coupon no longer applies: %s Nothing was charged, and your cart is as it "
            "was: C in the cart removes the coupon.",
            msg);
    } else if (strcmp(err->code, "insufficient_credits") == 0) {
        say(p, "Your credits do not cover this. Nothing was charged: choose another way to pay.");
    } else if (strcmp(err->code, "cart_empty") == 0) {
        say(p, "Your cart is empty: there is nothing to check out.");
    } else if (strcmp(err->code, "invoice_not_payable") == 0) {
        say(p, "This invoice is no longer awaiting payment (it was paid or cancelled meanwhile).");
    } else if (err->status == CLIENT_ERR_AUTH) {
        say(p, "Your session has ended; nothing was charged. Press L on the home screen to sign "
               "in again.");
    } else {
        say(p, "Not paid: %s Nothing was charged.", msg);
    }
    pay_reload(p); /* show what the server holds now */
}

static void on_checkout(void *ud, struct checkout_result *r, const struct client_error *err)
{
    struct pay *p = ud;
    p->submit_req = 0;
    if (!r) {
        refused(p, err);
        return;
    }
    explicit_bzero(p->key, sizeof p->key);
    app_refresh_cart(p->app); /* checkout emptied it */
    p->app->account_gen++;    /* an order, an invoice, credits taken */
    p->phase = PAY_STARTED;
    struct payment *live = calloc(1, sizeof *live);
    if (live) { /* the payment moves out of the result, which keeps the rest */
        *live = r->payment;
        memset(&r->payment, 0, sizeof r->payment);
    }
    struct payment_args pa = {.kind = PAY_CART, .result = r, .payment = live};
    if (!live || tui_push(p->app->tui, &payment_screen, &pa) != 0) {
        say(p, "The order %s is placed; its invoice shows how to pay it.", r->order.number);
        p->phase = PAY_REFUSED;
    }
    checkout_result_free(&pa.result); /* still ours only if the push failed */
    payment_free(&pa.payment);
}

static void on_invoice_paid(void *ud, struct payment *pm, const struct client_error *err)
{
    struct pay *p = ud;
    p->submit_req = 0;
    if (!pm) {
        refused(p, err);
        return;
    }
    explicit_bzero(p->key, sizeof p->key);
    p->app->account_gen++;
    p->phase = PAY_STARTED;
    struct payment_args pa = {.kind = PAY_INVOICE, .payment = pm, .invoice = p->invoice};
    if (tui_push(p->app->tui, &payment_screen, &pa) != 0) {
        say(p, "The payment has started; the invoice shows when it is paid.");
        p->phase = PAY_REFUSED;
    }
    payment_free(&pa.payment);
}

static void submit(struct pay *p)
{
    if (p->submit_req)
        return;
    if (!p->key[0] && client_idempotency_key_new(p->key) != 0) {
        say(p, "No random source to protect this payment against being made twice; not sent.");
        p->phase = PAY_REFUSED;
        return;
    }
    p->phase = PAY_SUBMITTING;
    if (p->kind == PAY_CART) {
        struct checkout_request r = {
            .payment_method = method_name(p),
            .use_credits = p->use_credits && credits_allowed(p) && !paying_with_credits(p),
            .expected_total = p->expected,
            .cart_etag = p->cart->etag,
            .idempotency_key = p->key,
        };
        p->submit_req = client_checkout(p->app->client, &r, on_checkout, p);
    } else {
        p->submit_req =
            client_pay_invoice(p->app->client, p->invoice_id, method_name(p),
                               p->use_credits && credits_allowed(p) && !paying_with_credits(p),
                               p->key, on_invoice_paid, p);
    }
    if (!p->submit_req) {
        p->phase = PAY_REFUSED;
        say(p, "This payment cannot be sent (the cart's version or the amount is missing).");
    }
}

static void confirmed(void *ud)
{
    struct pay *p = ud;
    explicit_bzero(p->key, sizeof p->key); /* a new confirmation is a new attempt */
    p->message[0] = '\0';
    submit(p);
}

static void ask_to_pay(struct pay *p)
{
    const struct currency *cur = app_currency(p->app);
    struct money from_credits, charged;
    char a[64], b[64], msg[500];
    bool nothing = p->kind == PAY_CART ? cart_empty(p->cart)
                                       : !p->invoice || !invoice_payable(&p->invoice->summary);
    if ((p->phase != PAY_REVIEW && p->phase != PAY_REFUSED) || nothing || !p->n_methods) {
        tui_status(p->app->tui, "There is nothing to pay here.");
        return;
    }
    if (paying_with_credits(p) && balance(p).amount < amount_due(p).amount) {
        tui_status(p->app->tui, "Your credits do not cover it: choose another way to pay (↑↓).");
        return;
    }
    split(p, &from_credits, &charged);
    p->expected = amount_due(p);
    money_format(&charged, cur, a, sizeof a);
    money_format(&from_credits, cur, b, sizeof b);
    const char *what = p->kind == PAY_CART ? "Place the order?" : "Pay the invoice?";
    if (paying_with_credits(p) || (from_credits.amount && !charged.amount))
        snprintf(msg, sizeof msg,
                 "%s will be paid from your credits. Nothing is charged to a "
                 "card or PayPal. %s",
                 b, what);
    else if (from_credits.amount)
        snprintf(msg, sizeof msg, "You will be charged %s with %s, after %s from your credits. %s",
                 a, fmt_gateway(method_name(p)), b, what);
    else
        snprintf(msg, sizeof msg, "You will be charged %s with %s. %s", a,
                 fmt_gateway(method_name(p)), what);
    struct confirm_args ca = {.title = p->kind == PAY_CART ? "Checkout › Confirm" : "Pay › Confirm",
                              .message = msg,
                              .yes = confirmed,
                              .ud = p};
    tui_push(p->app->tui, &confirm_screen, &ca);
}

/* ---- keys ---- */

/* A method chosen: its choices and the amount it charges come into view. */
static void choose_method(struct pay *p, int i)
{
    if (i < 0 || i >= p->n_methods)
        return;
    p->method = i;
    doc_view_show(&p->view, p->methods_line, p->charge_line + 1);
}

static enum tui_action pay_handle(struct screen *s, const struct tui_event *ev)
{
    struct pay *p = s->priv;
    bool choosing = p->phase == PAY_REVIEW || p->phase == PAY_REFUSED;
    if (ev->kind == TUI_EV_MOUSE) {
        if (choosing && ev->mouse == TUI_MOUSE_CLICK)
            for (int i = 0; i < p->n_methods; i++)
                if (p->method_y[i] == ev->y)
                    choose_method(p, i);
        doc_view_handle(&p->view, ev);
        return TUI_HANDLED;
    }
    if (app_handle_nav(p->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_PAY:
        ask_to_pay(p);
        return TUI_HANDLED;
    case OP_RETRY:
        if (p->phase == PAY_REFUSED && p->can_retry)
            submit(p); /* the same key: the server does it once */
        else if (p->phase == PAY_LOADING || choosing)
            pay_reload(p);
        return TUI_HANDLED;
    case OP_USE_CREDITS:
        if (choosing && credits_allowed(p) && !paying_with_credits(p))
            p->use_credits = !p->use_credits;
        return TUI_HANDLED;
    case OP_UP:
    case OP_DOWN:
        if (choosing && p->n_methods) {
            if (p->method_y[p->method] < 0) /* not in view: bring the choices in first */
                choose_method(p, p->method);
            else
                choose_method(p, p->method + (ev->op == OP_UP ? -1 : 1));
            return TUI_HANDLED;
        }
        break;
    case OP_BACK:
        return TUI_CLOSE;
    default:
        break;
    }
    return doc_view_handle(&p->view, ev) ? TUI_HANDLED : TUI_IGNORED;
}

static const char *pay_title(struct screen *s, char *buf, size_t n)
{
    struct pay *p = s->priv;
    if (p->kind == PAY_CART)
        snprintf(buf, n, "Checkout");
    else if (p->invoice && p->invoice->summary.kind == INVOICE_KIND_DEPOSIT)
        tui_format(s->tui, buf, n, "Credits › Add funds › %s", p->invoice->summary.number);
    else
        tui_format(s->tui, buf, n, "Invoices › %s › Pay",
                   p->invoice ? p->invoice->summary.number : tui_glyph(s->tui, GLYPH_ELLIPSIS));
    return buf;
}

const struct screen_ops pay_screen = {
    .name = "pay",
    .priv_size = sizeof(struct pay),
    .open = pay_open,
    .close = pay_close,
    .paint = pay_paint,
    .handle = pay_handle,
    .reload = pay_again,
    .title = pay_title,
    .keys = pay_keys,
};
