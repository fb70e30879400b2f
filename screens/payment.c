/* payment.c: the Payment screen, once checkout (or an invoice payment) has started: the
 * gateway's link and a QR code of it, the payment followed live until it settles, then the
 * order, its invoice and the services being set up; or, when declined, what happened and the
 * cart put back as it was; or, when the gateway collected another amount than asked, that the
 * shop is checking it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/doc.h"
#include "screens/format.h"
#include "screens/qr.h"
#include "screens/screens.h"

#define SIDE_TEXT_MIN_W 26 /* the text beside the QR code needs at least this */
#define SIDE_TEXT_MAX_W 60 /* and reads best within this */
#define PAY_SERVICES    16
#define PAY_POLL_MS     2000
#define PAY_APPROVAL_MS 10000

enum follow_phase {
    FOLLOW_WAITING, /* the gateway's page: link, QR code, polling */
    FOLLOW_DONE,    /* paid: the order, the invoice, the services being set up */
    FOLLOW_FAILED,  /* declined or expired */
    FOLLOW_HELD,    /* the gateway collected money that does not match: the shop checks it */
};

struct follow {
    struct app *app;
    struct screen *self;
    enum pay_kind kind;
    enum follow_phase phase;
    struct doc_view view;
    struct checkout_result *result; /* PAY_CART */
    char invoice_number[64];        /* PAY_INVOICE: what is paid */
    enum invoice_kind invoice_kind;
    struct money invoice_total;
    struct payment *payment; /* the live state of the payment */
    uint64_t poll_req, poll_timer;
    int poll_failures;
    enum client_status poll_status; /* why the last look failed */
    struct qr qr;
    struct service *services[PAY_SERVICES]; /* as last polled */
    int64_t service_ids[PAY_SERVICES];
    int n_services;
    uint64_t svc_req, svc_timer;
    int svc_next;
    /* after a decline at checkout, the order's lines go back into the cart */
    uint64_t restore_req;
    size_t restore_next;
    bool restore_started, restore_done;
    char restore_note[300];
};

static const enum tui_op payment_keys[] = {
    OP_SERVICES,  OP_INVOICES, OP_CART, OP_PAY, OP_GO_HOME, OP_CREDITS, OP_RETRY, OP_UP,   OP_DOWN,
    OP_PAGE_DOWN, OP_PAGE_UP,  OP_HOME, OP_END, OP_BACK,    OP_HELP,    OP_QUIT,  OP_NONE,
};

/* ---- services being provisioned ---- */

static void services_poll(void *ud);

static bool any_pending(const struct follow *p)
{
    for (int i = 0; i < p->n_services; i++)
        if (!p->services[i] || p->services[i]->status == SERVICE_PENDING)
            return true;
    return false;
}

static void services_next(struct follow *p);

static void on_service(void *ud, struct service *sv, const struct client_error *err)
{
    struct follow *p = ud;
    p->svc_req = 0;
    if (sv) {
        service_free(&p->services[p->svc_next]);
        p->services[p->svc_next] = sv;
    }
    p->svc_next++;
    services_next(p);
}

static void services_next(struct follow *p)
{
    if (p->svc_next < p->n_services) {
        p->svc_req = client_get_service(p->app->client, p->service_ids[p->svc_next], on_service, p);
        if (!p->svc_req) {
            p->svc_next++;
            services_next(p);
        }
        return;
    }
    /* all seen: look again while one is still being set up */
    if (any_pending(p)) {
        bool approval = p->app->status && !p->app->status->auto_activate;
        p->svc_timer =
            app_after(p->app, approval ? PAY_APPROVAL_MS : PAY_POLL_MS, services_poll, p);
    }
}

static void services_poll(void *ud)
{
    struct follow *p = ud;
    p->svc_timer = 0;
    p->svc_next = 0;
    services_next(p);
}

/* ---- after a decline: the cart as it was ---- */

