/* invoice.c: one invoice: its dates, line items, totals with the tax breakdown, payments,
 * refunds and what is left to pay; p pays it the way checkout does. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/doc.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/operator.h"
#include "screens/screens.h"

struct invoice_view {
    struct app *app;
    int64_t id;
    struct invoice *inv;
    uint64_t req, reload_timer;
    unsigned gen;
    struct client_error err;
    struct doc_view view;
};

static const enum tui_op invoice_keys[] = {
    OP_PAY,      OP_UP,      OP_DOWN, OP_RETRY,     OP_GO_HOME, OP_INVOICES,
    OP_SERVICES, OP_CREDITS, OP_CART, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,
    OP_END,      OP_ACCOUNT, OP_BACK, OP_HELP,      OP_QUIT,    OP_NONE,
};

static const enum tui_op operator_keys[] = {
    OP_REFUND,   OP_RELEASE,  OP_UP,        OP_DOWN,    OP_RETRY,         OP_GO_HOME,
    OP_INVOICES, OP_SERVICES, OP_ORDERS,    OP_CREDITS, OP_FIND_CUSTOMER, OP_CATALOG,
    OP_COUPONS,  OP_SETTINGS, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME,          OP_END,
    OP_BACK,     OP_HELP,     OP_QUIT,      OP_NONE,
};

static void on_invoice(void *ud, struct invoice *inv, const struct client_error *err)
{
    struct invoice_view *v = ud;
    v->req = 0;
    if (!inv) {
        v->err = *err;
        return;
    }
    client_error_clear(&v->err);
    invoice_free(&v->inv);
    v->inv = inv;
}

static void load(struct invoice_view *v)
{
    client_cancel(v->app->client, v->req);
    client_error_clear(&v->err);
    v->gen = v->app->account_gen;
    v->req = account_get_invoice(v->app, v->id, on_invoice, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "no such invoice");
}

static void invoice_reload(struct screen *s)
{
    load(s->priv);
}

static void reload_now(void *ud)
{
    struct invoice_view *v = ud;
    v->reload_timer = 0;
    load(v);
}

static int invoice_open(struct screen *s, void *arg)
{
    struct invoice_view *v = s->priv;
    const struct screen_target *t = arg;
    v->app = s->app;
    v->id = t ? t->id : 0;
    load(v);
    return 0;
}

static void invoice_close(struct screen *s)
{
    struct invoice_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    app_cancel_timer(v->app, v->reload_timer);
    invoice_free(&v->inv);
}

/* ---- painting ---- */

/* "label ……… amount", the amount right-aligned at the edge. */
static void amount_row(struct doc *d, int x, enum theme_elem lel, const char *label,
                       enum theme_elem el, const struct money *m, bool negative,
                       const struct currency *cur)
{
    char a[64];
    struct money v = *m;
    if (negative)
        v.amount = -v.amount;
    money_format(&v, cur, a, sizeof a);
    int aw = tui_text_width(a);
    doc_text(d, x, d->body.w - x - aw - 3, lel, label);
    doc_right(d, 1, d->body.w - 2, el, a);
    d->y++;
}

static void paint_head(struct doc *d, const struct invoice *inv)
{
    const struct invoice_summary *s = &inv->summary;
    const char *status = frame_invoice_status(s->status);
    char line[200];
    int sw = tui_text_width(status);
    doc_text(d, 1, d->body.w - sw - 4, EL_TITLE, s->number);
    doc_right(d, 1, d->body.w - 2, fmt_invoice_elem(s->status), status);
    d->y += 2;
    doc_field(d, "Kind", EL_NORMAL, invoice_kind_label(s->kind));
    doc_field(d, "Issued", EL_NORMAL, s->issue_date);
    doc_field(d, "Due", s->status == INVOICE_OVERDUE ? EL_STATUS_OVERDUE : EL_NORMAL, s->due_date);
    if (s->paid_at[0]) {
        fmt_moment(s->paid_at, line, sizeof line);
        doc_field(d, "Paid on", EL_NORMAL, line);
    }
    if (inv->order_id) {
        snprintf(line, sizeof line, "#%" PRId64, inv->order_id);
        doc_field(d, "Order", EL_DIM, line);
    }
}

