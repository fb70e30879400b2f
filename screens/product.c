/* product.c: the Product screen: choose a cycle, the resources and a quantity, see the server's
 * price for it, and add it to the cart (or save a cart line being edited); then the details:
 * description, resources, every cycle's price, stock and ranges. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/doc.h"
#include "screens/format.h"
#include "screens/kiosk.h"
#include "screens/screens.h"

#define QUOTE_DEBOUNCE_MS 250
#define QUANTITY_MAX      10
#define LABEL_X           3
#define VALUE_X           18
#define ROWS_MAX          32

struct product_view {
    struct app *app;
    struct screen *self;
    char *id;
    struct product *p;
    uint64_t req;
    struct client_error err;
    struct doc_view view;

    /* the configuration: rows are the cycle, each option, the quantity */
    int cycle;       /* index into p->cycles */
    int64_t *values; /* one per option */
    int quantity;
    int row;                /* focused row */
    int row_line[ROWS_MAX]; /* document line of each row, from the last paint */
    int row_y[ROWS_MAX];    /* screen row of each row, -1 when off screen */
    int more_x[ROWS_MAX];   /* column of each row's "›" ("‹" is at VALUE_X) */
    int less_x;

    struct quote *quote;
    uint64_t quote_req, quote_timer;
    struct client_error quote_err;
    bool quote_stale; /* the configuration changed since the quote shown */

    uint64_t add_req;
    bool edit; /* changing a cart line */
    struct priced_line edit_line;
    char etag[CLIENT_ETAG_MAX];
    void (*cart_changed)(void *ud, struct cart *c); /* the cart screen below */
    void *cart_ud;
};

static const enum tui_op product_keys[] = {
    OP_UP,   OP_DOWN,      OP_LESS,    OP_MORE, OP_ADD_TO_CART, OP_CART, OP_RETRY, OP_BACK,
    OP_HELP, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME, OP_END,         OP_QUIT, OP_NONE,
};
static const enum tui_op edit_keys[] = {
    OP_UP,   OP_DOWN,      OP_LESS,    OP_MORE, OP_SAVE, OP_RETRY, OP_BACK,
    OP_HELP, OP_PAGE_DOWN, OP_PAGE_UP, OP_HOME, OP_END,  OP_QUIT,  OP_NONE,
};

static int rows_count(const struct product_view *v)
{
    if (!v->p)
        return 0;
    return v->p->n_options + 2 <= ROWS_MAX ? (int)v->p->n_options + 2 : ROWS_MAX;
}

static bool sold_out(const struct product_view *v)
{
    if (product_sold_out(v->p))
        return true;
    return v->quote && !v->quote_stale && v->quote->n_items > 0 && !v->quote->items[0].available;
}

/* ---- the quote ---- */

static void on_quote(void *ud, struct quote *q, const struct client_error *err)
{
    struct product_view *v = ud;
    v->quote_req = 0;
    if (!q) {
        v->quote_err = *err;
        return;
    }
    quote_free(&v->quote);
    v->quote = q;
    v->quote_stale = false;
}

static void line_of(const struct product_view *v, struct line_request *line,
                    struct option_choice *opts)
{
    for (size_t i = 0; i < v->p->n_options && i < 30; i++)
        opts[i] = (struct option_choice){v->p->options[i].resource, v->values[i]};
    *line = (struct line_request){
        .product_id = v->p->id,
        .cycle = v->p->cycles[v->cycle].cycle,
        .options = opts,
        .n_options = v->p->n_options < 30 ? v->p->n_options : 30,
        .quantity = v->quantity,
    };
}

static void quote_now(void *ud)
{
    struct product_view *v = ud;
    struct line_request line;
    struct option_choice opts[30];
    v->quote_timer = 0;
    if (!v->p || v->p->n_cycles == 0)
        return;
    line_of(v, &line, opts);
    struct quote_request q = {.items = &line, .n_items = 1};
    client_cancel(v->app->client, v->quote_req);
    client_error_clear(&v->quote_err);
    v->quote_req = client_quote(v->app->client, &q, on_quote, v);
    if (!v->quote_req)
        client_error_set(&v->quote_err, CLIENT_ERR_USAGE, "this configuration cannot be priced");
}

