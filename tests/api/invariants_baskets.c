/* invariants_baskets.c: a random basket through quote, cart and checkout; the money must agree. */
#include "invariants_baskets.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Coupons of every kind; a restricted one is drawn only for a basket it applies to. */
static const struct {
    const char *json, *code;
    int restrict_products; /* to the first n products */
    const char *cycle;
} coupon_defs[] = {
    {"\"type\":\"percent\",\"percent_bps\":1000,\"duration\":\"once\"", "BASKET10", 0, ""},
    {"\"type\":\"percent\",\"percent_bps\":3333,\"duration\":\"once\"", "BASKET3333", 0, ""},
    {"\"type\":\"percent\",\"percent_bps\":10000,\"duration\":\"once\"", "BASKETFREE", 0, ""},
    {"\"type\":\"fixed\",\"amount_off\":{\"amount\":500,\"currency\":\"USD\"},\"duration\":"
     "\"once\"",
     "BASKET5OFF", 0, ""},
    {"\"type\":\"fixed\",\"amount_off\":{\"amount\":10000000,\"currency\":\"USD\"},"
     "\"duration\":\"once\"",
     "BASKETHUGE", 0, ""},
    {"\"type\":\"percent\",\"percent_bps\":2500,\"duration\":\"repeating\",\"duration_cycles\":3",
     "BASKETFEW", 3, ""},
    {"\"type\":\"fixed\",\"amount_off\":{\"amount\":300,\"currency\":\"USD\"},\"duration\":"
     "\"forever\"",
     "BASKETMONTH", 0, "monthly"},
};

static void load_product(struct basket_product *p, const cJSON *json)
{
    const cJSON *c, *o;

    p->id = api_int(json, "id");
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(json, "cycles"))
    {
        if (p->n_cycles < 6)
            snprintf(p->cycles[p->n_cycles++], sizeof p->cycles[0], "%s", api_str(c, "cycle"));
    }
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(json, "options"))
    {
        struct basket_option *opt = &p->options[p->n_options];

        if (p->n_options == 6)
            break;
        snprintf(opt->resource, sizeof opt->resource, "%s", api_str(o, "resource"));
        opt->min = api_int(o, "min");
        opt->max = api_int(o, "max");
        opt->step = api_int(o, "step");
        p->n_options++;
    }
}

int basket_shop_load(struct basket_shop *shop, const struct inv_world *w)
{
    struct api_resp r;
    const cJSON *p, *products = NULL;
    int rc = 0;

    memset(shop, 0, sizeof *shop);
    if (api_get(&w->server, "/billing/products?per_page=100", NULL, &r) != 0 || r.status != 200)
        rc = -1;
    else
        products = api_data(&r);
    cJSON_ArrayForEach(p, products)
    {
        const cJSON *stock = cJSON_GetObjectItemCaseSensitive(p, "stock");

        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stock, "limited")) ||
            shop->n_products == BASKET_MAX_PRODUCTS)
            continue; /* stock runs out; the stock tests cover it */
        load_product(&shop->products[shop->n_products++], p);
    }
    api_resp_clear(&r);
    for (size_t i = 0; rc == 0 && i < sizeof coupon_defs / sizeof coupon_defs[0]; i++) {
        struct basket_coupon *c = &shop->coupons[shop->n_coupons++];
        char body[512], ids[96] = "";

        snprintf(c->code, sizeof c->code, "%s", coupon_defs[i].code);
        snprintf(c->cycle, sizeof c->cycle, "%s", coupon_defs[i].cycle);
        for (int k = 0; k < coupon_defs[i].restrict_products && k < shop->n_products; k++) {
            c->product_ids[k] = shop->products[k].id;
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%" PRId64, k ? "," : "",
                     c->product_ids[k]);
        }
        snprintf(body, sizeof body,
                 "{\"code\":\"%s\",\"description\":\"Basket test\",%s,\"product_ids\":[%s],"
                 "\"cycles\":[%s%s%s]}",
                 c->code, coupon_defs[i].json, ids, c->cycle[0] ? "\"" : "", c->cycle,
                 c->cycle[0] ? "\"" : "");
        if (inv_call(w, "POST", "/admin/coupons", w->admin, NULL, NULL, body, &r) != 0 ||
            r.status != 201) {
            fprintf(stderr, "baskets: coupon %s: %ld %s\n", c->code, r.status,
                    r.body ? r.body : "");
            rc = -1;
        }
        api_resp_clear(&r);
    }
    return rc;
}

