/* decode_order.c: response bodies to payments, orders and checkout results. */
#include "client/decode_shared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* next_action: {type: "redirect_url", url}; required while the customer must act. */
static int read_next_action(const cJSON *v, const char *where, struct payment *p,
                            struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *na;

    if (wire_get_object(v, where, "next_action",
                        p->status == PAYMENT_REQUIRES_ACTION ? WIRE_REQUIRED : WIRE_OPTIONAL, &na,
                        err) < 0)
        return -1;
    wire_path_member(path, where, "next_action");
    if (wire_get_string(na, path, "url", na ? WIRE_REQUIRED : WIRE_OPTIONAL, "",
                        &p->next_action_url, err) < 0)
        return -1;
    if (p->status == PAYMENT_REQUIRES_ACTION && !p->next_action_url[0])
        return decode_fail(path, "url", "must not be empty", err);
    return 0;
}

int decode_read_payment(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct payment *p = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &p->id, err) < 0 ||
        wire_get_int64(v, where, "invoice_id", WIRE_REQUIRED, 0, &p->invoice_id, err) < 0 ||
        decode_payment_status(v, where, "status", &p->status, err) < 0 ||
        wire_get_string(v, where, "gateway", WIRE_OPTIONAL, "", &p->gateway, err) < 0 ||
        wire_get_money(v, where, "amount", WIRE_REQUIRED, NULL, &p->amount, err) < 0 ||
        wire_get_money(v, where, "credits_applied", WIRE_OPTIONAL, p->amount.currency,
                       &p->credits_applied, err) < 0 ||
        read_next_action(v, where, p, err) < 0 ||
        wire_get_string(v, where, "failure_reason", WIRE_OPTIONAL, "", &p->failure_reason, err) <
            0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &p->created_at, err) < 0 ||
        wire_get_string(v, where, "updated_at", WIRE_OPTIONAL, "", &p->updated_at, err) < 0 ||
        wire_get_string(v, where, "expires_at", WIRE_OPTIONAL, "", &p->expires_at, err) < 0)
        return -1;
    return 0;
}

static int read_service_ids(const cJSON *v, const char *where, struct order_item *it,
                            struct client_error *err)
{
    char path[WIRE_PATH_MAX], base[WIRE_PATH_MAX];
    const cJSON *arr, *id;
    size_t n;

    if (wire_get_array(v, where, "service_ids", WIRE_OPTIONAL, &arr, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    if (!(it->service_ids = calloc(n, sizeof(*it->service_ids)))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    wire_path_member(base, where, "service_ids");
    cJSON_ArrayForEach(id, arr)
    {
        double d = id->valuedouble;

        /* ids are positive integers well inside a double's exact range */
        if (!cJSON_IsNumber(id) || d < 1 || d > 9007199254740991.0 || d != (double)(int64_t)d)
            return decode_fail(wire_path_index(path, base, it->n_service_ids), NULL,
                               "expected a positive integer", err);
        it->service_ids[it->n_service_ids++] = (int64_t)d;
    }
    return 0;
}

static int read_order_item(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct order_item *it = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        decode_product_summary(v, where, "product", &it->product, err) < 0 ||
        decode_cycle(v, where, "cycle", &it->cycle, err) < 0 ||
        decode_options(v, where, "options", &it->options, &it->n_options, err) < 0 ||
        decode_quantity(v, where, "quantity", WIRE_REQUIRED, &it->quantity, err) < 0 ||
        wire_get_money(v, where, "unit_price", WIRE_REQUIRED, NULL, &it->unit_price, err) < 0 ||
        wire_get_money(v, where, "setup_fee", WIRE_OPTIONAL, it->unit_price.currency,
                       &it->setup_fee, err) < 0 ||
        wire_get_money(v, where, "line_total", WIRE_REQUIRED, NULL, &it->line_total, err) < 0 ||
        read_service_ids(v, where, it, err) < 0)
        return -1;
    return 0;
}

int decode_read_order(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    struct order *o = elem;
    const cJSON *arr;
    void *items;
    size_t n;
    int rc;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &o->id, err) < 0 ||
        wire_get_string(v, where, "number", WIRE_REQUIRED, NULL, &o->number, err) < 0 ||
        wire_get_int64(v, where, "user_id", WIRE_OPTIONAL, 0, &o->user_id, err) < 0 ||
        decode_order_status(v, where, "status", &o->status, err) < 0 ||
        wire_get_array(v, where, "items", WIRE_REQUIRED, &arr, &n, err) < 0)
        return -1;
    rc = wire_read_items(arr, wire_path_member(path, where, "items"), sizeof(*o->items),
                         read_order_item, &items, &o->n_items, err);
    o->items = items;
    if (rc < 0 ||
        wire_get_string(v, where, "coupon_code", WIRE_OPTIONAL, "", &o->coupon_code, err) < 0 ||
        decode_totals(v, where, "totals", &o->totals, err) < 0 ||
        wire_get_int64(v, where, "invoice_id", WIRE_OPTIONAL, 0, &o->invoice_id, err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &o->created_at, err) < 0 ||
        wire_get_string(v, where, "paid_at", WIRE_OPTIONAL, "", &o->paid_at, err) < 0 ||
        wire_get_string(v, where, "completed_at", WIRE_OPTIONAL, "", &o->completed_at, err) < 0 ||
        wire_get_string(v, where, "cancelled_at", WIRE_OPTIONAL, "", &o->cancelled_at, err) < 0)
        return -1;
    return 0;
}

