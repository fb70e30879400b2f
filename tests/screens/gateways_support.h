/* gateways_support.h: what the gateway scenarios (scenarios_gateways.c) stand on: the fake Stripe
 * and fake PayPal, a sett-billingd that takes money through both (no sandbox), a customer and an
 * operator signed in, sett on a pty, and the server's view of the customer's invoice. */
#ifndef SETT_TESTS_SCREENS_GATEWAYS_SUPPORT_H
#define SETT_TESTS_SCREENS_GATEWAYS_SUPPORT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "account_support.h"
#include "fake_paypal.h"
#include "fake_stripe.h"

#define GW_ROWS              43
#define GW_COLS              132
#define GW_EMAIL             "customer1@example.com"
#define GW_PASSWORD          "password"
#define GW_OPERATOR          "operator@example.com"
#define GW_OPERATOR_PASSWORD "operator-password-1"
/* Following a payment looks the gateway up at most every 5 s; sett polls every 2 s. */
#define GW_LATE_MS 25000

struct gw {
    struct fake_stripe *stripe;
    struct fake_paypal *paypal;
    char dir[PATH_MAX];
    char db[PATH_MAX + 16], port_file[PATH_MAX + 16], log[PATH_MAX + 16];
    char sk[PATH_MAX + 16], whsec[PATH_MAX + 16], pp_secret[PATH_MAX + 16];
    pid_t pid;
    char url[64], stripe_hook[128], paypal_hook[128];
    struct acct me, op;
    struct acct_prepare p;
    char env_config[600];
    const char *env[2];
    struct harness *h;
};

/* The fakes, the server with both gateways, a customer (with `credits`) whose session sett
 * holds, and sett on a terminal of rows x cols. 0 or -1. */
int gw_start(struct gw *g, long long credits, int rows, int cols);
void gw_stop(struct gw *g);

/* What the customer's one invoice and its payments say. */
struct gw_invoice {
    long long id, total, paid, refunded;
    char status[24];
    int n_payments;
    long long last_payment; /* its id */
    long long last_amount;  /* what it asks the gateway for */
    char last_status[24];   /* the last payment's status */
    char link[512];         /* the last payment's next_action.url, "" when none */
    char number[64];
};

int gw_invoice_state(const struct acct *a, struct gw_invoice *s);
/* The customer's credit balance (minor units), -1 when it cannot be read. */
long long gw_balance(const struct acct *a);
/* The status of every service the customer has, as "active,pending,…". */
int gw_services(const struct acct *a, char *buf, size_t n);

#endif
