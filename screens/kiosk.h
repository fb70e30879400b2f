/* kiosk.h: kiosk mode: a shared demo stand where guests browse and fill a guest account's cart
 * without signing in, never see an account, and an idle session starts over with an empty cart
 * behind an attract screen. Quitting takes a configured key chord. */
#ifndef SETT_SCREENS_KIOSK_H
#define SETT_SCREENS_KIOSK_H

#include <stdbool.h>

#include "screens/app.h"

struct kiosk;

/* Once the terminal is up, instead of restoring a stored session: refuses sandbox checkout
 * against a server whose /billing/status does not say sandbox: true (asked and waited for),
 * switches off the account and quit keys, swallows Ctrl-C, Ctrl-Z and Ctrl-\, signs in as the guest
 * account (unless the client already holds a session, which is then used), empties its cart and
 * opens the store. -1 with a sentence in `err`. */
int kiosk_start(struct app *a, char *err, size_t errsz);
void kiosk_free(struct kiosk **k);

/* The client's new tokens at a kiosk: never stored; a guest session that ended signs in again.
 * False when `a` is not a kiosk (the caller handles them). */
bool kiosk_on_tokens(struct app *a, const char *access, const char *refresh);
/* There is no sign-in at a kiosk: true (with a word in the status line) when `a` is one whose
 * guest account is not signed in (yet, or at all), where a screen would ask for sign-in. The
 * account sections themselves are kept away by their keys (tui_disable_ops). */
bool kiosk_refuses_signin(struct app *a);
/* The cart as a kiosk guest sees it: the guest account's credits neither shown nor used (what
 * is due is the total). Nothing changes when `a` is not a kiosk. */
void kiosk_cart_view(const struct app *a, struct cart *c);
bool kiosk_no_credits(const struct app *a);
/* A sentence the cart shows under its lines ("Checkout is not available at this kiosk."), or
 * NULL. */
const char *kiosk_cart_note(const struct app *a);

/* The full-screen idle display: the shop's name, a product from each category, "Press any key
 * to start"; any key or click closes it onto the store. arg: NULL. */
extern const struct screen_ops kiosk_attract_screen;

#endif
