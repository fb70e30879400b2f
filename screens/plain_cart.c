/* plain_cart.c: plain mode's cart, checkout with a confirmation, and following a payment. */
#include "screens/plain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screens/format.h"

#define POLL_MS  2000  /* how often a payment is looked up */
#define SPEAK_MS 10000 /* "Still waiting" at most this often */

void plain_cart_words(struct plain *p, const struct cart *c, char *buf, size_t n)
{
    int units = 0;
    char total[64];
    for (size_t i = 0; c && i < c->n_items; i++)
        units += c->items[i].quantity;
    if (!c || units == 0) {
        snprintf(buf, n, "Cart: empty.");
        return;
    }
    plain_money(p, &c->totals.total, total, sizeof total);
    snprintf(buf, n, "Cart: %d item%s, %s.", units, units == 1 ? "" : "s", total);
}

static void set_cart(struct plain *p, struct cart *c)
{
    cart_free(&p->cart);
    p->cart = c;
    if (p->kiosk && c) { /* a guest never sees nor spends the guest account's credits */
        c->credits_available.amount = 0;
        c->credits_to_apply.amount = 0;
        c->due_now = c->totals.total;
    }
}

static int cart_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_get_cart(p->client, plain_on_cart, &r), &r) != 0) {
        plain_fail(p, "load the cart", &r.err);
        return -1;
    }
    set_cart(p, r.value);
    return 0;
}

static void cart_item(struct plain *p, int i)
{
    const struct priced_line *l = &p->cart->items[i];
    char name[256], opts[400], unit[64], total[64];
    plain_clean(l->product.name, name, sizeof name);
    fmt_option_values(l->options, l->n_options, ", ", opts, sizeof opts);
    plain_money(p, &l->unit_price, unit, sizeof unit);
    plain_money(p, &l->line_total, total, sizeof total);
    plain_say(p, "%d. %s, %s, quantity %d%s%s: %s%s.", i + 1, name, billing_cycle_label(l->cycle),
              l->quantity, opts[0] ? ", " : "", opts, total,
              l->available ? "" : " (not available now)");
}

static void cart_print(struct plain *p)
{
    const struct cart *c = p->cart;
    char words[200], a[64], b[64];
    plain_cart_words(p, c, words, sizeof words);
    plain_say(p, "%s", words);
    if (cart_empty(c)) {
        plain_say(p, "Type s for the store.");
        return;
    }
    plain_list_start(p, (int)c->n_items, cart_item);
    if (c->has_coupon) {
        char code[64], desc[256];
        plain_clean(c->coupon.code, code, sizeof code);
        plain_clean(c->coupon.description, desc, sizeof desc);
        plain_money(p, &c->coupon.discount, a, sizeof a);
        if (c->coupon.valid)
            plain_say(p, "Coupon %s: %s, %s off.", code, desc, a);
        else
            plain_say(p, "Coupon %s no longer applies (%s).", code,
                      plain_clean(c->coupon.invalid_reason, desc, sizeof desc));
    }
    plain_money(p, &c->totals.subtotal, a, sizeof a);
    plain_say(p, "Subtotal: %s.", a);
    if (c->totals.discount.amount) {
        plain_money(p, &c->totals.discount, a, sizeof a);
        plain_say(p, "Discount: %s.", a);
    }
    for (size_t i = 0; i < c->totals.n_tax_lines; i++) {
        char label[128], clean[128];
        fmt_tax_label(&c->totals.tax_lines[i], label, sizeof label);
        plain_money(p, &c->totals.tax_lines[i].amount, a, sizeof a);
        plain_say(p, "%s: %s.", plain_clean(label, clean, sizeof clean), a);
    }
    plain_money(p, &c->totals.total, a, sizeof a);
    plain_say(p, "Total: %s.", a);
    if (c->credits_available.amount > 0) {
        plain_money(p, &c->credits_available, a, sizeof a);
        plain_money(p, &c->due_now, b, sizeof b);
        plain_say(p, "Your credits: %s. Paying with them first leaves %s to pay now.", a, b);
    }
    if (plain_kiosk_no_checkout(p))
        plain_say(p, "%s Type C to apply a coupon, d and a line's number to remove it.",
                  plain_kiosk_no_checkout(p));
    else
        plain_say(p,
                  "Type o to check out, C to apply a coupon, d and a line's number to remove it.");
}

