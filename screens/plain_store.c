/* plain_store.c: plain mode's store: categories, a category's products or a search, a product. */
#include "screens/plain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"

struct plain_store {
    struct category_list *cats;
    struct product_page *products;
    char category[128]; /* the slug of the category shown, "" for a search */
    char heading[300];  /* the category's name, or the search's words */
    char search[256];
    struct product *product;
    size_t cycle; /* index into product->cycles */
    int64_t values[16];
    int qty;
    struct quote *quote;
};

static struct plain_store *st(struct plain *p)
{
    if (!p->store)
        p->store = calloc(1, sizeof *p->store);
    return p->store;
}

void plain_store_free(struct plain *p)
{
    if (!p->store)
        return;
    category_list_free(&p->store->cats);
    product_page_free(&p->store->products);
    product_free(&p->store->product);
    quote_free(&p->store->quote);
    free(p->store);
    p->store = NULL;
}

/* ---- the store: categories ---- */

static int store_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (!st(p))
        return -1;
    if (plain_wait(p, client_get_categories(p->client, plain_on_categories, &r), &r) != 0) {
        plain_fail(p, "load the store's categories", &r.err);
        return -1;
    }
    category_list_free(&p->store->cats);
    p->store->cats = r.value;
    return 0;
}

static void category_item(struct plain *p, int i)
{
    const struct category *c = &p->store->cats->items[i];
    char name[256], desc[512];
    plain_clean(c->name, name, sizeof name);
    plain_clean(c->description, desc, sizeof desc);
    plain_say(p, "%d. %s: %d product%s.%s%s", i + 1, name, c->product_count,
              c->product_count == 1 ? "" : "s", desc[0] ? " " : "", desc);
}

static void store_print(struct plain *p)
{
    int n = (int)p->store->cats->n;
    plain_say(p, "Store. %d categor%s.%s%s%s", n, n == 1 ? "y" : "ies",
              p->user[0] ? " Signed in as " : "", p->user, p->user[0] ? "." : "");
    plain_list_start(p, n, category_item);
    plain_say(p, "Type a number to open a category, or / and words to search every product.");
}

static enum plain_result store_number(struct plain *p, int n)
{
    struct plain_store *s = p->store;
    if (n < 1 || (size_t)n > s->cats->n) {
        plain_no_such(p, "category", n, s->cats->n);
        return PLAIN_STAY;
    }
    snprintf(s->category, sizeof s->category, "%s", s->cats->items[n - 1].slug);
    plain_clean(s->cats->items[n - 1].name, s->heading, sizeof s->heading);
    s->search[0] = '\0';
    return plain_open(p, &plain_category_screen);
}

static enum plain_result search(struct plain *p, const char *arg)
{
    struct plain_store *s = st(p);
    char words[256];
    if (!s)
        return PLAIN_STAY;
    if (arg[0])
        snprintf(words, sizeof words, "%s", arg);
    else if (!plain_ask(p, "Search for (an empty line cancels):", words, sizeof words, false) ||
             !words[0])
        return PLAIN_STAY;
    snprintf(s->search, sizeof s->search, "%s", words);
    s->category[0] = '\0';
    plain_clean(words, s->heading, sizeof s->heading);
    return plain_open(p, &plain_category_screen);
}

