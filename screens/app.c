/* app.c: starts the embedded server, the API client and the terminal, and joins their loops. */
#include "screens/app.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/idle.h"
#include "billing/billingd.h"
#include "screens/credentials.h"
#include "screens/session_fd.h"
#include "screens/format.h"
#include "screens/kiosk.h"
#include "screens/operator.h"
#include "screens/screens.h"

static int mkdir_p(const char *path, mode_t mode)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int resolve_data_dir(struct app_options *o, char *err, size_t errsz)
{
    if (!o->data_dir[0]) {
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(o->data_dir, sizeof o->data_dir, "%s/sett", xdg);
        else if (home && *home)
            snprintf(o->data_dir, sizeof o->data_dir, "%s/.local/share/sett", home);
        else {
            snprintf(err, errsz, "no data directory: set HOME, XDG_DATA_HOME or --data-dir");
            return -1;
        }
    }
    if (mkdir_p(o->data_dir, 0700) != 0) {
        snprintf(err, errsz, "cannot create %s: %s", o->data_dir, strerror(errno));
        return -1;
    }
    return 0;
}

static int start_embedded(struct app *a, char *err, size_t errsz)
{
    char db[1100];
    if (resolve_data_dir(&a->opt, err, errsz) != 0)
        return -1;
    snprintf(db, sizeof db, "%s/billing.db", a->opt.data_dir);
    struct billingd_config cfg = {
        .db_path = db, .bind_addr = "127.0.0.1", .port = 0, .quiet = true, .demo = true};
    char why[256] = "";
    if (billingd_start(&cfg, &a->embedded, why, sizeof why) != 0) {
        snprintf(err, errsz, "embedded billing server: %s", why);
        return -1;
    }
    snprintf(a->opt.api_url, sizeof a->opt.api_url, "http://127.0.0.1:%u",
             (unsigned)billingd_port(a->embedded));
    /* the port changes from run to run; the database (and so the session) does not */
    snprintf(a->session_key, sizeof a->session_key, "embedded:%s", a->opt.data_dir);
    return 0;
}

static void on_status(void *ud, struct billing_status *st, const struct client_error *err)
{
    struct app *a = ud;
    a->status_req = 0;
    if (st) {
        billing_status_free(&a->status);
        a->status = st;
        fmt_currency_shown(&st->currency, a->currency_codes, &a->currency);
        client_error_clear(&a->status_err);
        /* Pretend payments say so on every screen, for as long as the server runs that way. */
        tui_set_mark(a->tui, st->sandbox ? "SANDBOX — no real money" : NULL, "SANDBOX");
    } else {
        a->status_err = *err;
    }
}

void app_load_status(struct app *a)
{
    if (a->status_req)
        return;
    a->status_req = client_get_status(a->client, on_status, a);
}

const struct currency *app_currency(const struct app *a)
{
    return a->status ? &a->currency : NULL;
}

bool app_billing_closed(const struct app *a, const char **why)
{
    if (!a->status)
        return false;
    if (!a->status->licensed)
        *why = "This panel's billing module is not licensed, so the store and the billing "
               "section are closed. Please contact the host.";
    else if (!a->status->enabled)
        *why = "The store is switched off on this panel right now. Please try again later.";
    else
        return false;
    return true;
}

/* ---- timers ---- */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Milliseconds until the earliest timer (0 if one is due), or -1 when none is set. */
static int timers_wait_ms(const struct app *a)
{
    int64_t first = 0;
    for (int i = 0; i < APP_TIMERS; i++)
        if (a->timers[i].id && (!first || a->timers[i].due < first))
            first = a->timers[i].due;
    if (!first)
        return -1;
    int64_t ms = (first - now_ns() + 999999) / 1000000; /* rounded up: waking early would spin */
    return ms <= 0 ? 0 : ms > 86400000 ? 86400000 : (int)ms;
}