/* Keys may repeat: price the configuration once they pause. */
static void quote_soon(struct product_view *v)
{
    v->quote_stale = true;
    app_cancel_timer(v->app, v->quote_timer);
    v->quote_timer = app_after(v->app, QUOTE_DEBOUNCE_MS, quote_now, v);
}

/* ---- the configuration ---- */

static int64_t option_value_of(const struct priced_line *l, const struct product_option *o)
{
    for (size_t i = 0; l && i < l->n_options; i++)
        if (strcmp(l->options[i].resource, o->resource) == 0)
            return l->options[i].value;
    return o->def;
}

static void config_init(struct product_view *v)
{
    const struct product *p = v->p;
    const struct priced_line *l = v->edit ? &v->edit_line : NULL;
    free(v->values);
    v->values = calloc(p->n_options ? p->n_options : 1, sizeof *v->values);
    v->cycle = 0;
    for (size_t i = 0; i < p->n_cycles; i++)
        if (p->cycles[i].cycle == (l ? l->cycle : p->from_cycle))
            v->cycle = (int)i;
    for (size_t i = 0; v->values && i < p->n_options; i++)
        v->values[i] = option_value_of(l, &p->options[i]);
    v->quantity = l && l->quantity > 0 ? l->quantity : 1;
    if (v->row >= rows_count(v))
        v->row = 0;
}

/* Steps the focused row by -1 or +1 within its bounds; false at a bound. */
static bool config_step(struct product_view *v, int dir)
{
    const struct product *p = v->p;
    if (!p || !v->values)
        return false;
    if (v->row == 0) {
        int c = v->cycle + dir;
        if (c < 0 || c >= (int)p->n_cycles)
            return false;
        v->cycle = c;
    } else if (v->row <= (int)p->n_options) {
        const struct product_option *o = &p->options[v->row - 1];
        int64_t step = o->step > 0 ? o->step : 1;
        int64_t nv = v->values[v->row - 1] + dir * step;
        if (nv < o->min || nv > o->max)
            return false;
        v->values[v->row - 1] = nv;
    } else {
        int q = v->quantity + dir;
        if (q < 1 || q > QUANTITY_MAX)
            return false;
        v->quantity = q;
    }
    quote_soon(v);
    return true;
}

/* ---- painting ---- */

static void row_value(const struct product_view *v, int row, char *buf, size_t n, char *hint,
                      size_t hn, const char **label)
{
    const struct product *p = v->p;
    const struct currency *cur = app_currency(v->app);
    char lo[32], hi[32];
    hint[0] = '\0';
    if (row == 0) {
        const struct product_cycle *c = &p->cycles[v->cycle];
        *label = "Billing cycle";
        snprintf(buf, n, "%s", billing_cycle_label(c->cycle));
        fmt_price_cycle(&c->price, c->cycle, cur, hint, hn);
        if (p->pricing_model != PRICING_FIXED) {
            size_t len = strlen(hint);
            snprintf(hint + len, hn - len, " base");
        }
    } else if (row <= (int)p->n_options) {
        const struct product_option *o = &p->options[row - 1];
        *label = o->label;
        fmt_option_value(o, v->values[row - 1], buf, n);
        fmt_option_value(o, o->min, lo, sizeof lo);
        fmt_option_value(o, o->max, hi, sizeof hi);
        tui_format(v->app->tui, hint, hn, "%s – %s", lo, hi);
    } else {
        *label = "Quantity";
        snprintf(buf, n, "%d", v->quantity);
        tui_format(v->app->tui, hint, hn, "1 – %d", QUANTITY_MAX);
    }
}

