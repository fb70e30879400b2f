/* catalog.c: reads categories and products from the database as API JSON objects. */
#include "billing/catalog.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/pricing.h"

#define PRODUCT_FROM "FROM products p JOIN categories c ON c.id = p.category_id "
/* Categories first, in their order (categories_by_order), then each one's visible products in
 * theirs (products_listed): the list comes out sorted, and counted from the index alone. */
#define PRODUCT_FROM_LISTED "FROM categories c CROSS JOIN products p ON c.id = p.category_id "

#define PRODUCT_SELECT                                                                             \
    "SELECT p.id, p.slug, p.name, p.category_id, c.slug, p.short_description, p.description,"      \
    " p.memory_mb, p.disk_mb, p.cpu_percent, p.databases, p.backups, p.allocations,"               \
    " p.pricing_model, p.stock_limited, p.stock_available "
#define PRODUCT_COLUMNS PRODUCT_SELECT PRODUCT_FROM

#define PRODUCT_VISIBLE "p.visible = 1 AND c.visible = 1"

/* ?1 category (NULL: all). */
#define PRODUCT_FILTER "WHERE " PRODUCT_VISIBLE " AND (?1 IS NULL OR p.category_id = ?1) "
/* ?2 search text read product by product, for searches too short for the index (lower()
 * folds ASCII only). */
#define PRODUCT_SCANNED                                                                            \
    "AND (instr(lower(p.name), lower(?2)) > 0 OR instr(lower(p.slug), lower(?2)) > 0"              \
    " OR instr(lower(p.short_description), lower(?2)) > 0"                                         \
    " OR instr(lower(p.description), lower(?2)) > 0) "
/* ?5 the search as an FTS5 phrase for the trigram index products_fts; the planner starts from
 * the products it finds. */
#define PRODUCT_INDEXED "AND p.id IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?5) "

#define PRODUCT_PAGE "ORDER BY c.sort_order, c.id, p.sort_order, p.id LIMIT ?3 OFFSET ?4"

/* Trigrams need three characters; shorter searches read every product. */
#define SEARCH_INDEX_MIN_CHARS 3

enum product_search { SEARCH_NONE, SEARCH_SCANNED, SEARCH_INDEXED };

/* The count and the page of each kind of list. */
static const char *const count_sql[] = {
    [SEARCH_NONE] = "SELECT count(*) " PRODUCT_FROM_LISTED PRODUCT_FILTER,
    [SEARCH_SCANNED] = "SELECT count(*) " PRODUCT_FROM PRODUCT_FILTER PRODUCT_SCANNED,
    [SEARCH_INDEXED] = "SELECT count(*) " PRODUCT_FROM PRODUCT_FILTER PRODUCT_INDEXED,
};
static const char *const page_sql[] = {
    [SEARCH_NONE] = PRODUCT_SELECT PRODUCT_FROM_LISTED PRODUCT_FILTER PRODUCT_PAGE,
    [SEARCH_SCANNED] =
        PRODUCT_SELECT PRODUCT_FROM_LISTED PRODUCT_FILTER PRODUCT_SCANNED PRODUCT_PAGE,
    [SEARCH_INDEXED] = PRODUCT_SELECT PRODUCT_FROM PRODUCT_FILTER PRODUCT_INDEXED PRODUCT_PAGE,
};

#define CYCLE_ORDER                                                                                \
    "CASE cycle WHEN 'monthly' THEN 0 WHEN 'quarterly' THEN 1 WHEN 'semi_annual' THEN 2"           \
    " WHEN 'annual' THEN 3 WHEN 'biennial' THEN 4 ELSE 5 END"

static const char *const resource_names[] = {"memory_mb", "disk_mb", "cpu_percent",
                                             "databases", "backups", "allocations"};

/* Digits only and short enough for int64: an id rather than a slug. */
static bool catalog_parse_id(const char *s, int64_t *id)
{
    size_t n = strspn(s, "0123456789");

    if (n == 0 || s[n] != '\0' || n > 18)
        return false;
    *id = strtoll(s, NULL, 10);
    return true;
}

