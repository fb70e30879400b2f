/* service.c: one service: its status, cycle and price, due date, server, resources, a pending
 * cancellation, its latest invoices; requesting (or withdrawing) cancellation, renewing early. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/types_plan.h"
#include "screens/app.h"
#include "screens/doc.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/plan_choice.h"
#include "screens/screens.h"

#define INVOICES_SHOWN 10

struct service_view {
    struct app *app;
    struct screen *self;
    int64_t id;
    struct service *sv;
    struct plan_change *change; /* a plan change waiting (for payment or its date), or NULL */
    uint64_t req, action_req, reload_timer, changes_req;
    unsigned gen; /* app->account_gen when loaded */
    struct client_error err;
    struct doc_view view;
    int selected;                     /* the invoice selected, -1 for none */
    int invoice_line[INVOICES_SHOWN]; /* document lines, from the last paint */
    int invoice_y[INVOICES_SHOWN];    /* screen rows */
    enum cancellation_type cancel_type;
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE]; /* the renewal's, kept for a retry */
    char reason[1001];                     /* typed for the cancellation being asked */
};

static const enum tui_op service_keys[] = {
    OP_ENTER,   OP_UP,       OP_DOWN,     OP_CANCEL_SERVICE, OP_RENEW, OP_CHANGE_PLAN, OP_RETRY,
    OP_GO_HOME, OP_SERVICES, OP_INVOICES, OP_CREDITS,        OP_CART,  OP_PAGE_DOWN,   OP_PAGE_UP,
    OP_HOME,    OP_END,      OP_ACCOUNT,  OP_BACK,           OP_HELP,  OP_QUIT,        OP_NONE,
};

static int invoices_count(const struct service_view *v)
{
    if (!v->sv)
        return 0;
    return v->sv->n_invoices < INVOICES_SHOWN ? (int)v->sv->n_invoices : INVOICES_SHOWN;
}

static void show(struct service_view *v, struct service *sv)
{
    service_free(&v->sv);
    v->sv = sv;
    if (v->selected >= invoices_count(v))
        v->selected = invoices_count(v) - 1;
    if (v->selected < 0 && invoices_count(v) > 0)
        v->selected = 0;
}

static void on_service(void *ud, struct service *sv, const struct client_error *err)
{
    struct service_view *v = ud;
    v->req = 0;
    if (!sv) {
        v->err = *err;
        return;
    }
    client_error_clear(&v->err);
    show(v, sv);
}

/* The waiting change, if any (the newest comes first). */
static void on_changes(void *ud, struct plan_change_page *pg, const struct client_error *err)
{
    struct service_view *v = ud;
    (void)err;
    v->changes_req = 0;
    plan_change_free(&v->change);
    v->change = plan_change_waiting(pg);
    plan_change_page_free(&pg);
}

static void service_reload(struct screen *s)
{
    struct service_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_cancel(v->app->client, v->changes_req);
    client_error_clear(&v->err);
    v->gen = v->app->account_gen;
    v->req = client_get_service(v->app->client, v->id, on_service, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "no such service");
    v->changes_req = client_get_plan_changes(v->app->client, v->id, on_changes, v);
}

static void reload_now(void *ud)
{
    struct service_view *v = ud;
    v->reload_timer = 0;
    service_reload(v->self);
}

static int service_open(struct screen *s, void *arg)
{
    struct service_view *v = s->priv;
    const struct screen_target *t = arg;
    v->app = s->app;
    v->self = s;
    v->id = t ? t->id : 0;
    v->selected = -1;
    service_reload(s);
    return 0;
}

static void service_close(struct screen *s)
{
    struct service_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_cancel(v->app->client, v->action_req);
    client_cancel(v->app->client, v->changes_req);
    app_cancel_timer(v->app, v->reload_timer);
    service_free(&v->sv);
    plan_change_free(&v->change);
}

/* ---- painting ---- */