static void paint_lines(struct doc *d, const struct invoice *inv, const struct currency *cur)
{
    char unit[64], line[300];
    doc_heading(d, "Items");
    for (size_t i = 0; i < inv->n_lines; i++) {
        const struct invoice_line *l = &inv->lines[i];
        amount_row(d, 3, EL_NORMAL, l->description, EL_NORMAL, &l->amount, false, cur);
        money_format(&l->unit_price, cur, unit, sizeof unit);
        if (l->period_start[0])
            tui_format(d->t, line, sizeof line, "%d × %s · %s – %s", l->quantity, unit,
                       l->period_start, l->period_end);
        else
            tui_format(d->t, line, sizeof line, "%d × %s", l->quantity, unit);
        doc_text(d, 5, d->body.w - 6, EL_DIM, line);
        d->y++;
    }
}

static void paint_totals(struct doc *d, const struct invoice *inv, const struct currency *cur)
{
    const struct totals *t = &inv->totals;
    char label[160];
    d->y++;
    amount_row(d, 3, EL_LABEL, "Subtotal", EL_NORMAL, &t->subtotal, false, cur);
    if (t->discount.amount) {
        snprintf(label, sizeof label, "Discount%s%s%s", inv->coupon_code[0] ? " (" : "",
                 inv->coupon_code, inv->coupon_code[0] ? ")" : "");
        amount_row(d, 3, EL_LABEL, label, EL_NORMAL, &t->discount, true, cur);
    }
    for (size_t i = 0; i < t->n_tax_lines; i++) {
        fmt_tax_label(&t->tax_lines[i], label, sizeof label);
        amount_row(d, 3, EL_LABEL, label, EL_NORMAL, &t->tax_lines[i].amount, false, cur);
    }
    amount_row(d, 3, EL_TITLE, "Total", EL_PRICE, &t->total, false, cur);
    if (inv->amount_paid.amount)
        amount_row(d, 3, EL_LABEL, "Paid", EL_NORMAL, &inv->amount_paid, true, cur);
    if (inv->amount_refunded.amount)
        amount_row(d, 3, EL_LABEL, "Refunded", EL_NORMAL, &inv->amount_refunded, false, cur);
    amount_row(d, 3, EL_TITLE, "Amount due", inv->summary.amount_due.amount ? EL_PRICE : EL_NORMAL,
               &inv->summary.amount_due, false, cur);
}

static void paint_payments(struct doc *d, const struct invoice *inv, const struct currency *cur)
{
    char when[64], line[300], a[64];
    doc_heading(d, "Payments");
    if (inv->n_payments == 0) {
        doc_text(d, 3, d->body.w - 4, EL_DIM, "None yet.");
        d->y++;
    }
    for (size_t i = 0; i < inv->n_payments; i++) {
        const struct invoice_payment *p = &inv->payments[i];
        const char *status = payment_status_label(p->status);
        fmt_moment(p->created_at, when, sizeof when);
        money_format(&p->amount, cur, a, sizeof a);
        snprintf(line, sizeof line, "%s  %s", when, fmt_gateway(p->gateway));
        int sw = tui_text_width(status);
        doc_text(d, 3, d->body.w - sw - 18, EL_NORMAL, line);
        doc_right(d, d->body.w - sw - 16, 12, EL_PRICE, a);
        doc_right(d, 1, d->body.w - 2, fmt_payment_elem(p->status), status);
        d->y++;
    }
    if (inv->n_refunds == 0)
        return;
    doc_heading(d, "Refunds");
    for (size_t i = 0; i < inv->n_refunds; i++) {
        const struct refund *r = &inv->refunds[i];
        fmt_moment(r->created_at, when, sizeof when);
        tui_format(d->t, line, sizeof line, "%s  to %s · %s", when,
                   r->to_credits ? "your credits" : fmt_gateway(r->gateway), r->status);
        amount_row(d, 3, EL_NORMAL, line, EL_PRICE, &r->amount, false, cur);
        if (r->reason[0]) {
            doc_text(d, 5, d->body.w - 6, EL_DIM, r->reason);
            d->y++;
        }
    }
}

