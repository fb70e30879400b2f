/* plain_home.c: plain mode's Home: active services, unpaid invoices and what they ask for, the
 * next due date and the credit balance, as the full-screen Home shows them. */
#include "screens/plain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUMMARY_PER_PAGE 100

struct plain_home {
    int active;        /* active services */
    char next_due[16]; /* the earliest next due date among them, "" for none */
    int unpaid;        /* pending and overdue invoices */
    int overdue;
    struct money due; /* what they leave to pay */
    bool credits_enabled;
    struct money balance;
};

void plain_home_free(struct plain *p)
{
    free(p->home);
    p->home = NULL;
}

bool plain_offers_account(const struct plain *p)
{
    return !p->key_identity && !p->kiosk && !p->op;
}

const struct plain_screen_ops *plain_root(const struct plain *p)
{
    /* a customer arriving over SSH comes straight into the store, as in the full screen */
    if (client_signed_in(p->client) && !p->in_memory && !p->kiosk)
        return &plain_home_screen;
    return &plain_store_screen;
}

/* Pending or overdue invoices: how many, and the sum of what they leave to pay. 0, or -1. */
static int count_invoices(struct plain *p, const char *status, int *count)
{
    struct plain_reply r = {0};
    struct list_query q = {.status = status, .per_page = SUMMARY_PER_PAGE};
    if (plain_wait(p, client_get_invoices(p->client, &q, plain_on_invoices, &r), &r) != 0) {
        plain_fail(p, "load your invoices", &r.err);
        return -1;
    }
    struct invoice_page *pg = r.value;
    *count = pg->meta.total > (int)pg->n ? pg->meta.total : (int)pg->n;
    for (size_t i = 0; i < pg->n; i++) {
        p->home->due.amount += pg->items[i].amount_due.amount;
        memcpy(p->home->due.currency, pg->items[i].amount_due.currency,
               sizeof p->home->due.currency);
    }
    invoice_page_free(&pg);
    return 0;
}

static int home_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct list_query active = {.status = "active", .per_page = SUMMARY_PER_PAGE};
    int pending = 0;
    if (!plain_need_signin(p))
        return -1;
    if (!p->home && !(p->home = calloc(1, sizeof *p->home)))
        return -1;
    struct plain_home *h = p->home;
    *h = (struct plain_home){0};
    if (plain_wait(p, client_get_services(p->client, &active, plain_on_services, &r), &r) != 0) {
        plain_fail(p, "load your services", &r.err);
        return -1;
    }
    struct service_page *pg = r.value;
    h->active = pg->meta.total > (int)pg->n ? pg->meta.total : (int)pg->n;
    for (size_t i = 0; i < pg->n; i++) {
        const char *d = pg->items[i].next_due_date;
        if (d[0] && !service_cancellation_pending(&pg->items[i]) &&
            (!h->next_due[0] || strcmp(d, h->next_due) < 0))
            snprintf(h->next_due, sizeof h->next_due, "%s", d);
    }
    service_page_free(&pg);
    if (count_invoices(p, "pending", &pending) != 0 ||
        count_invoices(p, "overdue", &h->overdue) != 0)
        return -1;
    h->unpaid = pending + h->overdue;
    r = (struct plain_reply){0};
    if (plain_wait(p, client_get_credits(p->client, plain_on_credits, &r), &r) != 0) {
        plain_fail(p, "load your credits", &r.err);
        return -1;
    }
    struct credits *c = r.value;
    h->balance = c->balance;
    h->credits_enabled = c->enabled;
    credits_free(&c);
    return 0;
}

static void home_print(struct plain *p)
{
    const struct plain_home *h = p->home;
    char due[64], bal[64];
    plain_say(p, "Home.%s%s%s", p->user[0] ? " Signed in as " : "", p->user, p->user[0] ? "." : "");
    plain_say(p, "Active services: %d.", h->active);
    plain_money(p, &h->due, due, sizeof due);
    if (h->unpaid == 0)
        plain_say(p, "Unpaid invoices: none.");
    else if (h->overdue)
        plain_say(p, "Unpaid invoices: %d, %s due, %d overdue.", h->unpaid, due, h->overdue);
    else
        plain_say(p, "Unpaid invoices: %d, %s due.", h->unpaid, due);
    plain_say(p, "Next due date: %s.", h->next_due[0] ? h->next_due : "none");
    plain_money(p, &h->balance, bal, sizeof bal);
    plain_say(p, "Credit balance: %s%s.", bal, h->credits_enabled ? "" : " (credits are off)");
    plain_say(p, "Type v for your services, i for your invoices, $ for your credits, s for the "
                 "store, c for your cart.");
}

static const struct plain_cmd home_cmds[] = {{NULL, NULL, NULL, NULL}};

const struct plain_screen_ops plain_home_screen = {
    .name = "home",
    .load = home_load,
    .print = home_print,
    .cmds = home_cmds,
};
