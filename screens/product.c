/* product.c: the Product screen: description, resources, every cycle's price, stock, ranges. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/screens.h"

struct product_view {
    struct app *app;
    char *id;
    struct product *p;
    uint64_t req;
    struct client_error err;
    int scroll;     /* first document line shown */
    int doc_height; /* lines the last paint needed */
    int page_h;
};

static const enum tui_op product_keys[] = {
    OP_BACK, OP_UP,    OP_DOWN, OP_PAGE_UP, OP_PAGE_DOWN, OP_HOME,
    OP_END,  OP_RETRY, OP_HELP, OP_QUIT,    OP_NONE,
};

/* Painting walks the document from its first line; `y` is the document line, and only the
 * lines inside the window [scroll, scroll + body.h) reach the screen. */
struct cursor {
    struct tui *t;
    struct tui_rect body;
    int scroll;
    int y;
};

static int row_of(const struct cursor *c, int line)
{
    int row = line - c->scroll;
    return row >= 0 && row < c->body.h ? c->body.y + row : -1;
}

static void put(struct cursor *c, int x, int w, enum theme_elem el, const char *s)
{
    int row = row_of(c, c->y);
    if (row >= 0)
        tui_text(c->t, row, c->body.x + x, w, el, s);
}

static void put_right(struct cursor *c, int x, int w, enum theme_elem el, const char *s)
{
    int row = row_of(c, c->y);
    if (row >= 0)
        tui_text_right(c->t, row, c->body.x + x, w, el, s);
}

static void put_wrapped(struct cursor *c, int x, int w, enum theme_elem el, const char *text)
{
    if (w < 1)
        return;
    int n = tui_wrap_count(text, w);
    int first = c->scroll > c->y ? c->scroll - c->y : 0;
    int row = c->y + first - c->scroll;
    int h = n - first;
    if (h > c->body.h - row)
        h = c->body.h - row;
    if (h > 0 && row >= 0)
        tui_wrap_paint(c->t, (struct tui_rect){c->body.y + row, c->body.x + x, h, w}, first, el,
                       text);
    c->y += n;
}

static void put_heading(struct cursor *c, const char *title)
{
    c->y++;
    put(c, 1, c->body.w - 2, EL_TITLE, title);
    c->y++;
}

static void paint_resources(struct cursor *c, const struct product *p)
{
    char v[64];
    const struct resources *r = &p->resources;
    struct {
        const char *label;
        int64_t value;
        int kind; /* 0 size, 1 cpu, 2 count */
    } rows[] = {
        {"Memory", r->memory_mb, 0},    {"Disk", r->disk_mb, 0},    {"CPU", r->cpu_percent, 1},
        {"Databases", r->databases, 2}, {"Backups", r->backups, 2}, {"Ports", r->allocations, 2},
    };
    put_heading(c, p->pricing_model == PRICING_FIXED ? "Resources" : "Resources (default)");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (rows[i].kind == 0)
            fmt_size_mb(rows[i].value, v, sizeof v);
        else if (rows[i].kind == 1)
            fmt_cpu(rows[i].value, v, sizeof v);
        else
            snprintf(v, sizeof v, "%" PRId64, rows[i].value);
        put(c, 3, 14, EL_LABEL, rows[i].label);
        put(c, 18, c->body.w - 19, EL_RESOURCE, v);
        c->y++;
    }
}

static void paint_cycles(struct cursor *c, const struct product *p, const struct currency *cur)
{
    char price[64], setup[64];
    int w = c->body.w - 4;
    int col = w >= 48 ? 16 : 12;
    put_heading(c, p->pricing_model == PRICING_FIXED ? "Billing cycles" : "Billing cycles (base)");
    put(c, 3, col, EL_TABLE_HEADER, "Cycle");
    put_right(c, 3 + col, col, EL_TABLE_HEADER, "Price");
    put_right(c, 3 + 2 * col, col, EL_TABLE_HEADER, "Setup fee");
    c->y++;
    for (size_t i = 0; i < p->n_cycles; i++) {
        const struct product_cycle *cy = &p->cycles[i];
        money_format(&cy->price, cur, price, sizeof price);
        if (cy->setup_fee.amount)
            money_format(&cy->setup_fee, cur, setup, sizeof setup);
        else
            snprintf(setup, sizeof setup, "none");
        put(c, 3, col, EL_NORMAL, billing_cycle_label(cy->cycle));
        put_right(c, 3 + col, col, EL_PRICE, price);
        put_right(c, 3 + 2 * col, col, cy->setup_fee.amount ? EL_NORMAL : EL_DIM, setup);
        c->y++;
    }
}

static void paint_options(struct cursor *c, const struct product *p, const struct currency *cur)
{
    char lo[32], hi[32], step[32], unit[64], line[160];
    if (p->n_options == 0)
        return;
    put_heading(c, "Configurable resources");
    for (size_t i = 0; i < p->n_options; i++) {
        const struct product_option *o = &p->options[i];
        fmt_option_value(o, o->min, lo, sizeof lo);
        fmt_option_value(o, o->max, hi, sizeof hi);
        fmt_option_value(o, o->step, step, sizeof step);
        money_format(&o->unit_price, cur, unit, sizeof unit);
        put(c, 3, 14, EL_LABEL, o->label);
        snprintf(line, sizeof line, "%s – %s, step %s", lo, hi, step);
        put(c, 18, c->body.w - 19, EL_RESOURCE, line);
        c->y++;
        snprintf(line, sizeof line, "%s per %s per month", unit, o->unit);
        put(c, 18, c->body.w - 19, EL_PRICE, line);
        c->y++;
    }
}

