/* plan_choice.c: choosing a change of plan, and the words about its quote and a waiting change. */
#include "screens/plan_choice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the choice ---- */

bool plan_service_changeable(const struct service *sv)
{
    return sv && sv->status == SERVICE_ACTIVE && sv->cycle != CYCLE_ONE_TIME &&
           !service_cancellation_pending(sv);
}

const struct product *plan_choice_product(const struct plan_choice *c)
{
    return c->products && c->prod >= 0 && (size_t)c->prod < c->products->n
               ? &c->products->items[c->prod]
               : NULL;
}

int plan_choice_n_options(const struct product *p)
{
    return p ? (p->n_options < PLAN_OPTIONS_MAX ? (int)p->n_options : PLAN_OPTIONS_MAX) : 0;
}

bool plan_cycle_renews(const struct product *p, int cycle)
{
    return cycle >= 0 && (size_t)cycle < p->n_cycles && p->cycles[cycle].cycle != CYCLE_ONE_TIME;
}

bool plan_product_renews(const struct product *p)
{
    for (size_t i = 0; i < p->n_cycles; i++)
        if (plan_cycle_renews(p, (int)i))
            return true;
    return false;
}

void plan_choice_set_product(struct plan_choice *c, int prod)
{
    const struct product *p;
    c->prod = prod;
    p = plan_choice_product(c);
    c->cycle = -1;
    for (size_t i = 0; i < p->n_cycles && c->cycle < 0; i++)
        if (p->cycles[i].cycle == c->sv->cycle)
            c->cycle = (int)i;
    for (size_t i = 0; i < p->n_cycles && c->cycle < 0; i++)
        if (plan_cycle_renews(p, (int)i))
            c->cycle = (int)i;
    if (c->cycle < 0)
        c->cycle = 0;
    for (int i = 0; i < plan_choice_n_options(p); i++) {
        c->values[i] = p->options[i].def;
        for (size_t k = 0; k < c->sv->n_options; k++)
            if (strcmp(c->sv->options[k].resource, p->options[i].resource) == 0 &&
                c->sv->options[k].value >= p->options[i].min &&
                c->sv->options[k].value <= p->options[i].max)
                c->values[i] = c->sv->options[k].value;
    }
}

bool plan_choice_start(struct plan_choice *c, const struct service *sv,
                       const struct product_page *products)
{
    *c = (struct plan_choice){.sv = sv, .products = products, .prod = -1};
    for (size_t i = 0; products && i < products->n; i++)
        if (products->items[i].id == sv->product.id)
            c->prod = (int)i;
    if (c->prod < 0)
        return false;
    plan_choice_set_product(c, c->prod);
    return true;
}

bool plan_choice_unchanged(const struct plan_choice *c)
{
    const struct product *p = plan_choice_product(c);

    if (!p || !c->sv || p->id != c->sv->product.id || p->n_cycles == 0 ||
        p->cycles[c->cycle].cycle != c->sv->cycle)
        return false;
    for (int i = 0; i < plan_choice_n_options(p); i++)
        for (size_t k = 0; k < c->sv->n_options; k++)
            if (strcmp(c->sv->options[k].resource, p->options[i].resource) == 0 &&
                c->sv->options[k].value != c->values[i])
                return false;
    return true;
}

void plan_choice_target(const struct plan_choice *c, struct plan_target *t,
                        struct option_choice o[PLAN_OPTIONS_MAX])
{
    const struct product *p = plan_choice_product(c);

    for (int i = 0; i < plan_choice_n_options(p); i++)
        o[i] = (struct option_choice){p->options[i].resource, c->values[i]};
    *t = (struct plan_target){
        .product_id = p->id,
        .cycle = billing_cycle_str(p->cycles[c->cycle].cycle),
        .options = o,
        .n_options = (size_t)plan_choice_n_options(p),
    };
}

/* ---- the quote ---- */

const char *plan_direction_label(const char *direction)
{
    return strcmp(direction, "upgrade") == 0 ? "Upgrade" : "Downgrade";
}

static struct money negated(struct money m)
{
    m.amount = -m.amount;
    return m;
}

size_t plan_quote_amounts(const struct plan_quote *q, struct plan_amount out[PLAN_AMOUNTS_MAX])
{
    size_t n = 0;
    out[n++] = (struct plan_amount){"Unused time", negated(q->credit), true};
    out[n++] = (struct plan_amount){"Rest of period", q->charge, true};
    out[n++] = (struct plan_amount){"Tax", q->tax, false};
    out[n++] = (struct plan_amount){"Total", q->total, true};
    if (q->credits_to_apply.amount)
        out[n++] = (struct plan_amount){"Credits applied", negated(q->credits_to_apply), false};
    out[n++] = (struct plan_amount){"Due now", q->due_now, true};
    return n;
}

void plan_quote_effect(const struct plan_quote *q, const struct currency *cur, char *buf, size_t n)
{
    char refund[64];
    if (strcmp(q->timing, "on_payment") == 0)
        snprintf(buf, n, "the difference is invoiced now and the plan changes once it is paid.");
    else if (strcmp(q->timing, "next_renewal") == 0)
        snprintf(buf, n, "nothing is charged now; the plan changes at the next renewal on %s.",
                 q->effective_date);
    else {
        money_format(&q->refund_to_balance, cur, refund, sizeof refund);
        snprintf(buf, n, "the plan changes now and %s goes to your credit balance.", refund);
    }
}

void plan_quote_question(const struct plan_quote *q, const struct currency *cur, char *buf,
                         size_t n)
{
    char total[64];
    money_format(&q->total, cur, total, sizeof total);
    if (strcmp(q->timing, "on_payment") == 0)
        snprintf(buf, n, "Change to %s? %s is invoiced now; the plan changes once it is paid.",
                 q->to.product_name, total);
    else if (strcmp(q->timing, "next_renewal") == 0)
        snprintf(buf, n, "Change to %s at the next renewal on %s? Nothing is charged now.",
                 q->to.product_name, q->effective_date);
    else
        snprintf(buf, n, "Change to %s now? The unused difference goes to your credit balance.",
                 q->to.product_name);
}

/* ---- a change ---- */

void plan_change_outcome(const struct plan_change *c, char *buf, size_t n)
{
    if (strcmp(c->status, "pending_payment") == 0)
        snprintf(buf, n, "Plan change invoiced: the plan changes once it is paid.");
    else if (strcmp(c->status, "scheduled") == 0)
        snprintf(buf, n, "Plan change scheduled for %s.", c->effective_date);
    else
        snprintf(buf, n, "Plan changed.");
}

void plan_change_applies(const struct plan_change *c, char *buf, size_t n)
{
    if (strcmp(c->status, "scheduled") == 0)
        snprintf(buf, n, "at the next renewal, on %s", c->effective_date);
    else
        snprintf(buf, n, "once its invoice is paid");
}

void plan_change_withdraw_question(const struct plan_change *c, char *buf, size_t n)
{
    snprintf(buf, n, "Withdraw the change to %s?%s", c->to.product_name,
             c->invoice_id ? " Its unpaid invoice is cancelled." : "");
}

struct plan_change *plan_change_waiting(struct plan_change_page *pg)
{
    struct plan_change *out = NULL;
    for (size_t i = 0; pg && i < pg->n && !out; i++) {
        struct plan_change *c = &pg->items[i];
        if (strcmp(c->status, "pending_payment") != 0 && strcmp(c->status, "scheduled") != 0)
            continue;
        if ((out = malloc(sizeof *out))) {
            *out = *c; /* taken: the page gives it up */
            memset(c, 0, sizeof *c);
        }
    }
    return out;
}
