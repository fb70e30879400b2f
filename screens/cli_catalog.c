/* cli_catalog.c: `sett catalog`: every category and product as operators see them, with
 * visibility, stock and prices; --json prints the API's data. */
#include "screens/cli_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/types_catalog.h"
#include "screens/format.h"
#include "screens/operator_catalog.h"

#define PER_PAGE  "100"
#define PAGES_MAX 1000

struct catalog_data {
    struct catalog_category_list *cats;
    struct catalog_product *products;
    size_t n_products;
    cJSON *json; /* {"categories": [...], "products": [...]} */
};

static void data_free(struct catalog_data *d)
{
    catalog_category_list_free(&d->cats);
    for (size_t i = 0; i < d->n_products; i++)
        catalog_product_clear(&d->products[i]);
    free(d->products);
    cJSON_Delete(d->json);
}

/* The `data` of an answer moved into `into` (an array, item by item). */
static int move_data(const char *body, size_t len, cJSON *into, struct client_error *err)
{
    cJSON *root = cJSON_ParseWithLength(body, len), *item;
    cJSON *data = root ? cJSON_GetObjectItemCaseSensitive(root, "data") : NULL;
    if (!cJSON_IsArray(data)) {
        cJSON_Delete(root);
        client_error_set(err, CLIENT_ERR_JSON, "the answer has no data array");
        return -1;
    }
    while ((item = cJSON_DetachItemFromArray(data, 0)))
        cJSON_AddItemToArray(into, item);
    cJSON_Delete(root);
    return 0;
}

static int append_products(struct catalog_data *d, struct catalog_product_page *pg,
                           struct client_error *err)
{
    struct catalog_product *grown =
        realloc(d->products, (d->n_products + pg->n + 1) * sizeof *grown);
    if (!grown) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    d->products = grown;
    memcpy(d->products + d->n_products, pg->items, pg->n * sizeof *pg->items);
    d->n_products += pg->n;
    pg->n = 0; /* moved */
    return 0;
}

/* Categories, then every page of products: decoded (so a malformed answer fails alike with and
 * without --json) and kept as JSON. */
static int fetch(struct cli *c, struct catalog_data *d, struct client_error *err)
{
    cJSON *cats, *products;
    char *body = NULL, path[128];
    size_t len;
    int pages = 1, rc = -1;

    d->json = cJSON_CreateObject();
    cats = d->json ? cJSON_AddArrayToObject(d->json, "categories") : NULL;
    products = cats ? cJSON_AddArrayToObject(d->json, "products") : NULL;
    if (!products) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    if (cli_get(c, "/admin/categories", &body, &len, err) != 0 ||
        decode_catalog_categories(body, len, &d->cats, err) != 0 ||
        move_data(body, len, cats, err) != 0)
        goto done;
    for (int page = 1; page <= pages; page++) {
        struct catalog_product_page *pg = NULL;
        free(body);
        body = NULL;
        snprintf(path, sizeof path, "/admin/products?page=%d&per_page=" PER_PAGE, page);
        if (cli_get(c, path, &body, &len, err) != 0 ||
            decode_catalog_products(body, len, &pg, err) != 0)
            goto done;
        pages = pg->meta.total_pages < PAGES_MAX ? pg->meta.total_pages : PAGES_MAX;
        int moved = append_products(d, pg, err);
        catalog_product_page_free(&pg);
        if (moved != 0 || move_data(body, len, products, err) != 0)
            goto done;
    }
    rc = 0;
done:
    free(body);
    return rc;
}

/* ---- the table ---- */

static const struct cli_column cols[] = {
    {"CATEGORY", false, false}, {"SLUG", false, false},  {"NAME", false, true},
    {"SHOWN", false, false},    {"STOCK", false, false}, {"FROM", true, false},
    {"PRICES", false, true},
};

static void amount_text(const struct cli *c, int64_t minor, char *buf, size_t n)
{
    const struct currency *cur = c->status ? &c->status->currency : NULL;
    struct money m = {.amount = minor};
    snprintf(m.currency, sizeof m.currency, "%s", cur ? cur->code : "USD");
    money_format(&m, cur, buf, n);
}

/* The screens' words for stock, with the table's tones. */
static const char *stock_text(const struct stock *s, char *buf, size_t n, enum cli_tone *tone)
{
    enum theme_elem el;
    catalog_stock_text(s, buf, n, &el);
    *tone = el == EL_STOCK_SOLDOUT ? CLI_TONE_BAD
            : el == EL_STOCK_LOW   ? CLI_TONE_WARN
                                   : CLI_TONE_NONE;
    return buf;
}

