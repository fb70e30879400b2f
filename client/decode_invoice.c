/* decode_invoice.c: response bodies to invoices, invoice pages, credits and the credit ledger. */
#include "client/decode_shared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_summary(const cJSON *v, const char *where, struct invoice_summary *s,
                        struct client_error *err)
{
    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &s->id, err) < 0 ||
        wire_get_string(v, where, "number", WIRE_REQUIRED, NULL, &s->number, err) < 0 ||
        decode_invoice_status(v, where, "status", &s->status, err) < 0 ||
        decode_invoice_kind(v, where, "kind", &s->kind, err) < 0 ||
        wire_get_string(v, where, "issue_date", WIRE_OPTIONAL, "", &s->issue_date, err) < 0 ||
        wire_get_string(v, where, "due_date", WIRE_REQUIRED, NULL, &s->due_date, err) < 0 ||
        wire_get_string(v, where, "paid_at", WIRE_OPTIONAL, "", &s->paid_at, err) < 0 ||
        wire_get_money(v, where, "amount_due", WIRE_REQUIRED, NULL, &s->amount_due, err) < 0)
        return -1;
    return 0;
}

int decode_read_invoice_summary(const cJSON *v, const char *where, void *elem,
                                struct client_error *err)
{
    struct invoice_summary *s = elem;

    if (read_summary(v, where, s, err) < 0 ||
        wire_get_money(v, where, "total", WIRE_REQUIRED, NULL, &s->total, err) < 0)
        return -1;
    return 0;
}

static int read_line(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    struct invoice_line *l = elem;
    const cJSON *period;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_string(v, where, "description", WIRE_REQUIRED, NULL, &l->description, err) < 0 ||
        decode_quantity(v, where, "quantity", WIRE_OPTIONAL, &l->quantity, err) < 0 ||
        wire_get_money(v, where, "amount", WIRE_REQUIRED, NULL, &l->amount, err) < 0 ||
        wire_get_money(v, where, "unit_price", WIRE_OPTIONAL, l->amount.currency, &l->unit_price,
                       err) < 0 ||
        wire_get_int64(v, where, "service_id", WIRE_OPTIONAL, 0, &l->service_id, err) < 0 ||
        wire_get_object(v, where, "period", WIRE_OPTIONAL, &period, err) < 0)
        return -1;
    wire_path_member(path, where, "period");
    if (wire_get_string(period, path, "start", period ? WIRE_REQUIRED : WIRE_OPTIONAL, "",
                        &l->period_start, err) < 0 ||
        wire_get_string(period, path, "end", period ? WIRE_REQUIRED : WIRE_OPTIONAL, "",
                        &l->period_end, err) < 0)
        return -1;
    return 0;
}

static int read_payment(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct invoice_payment *p = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &p->id, err) < 0 ||
        wire_get_string(v, where, "gateway", WIRE_OPTIONAL, "", &p->gateway, err) < 0 ||
        wire_get_money(v, where, "amount", WIRE_REQUIRED, NULL, &p->amount, err) < 0 ||
        decode_payment_status(v, where, "status", &p->status, err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &p->created_at, err) < 0)
        return -1;
    return 0;
}

int decode_read_refund(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct refund *r = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &r->id, err) < 0 ||
        wire_get_money(v, where, "amount", WIRE_REQUIRED, NULL, &r->amount, err) < 0 ||
        wire_get_string(v, where, "reason", WIRE_OPTIONAL, "", &r->reason, err) < 0 ||
        wire_get_bool(v, where, "to_credits", WIRE_OPTIONAL, false, &r->to_credits, err) < 0 ||
        wire_get_string(v, where, "gateway", WIRE_OPTIONAL, "", &r->gateway, err) < 0 ||
        wire_get_string(v, where, "status", WIRE_OPTIONAL, "", &r->status, err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &r->created_at, err) < 0)
        return -1;
    return 0;
}

/* Reads an array member of objects; `need` as for wire_get_array. */
static int read_array(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                      size_t elem_size, wire_read_fn read, void **items, size_t *n,
                      struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *arr;
    size_t count;

    *items = NULL;
    *n = 0;
    if (wire_get_array(obj, where, name, need, &arr, &count, err) < 0)
        return -1;
    if (!arr)
        return 0;
    return wire_read_items(arr, wire_path_member(path, where, name), elem_size, read, items, n,
                           err);
}