enum api_error catalog_categories(sqlite3 *conn, cJSON **out)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT c.id, c.slug, c.name, c.description,"
              " (SELECT count(*) FROM products p WHERE p.category_id = c.id AND p.visible = 1) "
              "FROM categories c WHERE c.visible = 1 ORDER BY c.sort_order, c.id");
    cJSON *list = cJSON_CreateArray();
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    if (!st || !list)
        goto done;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *c = cJSON_CreateObject();

        if (!c || !cJSON_AddItemToArray(list, c) ||
            !json_add_int(c, "id", sqlite3_column_int64(st, 0)) ||
            !cJSON_AddStringToObject(c, "slug", db_text(st, 1)) ||
            !cJSON_AddStringToObject(c, "name", db_text(st, 2)) ||
            !cJSON_AddStringToObject(c, "description", db_text(st, 3)) ||
            !json_add_int(c, "product_count", sqlite3_column_int64(st, 4)))
            goto done;
    }
    if (rc == SQLITE_DONE) {
        *out = list;
        list = NULL;
        err = API_OK;
    }
done:
    cJSON_Delete(list);
    db_finalize(st);
    return err;
}

/* Looks a row up by id (when numeric) and then by slug; the query takes ?1 id and ?2 slug. */
static enum api_error catalog_find(sqlite3 *conn, const char *sql, const char *id_or_slug,
                                   int64_t *id)
{
    sqlite3_stmt *st = db_prepare(conn, sql);
    int64_t numeric = 0;
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    if (catalog_parse_id(id_or_slug, &numeric))
        sqlite3_bind_int64(st, 1, numeric);
    sqlite3_bind_text(st, 2, id_or_slug, -1, SQLITE_TRANSIENT);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        *id = sqlite3_column_int64(st, 0);
        err = API_OK;
        break;
    case SQLITE_DONE:
        err = API_ERR_NOT_FOUND;
        break;
    default:
        break;
    }
    db_finalize(st);
    return err;
}

enum api_error catalog_category_find(sqlite3 *conn, const char *id_or_slug, int64_t *id)
{
    return catalog_find(conn,
                        "SELECT id FROM categories WHERE visible = 1 AND (id = ?1 OR slug = ?2) "
                        "ORDER BY id = ?1 DESC LIMIT 1",
                        id_or_slug, id);
}

/* The pricing queries, prepared once for a whole list of products and reset after each. */
struct pricing_stmts {
    sqlite3_stmt *cycles, *options;
};

static int pricing_stmts_prepare(sqlite3 *conn, struct pricing_stmts *q)
{
    q->cycles = db_prepare(conn, "SELECT cycle, months, price, setup_fee FROM product_cycles "
                                 "WHERE product_id = ? ORDER BY " CYCLE_ORDER);
    q->options = db_prepare(conn, "SELECT resource, label, unit, unit_size, min_value,"
                                  " max_value, step, default_value, unit_price "
                                  "FROM product_options WHERE product_id = ? "
                                  "ORDER BY sort_order, id");
    return q->cycles && q->options ? 0 : -1;
}

static void pricing_stmts_finalize(struct pricing_stmts *q)
{
    db_finalize(q->cycles);
    db_finalize(q->options);
    *q = (struct pricing_stmts){0};
}

/* The cycles of a product, as JSON and as pricing input. */
static int product_cycles(sqlite3_stmt *st, int64_t id, const char *currency, cJSON *json,
                          struct price_cycle **out, char ***names, size_t *n)
{
    int rc = -1, step;

    *out = NULL;
    *names = NULL;
    *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct price_cycle *grown = realloc(*out, (*n + 1) * sizeof **out);
        char **grown_names = grown ? realloc(*names, (*n + 1) * sizeof **names) : NULL;
        cJSON *c = cJSON_CreateObject();

        if (grown)
            *out = grown;
        if (grown_names)
            *names = grown_names;
        if (!grown || !grown_names || !c || !cJSON_AddItemToArray(json, c)) {
            cJSON_Delete(c);
            goto done;
        }
        (*names)[*n] = NULL;
        (*out)[*n] = (struct price_cycle){sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                                          sqlite3_column_int64(st, 3)};
        (*n)++;
        if (!((*names)[*n - 1] = strdup(db_text(st, 0))) ||
            !cJSON_AddStringToObject(c, "cycle", db_text(st, 0)) ||
            !json_add_int(c, "months", sqlite3_column_int64(st, 1)) ||
            !json_add_money(c, "price", sqlite3_column_int64(st, 2), currency) ||
            !json_add_money(c, "setup_fee", sqlite3_column_int64(st, 3), currency))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    sqlite3_reset(st);
    return rc;
}