static void paint_row(struct doc *d, struct product_view *v, int row)
{
    char value[64], hint[96], text[96];
    const char *label;
    bool focus = row == v->row;
    row_value(v, row, value, sizeof value, hint, sizeof hint, &label);
    v->row_line[row] = d->y;
    v->row_y[row] = doc_row(d, d->y);
    if (focus)
        doc_fill(d, 1, d->body.w - 2, EL_SELECTED);
    enum theme_elem el = focus ? EL_SELECTED : EL_NORMAL;
    doc_text(d, 1, 2, el, focus ? tui_glyph(d->t, GLYPH_MARKER) : " ");
    doc_text(d, LABEL_X, VALUE_X - LABEL_X - 1, focus ? EL_SELECTED : EL_LABEL, label);
    tui_format(d->t, text, sizeof text, "‹ %s ›", value);
    int vw = tui_text_width(text);
    doc_text(d, VALUE_X, d->body.w - VALUE_X - 1, el, text);
    v->less_x = d->body.x + VALUE_X;
    v->more_x[row] = d->body.x + VALUE_X + vw - 1;
    int hx = VALUE_X + vw + 2;
    if (d->body.w - hx - 1 > 8)
        doc_right(d, hx, d->body.w - hx - 2, focus ? EL_SELECTED : EL_DIM, hint);
    d->y++;
}

static void paint_price(struct doc *d, struct product_view *v)
{
    const struct currency *cur = app_currency(v->app);
    char a[64], b[64], line[480], msg[400];
    int w = d->body.w - VALUE_X - 1;
    d->y++;
    if (sold_out(v)) {
        doc_text(d, LABEL_X, d->body.w - 4, EL_STOCK_SOLDOUT,
                 " Sold out: this product cannot be ordered right now. ");
        d->y++;
        return;
    }
    if (v->quote_err.status != CLIENT_OK && !v->quote_req && !v->quote_timer) {
        fmt_error(&v->quote_err, msg, sizeof msg);
        snprintf(line, sizeof line, "No price for this configuration: %s (r retries)", msg);
        doc_wrap(d, LABEL_X, d->body.w - 4, EL_ERROR, line);
        return;
    }
    const struct priced_line *l = v->quote && v->quote->n_items ? &v->quote->items[0] : NULL;
    bool fresh = l && !v->quote_stale;
    doc_text(d, LABEL_X, 14, EL_LABEL, "Price");
    if (!fresh) {
        int row = doc_row(d, d->y);
        if (row >= 0)
            tui_spinner(d->t, row, d->body.x + VALUE_X, w, "Pricing…");
    } else {
        if (l->cycle == CYCLE_ONE_TIME)
            money_format(&l->line_total, cur, a, sizeof a);
        else
            fmt_price_cycle(&l->recurring, l->cycle, cur, a, sizeof a);
        doc_text(d, VALUE_X, w, EL_PRICE, a);
    }
    d->y++;
    doc_text(d, LABEL_X, 14, EL_LABEL, "Setup fee");
    if (fresh) {
        money_format(&l->setup_fee, cur, a, sizeof a);
        if (!l->setup_fee.amount)
            snprintf(line, sizeof line, "none");
        else
            snprintf(line, sizeof line, "%s%s", a, l->quantity > 1 ? " each" : "");
        doc_text(d, VALUE_X, w, l->setup_fee.amount ? EL_NORMAL : EL_DIM, line);
    }
    d->y++;
    doc_text(d, LABEL_X, 14, EL_LABEL, "Due today");
    if (fresh) {
        const struct totals *t = &v->quote->totals;
        money_format(&t->total, cur, a, sizeof a);
        if (t->n_tax_lines > 0 && t->tax_total.amount) {
            money_format(&t->tax_total, cur, b, sizeof b);
            snprintf(line, sizeof line, "%s incl. %s %s", a, t->tax_lines[0].name, b);
        } else {
            snprintf(line, sizeof line, "%s", a);
        }
        doc_text(d, VALUE_X, w, EL_PRICE, line);
    }
    d->y++;
}