uint64_t app_after(struct app *a, int ms, app_timer_fn fn, void *ud)
{
    for (int i = 0; i < APP_TIMERS; i++) {
        struct app_timer *tm = &a->timers[i];
        if (tm->id)
            continue;
        tm->id = ++a->next_timer_id;
        tm->due = now_ns() + (int64_t)ms * 1000000;
        tm->fn = fn;
        tm->ud = ud;
        return tm->id; /* the loop's wait is cut short for it (backend_wait) */
    }
    return 0; /* full: the caller's poll stops, which a retry key restarts */
}

void app_cancel_timer(struct app *a, uint64_t id)
{
    for (int i = 0; id && i < APP_TIMERS; i++)
        if (a->timers[i].id == id)
            memset(&a->timers[i], 0, sizeof a->timers[i]);
}

static void timers_run(struct app *a)
{
    int64_t now = now_ns();
    for (int i = 0; i < APP_TIMERS; i++) {
        struct app_timer tm = a->timers[i];
        if (!tm.id || tm.due > now)
            continue;
        memset(&a->timers[i], 0, sizeof a->timers[i]);
        tm.fn(tm.ud); /* may add or cancel timers */
    }
}

/* ---- the badge and the session ---- */

static void badge_update(struct app *a)
{
    char cart[96] = "", total[64], text[256];
    if (a->opt.operator_mode)
        return; /* no cart or name: the badge says "Operator" (operator_start) */
    if (a->cart_known && app_signed_in(a)) {
        money_format(&a->cart_total, app_currency(a), total, sizeof total);
        if (a->cart_count > 0)
            tui_format(a->tui, cart, sizeof cart, "Cart %d · %s", a->cart_count, total);
        else
            snprintf(cart, sizeof cart, "Cart empty");
    }
    if (cart[0] && a->user_name[0])
        tui_format(a->tui, text, sizeof text, "%s · %s", cart, a->user_name);
    else
        snprintf(text, sizeof text, "%s%s", cart, a->user_name);
    /* the header gives the badge half its width, two columns of it padding */
    if (cart[0] && a->badge_cols > 0 && tui_text_width(text) > a->badge_cols / 2 - 2)
        snprintf(text, sizeof text, "%s", cart);
    if (strcmp(text, a->badge) != 0) {
        snprintf(a->badge, sizeof a->badge, "%s", text);
        tui_set_badge(a->tui, text);
    }
}

void app_badge_fit(struct app *a, int cols)
{
    if (cols != a->badge_cols) {
        a->badge_cols = cols;
        badge_update(a);
    }
}

bool app_signed_in(const struct app *a)
{
    return client_signed_in(a->client);
}

void app_cart_changed(struct app *a, const struct cart *c)
{
    if (!c || (a->cart_known && c->version < a->cart_version))
        return; /* answers can cross: a GET sent before an add may arrive after it */
    a->cart_version = c->version;
    a->cart_known = true;
    a->cart_gen++;
    a->cart_count = 0;
    for (size_t i = 0; i < c->n_items; i++)
        a->cart_count += c->items[i].quantity;
    a->cart_total = c->totals.total;
    badge_update(a);
}

static void on_badge_cart(void *ud, struct cart *c, const struct client_error *err)
{
    struct app *a = ud;
    a->cart_req = 0;
    app_cart_changed(a, c);
    cart_free(&c);
}

void app_refresh_cart(struct app *a)
{
    if (!app_signed_in(a) || a->cart_req)
        return;
    a->cart_req = client_get_cart(a->client, on_badge_cart, a);
}

void app_signed_in_as(struct app *a, const char *name)
{
    snprintf(a->user_name, sizeof a->user_name, "%s", name ? name : "");
    badge_update(a);
    app_refresh_cart(a);
}

static void session_forget(struct app *a)
{
    char why[300];
    a->user_name[0] = '\0';
    a->cart_known = false;
    client_cancel(a->client, a->cart_req);
    a->cart_req = 0;
    if (!a->session_in_memory && credentials_save(a->session_key, NULL, NULL, why, sizeof why) != 0)
        tui_status(a->tui, "%s", why);
    badge_update(a);
}

