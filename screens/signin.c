/* signin.c: the Sign-in screen: e-mail and password (not echoed) in two prompts, then the
 * session; afterwards it opens what the customer was heading for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/app.h"
#include "screens/format.h"
#include "screens/frame.h"
#include "screens/screens.h"

struct signin {
    struct app *app;
    struct screen *self;
    struct signin_args then;
    char email[256];
    uint64_t req, ask_timer;
    struct client_error err;
    bool asking;
};

static const enum tui_op signin_keys[] = {OP_ACCOUNT, OP_RETRY, OP_STORE, OP_BACK,
                                          OP_HELP,    OP_QUIT,  OP_NONE};

static void ask_email(struct signin *si);

/* Signed in: leave this screen for what the customer wanted. */
static void proceed(struct signin *si)
{
    struct app *a = si->app;
    struct signin_args then = si->then;
    if (tui_top(a->tui) == si->self)
        tui_pop(a->tui);
    if (then.done) {
        then.done(then.ud);
    } else if (!then.then || then.then == &home_screen) {
        app_reset_root(a, &home_screen);
    } else {
        tui_push(a->tui, then.then, then.has_target ? &then.target : NULL);
    }
}

static void on_login(void *ud, struct auth_session *s, const struct client_error *err)
{
    struct signin *si = ud;
    si->req = 0;
    if (!s) {
        si->err = *err;
        return;
    }
    app_signed_in_as(si->app, s->user.name);
    tui_status(si->app->tui, "Signed in as %s.", s->user.name);
    auth_session_free(&s);
    proceed(si);
}

static void on_password(struct screen *scr, const char *text, void *ud)
{
    struct signin *si = scr->priv;
    si->asking = false;
    if (!text) {
        explicit_bzero(si->email, sizeof si->email);
        tui_status(si->app->tui, "Not signed in.");
        return;
    }
    client_error_clear(&si->err);
    si->req = client_login(si->app->client, si->email, text, on_login, si);
    if (!si->req)
        client_error_set(&si->err, CLIENT_ERR_USAGE, "this e-mail and password cannot be sent");
}

static void on_email(struct screen *scr, const char *text, void *ud)
{
    struct signin *si = scr->priv;
    if (!text) {
        si->asking = false;
        tui_status(si->app->tui, "Not signed in.");
        return;
    }
    while (*text == ' ')
        text++;
    snprintf(si->email, sizeof si->email, "%s", text);
    for (size_t n = strlen(si->email); n > 0 && si->email[n - 1] == ' '; n--)
        si->email[n - 1] = '\0';
    if (!si->email[0]) {
        ask_email(si);
        return;
    }
    tui_prompt_secret(si->app->tui, "Password:", on_password, NULL);
}

static void ask_email(struct signin *si)
{
    if (si->req)
        return;
    si->asking = true;
    client_error_clear(&si->err);
    tui_prompt(si->app->tui, "E-mail:", si->email, on_email, NULL);
}

static void ask_first(void *ud)
{
    struct signin *si = ud;
    si->ask_timer = 0;
    ask_email(si);
}

static int signin_open(struct screen *s, void *arg)
{
    struct signin *si = s->priv;
    si->app = s->app;
    si->self = s;
    if (arg)
        si->then = *(const struct signin_args *)arg;
    /* the prompt belongs to the top screen, which this one becomes only once open returns */
    si->asking = true;
    si->ask_timer = app_after(si->app, 0, ask_first, si);
    return 0;
}

static void signin_close(struct screen *s)
{
    struct signin *si = s->priv;
    client_cancel(si->app->client, si->req);
    app_cancel_timer(si->app, si->ask_timer);
    explicit_bzero(si->email, sizeof si->email);
}

static void signin_paint(struct screen *s, struct tui_rect body)
{
    struct signin *si = s->priv;
    struct tui *t = s->tui;
    char msg[512], own[32];
    int x = body.x + 2, w = body.w - 4, y = body.y + 1;
    y += tui_wrap_paint(t, (struct tui_rect){y, x, 3, w}, 0, EL_NORMAL,
                        "Sign in with the e-mail and password of your account on this panel to "
                        "see your cart, services, invoices and credits.");
    y++;
    tui_text(t, y, x, 10, EL_LABEL, "E-mail");
    tui_text(t, y++, x + 11, w - 11, EL_NORMAL,
             si->email[0] ? si->email : tui_glyph(t, GLYPH_ELLIPSIS));
    tui_text(t, y, x, 10, EL_LABEL, "Password");
    tui_text(t, y++, x + 11, w - 11, EL_DIM,
             si->req ? tui_own(t, "••••••", own, sizeof own) : tui_glyph(t, GLYPH_ELLIPSIS));
    y++;
    struct tui_rect rest = {y, body.x, body.y + body.h - y, body.w};
    if (si->req) {
        tui_spinner(t, y, x, w, "Signing in…");
    } else if (si->err.status != CLIENT_OK) {
        int wait = si->err.retry_after > 0 ? si->err.retry_after : 1;
        if (strcmp(si->err.code, "invalid_credentials") == 0)
            snprintf(msg, sizeof msg,
                     "That e-mail and password do not match an account. "
                     "r tries again.");
        else if (si->err.http_status == 429)
            snprintf(msg, sizeof msg, "Too many attempts. Try again in %d s.", wait);
        else if (si->err.http_status == 503)
            snprintf(msg, sizeof msg, "The shop is busy; try again in %d s.", wait);
        else {
            char why[400];
            fmt_error(&si->err, why, sizeof why);
            snprintf(msg, sizeof msg, "Not signed in: %s r tries again.", why);
        }
        tui_wrap_paint(t, (struct tui_rect){rest.y, x, rest.h, w}, 0, EL_ERROR, msg);
    } else if (!si->asking) {
        tui_wrap_paint(t, (struct tui_rect){rest.y, x, rest.h, w}, 0, EL_DIM,
                       "L (or r) asks again; Esc goes back; s browses the store.");
    }
}

static enum tui_action signin_handle(struct screen *s, const struct tui_event *ev)
{
    struct signin *si = s->priv;
    if (ev->kind == TUI_EV_MOUSE)
        return TUI_HANDLED;
    switch (ev->op) {
    case OP_ACCOUNT:
    case OP_RETRY:
        ask_email(si);
        return TUI_HANDLED;
    case OP_STORE:
        app_open_section(si->app, &store_screen, NULL);
        return TUI_HANDLED;
    case OP_BACK:
        return TUI_CLOSE;
    default:
        return TUI_IGNORED;
    }
}

static const char *signin_title(struct screen *s, char *buf, size_t n)
{
    snprintf(buf, n, "Sign in");
    return buf;
}

const struct screen_ops signin_screen = {
    .name = "signin",
    .priv_size = sizeof(struct signin),
    .open = signin_open,
    .close = signin_close,
    .paint = signin_paint,
    .handle = signin_handle,
    .title = signin_title,
    .keys = signin_keys,
};
