/* plain_kiosk.c: the kiosk in plain mode: the guest account holds the cart, emptied at the start
 * and after an idle spell; no account screens; checkout only as --kiosk-checkout allows. */
#include "screens/plain.h"

#include <stdio.h>
#include <string.h>

#include "billing/billingd.h"
#include "screens/format.h"
#include "screens/session_fd.h"

#define EMPTY_ATTEMPTS 8 /* lines and a coupon removed one request at a time */

const char *plain_kiosk_no_checkout(const struct plain *p)
{
    if (!p->kiosk || p->cli.opt.kiosk.checkout != KIOSK_CHECKOUT_OFF)
        return NULL;
    return "Checkout is not available at this kiosk.";
}

/* Removes the coupon and every line from the guest cart on the server. */
static void empty_cart(struct plain *p)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_get_cart(p->client, plain_on_cart, &r), &r) != 0) {
        plain_fail(p, "empty the cart", &r.err);
        return;
    }
    struct cart *c = r.value;
    for (int i = 0; c && !cart_empty(c) && i < 100 * EMPTY_ATTEMPTS; i++) {
        r = (struct plain_reply){0};
        uint64_t id =
            c->has_coupon
                ? client_cart_remove_coupon(p->client, c->etag, plain_on_cart, &r)
                : client_cart_remove(p->client, c->items[0].id, c->etag, plain_on_cart, &r);
        if (plain_wait(p, id, &r) != 0) {
            if (r.err.http_status != 412) { /* changed under us: fetch it again */
                plain_fail(p, "empty the cart", &r.err);
                break;
            }
            r = (struct plain_reply){0};
            if (plain_wait(p, client_get_cart(p->client, plain_on_cart, &r), &r) != 0)
                break;
        }
        cart_free(&c);
        c = r.value;
    }
    cart_free(&c);
    cart_free(&p->cart);
}

enum plain_result plain_kiosk_reset(struct plain *p)
{
    p->idle_fired = false;
    p->idle_armed = false; /* said once: the next reset waits for the next guest */
    plain_say(p, "Starting over for the next guest.");
    if (client_signed_in(p->client))
        empty_cart(p);
    plain_store_free(p);
    plain_account_free(p);
    return plain_go(p, &plain_store_screen);
}

int plain_kiosk_start(struct plain *p)
{
    const struct kiosk_options *o = &p->cli.opt.kiosk;
    const char *email = NULL, *password = NULL;
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], why[300];

    p->kiosk = true;
    p->idle_ms = o->idle_s * 1000;
    p->idle_armed = true;
    /* a guest must never pay real money at a demo stand */
    if (o->checkout == KIOSK_CHECKOUT_SANDBOX && !p->cli.embedded && !p->status->sandbox) {
        fprintf(stderr,
                "sett: kiosk checkout = sandbox needs a billing server that runs the sandbox "
                "gateway, but %s takes real money. Start it with sett-billingd --sandbox, or use "
                "checkout = off.\n",
                p->cli.opt.api_url);
        return 1;
    }
    if (o->email[0]) {
        email = o->email;
        password = o->password;
    } else if (p->cli.embedded) {
        email = BILLINGD_DEMO_EMAIL;
        password = BILLINGD_DEMO_PASSWORD;
    } else if (session_fd_read(access, refresh, why, sizeof why) == 0) {
        p->in_memory = true;
        client_set_tokens(p->client, access, refresh);
    } else {
        fprintf(stderr, "sett: kiosk mode needs a guest account to hold the cart: set [kiosk] "
                        "email and password in config.ini, or SETT_KIOSK_EMAIL and "
                        "SETT_KIOSK_PASSWORD\n");
        return 1;
    }
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    if (email) {
        struct plain_reply r = {0};
        if (plain_wait(p, client_login(p->client, email, password, plain_on_session, &r), &r) !=
            0) {
            plain_fail(p, "sign in to the kiosk's guest account", &r.err);
        } else {
            struct auth_session *s = r.value;
            auth_session_free(&s);
        }
    }
    snprintf(p->user, sizeof p->user, "Guest");
    if (client_signed_in(p->client))
        empty_cart(p);
    plain_say(p,
              "This is a kiosk: browse the store and fill the cart. After %d seconds without "
              "input it starts over for the next guest.%s",
              o->idle_s,
              o->checkout == KIOSK_CHECKOUT_OFF ? " Checkout is not available here." : "");
    if (plain_go(p, &plain_store_screen) == PLAIN_STAY)
        return 1;
    return 0;
}
