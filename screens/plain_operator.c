/* plain_operator.c: operator mode in plain mode: signing in as an operator, the customer search,
 * a customer's overview, and the commands every operator screen has. */
#include "screens/plain_operator.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/billingd.h"
#include "screens/credentials.h"
#include "screens/format.h"
#include "screens/operator.h"
#include "screens/session_fd.h"

/* ---- shared ---- */

const char *plain_op_title(struct plain *p, const char *section, char *buf, size_t n)
{
    char email[256];
    if (!p->op->view_id) {
        snprintf(buf, n, "%s", section);
        return buf;
    }
    plain_clean(p->op->view_email, email, sizeof email);
    snprintf(buf, n, "%s, viewing %s (#%" PRId64 ")", section, email, p->op->view_id);
    return buf;
}

int plain_op_pick(struct plain *p, const char *arg, const char *what, size_t count)
{
    char line[32], q[128], *end;
    if (arg[0]) {
        snprintf(line, sizeof line, "%s", arg);
    } else {
        snprintf(q, sizeof q, "Which %s (a number; an empty line cancels)?", what);
        if (!plain_ask(p, q, line, sizeof line, false) || !line[0])
            return -1;
    }
    long n = strtol(line, &end, 10);
    if (end == line || *end || n < 1 || (size_t)n > count) {
        plain_no_such(p, what, end == line || *end ? 0 : (int)(n > 100000 || n < 0 ? 0 : n), count);
        return -1;
    }
    return (int)n - 1;
}

bool plain_op_reason(struct plain *p, char *buf, size_t n)
{
    if (!plain_ask(p, "Reason (required; it goes to the audit log):", buf, n, false))
        return false;
    if (!buf[0]) {
        plain_say(p, "A reason is required; nothing was changed.");
        return false;
    }
    return true;
}

bool plain_op_confirm(struct plain *p, const char *question, const char *reason)
{
    char q[2200];
    snprintf(q, sizeof q, "%s Reason: %.1000s.", question, reason);
    if (plain_confirm(p, q))
        return true;
    plain_say(p, "Nothing was changed.");
    return false;
}

void plain_op_reload(struct plain *p)
{
    const struct plain_screen_ops *s = p->depth > 0 ? p->stack[p->depth - 1] : NULL;
    if (s && s->load)
        s->load(p);
}

void plain_operator_free(struct plain *p)
{
    struct plain_op *op = p->op;
    if (!op)
        return;
    admin_user_page_free(&op->users);
    admin_user_free(&op->user);
    order_page_free(&op->orders);
    plain_op_shop_free(op);
    free(op);
    p->op = NULL;
}

/* ---- the customer search ---- */

static const struct plain_screen_ops search_screen, customer_screen;

static int search_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct admin_user_query q = {.q = p->op->q[0] ? p->op->q : NULL, .per_page = 100};
    if (plain_wait(p, client_admin_search_users(p->client, &q, plain_on_users, &r), &r) != 0) {
        plain_fail(p, "search the customers", &r.err);
        return -1;
    }
    admin_user_page_free(&p->op->users);
    p->op->users = r.value;
    return 0;
}

static void user_item(struct plain *p, int i)
{
    const struct admin_user *u = &p->op->users->items[i];
    char email[256], name[256], bal[64];
    plain_clean(u->email, email, sizeof email);
    plain_clean(u->name, name, sizeof name);
    plain_money(p, &u->credit_balance, bal, sizeof bal);
    plain_say(p,
              "%d. %s%s%s (#%" PRId64 "), %s: %d active service%s, %d unpaid invoice%s, credit %s.",
              i + 1, email, name[0] ? ", " : "", name, u->id, u->role, u->active_services,
              u->active_services == 1 ? "" : "s", u->unpaid_invoices,
              u->unpaid_invoices == 1 ? "" : "s", bal);
}

static void search_print(struct plain *p)
{
    char words[256];
    int n = (int)p->op->users->n;
    if (p->op->q[0])
        plain_say(p, "Operator. Customers matching \"%s\": %d.",
                  plain_clean(p->op->q, words, sizeof words), n);
    else
        plain_say(p, "Operator. Customers: %d.", n);
    plain_list_start(p, n, user_item);
    plain_say(p, "Type a number to open a customer; w and words to search (e-mail, name, id or "
                 "key fingerprint); O for the orders awaiting approval; T the catalog; N the "
                 "coupons; B the settings.");
}