/* The line number in `arg`, or asked; 0 when there is none. */
static int line_number(struct plain *p, const char *arg, const char *question)
{
    char line[32], *end;
    if (cart_empty(p->cart)) {
        plain_say(p, "Your cart is empty.");
        return 0;
    }
    if (arg[0])
        snprintf(line, sizeof line, "%s", arg);
    else if (!plain_ask(p, question, line, sizeof line, false))
        return 0;
    long n = strtol(line, &end, 10);
    if (end == line || *end) {
        char clean[64];
        plain_say(p, "\"%s\" is not a line's number; nothing was changed.",
                  plain_clean(line, clean, sizeof clean));
        return 0;
    }
    if (n < 1 || (size_t)n > p->cart->n_items) {
        plain_no_such(p, "line", (int)(n > 100000 ? 0 : n), p->cart->n_items);
        return 0;
    }
    return (int)n;
}

static enum plain_result changed(struct plain *p, struct plain_reply *r, const char *what,
                                 const char *done)
{
    char words[200];
    if (r->err.status != CLIENT_OK) {
        plain_fail(p, what, &r->err);
        if (strcmp(r->err.code, "precondition_failed") == 0 && cart_load(p) == 0)
            return PLAIN_SHOW; /* the cart changed elsewhere: show it as it is */
        return PLAIN_STAY;
    }
    set_cart(p, r->value);
    plain_cart_words(p, p->cart, words, sizeof words);
    plain_say(p, "%s %s", done, words);
    return PLAIN_STAY;
}

static enum plain_result remove_line(struct plain *p, const char *arg)
{
    int n = line_number(p, arg, "Remove which line?");
    struct plain_reply r = {0};
    char name[256], done[400];
    if (!n)
        return PLAIN_STAY;
    const struct priced_line *l = &p->cart->items[n - 1];
    plain_clean(l->product.name, name, sizeof name);
    snprintf(done, sizeof done, "Removed %s from the cart.", name);
    plain_wait(p, client_cart_remove(p->client, l->id, p->cart->etag, plain_on_cart, &r), &r);
    return changed(p, &r, "remove the line", done);
}

static enum plain_result edit_line(struct plain *p, const char *arg)
{
    int n = line_number(p, arg, "Change the quantity of which line?");
    struct plain_reply r = {0};
    char line[32], *end, done[200];
    if (!n)
        return PLAIN_STAY;
    if (!plain_ask(p, "New quantity, 1 to 100:", line, sizeof line, false))
        return PLAIN_QUIT;
    long q = strtol(line, &end, 10);
    if (end == line || *end || q < 1 || q > 100) {
        plain_say(p, "Nothing changed: the quantity is a number from 1 to 100.");
        return PLAIN_STAY;
    }
    struct cart_item_patch patch = {.quantity = (int)q};
    snprintf(done, sizeof done, "Line %d: quantity %ld.", n, q);
    plain_wait(p,
               client_cart_update(p->client, p->cart->items[n - 1].id, &patch, p->cart->etag,
                                  plain_on_cart, &r),
               &r);
    return changed(p, &r, "change the quantity", done);
}

static enum plain_result coupon(struct plain *p, const char *arg)
{
    char code[64], clean[64], done[200], what[200];
    struct plain_reply r = {0};
    if (arg[0])
        snprintf(code, sizeof code, "%s", arg);
    else if (!plain_ask(p, "Coupon code (an empty line cancels):", code, sizeof code, false) ||
             !code[0])
        return PLAIN_STAY;
    plain_clean(code, clean, sizeof clean);
    snprintf(done, sizeof done, "Coupon %s applied.", clean);
    snprintf(what, sizeof what, "apply the coupon %s", clean);
    plain_wait(p,
               client_cart_apply_coupon(p->client, code, p->cart ? p->cart->etag : NULL,
                                        plain_on_cart, &r),
               &r);
    return changed(p, &r, what, done);
}

static enum plain_result no_coupon(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    (void)arg;
    if (!p->cart || !p->cart->has_coupon) {
        plain_say(p, "There is no coupon on the cart.");
        return PLAIN_STAY;
    }
    plain_wait(p, client_cart_remove_coupon(p->client, p->cart->etag, plain_on_cart, &r), &r);
    return changed(p, &r, "remove the coupon", "Coupon removed.");
}

