/* frame.c: the licence gate, loading, errors and empty states of the account screens. */
#include "screens/frame.h"

#include <stdio.h>

#include "screens/format.h"

bool frame_gate(struct app *a, struct tui_rect body)
{
    const char *why = NULL;
    app_badge_fit(a, body.w);
    if (!app_billing_closed(a, &why))
        return false;
    frame_message(a, body, EL_ERROR, why);
    return true;
}

void frame_loading(struct app *a, struct tui_rect body, const char *label)
{
    tui_spinner(a->tui, body.y + 1, body.x + 2, body.w - 2, label);
}

void frame_error(struct app *a, struct tui_rect body, const struct client_error *e)
{
    char msg[512];
    if (e->status == CLIENT_ERR_AUTH || (e->http_status == 401 && !app_signed_in(a))) {
        frame_message(a, body, EL_NORMAL,
                      tui_op_enabled(a->tui, OP_ACCOUNT)
                          ? "You are not signed in (or your session has ended). Press L to sign in."
                          : "This terminal is not signed in to its account, so this is not "
                            "available here right now.");
        return;
    }
    fmt_error(e, msg, sizeof msg);
    tui_error_banner(a->tui, body, msg);
}

void frame_message(struct app *a, struct tui_rect body, enum theme_elem el, const char *text)
{
    if (body.h < 2 || body.w < 5)
        return;
    tui_wrap_paint(a->tui, (struct tui_rect){body.y + 1, body.x + 2, body.h - 1, body.w - 4}, 0, el,
                   text);
}

bool frame_stale(const struct app *a, unsigned seen)
{
    return a->account_gen != seen;
}

const char *frame_invoice_status(enum invoice_status s)
{
    return s == INVOICE_PENDING ? "Pending" : invoice_status_label(s);
}