static bool held_payment(const struct invoice *inv)
{
    for (size_t i = 0; i < inv->n_payments; i++)
        if (inv->payments[i].status == PAYMENT_HELD)
            return true;
    return false;
}

static void paint_document(struct doc *d, void *ud)
{
    struct invoice_view *v = ud;
    const struct currency *cur = app_currency(v->app);
    paint_head(d, v->inv);
    paint_lines(d, v->inv, cur);
    paint_totals(d, v->inv, cur);
    paint_payments(d, v->inv, cur);
    if (held_payment(v->inv)) {
        char key[16], note[400];
        /* The key from the keymap table, so the note names the key that does it. */
        keymap_key_name(keymap_def(OP_RELEASE)->keys[0], key, sizeof key);
        snprintf(note, sizeof note,
                 "A payment is on hold: the gateway collected another amount or currency than it "
                 "was for. Nothing was activated. %s releases it (the invoice takes what "
                 "arrived). Or refund it at the gateway, or settle the invoice by hand (audit "
                 "log: payment.hold).",
                 key);
        d->y++;
        doc_wrap(d, 1, d->body.w - 2, EL_STATUS_SUSPENDED,
                 operator_viewing(v->app)
                     ? note
                     : "A payment is on hold: it reached the shop but does not match this "
                       "invoice, so the shop is checking it and nothing was activated. Please "
                       "contact the shop before paying again.");
    }
    if (invoice_payable(&v->inv->summary)) {
        d->y++;
        doc_text(d, 1, d->body.w - 2, EL_PRICE, "p pays this invoice.");
        d->y++;
    }
}

static void invoice_paint(struct screen *s, struct tui_rect body)
{
    struct invoice_view *v = s->priv;
    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->gen) && !v->req && !v->reload_timer)
        v->reload_timer = app_after(v->app, 0, reload_now, v);
    if (v->err.status != CLIENT_OK && !v->req)
        frame_error(v->app, body, &v->err);
    else if (!v->inv)
        frame_loading(v->app, body, "Loading the invoice…");
    else
        doc_view_paint(&v->view, s->tui, body, paint_document, v);
}

static enum tui_action invoice_handle(struct screen *s, const struct tui_event *ev)
{
    struct invoice_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        doc_view_handle(&v->view, ev);
        return TUI_HANDLED;
    }
    if (app_handle_nav(v->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_RETRY:
        load(v);
        return TUI_HANDLED;
    case OP_PAY:
        if (!v->inv || !invoice_payable(&v->inv->summary)) {
            tui_status(s->tui, "This invoice has nothing to pay.");
        } else {
            struct screen_target t = {.id = v->id, .kind = PAY_INVOICE};
            tui_push(s->tui, &pay_screen, &t);
        }
        return TUI_HANDLED;
    case OP_REFUND:
        if (v->inv)
            operator_refund(v->app, &v->inv->summary);
        return TUI_HANDLED;
    case OP_RELEASE:
        if (v->inv)
            operator_release(v->app, v->inv);
        return TUI_HANDLED;
    case OP_BACK:
        return TUI_CLOSE;
    default:
        return doc_view_handle(&v->view, ev) ? TUI_HANDLED : TUI_IGNORED;
    }
}

static const char *invoice_title(struct screen *s, char *buf, size_t n)
{
    struct invoice_view *v = s->priv;
    char section[96];
    tui_format(s->tui, section, sizeof section, "Invoices › %s",
               v->inv ? v->inv->summary.number : tui_glyph(s->tui, GLYPH_ELLIPSIS));
    return operator_title(v->app, section, buf, n);
}

SCREEN_OPS_WITH_OPERATOR(invoice_screen, operator_invoice_screen, "invoice", invoice_keys,
                         operator_keys, .priv_size = sizeof(struct invoice_view),
                         .open = invoice_open, .close = invoice_close, .paint = invoice_paint,
                         .handle = invoice_handle, .reload = invoice_reload,
                         .title = invoice_title);