bool plain_choose_method(struct plain *p, bool allow_credits, const struct money *balance,
                         const char **method, bool *use_credits)
{
    const char *methods[8];
    int n = 0;
    char line[32], *end, bal[64];
    bool credits_on = p->status->credits_enabled && allow_credits;
    for (size_t i = 0; i < p->status->n_gateways && n < 8; i++) {
        if (strcmp(p->status->gateways[i], "credits") == 0 && !credits_on)
            continue;
        methods[n++] = p->status->gateways[i];
    }
    if (n == 0) {
        plain_say(p, "This shop takes no payments right now.");
        return false;
    }
    plain_say(p, "How would you like to pay?");
    for (int i = 0; i < n; i++) {
        char name[64];
        plain_say(p, "%d. %s", i + 1, plain_clean(fmt_gateway(methods[i]), name, sizeof name));
    }
    if (!plain_ask(p, "Your choice (an empty line cancels):", line, sizeof line, false) || !line[0])
        return false;
    long k = strtol(line, &end, 10);
    if (end == line || *end || k < 1 || k > n) {
        plain_say(p, "That is not one of the choices; nothing was paid.");
        return false;
    }
    *method = methods[k - 1];
    *use_credits = false;
    if (strcmp(*method, "credits") != 0 && credits_on && balance && balance->amount > 0) {
        char q[200];
        plain_money(p, balance, bal, sizeof bal);
        snprintf(q, sizeof q, "Use your credit balance of %s first? Type y or n:", bal);
        if (!plain_ask(p, q, line, sizeof line, false))
            return false;
        *use_credits = line[0] == 'y' || line[0] == 'Y';
    }
    return true;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Says a settled payment's outcome. */
static void say_outcome(struct plain *p, const struct payment *pay)
{
    char amount[64], why[300];
    plain_money(p, &pay->amount, amount, sizeof amount);
    switch (pay->status) {
    case PAYMENT_PAID:
        plain_say(p, "Payment received: %s. The invoice is paid.", amount);
        break;
    case PAYMENT_NOT_REQUIRED:
        plain_say(p, "Paid: nothing more was due.");
        break;
    case PAYMENT_HELD:
        plain_say(p, "The payment is held for review; you will find the result under invoices.");
        break;
    default:
        plain_clean(pay->failure_reason, why, sizeof why);
        plain_say(p, "The payment %s%s%s. The invoice stays unpaid: pay it from your invoices (i).",
                  pay->status == PAYMENT_EXPIRED ? "expired" : "failed", why[0] ? ": " : "", why);
        break;
    }
}

enum plain_result plain_follow_payment(struct plain *p, struct payment *pay)
{
    struct payment cur = *pay; /* borrowed: the caller frees its own */
    struct plain_reply r = {0};
    struct payment *fresh = NULL;
    uint64_t req = 0;
    char line[64], url[1024];
    enum plain_result res = PLAIN_STAY;

    if (payment_settled(&cur) || cur.status == PAYMENT_HELD) {
        say_outcome(p, &cur);
        return PLAIN_STAY;
    }
    if (cur.next_action_url && cur.next_action_url[0]) {
        plain_say(p, "To pay, open this link in a browser:");
        plain_say(p, "%s", plain_clean(cur.next_action_url, url, sizeof url));
    }
    plain_say(p, "Waiting for the payment. Type b to stop waiting; the link stays valid.");
    int64_t next_poll = now_ms() + POLL_MS, next_speak = now_ms() + SPEAK_MS;
    for (;;) {
        int64_t now = now_ms();
        if (!req && now >= next_poll) {
            r = (struct plain_reply){0};
            req = client_get_payment(p->client, cur.id, plain_on_payment, &r);
            next_poll = now + POLL_MS;
        }
        if (now >= next_speak) {
            plain_say(p, p->utf8 ? "Still waiting for the payment…"
                                 : "Still waiting for the payment...");
            next_speak = now + SPEAK_MS;
        }
        /* while a look-up is out, short waits notice its answer soon */
        int64_t wait = req ? 100 : (next_poll < next_speak ? next_poll : next_speak) - now;
        int got = plain_input(p, line, sizeof line, wait < 0 ? 0 : (int)wait);
        if (req && r.done) {
            req = 0;
            if (r.value) {
                payment_free(&fresh);
                fresh = r.value;
                if (payment_settled(fresh) || fresh->status == PAYMENT_HELD) {
                    say_outcome(p, fresh);
                    break;
                }
            }
        }
        if (got < 0) {
            res = PLAIN_QUIT;
            break;
        }
        if (got == 1 && strcmp(line, "b") == 0) {
            plain_say(p, "Stopped waiting. The payment can still complete on its page; your "
                         "invoices (i) show when it has.");
            break;
        }
        if (got == 1)
            plain_say(p, "Still waiting for the payment. Type b to stop waiting.");
    }
    client_cancel(p->client, req);
    payment_free(&fresh);
    return res;
}

/* After a paid order: each new service and its state. */
static void say_services(struct plain *p, const struct checkout_result *res)
{
    for (size_t i = 0; i < res->n_services; i++) {
        struct plain_reply r = {0};
        char name[256];
        if (plain_wait(p, client_get_service(p->client, res->services[i].id, plain_on_service, &r),
                       &r) != 0)
            continue;
        struct service *s = r.value;
        plain_say(p, "Service %" PRId64 ", %s: %s.", s->id,
                  plain_clean(s->product.name, name, sizeof name), service_status_label(s->status));
        service_free(&s);
    }
}

static bool can_check_out(const struct plain *p)
{
    return plain_kiosk_no_checkout(p) == NULL;
}

static enum plain_result checkout(struct plain *p, const char *arg)
{
    const char *method = NULL;
    bool use_credits = false;
    char total[64], due[64], part[64], q[600], key[CLIENT_IDEMPOTENCY_KEY_SIZE], gw[64];
    struct plain_reply r = {0};
    (void)arg;
    if (plain_kiosk_no_checkout(p)) {
        plain_say(p, "%s", plain_kiosk_no_checkout(p));
        return PLAIN_STAY;
    }
    if (cart_load(p) != 0)
        return PLAIN_STAY;
    struct cart *c = p->cart;
    if (cart_empty(c)) {
        plain_say(p, "Your cart is empty: there is nothing to check out.");
        return PLAIN_STAY;
    }
    plain_money(p, &c->totals.total, total, sizeof total);
    plain_say(p, "Checkout. Total: %s.", total);
    if (!plain_choose_method(p, !p->kiosk, &c->credits_available, &method, &use_credits)) {
        plain_say(p, "Checkout cancelled; the cart is as it was.");
        return PLAIN_STAY;
    }
    plain_clean(fmt_gateway(method), gw, sizeof gw);
    plain_money(p, &c->due_now, due, sizeof due);
    plain_money(p, &c->credits_to_apply, part, sizeof part);
    if (strcmp(method, "credits") == 0)
        snprintf(q, sizeof q, "Place the order and pay %s from your credits?", total);
    else if (use_credits && c->credits_to_apply.amount > 0)
        snprintf(q, sizeof q, "Place the order for %s: %s from your credits, %s with %s?", total,
                 part, due, gw);
    else
        snprintf(q, sizeof q, "Place the order and pay %s with %s?", total, gw);
    if (!plain_confirm(p, q)) {
        plain_say(p, "Checkout cancelled; nothing was charged.");
        return PLAIN_STAY;
    }
    client_idempotency_key_new(key);
    struct checkout_request req = {.payment_method = method,
                                   .use_credits = use_credits || strcmp(method, "credits") == 0,
                                   .expected_total = c->totals.total,
                                   .cart_etag = c->etag,
                                   .idempotency_key = key};
    if (plain_wait(p, client_checkout(p->client, &req, plain_on_checkout, &r), &r) != 0) {
        if (strcmp(r.err.code, "price_changed") == 0 && r.err.has_total) {
            plain_money(p, &r.err.total, total, sizeof total);
            plain_say(p,
                      "The total has changed to %s, so the order was not placed. Type o to "
                      "check out again at the new total.",
                      total);
        } else {
            plain_fail(p, "place the order", &r.err);
        }
        cart_load(p);
        return PLAIN_STAY;
    }
    struct checkout_result *res = r.value;
    char num[64], inv[64];
    plain_money(p, &res->invoice.totals.total, total, sizeof total);
    plain_say(p, "Order %s placed. Invoice %s, %s.",
              plain_clean(res->order.number, num, sizeof num),
              plain_clean(res->invoice.summary.number, inv, sizeof inv), total);
    enum plain_result out = plain_follow_payment(p, &res->payment);
    if (out != PLAIN_QUIT)
        say_services(p, res);
    checkout_result_free(&res);
    if (out == PLAIN_QUIT)
        return out;
    cart_load(p);
    return PLAIN_STAY;
}

static enum plain_result cart_number(struct plain *p, int n)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", n);
    if (!line_number(p, buf, ""))
        return PLAIN_STAY;
    cart_item(p, n - 1);
    plain_say(p, "Type d %d to remove it, e %d to change its quantity.", n, n);
    return PLAIN_STAY;
}

static const struct plain_cmd cart_cmds[] = {
    {"o", "check out: choose how to pay, confirm, pay", checkout, can_check_out},
    {"C", "apply a coupon (C and the code, or C alone to be asked)", coupon, NULL},
    {"N", "remove the coupon", no_coupon, NULL},
    {"d", "remove a line (d and its number)", remove_line, NULL},
    {"e", "change a line's quantity (e and its number)", edit_line, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_cart_screen = {
    .name = "cart",
    .load = cart_load,
    .print = cart_print,
    .number_help = "read that line again",
    .number = cart_number,
    .cmds = cart_cmds,
};
