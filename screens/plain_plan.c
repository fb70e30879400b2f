/* plain_plan.c: plain mode's change of plan. On a service, U opens it: the products of the
 * service's category by number, o for the cycle and the resources, the server's quote said line by
 * line after each choice, p to confirm the amount and pay the upgrade's invoice as any invoice is
 * paid. A change waiting is said on the service, and U there withdraws it. The choice and its words
 * are plan_choice.c's, the full screen's own. */
#include "screens/plain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/plan_choice.h"

struct plain_plan {
    int64_t service_id; /* the service the choice is for */
    struct product_page *products;
    struct plan_choice ch;
    struct plan_quote *quote; /* NULL: the plan the service has, or not priced (quote_err) */
    struct client_error quote_err;
    char key[CLIENT_IDEMPOTENCY_KEY_SIZE]; /* the change's, kept while a lost answer is retried */
};

static const struct plain_screen_ops plan_screen;

void plain_plan_free(struct plain *p)
{
    if (!p->plan)
        return;
    product_page_free(&p->plan->products);
    plan_quote_free(&p->plan->quote);
    free(p->plan);
    p->plan = NULL;
}

static const struct product *chosen(const struct plain *p)
{
    return plan_choice_product(&p->plan->ch);
}

/* ---- the quote ---- */

/* Asks the server's price for the choice (none for the plan the service has). */
static void price(struct plain *p)
{
    struct plain_plan *pl = p->plan;
    struct option_choice opts[PLAN_OPTIONS_MAX];
    struct plan_target t;
    struct plain_reply r = {0};
    plan_quote_free(&pl->quote);
    client_error_clear(&pl->quote_err);
    memset(pl->key, 0, sizeof pl->key); /* another choice is another change */
    if (plan_choice_unchanged(&pl->ch))
        return;
    plan_choice_target(&pl->ch, &t, opts);
    if (plain_wait(
            p,
            client_quote_plan_change(p->client, pl->service_id, &t, true, plain_on_plan_quote, &r),
            &r) != 0)
        pl->quote_err = r.err;
    else
        pl->quote = r.value;
}

/* The choice in one sentence: "Chosen: Build Your Own, Monthly, Memory 6 GB, Disk 30 GB." */
static void say_choice(struct plain *p)
{
    const struct product *pr = chosen(p);
    char name[256], opts[600];
    plain_clean(pr->name, name, sizeof name);
    plain_option_choices(pr, p->plan->ch.values, (size_t)plan_choice_n_options(pr), opts,
                         sizeof opts);
    plain_say(p, "Chosen: %s, %s%s.", name,
              billing_cycle_label(pr->cycles[p->plan->ch.cycle].cycle), opts);
}

/* The quote as lines: each amount of the breakdown, the price from the next renewal, and what
 * confirming does. */
static void say_quote(struct plain *p)
{
    const struct plan_quote *q = p->plan->quote;
    struct plan_amount rows[PLAN_AMOUNTS_MAX];
    char a[64], name[256], effect[400];
    if (plan_choice_unchanged(&p->plan->ch)) {
        plain_say(p, "This is the plan the service has. Choose another product (its number), or "
                     "another cycle or size (o).");
        return;
    }
    if (!q) {
        plain_fail(p, "price this plan", &p->plan->quote_err);
        return;
    }
    plain_say(p, "%s to %s.", plan_direction_label(q->direction),
              plain_clean(q->to.product_name, name, sizeof name));
    for (size_t i = 0, n = plan_quote_amounts(q, rows); i < n; i++) {
        plain_money(p, &rows[i].value, a, sizeof a);
        plain_say(p, "%s: %s.", rows[i].label, a);
    }
    plain_money(p, &q->next_renewal_amount, a, sizeof a);
    plain_say(p, "Then: %s %s from %s.", a,
              plain_cycle_words(chosen(p)->cycles[p->plan->ch.cycle].cycle), q->next_renewal_date);
    plan_quote_effect(q, &p->currency, effect, sizeof effect);
    plain_say(p, "If you confirm (p), %s", effect);
}

/* ---- the screen ---- */

static int plan_load(struct plain *p)
{
    const struct service *sv = p->acct->service;
    struct product_query q = {.category = sv->product.category_slug, .per_page = 50};
    struct plain_reply r = {0};
    struct plain_plan *pl;
    if (!p->plan && !(p->plan = calloc(1, sizeof *p->plan)))
        return -1;
    pl = p->plan;
    if (plain_wait(p, client_get_products(p->client, &q, plain_on_products, &r), &r) != 0) {
        plain_fail(p, "load the plans", &r.err);
        return -1;
    }
    /* read again, the choice made so far for this service stays */
    struct plan_choice was = pl->ch;
    const struct product *was_product = pl->service_id == sv->id ? chosen(p) : NULL;
    int64_t was_id = was_product ? was_product->id : 0;
    product_page_free(&pl->products);
    pl->products = r.value;
    pl->service_id = sv->id;
    if (!plan_choice_start(&pl->ch, sv, pl->products)) {
        plain_say(p, "This service's product is no longer in the store, so its plan cannot change "
                     "here. Please ask support.");
        return -1;
    }
    for (size_t i = 0; was_id && i < pl->products->n; i++)
        if (pl->products->items[i].id == was_id &&
            plan_cycle_renews(&pl->products->items[i], was.cycle)) {
            pl->ch.prod = (int)i;
            pl->ch.cycle = was.cycle;
            memcpy(pl->ch.values, was.values, sizeof was.values);
        }
    price(p);
    return 0;
}