/* "monthly 8.99, annual 89.90 + 5.00 setup" */
static void prices_text(const struct cli *c, const struct catalog_product *p, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_cycles && used < n; i++) {
        char price[48], fee[64] = "";
        amount_text(c, p->cycles[i].price, price, sizeof price);
        if (p->cycles[i].setup_fee > 0) {
            char f[40];
            amount_text(c, p->cycles[i].setup_fee, f, sizeof f);
            snprintf(fee, sizeof fee, " + %s setup", f);
        }
        int w = snprintf(buf + used, n - used, "%s%s %s%s", i ? ", " : "",
                         billing_cycle_str(p->cycles[i].cycle), price, fee);
        used += w > 0 ? (size_t)w : 0;
    }
}

static int product_row(struct cli *c, struct cli_table *t, const struct catalog_product *p)
{
    char stock[32], from[64] = "", prices[512];
    enum cli_tone stock_tone;
    int64_t amount;
    enum billing_cycle cy;
    if (catalog_product_from_price(p, &amount, &cy)) {
        const struct currency *cur = c->status ? &c->status->currency : NULL;
        struct money m = {.amount = amount};
        snprintf(m.currency, sizeof m.currency, "%s", cur ? cur->code : "USD");
        fmt_price_cycle(&m, cy, cur, from, sizeof from);
    }
    prices_text(c, p, prices, sizeof prices);
    const char *shown = catalog_visibility(p->visible, p->retired);
    const char *cells[] = {p->category,
                           p->slug,
                           p->name,
                           shown,
                           stock_text(&p->stock, stock, sizeof stock, &stock_tone),
                           from,
                           prices};
    enum cli_tone tones[] = {
        0, 0, 0, p->visible && !p->retired ? CLI_TONE_NONE : CLI_TONE_DIM, stock_tone, 0, 0};
    return cli_table_add(t, cells, tones);
}

static int fill_table(struct cli *c, const struct catalog_data *d, struct cli_table *t)
{
    bool *printed = calloc(d->n_products + 1, sizeof *printed);
    int rc = printed ? 0 : -1;
    for (size_t k = 0; rc == 0 && d->cats && k < d->cats->n; k++) {
        const struct catalog_category *cat = &d->cats->items[k];
        char count[32];
        snprintf(count, sizeof count, "%d product%s", cat->product_count,
                 cat->product_count == 1 ? "" : "s");
        const char *cells[] = {cat->slug, "-", cat->name, catalog_visibility(cat->visible, false),
                               count,     "",  ""};
        enum cli_tone tones[] = {0, 0, 0, cat->visible ? CLI_TONE_NONE : CLI_TONE_DIM, 0, 0, 0};
        rc = cli_table_add(t, cells, tones);
        for (size_t i = 0; rc == 0 && i < d->n_products; i++)
            if (!printed[i] && d->products[i].category_id == cat->id) {
                printed[i] = true;
                rc = product_row(c, t, &d->products[i]);
            }
    }
    for (size_t i = 0; rc == 0 && i < d->n_products; i++)
        if (!printed[i])
            rc = product_row(c, t, &d->products[i]);
    free(printed);
    return rc;
}

int cli_catalog(struct cli *c, const struct cli_args *a)
{
    struct catalog_data d = {0};
    struct cli_table *t = NULL;
    struct client_error err;
    int code = CLI_EXIT_OK;
    (void)a;

    client_error_clear(&err);
    if (!c->json && (code = cli_need_status(c)) != CLI_EXIT_OK)
        return code;
    if (fetch(c, &d, &err) != 0) {
        code = cli_fail(&err);
        goto done;
    }
    if (c->json) {
        code = cli_json_print(d.json, stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_REFUSED;
    } else {
        if (!(t = cli_table_new(cols, 7)) || fill_table(c, &d, t) != 0) {
            client_error_set(&err, CLIENT_ERR_NOMEM, NULL);
            code = cli_fail(&err);
            goto done;
        }
        cli_table_print(t, stdout, c->width, c->color);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "sett: cannot write the output: %s\n", strerror(errno));
        code = CLI_EXIT_REFUSED;
    }
done:
    cli_table_free(&t);
    data_free(&d);
    return code;
}
