/* plain.h: plain mode: the storefront as lines of text (no escapes, numbered choices, announced
 * results) for screen readers and terminals that cannot address the cursor. */
#ifndef SETT_SCREENS_PLAIN_H
#define SETT_SCREENS_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"
#include "client/types_plan.h"
#include "screens/app.h"
#include "screens/cli_run.h"

#define PLAIN_PAGE  10 /* list items printed at a time; `m` prints the next ones */
#define PLAIN_DEPTH 8  /* screens on the back stack */
#define PLAIN_LINE  1024

/* What a command asks of the loop afterwards. */
enum plain_result {
    PLAIN_STAY, /* done; its sentences are said */
    PLAIN_SHOW, /* print the (new) current screen */
    PLAIN_QUIT, /* end of input, or the customer quits */
};

struct plain;

/* One command of a screen: the letters typed, what it does (for `?`), and the handler. `arg` is
 * what follows the letters on the line ("" when nothing). */
struct plain_cmd {
    const char *keys;
    const char *help;
    enum plain_result (*run)(struct plain *p, const char *arg);
    bool (*offered)(const struct plain *p); /* NULL: always; else false hides it (and `?` too) */
};

/* A screen: loaded when it opens (and again on an empty line), printed once as text. */
struct plain_screen_ops {
    const char *name;
    int (*load)(struct plain *p);   /* fetches its data: 0, or -1 with the error said */
    void (*print)(struct plain *p); /* the title line, the facts, the numbered choices */
    const char *number_help;        /* what a number opens ("open that product"), NULL: none */
    enum plain_result (*number)(struct plain *p, int n);
    bool (*number_offered)(const struct plain *p); /* NULL: always; else false: no numbers */
    const struct plain_cmd *cmds;                  /* ended by an entry with NULL keys */
};

/* A list printed a page at a time. */
struct plain_list {
    int n;                                /* items */
    int from;                             /* first item of the next page to print, 0-based */
    void (*item)(struct plain *p, int i); /* prints item i (numbered i + 1) */
};

/* A synchronous reply: the value (owned by whoever takes it) and the error. */
struct plain_reply {
    void *value;
    struct client_error err;
    bool done; /* the answer came */
};

struct plain_store;
struct plain_home;
struct plain_op;

/* The account screens' data (plain_account.c, plain_services.c): the signed-in customer's, or in
 * operator mode the open customer's. */
struct plain_account {
    struct service_page *services;
    struct service *service;
    int64_t service_id;
    struct invoice_page *invoices;
    const char *filter; /* an invoice status's API name, NULL for all */
    struct invoice *invoice;
    int64_t invoice_id;
    struct credits *credits;
    struct ledger_page *ledger;
    struct plan_change *change; /* the service's change of plan waiting, or NULL */
};

struct plain_plan;

struct plain {
    struct cli cli; /* options, client, embedded server, session key (cli_session.c) */
    struct client *client;
    struct billing_status *status;
    struct currency currency;
    bool utf8;
    bool tty_in;    /* stdin is a terminal: the password is read without echo */
    bool in_memory; /* a session handed over by settd (SETT_SESSION_FD): never stored */
    /* settd's key session: the SSH key is the identity, so no password sign-in and no sign-out
     * (L), unless settd allowed them (SETT_ALLOW_PASSWORD_SIGNIN=1), as in the full screen */
    bool key_identity;
    const struct plain_cmd *globals; /* the commands every screen has: the mode's own */
    /* the kiosk (--kiosk): no account screens, and the cart emptied after idle_ms without input */
    bool kiosk;
    int idle_ms;
    bool idle_fired; /* a question went unanswered that long: start over, not quit */
    bool idle_armed; /* false after a reset, until the next guest types something */
    char user[256];
    const struct plain_screen_ops *stack[PLAIN_DEPTH];
    int depth;
    struct plain_list list;
    char inbuf[4096]; /* bytes read from stdin, not yet a whole line */
    size_t inlen;
    bool eof;
    struct plain_store *store;
    struct plain_account *acct;
    struct cart *cart; /* the cart as last shown */
    struct plain_home *home;
    struct plain_op *op;     /* operator mode (--operator); NULL otherwise */
    struct plain_plan *plan; /* a change of plan being chosen (plain_plan.c) */
};

/* plain.c: the loop, the screens' stack, global commands, signing in; plain_io.c: input and
 * output. */