static void restore_next(struct follow *p);

static void restore_note(struct follow *p, const char *what, const struct client_error *err)
{
    char msg[300];
    size_t len = strlen(p->restore_note);
    fmt_error(err, msg, sizeof msg);
    snprintf(p->restore_note + len, sizeof p->restore_note - len,
             "%s%s could not go back into "
             "the cart: %s",
             len ? " " : "", what, msg);
}

static void on_restored(void *ud, struct cart *c, const struct client_error *err)
{
    struct follow *p = ud;
    const struct order *o = &p->result->order;
    p->restore_req = 0;
    if (c) {
        app_cart_changed(p->app, c);
        cart_free(&c);
    } else if (p->restore_next <= o->n_items) {
        restore_note(p, o->items[p->restore_next - 1].product.name, err);
    } else {
        restore_note(p, "The coupon", err);
    }
    restore_next(p);
}

static void restore_next(struct follow *p)
{
    const struct order *o = &p->result->order;
    while (p->restore_next < o->n_items) {
        const struct order_item *it = &o->items[p->restore_next++];
        struct option_choice opts[16];
        size_t n = it->n_options < 16 ? it->n_options : 16;
        for (size_t i = 0; i < n; i++)
            opts[i] = (struct option_choice){it->options[i].resource, it->options[i].value};
        struct line_request line = {.product_id = it->product.id,
                                    .cycle = it->cycle,
                                    .options = opts,
                                    .n_options = n,
                                    .quantity = it->quantity};
        p->restore_req = client_cart_add(p->app->client, &line, NULL, on_restored, p);
        if (p->restore_req)
            return;
    }
    if (p->restore_next == o->n_items && o->coupon_code[0]) {
        p->restore_next++;
        p->restore_req =
            client_cart_apply_coupon(p->app->client, o->coupon_code, NULL, on_restored, p);
        if (p->restore_req)
            return;
    }
    p->restore_done = true;
    app_refresh_cart(p->app);
}

static void on_cart_before_restore(void *ud, struct cart *c, const struct client_error *err)
{
    struct follow *p = ud;
    p->restore_req = 0;
    if (!c) {
        restore_note(p, "Your order's items", err);
        p->restore_done = true;
        return;
    }
    bool empty = cart_empty(c);
    cart_free(&c);
    if (!empty) { /* something is in it already (another session): leave it be */
        p->restore_done = true;
        snprintf(p->restore_note, sizeof p->restore_note,
                 "Your cart already holds items, so the order's items were not added again.");
        return;
    }
    p->restore_next = 0;
    restore_next(p);
}

static void restore_cart(struct follow *p)
{
    if (p->kind != PAY_CART || !p->result || p->restore_started)
        return;
    p->restore_started = true;
    p->restore_req = client_get_cart(p->app->client, on_cart_before_restore, p);
    if (!p->restore_req)
        p->restore_done = true;
}

/* ---- the payment ---- */

static void poll_payment(void *ud);
static void follow_stop(struct follow *p);

static void settle(struct follow *p)
{
    switch (p->payment ? p->payment->status : PAYMENT_FAILED) {
    case PAYMENT_PAID:
    case PAYMENT_NOT_REQUIRED:
        p->phase = FOLLOW_DONE;
        p->app->account_gen++;
        p->view.scroll = 0;
        app_refresh_cart(p->app);
        p->svc_next = 0;
        services_next(p);
        break;
    case PAYMENT_FAILED:
    case PAYMENT_EXPIRED:
        p->phase = FOLLOW_FAILED;
        p->app->account_gen++;
        p->view.scroll = 0;
        restore_cart(p);
        break;
    case PAYMENT_HELD: /* settled for sett: only the shop can move it on, so no more polling */
        p->phase = FOLLOW_HELD;
        p->app->account_gen++;
        p->view.scroll = 0;
        break;
    default:
        if (p->phase != FOLLOW_WAITING)
            p->app->account_gen++; /* an order, an invoice, credits taken */
        p->phase = FOLLOW_WAITING;
        p->poll_timer = app_after(p->app, PAY_POLL_MS, poll_payment, p);
        break;
    }
}

