/* endpoints_catalog.c: the operator catalog endpoints (/admin/categories, /admin/products) as
 * typed requests. */
#include "client/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/types_catalog.h"

DEFINE_FINISH(finish_categories, struct catalog_category_list, decode_catalog_categories,
              catalog_category_list_free, client_catalog_categories_cb)
DEFINE_FINISH(finish_products, struct catalog_product_page, decode_catalog_products,
              catalog_product_page_free, client_catalog_products_cb)
DEFINE_FINISH(finish_apply, struct apply_prices_result, decode_apply_prices,
              apply_prices_result_free, client_apply_prices_cb)

/* A resource with a version: the response's ETag, when it sent one, is what If-Match takes next. */
#define DEFINE_VERSIONED_FINISH(name, type, decode, free_fn, cb_type)                              \
    static void name(struct call *r, const char *body, size_t len, struct client_error *err)       \
    {                                                                                              \
        type *value = NULL;                                                                        \
        long http = err->http_status;                                                              \
                                                                                                   \
        if (body && decode(body, len, &value, err) < 0)                                            \
            value = NULL;                                                                          \
        err->http_status = http;                                                                   \
        if (value && r->resp_headers.etag[0])                                                      \
            memcpy(value->etag, r->resp_headers.etag, sizeof(value->etag));                        \
        if (r->cb)                                                                                 \
            ((cb_type)r->cb)(r->ud, value, err);                                                   \
        else                                                                                       \
            free_fn(&value);                                                                       \
    }

DEFINE_VERSIONED_FINISH(finish_product, struct catalog_product, decode_catalog_product,
                        catalog_product_free, client_catalog_product_cb)
DEFINE_VERSIONED_FINISH(finish_category, struct catalog_category, decode_catalog_category,
                        catalog_category_free, client_catalog_category_cb)

/* The server checks the length (1..1000 characters; 4000 bytes is the most they take). */
static bool reason_ok(const char *reason)
{
    return reason && reason[0] && strlen(reason) <= 4000;
}

/* Adds the reason and sends `obj` (freed either way). */
static uint64_t send_json(struct client *c, const char *method, const char *path, cJSON *obj,
                          const char *reason, const char *if_match, call_finish_fn finish,
                          void (*cb)(void), void *ud)
{
    char *body;

    if (!obj || !cJSON_AddStringToObject(obj, "reason", reason) || !(body = endpoint_json(obj))) {
        cJSON_Delete(obj);
        return 0;
    }
    return endpoint_start_with(c, method, path, body, if_match, NULL, finish, cb, ud);
}

uint64_t client_catalog_get_categories(struct client *c, client_catalog_categories_cb cb, void *ud)
{
    return endpoint_start(c, "GET", "/admin/categories", NULL, finish_categories,
                          (void (*)(void))cb, ud);
}

uint64_t client_catalog_get_products(struct client *c, const struct catalog_product_query *q,
                                     client_catalog_products_cb cb, void *ud)
{
    char num[24];
    size_t cap = 160 + (q && q->q ? 3 * strlen(q->q) + 8 : 0);
    char *path = malloc(cap);
    uint64_t id;

    if (!path)
        return 0;
    strcpy(path, "/admin/products");
    if (q && q->category_id > 0) {
        snprintf(num, sizeof num, "%" PRId64, q->category_id);
        endpoint_query_add(path, "category_id", num);
    }
    if (q && q->q && q->q[0])
        endpoint_query_add(path, "q", q->q);
    if (q)
        endpoint_query_paging(path, q->page, q->per_page);
    id = endpoint_start(c, "GET", path, NULL, finish_products, (void (*)(void))cb, ud);
    free(path);
    return id;
}

uint64_t client_catalog_get_product(struct client *c, int64_t id, client_catalog_product_cb cb,
                                    void *ud)
{
    char path[64];

    if (id <= 0)
        return 0;
    snprintf(path, sizeof path, "/admin/products/%" PRId64, id);
    return endpoint_start(c, "GET", path, NULL, finish_product, (void (*)(void))cb, ud);
}

static cJSON *cycles_json(const struct catalog_cycle *cycles, size_t n)
{
    cJSON *arr = cJSON_CreateArray();

    for (size_t i = 0; arr && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto fail;
        }
        if (cycles[i].price < 0 || cycles[i].price > ENDPOINT_INT_MAX || cycles[i].setup_fee < 0 ||
            cycles[i].setup_fee > ENDPOINT_INT_MAX ||
            !cJSON_AddStringToObject(o, "cycle", billing_cycle_str(cycles[i].cycle)) ||
            !cJSON_AddNumberToObject(o, "price", (double)cycles[i].price) ||
            !cJSON_AddNumberToObject(o, "setup_fee", (double)cycles[i].setup_fee))
            goto fail;
    }
    return arr;
fail:
    cJSON_Delete(arr);
    return NULL;
}

