/* plan.c: changing a service's plan: another product of its category, other resources, another
 * cycle, priced by the server as the choice changes (credit for the unused time, the charge for
 * the rest of the period, tax, credits, due now, the price from the next renewal); then a
 * confirmation of the amount and the usual payment screen for an upgrade's invoice. */
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

#define QUOTE_DEBOUNCE_MS 250
#define LABEL_X           3
#define VALUE_X           22

struct plan_view {
    struct app *app;
    struct screen *self;
    int64_t service_id;
    struct service *sv;
    struct product_page *products; /* the service's category */
    uint64_t req;
    struct client_error err;
    struct doc_view view;

    /* the choice: rows are the product, the cycle, each option */
    struct plan_choice ch;
    int row;

    struct plan_quote *quote;
    uint64_t quote_req, quote_timer, change_req;
    struct client_error quote_err;
    bool quote_stale;
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE]; /* the change's, kept for a retry */
};

static const enum tui_op plan_keys[] = {
    OP_UP,   OP_DOWN,      OP_LESS,    OP_MORE, OP_PAY, OP_RETRY, OP_BACK,
    OP_HELP, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME, OP_END, OP_QUIT,  OP_NONE,
};

static const struct product *chosen(const struct plan_view *v)
{
    return plan_choice_product(&v->ch);
}

static int rows_count(const struct plan_view *v)
{
    return chosen(v) ? 2 + plan_choice_n_options(chosen(v)) : 0;
}

/* ---- the quote ---- */

static void on_quote(void *ud, struct plan_quote *q, const struct client_error *err)
{
    struct plan_view *v = ud;
    v->quote_req = 0;
    if (!q) {
        v->quote_err = *err;
        return;
    }
    plan_quote_free(&v->quote);
    v->quote = q;
    v->quote_stale = false;
}

static void quote_now(void *ud)
{
    struct plan_view *v = ud;
    struct option_choice opts[PLAN_OPTIONS_MAX];
    struct plan_target t;
    v->quote_timer = 0;
    client_cancel(v->app->client, v->quote_req);
    v->quote_req = 0;
    client_error_clear(&v->quote_err);
    plan_quote_free(&v->quote);
    if (!chosen(v) || chosen(v)->n_cycles == 0 || plan_choice_unchanged(&v->ch))
        return;
    plan_choice_target(&v->ch, &t, opts);
    v->quote_req = client_quote_plan_change(v->app->client, v->service_id, &t, true, on_quote, v);
    if (!v->quote_req)
        client_error_set(&v->quote_err, CLIENT_ERR_USAGE, "this plan cannot be priced");
}

static void quote_soon(struct plan_view *v)
{
    v->quote_stale = true;
    explicit_bzero(v->key, sizeof v->key); /* another choice is another change */
    app_cancel_timer(v->app, v->quote_timer);
    v->quote_timer = app_after(v->app, QUOTE_DEBOUNCE_MS, quote_now, v);
}

/* ---- the choice ---- */

/* Steps the focused row by -1 or +1; false at a bound. */
static bool step(struct plan_view *v, int dir)
{
    const struct product *p = chosen(v);
    if (!p)
        return false;
    if (v->row == 0) {
        for (int i = v->ch.prod + dir; i >= 0 && (size_t)i < v->products->n; i += dir)
            if (plan_product_renews(&v->products->items[i])) {
                plan_choice_set_product(&v->ch, i);
                if (v->row >= rows_count(v))
                    v->row = rows_count(v) - 1;
                quote_soon(v);
                return true;
            }
        return false;
    }
    if (v->row == 1) {
        for (int c = v->ch.cycle + dir; c >= 0 && (size_t)c < p->n_cycles; c += dir)
            if (plan_cycle_renews(p, c)) {
                v->ch.cycle = c;
                quote_soon(v);
                return true;
            }
        return false;
    }
    const struct product_option *o = &p->options[v->row - 2];
    int64_t nv = v->ch.values[v->row - 2] + dir * (o->step > 0 ? o->step : 1);
    if (nv < o->min || nv > o->max)
        return false;
    v->ch.values[v->row - 2] = nv;
    quote_soon(v);
    return true;
}

/* ---- painting ---- */

static void paint_row(struct doc *d, struct plan_view *v, int row)
{
    const struct product *p = chosen(v);
    char value[160], text[200];
    const char *label;
    bool focus = row == v->row;
    enum theme_elem el = focus ? EL_SELECTED : EL_NORMAL;
    if (row == 0) {
        label = "Product";
        snprintf(value, sizeof value, "%s", p->name);
    } else if (row == 1) {
        label = "Billing cycle";
        snprintf(value, sizeof value, "%s", billing_cycle_label(p->cycles[v->ch.cycle].cycle));
    } else {
        label = p->options[row - 2].label;
        fmt_option_value(&p->options[row - 2], v->ch.values[row - 2], value, sizeof value);
    }
    if (focus)
        doc_fill(d, 1, d->body.w - 2, EL_SELECTED);
    doc_text(d, 1, 2, el, focus ? tui_glyph(d->t, GLYPH_MARKER) : " ");
    doc_text(d, LABEL_X, VALUE_X - LABEL_X - 1, focus ? EL_SELECTED : EL_LABEL, label);
    tui_format(d->t, text, sizeof text, "‹ %s ›", value);
    doc_text(d, VALUE_X, d->body.w - VALUE_X - 1, el, text);
    d->y++;
}