static void on_payment(void *ud, struct payment *pm, const struct client_error *err)
{
    struct follow *p = ud;
    p->poll_req = 0;
    if (!pm) {
        p->poll_failures++; /* the network may come back: keep following */
        p->poll_status = err ? err->status : CLIENT_ERR_TRANSPORT;
        p->poll_timer = app_after(p->app, PAY_POLL_MS, poll_payment, p);
        return;
    }
    p->poll_failures = 0;
    payment_free(&p->payment);
    p->payment = pm;
    settle(p);
}

static void poll_payment(void *ud)
{
    struct follow *p = ud;
    p->poll_timer = 0;
    if (!p->payment || p->poll_req)
        return;
    p->poll_req = client_get_payment(p->app->client, p->payment->id, on_payment, p);
    if (!p->poll_req)
        p->poll_timer = app_after(p->app, PAY_POLL_MS, poll_payment, p);
}

static void follow_start(struct follow *p, struct payment *payment)
{
    follow_stop(p);
    payment_free(&p->payment);
    p->payment = payment;
    qr_free(&p->qr);
    if (payment && payment->next_action_url[0] && qr_drawable(p->app->tui))
        qr_encode(payment->next_action_url, &p->qr); /* none: the link alone */
    settle(p);
}

static void follow_stop(struct follow *p)
{
    client_cancel(p->app->client, p->poll_req);
    client_cancel(p->app->client, p->svc_req);
    client_cancel(p->app->client, p->restore_req);
    app_cancel_timer(p->app, p->poll_timer);
    app_cancel_timer(p->app, p->svc_timer);
    p->poll_req = p->svc_req = p->restore_req = 0;
    p->poll_timer = p->svc_timer = 0;
}

static void follow_free(struct follow *p)
{
    follow_stop(p);
    payment_free(&p->payment);
    qr_free(&p->qr);
    for (int i = 0; i < PAY_SERVICES; i++)
        service_free(&p->services[i]);
}

/* ---- painting the payment page ---- */

/* Wrapped text from row *y within r; moves *y past it (never beyond r). */
static void para(struct tui *t, struct tui_rect r, int *y, enum theme_elem el, const char *text)
{
    int left = r.y + r.h - *y;
    if (left <= 0)
        return;
    int n = tui_wrap_paint(t, (struct tui_rect){*y, r.x, left, r.w}, 0, el, text);
    *y += n < left ? n : left;
}

/* Why the payment cannot be followed now: never a word on the payment, which may be going on. */
static const char *lost_contact(enum client_status s)
{
    return s == CLIENT_ERR_TRANSPORT ? "Lost contact with the server (it cannot be reached); "
                                       "still checking…"
           : s == CLIENT_ERR_TIMEOUT ? "Lost contact with the server (it did not answer in "
                                       "time); still checking…"
                                     : "Lost contact with the server; still checking…";
}