/* Every new token pair (sign-in, silent refresh) is stored; (NULL, NULL) ends the session. */
static void on_tokens(void *ud, const char *access, const char *refresh)
{
    struct app *a = ud;
    char why[300];
    if (kiosk_on_tokens(a, access, refresh))
        return;
    if (!access && !refresh) {
        bool had = a->user_name[0] != '\0';
        session_forget(a);
        if (had && !a->logout_req)
            tui_status(a->tui, "Your session has ended. Press L to sign in again.");
        return;
    }
    if (a->opt.operator_mode)
        return; /* an operator signs in each time: no operator session is left on disk */
    if (a->session_in_memory)
        return; /* the client holds the new pair; settd's sessions are never stored */
    if (credentials_save(a->session_key, access, refresh, why, sizeof why) != 0)
        tui_status(a->tui, "Signed in, but the session could not be saved: %s", why);
}

static void on_login(void *ud, struct auth_session *s, const struct client_error *err)
{
    struct app *a = ud;
    a->login_req = 0;
    if (!s) {
        char msg[300];
        fmt_error(err, msg, sizeof msg);
        tui_status(a->tui, "Demo sign-in failed: %s", msg);
        return;
    }
    app_signed_in_as(a, s->user.name);
    auth_session_free(&s);
    if (a->root && a->root->ops->reload)
        a->root->ops->reload(a->root); /* home was waiting for the session */
}

static void demo_login(struct app *a)
{
    if (a->embedded && !a->login_req)
        a->login_req =
            client_login(a->client, BILLINGD_DEMO_EMAIL, BILLINGD_DEMO_PASSWORD, on_login, a);
}

static void on_me(void *ud, struct auth_user *u, const struct client_error *err)
{
    struct app *a = ud;
    a->me_req = 0;
    if (u) {
        app_signed_in_as(a, u->name);
        auth_user_free(&u);
    } else if (err->status == CLIENT_ERR_AUTH || !app_signed_in(a)) {
        /* the stored session is no longer valid (the tokens callback forgot it) */
        session_forget(a);
        demo_login(a);
    }
}

static void on_logout(void *ud, const struct client_error *err)
{
    struct app *a = ud;
    a->logout_req = 0;
    if (err->status != CLIENT_OK) /* the server kept it; forget it here all the same */
        client_set_tokens(a->client, NULL, NULL);
    session_forget(a);
}

void app_sign_out(struct app *a)
{
    if (!app_signed_in(a))
        return;
    client_cancel(a->client, a->me_req);
    a->me_req = 0;
    if (!a->logout_req)
        a->logout_req = client_logout(a->client, on_logout, a);
    if (!a->logout_req) {
        client_set_tokens(a->client, NULL, NULL);
        session_forget(a);
    }
    a->user_name[0] = '\0';
    a->cart_known = false;
    badge_update(a);
    app_reset_root(a, &store_screen);
    tui_status(a->tui, "Signed out. Press L to sign in again.");
}

/* A stored session for this API: use it (its owner's name comes from /auth/me). */
static bool session_restore(struct app *a)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], why[300];
    int rc = a->session_in_memory
                 ? 1
                 : credentials_load(a->session_key, access, refresh, why, sizeof why);
    if (rc < 0)
        tui_status(a->tui, "Stored session ignored: %s", why);
    if (rc == 0)
        client_set_tokens(a->client, access[0] ? access : NULL, refresh[0] ? refresh : NULL);
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    if (!app_signed_in(a))
        return false;
    a->me_req = client_get_me(a->client, on_me, a);
    return true;
}

/* ---- navigation ---- */

static void pop_to_root(struct app *a)
{
    struct screen *top;
    while ((top = tui_top(a->tui)) && top != a->root)
        tui_pop(a->tui);
}

void app_reset_root(struct app *a, const struct screen_ops *ops)
{
    while (tui_top(a->tui))
        tui_pop(a->tui);
    a->root = NULL;
    if (tui_push(a->tui, ops, NULL) == 0)
        a->root = tui_top(a->tui);
}

bool app_refuses_signin(struct app *a)
{
    if (kiosk_refuses_signin(a))
        return true;
    if (!a->key_identity || app_signed_in(a))
        return false;
    tui_status(a->tui, "This session is no longer signed in: reconnect with your SSH key.");
    return true;
}

