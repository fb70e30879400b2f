/* kiosk_attract.c: the kiosk's idle display: the shop's name, a product from each category with
 * its price, and "Press any key to start". Loaded once when shown; nothing animates, so an idle
 * kiosk costs no CPU. Any key or click closes it onto the store below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/kiosk.h"

#define ATTRACT_PRODUCTS 50 /* one page: enough to find a product in each category */
#define ATTRACT_ROWS_MAX 6
#define ATTRACT_W_MAX    64

struct attract {
    struct app *app;
    struct category_list *cats;
    struct product_page *products;
    uint64_t cats_req, prod_req;
};

static void on_categories(void *ud, struct category_list *cats, const struct client_error *err)
{
    struct attract *at = ud;
    at->cats_req = 0;
    at->cats = cats; /* none on an error: the display goes without its featured rows */
}

static void on_products(void *ud, struct product_page *page, const struct client_error *err)
{
    struct attract *at = ud;
    at->prod_req = 0;
    at->products = page;
}

static int attract_open(struct screen *s, void *arg)
{
    struct attract *at = s->priv;
    struct product_query q = {.page = 1, .per_page = ATTRACT_PRODUCTS};
    at->app = s->app;
    at->cats_req = client_get_categories(at->app->client, on_categories, at);
    at->prod_req = client_get_products(at->app->client, &q, on_products, at);
    if (!at->app->status)
        app_load_status(at->app);
    return 0;
}

static void attract_close(struct screen *s)
{
    struct attract *at = s->priv;
    client_cancel(at->app->client, at->cats_req);
    client_cancel(at->app->client, at->prod_req);
    category_list_free(&at->cats);
    product_page_free(&at->products);
}

/* The first product on sale in the category, or NULL. */
static const struct product *featured(const struct attract *at, const struct category *c)
{
    for (size_t i = 0; at->products && i < at->products->n; i++) {
        const struct product *p = &at->products->items[i];
        if (p->category_id == c->id && !product_sold_out(p))
            return p;
    }
    return NULL;
}

static void centred(struct tui *t, struct tui_rect body, int y, enum theme_elem el,
                    const char *text)
{
    int w = tui_text_width(text);
    if (w > body.w - 2)
        w = body.w - 2;
    tui_text(t, y, body.x + (body.w - w) / 2, w, el, text);
}

static int paint_featured(struct attract *at, struct tui_rect body, int y, int max_rows)
{
    struct tui *t = at->app->tui;
    int w = body.w - 4 < ATTRACT_W_MAX ? body.w - 4 : ATTRACT_W_MAX;
    int x = body.x + (body.w - w) / 2, cat_w = 0, rows = 0;
    char price[96], from[128];
    if (!at->cats || !at->products)
        return 0;
    for (size_t i = 0; i < at->cats->n; i++) { /* the widest category name, up to half */
        int cw = tui_text_width(at->cats->items[i].name) + 2;
        cat_w = cw > cat_w ? cw : cat_w;
    }
    cat_w = cat_w < w / 2 ? cat_w : w / 2;
    for (size_t i = 0; i < at->cats->n && rows < max_rows; i++) {
        const struct category *c = &at->cats->items[i];
        const struct product *p = featured(at, c);
        if (!p)
            continue;
        fmt_price_cycle(&p->from_price, p->from_cycle, app_currency(at->app), price, sizeof price);
        snprintf(from, sizeof from, "from %s", price);
        int pw = tui_text_width(from);
        tui_text(t, y + rows, x, cat_w - 1, EL_CATEGORY, c->name);
        tui_text(t, y + rows, x + cat_w, w - cat_w - pw - 2, EL_PRODUCT_NAME, p->name);
        tui_text_right(t, y + rows, x, w, EL_PRICE, from);
        rows++;
    }
    return rows;
}

static void attract_paint(struct screen *s, struct tui_rect body)
{
    struct attract *at = s->priv;
    struct tui *t = s->tui;
    const char *why = NULL;
    char own[80];
    int y = body.y + body.h / 5;

    centred(t, body, y, EL_TITLE, at->app->opt.kiosk.name);
    centred(t, body, y + 2, EL_DIM,
            tui_own(t, "Browse, configure, fill a cart · no sign-in needed", own, sizeof own));
    if (app_billing_closed(at->app, &why)) {
        tui_wrap_paint(t, (struct tui_rect){y + 4, body.x + 4, 4, body.w - 8}, 0, EL_ERROR, why);
    } else {
        int room = body.y + body.h - 4 - (y + 4) - 1;
        paint_featured(at, body, y + 4, room < ATTRACT_ROWS_MAX ? room : ATTRACT_ROWS_MAX);
    }
    centred(t, body, body.y + body.h - 4, EL_SELECTED, "  Press any key to start  ");
}

static enum tui_action attract_handle(struct screen *s, const struct tui_event *ev)
{
    if (ev->kind == TUI_EV_MOUSE && ev->mouse != TUI_MOUSE_CLICK)
        return TUI_HANDLED;
    return TUI_CLOSE; /* the store is below */
}

const struct screen_ops kiosk_attract_screen = {
    .name = "attract",
    .priv_size = sizeof(struct attract),
    .open = attract_open,
    .close = attract_close,
    .paint = attract_paint,
    .handle = attract_handle,
    .fullscreen = true,
};
