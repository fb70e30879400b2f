/* invariants.h: a server with many signed-in customers, and the money invariants of its database.
 */
#ifndef SETT_TESTS_API_INVARIANTS_H
#define SETT_TESTS_API_INVARIANTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api_fixture.h"

#define INV_MAX_USERS    256
#define INV_MAX_PRODUCTS 64
#define INV_TOKEN_CHARS  64

/* One test's shop: a fresh sett-billingd, customers who are signed in, and an operator. */
struct inv_world {
    struct api_server server;
    char admin[INV_TOKEN_CHARS]; /* access token of an operator (role admin) */
    int64_t admin_id;
    int n_users;
    int64_t user_id[INV_MAX_USERS];
    char token[INV_MAX_USERS][INV_TOKEN_CHARS];
    /* Limited stock when the load began, by product id: stock + units sold must stay equal. */
    int n_stock;
    int64_t stock_product[INV_MAX_PRODUCTS];
    int64_t stock_initial[INV_MAX_PRODUCTS];
    int64_t coupon_floor; /* coupons with a greater id were made by the test */
};

/* Starts a fresh server, stops it to add n_users customers and their access tokens straight
 * into its database (signing 200 people in through argon2 would take a minute), runs setup_sql
 * there (may be NULL: e.g. limited stock for a product), and starts it again. 0 or -1. */
int inv_world_start(struct inv_world *w, int n_users, const char *setup_sql);
/* The same with extra arguments for the server (NULL-ended, may be NULL). */
int inv_world_start_with(struct inv_world *w, int n_users, const char *setup_sql,
                         const char *const *server_args);
/* Stops the server, checks the database's invariants (inv_db_breaches) and removes it. The
 * number of breaches; the server is gone either way. */
int inv_world_finish(struct inv_world *w);

/* Stops and removes the server without checking anything: a test's teardown after a failure. */
void inv_world_abandon(struct inv_world *w);

/* A JSON request; idem_key and if_match add those headers when not NULL. 0 when an answer came
 * back and it keeps the contract. */
int inv_call(const struct inv_world *w, const char *method, const char *path, const char *token,
             const char *idem_key, const char *if_match, const char *json, struct api_resp *r);

/* obj.name.amount of a Money field, or INT64_MIN. */
int64_t inv_money(const cJSON *obj, const char *name);
/* The cart's ETag as sent in If-Match ("\"7\""); 0 or -1. */
int inv_etag(const struct api_resp *r, char *out, size_t outsz);

/* Adds credit to a customer through the operator endpoint. 0 or -1. */
int inv_grant_credit(const struct inv_world *w, int user, int64_t amount);
/* Puts one line in a customer's cart; options is a JSON object text or NULL. On success the
 * cart's ETag and total are copied out (either may be NULL). The HTTP status, or -1. */
long inv_cart_add(const struct inv_world *w, int user, int64_t product_id, const char *cycle,
                  const char *options, int quantity, char *etag, size_t etagsz, int64_t *total);
/* Checks out the cart; the answer is left in r. 0 when one came back. A connection the server
 * dropped unanswered (it takes 128 at a time) is retried with the same Idempotency-Key, which
 * is what makes that safe; *retries (may be NULL) counts those. */
int inv_checkout(const struct inv_world *w, int user, const char *key, const char *etag,
                 const char *method, bool use_credits, int64_t expected_total, struct api_resp *r,
                 int *retries);
/* meta.total of a list endpoint for a customer, or -1. */
int64_t inv_list_total(const struct inv_world *w, int user, const char *path);
/* A product's id by slug, or 0. */
int64_t inv_product_id(const struct inv_world *w, const char *slug);

/* Runs fn(i, arg) on n threads released together; returns when all have finished. 0 or -1. */
int inv_parallel(int n, void (*fn)(int i, void *arg), void *arg);

/* Checks the invariants of a stopped server's database, printing each breach on stderr:
 * - every ledger sums to its user's credit_balance, each entry's balance_after follows from the
 *   one before, and no balance is negative;
 * - every paid order invoice has one service per unit it bills, and its order is past payment;
 * - for every product whose stock was limited when the world started, stock left plus units
 *   sold (services of orders not cancelled) equals the stock it started with;
 * - no coupon is used more than max_uses, and its uses are its orders that were not cancelled;
 * - every invoice's lines add up to subtotal - discount, its total is that plus exclusive tax,
 *   and nothing that must not be negative is.
 * The number of breaches, or -1 when the database cannot be read. */
int inv_db_breaches(const struct inv_world *w);

/* Milliseconds on a monotonic clock. */
int64_t inv_now_ms(void);

#endif
