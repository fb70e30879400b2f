/* decode_service.c: response bodies to services (with their recent invoices) and service pages. */
#include "client/decode_shared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* server: {name, address, node} or null. */
static int read_server(const cJSON *v, const char *where, struct service *s,
                       struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *srv;

    if (wire_get_object(v, where, "server", WIRE_OPTIONAL, &srv, err) < 0)
        return -1;
    s->has_server = srv != NULL;
    wire_path_member(path, where, "server");
    if (wire_get_string(srv, path, "name", srv ? WIRE_REQUIRED : WIRE_OPTIONAL, "", &s->server.name,
                        err) < 0 ||
        wire_get_string(srv, path, "address", srv ? WIRE_REQUIRED : WIRE_OPTIONAL, "",
                        &s->server.address, err) < 0 ||
        wire_get_string(srv, path, "node", WIRE_OPTIONAL, "", &s->server.node, err) < 0)
        return -1;
    return 0;
}

/* cancellation: {type, reason, requested_at, effective_at} or null. */
static int read_cancellation(const cJSON *v, const char *where, struct service *s,
                             struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    struct cancellation *c = &s->cancellation;
    const cJSON *cn;

    if (wire_get_object(v, where, "cancellation", WIRE_OPTIONAL, &cn, err) < 0)
        return -1;
    s->has_cancellation = cn != NULL;
    wire_path_member(path, where, "cancellation");
    if ((cn && decode_cancellation_type(cn, path, "type", &c->type, err) < 0) ||
        wire_get_string(cn, path, "reason", WIRE_OPTIONAL, "", &c->reason, err) < 0 ||
        wire_get_string(cn, path, "requested_at", WIRE_OPTIONAL, "", &c->requested_at, err) < 0 ||
        wire_get_string(cn, path, "effective_at", WIRE_OPTIONAL, "", &c->effective_at, err) < 0)
        return -1;
    return 0;
}

static int read_invoices(const cJSON *v, const char *where, struct service *s,
                         struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *arr;
    void *items;
    size_t n;
    int rc;

    if (wire_get_array(v, where, "invoices", WIRE_OPTIONAL, &arr, &n, err) < 0)
        return -1;
    if (!arr)
        return 0;
    rc = wire_read_items(arr, wire_path_member(path, where, "invoices"), sizeof(*s->invoices),
                         decode_read_invoice_summary, &items, &s->n_invoices, err);
    s->invoices = items;
    return rc;
}

int decode_read_service(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct service *s = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &s->id, err) < 0 ||
        wire_get_int64(v, where, "order_id", WIRE_OPTIONAL, 0, &s->order_id, err) < 0 ||
        decode_product_summary(v, where, "product", &s->product, err) < 0 ||
        decode_service_status(v, where, "status", &s->status, err) < 0 ||
        decode_cycle(v, where, "cycle", &s->cycle, err) < 0 ||
        decode_options(v, where, "options", &s->options, &s->n_options, err) < 0 ||
        decode_resources(v, where, &s->resources, err) < 0 ||
        wire_get_money(v, where, "recurring_price", WIRE_REQUIRED, NULL, &s->recurring_price, err) <
            0 ||
        wire_get_string(v, where, "next_due_date", WIRE_OPTIONAL, "", &s->next_due_date, err) < 0 ||
        read_server(v, where, s, err) < 0 || read_cancellation(v, where, s, err) < 0 ||
        wire_get_string(v, where, "suspension_reason", WIRE_OPTIONAL, "", &s->suspension_reason,
                        err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &s->created_at, err) < 0 ||
        wire_get_string(v, where, "activated_at", WIRE_OPTIONAL, "", &s->activated_at, err) < 0 ||
        read_invoices(v, where, s, err) < 0)
        return -1;
    return 0;
}

static int read_service_data(const cJSON *root, const cJSON *data, void *value,
                             struct client_error *err)
{
    return decode_read_service(data, "data", value, err);
}

static void destroy_service(void *v)
{
    struct service *s = v;

    service_free(&s);
}

int decode_service(const char *body, size_t len, struct service **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_service_data, destroy_service, &v, err);

    *out = v;
    return rc;
}

static int read_service_page(const cJSON *root, const cJSON *data, void *value,
                             struct client_error *err)
{
    struct service_page *pg = value;
    void *items;
    int rc;

    rc =
        wire_read_items(data, "data", sizeof(*pg->items), decode_read_service, &items, &pg->n, err);
    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static void destroy_service_page(void *v)
{
    struct service_page *p = v;

    service_page_free(&p);
}

int decode_services(const char *body, size_t len, struct service_page **out,
                    struct client_error *err)
{
    void *v;
    int rc =
        decode_object(body, len, sizeof(**out), read_service_page, destroy_service_page, &v, err);

    *out = v;
    return rc;
}
