/* plain_operator_catalog.c: the operator's catalog in plain mode: every product with its stock
 * and visibility; restock, hide or show, change a cycle's price, move services to today's
 * prices. Each change sends the version shown (If-Match) and a reason, after a confirmation. */
#include "screens/plain_operator.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/operator_catalog.h"

static int catalog_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct catalog_product_query q = {.per_page = 100};
    if (plain_wait(p, client_catalog_get_products(p->client, &q, plain_on_catalog_products, &r),
                   &r) != 0) {
        plain_fail(p, "load the catalog", &r.err);
        return -1;
    }
    catalog_product_page_free(&p->op->products);
    p->op->products = r.value;
    return 0;
}

static void amount_of(struct plain *p, int64_t minor, char *buf, size_t n)
{
    struct money m = {.amount = minor};
    snprintf(m.currency, sizeof m.currency, "%s", p->currency.code);
    plain_money(p, &m, buf, n);
}

static void product_item(struct plain *p, int i)
{
    const struct catalog_product *pr = &p->op->products->items[i];
    char name[256], cat[128], stock[64], price[64] = "no price";
    enum theme_elem el;
    int64_t amount;
    enum billing_cycle cy;
    if (catalog_product_from_price(pr, &amount, &cy)) {
        char a[48];
        amount_of(p, amount, a, sizeof a);
        snprintf(price, sizeof price, "from %s %s", a, plain_cycle_words(cy));
    }
    plain_say(p, "%d. %s (%s), %s: %s, %s, %s, %d service%s.", i + 1,
              plain_clean(pr->name, name, sizeof name), pr->slug,
              plain_clean(pr->category, cat, sizeof cat),
              catalog_stock_text(&pr->stock, stock, sizeof stock, &el),
              catalog_visibility(pr->visible, pr->retired), price, pr->services,
              pr->services == 1 ? "" : "s");
}

static void catalog_print(struct plain *p)
{
    int n = (int)p->op->products->n;
    plain_say(p, "Catalog: %d product%s.", n, n == 1 ? "" : "s");
    plain_list_start(p, n, product_item);
    plain_say(p, "Type t and a product's number to restock it, V to hide or show it, e to change a "
                 "cycle's price, M to move its services to today's prices.");
}

/* Says the server's answer to a change; the list loads again either way. */
static enum plain_result answered(struct plain *p, struct plain_reply *r, const char *what,
                                  const char *name)
{
    if (r->err.status != CLIENT_OK) {
        if (r->err.http_status == 412)
            plain_say(p,
                      "%s was changed meanwhile, so nothing was changed: the list is loaded "
                      "again; try once more.",
                      name);
        else
            plain_fail(p, what, &r->err);
    } else {
        struct catalog_product *pr = r->value;
        char stock[64];
        enum theme_elem el;
        plain_say(p, "%s: %s, %s.", name, catalog_stock_text(&pr->stock, stock, sizeof stock, &el),
                  catalog_visibility(pr->visible, pr->retired));
        catalog_product_free(&pr);
    }
    plain_op_reload(p);
    return PLAIN_STAY;
}

