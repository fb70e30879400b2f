/* kiosk.c: kiosk mode: the guest account, the keys a kiosk has not, the quit chord, and the
 * idle reset (back to the store behind the attract screen, with the guest cart emptied on the
 * server). One timer, re-armed on every key: an idle kiosk costs no CPU. */
#include "screens/kiosk.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "billing/billingd.h"
#include "screens/format.h"
#include "screens/screens.h"

#define EMPTY_ATTEMPTS 4 /* a cart changed under the emptying is fetched again this often */

struct kiosk {
    struct app *app;
    const struct kiosk_options *opt;
    const char *email, *password; /* the guest account; NULL: the session given at start */
    uint64_t login_req;
    uint64_t idle_timer;
    int chord_step;
    int64_t chord_at; /* ms, CLOCK_MONOTONIC: when the last key of the chord came */
    uint64_t empty_req;
    int empty_attempts;
};

/* Keys a kiosk has not: no sign-in or account sections, no quit key; no credits or account
 * actions on any screen; no checkout unless it is configured. */
static const enum tui_op kiosk_off_ops[] = {
    OP_ACCOUNT,   OP_GO_HOME,     OP_SERVICES, OP_INVOICES,       OP_CREDITS, OP_QUIT,
    OP_ADD_FUNDS, OP_USE_CREDITS, OP_RENEW,    OP_CANCEL_SERVICE, OP_NONE,
};
static const enum tui_op kiosk_off_ops_no_checkout[] = {
    OP_ACCOUNT,   OP_GO_HOME,     OP_SERVICES, OP_INVOICES,       OP_CREDITS,  OP_QUIT,
    OP_ADD_FUNDS, OP_USE_CREDITS, OP_RENEW,    OP_CANCEL_SERVICE, OP_CHECKOUT, OP_NONE,
};

#define KIOSK_STATUS_WAIT_MS 15000

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the guest cart, emptied on the server ---- */

static void empty_step(struct kiosk *k, struct cart *c);

static void on_emptied(void *ud, struct cart *c, const struct client_error *err)
{
    struct kiosk *k = ud;
    char msg[300];
    k->empty_req = 0;
    if (c) {
        empty_step(k, c);
        return;
    }
    if (strcmp(err->code, "precondition_failed") == 0 && ++k->empty_attempts < EMPTY_ATTEMPTS) {
        k->empty_req = client_get_cart(k->app->client, on_emptied, k);
        return;
    }
    fmt_error(err, msg, sizeof msg);
    tui_status(k->app->tui, "The cart could not be emptied: %s", msg);
}

/* Takes `c`, the cart as the server last answered it, one coupon or line closer to empty. */
static void empty_step(struct kiosk *k, struct cart *c)
{
    struct client *cl = k->app->client;
    app_cart_changed(k->app, c);
    if (c->has_coupon)
        k->empty_req = client_cart_remove_coupon(cl, c->etag, on_emptied, k);
    else if (c->n_items > 0)
        k->empty_req = client_cart_remove(cl, c->items[0].id, c->etag, on_emptied, k);
    cart_free(&c);
}

static void cart_empty_start(struct kiosk *k)
{
    if (!app_signed_in(k->app))
        return; /* signing in empties it */
    client_cancel(k->app->client, k->empty_req);
    k->empty_attempts = 0;
    k->empty_req = client_get_cart(k->app->client, on_emptied, k);
}

/* ---- the guest account ---- */

static void guest_ready(struct kiosk *k)
{
    app_signed_in_as(k->app, "Guest");
    cart_empty_start(k);
}

static void on_login(void *ud, struct auth_session *s, const struct client_error *err)
{
    struct kiosk *k = ud;
    char msg[300];
    k->login_req = 0;
    if (!s) {
        fmt_error(err, msg, sizeof msg);
        tui_status(k->app->tui, "The kiosk could not sign in to its guest account: %s", msg);
        return;
    }
    auth_session_free(&s);
    guest_ready(k);
}

static void guest_login(struct kiosk *k)
{
    if (k->login_req || !k->email)
        return;
    k->login_req = client_login(k->app->client, k->email, k->password, on_login, k);
}

bool kiosk_on_tokens(struct app *a, const char *access, const char *refresh)
{
    if (!a->kiosk)
        return false;
    if (!access && !refresh) { /* the guest session ended: the next guest needs one */
        a->user_name[0] = '\0';
        a->cart_known = false;
        guest_login(a->kiosk);
    }
    return true; /* a kiosk stores no session: the next start signs in afresh */
}

bool kiosk_refuses_signin(struct app *a)
{
    if (!a->kiosk || app_signed_in(a))
        return false;
    tui_status(a->tui, "One moment: the kiosk is not signed in to its guest account yet.");
    return true;
}

/* ---- idle reset ---- */

static void on_idle(void *ud)
{
    struct kiosk *k = ud;
    k->idle_timer = 0;
    k->chord_step = 0;
    app_reset_root(k->app, &store_screen);
    tui_push(k->app->tui, &kiosk_attract_screen, NULL);
    tui_status(k->app->tui, "%s", "");
    cart_empty_start(k);
}

static void idle_arm(struct kiosk *k)
{
    app_cancel_timer(k->app, k->idle_timer);
    k->idle_timer = app_after(k->app, k->opt->idle_s * 1000, on_idle, k);
}

