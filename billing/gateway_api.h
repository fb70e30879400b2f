/* gateway_api.h: what the clients of real gateways' REST APIs (stripe.c, paypal.c) share, driven
 * by a table of each API's words and rules: a call's answer or the customer's message for its
 * failure (the details to the operator's log), and the checks of ids, hosted pages and refunds in
 * the answers. */
#ifndef SETT_BILLING_GATEWAY_API_H
#define SETT_BILLING_GATEWAY_API_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "billing/api_error.h"
#include "billing/gateway.h"
#include "billing/gateway_http.h"

struct billingd;

struct gateway_api {
    const char *name;             /* "Stripe", in messages and the log */
    const char *credential;       /* what the shop's account refuses: "key", "credentials" */
    const char *page;             /* what starting a payment opens: "a payment page" */
    const char *id_chars;         /* the characters of its ids */
    const char *refund_failed[2]; /* a refund's statuses that mean no money moved */
    bool garbled_is_fault;        /* a 2xx that is not a JSON object counts as HTTP 502 */
    /* Reads a refusal (a 4xx answer, root may be NULL): kind for the log, detail for the
     * customer's message; true when it says the credentials are wrong (401 and 403 always do). */
    bool (*refusal)(const cJSON *root, char *kind, size_t kindsz, char *detail, size_t detailsz);
};

/* obj's string member `name`, or NULL. */
const char *gateway_api_str(const cJSON *obj, const char *name);
/* An id as the API makes them: 4 or more of its id characters, fitting GATEWAY_REF_CHARS. */
bool gateway_api_id_ok(const struct gateway_api *api, const char *id);

/* Turns a failed exchange (rc and reply from gateway_http_send) into the customer's message;
 * what went wrong goes to the operator's log. `what` names the call ("refund", "order"). */
void gateway_api_fail(const struct billingd *app, const struct gateway_api *api, const char *what,
                      int rc, const struct gateway_http_reply *r, char *msg, size_t msgsz);
/* The exchange's 2xx JSON object, or NULL with gateway_api_fail's message. Clears the reply. */
cJSON *gateway_api_answer(const struct billingd *app, const struct gateway_api *api,
                          const char *what, int rc, struct gateway_http_reply *r, char *msg,
                          size_t msgsz);

/* The hosted payment a start answered with: its id and an http(s) URL that fits, copied to out;
 * else API_ERR_GATEWAY_ERROR with msg. */
enum api_error gateway_api_page(const struct gateway_api *api, const char *id, const char *url,
                                struct gateway_hosted *out, char *msg, size_t msgsz);
/* The refund a refund call answered with: its id, unless its status says no money moved
 * (API_ERR_GATEWAY_ERROR with msg). */
enum api_error gateway_api_refund(const struct gateway_api *api, const cJSON *refund,
                                  char refund_ref[GATEWAY_REF_CHARS], char *msg, size_t msgsz);
/* A webhook's event id (copied to out->id) and type, from the members id and type_name; the
 * type, or NULL when either is missing or the id does not fit. */
const char *gateway_api_event(const cJSON *event, const char *type_name, struct gateway_event *out);

#endif