/* The options of a product, as JSON and as pricing input. */
static int product_options(sqlite3_stmt *st, int64_t id, const char *currency, cJSON *json,
                           struct price_option **out, size_t *n)
{
    int rc = -1, step;

    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct price_option *grown = realloc(*out, (*n + 1) * sizeof **out);
        struct price_option *o;
        cJSON *j = cJSON_CreateObject();

        if (grown)
            *out = grown;
        if (!grown || !j || !cJSON_AddItemToArray(json, j)) {
            cJSON_Delete(j);
            goto done;
        }
        o = &(*out)[(*n)++];
        *o = (struct price_option){
            .unit_size = sqlite3_column_int64(st, 3),
            .min = sqlite3_column_int64(st, 4),
            .max = sqlite3_column_int64(st, 5),
            .step = sqlite3_column_int64(st, 6),
            .def = sqlite3_column_int64(st, 7),
            .unit_price = sqlite3_column_int64(st, 8),
        };
        if (!cJSON_AddStringToObject(j, "resource", db_text(st, 0)) ||
            !cJSON_AddStringToObject(j, "label", db_text(st, 1)) ||
            !cJSON_AddStringToObject(j, "unit", db_text(st, 2)) ||
            !json_add_int(j, "unit_size", o->unit_size) || !json_add_int(j, "min", o->min) ||
            !json_add_int(j, "max", o->max) || !json_add_int(j, "step", o->step) ||
            !json_add_int(j, "default", o->def) ||
            !json_add_money(j, "unit_price", o->unit_price, currency))
            goto done;
    }
    rc = step == SQLITE_DONE ? 0 : -1;
done:
    sqlite3_reset(st);
    return rc;
}

/* Adds options, cycles, from_price and from_cycle of product `id` to p. */
static int product_pricing(const struct pricing_stmts *q, int64_t id, const char *currency,
                           cJSON *p)
{
    cJSON *options = cJSON_AddArrayToObject(p, "options");
    cJSON *cycles = cJSON_AddArrayToObject(p, "cycles");
    struct price_option *opts = NULL;
    struct price_cycle *cyc = NULL;
    char **names = NULL;
    size_t n_opts = 0, n_cyc = 0, from_i = 0;
    int64_t from = 0;
    int rc = -1;

    if (!options || !cycles || product_options(q->options, id, currency, options, &opts, &n_opts) ||
        product_cycles(q->cycles, id, currency, cycles, &cyc, &names, &n_cyc))
        goto done;
    if (pricing_from(cyc, n_cyc, opts, n_opts, &from, &from_i) == PRICING_OK) {
        if (!json_add_money(p, "from_price", from, currency) ||
            !cJSON_AddStringToObject(p, "from_cycle", names[from_i]))
            goto done;
    } else if (!cJSON_AddNullToObject(p, "from_price") || !cJSON_AddNullToObject(p, "from_cycle")) {
        /* A product without cycles cannot be bought; the import refuses one, so this is only
         * reachable through a hand-edited database. */
        goto done;
    }
    rc = 0;
done:
    for (size_t i = 0; names && i < n_cyc; i++)
        free(names[i]);
    free(names);
    free(cyc);
    free(opts);
    return rc;
}

/* Builds the product object from a row of PRODUCT_COLUMNS. */
static cJSON *product_json(const struct pricing_stmts *q, sqlite3_stmt *st, const char *currency)
{
    cJSON *p = cJSON_CreateObject();
    cJSON *res = NULL, *stock = NULL;
    int64_t id = sqlite3_column_int64(st, 0);

    if (!p || !json_add_int(p, "id", id) || !cJSON_AddStringToObject(p, "slug", db_text(st, 1)) ||
        !cJSON_AddStringToObject(p, "name", db_text(st, 2)) ||
        !json_add_int(p, "category_id", sqlite3_column_int64(st, 3)) ||
        !cJSON_AddStringToObject(p, "category_slug", db_text(st, 4)) ||
        !cJSON_AddStringToObject(p, "short_description", db_text(st, 5)) ||
        !cJSON_AddStringToObject(p, "description", db_text(st, 6)) ||
        !(res = cJSON_AddObjectToObject(p, "resources")))
        goto fail;
    for (int i = 0; i < 6; i++)
        if (!json_add_int(res, resource_names[i], sqlite3_column_int64(st, 7 + i)))
            goto fail;
    if (!cJSON_AddStringToObject(p, "pricing_model", db_text(st, 13)) ||
        product_pricing(q, id, currency, p) != 0 ||
        !(stock = cJSON_AddObjectToObject(p, "stock")) ||
        !cJSON_AddBoolToObject(stock, "limited", sqlite3_column_int(st, 14)))
        goto fail;
    /* Limited stock with no count (NULL reads as 0) is nothing left; unlimited has no count. */
    if (sqlite3_column_int(st, 14) ? !json_add_int(stock, "available", sqlite3_column_int64(st, 15))
                                   : !cJSON_AddNullToObject(stock, "available"))
        goto fail;
    return p;
fail:
    cJSON_Delete(p);
    return NULL;
}