static void paint_summary(struct doc *d, struct service_view *v)
{
    const struct service *sv = v->sv;
    const struct currency *cur = app_currency(v->app);
    char line[300], price[96];
    int sw = tui_text_width(service_status_label(sv->status));
    doc_text(d, 1, d->body.w - sw - 4, EL_PRODUCT_NAME, sv->product.name);
    doc_right(d, 1, d->body.w - 2, fmt_service_elem(sv->status), service_status_label(sv->status));
    d->y += 2;
    fmt_price_cycle(&sv->recurring_price, sv->cycle, cur, price, sizeof price);
    tui_format(d->t, line, sizeof line, "%s · %s", billing_cycle_label(sv->cycle), price);
    doc_field(d, "Billing", EL_PRICE, line);
    if (service_cancellation_pending(sv))
        snprintf(line, sizeof line, "none: it ends on %s", sv->next_due_date);
    else
        snprintf(line, sizeof line, "%s", sv->next_due_date[0] ? sv->next_due_date : "none");
    doc_field(d, "Next due", EL_NORMAL, line);
    if (sv->activated_at[0]) {
        fmt_moment(sv->activated_at, line, sizeof line);
        doc_field(d, "Active since", EL_NORMAL, line);
    }
    if (sv->status == SERVICE_SUSPENDED && sv->suspension_reason[0])
        doc_field(d, "Suspended", EL_STATUS_SUSPENDED,
                  strcmp(sv->suspension_reason, "overdue") == 0
                      ? "an invoice is overdue; paying it resumes the service"
                      : sv->suspension_reason);
    snprintf(line, sizeof line, "#%" PRId64, sv->order_id);
    if (sv->order_id)
        doc_field(d, "Order", EL_DIM, line);
}

static void paint_server(struct doc *d, const struct service *sv)
{
    char res[300], own[300];
    doc_heading(d, "Server");
    if (sv->has_server) {
        doc_field(d, "Name", EL_NORMAL, sv->server.name);
        doc_field(d, "Address", EL_TITLE,
                  sv->server.address[0] ? sv->server.address : tui_glyph(d->t, GLYPH_EM_DASH));
        doc_field(d, "Node", EL_NORMAL, sv->server.node);
    } else {
        doc_wrap(d, 3, d->body.w - 4, EL_DIM,
                 sv->status == SERVICE_PENDING ? "Being set up: it appears here once ready."
                                               : "No server (the service has ended).");
    }
    fmt_resources_line(&sv->resources, false, res, sizeof res);
    doc_field(d, "Resources", EL_RESOURCE, tui_own(d->t, res, own, sizeof own));
    if (sv->n_options) {
        fmt_option_values(sv->options, sv->n_options, " · ", res, sizeof res);
        doc_field(d, "Chosen", EL_RESOURCE, tui_own(d->t, res, own, sizeof own));
    }
}

static void paint_cancellation(struct doc *d, const struct service *sv)
{
    char line[200];
    if (!sv->has_cancellation)
        return;
    bool pending = service_cancellation_pending(sv);
    doc_heading(d, pending ? "Cancellation requested" : "Cancellation");
    doc_field(d, "When", EL_STATUS_CANCELLED, cancellation_type_label(sv->cancellation.type));
    fmt_moment(sv->cancellation.requested_at, line, sizeof line);
    doc_field(d, "Requested", EL_NORMAL, line);
    snprintf(line, sizeof line, "%.10s", sv->cancellation.effective_at); /* a day */
    doc_field(d, pending ? "Ends on" : "Ended on", EL_NORMAL, line);
    if (sv->cancellation.reason[0])
        doc_field(d, "Reason", EL_NORMAL, sv->cancellation.reason);
    if (pending) {
        doc_text(d, 3, d->body.w - 4, EL_DIM, "X withdraws the cancellation.");
        d->y++;
    }
}

static void paint_change(struct doc *d, const struct service_view *v)
{
    const struct plan_change *c = v->change;
    char line[300], price[96], own[300];
    if (!c)
        return;
    enum billing_cycle cycle = v->sv->cycle;
    billing_cycle_parse(c->to.cycle, &cycle);
    doc_heading(d, "Plan change waiting");
    fmt_price_cycle(&c->to.recurring_price, cycle, app_currency(v->app), price, sizeof price);
    snprintf(line, sizeof line, "%s · %s", c->to.product_name, price);
    doc_field(d, "To", EL_PRODUCT_NAME, line);
    if (c->to.n_options) { /* the values it will have: all a resource-only change alters */
        fmt_option_values(c->to.options, c->to.n_options, " · ", line, sizeof line);
        doc_field(d, "Chosen", EL_RESOURCE, tui_own(d->t, line, own, sizeof own));
    }
    plan_change_applies(c, line, sizeof line);
    doc_field(d, "Applies", EL_NORMAL, line);
    char key[16];
    snprintf(line, sizeof line, "%s withdraws the change.",
             keymap_op_key(OP_CHANGE_PLAN, key, sizeof key));
    doc_text(d, 3, d->body.w - 4, EL_DIM, line);
    d->y++;
}