struct line {
    const struct basket_product *p;
    const char *cycle;
    char options[256];
    int quantity;
};

/* Draws 1-3 lines and perhaps a coupon that applies to them. The number of lines. */
static int draw(const struct basket_case *c, unsigned *seed, struct line *lines,
                const struct basket_coupon **coupon)
{
    int n = 1 + rand_r(seed) % 3;

    for (int i = 0; i < n; i++) {
        struct line *l = &lines[i];
        size_t len;

        l->p = &c->shop->products[rand_r(seed) % c->shop->n_products];
        l->cycle = l->p->cycles[rand_r(seed) % l->p->n_cycles];
        l->quantity = 1 + rand_r(seed) % 3;
        snprintf(l->options, sizeof l->options, "{");
        for (int k = 0; k < l->p->n_options; k++) {
            const struct basket_option *o = &l->p->options[k];
            int64_t steps = (o->max - o->min) / o->step;

            len = strlen(l->options);
            snprintf(l->options + len, sizeof l->options - len, "%s\"%s\":%" PRId64, k ? "," : "",
                     o->resource, o->min + (rand_r(seed) % (steps + 1)) * o->step);
        }
        len = strlen(l->options);
        snprintf(l->options + len, sizeof l->options - len, "}");
    }
    *coupon = NULL;
    if (rand_r(seed) % 5 < 3) {
        const struct basket_coupon *k = &c->shop->coupons[rand_r(seed) % c->shop->n_coupons];
        bool applies = false;

        for (int i = 0; i < n && !applies; i++) {
            bool product = !k->product_ids[0], cycle = !k->cycle[0];

            for (int j = 0; j < 4 && k->product_ids[j]; j++)
                product |= k->product_ids[j] == lines[i].p->id;
            cycle |= strcmp(k->cycle, lines[i].cycle) == 0;
            applies = product && cycle;
        }
        *coupon = applies ? k : NULL;
    }
    return n;
}

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "basket %d (seed %u): ", c->number, c->seed);                          \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            bad++;                                                                                 \
        }                                                                                          \
    } while (0)

static int64_t half_up_div(int64_t num, int64_t den)
{
    return (2 * num + den) / (2 * den);
}

/* Totals as every one of quote, cart, order and invoice shows them. */
struct totals {
    int64_t subtotal, discount, tax, total;
    int tax_lines;
};

static struct totals totals_of(const cJSON *t)
{
    struct totals x = {inv_money(t, "subtotal"), inv_money(t, "discount"),
                       inv_money(t, "tax_total"), inv_money(t, "total"),
                       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(t, "tax_lines"))};
    return x;
}

/* The one rule for totals and tax (docs/api.md "Tax"), to the minor unit. */
static int check_totals(const struct basket_case *c, const char *what, struct totals t)
{
    int64_t taxable = t.subtotal - t.discount;
    int bad = 0;

    CHECK(t.subtotal >= 0 && t.discount >= 0 && t.tax >= 0 && t.total >= 0, "%s: a negative amount",
          what);
    CHECK(t.discount <= t.subtotal, "%s: discount %" PRId64 " > subtotal %" PRId64, what,
          t.discount, t.subtotal);
    if (strcmp(c->tax, "exclusive") == 0) {
        CHECK(t.tax == half_up_div(taxable * c->rate_bps, 10000), "%s: exclusive tax %" PRId64,
              what, t.tax);
        CHECK(t.total == taxable + t.tax, "%s: total %" PRId64 " is not taxable + tax", what,
              t.total);
    } else if (strcmp(c->tax, "inclusive") == 0) {
        CHECK(t.tax == taxable - half_up_div(taxable * 10000, 10000 + c->rate_bps),
              "%s: inclusive tax %" PRId64 " of %" PRId64, what, t.tax, taxable);
        CHECK(t.total == taxable, "%s: total %" PRId64 " is not the taxable amount", what, t.total);
    } else {
        CHECK(t.tax == 0 && t.tax_lines == 0 && t.total == taxable, "%s: tax while tax is off",
              what);
    }
    return bad;
}

static int check_same(const struct basket_case *c, const char *what, struct totals a,
                      struct totals b)
{
    int bad = 0;

