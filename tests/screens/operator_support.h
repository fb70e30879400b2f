/* operator_support.h: what the operator scenarios share (scenarios_operator*.c). */
#ifndef SETT_SCREENS_OPERATOR_SUPPORT_H
#define SETT_SCREENS_OPERATOR_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "account_support.h"

struct op_run {
    struct sett_run r;
    char key_env[192];    /* "SETT_API_KEY=bp_..." */
    char config_env[600]; /* "XDG_CONFIG_HOME=..." (an empty one: no stored session) */
    char config_dir[512];
    const char *env[3];
    const char *scopes;    /* the key's scopes: "admin" for an operator, "billing" for a customer */
    const char *key_email; /* whose key it is */
    const char *key_pass;
    bool with_key;
    bool approval;   /* auto-activation off, and one more order paid: it awaits approval */
    long invoice_id; /* the demo customer's invoice paid with credits */
};

/* POST /auth/api-keys as `email` with one scope: the secret into `out`. 0 or -1. */
int op_make_key(const char *url, const char *email, const char *pass, const char *scopes, char *out,
                size_t n);
/* The demo customer's history (three orders: credits, card, PayPal unpaid); the id of the invoice
 * paid with credits. 0 or -1. */
int op_customer_history(const char *url, long *paid_invoice);
/* sett --operator against a fixed-day server holding that history, at 80x24; with a key of
 * `email` with `scopes` in SETT_API_KEY (NULL email: none, so sett asks for a sign-in);
 * `approval`: auto-activation off and one more order paid, awaiting approval. 0 or -1. */
int op_start(struct op_run *o, const char *email, const char *pass, const char *scopes,
             bool approval);
void op_stop(struct op_run *o);
/* A key, then the screen settled with `text`. */
int op_key_settled(struct harness *h, const char *key, const char *text);
/* From the search: find the demo customer and open the account. */
int op_open_demo(struct harness *h);
/* GET with the session: the envelope (cJSON_Delete) or NULL unless 200. */
cJSON *op_admin_get(const struct acct *admin, const char *path);
/* The amount of a Money member, or -1. */
long long op_money_of(const cJSON *obj, const char *name);

#endif
