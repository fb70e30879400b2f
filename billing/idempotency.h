/* idempotency.h: Idempotency-Key for requests that move money: the same key and body replay the
 * first response; the same key with another body is refused. */
#ifndef SETT_BILLING_IDEMPOTENCY_H
#define SETT_BILLING_IDEMPOTENCY_H

#include <stdbool.h>

#include <sqlite3.h>

#include "billing/request.h"

enum idem_state {
    IDEM_PROCEED, /* a new key (or none, when not required): run the operation */
    IDEM_DONE,    /* `rep` is filled: a replay, a reused key, or a missing required key */
};

/* Call with the database held, before the operation. */
enum idem_state idempotency_check(sqlite3 *conn, struct request *req, struct reply *rep,
                                  bool required);
/* Records the operation's reply under the request's key (no key: nothing), in the same
 * transaction as the operation's effects. 0 or -1. */
int idempotency_store(sqlite3 *conn, const struct request *req, const struct reply *rep);

/* For an operation that calls a gateway between two transactions: the first reserves the key as
 * in progress (a retry meanwhile answers 409 idempotency_key_in_progress), the second completes
 * it with the reply (a 2xx is replayed from then on) or, when the reply is a refusal, releases
 * it so that a retry runs the operation again. No key: nothing. 0 or -1. */
int idempotency_reserve(sqlite3 *conn, const struct request *req);
int idempotency_complete(sqlite3 *conn, const struct request *req, const struct reply *rep);

#endif
