/* webhook.h: the sandbox gateway's signed payment events: signing them, and receiving them, the
 * one path by which a gateway payment is settled or failed. */
#ifndef SETT_BILLING_WEBHOOK_H
#define SETT_BILLING_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/request.h"

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

/* Applies a gateway's event once (the sandbox's and the real ones alike), in one transaction on
 * conn that the caller holds: records its id (*duplicate when it was seen before), then applies a
 * first one with apply(ctx, conn, now). Any error rolls it all back. */
enum api_error webhook_once(sqlite3 *conn, const char *gateway, const char *id, int64_t now,
                            bool *duplicate,
                            enum api_error (*apply)(void *ctx, sqlite3 *conn, int64_t now),
                            void *ctx);
/* Answers a webhook: {"received":true,"duplicate":…} when err is API_OK, else the error. */
void webhook_reply(struct reply *rep, enum api_error err, bool duplicate);

#endif
