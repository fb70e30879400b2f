/* handlers_catalog.c: the public store front: shop status, categories and products. */
#include "billing/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/catalog.h"
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
    sqlite3 *conn = db_acquire(req->app->db);
    int rc = settings_load(conn, &s);

    db_release(req->app->db);
    if (rc != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_data(rep, 200, status_json(req->app, &s));
}

void handle_categories(struct request *req, struct reply *rep)
{
    cJSON *list = NULL;
    sqlite3 *conn = db_acquire(req->app->db);
    enum api_error err = catalog_categories(conn, &list);

    db_release(req->app->db);
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_data(rep, 200, list);
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

void handle_products(struct request *req, struct reply *rep)
{
    struct product_filter f = {0};
    struct settings s;
    const char *category = request_query(req, "category");
    cJSON *items = NULL;
    int64_t page, per_page, total = 0;
    enum api_error err;
    char echo[80];
    sqlite3 *conn;

    query_int(req, rep, "page", PAGE_MAX, 1, "must be a positive integer (at most 2147483647)",
              &page);
    query_int(req, rep, "per_page", PER_PAGE_MAX, PER_PAGE_DEFAULT,
              "must be an integer from 1 to 100", &per_page);
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    f.q = request_query(req, "q");
    f.limit = per_page;
    f.offset = (page - 1) * per_page; /* at most 2^31 * 100: no overflow */
    conn = db_acquire(req->app->db);
    err = settings_load(conn, &s) == 0 ? API_OK : API_ERR_INTERNAL;
    if (err == API_OK && category && *category)
        err = catalog_category_find(conn, category, &f.category_id);
    if (err == API_OK)
        err = catalog_products(conn, s.currency_code, &f, &items, &total);
    db_release(req->app->db);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No category with id or slug '%s'.",
                    text_echo(category, echo, sizeof echo));
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}

void handle_product(struct request *req, struct reply *rep)
{
    struct settings s;
    cJSON *product = NULL;
    enum api_error err;
    char echo[80];
    sqlite3 *conn = db_acquire(req->app->db);

    err = settings_load(conn, &s) == 0 ? API_OK : API_ERR_INTERNAL;
    if (err == API_OK)
        err = catalog_product(conn, s.currency_code, req->params[0], &product);
    db_release(req->app->db);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No product with id or slug '%s'.",
                    text_echo(req->params[0], echo, sizeof echo));
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_data(rep, 200, product);
}