/* ---- keys ---- */

/* A character's code point may equal a function key's code: tell them apart. */
static bool key_is(const struct tui_event *ev, int key)
{
    return ev->key == key && ev->is_char == (key < KEY_MIN);
}

/* True when `key` belongs to the quit chord (swallowed); quits at its last key. */
static bool chord_key(struct kiosk *k, const struct tui_event *ev)
{
    const int *keys = k->opt->quit_keys;
    int64_t now = now_ms();
    if (k->chord_step > 0 && now - k->chord_at > KIOSK_CHORD_WINDOW_MS)
        k->chord_step = 0;
    if (!key_is(ev, keys[k->chord_step]))
        k->chord_step = 0; /* broken; this key may start it again */
    if (!key_is(ev, keys[k->chord_step]))
        return false;
    k->chord_at = now;
    if (++k->chord_step == k->opt->n_quit_keys) {
        k->chord_step = 0;
        tui_quit(k->app->tui);
    }
    return true;
}

static bool on_input(void *ud, const struct tui_event *ev)
{
    struct kiosk *k = ud;
    idle_arm(k);
    if (ev->kind != TUI_EV_KEY)
        return false;
    if (chord_key(k, ev))
        return true;
    /* raw mode delivers these as keys: they must neither stop the kiosk nor do anything */
    return ev->is_char && (ev->key == TUI_KEY_CTRL('c') || ev->key == TUI_KEY_CTRL('z') ||
                           ev->key == TUI_KEY_CTRL('\\'));
}

/* ---- start ---- */

/* Sandbox checkout takes the server's word that it is a sandbox (/billing/status), asked once at
 * start and waited for (bounded): a guest must never pay real money at a demo stand. */
static int kiosk_check_sandbox(struct app *a, char *err, size_t errsz)
{
    int64_t deadline = now_ms() + KIOSK_STATUS_WAIT_MS;

    app_load_status(a);
    while (a->status_req && now_ms() < deadline) {
        client_wait(a->client, NULL, 0, 100);
        client_dispatch(a->client);
    }
    if (a->status && a->status->sandbox)
        return 0;
    if (!a->status)
        snprintf(err, errsz,
                 "kiosk checkout = sandbox: cannot ask %s whether it runs the sandbox gateway "
                 "(its /billing/status did not answer). Use checkout = off, or try again.",
                 a->opt.api_url);
    else
        snprintf(err, errsz,
                 "kiosk checkout = sandbox needs a billing server that runs the sandbox "
                 "gateway, but %s takes real money (its /billing/status says sandbox: false). "
                 "Start it with sett-billingd --sandbox, or use checkout = off.",
                 a->opt.api_url);
    return -1;
}

int kiosk_start(struct app *a, char *err, size_t errsz)
{
    const struct kiosk_options *o = &a->opt.kiosk;
    if (o->checkout == KIOSK_CHECKOUT_SANDBOX && !a->embedded &&
        kiosk_check_sandbox(a, err, errsz) != 0)
        return -1;
    struct kiosk *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    k->app = a;
    k->opt = o;
    a->kiosk = k;
    if (o->email[0]) {
        k->email = o->email;
        k->password = o->password;
    } else if (a->embedded) {
        k->email = BILLINGD_DEMO_EMAIL;
        k->password = BILLINGD_DEMO_PASSWORD;
    } else if (!app_signed_in(a)) {
        snprintf(err, errsz,
                 "kiosk mode needs a guest account to hold the cart: set [kiosk] email and "
                 "password in config.ini, or SETT_KIOSK_EMAIL and SETT_KIOSK_PASSWORD");
        return -1;
    }
    tui_disable_ops(a->tui,
                    o->checkout == KIOSK_CHECKOUT_OFF ? kiosk_off_ops_no_checkout : kiosk_off_ops);
    tui_set_input_hook(a->tui, on_input, k);
    app_reset_root(a, &store_screen);
    if (!a->root) {
        snprintf(err, errsz, "cannot open the first screen");
        return -1;
    }
    if (app_signed_in(a)) /* a session handed over at start (settd) */
        guest_ready(k);
    else
        guest_login(k);
    idle_arm(k);
    return 0;
}

void kiosk_free(struct kiosk **kp)
{
    struct kiosk *k = kp ? *kp : NULL;
    if (!k)
        return;
    if (k->app->client) {
        client_cancel(k->app->client, k->login_req);
        client_cancel(k->app->client, k->empty_req);
    }
    app_cancel_timer(k->app, k->idle_timer);
    if (k->app->tui)
        tui_set_input_hook(k->app->tui, NULL, NULL);
    free(k);
    *kp = NULL;
}

/* ---- what the cart shows ---- */

bool kiosk_no_credits(const struct app *a)
{
    return a->kiosk != NULL;
}

void kiosk_cart_view(const struct app *a, struct cart *c)
{
    if (!a->kiosk || !c)
        return;
    c->credits_available.amount = 0;
    c->credits_to_apply.amount = 0;
    c->due_now = c->totals.total;
}

const char *kiosk_cart_note(const struct app *a)
{
    if (!a->kiosk || a->opt.kiosk.checkout != KIOSK_CHECKOUT_OFF)
        return NULL;
    return "Checkout is not available at this kiosk.";
}
