/* decode_shared.c: envelope, meta, enums, product summaries, options and totals for the
 * decoders of carts, orders, services and invoices. */
#include "client/decode_shared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int decode_object(const char *body, size_t len, size_t size, decode_read_fn read,
                  void (*destroy)(void *), void **out, struct client_error *err)
{
    const cJSON *data;
    cJSON *root;
    void *v;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    v = calloc(1, size);
    if (!v) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        cJSON_Delete(root);
        return -1;
    }
    if (read(root, data, v, err) < 0) {
        destroy(v);
        cJSON_Delete(root);
        return -1;
    }
    cJSON_Delete(root);
    *out = v;
    return 0;
}

int decode_fail(const char *where, const char *name, const char *what, struct client_error *err)
{
    char path[WIRE_PATH_MAX];

    client_error_set(err, CLIENT_ERR_JSON, "field %s: %s",
                     name ? wire_path_member(path, where, name) : where, what);
    return -1;
}

int decode_meta(const cJSON *root, size_t n, struct page_meta *m, struct client_error *err)
{
    const cJSON *meta;

    if (wire_get_object(root, "", "meta", WIRE_OPTIONAL, &meta, err) < 0 ||
        wire_get_int(meta, "meta", "current_page", WIRE_OPTIONAL, 1, &m->current_page, err) < 0 ||
        wire_get_int(meta, "meta", "per_page", WIRE_OPTIONAL, (int)n, &m->per_page, err) < 0 ||
        wire_get_int(meta, "meta", "total", WIRE_OPTIONAL, (int)n, &m->total, err) < 0 ||
        wire_get_int(meta, "meta", "total_pages", WIRE_OPTIONAL, 1, &m->total_pages, err) < 0)
        return -1;
    return 0;
}

/* One reader per enum: the string, then its value by the enum's own parse function. */
#define DEFINE_ENUM_READER(fn, type, parse, what)                                                  \
    int fn(const cJSON *obj, const char *where, const char *name, type *out,                       \
           struct client_error *err)                                                               \
    {                                                                                              \
        char *s = NULL;                                                                            \
        int rc = 0;                                                                                \
                                                                                                   \
        if (wire_get_string(obj, where, name, WIRE_REQUIRED, NULL, &s, err) < 0)                   \
            return -1;                                                                             \
        if (parse(s, out) < 0)                                                                     \
            rc = decode_fail(where, name, "unknown " what, err);                                   \
        free(s);                                                                                   \
        return rc;                                                                                 \
    }

DEFINE_ENUM_READER(decode_cycle, enum billing_cycle, billing_cycle_parse, "billing cycle")
DEFINE_ENUM_READER(decode_service_status, enum service_status, service_status_parse,
                   "service status")
DEFINE_ENUM_READER(decode_invoice_status, enum invoice_status, invoice_status_parse,
                   "invoice status")
DEFINE_ENUM_READER(decode_payment_status, enum payment_status, payment_status_parse,
                   "payment status")
DEFINE_ENUM_READER(decode_order_status, enum order_status, order_status_parse, "order status")
DEFINE_ENUM_READER(decode_invoice_kind, enum invoice_kind, invoice_kind_parse, "invoice kind")
DEFINE_ENUM_READER(decode_credit_tx_type, enum credit_tx_type, credit_tx_type_parse,
                   "transaction type")
DEFINE_ENUM_READER(decode_cancellation_type, enum cancellation_type, cancellation_type_parse,
                   "cancellation type")

int decode_product_summary(const cJSON *obj, const char *where, const char *name,
                           struct product_summary *out, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *p;

    if (wire_get_object(obj, where, name, WIRE_REQUIRED, &p, err) < 0)
        return -1;
    wire_path_member(path, where, name);
    if (wire_get_int64(p, path, "id", WIRE_REQUIRED, 0, &out->id, err) < 0 ||
        wire_get_string(p, path, "name", WIRE_REQUIRED, NULL, &out->name, err) < 0 ||
        wire_get_string(p, path, "slug", WIRE_OPTIONAL, "", &out->slug, err) < 0 ||
        wire_get_string(p, path, "category_slug", WIRE_OPTIONAL, "", &out->category_slug, err) < 0)
        return -1;
    return 0;
}