static int read_payment_data(const cJSON *root, const cJSON *data, void *value,
                             struct client_error *err)
{
    return decode_read_payment(data, "data", value, err);
}

static void destroy_payment(void *v)
{
    struct payment *p = v;

    payment_free(&p);
}

int decode_payment(const char *body, size_t len, struct payment **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_payment_data, destroy_payment, &v, err);

    *out = v;
    return rc;
}

static int read_order_data(const cJSON *root, const cJSON *data, void *value,
                           struct client_error *err)
{
    return decode_read_order(data, "data", value, err);
}

static void destroy_order(void *v)
{
    struct order *o = v;

    order_free(&o);
}

int decode_order(const char *body, size_t len, struct order **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_order_data, destroy_order, &v, err);

    *out = v;
    return rc;
}

static int read_order_page(const cJSON *root, const cJSON *data, void *value,
                           struct client_error *err)
{
    struct order_page *pg = value;
    void *items;
    int rc;

    rc = wire_read_items(data, "data", sizeof(*pg->items), decode_read_order, &items, &pg->n, err);
    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static void destroy_order_page(void *v)
{
    struct order_page *p = v;

    order_page_free(&p);
}

int decode_orders(const char *body, size_t len, struct order_page **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_order_page, destroy_order_page, &v, err);

    *out = v;
    return rc;
}

/* Reads a required object member with an element reader. */
static int read_member(const cJSON *obj, const char *where, const char *name, wire_read_fn read,
                       void *elem, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *v;

    if (wire_get_object(obj, where, name, WIRE_REQUIRED, &v, err) < 0)
        return -1;
    return read(v, wire_path_member(path, where, name), elem, err);
}

static int read_checkout(const cJSON *root, const cJSON *data, void *value,
                         struct client_error *err)
{
    struct checkout_result *r = value;
    const cJSON *arr;
    void *items;
    size_t n;
    int rc;

    if (wire_expect_object(data, "data", err) < 0 ||
        read_member(data, "data", "order", decode_read_order, &r->order, err) < 0 ||
        read_member(data, "data", "invoice", decode_read_invoice, &r->invoice, err) < 0 ||
        read_member(data, "data", "payment", decode_read_payment, &r->payment, err) < 0 ||
        wire_get_array(data, "data", "services", WIRE_REQUIRED, &arr, &n, err) < 0)
        return -1;
    rc = wire_read_items(arr, "data.services", sizeof(*r->services), decode_read_service, &items,
                         &r->n_services, err);
    r->services = items;
    return rc;
}

static void destroy_checkout(void *v)
{
    struct checkout_result *r = v;

    checkout_result_free(&r);
}

int decode_checkout(const char *body, size_t len, struct checkout_result **out,
                    struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_checkout, destroy_checkout, &v, err);

    *out = v;
    return rc;
}