static void paint_invoices(struct doc *d, struct service_view *v)
{
    const struct currency *cur = app_currency(v->app);
    char total[64], line[300];
    doc_heading(d, "Invoices");
    for (int i = 0; i < INVOICES_SHOWN; i++)
        v->invoice_y[i] = -1;
    if (invoices_count(v) == 0) {
        doc_text(d, 3, d->body.w - 4, EL_DIM, "None yet.");
        d->y++;
        return;
    }
    for (int i = 0; i < invoices_count(v); i++) {
        const struct invoice_summary *s = &v->sv->invoices[i];
        bool sel = i == v->selected;
        const char *status = frame_invoice_status(s->status);
        money_format(&s->total, cur, total, sizeof total);
        snprintf(line, sizeof line, "%s  %-8s due %s", s->number, invoice_kind_label(s->kind),
                 s->due_date);
        v->invoice_line[i] = d->y;
        v->invoice_y[i] = doc_row(d, d->y);
        if (sel)
            doc_fill(d, 1, d->body.w - 2, EL_SELECTED);
        int right = tui_text_width(status) + 14;
        doc_text(d, 1, 2, sel ? EL_SELECTED : EL_NORMAL, sel ? tui_glyph(d->t, GLYPH_MARKER) : " ");
        doc_text(d, 3, d->body.w - right - 4, sel ? EL_SELECTED : EL_NORMAL, line);
        doc_right(d, d->body.w - right - 1, 12, sel ? EL_SELECTED : EL_PRICE, total);
        doc_right(d, 1, d->body.w - 2, sel ? EL_SELECTED : fmt_invoice_elem(s->status), status);
        d->y++;
    }
}

static void paint_document(struct doc *d, void *ud)
{
    struct service_view *v = ud;
    paint_summary(d, v);
    paint_server(d, v->sv);
    paint_cancellation(d, v->sv);
    paint_change(d, v);
    paint_invoices(d, v);
}

static void service_paint(struct screen *s, struct tui_rect body)
{
    struct service_view *v = s->priv;
    if (frame_gate(v->app, body))
        return;
    if (frame_stale(v->app, v->gen) && !v->req && !v->reload_timer) /* paid, renewed … */
        v->reload_timer = app_after(v->app, 0, reload_now, v);
    if (v->err.status != CLIENT_OK && !v->req)
        frame_error(v->app, body, &v->err);
    else if (!v->sv)
        frame_loading(v->app, body, "Loading the service…");
    else
        doc_view_paint(&v->view, s->tui, body, paint_document, v);
}

/* ---- cancellation ---- */

static void on_cancelled(void *ud, struct service *sv, const struct client_error *err)
{
    struct service_view *v = ud;
    char msg[400];
    v->action_req = 0;
    if (!sv) {
        fmt_error(err, msg, sizeof msg);
        tui_status(v->app->tui, "Not changed: %s", msg);
        service_reload(v->self); /* show what the server holds */
        return;
    }
    show(v, sv);
    v->gen = ++v->app->account_gen; /* the lists below load again; this one is current */
    if (service_cancellation_pending(sv))
        tui_status(v->app->tui, "Cancellation requested: %s ends on %s.", sv->product.name,
                   sv->next_due_date);
    else if (sv->has_cancellation)
        tui_status(v->app->tui, "%s is cancelled.", sv->product.name);
    else
        tui_status(v->app->tui, "Cancellation withdrawn: %s renews as usual.", sv->product.name);
}

static void withdraw_confirmed(void *ud)
{
    struct service_view *v = ud;
    if (v->action_req)
        return;
    v->action_req = client_withdraw_cancellation(v->app->client, v->id, on_cancelled, v);
    tui_status(v->app->tui, "Withdrawing the cancellation…");
}

static void send_cancellation(void *ud)
{
    struct service_view *v = ud;
    if (v->action_req)
        return;
    v->action_req = client_request_cancellation(v->app->client, v->id, v->cancel_type,
                                                v->reason[0] ? v->reason : NULL, on_cancelled, v);
    tui_status(v->app->tui, "Requesting the cancellation…");
}

static void on_reason(struct screen *s, const char *text, void *ud)
{
    struct service_view *v = s->priv;
    char msg[600];
    if (!text || !v->sv) {
        tui_status(v->app->tui, "Nothing was changed.");
        return;
    }
    snprintf(v->reason, sizeof v->reason, "%s", text);
    if (v->cancel_type == CANCEL_END_OF_PERIOD && v->sv->next_due_date[0])
        snprintf(msg, sizeof msg,
                 "Cancel %s at the end of the period? It keeps running until "
                 "%s and no further invoice is issued.",
                 v->sv->product.name, v->sv->next_due_date);
    else if (v->cancel_type == CANCEL_END_OF_PERIOD)
        snprintf(msg, sizeof msg, "Cancel %s? It has no further period, so it ends now.",
                 v->sv->product.name);
    else
        snprintf(msg, sizeof msg,
                 "Cancel %s immediately? Its server is removed now and its "
                 "unpaid invoices are cancelled; nothing paid is refunded.",
                 v->sv->product.name);
    struct confirm_args ca = {
        .title = "Services › Cancel", .message = msg, .yes = send_cancellation, .ud = v};
    tui_push(v->app->tui, &confirm_screen, &ca);
}