static void money_row(struct doc *d, const struct currency *cur, const struct plan_amount *a)
{
    char text[64];
    money_format(&a->value, cur, text, sizeof text);
    doc_text(d, LABEL_X, VALUE_X - LABEL_X - 1, EL_LABEL, a->label);
    doc_right(d, VALUE_X, 16, a->price ? EL_PRICE : EL_NORMAL, text);
    d->y++;
}

static void paint_breakdown(struct doc *d, struct plan_view *v)
{
    const struct currency *cur = app_currency(v->app);
    const struct plan_quote *q = v->quote;
    struct plan_amount rows[PLAN_AMOUNTS_MAX];
    char line[400], msg[300], price[96];
    d->y++;
    if (plan_choice_unchanged(&v->ch)) {
        doc_wrap(d, LABEL_X, d->body.w - 4, EL_DIM,
                 "This is the plan the service has. Choose another product, cycle or size.");
        return;
    }
    if (v->quote_err.status != CLIENT_OK && !v->quote_req && !v->quote_timer) {
        fmt_error(&v->quote_err, msg, sizeof msg);
        snprintf(line, sizeof line, "No price for this plan: %s (r retries)", msg);
        doc_wrap(d, LABEL_X, d->body.w - 4, EL_ERROR, line);
        return;
    }
    if (!q || v->quote_stale) {
        int row = doc_row(d, d->y);
        if (row >= 0)
            tui_spinner(d->t, row, d->body.x + LABEL_X, d->body.w - 4, "Pricing the change…");
        d->y++;
        return;
    }
    doc_heading(d, plan_direction_label(q->direction));
    for (size_t i = 0, n = plan_quote_amounts(q, rows); i < n; i++)
        money_row(d, cur, &rows[i]);
    fmt_price_cycle(&q->next_renewal_amount, chosen(v)->cycles[v->ch.cycle].cycle, cur, price,
                    sizeof price);
    snprintf(line, sizeof line, "%s from %s", price, q->next_renewal_date);
    doc_text(d, LABEL_X, VALUE_X - LABEL_X - 1, EL_LABEL, "Then");
    doc_text(d, VALUE_X, d->body.w - VALUE_X - 1, EL_PRICE, line);
    d->y += 2;
    plan_quote_effect(q, cur, msg, sizeof msg);
    snprintf(line, sizeof line, "%s confirms: %s", keymap_op_key(OP_PAY, price, sizeof price), msg);
    doc_wrap(d, LABEL_X, d->body.w - 4, EL_DIM, line);
}

static void paint_document(struct doc *d, void *ud)
{
    struct plan_view *v = ud;
    char line[300];
    snprintf(line, sizeof line, "Now: %s, %s", v->sv->product.name,
             billing_cycle_label(v->sv->cycle));
    doc_text(d, 1, d->body.w - 2, EL_DIM, line);
    d->y += 2;
    doc_heading(d, "New plan");
    for (int r = 0; r < rows_count(v); r++)
        paint_row(d, v, r);
    paint_breakdown(d, v);
}

static void plan_paint(struct screen *s, struct tui_rect body)
{
    struct plan_view *v = s->priv;
    if (frame_gate(v->app, body))
        return;
    if (v->err.status != CLIENT_OK && !v->req)
        frame_error(v->app, body, &v->err);
    else if (!chosen(v))
        frame_loading(v->app, body, "Loading the plans…");
    else
        doc_view_paint(&v->view, s->tui, body, paint_document, v);
}

/* ---- loading ---- */

static void on_products(void *ud, struct product_page *pg, const struct client_error *err)
{
    struct plan_view *v = ud;
    v->req = 0;
    if (!pg) {
        v->err = *err;
        return;
    }
    product_page_free(&v->products);
    v->products = pg;
    if (!plan_choice_start(&v->ch, v->sv, v->products)) {
        v->ch = (struct plan_choice){0};
        product_page_free(&v->products);
        client_error_set(&v->err, CLIENT_ERR_USAGE,
                         "this service's product is no longer in the store; ask support");
        return;
    }
    if (v->row >= rows_count(v))
        v->row = rows_count(v) - 1;
}

static void on_service(void *ud, struct service *sv, const struct client_error *err)
{
    struct plan_view *v = ud;
    struct product_query q = {.per_page = 50};
    v->req = 0;
    if (!sv) {
        v->err = *err;
        return;
    }
    service_free(&v->sv);
    v->sv = sv;
    v->ch.sv = sv; /* the choice reads the service it was made for */
    q.category = sv->product.category_slug;
    v->req = client_get_products(v->app->client, &q, on_products, v);
}