static void paint_config(struct doc *d, struct product_view *v)
{
    for (int i = 0; i < (int)(sizeof v->row_y / sizeof v->row_y[0]); i++)
        v->row_y[i] = -1;
    doc_heading(d, v->edit ? "Change this cart line" : "Your order");
    for (int r = 0; r < rows_count(v); r++)
        paint_row(d, v, r);
    paint_price(d, v);
}

static void paint_resources(struct doc *d, const struct product *p)
{
    char val[64];
    const struct resources *r = &p->resources;
    struct {
        const char *label;
        int64_t value;
        int kind; /* 0 size, 1 cpu, 2 count */
    } rows[] = {
        {"Memory", r->memory_mb, 0},    {"Disk", r->disk_mb, 0},    {"CPU", r->cpu_percent, 1},
        {"Databases", r->databases, 2}, {"Backups", r->backups, 2}, {"Ports", r->allocations, 2},
    };
    doc_heading(d, p->pricing_model == PRICING_FIXED ? "Resources" : "Resources (default)");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (rows[i].kind == 0)
            fmt_size_mb(rows[i].value, val, sizeof val);
        else if (rows[i].kind == 1)
            fmt_cpu(rows[i].value, val, sizeof val);
        else
            snprintf(val, sizeof val, "%" PRId64, rows[i].value);
        doc_field(d, rows[i].label, EL_RESOURCE, val);
    }
}

static void paint_cycles(struct doc *d, const struct product *p, const struct currency *cur)
{
    char price[64], setup[64];
    int w = d->body.w - 4;
    int col = w >= 48 ? 16 : 12;
    doc_heading(d, p->pricing_model == PRICING_FIXED ? "Billing cycles" : "Billing cycles (base)");
    doc_text(d, 3, col, EL_TABLE_HEADER, "Cycle");
    doc_right(d, 3 + col, col, EL_TABLE_HEADER, "Price");
    doc_right(d, 3 + 2 * col, col, EL_TABLE_HEADER, "Setup fee");
    d->y++;
    for (size_t i = 0; i < p->n_cycles; i++) {
        const struct product_cycle *cy = &p->cycles[i];
        money_format(&cy->price, cur, price, sizeof price);
        if (cy->setup_fee.amount)
            money_format(&cy->setup_fee, cur, setup, sizeof setup);
        else
            snprintf(setup, sizeof setup, "none");
        doc_text(d, 3, col, EL_NORMAL, billing_cycle_label(cy->cycle));
        doc_right(d, 3 + col, col, EL_PRICE, price);
        doc_right(d, 3 + 2 * col, col, cy->setup_fee.amount ? EL_NORMAL : EL_DIM, setup);
        d->y++;
    }
}

static void paint_options(struct doc *d, const struct product *p, const struct currency *cur)
{
    char lo[32], hi[32], step[32], unit[64], line[160];
    if (p->n_options == 0)
        return;
    doc_heading(d, "Configurable resources");
    for (size_t i = 0; i < p->n_options; i++) {
        const struct product_option *o = &p->options[i];
        fmt_option_value(o, o->min, lo, sizeof lo);
        fmt_option_value(o, o->max, hi, sizeof hi);
        fmt_option_value(o, o->step, step, sizeof step);
        money_format(&o->unit_price, cur, unit, sizeof unit);
        tui_format(d->t, line, sizeof line, "%s – %s, step %s", lo, hi, step);
        doc_field(d, o->label, EL_RESOURCE, line);
        snprintf(line, sizeof line, "%s per %s per month", unit, o->unit);
        doc_text(d, 18, d->body.w - 19, EL_PRICE, line);
        d->y++;
    }
}

