/* cli_lists.c: the customer's commands: products, services, invoices, credits. */
#include "screens/cli_run.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "screens/format.h"

static const struct currency *currency(const struct cli *c)
{
    return c->status ? &c->status->currency : NULL;
}

static void money_text(const struct cli *c, const struct money *m, char *buf, size_t n)
{
    money_format(m, currency(c), buf, n);
}

/* ---- products ---- */

static const struct cli_column product_cols[] = {
    {"SLUG", false, false}, {"NAME", false, true},   {"CATEGORY", false, false},
    {"FROM", true, false},  {"STOCK", false, false},
};

static int product_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                        struct client_error *err)
{
    struct product_page *pg = NULL;
    int rc = 0;
    if (decode_products(body, len, &pg, err) != 0)
        return -1;
    for (size_t i = 0; t && rc == 0 && i < pg->n; i++) {
        const struct product *p = &pg->items[i];
        char price[96], stock[64];
        enum theme_elem el;
        fmt_price_cycle(&p->from_price, p->from_cycle, currency(c), price, sizeof price);
        fmt_stock(&p->stock, stock, sizeof stock, &el);
        const char *cells[] = {p->slug, p->name, p->category_slug, price, stock};
        enum cli_tone tones[] = {0, 0, 0, 0,
                                 el == EL_STOCK_SOLDOUT ? CLI_TONE_BAD
                                 : el == EL_STOCK_LOW   ? CLI_TONE_WARN
                                                        : CLI_TONE_NONE};
        rc = cli_table_add(t, cells, tones);
    }
    product_page_free(&pg);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

int cli_products(struct cli *c, const struct cli_args *a)
{
    char path[1024] = "/billing/products";
    if (a->category && a->category[0])
        cli_query_add(path, sizeof path, "category", a->category);
    if (a->search && a->search[0])
        cli_query_add(path, sizeof path, "q", a->search);
    struct cli_list l = {path, true, product_cols, 5, product_rows};
    return cli_list_print(c, &l);
}

/* ---- services ---- */

static const struct cli_column service_cols[] = {
    {"ID", true, false},     {"PRODUCT", false, true},   {"STATUS", false, false},
    {"CYCLE", false, false}, {"NEXT DUE", false, false}, {"PRICE", true, false},
};

static enum cli_tone service_tone(enum service_status s)
{
    switch (s) {
    case SERVICE_ACTIVE:
        return CLI_TONE_GOOD;
    case SERVICE_PENDING:
        return CLI_TONE_WARN;
    case SERVICE_SUSPENDED:
        return CLI_TONE_BAD;
    default:
        return CLI_TONE_DIM;
    }
}

static int service_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                        struct client_error *err)
{
    struct service_page *pg = NULL;
    int rc = 0;
    if (decode_services(body, len, &pg, err) != 0)
        return -1;
    for (size_t i = 0; t && rc == 0 && i < pg->n; i++) {
        const struct service *s = &pg->items[i];
        char id[24], due[64], price[96];
        snprintf(id, sizeof id, "%" PRId64, s->id);
        /* a cancellation at the end of the period: the service ends instead of renewing */
        if (service_cancellation_pending(s))
            snprintf(due, sizeof due, "ends %s", s->next_due_date);
        else
            snprintf(due, sizeof due, "%s", s->next_due_date[0] ? s->next_due_date : "-");
        fmt_price_cycle(&s->recurring_price, s->cycle, currency(c), price, sizeof price);
        const char *cells[] = {id,
                               s->product.name,
                               service_status_label(s->status),
                               billing_cycle_label(s->cycle),
                               due,
                               price};
        enum cli_tone tones[] = {0, 0, service_tone(s->status), 0, 0, 0};
        rc = cli_table_add(t, cells, tones);
    }
    service_page_free(&pg);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

int cli_services(struct cli *c, const struct cli_args *a)
{
    char path[256] = "/billing/services";
    if (a->status)
        cli_query_add(path, sizeof path, "status", a->status);
    struct cli_list l = {path, true, service_cols, 6, service_rows};
    return cli_list_print(c, &l);
}

/* ---- invoices ---- */

static const struct cli_column invoice_cols[] = {
    {"NUMBER", false, false},    {"STATUS", false, false}, {"KIND", false, false},
    {"ISSUED", false, false},    {"DUE", false, false},    {"TOTAL", true, false},
    {"AMOUNT DUE", true, false},
};

static enum cli_tone invoice_tone(enum invoice_status s)
{
    switch (s) {
    case INVOICE_PAID:
        return CLI_TONE_GOOD;
    case INVOICE_PENDING:
        return CLI_TONE_WARN;
    case INVOICE_OVERDUE:
        return CLI_TONE_BAD;
    default:
        return CLI_TONE_DIM;
    }
}

static int invoice_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                        struct client_error *err)
{
    struct invoice_page *pg = NULL;
    int rc = 0;
    if (decode_invoices(body, len, &pg, err) != 0)
        return -1;
    for (size_t i = 0; t && rc == 0 && i < pg->n; i++) {
        const struct invoice_summary *v = &pg->items[i];
        char total[64], due[64];
        money_text(c, &v->total, total, sizeof total);
        money_text(c, &v->amount_due, due, sizeof due);
        const char *cells[] = {v->number,
                               invoice_status_label(v->status),
                               invoice_kind_label(v->kind),
                               v->issue_date,
                               v->due_date,
                               total,
                               due};
        enum cli_tone tones[] = {0, invoice_tone(v->status), 0, 0, 0, 0, 0};
        rc = cli_table_add(t, cells, tones);
    }
    invoice_page_free(&pg);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

int cli_invoices(struct cli *c, const struct cli_args *a)
{
    char path[256] = "/billing/invoices";
    if (a->status)
        cli_query_add(path, sizeof path, "status", a->status);
    struct cli_list l = {path, true, invoice_cols, 7, invoice_rows};
    return cli_list_print(c, &l);
}

/* ---- credits ---- */

static const struct cli_column credit_cols[] = {
    {"BALANCE", true, false},
    {"CREDITS", false, false},
    {"DEPOSITS", false, false},
    {"PENDING DEPOSIT", false, false},
};

static int credit_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                       struct client_error *err)
{
    struct credits *cr = NULL;
    int rc = 0;
    if (decode_credits(body, len, &cr, err) != 0)
        return -1;
    if (t) {
        char balance[64], lo[64], hi[64], range[140], pending[40] = "none";
        money_text(c, &cr->balance, balance, sizeof balance);
        money_text(c, &cr->min_deposit, lo, sizeof lo);
        money_text(c, &cr->max_deposit, hi, sizeof hi);
        snprintf(range, sizeof range, "%s to %s", lo, hi);
        if (cr->pending_deposit_invoice_id)
            snprintf(pending, sizeof pending, "invoice %" PRId64, cr->pending_deposit_invoice_id);
        const char *cells[] = {balance, cr->enabled ? "enabled" : "disabled",
                               cr->enabled ? range : "-", pending};
        rc = cli_table_add(t, cells, NULL);
    }
    credits_free(&cr);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

static const struct cli_column ledger_cols[] = {
    {"DATE", false, false},  {"TYPE", false, false},   {"DESCRIPTION", false, true},
    {"AMOUNT", true, false}, {"BALANCE", true, false},
};

static int ledger_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                       struct client_error *err)
{
    struct ledger_page *pg = NULL;
    int rc = 0;
    if (decode_ledger(body, len, &pg, err) != 0)
        return -1;
    for (size_t i = 0; t && rc == 0 && i < pg->n; i++) {
        const struct credit_tx *x = &pg->items[i];
        char when[64], amount[64], after[64];
        fmt_moment(x->created_at, when, sizeof when);
        money_text(c, &x->amount, amount, sizeof amount);
        money_text(c, &x->balance_after, after, sizeof after);
        const char *cells[] = {when, credit_tx_type_label(x->type), x->description, amount, after};
        rc = cli_table_add(t, cells, NULL);
    }
    ledger_page_free(&pg);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

int cli_credits(struct cli *c, const struct cli_args *a)
{
    struct cli_list balance = {"/billing/credits", false, credit_cols, 4, credit_rows};
    struct cli_list ledger = {"/billing/credits/transactions", true, ledger_cols, 5, ledger_rows};
    return cli_list_print(c, a->transactions ? &ledger : &balance);
}
