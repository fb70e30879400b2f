/* webhook.h: the sandbox gateway's signed payment events: signing them, and receiving them, the
 * one path by which a gateway payment is settled or failed. */
#ifndef SETT_BILLING_WEBHOOK_H
#define SETT_BILLING_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "billing/api_error.h"

struct billingd;

#define WEBHOOK_SIGNATURE_CHARS 72 /* "sha256=" + 64 hex digits + NUL */

/* "sha256=<hex HMAC-SHA256 of body>" with this database's webhook secret (made on first use).
 * 0 or -1. */
int webhook_sign(struct billingd *app, const char *body, size_t len,
                 char out[WEBHOOK_SIGNATURE_CHARS]);
/* Checks the signature, then applies the event once: payment.succeeded settles its payment,
 * payment.failed fails it. An event id seen before changes nothing (*duplicate). Field problems
 * of the event go to `fields` (API_ERR_VALIDATION_FAILED). */
enum api_error webhook_receive(struct billingd *app, const char *gateway, const char *body,
                               size_t len, const char *signature, bool *duplicate, cJSON *fields);

#endif