static void product_item(struct plain *p, int i)
{
    const struct product *pr = &p->plan->products->items[i];
    char name[256];
    bool now = pr->id == p->acct->service->product.id, sel = i == p->plan->ch.prod;
    plain_clean(pr->name, name, sizeof name);
    if (!plan_product_renews(pr))
        plain_say(p, "%d. %s: sold once only, not a plan to change to.", i + 1, name);
    else
        plain_say(p, "%d. %s%s%s%s%s.", i + 1, name, now || sel ? " (" : "", now ? "now" : "",
                  now && sel ? ", " : "",
                  sel   ? "chosen)"
                  : now ? ")"
                        : "");
}

static void plan_print(struct plain *p)
{
    const struct service *sv = p->acct->service;
    char name[256], price_now[64], opts[600];
    int n = (int)p->plan->products->n;
    plain_clean(sv->product.name, name, sizeof name);
    plain_money(p, &sv->recurring_price, price_now, sizeof price_now);
    fmt_option_values(sv->options, sv->n_options, ", ", opts, sizeof opts);
    plain_say(p, "Change the plan of service %" PRId64 ", %s.", sv->id, name);
    plain_say(p, "Now: %s, %s %s%s%s.", billing_cycle_label(sv->cycle), price_now,
              plain_cycle_words(sv->cycle), opts[0] ? "; " : "", opts);
    plain_say(p, "Products of its category: %d.", n);
    plain_list_start(p, n, product_item);
    say_choice(p);
    say_quote(p);
    plain_say(p, "Type a number to choose the product, o for the cycle and the resources, p to "
                 "confirm the change.");
}

static enum plain_result plan_number(struct plain *p, int n)
{
    const struct product_page *pg = p->plan->products;
    char name[256];
    if (n < 1 || (size_t)n > pg->n) {
        plain_no_such(p, "product", n, pg->n);
        return PLAIN_STAY;
    }
    if (!plan_product_renews(&pg->items[n - 1])) {
        plain_say(p, "%s is sold once only, so a service cannot change to it.",
                  plain_clean(pg->items[n - 1].name, name, sizeof name));
        return PLAIN_STAY;
    }
    plan_choice_set_product(&p->plan->ch, n - 1);
    say_choice(p);
    price(p);
    say_quote(p);
    return PLAIN_STAY;
}

/* Asks the cycle among the product's renewing ones; false at the end of input. */
static bool ask_cycle(struct plain *p)
{
    const struct product *pr = chosen(p);
    int idx[CYCLE_COUNT], n = 0;
    char line[32], q[200], *end;
    for (size_t i = 0; i < pr->n_cycles && n < CYCLE_COUNT; i++)
        if (plan_cycle_renews(pr, (int)i))
            idx[n++] = (int)i;
    if (n < 2)
        return true;
    plain_say(p, "Billing cycles:");
    for (int k = 0; k < n; k++)
        plain_say(p, "%d. %s%s", k + 1, billing_cycle_label(pr->cycles[idx[k]].cycle),
                  idx[k] == p->plan->ch.cycle ? " (chosen)" : "");
    snprintf(q, sizeof q, "Your choice (an empty line keeps %s):",
             billing_cycle_label(pr->cycles[p->plan->ch.cycle].cycle));
    for (;;) {
        if (!plain_ask(p, q, line, sizeof line, false))
            return false;
        if (!line[0])
            return true;
        long k = strtol(line, &end, 10);
        if (end != line && *end == '\0' && k >= 1 && k <= n) {
            p->plan->ch.cycle = idx[k - 1];
            return true;
        }
        plain_say(p, "Please type a number from 1 to %d.", n);
    }
}

static enum plain_result configure(struct plain *p, const char *arg)
{
    const struct product *pr = chosen(p);
    (void)arg;
    if (!ask_cycle(p))
        return PLAIN_QUIT;
    for (int i = 0; i < plan_choice_n_options(pr); i++)
        if (!plain_ask_option(p, &pr->options[i], &p->plan->ch.values[i]))
            return PLAIN_QUIT;
    say_choice(p);
    price(p);
    say_quote(p);
    return PLAIN_STAY;
}

