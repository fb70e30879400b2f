/* handlers_catalog.c: the public store front: shop status, categories and products. */
#include "billing/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/catalog.h"
#include "billing/catalog_cache.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/paymethod.h"
#include "billing/text.h"
#include "billing/settings.h"

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX     100
#define PAGE_MAX         2147483647 /* what a 32-bit client can hold */

static cJSON *status_json(const struct billingd *app, const struct settings *s)
{
    cJSON *d = cJSON_CreateObject();
    cJSON *cur, *tax, *gw;

    if (!d || !cJSON_AddBoolToObject(d, "enabled", s->billing_enabled) ||
        !cJSON_AddBoolToObject(d, "licensed", s->billing_licensed) ||
        !cJSON_AddBoolToObject(d, "credits_enabled", s->credits_enabled) ||
        !cJSON_AddBoolToObject(d, "auto_activate", s->auto_activate) ||
        !cJSON_AddBoolToObject(d, "signup_enabled", s->signup_enabled) ||
        !(cur = cJSON_AddObjectToObject(d, "currency")) ||
        !cJSON_AddStringToObject(cur, "code", s->currency_code) ||
        !cJSON_AddStringToObject(cur, "symbol", s->currency_symbol) ||
        !json_add_int(cur, "exponent", s->currency_exponent) ||
        !(tax = cJSON_AddObjectToObject(d, "tax")) ||
        !cJSON_AddBoolToObject(tax, "enabled", s->tax_enabled) ||
        !cJSON_AddStringToObject(tax, "name", s->tax_name) ||
        !json_add_int(tax, "rate_bps", s->tax_rate_bps) ||
        !cJSON_AddBoolToObject(tax, "inclusive", s->tax_inclusive) ||
        !(gw = cJSON_AddArrayToObject(d, "gateways")) || paymethod_list(app, s, gw) != 0 ||
        !cJSON_AddBoolToObject(d, "sandbox", gateway_sandbox(app)))
        goto fail;
    return d;
fail:
    cJSON_Delete(d);
    return NULL;
}

void handle_status(struct request *req, struct reply *rep)
{
    struct settings s;

    if (db_settings(req->app->db, &s) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_data(rep, 200, status_json(req->app, &s));
}

static void categories_build(sqlite3 *conn, struct request *req, struct reply *rep, void *ctx)
{
    cJSON *list = NULL;
    enum api_error err = catalog_categories(conn, &list);

    (void)req;
    (void)ctx;
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_data(rep, 200, list);
}

void handle_categories(struct request *req, struct reply *rep)
{
    catalog_cache_serve(req, rep, "categories", categories_build, NULL);
}

/* A query argument that must be an integer in [1, max]; absent gives fallback, anything else
 * records `problem` against the field. */
static void query_int(struct request *req, struct reply *rep, const char *key, int64_t max,
                      int64_t fallback, const char *problem, int64_t *out)
{
    const char *v = request_query(req, key);
    size_t digits = v ? strspn(v, "0123456789") : 0;

    *out = fallback;
    if (!v)
        return;
    if (digits > 0 && v[digits] == '\0' && digits <= 10) {
        *out = strtoll(v, NULL, 10);
        if (*out >= 1 && *out <= max)
            return;
    }
    *out = fallback;
    reply_field(rep, key, problem);
}

struct products_query {
    const char *category, *q;
    int64_t page, per_page;
};

static void products_build(sqlite3 *conn, struct request *req, struct reply *rep, void *ctx)
{
    const struct products_query *pq = ctx;
    struct product_filter f = {.q = pq->q, .limit = pq->per_page};
    struct settings s;
    cJSON *items = NULL;
    int64_t total = 0;
    enum api_error err;
    char echo[80];

    (void)req;
    f.offset = (pq->page - 1) * pq->per_page; /* at most 2^31 * 100: no overflow */
    err = settings_load(conn, &s) == 0 ? API_OK : API_ERR_INTERNAL;
    if (err == API_OK && pq->category)
        err = catalog_category_find(conn, pq->category, &f.category_id);
    if (err == API_OK)
        err = catalog_products(conn, s.currency_code, &f, &items, &total);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No category with id or slug '%s'.",
                    text_echo(pq->category, echo, sizeof echo));
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, pq->page, pq->per_page, total);
}

/* Everything a product list depends on but the database; texts are length-prefixed so no value
 * can pass for another. NULL when out of memory (free it). */
static char *products_key(const struct products_query *pq)
{
    const char *cat = pq->category ? pq->category : "", *q = pq->q ? pq->q : "";
    size_t size = strlen(cat) + strlen(q) + 96;
    char *key = malloc(size);

    if (key)
        snprintf(key, size, "products %zu:%s %zu:%s %lld %lld", strlen(cat), cat, strlen(q), q,
                 (long long)pq->page, (long long)pq->per_page);
    return key;
}

void handle_products(struct request *req, struct reply *rep)
{
    struct products_query pq = {.category = request_query(req, "category"),
                                .q = request_query(req, "q")};
    char *key;

    query_int(req, rep, "page", PAGE_MAX, 1, "must be a positive integer (at most 2147483647)",
              &pq.page);
    query_int(req, rep, "per_page", PER_PAGE_MAX, PER_PAGE_DEFAULT,
              "must be an integer from 1 to 100", &pq.per_page);
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    /* Empty means absent, for the category and the search alike. */
    if (pq.category && !*pq.category)
        pq.category = NULL;
    if (pq.q && !*pq.q)
        pq.q = NULL;
    if (!(key = products_key(&pq))) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    catalog_cache_serve(req, rep, key, products_build, &pq);
    free(key);
}

static void product_build(sqlite3 *conn, struct request *req, struct reply *rep, void *ctx)
{
    struct settings s;
    cJSON *product = NULL;
    enum api_error err;
    char echo[80];

    (void)ctx;
    err = settings_load(conn, &s) == 0 ? API_OK : API_ERR_INTERNAL;
    if (err == API_OK)
        err = catalog_product(conn, s.currency_code, req->params[0], &product);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No product with id or slug '%s'.",
                    text_echo(req->params[0], echo, sizeof echo));
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_data(rep, 200, product);
}

void handle_product(struct request *req, struct reply *rep)
{
    size_t size = strlen(req->params[0]) + 16;
    char *key = malloc(size);

    if (!key) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    snprintf(key, size, "product %s", req->params[0]);
    catalog_cache_serve(req, rep, key, product_build, NULL);
    free(key);
}
