/* store.c: the Store screen: categories and their products, search, and the way into a product. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/screens.h"
#include "screens/store_pages.h"

#define STORE_PER_PAGE 50
/* Pages held at most (10,000 products); farther ones are fetched again when they come back. */
#define STORE_MAX_CACHED 200
#define CAT_PANE_W       24
#define WIDE_MIN_W       64

struct store {
    struct app *app;
    struct category_list *cats;
    uint64_t cats_req;
    struct client_error cats_err;
    struct tui_list cat_list; /* item 0 is "All products" */

    struct store_pages pages;
    uint64_t prod_req;
    int req_page; /* the page prod_req asks for */
    bool stopped; /* Esc cancelled the fetching; a move or r starts it again */
    struct client_error prod_err;
    struct tui_list prod_list;

    bool focus_products;
    char query[128];
    struct tui_rect cat_rect, prod_rect;
    int pos_row; /* the products pane's last row: "412 of 10,000" */
};

static const enum tui_op store_keys[] = {
    OP_ENTER,   OP_SEARCH,  OP_HELP, OP_QUIT,    OP_UP,        OP_DOWN, OP_LEFT, OP_RIGHT, OP_CART,
    OP_ACCOUNT, OP_GO_HOME, OP_BACK, OP_PAGE_UP, OP_PAGE_DOWN, OP_HOME, OP_END,  OP_RETRY, OP_NONE,
};

static void clear_products(struct store *st)
{
    store_pages_clear(&st->pages);
    st->prod_list.count = 0;
    st->prod_list.selected = 0;
    st->prod_list.top = 0;
}

static const char *selected_category(const struct store *st)
{
    int i = st->cat_list.selected - 1;
    if (st->query[0] || !st->cats || i < 0 || (size_t)i >= st->cats->n)
        return NULL;
    return st->cats->items[i].slug;
}

static void request_products(struct store *st, int page);

/* Whole products the pane shows at once (one before the first layout). */
static int products_visible(const struct store *st)
{
    int h = st->prod_list.item_h > 0 ? st->prod_list.item_h : 1;
    int n = st->prod_rect.h / h;
    return n > 0 ? n : 1;
}

/* Asks for the page the customer is looking at, or about to: a screen either side of the
 * selection, so the list's own scrolling never lands on rows nobody asked for. */
static void fetch_products(struct store *st)
{
    if (st->stopped)
        return;
    int sel = st->prod_list.selected, vis = products_visible(st);
    int first = sel - vis, last = sel + vis;
    int want = store_pages_wanted(&st->pages, first, last, sel);
    if (st->prod_req) {
        int lo = store_pages_page_of(&st->pages, first < 0 ? 0 : first);
        int hi = store_pages_page_of(&st->pages, last);
        if (!want || (st->req_page >= lo && st->req_page <= hi))
            return;
        client_cancel(st->app->client, st->prod_req); /* scrolled past it */
        st->prod_req = 0;
    }
    if (want)
        request_products(st, want);
}

static void on_products(void *ud, struct product_page *page, const struct client_error *err)
{
    struct store *st = ud;
    st->prod_req = 0;
    if (!page) {
        st->prod_err = *err;
        return;
    }
    if (store_pages_put(&st->pages, &page, st->prod_list.selected) != 0) {
        client_error_set(&st->prod_err, CLIENT_ERR_NOMEM, "out of memory");
        return;
    }
    st->prod_list.count = st->pages.total;
    if (st->prod_list.selected >= st->prod_list.count)
        st->prod_list.selected = st->prod_list.count > 0 ? st->prod_list.count - 1 : 0;
    fetch_products(st);
}

static void request_products(struct store *st, int page)
{
    struct product_query q = {
        .category = selected_category(st),
        .q = st->query[0] ? st->query : NULL,
        .page = page,
        .per_page = STORE_PER_PAGE,
    };
    client_error_clear(&st->prod_err);
    st->req_page = page;
    st->prod_req = client_get_products(st->app->client, &q, on_products, st);
    if (!st->prod_req)
        client_error_set(&st->prod_err, CLIENT_ERR_NOMEM, "could not start the request");
}

static void reload_products(struct store *st)
{
    client_cancel(st->app->client, st->prod_req);
    st->prod_req = 0;
    st->stopped = false;
    clear_products(st);
    request_products(st, 1);
}

static void on_categories(void *ud, struct category_list *cats, const struct client_error *err)
{
    struct store *st = ud;
    st->cats_req = 0;
    if (!cats) {
        st->cats_err = *err;
        return;
    }
    category_list_free(&st->cats);
    st->cats = cats;
    st->cat_list.count = (int)cats->n + 1;
    if (st->cat_list.selected >= st->cat_list.count)
        st->cat_list.selected = 0;
}