static void on_type(void *ud, int index)
{
    struct service_view *v = ud;
    v->cancel_type = index == 1 ? CANCEL_IMMEDIATE : CANCEL_END_OF_PERIOD;
    tui_prompt(v->app->tui, "Reason (optional, Enter skips):", "", on_reason, NULL);
}

static void ask_cancel(struct service_view *v)
{
    const struct service *sv = v->sv;
    char end[160], msg[300];
    if (!sv || v->action_req)
        return;
    if (service_cancellation_pending(sv)) {
        snprintf(msg, sizeof msg, "Withdraw the cancellation of %s? It then renews as usual.",
                 sv->product.name);
        struct confirm_args ca = {
            .title = "Services › Withdraw", .message = msg, .yes = withdraw_confirmed, .ud = v};
        tui_push(v->app->tui, &confirm_screen, &ca);
        return;
    }
    if (sv->status != SERVICE_PENDING && sv->status != SERVICE_ACTIVE &&
        sv->status != SERVICE_SUSPENDED) {
        tui_status(v->app->tui, "%s has ended; there is nothing to cancel.", sv->product.name);
        return;
    }
    if (sv->next_due_date[0])
        snprintf(end, sizeof end, "At the end of the period (%s)", sv->next_due_date);
    else
        snprintf(end, sizeof end, "At the end of the period");
    const char *labels[] = {end, "Immediately: the server is removed now"};
    snprintf(msg, sizeof msg, "When should %s end?", sv->product.name);
    struct choice_args ca = {.title = "Services › Cancel",
                             .message = msg,
                             .labels = labels,
                             .n = 2,
                             .chosen = on_type,
                             .ud = v};
    tui_push(v->app->tui, &choice_screen, &ca);
}

/* ---- renewing early ---- */

static void on_renewed(void *ud, struct invoice *inv, const struct client_error *err)
{
    struct service_view *v = ud;
    char msg[400];
    v->action_req = 0;
    if (inv) {
        struct screen_target t = {.id = inv->summary.id, .kind = PAY_INVOICE};
        explicit_bzero(v->key, sizeof v->key);
        tui_status(v->app->tui, "Invoice %s issued for the next period.", inv->summary.number);
        invoice_free(&inv);
        tui_push(v->app->tui, &pay_screen, &t);
        service_reload(v->self);
        return;
    }
    const char *existing = client_error_detail(err, "invoice_id");
    if (strcmp(err->code, "renewal_exists") == 0 && existing) {
        struct screen_target t = {.id = strtoll(existing, NULL, 10)};
        explicit_bzero(v->key, sizeof v->key);
        tui_push(v->app->tui, &invoice_screen, &t);
        tui_status(v->app->tui, "The invoice for the next period exists already: here it is.");
        return;
    }
    if (err->status != CLIENT_ERR_TRANSPORT && err->status != CLIENT_ERR_TIMEOUT)
        explicit_bzero(v->key, sizeof v->key); /* only a lost answer is retried as the same */
    fmt_error(err, msg, sizeof msg);
    tui_status(v->app->tui, "Not renewed: %s", msg);
}

static void renew_confirmed(void *ud)
{
    struct service_view *v = ud;
    if (v->action_req)
        return;
    if (!v->key[0] && client_idempotency_key_new(v->key) != 0) {
        tui_status(v->app->tui, "No random source: not sent.");
        return;
    }
    v->action_req = client_renew_service(v->app->client, v->id, v->key, on_renewed, v);
    tui_status(v->app->tui, "Issuing the invoice…");
}

static void ask_renew(struct service_view *v)
{
    const struct service *sv = v->sv;
    char msg[300];
    if (!sv || v->action_req)
        return;
    if (sv->cycle == CYCLE_ONE_TIME || !sv->next_due_date[0]) {
        tui_status(v->app->tui, "%s has no next period to renew.", sv->product.name);
        return;
    }
    if (service_cancellation_pending(sv)) {
        tui_status(v->app->tui, "%s is cancelled at the end of the period; X withdraws that first.",
                   sv->product.name);
        return;
    }
    if (sv->status != SERVICE_ACTIVE && sv->status != SERVICE_SUSPENDED) {
        tui_status(v->app->tui, "Only an active or suspended service can be renewed.");
        return;
    }
    snprintf(msg, sizeof msg,
             "Issue the invoice for the period from %s now? You can pay it "
             "right away.",
             sv->next_due_date);
    struct confirm_args ca = {
        .title = "Services › Renew", .message = msg, .yes = renew_confirmed, .ud = v};
    tui_push(v->app->tui, &confirm_screen, &ca);
}