void app_push_account(struct app *a, const struct screen_ops *ops, void *arg)
{
    if (app_refuses_signin(a))
        return;
    if (app_signed_in(a)) {
        tui_push(a->tui, ops, arg);
        return;
    }
    struct signin_args sa = {.then = ops};
    if (arg)
        sa.target = *(const struct screen_target *)arg;
    sa.has_target = arg != NULL;
    tui_push(a->tui, &signin_screen, &sa);
}

void app_open_section(struct app *a, const struct screen_ops *ops, void *arg)
{
    if (a->opt.operator_mode)
        return; /* the store and the cart are not an operator's (operator_handle_nav) */
    pop_to_root(a);
    if (a->root && a->root->ops == ops)
        return;
    if (ops == &home_screen && !app_signed_in(a)) {
        app_push_account(a, ops, arg); /* signing in makes home the root */
        return;
    }
    if (ops == &home_screen || ops == &store_screen)
        tui_push(a->tui, ops, arg);
    else
        app_push_account(a, ops, arg);
}

bool app_handle_nav(struct app *a, enum tui_op op)
{
    if (a->opt.operator_mode)
        return operator_handle_nav(a, op);
    switch (op) {
    case OP_GO_HOME:
        app_open_section(a, &home_screen, NULL);
        return true;
    case OP_STORE:
        app_open_section(a, &store_screen, NULL);
        return true;
    case OP_CART:
        app_open_section(a, &cart_screen, NULL);
        return true;
    case OP_SERVICES:
        app_open_section(a, &services_screen, NULL);
        return true;
    case OP_INVOICES:
        app_open_section(a, &invoices_screen, NULL);
        return true;
    case OP_CREDITS:
        app_open_section(a, &credits_screen, NULL);
        return true;
    case OP_ACCOUNT:
        if (app_signed_in(a))
            app_sign_out(a);
        else
            app_push_account(a, &home_screen, NULL);
        return true;
    default:
        return false;
    }
}

enum tui_action app_handle_list(struct app *a, struct tui_list *list, const struct tui_event *ev,
                                struct tui_rect rows)
{
    if (app_handle_nav(a, ev->op))
        return TUI_HANDLED;
    return tui_list_handle(list, ev, rows) ? TUI_HANDLED : TUI_IGNORED;
}

/* ---- the loop ---- */

/* The loop waits for the terminal, the network and the earliest timer together. */
/* How long a wait must be for the loop to count as idle. */
#define APP_IDLE_MS 200
/* what stays below the loop's frame when the stack is given back: the red zone and the wait's
 * own calls (curl's poll) */
#define APP_STACK_KEEP (4 * 1024)

static int backend_wait(void *ud, struct pollfd *fds, unsigned n, int timeout_ms)
{
    struct app *a = ud;
    int timer_ms = timers_wait_ms(a);
    if (timer_ms >= 0 && (timeout_ms < 0 || timer_ms < timeout_ms))
        timeout_ms = timer_ms;
    /* Going idle after work: the pages it freed (an answer's JSON, a screen's lines) go back to
     * the kernel, so a session left open keeps only what it shows. Over SSH thousands of
     * sessions may sit like this. */
    if (a->worked && (timeout_ms < 0 || timeout_ms >= APP_IDLE_MS)) {
        a->worked = false;
        idle_give_back(APP_STACK_KEEP);
    }
    return client_wait(a->client, fds, n, timeout_ms);
}

static void backend_dispatch(void *ud)
{
    struct app *a = ud;
    a->worked = true;
    client_dispatch(a->client);
    timers_run(a);
}

