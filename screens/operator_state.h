/* operator_state.h: operator mode's state, shared by the operator_*.c files only. */
#ifndef SETT_SCREENS_OPERATOR_STATE_H
#define SETT_SCREENS_OPERATOR_STATE_H

#include "screens/operator.h"

struct operator_action;

struct operator_mode {
    uint64_t probe_req;      /* the admin endpoint asked after sign-in */
    bool allowed;            /* the probe answered: this account is an operator's */
    bool via_signin;         /* signed in on the sign-in screen (a refusal goes back to it) */
    struct client_error err; /* why the gate could not ask (network, server) */
    char refusal[400];
    struct operator_action *action; /* the action being asked for or sent; at most one */
};

bool operator_gate_busy(const struct app *a);
bool operator_allowed(const struct app *a);
void operator_gate_retry(struct app *a);
void operator_action_free(struct app *a);

#endif