/* The lines beside (or above) the code. Returns the rows used. */
static int paint_follow_text(struct follow *p, struct tui_rect r, bool with_qr)
{
    struct tui *t = p->app->tui;
    const struct currency *cur = app_currency(p->app);
    char a[64], line[400];
    int y = r.y;
    const struct payment *pm = p->payment;
    money_format(&pm->amount, cur, a, sizeof a);
    if (r.h <= 0)
        return 0;
    if (pm->status == PAYMENT_PENDING)
        tui_format(t, line, sizeof line, "The payment of %s is being processed…", a);
    else
        tui_format(t, line, sizeof line, "Waiting for your payment of %s…", a);
    tui_spinner(t, y++, r.x, r.w, line);
    if (p->poll_failures)
        para(t, r, &y, EL_ERROR, tui_own(t, lost_contact(p->poll_status), line, sizeof line));
    if (pm->status == PAYMENT_REQUIRES_ACTION) {
        y++;
        snprintf(line, sizeof line, "%s on the %s payment page.",
                 with_qr ? "Scan the code with your phone, or open the link above, to pay"
                         : "Open the link above to pay",
                 fmt_gateway(pm->gateway));
        para(t, r, &y, EL_NORMAL, line);
    }
    if (pm->credits_applied.amount) {
        money_format(&pm->credits_applied, cur, a, sizeof a);
        snprintf(line, sizeof line, "%s came from your credits.", a);
        y++;
        para(t, r, &y, EL_DIM, line);
    }
    if (p->result) {
        tui_format(t, line, sizeof line, "Order %s · invoice %s", p->result->order.number,
                   p->result->invoice.summary.number);
        y++;
        para(t, r, &y, EL_DIM, line);
    }
    y++;
    para(t, r, &y, EL_DIM,
         tui_op_enabled(t, OP_INVOICES)
             ? "Esc leaves this screen; the link keeps working and Invoices shows when it is paid."
             : "Esc leaves this screen; the link keeps working.");
    return (y < r.y + r.h ? y : r.y + r.h) - r.y;
}

static void follow_paint(struct follow *p, struct tui_rect body)
{
    struct tui *t = p->app->tui;
    const struct payment *pm = p->payment;
    if (!pm)
        return;
    int y = body.y;
    bool link = pm->next_action_url[0] != '\0';
    if (link) {
        int n = tui_wrap_count(pm->next_action_url, body.w - 2);
        tui_wrap_paint(t, (struct tui_rect){y, body.x + 1, n, body.w - 2}, 0, EL_TITLE,
                       pm->next_action_url);
        y += n;
    }
    struct tui_rect rest = {y + 1, body.x + 1, body.y + body.h - y - 1, body.w - 2};
    for (int quiet = 2; link && p->qr.width && quiet >= 1; quiet--) {
        int qc = qr_cols(&p->qr, quiet), qh = qr_rows(&p->qr, quiet);
        if (qh > rest.h + 1)
            continue;
        int qy = rest.h >= qh ? rest.y : rest.y - 1;
        if (rest.w >= qc + 2 + SIDE_TEXT_MIN_W) { /* the code, and the words beside it */
            int tw = rest.w - qc - 2 < SIDE_TEXT_MAX_W ? rest.w - qc - 2 : SIDE_TEXT_MAX_W;
            qr_paint(t, qy, rest.x, &p->qr, quiet);
            paint_follow_text(p, (struct tui_rect){qy, rest.x + qc + 2, qh, tw}, true);
            return;
        }
        int text_h = 3;
        if (rest.w >= qc && rest.h >= qh + text_h) { /* the words above the code */
            int used =
                paint_follow_text(p, (struct tui_rect){rest.y, rest.x, text_h, rest.w}, true);
            qr_paint(t, rest.y + (used < text_h ? used : text_h), rest.x + (rest.w - qc) / 2,
                     &p->qr, quiet);
            return;
        }
    }
    int used = paint_follow_text(p, rest, false);
    if (link && used + 1 < rest.h)
        tui_wrap_paint(t, (struct tui_rect){rest.y + used + 1, rest.x, rest.h - used - 1, rest.w},
                       0, EL_DIM,
                       p->qr.width ? "A larger terminal shows a QR code of the link here."
                                   : "No QR code here (it needs a UTF-8 terminal); the link "
                                     "works the same.");
}

/* ---- the outcome ---- */