static void plan_reload(struct screen *s)
{
    struct plan_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_error_clear(&v->err);
    v->req = client_get_service(v->app->client, v->service_id, on_service, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "no such service");
}

static int plan_open(struct screen *s, void *arg)
{
    struct plan_view *v = s->priv;
    const struct screen_target *t = arg;
    v->app = s->app;
    v->self = s;
    v->service_id = t ? t->id : 0;
    plan_reload(s);
    return 0;
}

static void plan_close(struct screen *s)
{
    struct plan_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_cancel(v->app->client, v->quote_req);
    client_cancel(v->app->client, v->change_req);
    app_cancel_timer(v->app, v->quote_timer);
    plan_quote_free(&v->quote);
    product_page_free(&v->products);
    service_free(&v->sv);
}

/* ---- the change ---- */

static void on_changed(void *ud, struct plan_change *c, const struct client_error *err)
{
    struct plan_view *v = ud;
    char msg[400];
    v->change_req = 0;
    if (!c) {
        if (err->status != CLIENT_ERR_TRANSPORT && err->status != CLIENT_ERR_TIMEOUT)
            explicit_bzero(v->key, sizeof v->key); /* only a lost answer is retried as the same */
        fmt_error(err, msg, sizeof msg);
        tui_status(v->app->tui, "Not changed: %s", msg);
        if (strcmp(err->code, "price_changed") == 0)
            quote_soon(v);
        return;
    }
    explicit_bzero(v->key, sizeof v->key);
    v->app->account_gen++; /* the service and lists below load again */
    struct screen_target t = {.id = c->invoice_id, .kind = PAY_INVOICE};
    plan_change_outcome(c, msg, sizeof msg);
    tui_status(v->app->tui, "%s", msg);
    plan_change_free(&c);
    tui_pop(v->app->tui); /* this screen; the payment opens over the service */
    if (t.id)
        tui_push(v->app->tui, &pay_screen, &t);
}

static void change_confirmed(void *ud)
{
    struct plan_view *v = ud;
    struct option_choice opts[PLAN_OPTIONS_MAX];
    struct plan_target t;
    if (v->change_req || !v->quote || !chosen(v))
        return;
    if (!v->key[0] && client_idempotency_key_new(v->key) != 0) {
        tui_status(v->app->tui, "No random source: not sent.");
        return;
    }
    plan_choice_target(&v->ch, &t, opts);
    v->change_req = client_change_plan(v->app->client, v->service_id, &t, &v->quote->total, v->key,
                                       on_changed, v);
    tui_status(v->app->tui, v->change_req ? "Changing the plan…" : "This change cannot be sent.");
}

static void ask_change(struct plan_view *v)
{
    char msg[400];
    if (!v->quote || v->quote_stale || v->change_req) {
        tui_status(v->app->tui, "Wait for the price of this plan first.");
        return;
    }
    plan_quote_question(v->quote, app_currency(v->app), msg, sizeof msg);
    struct confirm_args ca = {
        .title = "Services › Change plan", .message = msg, .yes = change_confirmed, .ud = v};
    tui_push(v->app->tui, &confirm_screen, &ca);
}

/* ---- keys ---- */

static enum tui_action plan_handle(struct screen *s, const struct tui_event *ev)
{
    struct plan_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        doc_view_handle(&v->view, ev);
        return TUI_HANDLED;
    }
    switch (ev->op) {
    case OP_BACK:
        return TUI_CLOSE;
    case OP_RETRY:
        if (!chosen(v))
            plan_reload(s);
        else
            quote_now(v);
        return TUI_HANDLED;
    case OP_UP:
    case OP_DOWN: {
        int to = v->row + (ev->op == OP_UP ? -1 : 1);
        if (to >= 0 && to < rows_count(v))
            v->row = to;
        return TUI_HANDLED;
    }
    case OP_LESS:
    case OP_MORE:
        if (chosen(v) && !step(v, ev->op == OP_LESS ? -1 : 1))
            tui_status(s->tui, "That is the %s.", ev->op == OP_LESS ? "first" : "last");
        return TUI_HANDLED;
    case OP_PAY:
        ask_change(v);
        return TUI_HANDLED;
    default:
        return doc_view_handle(&v->view, ev) ? TUI_HANDLED : TUI_IGNORED;
    }
}

static const char *plan_title(struct screen *s, char *buf, size_t n)
{
    struct plan_view *v = s->priv;
    tui_format(s->tui, buf, n, "Services › %s › Change plan",
               v->sv ? v->sv->product.name : tui_glyph(s->tui, GLYPH_ELLIPSIS));
    return buf;
}

const struct screen_ops plan_screen = {
    .name = "plan",
    .priv_size = sizeof(struct plan_view),
    .open = plan_open,
    .close = plan_close,
    .paint = plan_paint,
    .handle = plan_handle,
    .reload = plan_reload,
    .title = plan_title,
    .keys = plan_keys,
};