static const struct plain_cmd store_cmds[] = {
    {"/", "search every product (/ and the words, or / alone to be asked)", search, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_store_screen = {
    .name = "store",
    .load = store_load,
    .print = store_print,
    .number_help = "open that category",
    .number = store_number,
    .cmds = store_cmds,
};

/* ---- a category's products, or a search's ---- */

static int category_load(struct plain *p)
{
    struct plain_store *s = p->store;
    struct plain_reply r = {0};
    struct product_query q = {.category = s->category[0] ? s->category : NULL,
                              .q = s->search[0] ? s->search : NULL,
                              .per_page = 100};
    if (plain_wait(p, client_get_products(p->client, &q, plain_on_products, &r), &r) != 0) {
        plain_fail(p, "load the products", &r.err);
        return -1;
    }
    product_page_free(&s->products);
    s->products = r.value;
    return 0;
}

static void product_item(struct plain *p, int i)
{
    const struct product *pr = &p->store->products->items[i];
    char name[256], price[64], res[256], stock[64];
    plain_clean(pr->name, name, sizeof name);
    plain_money(p, &pr->from_price, price, sizeof price);
    plain_resources(&pr->resources, res, sizeof res);
    fmt_stock(&pr->stock, stock, sizeof stock, &(enum theme_elem){0});
    plain_say(p, "%d. %s, from %s %s. %s. %s.", i + 1, name, price,
              plain_cycle_words(pr->from_cycle), res, stock);
}

static void category_print(struct plain *p)
{
    struct plain_store *s = p->store;
    int n = (int)s->products->n;
    if (s->search[0])
        plain_say(p, "Search for \"%s\": %d product%s found.", s->heading, n, n == 1 ? "" : "s");
    else
        plain_say(p, "%s: %d product%s.", s->heading, n, n == 1 ? "" : "s");
    plain_list_start(p, n, product_item);
    if (n > 0)
        plain_say(p, "Type a number to open a product.");
}

static enum plain_result category_number(struct plain *p, int n)
{
    struct plain_store *s = p->store;
    if (n < 1 || (size_t)n > s->products->n) {
        plain_no_such(p, "product", n, s->products->n);
        return PLAIN_STAY;
    }
    product_free(&s->product);
    /* the product is loaded whole (options, every cycle) by its screen */
    s->product = calloc(1, sizeof *s->product);
    if (!s->product)
        return PLAIN_STAY;
    s->product->id = s->products->items[n - 1].id;
    s->product->slug = strdup(s->products->items[n - 1].slug);
    return plain_open(p, &plain_product_screen);
}

const struct plain_screen_ops plain_category_screen = {
    .name = "category",
    .load = category_load,
    .print = category_print,
    .number_help = "open that product",
    .number = category_number,
    .cmds = store_cmds,
};

/* ---- a product ---- */

static void line_of(struct plain_store *s, struct line_request *line, struct option_choice *opts)
{
    const struct product *pr = s->product;
    size_t n = pr->n_options < 16 ? pr->n_options : 16;
    for (size_t i = 0; i < n; i++)
        opts[i] = (struct option_choice){pr->options[i].resource, s->values[i]};
    *line = (struct line_request){.product_id = pr->id,
                                  .cycle = pr->cycles[s->cycle].cycle,
                                  .options = opts,
                                  .n_options = n,
                                  .quantity = s->qty};
}

/* The server's price for the choice; says it. */
static void quote(struct plain *p, bool say)
{
    struct plain_store *s = p->store;
    struct option_choice opts[16];
    struct line_request line;
    struct plain_reply r = {0};
    line_of(s, &line, opts);
    struct quote_request q = {.items = &line, .n_items = 1};
    quote_free(&s->quote);
    if (plain_wait(p, client_quote(p->client, &q, plain_on_quote, &r), &r) != 0) {
        plain_fail(p, "price this choice", &r.err);
        return;
    }
    s->quote = r.value;
    if (!say || s->quote->n_items == 0)
        return;
    const struct priced_line *l = &s->quote->items[0];
    char total[64], rec[64], setup[64];
    plain_money(p, &s->quote->totals.total, total, sizeof total);
    plain_money(p, &l->recurring, rec, sizeof rec);
    plain_money(p, &l->setup_fee, setup, sizeof setup);
    if (l->cycle == CYCLE_ONE_TIME)
        plain_say(p, "Price: %s, once.", total);
    else
        plain_say(p, "Price: %s now%s%s, then %s %s.", total,
                  l->setup_fee.amount ? ", setup fee " : "", l->setup_fee.amount ? setup : "", rec,
                  plain_cycle_words(l->cycle));
    if (!l->available)
        plain_say(p, "Not available in this quantity right now.");
}

static int product_load(struct plain *p)
{
    struct plain_store *s = p->store;
    struct plain_reply r = {0};
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, s->product->id);
    if (plain_wait(p, client_get_product(p->client, id, plain_on_product, &r), &r) != 0) {
        plain_fail(p, "load the product", &r.err);
        return -1;
    }
    struct product *pr = r.value;
    if (pr->n_cycles == 0) {
        plain_say(p, "This product has no price yet, so it cannot be ordered.");
        product_free(&pr);
        return -1;
    }
    bool same = s->product->name != NULL && s->product->id == pr->id;
    product_free(&s->product);
    s->product = pr;
    if (!same) { /* a product opened anew starts at its from-price and defaults */
        s->cycle = 0;
        for (size_t i = 0; i < pr->n_cycles; i++)
            if (pr->cycles[i].cycle == pr->from_cycle)
                s->cycle = i;
        for (size_t i = 0; i < pr->n_options && i < 16; i++)
            s->values[i] = pr->options[i].def;
        s->qty = 1;
    }
    quote(p, false);
    return 0;
}

static void option_value(const struct product_option *o, int64_t v, char *buf, size_t n)
{
    char val[64], label[128];
    fmt_option_value(o, v, val, sizeof val);
    plain_clean(o->label, label, sizeof label);
    snprintf(buf, n, "%s %s", label, val);
}

void plain_option_choices(const struct product *pr, const int64_t *values, size_t n_values,
                          char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < pr->n_options && i < n_values && len < n; i++) {
        char one[200];
        option_value(&pr->options[i], values[i], one, sizeof one);
        len += (size_t)snprintf(buf + len, n - len, ", %s", one);
    }
}

