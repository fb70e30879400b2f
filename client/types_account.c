/* types_account.c: the account enums' names and the free functions of orders, payments,
 * services, invoices and credits. */
#include "client/types_account.h"
#include "client/decode_shared.h"

#include <stdlib.h>
#include <string.h>

#define ENUM_API(name, api, label)   [name] = api,
#define ENUM_LABEL(name, api, label) [name] = label,

/* The name tables and the three functions of one enum. */
#define DEFINE_ENUM(prefix, type, LIST, count)                                                     \
    static const char *const prefix##_apis[count] = {LIST(ENUM_API)};                              \
    static const char *const prefix##_labels[count] = {LIST(ENUM_LABEL)};                          \
    const char *prefix##_str(type v)                                                               \
    {                                                                                              \
        return (unsigned)v < (count) ? prefix##_apis[v] : "unknown";                               \
    }                                                                                              \
    const char *prefix##_label(type v)                                                             \
    {                                                                                              \
        return (unsigned)v < (count) ? prefix##_labels[v] : "Unknown";                             \
    }                                                                                              \
    int prefix##_parse(const char *s, type *out)                                                   \
    {                                                                                              \
        int i = name_index(prefix##_apis, (count), s);                                             \
                                                                                                   \
        if (i < 0)                                                                                 \
            return -1;                                                                             \
        if (out)                                                                                   \
            *out = (type)i;                                                                        \
        return 0;                                                                                  \
    }

static int name_index(const char *const *names, int count, const char *s)
{
    int i;

    if (!s)
        return -1;
    for (i = 0; i < count; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

DEFINE_ENUM(service_status, enum service_status, SERVICE_STATUSES, SERVICE_STATUS_COUNT)
DEFINE_ENUM(invoice_status, enum invoice_status, INVOICE_STATUSES, INVOICE_STATUS_COUNT)
DEFINE_ENUM(payment_status, enum payment_status, PAYMENT_STATUSES, PAYMENT_STATUS_COUNT)
DEFINE_ENUM(order_status, enum order_status, ORDER_STATUSES, ORDER_STATUS_COUNT)
DEFINE_ENUM(invoice_kind, enum invoice_kind, INVOICE_KINDS, INVOICE_KIND_COUNT)
DEFINE_ENUM(credit_tx_type, enum credit_tx_type, CREDIT_TX_TYPES, CREDIT_TX_TYPE_COUNT)
DEFINE_ENUM(cancellation_type, enum cancellation_type, CANCELLATION_TYPES, CANCELLATION_TYPE_COUNT)

/* Frees a heap value with its clear function and clears the caller's pointer. */
#define DEFINE_FREE(name, type, clear)                                                             \
    void name(type **v)                                                                            \
    {                                                                                              \
        if (!v || !*v)                                                                             \
            return;                                                                                \
        clear(*v);                                                                                 \
        free(*v);                                                                                  \
        *v = NULL;                                                                                 \
    }

/* Frees a page: each item with its clear function, then the array. */
#define DEFINE_PAGE_FREE(name, type, clear)                                                        \
    void name(type **p)                                                                            \
    {                                                                                              \
        size_t i;                                                                                  \
                                                                                                   \
        if (!p || !*p)                                                                             \
            return;                                                                                \
        for (i = 0; i < (*p)->n; i++)                                                              \
            clear(&(*p)->items[i]);                                                                \
        free((*p)->items);                                                                         \
        free(*p);                                                                                  \
        *p = NULL;                                                                                 \
    }

void payment_clear(struct payment *p)
{
    if (!p)
        return;
    free(p->gateway);
    free(p->next_action_url);
    free(p->failure_reason);
    free(p->created_at);
    free(p->updated_at);
    free(p->expires_at);
    memset(p, 0, sizeof(*p));
}
DEFINE_FREE(payment_free, struct payment, payment_clear)

bool payment_settled(const struct payment *p)
{
    return p && p->status != PAYMENT_REQUIRES_ACTION && p->status != PAYMENT_PENDING;
}

void order_clear(struct order *o)
{
    size_t i;

    if (!o)
        return;
    for (i = 0; i < o->n_items; i++) {
        product_summary_clear(&o->items[i].product);
        option_values_free(o->items[i].options, o->items[i].n_options);
        free(o->items[i].service_ids);
    }
    free(o->items);
    free(o->number);
    free(o->coupon_code);
    totals_clear(&o->totals);
    free(o->created_at);
    free(o->paid_at);
    free(o->completed_at);
    free(o->cancelled_at);
    memset(o, 0, sizeof(*o));
}
DEFINE_FREE(order_free, struct order, order_clear)
DEFINE_PAGE_FREE(order_page_free, struct order_page, order_clear)

void invoice_summary_clear(struct invoice_summary *s)
{
    if (!s)
        return;
    free(s->number);
    free(s->issue_date);
    free(s->due_date);
    free(s->paid_at);
    memset(s, 0, sizeof(*s));
}

bool invoice_payable(const struct invoice_summary *s)
{
    return s && (s->status == INVOICE_PENDING || s->status == INVOICE_OVERDUE) &&
           s->amount_due.amount > 0;
}

void invoice_clear(struct invoice *inv)
{
    size_t i;

    if (!inv)
        return;
    invoice_summary_clear(&inv->summary);
    for (i = 0; i < inv->n_lines; i++) {
        free(inv->lines[i].description);
        free(inv->lines[i].period_start);
        free(inv->lines[i].period_end);
    }
    free(inv->lines);
    free(inv->coupon_code);
    totals_clear(&inv->totals);
    for (i = 0; i < inv->n_payments; i++) {
        free(inv->payments[i].gateway);
        free(inv->payments[i].created_at);
    }
    free(inv->payments);
    for (i = 0; i < inv->n_refunds; i++) {
        free(inv->refunds[i].reason);
        free(inv->refunds[i].gateway);
        free(inv->refunds[i].status);
        free(inv->refunds[i].created_at);
    }
    free(inv->refunds);
    memset(inv, 0, sizeof(*inv));
}
DEFINE_FREE(invoice_free, struct invoice, invoice_clear)
DEFINE_PAGE_FREE(invoice_page_free, struct invoice_page, invoice_summary_clear)

void service_clear(struct service *s)
{
    size_t i;

    if (!s)
        return;
    product_summary_clear(&s->product);
    option_values_free(s->options, s->n_options);
    free(s->next_due_date);
    free(s->server.name);
    free(s->server.address);
    free(s->server.node);
    free(s->cancellation.reason);
    free(s->cancellation.requested_at);
    free(s->cancellation.effective_at);
    free(s->suspension_reason);
    free(s->created_at);
    free(s->activated_at);
    for (i = 0; i < s->n_invoices; i++)
        invoice_summary_clear(&s->invoices[i]);
    free(s->invoices);
    memset(s, 0, sizeof(*s));
}
DEFINE_FREE(service_free, struct service, service_clear)
DEFINE_PAGE_FREE(service_page_free, struct service_page, service_clear)

bool service_cancellation_pending(const struct service *s)
{
    return s && s->has_cancellation && s->cancellation.type == CANCEL_END_OF_PERIOD &&
           s->status != SERVICE_CANCELLED && s->status != SERVICE_TERMINATED;
}

static void checkout_result_clear(struct checkout_result *r)
{
    size_t i;

    order_clear(&r->order);
    invoice_clear(&r->invoice);
    for (i = 0; i < r->n_services; i++)
        service_clear(&r->services[i]);
    free(r->services);
    payment_clear(&r->payment);
}
DEFINE_FREE(checkout_result_free, struct checkout_result, checkout_result_clear)

static void credits_clear(struct credits *c)
{
    (void)c; /* no heap members */
}
DEFINE_FREE(credits_free, struct credits, credits_clear)

static void credit_tx_clear(struct credit_tx *t)
{
    free(t->description);
    free(t->created_at);
}
DEFINE_PAGE_FREE(ledger_page_free, struct ledger_page, credit_tx_clear)

static void auth_user_clear(struct auth_user *u)
{
    free(u->email);
    free(u->name);
}
DEFINE_FREE(auth_user_free, struct auth_user, auth_user_clear)
