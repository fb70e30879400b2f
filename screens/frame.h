/* frame.h: what the account screens paint the same way: the licence gate, loading, errors and
 * empty states. */
#ifndef SETT_SCREENS_FRAME_H
#define SETT_SCREENS_FRAME_H

#include <stdbool.h>

#include "screens/app.h"

/* When billing is unlicensed or switched off: paints why and returns true (nothing else shows). */
bool frame_gate(struct app *a, struct tui_rect body);
/* The spinner with `label` ("Loading your cart…") on the body's second row. */
void frame_loading(struct app *a, struct tui_rect body, const char *label);
/* The error banner with the retry hint; an ended session says how to sign in again. */
void frame_error(struct app *a, struct tui_rect body, const struct client_error *e);
/* A short wrapped text on the body's second row (an empty list says what to do). */
void frame_message(struct app *a, struct tui_rect body, enum theme_elem el, const char *text);

/* True when what a screen shows was loaded before money moved elsewhere (app->account_gen
 * moved on from *seen); the screen then reloads. */
bool frame_stale(const struct app *a, unsigned seen);
/* "Pending" (the page's word for an invoice awaiting payment), else the client's label. */
const char *frame_invoice_status(enum invoice_status s);

#endif