static void paint_document(struct doc *d, void *ud)
{
    struct product_view *v = ud;
    const struct product *p = v->p;
    const struct currency *cur = app_currency(v->app);
    char buf[160], price[96], stock[48];
    enum theme_elem stock_el;
    int w = d->body.w;

    fmt_price_cycle(&p->from_price, p->from_cycle, cur, price, sizeof price);
    snprintf(buf, sizeof buf, "from %s", price);
    int pw = tui_text_width(buf);
    doc_text(d, 1, w - pw - 4, EL_PRODUCT_NAME, p->name);
    doc_right(d, 1, w - 2, EL_PRICE, buf);
    d->y++;
    fmt_stock(&p->stock, stock, sizeof stock, &stock_el);
    snprintf(buf, sizeof buf, "%s pricing",
             p->pricing_model == PRICING_FIXED           ? "Fixed"
             : p->pricing_model == PRICING_CONFIGURABLE  ? "Configurable"
             : p->pricing_model == PRICING_PER_GB_MEMORY ? "Per-GB memory"
                                                         : "Per-GB disk");
    doc_text(d, 1, w - 20, EL_DIM, buf);
    doc_right(d, 1, w - 2, stock_el, stock);
    d->y++;
    if (p->n_cycles > 0)
        paint_config(d, v);
    d->y++;
    doc_wrap(d, 1, w - 2, EL_NORMAL, p->description);
    paint_resources(d, p);
    paint_cycles(d, p, cur);
    paint_options(d, p, cur);
}

/* ---- loading ---- */

static void on_product(void *ud, struct product *p, const struct client_error *err)
{
    struct product_view *v = ud;
    v->req = 0;
    if (!p) {
        v->err = *err;
        return;
    }
    product_free(&v->p);
    v->p = p;
    config_init(v);
    if (v->values && p->n_cycles > 0)
        quote_now(v);
}

static void product_reload(struct screen *s)
{
    struct product_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_error_clear(&v->err);
    v->req = client_get_product(v->app->client, v->id, on_product, v);
    if (!v->req)
        client_error_set(&v->err, CLIENT_ERR_USAGE, "no such product");
}

static int open_common(struct screen *s, const char *id)
{
    struct product_view *v = s->priv;
    v->app = s->app;
    v->self = s;
    v->id = strdup(id ? id : "");
    if (!v->id)
        return -1;
    product_reload(s);
    return 0;
}

static int product_open(struct screen *s, void *arg)
{
    return open_common(s, arg);
}

/* Deep copy of what the edit needs from the cart line (the cart may be freed meanwhile). */
static int copy_line(struct priced_line *dst, const struct priced_line *src)
{
    memset(dst, 0, sizeof *dst);
    dst->id = src->id;
    dst->cycle = src->cycle;
    dst->quantity = src->quantity;
    dst->product.name = strdup(src->product.name ? src->product.name : "");
    dst->options = calloc(src->n_options ? src->n_options : 1, sizeof *dst->options);
    if (!dst->options || !dst->product.name)
        return -1;
    for (size_t i = 0; i < src->n_options; i++) {
        dst->options[i].resource = strdup(src->options[i].resource);
        dst->options[i].value = src->options[i].value;
        if (!dst->options[i].resource)
            return -1;
        dst->n_options = i + 1;
    }
    return 0;
}

static void free_line(struct priced_line *l)
{
    for (size_t i = 0; i < l->n_options; i++)
        free(l->options[i].resource);
    free(l->options);
    free(l->product.name);
    memset(l, 0, sizeof *l);
}

static int product_edit_open(struct screen *s, void *arg)
{
    struct product_view *v = s->priv;
    const struct product_args *a = arg;
    if (!a || !a->edit)
        return -1;
    v->edit = true;
    v->cart_changed = a->cart_changed;
    v->cart_ud = a->ud;
    snprintf(v->etag, sizeof v->etag, "%s", a->etag ? a->etag : "");
    if (copy_line(&v->edit_line, a->edit) != 0) {
        free_line(&v->edit_line);
        return -1;
    }
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, a->edit->product.id);
    if (open_common(s, a->id_or_slug ? a->id_or_slug : id) != 0) {
        free_line(&v->edit_line);
        return -1;
    }
    return 0;
}

static void product_close(struct screen *s)
{
    struct product_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_cancel(v->app->client, v->quote_req);
    client_cancel(v->app->client, v->add_req);
    app_cancel_timer(v->app, v->quote_timer);
    product_free(&v->p);
    quote_free(&v->quote);
    free(v->values);
    free(v->id);
    free_line(&v->edit_line);
}