/* settd's word: the idle warning (SETT_IDLE_WARNING says how long is left), or a restart. */
static void on_notice(void *ud, enum tui_notice kind, int seconds)
{
    struct app *a = ud;
    const char *left = getenv("SETT_IDLE_WARNING");
    int secs = left ? atoi(left) : 0;

    if (kind == TUI_NOTICE_RESTART) {
        if (seconds >= 120)
            tui_status(a->tui,
                       "The shop is restarting; please finish within %d minutes, then reconnect",
                       seconds / 60);
        else if (seconds > 0)
            tui_status(a->tui, "The shop is restarting; please finish within %d s, then reconnect",
                       seconds);
        else
            tui_status(a->tui, "The shop is restarting; please finish soon, then reconnect");
        return;
    }
    if (secs > 0)
        tui_status(a->tui, "This session closes in %d s for inactivity; press any key to stay",
                   secs);
    else
        tui_status(a->tui, "This session closes soon for inactivity; press any key to stay");
}

static const enum tui_op key_identity_off_ops[] = {OP_ACCOUNT, OP_NONE};

int app_start(struct app *a, char *err, size_t errsz)
{
    struct client_error cerr;
    client_error_clear(&cerr);
    if (!a->opt.api_url[0] && start_embedded(a, err, errsz) != 0)
        return -1;
    if (!a->session_key[0])
        snprintf(a->session_key, sizeof a->session_key, "%s", a->opt.api_url);

    struct client_config ccfg = app_client_config(&a->opt);
    a->client = client_new(&ccfg, &cerr);
    if (!a->client) {
        client_error_describe(&cerr, err, errsz);
        return -1;
    }
    client_on_tokens(a->client, on_tokens, a);
    if (a->opt.api_key[0] && client_use_api_key(a->client, a->opt.api_key) != 0) {
        snprintf(err, errsz, "the API key is not usable");
        return -1;
    }
    if (session_fd_take(a, err, errsz) != 0)
        return -1;
    struct tui_config tcfg = {
        .theme = a->opt.theme,
        .no_color = a->opt.no_color,
        .mouse = a->opt.mouse,
        .no_animation = a->opt.no_animation,
        .raw = a->opt.kiosk.enabled, /* no key may stop or suspend a kiosk */
        .app = a,
        .backend = {.wait = backend_wait,
                    .dispatch = backend_dispatch,
                    .notice = on_notice,
                    .ud = a},
    };
    a->tui = tui_new(&tcfg, err, errsz);
    if (!a->tui)
        return -1;
    a->currency_codes = !tui_utf8(a->tui); /* the locale's answer holds for the whole run */
    /* Over SSH the key is the identity: no password sign-in or sign-out to offer (the footer and
     * help drop L), unless settd's operator allowed them. A kiosk sets its own keys below. */
    const char *allow = getenv("SETT_ALLOW_PASSWORD_SIGNIN");
    a->key_identity = a->session_in_memory && !(allow && strcmp(allow, "1") == 0);
    if (a->key_identity)
        tui_disable_ops(a->tui, key_identity_off_ops);
    app_load_status(a);
    if (a->opt.kiosk.enabled)
        return kiosk_start(a, err, errsz);
    if (a->opt.operator_mode)
        return operator_start(a, err, errsz);
    bool signed_in = a->opt.api_key[0] ? true : session_restore(a);
    if (a->opt.api_key[0])
        a->me_req = client_get_me(a->client, on_me, a);
    if (!signed_in && a->embedded) {
        demo_login(a);
        signed_in = a->login_req != 0;
    }
    /* A customer arriving over SSH comes straight into the store; home is one key away. */
    app_reset_root(a, signed_in && !a->session_in_memory ? &home_screen : &store_screen);
    if (!a->root) {
        snprintf(err, errsz, "cannot open the first screen");
        return -1;
    }
    return 0;
}

int app_run(struct app *a)
{
    int rc = tui_run(a->tui) == 0 ? 0 : 1;
    return a->exit_code ? a->exit_code : rc;
}

void app_stop(struct app *a)
{
    kiosk_free(&a->kiosk);
    tui_free(&a->tui); /* closes screens, which cancel their requests and timers */
    client_free(&a->client);
    operator_stop(a);
    billing_status_free(&a->status);
    billingd_stop(&a->embedded);
    if (a->exit_message[0])
        fprintf(stderr, "sett: %s\n", a->exit_message);
}