static enum plain_result open_customer(struct plain *p, const struct admin_user *u)
{
    p->op->view_id = u->id;
    snprintf(p->op->view_email, sizeof p->op->view_email, "%s", u->email);
    if (plain_go(p, &search_screen) == PLAIN_STAY)
        return PLAIN_STAY;
    plain_open(p, &customer_screen);
    return PLAIN_SHOW;
}

static enum plain_result search_number(struct plain *p, int n)
{
    if (n < 1 || (size_t)n > p->op->users->n) {
        plain_no_such(p, "customer", n, p->op->users->n);
        return PLAIN_STAY;
    }
    struct admin_user u = p->op->users->items[n - 1];
    return open_customer(p, &u);
}

static const struct plain_cmd no_cmds[] = {{NULL, NULL, NULL, NULL}};

static const struct plain_screen_ops search_screen = {
    .name = "operator-search",
    .load = search_load,
    .print = search_print,
    .number_help = "open that customer's account",
    .number = search_number,
    .cmds = no_cmds,
};

/* ---- a customer's overview ---- */

static int customer_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_admin_get_user(p->client, p->op->view_id, plain_on_admin_user, &r),
                   &r) != 0) {
        plain_fail(p, "load the customer", &r.err);
        return -1;
    }
    admin_user_free(&p->op->user);
    p->op->user = r.value;
    return 0;
}

static void customer_print(struct plain *p)
{
    const struct admin_user *u = p->op->user;
    char title[400], name[256], a[64];
    plain_say(p, "%s.", plain_op_title(p, "Customer", title, sizeof title));
    plain_say(p, "Name: %s. Role: %s. Since %s; last sign-in %s.",
              plain_clean(u->name[0] ? u->name : "-", name, sizeof name), u->role,
              plain_date_or(u->created_at, "-"), plain_date_or(u->last_login_at, "never"));
    plain_say(p, "Active services: %d.", u->active_services);
    if (u->unpaid_invoices == 0) {
        plain_say(p, "Unpaid invoices: none.");
    } else if (u->has_total_due) {
        plain_money(p, &u->total_due, a, sizeof a);
        plain_say(p, "Unpaid invoices: %d, %s due.", u->unpaid_invoices, a);
    } else {
        plain_say(p, "Unpaid invoices: %d.", u->unpaid_invoices);
    }
    plain_say(p, "Next due date: %s.", plain_date_or(u->next_due_date, "none"));
    plain_money(p, &u->credit_balance, a, sizeof a);
    plain_say(p, "Credit balance: %s.", a);
    plain_say(p, "Type v for the services, i the invoices, $ the credits, O the orders, A to "
                 "adjust the credit.");
}

/* After A the overview loads again: the new balance shows on Enter. */
static const struct plain_cmd customer_cmds[] = {
    {"A", "adjust the credit balance (an amount, a reason, a confirmation)", plain_op_adjust, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct plain_screen_ops customer_screen = {
    .name = "operator-customer",
    .load = customer_load,
    .print = customer_print,
    .cmds = customer_cmds,
};

/* ---- the commands every operator screen has ---- */

static enum plain_result go_search(struct plain *p, const char *arg)
{
    snprintf(p->op->q, sizeof p->op->q, "%s", arg);
    p->op->view_id = 0;
    return plain_go(p, &search_screen);
}

/* A section of the open customer's account, over their overview. */
static enum plain_result section(struct plain *p, const struct plain_screen_ops *ops)
{
    if (!p->op->view_id) {
        plain_say(p, "Open a customer first: w searches.");
        return PLAIN_STAY;
    }
    while (p->depth > 1 && p->stack[p->depth - 1] != &customer_screen)
        p->depth--;
    if (p->depth == 1 && plain_open(p, &customer_screen) == PLAIN_STAY)
        return PLAIN_STAY;
    if (ops == &customer_screen) {
        customer_load(p);
        return PLAIN_SHOW;
    }
    plain_open(p, ops);
    return PLAIN_SHOW;
}

/* The shop's own screens: over the search, no customer open. */
static enum plain_result shop(struct plain *p, const struct plain_screen_ops *ops)
{
    p->op->view_id = 0;
    p->op->q[0] = '\0';
    if (plain_go(p, &search_screen) == PLAIN_STAY)
        return PLAIN_STAY;
    plain_open(p, ops);
    return PLAIN_SHOW;
}

static enum plain_result go_home(struct plain *p, const char *arg)
{
    (void)arg;
    return section(p, &customer_screen);
}

static enum plain_result go_services(struct plain *p, const char *arg)
{
    (void)arg;
    return section(p, &plain_services_screen);
}

static enum plain_result go_invoices(struct plain *p, const char *arg)
{
    (void)arg;
    return section(p, &plain_invoices_screen);
}

static enum plain_result go_credits(struct plain *p, const char *arg)
{
    (void)arg;
    return section(p, &plain_credits_screen);
}

static enum plain_result go_orders(struct plain *p, const char *arg)
{
    (void)arg;
    if (p->op->view_id)
        return section(p, &plain_op_orders_screen);
    return shop(p, &plain_op_awaiting_screen);
}

static enum plain_result go_catalog(struct plain *p, const char *arg)
{
    (void)arg;
    return shop(p, &plain_op_catalog_screen);
}

static enum plain_result go_coupons(struct plain *p, const char *arg)
{
    (void)arg;
    return shop(p, &plain_op_coupons_screen);
}

static enum plain_result go_settings(struct plain *p, const char *arg)
{
    (void)arg;
    return shop(p, &plain_op_settings_screen);
}

const struct plain_cmd plain_operator_globals[] = {
    {"w", "find a customer (w and words, or w alone for every account)", go_search, NULL},
    {"H", "the open customer's overview", go_home, NULL},
    {"v", "the customer's services", go_services, NULL},
    {"i", "the customer's invoices", go_invoices, NULL},
    {"$", "the customer's credits", go_credits, NULL},
    {"O", "the customer's orders; with no customer open, every order awaiting approval", go_orders,
     NULL},
    {"T", "the catalog: stock, visibility and prices", go_catalog, NULL},
    {"N", "the coupons", go_coupons, NULL},
    {"B", "the billing settings", go_settings, NULL},
    {"q", "quit", plain_quit, NULL},
    {NULL, NULL, NULL, NULL},
};

/* ---- start: signed in as an operator, or refused ---- */

static bool login(struct plain *p, const char *email, const char *password)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_login(p->client, email, password, plain_on_session, &r), &r) != 0) {
        plain_fail(p, "sign in", &r.err);
        return false;
    }
    struct auth_session *s = r.value;
    plain_clean(s->user.email, p->user, sizeof p->user);
    auth_session_free(&s);
    return true;
}