int decode_read_invoice(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct invoice *inv = elem;
    void *lines = NULL, *payments = NULL, *refunds = NULL;
    int rc = -1;

    if (read_summary(v, where, &inv->summary, err) < 0 ||
        decode_currency_code(v, where, "currency", inv->currency, err) < 0)
        return -1;
    if (read_array(v, where, "items", WIRE_REQUIRED, sizeof(*inv->lines), read_line, &lines,
                   &inv->n_lines, err) < 0 ||
        read_array(v, where, "payments", WIRE_OPTIONAL, sizeof(*inv->payments), read_payment,
                   &payments, &inv->n_payments, err) < 0 ||
        read_array(v, where, "refunds", WIRE_OPTIONAL, sizeof(*inv->refunds), decode_read_refund,
                   &refunds, &inv->n_refunds, err) < 0)
        goto done;
    if (wire_get_string(v, where, "coupon_code", WIRE_OPTIONAL, "", &inv->coupon_code, err) < 0 ||
        decode_totals(v, where, "totals", &inv->totals, err) < 0 ||
        wire_get_money(v, where, "amount_paid", WIRE_OPTIONAL, inv->currency, &inv->amount_paid,
                       err) < 0 ||
        wire_get_money(v, where, "amount_refunded", WIRE_OPTIONAL, inv->currency,
                       &inv->amount_refunded, err) < 0 ||
        wire_get_int64(v, where, "order_id", WIRE_OPTIONAL, 0, &inv->order_id, err) < 0 ||
        wire_get_int64(v, where, "service_id", WIRE_OPTIONAL, 0, &inv->service_id, err) < 0)
        goto done;
    /* the full invoice has no "total" of its own: the summary's is the totals' */
    inv->summary.total = inv->totals.total;
    rc = 0;
done:
    inv->lines = lines;
    inv->payments = payments;
    inv->refunds = refunds;
    return rc;
}

static int read_invoice_data(const cJSON *root, const cJSON *data, void *value,
                             struct client_error *err)
{
    return decode_read_invoice(data, "data", value, err);
}

static void destroy_invoice(void *v)
{
    struct invoice *inv = v;

    invoice_free(&inv);
}

int decode_invoice(const char *body, size_t len, struct invoice **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_invoice_data, destroy_invoice, &v, err);

    *out = v;
    return rc;
}

static int read_invoice_page(const cJSON *root, const cJSON *data, void *value,
                             struct client_error *err)
{
    struct invoice_page *pg = value;
    void *items;
    int rc;

    rc = wire_read_items(data, "data", sizeof(*pg->items), decode_read_invoice_summary, &items,
                         &pg->n, err);
    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static void destroy_invoice_page(void *v)
{
    struct invoice_page *p = v;

    invoice_page_free(&p);
}

int decode_invoices(const char *body, size_t len, struct invoice_page **out,
                    struct client_error *err)
{
    void *v;
    int rc =
        decode_object(body, len, sizeof(**out), read_invoice_page, destroy_invoice_page, &v, err);

    *out = v;
    return rc;
}

static int read_credits(const cJSON *root, const cJSON *data, void *value, struct client_error *err)
{
    struct credits *c = value;

    if (wire_expect_object(data, "data", err) < 0 ||
        wire_get_money(data, "data", "balance", WIRE_REQUIRED, NULL, &c->balance, err) < 0 ||
        wire_get_bool(data, "data", "enabled", WIRE_REQUIRED, false, &c->enabled, err) < 0 ||
        wire_get_money(data, "data", "min_deposit", WIRE_OPTIONAL, c->balance.currency,
                       &c->min_deposit, err) < 0 ||
        wire_get_money(data, "data", "max_deposit", WIRE_OPTIONAL, c->balance.currency,
                       &c->max_deposit, err) < 0 ||
        wire_get_int64(data, "data", "pending_deposit_invoice_id", WIRE_OPTIONAL, 0,
                       &c->pending_deposit_invoice_id, err) < 0)
        return -1;
    return 0;
}

static void destroy_credits(void *v)
{
    struct credits *c = v;

    credits_free(&c);
}

int decode_credits(const char *body, size_t len, struct credits **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_credits, destroy_credits, &v, err);

    *out = v;
    return rc;
}

int decode_read_credit_tx(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct credit_tx *t = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &t->id, err) < 0 ||
        decode_credit_tx_type(v, where, "type", &t->type, err) < 0 ||
        wire_get_money(v, where, "amount", WIRE_REQUIRED, NULL, &t->amount, err) < 0 ||
        wire_get_money(v, where, "balance_after", WIRE_REQUIRED, NULL, &t->balance_after, err) <
            0 ||
        wire_get_string(v, where, "description", WIRE_OPTIONAL, "", &t->description, err) < 0 ||
        wire_get_int64(v, where, "invoice_id", WIRE_OPTIONAL, 0, &t->invoice_id, err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &t->created_at, err) < 0)
        return -1;
    return 0;
}

static int read_ledger(const cJSON *root, const cJSON *data, void *value, struct client_error *err)
{
    struct ledger_page *pg = value;
    void *items;
    int rc;

    rc = wire_read_items(data, "data", sizeof(*pg->items), decode_read_credit_tx, &items, &pg->n,
                         err);
    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static void destroy_ledger(void *v)
{
    struct ledger_page *p = v;

    ledger_page_free(&p);
}

int decode_ledger(const char *body, size_t len, struct ledger_page **out, struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_ledger, destroy_ledger, &v, err);

    *out = v;
    return rc;
}