/* `p`: the amount confirmed, the change made, an upgrade's invoice paid; then the service. */
static enum plain_result confirm(struct plain *p, const char *arg)
{
    struct plain_plan *pl = p->plan;
    struct option_choice opts[PLAN_OPTIONS_MAX];
    struct plan_target t;
    struct plain_reply r = {0};
    char q[600], said[300];
    (void)arg;
    if (!pl->quote) {
        plain_say(p, "%s",
                  plan_choice_unchanged(&pl->ch)
                      ? "Choose another product, cycle or size first."
                      : "This plan has no price: type an empty line to ask again.");
        return PLAIN_STAY;
    }
    plan_quote_question(pl->quote, &p->currency, q, sizeof q);
    if (!plain_confirm(p, q)) {
        plain_say(p, "Nothing was changed.");
        return PLAIN_STAY;
    }
    if (!pl->key[0] && client_idempotency_key_new(pl->key) != 0) {
        plain_say(p, "No random source: nothing was sent.");
        return PLAIN_STAY;
    }
    plan_choice_target(&pl->ch, &t, opts);
    if (plain_wait(p,
                   client_change_plan(p->client, pl->service_id, &t, &pl->quote->total, pl->key,
                                      plain_on_plan_change, &r),
                   &r) != 0) {
        if (r.err.status != CLIENT_ERR_TRANSPORT && r.err.status != CLIENT_ERR_TIMEOUT)
            memset(pl->key, 0, sizeof pl->key); /* only a lost answer is retried as the same */
        plain_fail(p, "change the plan", &r.err);
        if (strcmp(r.err.code, "price_changed") == 0) {
            price(p);
            say_quote(p);
        }
        return PLAIN_STAY;
    }
    memset(pl->key, 0, sizeof pl->key);
    struct plan_change *c = r.value;
    int64_t invoice_id = c->invoice_id;
    plan_change_outcome(c, said, sizeof said);
    plan_change_free(&c);
    plain_say(p, "%s", said);
    if (invoice_id && plain_pay_invoice(p, invoice_id) == PLAIN_QUIT)
        return PLAIN_QUIT;
    return plain_back(p); /* the service, read again: its new plan, or the change waiting */
}

static const struct plain_cmd plan_cmds[] = {
    {"o", "choose the billing cycle and the resources (memory, disk, CPU...)", configure, NULL},
    {"p", "confirm the change: the amount is said and asked first, then paid", confirm, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct plain_screen_ops plan_screen = {
    .name = "plan",
    .load = plan_load,
    .print = plan_print,
    .number_help = "change to that product",
    .number = plan_number,
    .cmds = plan_cmds,
};

/* ---- on the service ---- */

void plain_plan_load_waiting(struct plain *p)
{
    struct plain_reply r = {0};
    plan_change_free(&p->acct->change);
    if (plain_wait(
            p, client_get_plan_changes(p->client, p->acct->service_id, plain_on_plan_changes, &r),
            &r) != 0)
        return; /* as on the full screen: the service shows without it */
    struct plan_change_page *pg = r.value;
    p->acct->change = plan_change_waiting(pg);
    plan_change_page_free(&pg);
}

void plain_plan_say_waiting(struct plain *p)
{
    const struct plan_change *c = p->acct->change;
    enum billing_cycle cycle = p->acct->service->cycle;
    char name[256], price_to[64], opts[600], when[200];
    if (!c)
        return;
    billing_cycle_parse(c->to.cycle, &cycle);
    plain_clean(c->to.product_name, name, sizeof name);
    plain_money(p, &c->to.recurring_price, price_to, sizeof price_to);
    fmt_option_values(c->to.options, c->to.n_options, ", ", opts, sizeof opts);
    plan_change_applies(c, when, sizeof when);
    plain_say(p, "Plan change waiting: to %s, %s %s%s%s; it applies %s.", name, price_to,
              plain_cycle_words(cycle), opts[0] ? ", " : "", opts, when);
}

enum plain_result plain_change_plan(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char q[400];
    (void)arg;
    if (!p->acct->change) {
        if (!plan_service_changeable(p->acct->service)) {
            plain_say(p, "%s", PLAN_NOT_CHANGEABLE);
            return PLAIN_STAY;
        }
        return plain_open(p, &plan_screen);
    }
    plan_change_withdraw_question(p->acct->change, q, sizeof q);
    if (!plain_confirm(p, q)) {
        plain_say(p, "Nothing was withdrawn: the change still waits.");
        return PLAIN_STAY;
    }
    if (plain_wait(p,
                   client_withdraw_plan_change(p->client, p->acct->service_id, p->acct->change->id,
                                               plain_on_plan_change, &r),
                   &r) != 0) {
        plain_fail(p, "withdraw the plan change", &r.err);
        return PLAIN_STAY;
    }
    struct plan_change *c = r.value;
    plan_change_free(&c);
    plain_say(p, "%s", PLAN_WITHDRAWN);
    return plain_reload(p);
}