int decode_options(const cJSON *obj, const char *where, const char *name, struct option_value **out,
                   size_t *n, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *opts, *v;
    int size;

    *out = NULL;
    *n = 0;
    if (wire_get_object(obj, where, name, WIRE_OPTIONAL, &opts, err) < 0)
        return -1;
    size = opts ? cJSON_GetArraySize(opts) : 0;
    if (size <= 0)
        return 0;
    if (size > WIRE_ARRAY_MAX)
        return decode_fail(where, name, "too many options", err);
    if (!(*out = calloc((size_t)size, sizeof(**out)))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    wire_path_member(path, where, name);
    cJSON_ArrayForEach(v, opts)
    {
        struct option_value *o = &(*out)[(*n)++];

        if (!(o->resource = strdup(v->string))) {
            client_error_set(err, CLIENT_ERR_NOMEM, NULL);
            return -1;
        }
        if (wire_get_int64(opts, path, v->string, WIRE_REQUIRED, 0, &o->value, err) < 0)
            return -1;
        if (o->value < 0)
            return decode_fail(path, v->string, "must not be negative", err);
    }
    return 0;
}

static int read_tax_line(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct tax_line *t = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_string(v, where, "name", WIRE_REQUIRED, NULL, &t->name, err) < 0 ||
        wire_get_int(v, where, "rate_bps", WIRE_OPTIONAL, 0, &t->rate_bps, err) < 0 ||
        wire_get_bool(v, where, "inclusive", WIRE_OPTIONAL, false, &t->inclusive, err) < 0 ||
        wire_get_money(v, where, "amount", WIRE_REQUIRED, NULL, &t->amount, err) < 0)
        return -1;
    return 0;
}

int decode_totals(const cJSON *obj, const char *where, const char *name, struct totals *out,
                  struct client_error *err)
{
    char path[WIRE_PATH_MAX], lines_path[WIRE_PATH_MAX];
    const cJSON *t, *lines;
    const char *cur;
    void *items;
    size_t n;
    int rc;

    if (wire_get_object(obj, where, name, WIRE_REQUIRED, &t, err) < 0)
        return -1;
    wire_path_member(path, where, name);
    if (wire_get_money(t, path, "total", WIRE_REQUIRED, NULL, &out->total, err) < 0 ||
        wire_get_money(t, path, "subtotal", WIRE_REQUIRED, NULL, &out->subtotal, err) < 0)
        return -1;
    cur = out->total.currency;
    if (wire_get_money(t, path, "discount", WIRE_OPTIONAL, cur, &out->discount, err) < 0 ||
        wire_get_money(t, path, "tax_total", WIRE_OPTIONAL, cur, &out->tax_total, err) < 0 ||
        wire_get_array(t, path, "tax_lines", WIRE_OPTIONAL, &lines, &n, err) < 0)
        return -1;
    if (!lines)
        return 0;
    rc = wire_read_items(lines, wire_path_member(lines_path, path, "tax_lines"),
                         sizeof(*out->tax_lines), read_tax_line, &items, &out->n_tax_lines, err);
    out->tax_lines = items;
    return rc;
}

int decode_resources(const cJSON *obj, const char *where, struct resources *r,
                     struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *res;

    if (wire_get_object(obj, where, "resources", WIRE_OPTIONAL, &res, err) < 0)
        return -1;
    wire_path_member(path, where, "resources");
    if (wire_get_int64(res, path, "memory_mb", WIRE_OPTIONAL, 0, &r->memory_mb, err) < 0 ||
        wire_get_int64(res, path, "disk_mb", WIRE_OPTIONAL, 0, &r->disk_mb, err) < 0 ||
        wire_get_int64(res, path, "cpu_percent", WIRE_OPTIONAL, 0, &r->cpu_percent, err) < 0 ||
        wire_get_int64(res, path, "databases", WIRE_OPTIONAL, 0, &r->databases, err) < 0 ||
        wire_get_int64(res, path, "backups", WIRE_OPTIONAL, 0, &r->backups, err) < 0 ||
        wire_get_int64(res, path, "allocations", WIRE_OPTIONAL, 0, &r->allocations, err) < 0)
        return -1;
    return 0;
}

int decode_currency_code(const cJSON *obj, const char *where, const char *name, char cur[4],
                         struct client_error *err)
{
    char *s = NULL;
    int rc = 0;

    if (wire_get_string(obj, where, name, WIRE_REQUIRED, NULL, &s, err) < 0)
        return -1;
    if (wire_currency_code_valid(s))
        memcpy(cur, s, 4);
    else
        rc = decode_fail(where, name, "expected a 3-letter currency code", err);
    free(s);
    return rc;
}

int decode_quantity(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                    int *out, struct client_error *err)
{
    if (wire_get_int(obj, where, name, need, 1, out, err) < 0)
        return -1;
    if (*out < 1)
        return decode_fail(where, name, "must be at least 1", err);
    return 0;
}