static void product_print(struct plain *p)
{
    struct plain_store *s = p->store;
    const struct product *pr = s->product;
    char name[256], desc[2048], res[256], stock[64], price[64], fee[64], chosen[600];
    plain_clean(pr->name, name, sizeof name);
    plain_clean(pr->description[0] ? pr->description : pr->short_description, desc, sizeof desc);
    plain_resources(&pr->resources, res, sizeof res);
    fmt_stock(&pr->stock, stock, sizeof stock, &(enum theme_elem){0});
    plain_say(p, "Product: %s.", name);
    if (desc[0])
        plain_say(p, "%s", desc);
    plain_say(p, "Includes %s. %s.", res, stock);
    plain_say(p, "Billing cycles:");
    for (size_t i = 0; i < pr->n_cycles; i++) {
        const struct product_cycle *c = &pr->cycles[i];
        plain_money(p, &c->price, price, sizeof price);
        plain_money(p, &c->setup_fee, fee, sizeof fee);
        plain_say(p, "%zu. %s, %s %s%s%s%s.", i + 1, billing_cycle_label(c->cycle), price,
                  plain_cycle_words(c->cycle), c->setup_fee.amount ? ", plus a setup fee of " : "",
                  c->setup_fee.amount ? fee : "", i == s->cycle ? " (chosen)" : "");
    }
    plain_option_choices(pr, s->values, 16, chosen, sizeof chosen);
    plain_say(p, "Chosen: %s, quantity %d%s.", billing_cycle_label(pr->cycles[s->cycle].cycle),
              s->qty, chosen);
    if (s->quote && s->quote->n_items) {
        char total[64];
        plain_money(p, &s->quote->totals.total, total, sizeof total);
        plain_say(p, "Price from the shop: %s%s.", total,
                  s->quote->totals.n_tax_lines ? ", tax included" : "");
    }
    plain_say(p, "Type a number to choose the cycle, %sn for the quantity, a to add to the cart.",
              pr->n_options ? "o to configure the resources, " : "");
}

static enum plain_result product_number(struct plain *p, int n)
{
    struct plain_store *s = p->store;
    if (n < 1 || (size_t)n > s->product->n_cycles) {
        plain_no_such(p, "cycle", n, s->product->n_cycles);
        return PLAIN_STAY;
    }
    s->cycle = (size_t)n - 1;
    plain_say(p, "Cycle: %s.", billing_cycle_label(s->product->cycles[s->cycle].cycle));
    quote(p, true);
    return PLAIN_STAY;
}