static void paint_services(struct doc *d, struct follow *p)
{
    char line[300];
    if (p->n_services == 0)
        return;
    doc_heading(d, p->n_services == 1 ? "Your service" : "Your services");
    for (int i = 0; i < p->n_services; i++) {
        const struct service *sv = p->services[i];
        const struct service *first =
            p->result && (size_t)i < p->result->n_services ? &p->result->services[i] : NULL;
        const char *name = sv ? sv->product.name : first ? first->product.name : "Service";
        doc_text(d, 3, d->body.w - 40 > 14 ? d->body.w - 40 : 14, EL_PRODUCT_NAME, name);
        int x = d->body.w - 40 > 14 ? d->body.w - 36 : 18;
        if (!sv || sv->status == SERVICE_PENDING) {
            bool approval = p->app->status && !p->app->status->auto_activate;
            int row = doc_row(d, d->y);
            if (row >= 0)
                tui_spinner(d->t, row, d->body.x + x, d->body.w - x - 1,
                            approval ? "Waiting for the host to approve it…" : "Setting up…");
        } else {
            if (sv->has_server)
                tui_format(d->t, line, sizeof line, "%s · %s", service_status_label(sv->status),
                           sv->server.address);
            else
                snprintf(line, sizeof line, "%s", service_status_label(sv->status));
            doc_text(d, x, d->body.w - x - 1, fmt_service_elem(sv->status), line);
        }
        d->y++;
    }
}

static void done_paint(struct doc *d, struct follow *p)
{
    const struct currency *cur = app_currency(p->app);
    const struct payment *pm = p->payment;
    char a[64], line[300];
    d->y++;
    doc_text(d, 1, d->body.w - 2, EL_STATUS_ACTIVE,
             p->kind == PAY_CART ? "Thank you: your order is paid."
                                 : "Thank you: the invoice is paid.");
    d->y += 2;
    if (p->result) {
        doc_field(d, "Order", EL_NORMAL, p->result->order.number);
        tui_format(d->t, line, sizeof line, "%s · Paid", p->result->invoice.summary.number);
        doc_field(d, "Invoice", EL_STATUS_ACTIVE, line);
    } else if (p->invoice_number[0]) {
        tui_format(d->t, line, sizeof line, "%s · Paid", p->invoice_number);
        doc_field(d, "Invoice", EL_STATUS_ACTIVE, line);
    }
    if (pm && pm->amount.amount && pm->gateway[0]) {
        money_format(&pm->amount, cur, a, sizeof a);
        snprintf(line, sizeof line, "%s with %s", a, fmt_gateway(pm->gateway));
        doc_field(d, "Paid", EL_PRICE, line);
    }
    if (pm && pm->credits_applied.amount) {
        money_format(&pm->credits_applied, cur, a, sizeof a);
        doc_field(d, "From credits", EL_PRICE, a);
    }
    if (p->kind == PAY_INVOICE && p->invoice_kind == INVOICE_KIND_DEPOSIT) {
        money_format(&p->invoice_total, cur, a, sizeof a);
        snprintf(line, sizeof line, "%s was added to your credit balance ($ shows it).", a);
        d->y++;
        doc_wrap(d, 3, d->body.w - 4, EL_NORMAL, line);
    }
    paint_services(d, p);
    d->y++;
    doc_text(d, 1, d->body.w - 2, EL_DIM,
             p->kind == PAY_CART ? "v opens your services, i your invoices."
                                 : "i opens your invoices, $ your credits.");
    d->y++;
}