/* ---- changing the plan ---- */

static void on_withdrawn(void *ud, struct plan_change *c, const struct client_error *err)
{
    struct service_view *v = ud;
    char msg[400];
    v->action_req = 0;
    if (!c) {
        fmt_error(err, msg, sizeof msg);
        tui_status(v->app->tui, "Not withdrawn: %s", msg);
    } else {
        tui_status(v->app->tui, "%s", PLAN_WITHDRAWN);
        plan_change_free(&c);
        v->app->account_gen++; /* its invoice is cancelled: the lists load again */
    }
    service_reload(v->self);
}

static void withdraw_change_confirmed(void *ud)
{
    struct service_view *v = ud;
    if (v->action_req || !v->change)
        return;
    v->action_req =
        client_withdraw_plan_change(v->app->client, v->id, v->change->id, on_withdrawn, v);
    tui_status(v->app->tui, "Withdrawing the plan change…");
}

static void ask_change_plan(struct service_view *v)
{
    const struct service *sv = v->sv;
    char msg[300];
    if (!sv || v->action_req)
        return;
    if (v->change) {
        plan_change_withdraw_question(v->change, msg, sizeof msg);
        struct confirm_args ca = {.title = "Services › Withdraw change",
                                  .message = msg,
                                  .yes = withdraw_change_confirmed,
                                  .ud = v};
        tui_push(v->app->tui, &confirm_screen, &ca);
        return;
    }
    if (!plan_service_changeable(sv)) {
        tui_status(v->app->tui, "%s", PLAN_NOT_CHANGEABLE);
        return;
    }
    struct screen_target t = {.id = sv->id};
    tui_push(v->app->tui, &plan_screen, &t);
}

/* ---- keys ---- */

static void open_invoice(struct service_view *v)
{
    if (v->selected < 0 || v->selected >= invoices_count(v))
        return;
    struct screen_target t = {.id = v->sv->invoices[v->selected].id};
    tui_push(v->app->tui, &invoice_screen, &t);
}

static void select_invoice(struct service_view *v, int i)
{
    if (i < 0 || i >= invoices_count(v))
        return;
    v->selected = i;
    doc_view_show(&v->view, v->invoice_line[i], v->invoice_line[i]);
}

static enum tui_action service_handle(struct screen *s, const struct tui_event *ev)
{
    struct service_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        for (int i = 0; ev->mouse == TUI_MOUSE_CLICK && i < invoices_count(v); i++) {
            if (v->invoice_y[i] != ev->y)
                continue;
            if (i == v->selected)
                open_invoice(v);
            v->selected = i;
            return TUI_HANDLED;
        }
        doc_view_handle(&v->view, ev);
        return TUI_HANDLED;
    }
    if (app_handle_nav(v->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_RETRY:
        service_reload(s);
        return TUI_HANDLED;
    case OP_ENTER:
        open_invoice(v);
        return TUI_HANDLED;
    case OP_CANCEL_SERVICE:
        ask_cancel(v);
        return TUI_HANDLED;
    case OP_RENEW:
        ask_renew(v);
        return TUI_HANDLED;
    case OP_CHANGE_PLAN:
        ask_change_plan(v);
        return TUI_HANDLED;
    case OP_UP:
    case OP_DOWN:
        if (invoices_count(v) > 0) {
            int to = v->selected + (ev->op == OP_UP ? -1 : 1);
            if (to >= 0 && to < invoices_count(v)) {
                select_invoice(v, to);
                return TUI_HANDLED;
            }
        }
        break;
    case OP_BACK:
        return TUI_CLOSE;
    default:
        break;
    }
    return doc_view_handle(&v->view, ev) ? TUI_HANDLED : TUI_IGNORED;
}

static const char *service_title(struct screen *s, char *buf, size_t n)
{
    struct service_view *v = s->priv;
    tui_format(s->tui, buf, n, "Services › %s",
               v->sv ? v->sv->product.name : tui_glyph(s->tui, GLYPH_ELLIPSIS));
    return buf;
}

const struct screen_ops service_screen = {
    .name = "service",
    .priv_size = sizeof(struct service_view),
    .open = service_open,
    .close = service_close,
    .paint = service_paint,
    .handle = service_handle,
    .reload = service_reload,
    .title = service_title,
    .keys = service_keys,
};