int plain_main(const struct app_options *opt);
/* Says one sentence (a line); all output goes through here, sanitized. */
void plain_say(struct plain *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints `prompt` and reads a line: 1, or 0 at end of input. `secret`: no echo on a terminal. */
int plain_ask(struct plain *p, const char *prompt, char *buf, size_t n, bool secret);
/* Asks a yes/no question: true only for "y" or "yes". */
bool plain_confirm(struct plain *p, const char *question);
/* Reads a line, or waits up to timeout_ms for one while the client runs: 1 a line, 0 timeout,
 * -1 end of input. */
int plain_input(struct plain *p, char *buf, size_t n, int timeout_ms);
/* `s` made safe to print (no control characters) into buf. */
const char *plain_clean(const char *s, char *buf, size_t n);
void plain_money(struct plain *p, const struct money *m, char *buf, size_t n);
/* Waits for a request started with one of the plain_on_* callbacks. 0, or -1 with r->err. */
int plain_wait(struct plain *p, uint64_t id, struct plain_reply *r);
/* Says the error as a sentence: "Could not <what>: <why>". */
void plain_fail(struct plain *p, const char *what, const struct client_error *err);
/* Opens a screen above the current one (load, then print). */
enum plain_result plain_open(struct plain *p, const struct plain_screen_ops *ops);
/* Loads the current screen again (an empty line): PLAIN_SHOW, or PLAIN_STAY with the error said. */
enum plain_result plain_reload(struct plain *p);
/* Closes the current screen and loads the one before (`b`); PLAIN_SHOW, or PLAIN_STAY. */
enum plain_result plain_back(struct plain *p);
/* Makes `ops` the only screen. */
enum plain_result plain_go(struct plain *p, const struct plain_screen_ops *ops);
/* Starts a paged list and prints its first page. */
void plain_list_start(struct plain *p, int n, void (*item)(struct plain *p, int i));
/* Says that there is no `what` number n among `count`. */
void plain_no_such(struct plain *p, const char *what, int n, size_t count);
/* Prints the list's next page, and says how to get the one after. */
void plain_list_more(struct plain *p);
/* A stored session, settd's session (SETT_SESSION_FD), an API key, or the embedded demo
 * customer; says who is signed in. */
void plain_sign_in_at_start(struct plain *p);
/* The `q` command: quit. */
enum plain_result plain_quit(struct plain *p, const char *arg);
/* True when signed in, else asks for the e-mail and password. */
bool plain_need_signin(struct plain *p);
/* "a month", "a quarter", ... */
const char *plain_cycle_words(enum billing_cycle c);
/* Resources as words: "4 GB memory, 20 GB disk, 2 vCPU". */
void plain_resources(const struct resources *r, char *buf, size_t n);

/* The callbacks of plain_wait: one per type of value. */
#define PLAIN_ON(name, type)                                                                       \
    static inline void name(void *ud, type *v, const struct client_error *e)                       \
    {                                                                                              \
        struct plain_reply *r = ud;                                                                \
        r->value = v;                                                                              \
        r->err = *e;                                                                               \
        r->done = true;                                                                            \
    }
PLAIN_ON(plain_on_status, struct billing_status)
PLAIN_ON(plain_on_categories, struct category_list)
PLAIN_ON(plain_on_products, struct product_page)
PLAIN_ON(plain_on_product, struct product)
PLAIN_ON(plain_on_session, struct auth_session)
PLAIN_ON(plain_on_user, struct auth_user)
PLAIN_ON(plain_on_quote, struct quote)
PLAIN_ON(plain_on_cart, struct cart)
PLAIN_ON(plain_on_checkout, struct checkout_result)
PLAIN_ON(plain_on_payment, struct payment)
PLAIN_ON(plain_on_services, struct service_page)
PLAIN_ON(plain_on_service, struct service)
PLAIN_ON(plain_on_invoices, struct invoice_page)
PLAIN_ON(plain_on_invoice, struct invoice)
PLAIN_ON(plain_on_credits, struct credits)
PLAIN_ON(plain_on_ledger, struct ledger_page)
PLAIN_ON(plain_on_plan_quote, struct plan_quote)
PLAIN_ON(plain_on_plan_change, struct plan_change)
PLAIN_ON(plain_on_plan_changes, struct plan_change_page)
static inline void plain_on_done(void *ud, const struct client_error *e)
{
    ((struct plain_reply *)ud)->err = *e;
    ((struct plain_reply *)ud)->done = true;
}

/* plain_store.c */
extern const struct plain_screen_ops plain_store_screen;
extern const struct plain_screen_ops plain_category_screen;
extern const struct plain_screen_ops plain_product_screen;
void plain_store_free(struct plain *p);
/* Asks for an option's value among its steps ("Choices 1 (Memory 1 GB) to 32 (…)"); an empty
 * line keeps *value. False at the end of input. */
bool plain_ask_option(struct plain *p, const struct product_option *o, int64_t *value);
/* The chosen values as words after a comma each: ", Memory 6 GB, Disk 30 GB" ("" for none). */
void plain_option_choices(const struct product *pr, const int64_t *values, size_t n_values,
                          char *buf, size_t n);

/* plain_cart.c */
extern const struct plain_screen_ops plain_cart_screen;
/* The cart in one sentence: "Cart: 1 item, $30.59." */
void plain_cart_words(struct plain *p, const struct cart *c, char *buf, size_t n);
/* Asks how to pay `due` (with the credit balance `balance`), and fills method and use_credits.
 * False when the customer cancels. */
bool plain_choose_method(struct plain *p, bool allow_credits, const struct money *balance,
                         const char **method, bool *use_credits);
/* Follows a payment until it settles or the customer stops waiting; says the outcome. */
enum plain_result plain_follow_payment(struct plain *p, struct payment *pay);

/* plain_account.c, plain_services.c: the account screens, the customer's own and, with the
 * operator's commands, the open customer's in operator mode. */
extern const struct plain_screen_ops plain_services_screen;
extern const struct plain_screen_ops plain_invoices_screen;
extern const struct plain_screen_ops plain_credits_screen;
struct plain_account *plain_acct(struct plain *p); /* made on first use; NULL without memory */
/* True while an operator views a customer's account; plain_own_account is its opposite (the
 * commands only the customer has). */
bool plain_viewing(const struct plain *p);
bool plain_own_account(const struct plain *p);
/* Where the account screens get their data: the customer endpoints for the signed-in customer,
 * /admin/users/{id}/... for the customer an operator opened. */
uint64_t plain_get_services(struct plain *p, const struct list_query *q, client_services_cb cb,
                            void *ud);
uint64_t plain_get_invoices(struct plain *p, const struct list_query *q, client_invoices_cb cb,
                            void *ud);
uint64_t plain_get_credits(struct plain *p, client_credits_cb cb, void *ud);
uint64_t plain_get_ledger(struct plain *p, const struct list_query *q, client_ledger_cb cb,
                          void *ud);
/* The screen's title: `own` for the customer, else `section` with whom the operator views. */
const char *plain_account_title(struct plain *p, const char *own, const char *section, char *buf,
                                size_t n);
/* Says "Could not load your <what>", or "the <what>" to an operator. */
void plain_account_fail(struct plain *p, const char *what, const struct client_error *err);
const char *plain_date_or(const char *d, const char *none);
/* Opens invoice `id` (after a renewal or a deposit). */
enum plain_result plain_open_invoice(struct plain *p, int64_t id);
/* Pays invoice `id` as its `p` does (how, a confirmation, the link, the wait), without opening
 * it: PLAIN_SHOW once a payment was made, PLAIN_STAY when none was, PLAIN_QUIT. */
enum plain_result plain_pay_invoice(struct plain *p, int64_t id);
void plain_account_free(struct plain *p);

/* plain_plan.c: changing the open service's plan (U on the service): product, cycle, resources,
 * the server's quote said line by line, a confirmation, then the invoice's payment; with a change
 * waiting, U withdraws it. */
enum plain_result plain_change_plan(struct plain *p, const char *arg);
/* The open service's waiting change into p->acct->change (none when it cannot be read). */
void plain_plan_load_waiting(struct plain *p);
/* Says the waiting change, if any: what it changes to and when. */
void plain_plan_say_waiting(struct plain *p);
void plain_plan_free(struct plain *p);

/* plain_home.c: the signed-in customer's overview (H), where plain mode starts when signed in. */
extern const struct plain_screen_ops plain_home_screen;
void plain_home_free(struct plain *p);
/* The screen sections open over: home when signed in (but not over SSH), else the store. */
const struct plain_screen_ops *plain_root(const struct plain *p);
/* True where `L` is offered: not in settd's key session, not at a kiosk. */
bool plain_offers_account(const struct plain *p);

/* plain_operator.c: operator mode (--operator): signs in as an operator, then the customer
 * search; its own global commands. 0, or an exit status with the reason on stderr. */
int plain_operator_start(struct plain *p);
void plain_operator_free(struct plain *p);
extern const struct plain_cmd plain_operator_globals[];

/* plain_kiosk.c: the kiosk (--kiosk): the guest account, the cart emptied at the start and after
 * an idle spell, no account screens, checkout as --kiosk-checkout says. */
int plain_kiosk_start(struct plain *p);
/* Empties the guest cart and goes back to the store, saying so. */
enum plain_result plain_kiosk_reset(struct plain *p);
/* NULL when checkout is allowed here, else the sentence that says why not. */
const char *plain_kiosk_no_checkout(const struct plain *p);
extern const struct plain_cmd plain_kiosk_globals[];

/* plain_detect.c: true when the terminal named by TERM cannot address the cursor (unset,
 * "dumb", unknown to terminfo, or without `cup`), or ACCESSIBLE is set. */
bool plain_wanted(void);

#endif