static void product_paint(struct screen *s, struct tui_rect body)
{
    struct product_view *v = s->priv;
    char msg[512];
    app_badge_fit(v->app, body.w);
    v->view.page_h = body.h;
    if (v->err.status != CLIENT_OK) {
        fmt_error(&v->err, msg, sizeof msg);
        tui_error_banner(s->tui, body, msg);
    } else if (!v->p) {
        tui_spinner(s->tui, body.y + 1, body.x + 2, body.w - 2, "Loading product…");
    } else {
        doc_view_paint(&v->view, s->tui, body, paint_document, v);
    }
}

/* ---- adding and saving ---- */

static void on_added(void *ud, struct cart *c, const struct client_error *err)
{
    struct product_view *v = ud;
    char msg[400];
    v->add_req = 0;
    if (!c) {
        if (strcmp(err->code, "out_of_stock") == 0) {
            tui_status(v->app->tui, "Sold out: %s cannot be ordered right now.", v->p->name);
        } else {
            fmt_error(err, msg, sizeof msg);
            tui_status(v->app->tui, "Not added: %s", msg);
        }
        return;
    }
    app_cart_changed(v->app, c);
    if (v->quantity > 1)
        tui_status(v->app->tui, "Added %d × %s (%s) to the cart. c opens the cart.", v->quantity,
                   v->p->name, billing_cycle_label(v->p->cycles[v->cycle].cycle));
    else
        tui_status(v->app->tui, "Added %s (%s) to the cart. c opens the cart.", v->p->name,
                   billing_cycle_label(v->p->cycles[v->cycle].cycle));
    cart_free(&c);
}

static void add_to_cart(void *ud)
{
    struct product_view *v = ud;
    struct line_request line;
    struct option_choice opts[30];
    if (!v->p || v->add_req || v->p->n_cycles == 0)
        return;
    line_of(v, &line, opts);
    v->add_req = client_cart_add(v->app->client, &line, NULL, on_added, v);
    tui_status(v->app->tui, v->add_req ? "Adding to the cart…" : "This cannot be added.");
}

static void on_saved(void *ud, struct cart *c, const struct client_error *err)
{
    struct product_view *v = ud;
    char msg[400];
    v->add_req = 0;
    if (!c) {
        if (strcmp(err->code, "precondition_failed") == 0) {
            void (*changed)(void *, struct cart *) = v->cart_changed;
            void *cud = v->cart_ud;
            if (tui_top(v->app->tui) == v->self)
                tui_pop(v->app->tui);
            if (changed)
                changed(cud, NULL); /* the cart below loads itself again */
            tui_status(v->app->tui, "Your cart changed in another session; nothing was saved. "
                                    "Here it is as it is now.");
        } else {
            fmt_error(err, msg, sizeof msg);
            tui_status(v->app->tui, "Not saved: %s", msg);
        }
        return;
    }
    app_cart_changed(v->app, c);
    char name[200];
    snprintf(name, sizeof name, "%s", v->p->name);
    void (*changed)(void *, struct cart *) = v->cart_changed;
    void *cud = v->cart_ud;
    if (tui_top(v->app->tui) == v->self)
        tui_pop(v->app->tui);
    if (changed) {
        changed(cud, c); /* the cart screen takes it, and says so */
    } else {
        cart_free(&c);
        tui_status(v->app->tui, "Saved the changes to %s.", name);
    }
}

static void save_line(struct product_view *v)
{
    struct option_choice opts[30];
    struct line_request line;
    if (!v->p || v->add_req)
        return;
    line_of(v, &line, opts);
    struct cart_item_patch patch = {
        .set_cycle = true,
        .cycle = line.cycle,
        .set_options = line.n_options > 0,
        .options = opts,
        .n_options = line.n_options,
        .quantity = v->quantity,
    };
    v->add_req = client_cart_update(v->app->client, v->edit_line.id, &patch, v->etag, on_saved, v);
    tui_status(v->app->tui, v->add_req ? "Saving…" : "This change cannot be saved.");
}