    CHECK(a.subtotal == b.subtotal && a.discount == b.discount && a.tax == b.tax &&
              a.total == b.total,
          "%s: %" PRId64 "/%" PRId64 "/%" PRId64 "/%" PRId64 " vs %" PRId64 "/%" PRId64 "/%" PRId64
          "/%" PRId64 " (subtotal/discount/tax/total)",
          what, a.subtotal, a.discount, a.tax, a.total, b.subtotal, b.discount, b.tax, b.total);
    return bad;
}

/* The quote: its lines and totals. */
static int check_quote(const struct basket_case *c, const cJSON *q, int n, struct totals *t)
{
    const cJSON *item;
    int64_t sum = 0;
    int bad = 0;

    CHECK(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(q, "items")) == n,
          "the quote has not %d lines", n);
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(q, "items"))
    {
        int64_t line = inv_money(item, "line_total");

        CHECK(line == (inv_money(item, "unit_price") + inv_money(item, "setup_fee")) *
                          api_int(item, "quantity"),
              "a quote line is not (unit price + setup fee) * quantity");
        sum += line;
    }
    *t = totals_of(cJSON_GetObjectItemCaseSensitive(q, "totals"));
    CHECK(sum == t->subtotal, "quote lines add to %" PRId64 ", subtotal %" PRId64, sum,
          t->subtotal);
    return bad + check_totals(c, "quote", *t);
}

/* What credits would pay, as the cart shows it. */
static int check_cart_credits(const struct basket_case *c, const cJSON *totals, int64_t *to_apply)
{
    int64_t available = inv_money(totals, "credits_available");
    int64_t total = inv_money(totals, "total");
    int bad = 0;

    *to_apply = inv_money(totals, "credits_to_apply");
    CHECK(c->credits ? available > 0 && available <= c->funds : available == 0,
          "credits available %" PRId64, available);
    CHECK(*to_apply == (available < total ? available : total), "credits to apply %" PRId64,
          *to_apply);
    CHECK(inv_money(totals, "due_now") == total - *to_apply, "due now is not total - credits");
    return bad;
}

/* The checkout's invoice, order and payment. Paying by `credits` is one payment through the
 * credits gateway; a card or PayPal payment with use_credits names the credits taken alongside
 * in credits_applied. */
static int check_checkout(const struct basket_case *c, const cJSON *d, struct totals cart,
                          bool by_credits, int64_t credits_alongside)
{
    const cJSON *invoice = cJSON_GetObjectItemCaseSensitive(d, "invoice");
    const cJSON *payment = cJSON_GetObjectItemCaseSensitive(d, "payment"), *item;
    struct totals t = totals_of(cJSON_GetObjectItemCaseSensitive(invoice, "totals"));
    int64_t lines = 0;
    int bad = 0;

    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(invoice, "items"))
    {
        CHECK(inv_money(item, "amount") ==
                  inv_money(item, "unit_price") * api_int(item, "quantity"),
              "an invoice line is not unit price * quantity");
        lines += inv_money(item, "amount");
    }
    CHECK(lines == t.subtotal, "invoice lines add to %" PRId64 ", subtotal %" PRId64, lines,
          t.subtotal);
    bad += check_totals(c, "invoice", t) + check_same(c, "cart vs invoice", cart, t);
    bad += check_same(c, "order vs invoice",
                      totals_of(cJSON_GetObjectItemCaseSensitive(
                          cJSON_GetObjectItemCaseSensitive(d, "order"), "totals")),
                      t);
    CHECK(inv_money(payment, "credits_applied") == credits_alongside,
          "credits applied %" PRId64 ", expected %" PRId64, inv_money(payment, "credits_applied"),
          credits_alongside);
    CHECK(inv_money(payment, "amount") == t.total - credits_alongside,
          "the payment collects %" PRId64 " of %" PRId64 " with %" PRId64 " in credits beside it",
          inv_money(payment, "amount"), t.total, credits_alongside);
    if (by_credits && t.total > 0)
        CHECK(strcmp(api_str(payment, "gateway") ? api_str(payment, "gateway") : "", "credits") ==
                      0 &&
                  strcmp(api_str(payment, "status"), "paid") == 0,
              "paying by credits is not a paid credits payment");
    return bad;
}

