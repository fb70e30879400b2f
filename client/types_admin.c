/* types_admin.c: freeing the operator endpoints' values. */
#include "client/types_admin.h"

#include <stdlib.h>
#include <string.h>

static void ssh_key_clear(struct admin_ssh_key *k)
{
    free(k->fingerprint);
    free(k->key_type);
    free(k->comment);
    free(k->created_at);
    free(k->last_used_at);
}

void admin_user_clear(struct admin_user *u)
{
    if (!u)
        return;
    free(u->email);
    free(u->name);
    free(u->role);
    free(u->created_at);
    free(u->last_login_at);
    for (size_t i = 0; i < u->n_ssh_keys; i++)
        ssh_key_clear(&u->ssh_keys[i]);
    free(u->ssh_keys);
    free(u->next_due_date);
    memset(u, 0, sizeof(*u));
}

void admin_user_free(struct admin_user **u)
{
    if (!u || !*u)
        return;
    admin_user_clear(*u);
    free(*u);
    *u = NULL;
}

void admin_user_page_free(struct admin_user_page **p)
{
    if (!p || !*p)
        return;
    for (size_t i = 0; i < (*p)->n; i++)
        admin_user_clear(&(*p)->items[i]);
    free((*p)->items);
    free(*p);
    *p = NULL;
}

static void refund_clear(struct refund *r)
{
    free(r->reason);
    free(r->gateway);
    free(r->status);
    free(r->created_at);
    memset(r, 0, sizeof(*r));
}

void refund_result_free(struct refund_result **r)
{
    if (!r || !*r)
        return;
    refund_clear(&(*r)->refund);
    invoice_clear(&(*r)->invoice);
    free(*r);
    *r = NULL;
}

void credit_tx_free(struct credit_tx **t)
{
    if (!t || !*t)
        return;
    free((*t)->description);
    free((*t)->created_at);
    free(*t);
    *t = NULL;
}

static void audit_entry_clear(struct audit_entry *e)
{
    free(e->actor_type);
    free(e->actor_name);
    free(e->action);
    free(e->target_type);
    free(e->reason);
    free(e->at);
}

void audit_page_free(struct audit_page **p)
{
    if (!p || !*p)
        return;
    for (size_t i = 0; i < (*p)->n; i++)
        audit_entry_clear(&(*p)->items[i]);
    free((*p)->items);
    free(*p);
    *p = NULL;
}