static void request_add(struct product_view *v)
{
    if (!v->p || !v->values)
        return;
    if (sold_out(v)) {
        tui_status(v->app->tui, "Sold out: %s cannot be ordered right now.", v->p->name);
        return;
    }
    if (v->edit) {
        save_line(v);
        return;
    }
    if (!app_signed_in(v->app)) {
        if (app_refuses_signin(v->app))
            return;
        struct signin_args sa = {.done = add_to_cart, .ud = v};
        tui_push(v->app->tui, &signin_screen, &sa);
        return;
    }
    add_to_cart(v);
}

/* ---- keys and the mouse ---- */

static void focus_row(struct product_view *v, int row)
{
    if (row < 0 || row >= rows_count(v))
        return;
    v->row = row;
    doc_view_show(&v->view, v->row_line[row], v->row_line[row]);
}

static enum tui_action handle_mouse(struct product_view *v, const struct tui_event *ev)
{
    if (ev->mouse == TUI_MOUSE_CLICK && v->p) {
        for (int r = 0; r < rows_count(v); r++) {
            if (v->row_y[r] != ev->y)
                continue;
            v->row = r;
            if (ev->x == v->less_x || ev->x == v->less_x + 1)
                config_step(v, -1);
            else if (ev->x >= v->more_x[r] - 1 && ev->x <= v->more_x[r] + 1)
                config_step(v, +1);
            return TUI_HANDLED;
        }
    }
    doc_view_handle(&v->view, ev);
    return TUI_HANDLED;
}

static enum tui_action product_handle(struct screen *s, const struct tui_event *ev)
{
    struct product_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE)
        return handle_mouse(v, ev);
    switch (ev->op) {
    case OP_BACK:
        return TUI_CLOSE; /* closing cancels a request in flight */
    case OP_RETRY:
        if (!v->p)
            product_reload(s);
        else
            quote_now(v);
        return TUI_HANDLED;
    case OP_UP:
    case OP_DOWN:
        if (!v->p || v->p->n_cycles == 0)
            return doc_view_handle(&v->view, ev) ? TUI_HANDLED : TUI_IGNORED;
        focus_row(v, v->row + (ev->op == OP_UP ? -1 : 1));
        return TUI_HANDLED;
    case OP_LESS:
    case OP_MORE:
        if (v->p && !config_step(v, ev->op == OP_LESS ? -1 : 1))
            tui_status(s->tui, "That is the %s.", ev->op == OP_LESS ? "lowest" : "highest");
        return TUI_HANDLED;
    case OP_ADD_TO_CART:
    case OP_SAVE:
        request_add(v);
        return TUI_HANDLED;
    case OP_CART:
        app_handle_nav(v->app, ev->op);
        return TUI_HANDLED;
    default:
        return doc_view_handle(&v->view, ev) ? TUI_HANDLED : TUI_IGNORED;
    }
}

static const char *product_title(struct screen *s, char *buf, size_t n)
{
    struct product_view *v = s->priv;
    const char *name = v->p ? v->p->name : v->edit ? v->edit_line.product.name : "Product";
    char own[32];
    tui_format(s->tui, buf, n, "%s › %s",
               v->edit ? tui_own(s->tui, "Cart › Change", own, sizeof own) : "Store", name);
    return buf;
}

const struct screen_ops product_screen = {
    .name = "product",
    .priv_size = sizeof(struct product_view),
    .open = product_open,
    .close = product_close,
    .paint = product_paint,
    .handle = product_handle,
    .reload = product_reload,
    .title = product_title,
    .keys = product_keys,
};

const struct screen_ops product_edit_screen = {
    .name = "product-edit",
    .priv_size = sizeof(struct product_view),
    .open = product_edit_open,
    .close = product_close,
    .paint = product_paint,
    .handle = product_handle,
    .reload = product_reload,
    .title = product_title,
    .keys = edit_keys,
};