static void failed_paint(struct doc *d, struct follow *p)
{
    const struct currency *cur = app_currency(p->app);
    const struct payment *pm = p->payment;
    char a[64], line[400];
    bool expired = pm && pm->status == PAYMENT_EXPIRED;
    d->y++;
    doc_text(d, 1, d->body.w - 2, EL_ERROR, expired ? " Payment expired " : " Payment declined ");
    d->y += 2;
    if (pm && pm->failure_reason[0])
        doc_wrap(d, 3, d->body.w - 4, EL_NORMAL, pm->failure_reason);
    else if (expired)
        doc_wrap(d, 3, d->body.w - 4, EL_NORMAL, "It was not completed in time.");
    if (pm && pm->credits_applied.amount) {
        money_format(&pm->credits_applied, cur, a, sizeof a);
        snprintf(line, sizeof line,
                 "Nothing was charged, and the %s from your credits went "
                 "back to your balance.",
                 a);
    } else {
        snprintf(line, sizeof line, "Nothing was charged.");
    }
    doc_wrap(d, 3, d->body.w - 4, EL_NORMAL, line);
    d->y++;
    if (p->kind == PAY_CART) {
        if (!p->restore_done) {
            int row = doc_row(d, d->y);
            if (row >= 0)
                tui_spinner(d->t, row, d->body.x + 3, d->body.w - 4, "Putting your cart back…");
            d->y++;
        } else {
            doc_wrap(d, 3, d->body.w - 4, EL_NORMAL,
                     p->restore_note[0] ? p->restore_note
                                        : "Your cart is as it was: c opens it to try again.");
        }
    } else {
        doc_wrap(
            d, 3, d->body.w - 4, EL_NORMAL,
            "The invoice is still unpaid: p tries again, with another way to pay if you like.");
    }
}

/* Money arrived, but not what the invoice asked: nothing is activated until the shop has looked. */
static void held_paint(struct doc *d, struct follow *p)
{
    const struct currency *cur = app_currency(p->app);
    const struct payment *pm = p->payment;
    const char *invoice = p->result ? p->result->invoice.summary.number : p->invoice_number;
    char a[64], line[400];
    d->y++;
    doc_text(d, 1, d->body.w - 2, EL_STATUS_SUSPENDED, " Payment on hold ");
    d->y += 2;
    snprintf(line, sizeof line,
             "Your payment with %s reached the shop, but it does not match the invoice (another "
             "amount or currency), so the shop is checking it.",
             fmt_gateway(pm ? pm->gateway : ""));
    doc_wrap(d, 3, d->body.w - 4, EL_NORMAL, line);
    d->y++;
    doc_wrap(d, 3, d->body.w - 4, EL_NORMAL,
             p->kind == PAY_CART ? "Nothing was activated: your order waits for the shop."
                                 : "Nothing was activated: the invoice stays unpaid for now.");
    if (pm && pm->credits_applied.amount) {
        money_format(&pm->credits_applied, cur, a, sizeof a);
        snprintf(line, sizeof line, "The %s from your credits stays with it meanwhile.", a);
        doc_wrap(d, 3, d->body.w - 4, EL_NORMAL, line);
    }
    d->y++;
    snprintf(line, sizeof line,
             "Please contact the shop and give the invoice number %s: the shop completes the "
             "payment or refunds it. Do not pay again meanwhile.",
             invoice[0] ? invoice : "of this payment");
    doc_wrap(d, 3, d->body.w - 4, EL_PRICE, line);
    d->y++;
    if (p->result)
        doc_field(d, "Order", EL_NORMAL, p->result->order.number);
    if (invoice[0]) {
        tui_format(d->t, line, sizeof line, "%s · Payment on hold", invoice);
        doc_field(d, "Invoice", EL_STATUS_PENDING, line);
    }
    d->y++;
    if (tui_op_enabled(d->t, OP_INVOICES)) { /* not at a kiosk */
        doc_text(d, 1, d->body.w - 2, EL_DIM, "i opens your invoices.");
        d->y++;
    }
}

/* ---- the screen ---- */

static int payment_open(struct screen *s, void *arg)
{
    struct follow *p = s->priv;
    struct payment_args *a = arg;
    if (!a || !a->payment)
        return -1;
    p->app = s->app;
    p->self = s;
    p->kind = a->kind;
    p->result = a->result;
    a->result = NULL; /* ownership passed */
    if (p->result) {
        for (size_t i = 0; i < p->result->n_services && i < PAY_SERVICES; i++)
            p->service_ids[p->n_services++] = p->result->services[i].id;
    }
    if (a->invoice) {
        snprintf(p->invoice_number, sizeof p->invoice_number, "%s", a->invoice->summary.number);
        p->invoice_kind = a->invoice->summary.kind;
        p->invoice_total = a->invoice->totals.total;
        if (a->invoice->service_id)
            p->service_ids[p->n_services++] = a->invoice->service_id;
    }
    struct payment *pm = a->payment;
    a->payment = NULL;
    follow_start(p, pm);
    return 0;
}