/* Empties the cart after a failure, so that the customer's next basket starts clean. */
static void cart_clear(const struct basket_case *c)
{
    struct api_resp r, d;
    const cJSON *item;

    if (inv_call(c->world, "GET", "/billing/cart", c->world->token[c->user], NULL, NULL, NULL,
                 &r) == 0)
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(api_data(&r), "items"))
        {
            char path[64];

            snprintf(path, sizeof path, "/billing/cart/items/%" PRId64, api_int(item, "id"));
            inv_call(c->world, "DELETE", path, c->world->token[c->user], NULL, NULL, NULL, &d);
            api_resp_clear(&d);
        }
    api_resp_clear(&r);
}

int basket_check(const struct basket_case *c)
{
    unsigned seed = c->seed;
    struct line lines[3];
    const struct basket_coupon *coupon;
    int n = draw(c, &seed, lines, &coupon), bad = 0;
    char body[1200], key[48], etag[32] = "";
    const char *token = c->world->token[c->user];
    struct totals quote = {0}, cart = {0};
    struct api_resp r;
    int64_t to_apply = 0;
    bool use_credits = rand_r(&seed) % 2;
    const char *method = c->credits && rand_r(&seed) % 2 ? "credits"
                         : rand_r(&seed) % 2             ? "paypal"
                                                         : "stripe";

    snprintf(body, sizeof body, "{\"items\":[");
    for (int i = 0; i < n; i++)
        snprintf(body + strlen(body), sizeof body - strlen(body),
                 "%s{\"product_id\":%" PRId64 ",\"cycle\":\"%s\",\"options\":%s,\"quantity\":%d}",
                 i ? "," : "", lines[i].p->id, lines[i].cycle, lines[i].options, lines[i].quantity);
    snprintf(body + strlen(body), sizeof body - strlen(body), "]%s%s%s}",
             coupon ? ",\"coupon\":\"" : "", coupon ? coupon->code : "", coupon ? "\"" : "");
    CHECK(inv_call(c->world, "POST", "/billing/quotes", token, NULL, NULL, body, &r) == 0 &&
              r.status == 200,
          "quote %s answered %ld %s", body, r.status, api_error_code(&r));
    if (r.status == 200)
        bad += check_quote(c, api_data(&r), n, &quote);
    api_resp_clear(&r);

    for (int i = 0; i < n && !bad; i++) {
        snprintf(body, sizeof body,
                 "{\"product_id\":%" PRId64 ",\"cycle\":\"%s\",\"options\":%s,\"quantity\":%d}",
                 lines[i].p->id, lines[i].cycle, lines[i].options, lines[i].quantity);
        CHECK(inv_call(c->world, "POST", "/billing/cart/items", token, NULL, NULL, body, &r) == 0 &&
                  r.status == 201,
              "adding %s answered %ld %s", body, r.status, api_error_code(&r));
        if (!bad && coupon && i == n - 1) {
            api_resp_clear(&r);
            snprintf(body, sizeof body, "{\"code\":\"%s\"}", coupon->code);
            CHECK(inv_call(c->world, "PUT", "/billing/cart/coupon", token, NULL, NULL, body, &r) ==
                          0 &&
                      r.status == 200,
                  "coupon %s answered %ld %s", coupon->code, r.status, api_error_code(&r));
        }
        if (!bad && i == n - 1) {
            const cJSON *totals = cJSON_GetObjectItemCaseSensitive(api_data(&r), "totals");

            cart = totals_of(totals);
            bad += check_same(c, "quote vs cart", quote, cart) + check_totals(c, "cart", cart);
            bad += check_cart_credits(c, totals, &to_apply);
            inv_etag(&r, etag, sizeof etag);
        }
        api_resp_clear(&r);
    }
    if (bad) {
        cart_clear(c);
        return -1;
    }
    snprintf(key, sizeof key, "basket-%d", c->number);
    CHECK(inv_checkout(c->world, c->user, key, etag, method, use_credits, cart.total, &r, NULL) ==
                  0 &&
              r.status == 201,
          "checkout (%s, credits %d) answered %ld %s", method, use_credits, r.status,
          api_error_code(&r));
    if (r.status == 201)
        bad += check_checkout(c, api_data(&r), cart, strcmp(method, "credits") == 0,
                              c->credits && use_credits && strcmp(method, "credits") != 0 ? to_apply
                                                                                          : 0);
    else
        cart_clear(c);
    api_resp_clear(&r);
    return bad ? -1 : 0;
}