static enum plain_result restock(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char line[32], q[600], name[256], now[64], after[64], *end;
    enum theme_elem el;
    int i = plain_op_pick(p, arg, "product", p->op->products->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct catalog_product *pr = &p->op->products->items[i];
    int64_t id = pr->id;
    struct stock st = pr->stock;
    plain_clean(pr->name, name, sizeof name);
    if (st.limited)
        snprintf(q, sizeof q, "Restock %s: how many to add (an empty line takes %d)?", name,
                 CATALOG_RESTOCK_DEFAULT);
    else
        snprintf(q, sizeof q, "%s has no limit. Limit its stock to (an empty line takes %d):", name,
                 CATALOG_RESTOCK_DEFAULT);
    if (!plain_ask(p, q, line, sizeof line, false))
        return PLAIN_STAY;
    long long n = line[0] ? strtoll(line, &end, 10) : CATALOG_RESTOCK_DEFAULT;
    if (line[0] && (end == line || *end || n <= 0 || n > 1000000)) {
        plain_say(p, "That is not a number of units; nothing was changed.");
        return PLAIN_STAY;
    }
    if (st.limited) {
        struct stock then = {true, st.available + n};
        catalog_stock_text(&st, now, sizeof now, &el);
        catalog_stock_text(&then, after, sizeof after, &el);
        snprintf(q, sizeof q, "Add %lld to the stock of %s (%s now, %s after)?", n, name, now,
                 after);
    } else {
        snprintf(q, sizeof q, "Limit the stock of %s to %lld (unlimited now)?", name, n);
    }
    if (!plain_op_confirm(p, q, CATALOG_RESTOCK_REASON))
        return PLAIN_STAY;
    struct catalog_stock_change sc = {st.limited ? STOCK_ADJUST : STOCK_SET, n};
    plain_wait(p,
               client_catalog_set_stock(p->client, id, &sc, CATALOG_RESTOCK_REASON,
                                        plain_on_catalog_product, &r),
               &r);
    return answered(p, &r, "restock it", name);
}

static enum plain_result visible(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char reason[1001], q[600], name[256], etag[CLIENT_ETAG_MAX];
    int i = plain_op_pick(p, arg, "product", p->op->products->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct catalog_product *pr = &p->op->products->items[i];
    plain_clean(pr->name, name, sizeof name);
    if (pr->retired) {
        plain_say(p, "%s is retired: it stays hidden.", name);
        return PLAIN_STAY;
    }
    int64_t id = pr->id;
    bool shown = pr->visible;
    snprintf(etag, sizeof etag, "%s", pr->etag);
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    snprintf(q, sizeof q, "%s %s %s?", shown ? "Hide" : "Show", name,
             shown ? "from the store" : "in the store again");
    if (!plain_op_confirm(p, q, reason))
        return PLAIN_STAY;
    struct catalog_product_patch patch = {.visible = !shown, .retired = -1};
    plain_wait(p,
               client_catalog_patch_product(p->client, id, etag, &patch, reason,
                                            plain_on_catalog_product, &r),
               &r);
    return answered(p, &r, shown ? "hide it" : "show it", name);
}

static enum plain_result price(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    struct catalog_cycle cycles[CYCLE_COUNT];
    char line[64], reason[1001], q[800], name[256], before[64], after[64], etag[CLIENT_ETAG_MAX];
    int64_t minor;
    int i = plain_op_pick(p, arg, "product", p->op->products->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct catalog_product *pr = &p->op->products->items[i];
    plain_clean(pr->name, name, sizeof name);
    size_t nc = pr->n_cycles < CYCLE_COUNT ? pr->n_cycles : CYCLE_COUNT;
    if (nc == 0) {
        plain_say(p, "%s has no billing cycles to price.", name);
        return PLAIN_STAY;
    }
    int64_t id = pr->id;
    memcpy(cycles, pr->cycles, nc * sizeof cycles[0]);
    snprintf(etag, sizeof etag, "%s", pr->etag);
    plain_say(p, "The cycles of %s:", name);
    for (size_t k = 0; k < nc; k++) {
        amount_of(p, cycles[k].price, before, sizeof before);
        plain_say(p, "%zu. %s: %s.", k + 1, billing_cycle_label(cycles[k].cycle), before);
    }
    int k = plain_op_pick(p, "", "cycle", nc);
    if (k < 0)
        return PLAIN_STAY;
    amount_of(p, cycles[k].price, before, sizeof before);
    snprintf(q, sizeof q, "New %s price of %s (now %s; an empty line cancels):",
             billing_cycle_label(cycles[k].cycle), name, before);
    if (!plain_ask(p, q, line, sizeof line, false) || !line[0])
        return PLAIN_STAY;
    if (fmt_parse_amount(line, &p->currency, &minor) != 0 || minor < 0) {
        plain_say(p, "That is not an amount; type it like 9.99. Nothing was changed.");
        return PLAIN_STAY;
    }
    amount_of(p, minor, after, sizeof after);
    if (!plain_op_reason(p, reason, sizeof reason))
        return PLAIN_STAY;
    snprintf(q, sizeof q,
             "Change the %s price of %s from %s to %s? Existing services keep theirs until "
             "prices are applied (M).",
             billing_cycle_label(cycles[k].cycle), name, before, after);
    if (!plain_op_confirm(p, q, reason))
        return PLAIN_STAY;
    cycles[k].price = minor; /* cycles are replaced whole: every one as shown, one changed */
    struct catalog_product_patch patch = {
        .visible = -1, .retired = -1, .cycles = cycles, .n_cycles = nc};
    plain_wait(p,
               client_catalog_patch_product(p->client, id, etag, &patch, reason,
                                            plain_on_catalog_product, &r),
               &r);
    if (r.err.status == CLIENT_OK)
        plain_say(p, "The %s price of %s is now %s.", billing_cycle_label(cycles[k].cycle), name,
                  after);
    return answered(p, &r, "change the price", name);
}

static enum plain_result apply(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char q[600], name[256];
    int i = plain_op_pick(p, arg, "product", p->op->products->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct catalog_product *pr = &p->op->products->items[i];
    int64_t id = pr->id;
    plain_clean(pr->name, name, sizeof name);
    snprintf(q, sizeof q,
             "Move the services of %s (%d not ended) to its current prices from their next "
             "renewal invoice?",
             name, pr->services);
    if (!plain_op_confirm(p, q, CATALOG_APPLY_REASON))
        return PLAIN_STAY;
    if (plain_wait(p,
                   client_catalog_apply_prices(p->client, id, CATALOG_APPLY_REASON,
                                               plain_on_apply_prices, &r),
                   &r) != 0) {
        plain_fail(p, "apply the prices", &r.err);
        return PLAIN_STAY;
    }
    struct apply_prices_result *res = r.value;
    plain_say(p, "%zu service%s of %s moved to today's prices (%d already, %zu skipped).",
              res->n_changed, res->n_changed == 1 ? "" : "s", name, res->unchanged, res->n_skipped);
    apply_prices_result_free(&res);
    plain_op_reload(p);
    return PLAIN_STAY;
}

static const struct plain_cmd catalog_cmds[] = {
    {"t", "restock a product (t and its number; 10 unless told)", restock, NULL},
    {"V", "hide a product from the store, or show it again", visible, NULL},
    {"e", "change a billing cycle's price of a product", price, NULL},
    {"M", "move a product's services to its current prices", apply, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_catalog_screen = {
    .name = "operator-catalog",
    .load = catalog_load,
    .print = catalog_print,
    .cmds = catalog_cmds,
};