/* The merge patch: only what the caller set; NULL when there is nothing to change. */
static cJSON *product_patch_json(const struct catalog_product_patch *p)
{
    cJSON *obj = cJSON_CreateObject();
    cJSON *cycles = NULL;
    bool ok = obj != NULL;

    if (ok && p->name)
        ok = cJSON_AddStringToObject(obj, "name", p->name) != NULL;
    if (ok && p->short_description)
        ok = cJSON_AddStringToObject(obj, "short_description", p->short_description) != NULL;
    if (ok && p->description)
        ok = cJSON_AddStringToObject(obj, "description", p->description) != NULL;
    if (ok && p->visible >= 0)
        ok = cJSON_AddBoolToObject(obj, "visible", p->visible) != NULL;
    if (ok && p->retired >= 0)
        ok = cJSON_AddBoolToObject(obj, "retired", p->retired) != NULL;
    if (ok && p->category_id > 0)
        ok = cJSON_AddNumberToObject(obj, "category_id", (double)p->category_id) != NULL;
    if (ok && p->set_sort_order)
        ok = cJSON_AddNumberToObject(obj, "sort_order", p->sort_order) != NULL;
    if (ok && p->cycles) {
        ok = p->n_cycles > 0 && (cycles = cycles_json(p->cycles, p->n_cycles)) &&
             cJSON_AddItemToObject(obj, "cycles", cycles);
        if (!ok)
            cJSON_Delete(cycles);
    }
    if (!ok || !obj->child) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

uint64_t client_catalog_patch_product(struct client *c, int64_t id, const char *if_match,
                                      const struct catalog_product_patch *patch, const char *reason,
                                      client_catalog_product_cb cb, void *ud)
{
    char path[64];

    if (id <= 0 || !patch || !reason_ok(reason) || !header_value_ok(if_match))
        return 0;
    snprintf(path, sizeof path, "/admin/products/%" PRId64, id);
    return send_json(c, "PATCH", path, product_patch_json(patch), reason, if_match, finish_product,
                     (void (*)(void))cb, ud);
}

uint64_t client_catalog_set_stock(struct client *c, int64_t id,
                                  const struct catalog_stock_change *change, const char *reason,
                                  client_catalog_product_cb cb, void *ud)
{
    char path[64];
    cJSON *obj;
    bool ok;

    if (id <= 0 || !change || !reason_ok(reason) || change->n > ENDPOINT_INT_MAX ||
        change->n < -ENDPOINT_INT_MAX || (change->kind == STOCK_SET && change->n < 0))
        return 0;
    if (!(obj = cJSON_CreateObject()))
        return 0;
    switch (change->kind) {
    case STOCK_SET:
        ok = cJSON_AddNumberToObject(obj, "set", (double)change->n) != NULL;
        break;
    case STOCK_ADJUST:
        ok = change->n != 0 && cJSON_AddNumberToObject(obj, "adjust", (double)change->n) != NULL;
        break;
    default:
        ok = cJSON_AddBoolToObject(obj, "unlimited", true) != NULL;
        break;
    }
    if (!ok) {
        cJSON_Delete(obj);
        return 0;
    }
    snprintf(path, sizeof path, "/admin/products/%" PRId64 "/stock", id);
    return send_json(c, "POST", path, obj, reason, NULL, finish_product, (void (*)(void))cb, ud);
}

uint64_t client_catalog_apply_prices(struct client *c, int64_t id, const char *reason,
                                     client_apply_prices_cb cb, void *ud)
{
    char path[80];

    if (id <= 0 || !reason_ok(reason))
        return 0;
    snprintf(path, sizeof path, "/admin/products/%" PRId64 "/apply-prices", id);
    return send_json(c, "POST", path, cJSON_CreateObject(), reason, NULL, finish_apply,
                     (void (*)(void))cb, ud);
}

uint64_t client_catalog_patch_category(struct client *c, int64_t id, const char *if_match,
                                       const struct catalog_category_patch *patch,
                                       const char *reason, client_catalog_category_cb cb, void *ud)
{
    char path[64];
    cJSON *obj;
    bool ok;

    if (id <= 0 || !patch || !reason_ok(reason) || !header_value_ok(if_match) ||
        !(obj = cJSON_CreateObject()))
        return 0;
    ok = (!patch->name || cJSON_AddStringToObject(obj, "name", patch->name)) &&
         (!patch->description || cJSON_AddStringToObject(obj, "description", patch->description)) &&
         (patch->visible < 0 || cJSON_AddBoolToObject(obj, "visible", patch->visible)) &&
         (!patch->set_sort_order || cJSON_AddNumberToObject(obj, "sort_order", patch->sort_order));
    if (!ok || !obj->child) {
        cJSON_Delete(obj);
        return 0;
    }
    snprintf(path, sizeof path, "/admin/categories/%" PRId64, id);
    return send_json(c, "PATCH", path, obj, reason, if_match, finish_category, (void (*)(void))cb,
                     ud);
}