int plain_operator_start(struct plain *p)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], why[300], msg[400];
    struct plain_reply r = {0};
    struct admin_user_query q = {.per_page = 1};

    if (!(p->op = calloc(1, sizeof *p->op)))
        return 1;
    if (p->cli.opt.api_key[0]) {
        client_use_api_key(p->client, p->cli.opt.api_key);
    } else if (p->cli.embedded) {
        login(p, BILLINGD_ADMIN_EMAIL, BILLINGD_ADMIN_PASSWORD);
    } else if (session_fd_read(access, refresh, why, sizeof why) == 0) {
        p->in_memory = true; /* settd's session: never stored */
        client_set_tokens(p->client, access, refresh);
    } else if (credentials_load(p->cli.session_key, access, refresh, why, sizeof why) == 0) {
        client_set_tokens(p->client, access[0] ? access : NULL, refresh[0] ? refresh : NULL);
    }
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    if (!client_signed_in(p->client)) {
        plain_say(p, "Operator mode needs an operator account.");
        if (!plain_need_signin(p)) {
            fprintf(stderr, "sett: operator mode needs an operator account\n");
            return OPERATOR_EXIT_REFUSED;
        }
    }
    /* an operator endpoint is the only honest test of whether this account is an operator's */
    if (plain_wait(p, client_admin_search_users(p->client, &q, plain_on_users, &r), &r) != 0) {
        fmt_error(&r.err, why, sizeof why);
        plain_clean(why, msg, sizeof msg);
        if (r.err.http_status == 403 || r.err.status == CLIENT_ERR_AUTH) {
            fprintf(stderr, "sett: %s: %s\n",
                    r.err.http_status == 403 ? "This account is not an operator"
                    : p->cli.opt.api_key[0]  ? "The API key was refused"
                                             : "The sign-in was refused",
                    msg);
            if (!p->cli.opt.api_key[0] && !p->cli.embedded)
                client_set_tokens(p->client, NULL, NULL);
            return OPERATOR_EXIT_REFUSED;
        }
        fprintf(stderr, "sett: cannot check operator access: %s\n", msg);
        return CLI_EXIT_NETWORK;
    }
    struct admin_user_page *pg = r.value;
    admin_user_page_free(&pg);
    plain_say(p,
              "Operator mode%s%s. Every change asks for a reason, which goes to the audit log, "
              "and a confirmation.",
              p->user[0] ? ": signed in as " : "", p->user);
    return plain_go(p, &search_screen) == PLAIN_STAY ? CLI_EXIT_NETWORK : CLI_EXIT_OK;
}