static void reload(struct screen *s)
{
    struct store *st = s->priv;
    if (!st->cats && !st->cats_req) {
        client_error_clear(&st->cats_err);
        st->cats_req = client_get_categories(st->app->client, on_categories, st);
    }
    if (!st->app->status)
        app_load_status(st->app);
    reload_products(st);
}

static int store_open(struct screen *s, void *arg)
{
    struct store *st = s->priv;
    st->app = s->app;
    st->cat_list.item_h = 1;
    st->cat_list.count = 1;
    st->prod_list.item_h = 3;
    store_pages_init(&st->pages, STORE_PER_PAGE, STORE_MAX_CACHED);
    reload(s);
    return 0;
}

static void store_close(struct screen *s)
{
    struct store *st = s->priv;
    client_cancel(st->app->client, st->cats_req);
    client_cancel(st->app->client, st->prod_req);
    category_list_free(&st->cats);
    clear_products(st);
}

static bool is_wide(struct tui_rect body)
{
    return body.w >= WIDE_MIN_W;
}

static void layout(struct store *st, struct tui_rect body)
{
    /* A blank row between products when there is room; dense rows on short terminals. */
    st->prod_list.item_h = body.h >= 16 ? 4 : 3;
    if (is_wide(body)) {
        st->cat_rect = (struct tui_rect){body.y, body.x, body.h, CAT_PANE_W};
        st->prod_rect =
            (struct tui_rect){body.y, body.x + CAT_PANE_W + 1, body.h, body.w - CAT_PANE_W - 1};
    } else {
        st->cat_rect = (struct tui_rect){body.y, body.x, 1, body.w};
        st->prod_rect = (struct tui_rect){body.y + 2, body.x, body.h - 2, body.w};
    }
    /* The position goes on the pane's last row. With a gap row under every product that row is
     * always blank (a gap, or rows too few for another product); dense rows give it up. */
    st->pos_row = st->prod_rect.y + st->prod_rect.h - 1;
    if (st->prod_list.item_h < 4)
        st->prod_rect.h--;
}

static const char *category_name(const struct store *st, int i)
{
    if (i == 0 || !st->cats || (size_t)(i - 1) >= st->cats->n)
        return "All products";
    return st->cats->items[i - 1].name;
}

static void paint_category(struct tui *t, struct tui_rect r, int i, bool selected, void *ud)
{
    struct store *st = ud;
    enum theme_elem el = EL_CATEGORY;
    if (selected)
        el = st->focus_products ? EL_SELECTED_DIM : EL_SELECTED;
    tui_fill(t, r, el);
    tui_text(t, r.y, r.x + 1, r.w - 2, el, category_name(st, i));
}

static void paint_product(struct tui *t, struct tui_rect r, int i, bool selected, void *ud)
{
    struct store *st = ud;
    const struct product *p = store_pages_get(&st->pages, i);
    const struct currency *cur = app_currency(st->app);
    char price[96], from[128], res[160], own[160], stock[48];
    enum theme_elem stock_el;
    bool sel = selected && (st->focus_products || st->cat_rect.h <= 1); /* narrow: one pane */

    if (!p) {
        if (sel)
            tui_fill(t, (struct tui_rect){r.y, r.x, 1, r.w}, EL_SELECTED);
        else if (selected)
            tui_text(t, r.y, r.x, 1, EL_SELECTED_DIM, tui_glyph(t, GLYPH_MARKER));
        tui_text(t, r.y, r.x + 2, r.w - 2, sel ? EL_SELECTED : EL_DIM,
                 tui_own(t, st->stopped ? "Not loaded · r retries" : "Loading…", own, sizeof own));
        return;
    }
    fmt_price_cycle(&p->from_price, p->from_cycle, cur, price, sizeof price);
    snprintf(from, sizeof from, "from %s", price);
    fmt_stock(&p->stock, stock, sizeof stock, &stock_el);
    fmt_resources_line(&p->resources, false, res, sizeof res);
    if (tui_text_width(res) > r.w - 4 - tui_text_width(stock))
        fmt_resources_line(&p->resources, true, res, sizeof res);
    int text_rows = r.h > 3 ? 3 : r.h; /* a fourth row is the gap between products */
    if (sel)
        tui_fill(t, (struct tui_rect){r.y, r.x, text_rows, r.w}, EL_SELECTED);
    else if (selected)
        tui_text(t, r.y, r.x, 1, EL_SELECTED_DIM, tui_glyph(t, GLYPH_MARKER));

    int pw = tui_text_width(from);
    int sw = tui_text_width(stock);
    int inner = r.w - 2;
    tui_text(t, r.y, r.x + 2, inner - pw - 2, sel ? EL_SELECTED : EL_PRODUCT_NAME, p->name);
    tui_text_right(t, r.y, r.x + 2, inner, sel ? EL_SELECTED : EL_PRICE, from);
    if (r.h > 1) {
        tui_text(t, r.y + 1, r.x + 2, inner - sw - 2, sel ? EL_SELECTED : EL_RESOURCE,
                 tui_own(t, res, own, sizeof own));
        tui_text_right(t, r.y + 1, r.x + 2, inner, sel ? EL_SELECTED : stock_el, stock);
    }
    if (r.h > 2)
        tui_text(t, r.y + 2, r.x + 2, inner, sel ? EL_SELECTED : EL_DIM, p->short_description);
}