/* Characters (UTF-8 code points) in s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The search as one FTS5 string: the whole text in double quotes, its quotes doubled, so no
 * character of it is FTS5 syntax. NULL when out of memory. */
static char *search_phrase(const char *q)
{
    size_t quotes = 0, len = strlen(q);
    for (const char *c = q; *c; c++)
        quotes += *c == '"';
    char *out = malloc(len + quotes + 3), *o = out;
    if (!out)
        return NULL;
    *o++ = '"';
    for (const char *c = q; *c; c++) {
        *o++ = *c;
        if (*c == '"')
            *o++ = '"';
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

static enum product_search search_kind(const struct product_filter *f)
{
    if (!f->q || !*f->q)
        return SEARCH_NONE;
    return utf8_chars(f->q) < SEARCH_INDEX_MIN_CHARS ? SEARCH_SCANNED : SEARCH_INDEXED;
}

static int catalog_bind_filter(sqlite3_stmt *st, const struct product_filter *f)
{
    if (f->category_id)
        sqlite3_bind_int64(st, 1, f->category_id);
    switch (search_kind(f)) {
    case SEARCH_NONE:
        return 0;
    case SEARCH_SCANNED:
        return sqlite3_bind_text(st, 2, f->q, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
    case SEARCH_INDEXED:
        break;
    }
    char *phrase = search_phrase(f->q);
    return phrase && sqlite3_bind_text(st, 5, phrase, -1, free) == SQLITE_OK ? 0 : -1;
}

enum api_error catalog_products(sqlite3 *conn, const char *currency, const struct product_filter *f,
                                cJSON **items, int64_t *total)
{
    enum product_search kind = search_kind(f);
    sqlite3_stmt *count = db_prepare(conn, count_sql[kind]);
    sqlite3_stmt *st = db_prepare(conn, page_sql[kind]);
    struct pricing_stmts q = {0};
    cJSON *list = cJSON_CreateArray();
    enum api_error err = API_ERR_INTERNAL;
    int rc;

    if (!count || !st || !list || pricing_stmts_prepare(conn, &q) != 0)
        goto done;
    if (catalog_bind_filter(count, f) != 0 || sqlite3_step(count) != SQLITE_ROW)
        goto done;
    *total = sqlite3_column_int64(count, 0);
    if (catalog_bind_filter(st, f) != 0)
        goto done;
    sqlite3_bind_int64(st, 3, f->limit);
    sqlite3_bind_int64(st, 4, f->offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *p = product_json(&q, st, currency);

        if (!p || !cJSON_AddItemToArray(list, p)) {
            cJSON_Delete(p);
            goto done;
        }
    }
    if (rc == SQLITE_DONE) {
        *items = list;
        list = NULL;
        err = API_OK;
    }
done:
    cJSON_Delete(list);
    pricing_stmts_finalize(&q);
    db_finalize(count);
    db_finalize(st);
    return err;
}

enum api_error catalog_product(sqlite3 *conn, const char *currency, const char *id_or_slug,
                               cJSON **out)
{
    int64_t id = 0;
    enum api_error err = catalog_find(
        conn,
        "SELECT p.id FROM products p JOIN categories c ON c.id = p.category_id "
        "WHERE " PRODUCT_VISIBLE " AND (p.id = ?1 OR p.slug = ?2) ORDER BY p.id = ?1 DESC LIMIT 1",
        id_or_slug, &id);
    struct pricing_stmts q = {0};
    sqlite3_stmt *st;

    if (err != API_OK)
        return err;
    st = db_prepare(conn, PRODUCT_COLUMNS "WHERE p.id = ?");
    err = API_ERR_INTERNAL;
    if (st && pricing_stmts_prepare(conn, &q) == 0) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW && (*out = product_json(&q, st, currency)))
            err = API_OK;
    }
    pricing_stmts_finalize(&q);
    db_finalize(st);
    return err;
}