bool plain_ask_option(struct plain *p, const struct product_option *o, int64_t *value)
{
    int64_t step = o->step > 0 ? o->step : 1;
    int64_t count = (o->max - o->min) / step + 1;
    char now[200], lo[200], hi[200], line[64], *end;
    option_value(o, *value, now, sizeof now);
    option_value(o, o->min, lo, sizeof lo);
    option_value(o, o->max, hi, sizeof hi);
    plain_say(p, "Now: %s. Choices 1 (%s) to %lld (%s).", now, lo, (long long)count, hi);
    if (count <= 16)
        for (int64_t k = 0; k < count; k++) {
            option_value(o, o->min + k * step, now, sizeof now);
            plain_say(p, "%lld. %s", (long long)k + 1, now);
        }
    for (;;) {
        if (!plain_ask(p, "Your choice (an empty line keeps it):", line, sizeof line, false))
            return false;
        if (!line[0])
            return true;
        long long k = strtoll(line, &end, 10);
        if (end != line && *end == '\0' && k >= 1 && k <= count) {
            *value = o->min + (k - 1) * step;
            return true;
        }
        plain_say(p, "Please type a number from 1 to %lld.", (long long)count);
    }
}

static enum plain_result configure(struct plain *p, const char *arg)
{
    const struct product *pr = p->store->product;
    (void)arg;
    if (!pr->n_options) {
        plain_say(p, "This product has no configurable resources.");
        return PLAIN_STAY;
    }
    for (size_t i = 0; i < pr->n_options && i < 16; i++)
        if (!plain_ask_option(p, &pr->options[i], &p->store->values[i]))
            return PLAIN_QUIT;
    quote(p, true);
    return PLAIN_STAY;
}

static enum plain_result quantity(struct plain *p, const char *arg)
{
    char line[32], *end;
    if (arg[0])
        snprintf(line, sizeof line, "%s", arg);
    else if (!plain_ask(p, "Quantity, 1 to 100:", line, sizeof line, false))
        return PLAIN_QUIT;
    long n = strtol(line, &end, 10);
    if (end == line || *end || n < 1 || n > 100) {
        plain_say(p, "The quantity stays %d: please type a number from 1 to 100.", p->store->qty);
        return PLAIN_STAY;
    }
    p->store->qty = (int)n;
    plain_say(p, "Quantity: %d.", p->store->qty);
    quote(p, true);
    return PLAIN_STAY;
}

static enum plain_result add(struct plain *p, const char *arg)
{
    struct plain_store *s = p->store;
    struct option_choice opts[16];
    struct line_request line;
    struct plain_reply r = {0};
    char name[256];
    (void)arg;
    if (!plain_need_signin(p))
        return PLAIN_STAY;
    line_of(s, &line, opts);
    if (plain_wait(p, client_cart_add(p->client, &line, NULL, plain_on_cart, &r), &r) != 0) {
        plain_fail(p, "add it to the cart", &r.err);
        return PLAIN_STAY;
    }
    cart_free(&p->cart);
    p->cart = r.value;
    plain_clean(s->product->name, name, sizeof name);
    const char *cycle = billing_cycle_str(line.cycle);
    char words[32];
    snprintf(words, sizeof words, "%s", cycle);
    for (char *c = words; *c; c++)
        if (*c == '_')
            *c = '-';
    char sum[200];
    plain_cart_words(p, p->cart, sum, sizeof sum);
    if (s->qty > 1)
        plain_say(p, "Added %d of %s, %s, to the cart. %s", s->qty, name, words, sum);
    else
        plain_say(p, "Added %s, %s, to the cart. %s", name, words, sum);
    return PLAIN_STAY;
}

static const struct plain_cmd product_cmds[] = {
    {"o", "configure the resources (memory, disk, CPU...)", configure, NULL},
    {"n", "the quantity (n and a number, or n alone to be asked)", quantity, NULL},
    {"a", "add to the cart", add, NULL},
    {"/", "search every product", search, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_product_screen = {
    .name = "product",
    .load = product_load,
    .print = product_print,
    .number_help = "choose that billing cycle",
    .number = product_number,
    .cmds = product_cmds,
};