static void paint_state(struct store *st, struct tui_rect r)
{
    struct tui *t = st->app->tui;
    char msg[512];
    if (st->prod_err.status != CLIENT_OK) {
        fmt_error(&st->prod_err, msg, sizeof msg);
        tui_error_banner(t, r, msg);
    } else if (st->pages.total < 0 && !st->stopped) {
        tui_spinner(t, r.y + 1, r.x + 2, r.w - 2, "Loading products…");
    } else if (st->pages.total < 0) {
        tui_text(t, r.y + 1, r.x + 2, r.w - 2, EL_DIM, "Not loaded. r retries.");
    } else if (st->pages.total == 0) {
        if (st->query[0])
            snprintf(msg, sizeof msg, "No products match \"%s\". Esc clears the search.",
                     st->query);
        else
            snprintf(msg, sizeof msg, "No products in this category yet.");
        tui_wrap_paint(t, (struct tui_rect){r.y + 1, r.x + 2, r.h - 1, r.w - 4}, 0, EL_DIM, msg);
    }
}

/* Digits grouped by thousands: 10,000. */
static void group_digits(int n, char *buf, size_t size)
{
    char digits[16];
    int len = snprintf(digits, sizeof digits, "%d", n < 0 ? 0 : n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* "412 of 10,000" under the list, right-aligned: where the customer is in the whole list. */
static void paint_position(struct store *st)
{
    char at[16], of[16], line[48];
    struct tui_rect r = st->prod_rect;
    group_digits(st->prod_list.selected + 1, at, sizeof at);
    group_digits(st->pages.total, of, sizeof of);
    snprintf(line, sizeof line, "%s of %s", at, of);
    tui_text_right(st->app->tui, st->pos_row, r.x + 2, r.w - 2, EL_DIM, line);
}

static void store_paint(struct screen *s, struct tui_rect body)
{
    struct store *st = s->priv;
    struct tui *t = s->tui;
    const char *why = NULL;

    app_badge_fit(st->app, body.w);
    if (app_billing_closed(st->app, &why)) {
        tui_wrap_paint(t, (struct tui_rect){body.y + 1, body.x + 2, body.h - 1, body.w - 4}, 0,
                       EL_ERROR, why);
        return;
    }
    layout(st, body);
    if (is_wide(body)) {
        if (st->cats_err.status != CLIENT_OK && !st->cats)
            tui_text(t, st->cat_rect.y, st->cat_rect.x + 1, st->cat_rect.w - 2, EL_DIM,
                     "Categories unavailable");
        else
            tui_list_paint(t, &st->cat_list, st->cat_rect, paint_category, st);
        tui_vline(t, body.y, body.x + CAT_PANE_W, body.h, EL_BORDER);
    } else {
        char line[256];
        tui_format(t, line, sizeof line, "‹ %s ›",
                   st->query[0] ? "Search results" : category_name(st, st->cat_list.selected));
        tui_text(t, st->cat_rect.y, st->cat_rect.x + 1, st->cat_rect.w - 2, EL_TITLE, line);
        tui_hline(t, st->cat_rect.y + 1, body.x, body.w, EL_BORDER);
    }
    if (st->pages.total > 0) {
        tui_list_paint(t, &st->prod_list, st->prod_rect, paint_product, st);
        paint_position(st);
    }
    paint_state(st, st->prod_rect);
}

static void open_selected(struct store *st)
{
    const struct product *p = store_pages_get(&st->pages, st->prod_list.selected);
    if (!p)
        return;
    tui_push(st->app->tui, &product_screen, p->slug[0] ? p->slug : NULL);
}

static void on_search(struct screen *s, const char *text, void *ud)
{
    struct store *st = s->priv;
    if (!text)
        return;
    snprintf(st->query, sizeof st->query, "%s", text);
    st->focus_products = true;
    reload_products(st);
}

static void select_category(struct store *st, int index)
{
    if (index < 0 || index >= st->cat_list.count)
        return;
    bool changed = index != st->cat_list.selected || st->query[0];
    st->cat_list.selected = index;
    st->query[0] = '\0';
    if (changed)
        reload_products(st);
}

static enum tui_action handle_mouse(struct store *st, const struct tui_event *ev)
{
    struct tui_rect cr = st->cat_rect, pr = st->prod_rect;
    bool in_cats = ev->y >= cr.y && ev->y < cr.y + cr.h && ev->x >= cr.x && ev->x < cr.x + cr.w;
    bool in_prods = ev->y >= pr.y && ev->y < pr.y + pr.h && ev->x >= pr.x && ev->x < pr.x + pr.w;
    if (in_cats && cr.h > 1) {
        int before = st->cat_list.selected;
        if (tui_list_handle(&st->cat_list, ev, cr)) {
            int now = st->cat_list.selected;
            st->cat_list.selected = before;
            select_category(st, now);
        }
        st->focus_products = false;
        return TUI_HANDLED;
    }
    if (in_prods && st->pages.total > 0) {
        int hit = tui_list_hit(&st->prod_list, pr, ev->y);
        if (ev->mouse == TUI_MOUSE_CLICK && hit >= 0 && hit == st->prod_list.selected &&
            st->focus_products) {
            open_selected(st);
            return TUI_HANDLED;
        }
        if (tui_list_handle(&st->prod_list, ev, pr))
            st->stopped = false;
        st->focus_products = true;
        fetch_products(st);
        return TUI_HANDLED;
    }
    return TUI_IGNORED;
}

static enum tui_action store_handle(struct screen *s, const struct tui_event *ev)
{
    struct store *st = s->priv;
    bool wide = st->cat_rect.h > 1;

    if (ev->kind == TUI_EV_MOUSE)
        return handle_mouse(st, ev);
    if (app_handle_nav(st->app, ev->op))
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_RETRY:
        if (st->pages.total > 0 && st->cats) {
            st->stopped = false; /* keep the place in the list; fetch what is missing */
            client_error_clear(&st->prod_err);
            fetch_products(st);
        } else {
            reload(s);
        }
        return TUI_HANDLED;
    case OP_SEARCH:
        tui_prompt(s->tui, "Search: ", st->query, on_search, NULL);
        return TUI_HANDLED;
    case OP_BACK:
        if (st->prod_req) {
            client_cancel(st->app->client, st->prod_req);
            st->prod_req = 0;
            st->stopped = true;
            tui_status(s->tui, "Cancelled.");
        } else if (st->query[0]) {
            st->query[0] = '\0';
            reload_products(st);
        } else if (wide && st->focus_products) {
            st->focus_products = false;
        }
        return TUI_HANDLED;
    case OP_LEFT:
    case OP_RIGHT:
        if (wide) {
            st->focus_products = ev->op == OP_RIGHT;
        } else {
            int n = st->cat_list.count;
            select_category(st, (st->cat_list.selected + (ev->op == OP_RIGHT ? 1 : n - 1)) % n);
        }
        return TUI_HANDLED;
    case OP_ENTER:
        if (wide && !st->focus_products)
            st->focus_products = true;
        else
            open_selected(st);
        return TUI_HANDLED;
    default:
        break;
    }
    if (wide && !st->focus_products) {
        int before = st->cat_list.selected;
        if (tui_list_handle(&st->cat_list, ev, st->cat_rect)) {
            int now = st->cat_list.selected;
            st->cat_list.selected = before;
            select_category(st, now);
            return TUI_HANDLED;
        }
        return TUI_IGNORED;
    }
    if (!tui_list_handle(&st->prod_list, ev, st->prod_rect))
        return TUI_IGNORED;
    st->stopped = false;
    fetch_products(st);
    return TUI_HANDLED;
}

static void store_resize(struct screen *s, struct tui_rect body)
{
    layout(s->priv, body);
    fetch_products(s->priv);
}

static const char *store_title(struct screen *s, char *buf, size_t n)
{
    struct store *st = s->priv;
    if (st->query[0])
        tui_format(s->tui, buf, n, "Store · search \"%s\"", st->query);
    else
        snprintf(buf, n, "Store");
    return buf;
}

const struct screen_ops store_screen = {
    .name = "store",
    .priv_size = sizeof(struct store),
    .open = store_open,
    .close = store_close,
    .resize = store_resize,
    .paint = store_paint,
    .handle = store_handle,
    .reload = reload,
    .title = store_title,
    .keys = store_keys,
};