static void paint_product(struct product_view *v, struct tui *t, struct tui_rect body)
{
    const struct product *p = v->p;
    const struct currency *cur = app_currency(v->app);
    struct cursor c = {.t = t, .body = body, .scroll = v->scroll, .y = 0};
    char buf[160], price[96], stock[48];
    enum theme_elem stock_el;

    fmt_price_cycle(&p->from_price, p->from_cycle, cur, price, sizeof price);
    snprintf(buf, sizeof buf, "from %s", price);
    int pw = tui_text_width(buf);
    put(&c, 1, body.w - pw - 4, EL_PRODUCT_NAME, p->name);
    put_right(&c, 1, body.w - 2, EL_PRICE, buf);
    c.y++;
    fmt_stock(&p->stock, stock, sizeof stock, &stock_el);
    snprintf(buf, sizeof buf, "%s pricing",
             p->pricing_model == PRICING_FIXED           ? "Fixed"
             : p->pricing_model == PRICING_CONFIGURABLE  ? "Configurable"
             : p->pricing_model == PRICING_PER_GB_MEMORY ? "Per-GB memory"
                                                         : "Per-GB disk");
    put(&c, 1, body.w - 20, EL_DIM, buf);
    put_right(&c, 1, body.w - 2, stock_el, stock);
    c.y += 2;
    put_wrapped(&c, 1, body.w - 2, EL_NORMAL, p->description);
    paint_resources(&c, p);
    paint_cycles(&c, p, cur);
    paint_options(&c, p, cur);
    v->doc_height = c.y;
}

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
}

static void product_reload(struct screen *s)
{
    struct product_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    client_error_clear(&v->err);
    v->req = client_get_product(v->app->client, v->id, on_product, v);
}

static int product_open(struct screen *s, void *arg)
{
    struct product_view *v = s->priv;
    v->app = s->app;
    v->id = strdup(arg ? (const char *)arg : "");
    if (!v->id)
        return -1;
    product_reload(s);
    return 0;
}

static void product_close(struct screen *s)
{
    struct product_view *v = s->priv;
    client_cancel(v->app->client, v->req);
    product_free(&v->p);
    free(v->id);
}

static void product_paint(struct screen *s, struct tui_rect body)
{
    struct product_view *v = s->priv;
    char msg[512];
    v->page_h = body.h;
    if (v->err.status != CLIENT_OK) {
        fmt_error(&v->err, msg, sizeof msg);
        tui_error_banner(s->tui, body, msg);
    } else if (!v->p) {
        tui_spinner(s->tui, body.y + 1, body.x + 2, body.w - 2, "Loading product…");
    } else {
        /* Measure first (a zero-height window draws nothing), so a long document can give up
         * its last row to the "more" marker. */
        paint_product(v, s->tui, (struct tui_rect){body.y, body.x, 0, body.w});
        if (v->doc_height > body.h) {
            body.h--;
            v->page_h = body.h;
            if (v->scroll > v->doc_height - body.h)
                v->scroll = v->doc_height - body.h;
            if (v->scroll + body.h < v->doc_height)
                tui_text_right(s->tui, body.y + body.h, body.x, body.w - 1, EL_DIM, "▼ more below");
        }
        paint_product(v, s->tui, body);
    }
}

static void scroll_to(struct product_view *v, int line)
{
    int max = v->doc_height - v->page_h;
    if (line > max)
        line = max;
    v->scroll = line < 0 ? 0 : line;
}

static enum tui_action product_handle(struct screen *s, const struct tui_event *ev)
{
    struct product_view *v = s->priv;
    if (ev->kind == TUI_EV_MOUSE) {
        if (ev->mouse == TUI_MOUSE_WHEEL_UP)
            scroll_to(v, v->scroll - 3);
        else if (ev->mouse == TUI_MOUSE_WHEEL_DOWN)
            scroll_to(v, v->scroll + 3);
        return TUI_HANDLED;
    }
    switch (ev->op) {
    case OP_BACK:
        return TUI_CLOSE; /* closing cancels a request in flight */
    case OP_RETRY:
        product_reload(s);
        return TUI_HANDLED;
    case OP_UP:
        scroll_to(v, v->scroll - 1);
        return TUI_HANDLED;
    case OP_DOWN:
        scroll_to(v, v->scroll + 1);
        return TUI_HANDLED;
    case OP_PAGE_UP:
        scroll_to(v, v->scroll - (v->page_h - 1));
        return TUI_HANDLED;
    case OP_PAGE_DOWN:
        scroll_to(v, v->scroll + (v->page_h - 1));
        return TUI_HANDLED;
    case OP_HOME:
        scroll_to(v, 0);
        return TUI_HANDLED;
    case OP_END:
        scroll_to(v, v->doc_height);
        return TUI_HANDLED;
    default:
        return TUI_IGNORED;
    }
}

static const char *product_title(struct screen *s, char *buf, size_t n)
{
    struct product_view *v = s->priv;
    snprintf(buf, n, "Store › %s", v->p ? v->p->name : "Product");
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
