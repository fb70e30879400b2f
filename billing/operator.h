/* operator.h: what the operator endpoints share: ids from the path, paging, reasons, money in
 * bodies, and the audit entry of each action. */
#ifndef SETT_BILLING_OPERATOR_H
#define SETT_BILLING_OPERATOR_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/request.h"
#include "billing/settings.h"

#define OPERATOR_REASON_MAX 1000

/* The i-th `{}` of the path as a positive id; false (after a 404 naming `what`) otherwise. */
bool operator_path_id(const struct request *req, struct reply *rep, size_t i, const char *what,
                      int64_t *id);
/* page and per_page from the query (1.., 1..100, default 20); problems become field errors. */
void operator_paging(const struct request *req, struct reply *rep, int64_t *page,
                     int64_t *per_page);
/* A positive integer query argument; absent gives 0; anything else is a field error. */
int64_t operator_query_id(const struct request *req, struct reply *rep, const char *key);
/* The body's required "reason" (1 to 1000 characters); NULL after a field error. */
const char *operator_reason(const struct request *req, struct reply *rep);
/* A Money member of the body in the store's currency: false when absent (a field error when
 * required) or invalid (always a field error). */
bool operator_money(const struct request *req, struct reply *rep, const struct settings *set,
                    const char *field, bool required, int64_t *amount);

/* The audit entry for the request's operator (and API key, if one was used), inside the
 * caller's transaction; details may be NULL. 0 or -1. */
int operator_audit(sqlite3 *conn, const struct request *req, const char *action,
                   const char *target_type, int64_t target_id, const char *reason,
                   const cJSON *details, int64_t now);
/* Whether an account with this id exists (-1 on a database error). */
int operator_user_exists(sqlite3 *conn, int64_t user_id);
/* Runs `SELECT COUNT(*)`-style SQL with up to two bound values (text or int) and returns the
 * first column, or -1. */
int64_t operator_count(sqlite3 *conn, const char *sql, int64_t id, const char *text);

#endif