static void payment_close(struct screen *s)
{
    struct follow *p = s->priv;
    follow_free(p);
    checkout_result_free(&p->result);
}

static void paint_outcome(struct doc *d, void *ud)
{
    struct follow *p = ud;
    if (p->phase == FOLLOW_DONE)
        done_paint(d, p);
    else if (p->phase == FOLLOW_HELD)
        held_paint(d, p);
    else
        failed_paint(d, p);
}

static void payment_paint(struct screen *s, struct tui_rect body)
{
    struct follow *p = s->priv;
    app_badge_fit(p->app, body.w);
    if (p->phase == FOLLOW_WAITING)
        follow_paint(p, body);
    else
        doc_view_paint(&p->view, s->tui, body, paint_outcome, p);
}

/* Back leaves the checkout (or the payment form) below too: it is done with. */
static void leave(struct follow *p, bool again)
{
    struct tui *t = p->app->tui;
    if (tui_top(t) == p->self)
        tui_pop(t);
    struct screen *below = tui_top(t);
    if (below && below->ops == &pay_screen) {
        if (again && below->ops->reload)
            below->ops->reload(below); /* the form again, for another try */
        else
            tui_pop(t);
    }
}

static enum tui_action payment_handle(struct screen *s, const struct tui_event *ev)
{
    struct follow *p = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        if (p->phase != FOLLOW_WAITING)
            doc_view_handle(&p->view, ev);
        return TUI_HANDLED;
    }
    if (app_handle_nav(p->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_BACK:
        if (p->phase == FOLLOW_WAITING)
            tui_status(s->tui, tui_op_enabled(s->tui, OP_INVOICES)
                                   ? "The payment page still works; Invoices shows when it is paid."
                                   : "The payment page still works.");
        leave(p, false);
        return TUI_HANDLED;
    case OP_PAY:
        if (p->phase == FOLLOW_FAILED && p->kind == PAY_INVOICE)
            leave(p, true);
        else
            tui_status(s->tui, p->phase == FOLLOW_DONE   ? "It is paid."
                               : p->phase == FOLLOW_HELD ? "The shop is checking this payment; "
                                                           "contact the shop before paying again."
                                                         : "Pay on the payment page.");
        return TUI_HANDLED;
    case OP_RETRY:
        if (p->phase == FOLLOW_WAITING && !p->poll_req) { /* look now */
            app_cancel_timer(p->app, p->poll_timer);
            poll_payment(p);
        }
        return TUI_HANDLED;
    default:
        if (p->phase != FOLLOW_WAITING && doc_view_handle(&p->view, ev))
            return TUI_HANDLED;
        return TUI_IGNORED;
    }
}

static const char *payment_title(struct screen *s, char *buf, size_t n)
{
    struct follow *p = s->priv;
    if (p->kind == PAY_CART)
        tui_format(s->tui, buf, n, "Checkout › Payment");
    else if (p->invoice_kind == INVOICE_KIND_DEPOSIT)
        tui_format(s->tui, buf, n, "Credits › Add funds › %s", p->invoice_number);
    else
        tui_format(s->tui, buf, n, "Invoices › %s › Payment", p->invoice_number);
    return buf;
}

const struct screen_ops payment_screen = {
    .name = "payment",
    .priv_size = sizeof(struct follow),
    .open = payment_open,
    .close = payment_close,
    .paint = payment_paint,
    .handle = payment_handle,
    .title = payment_title,
    .keys = payment_keys,
};
