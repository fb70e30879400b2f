/* client.h: typed, non-blocking C client of the billing HTTP API (libcurl multi + cJSON). */
#ifndef SETT_CLIENT_H
#define SETT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/error.h"
#include "client/money.h"
#include "client/types.h"
#include "client/types_account.h"
#include "client/types_cart.h"

struct client;

struct client_config {
    const char *base_url;   /* e.g. "http://127.0.0.1:8420"; "/api/v1" is appended unless present */
    const char *user_agent; /* NULL: "sett/<version>" */
    long connect_timeout_ms; /* 0: 5000 */
    long total_timeout_ms;   /* 0: 20000; a request's, from when it has a connection */
    bool insecure_no_verify; /* never set by the app; TLS verification stays on */
    /* The customer's own address, sent as X-Forwarded-For on every request when sett runs for
     * settd (which passes it in SETT_CLIENT_ADDR), so per-address limits count each customer
     * apart. NULL: no such header. Anything but an IPv4 or IPv6 address is ignored. */
    const char *forwarded_for;
};

/* Called once per completed request, from client_dispatch(). Ownership of `value` passes to the
 * callback, which frees it with the function named by the request (see below). On error `value` is
 * NULL and `err->status != CLIENT_OK`. A cancelled request never calls back. A NULL callback is
 * allowed (the value is then freed for you).
 * A callback may start new requests and cancel any request, but must not call client_free(),
 * client_wait() or client_dispatch().
 * Errors: CLIENT_ERR_TRANSPORT / _TIMEOUT / _TLS carry curl's message (http_status stays 0
 * unless a response had begun: then the connection broke off mid-answer, and the server may
 * have carried the request out);
 * CLIENT_ERR_API carries the server's code, message and field details; CLIENT_ERR_HTTP is a
 * non-2xx answer that is not an error envelope (or a body over 8 MiB); CLIENT_ERR_JSON a 2xx body
 * that does not decode; CLIENT_ERR_AUTH a 401 on a signed-in request whose session could not be
 * refreshed (code and message are the server's). A refused login is CLIENT_ERR_API with code
 * "invalid_credentials", not CLIENT_ERR_AUTH. */
typedef void (*client_status_cb)(void *ud, struct billing_status *value,
                                 const struct client_error *err);
typedef void (*client_categories_cb)(void *ud, struct category_list *value,
                                     const struct client_error *err);
typedef void (*client_products_cb)(void *ud, struct product_page *value,
                                   const struct client_error *err);
typedef void (*client_product_cb)(void *ud, struct product *value, const struct client_error *err);
typedef void (*client_session_cb)(void *ud, struct auth_session *value,
                                  const struct client_error *err);

typedef void (*client_quote_cb)(void *ud, struct quote *value, const struct client_error *err);
typedef void (*client_cart_cb)(void *ud, struct cart *value, const struct client_error *err);
typedef void (*client_checkout_cb)(void *ud, struct checkout_result *value,
                                   const struct client_error *err);
typedef void (*client_payment_cb)(void *ud, struct payment *value, const struct client_error *err);
typedef void (*client_orders_cb)(void *ud, struct order_page *value,
                                 const struct client_error *err);
typedef void (*client_order_cb)(void *ud, struct order *value, const struct client_error *err);
typedef void (*client_services_cb)(void *ud, struct service_page *value,
                                   const struct client_error *err);
typedef void (*client_service_cb)(void *ud, struct service *value, const struct client_error *err);
typedef void (*client_invoices_cb)(void *ud, struct invoice_page *value,
                                   const struct client_error *err);
typedef void (*client_invoice_cb)(void *ud, struct invoice *value, const struct client_error *err);
typedef void (*client_credits_cb)(void *ud, struct credits *value, const struct client_error *err);
typedef void (*client_ledger_cb)(void *ud, struct ledger_page *value,
                                 const struct client_error *err);
typedef void (*client_user_cb)(void *ud, struct auth_user *value, const struct client_error *err);
/* For answers with no value (204 No Content): success is err->status == CLIENT_OK. */
typedef void (*client_done_cb)(void *ud, const struct client_error *err);

struct client *client_new(const struct client_config *cfg, struct client_error *err);
void client_free(struct client **c);

/* Tokens: set after login, or from a stored session. Refresh on 401 is automatic; the callback,
 * if set, is told of every new pair so the caller can persist it.
 * - A successful client_login() makes its pair the client's session (and tells the callback)
 *   before the login callback runs; no client_set_tokens() is needed after it.
 * - When the server refuses the refresh token (a 4xx on /auth/refresh) the session is over: the
 *   tokens are dropped and the callback is called with (NULL, NULL).
 * - client_set_tokens(c, NULL, NULL) signs out. Tokens with characters outside visible ASCII are
 *   ignored (they would go into an HTTP header). client_set_tokens() never calls the callback.
 * client_signed_in() is true while an access or a refresh token is held. */
void client_set_tokens(struct client *c, const char *access_token, const char *refresh_token);
bool client_signed_in(const struct client *c);
typedef void (*client_tokens_fn)(void *ud, const char *access_token, const char *refresh_token);
void client_on_tokens(struct client *c, client_tokens_fn fn, void *ud);

/* Requests: each returns a non-zero id usable with client_cancel(), or 0 if it could not start
 * (the callback is then NOT called and `err`-less failure means out of memory). */
/* free: billing_status_free */
uint64_t client_get_status(struct client *c, client_status_cb cb, void *ud);
/* free: category_list_free */
uint64_t client_get_categories(struct client *c, client_categories_cb cb, void *ud);
/* free: product_page_free; `q` may be NULL (first page of everything) */
uint64_t client_get_products(struct client *c, const struct product_query *q, client_products_cb cb,
                             void *ud);
/* free: product_free; returns 0 for a NULL or empty id_or_slug */
uint64_t client_get_product(struct client *c, const char *id_or_slug, client_product_cb cb,
                            void *ud);
/* free: auth_session_free */
uint64_t client_login(struct client *c, const char *email, const char *password,
                      client_session_cb cb, void *ud);
/* free: auth_user_free */
uint64_t client_get_me(struct client *c, client_user_cb cb, void *ud);
/* Signs out: the server revokes the session (204). On success the client drops its tokens and
 * tells the tokens callback (NULL, NULL) before `cb` runs; on failure the tokens stay, and
 * client_set_tokens(c, NULL, NULL) forgets them locally. */
uint64_t client_logout(struct client *c, client_done_cb cb, void *ud);

/* Quotes and the cart. Cart mutations take the cart's etag as shown (`if_match`, NULL or "" to
 * skip the check): a cart changed meanwhile (another session) is refused with CLIENT_ERR_API
 * "precondition_failed" (HTTP 412); fetch the cart again and show it. The cart each one answers
 * carries its new etag. Requests with invalid arguments (a non-positive id, an unknown cycle, a
 * header value that is not 1..255 visible ASCII characters) return 0. */
/* free: quote_free */
uint64_t client_quote(struct client *c, const struct quote_request *q, client_quote_cb cb,
                      void *ud);
/* free: cart_free (for all the cart requests) */
uint64_t client_get_cart(struct client *c, client_cart_cb cb, void *ud);
uint64_t client_cart_add(struct client *c, const struct line_request *line, const char *if_match,
                         client_cart_cb cb, void *ud);
uint64_t client_cart_update(struct client *c, int64_t item_id, const struct cart_item_patch *p,
                            const char *if_match, client_cart_cb cb, void *ud);
uint64_t client_cart_remove(struct client *c, int64_t item_id, const char *if_match,
                            client_cart_cb cb, void *ud);
uint64_t client_cart_apply_coupon(struct client *c, const char *code, const char *if_match,
                                  client_cart_cb cb, void *ud);
uint64_t client_cart_remove_coupon(struct client *c, const char *if_match, client_cart_cb cb,
                                   void *ud);

/* Requests that move money carry an Idempotency-Key: make one per confirmation by the customer
 * with client_idempotency_key_new() and pass the same key to every retry of that confirmation
 * (a timeout, a lost connection), so the server does it once and replays its answer. */
#define CLIENT_IDEMPOTENCY_KEY_SIZE 37 /* a UUID v4 and its NUL */
/* Fills `buf` with a random UUID v4 from the kernel's random source; 0, or -1 (buf "") if none. */
int client_idempotency_key_new(char buf[CLIENT_IDEMPOTENCY_KEY_SIZE]);

/* Places the order for the cart. Needs payment_method, expected_total, cart_etag and
 * idempotency_key (else 0 is returned). Refusals worth a branch (err->code): "price_changed"
 * (err->total holds the new total: show it, ask again with it as expected_total and a new key),
 * "precondition_failed" (the cart changed: fetch it), "out_of_stock", "cart_empty",
 * "insufficient_credits", "payment_method_unavailable", "idempotency_key_in_progress"
 * (err->retry_after), and the coupon_* codes.
 * free: checkout_result_free */
uint64_t client_checkout(struct client *c, const struct checkout_request *r, client_checkout_cb cb,
                         void *ud);
/* free: payment_free. Poll it (every 2 s or so) until payment_settled(). */
uint64_t client_get_payment(struct client *c, int64_t payment_id, client_payment_cb cb, void *ud);
/* Pays an existing invoice (renewal, deposit, failed order payment); key as for checkout.
 * free: payment_free */
uint64_t client_pay_invoice(struct client *c, int64_t invoice_id, const char *payment_method,
                            bool use_credits, const char *idempotency_key, client_payment_cb cb,
                            void *ud);

/* Orders, services, invoices, credits. Lists take a query (NULL: first page of all). */
/* free: order_page_free */
uint64_t client_get_orders(struct client *c, const struct list_query *q, client_orders_cb cb,
                           void *ud);
/* free: order_free */
uint64_t client_get_order(struct client *c, int64_t order_id, client_order_cb cb, void *ud);
/* free: service_page_free; q->status a service_status_str() name */
uint64_t client_get_services(struct client *c, const struct list_query *q, client_services_cb cb,
                             void *ud);
/* free: service_free (with its recent invoices), also for the two cancellation requests */
uint64_t client_get_service(struct client *c, int64_t service_id, client_service_cb cb, void *ud);
/* `reason` may be NULL. Refusals: "cancellation_pending", "invalid_status". */
uint64_t client_request_cancellation(struct client *c, int64_t service_id,
                                     enum cancellation_type type, const char *reason,
                                     client_service_cb cb, void *ud);
uint64_t client_withdraw_cancellation(struct client *c, int64_t service_id, client_service_cb cb,
                                      void *ud);
/* Issues the next period's invoice now; key as for checkout. "renewal_exists" gives the invoice
 * in client_error_detail(err, "invoice_id"). free: invoice_free */
uint64_t client_renew_service(struct client *c, int64_t service_id, const char *idempotency_key,
                              client_invoice_cb cb, void *ud);
/* free: invoice_page_free; q->status an invoice_status_str() name */
uint64_t client_get_invoices(struct client *c, const struct list_query *q, client_invoices_cb cb,
                             void *ud);
/* free: invoice_free */
uint64_t client_get_invoice(struct client *c, int64_t invoice_id, client_invoice_cb cb, void *ud);
/* free: credits_free */
uint64_t client_get_credits(struct client *c, client_credits_cb cb, void *ud);
/* free: ledger_page_free; q->status is ignored */
uint64_t client_get_ledger(struct client *c, const struct list_query *q, client_ledger_cb cb,
                           void *ud);
/* Adds funds: answers the deposit invoice to pay with client_pay_invoice(). The key may be NULL
 * (optional here). "deposit_pending" gives the unpaid one in client_error_detail(err,
 * "invoice_id"). free: invoice_free */
uint64_t client_create_deposit(struct client *c, const struct money *amount,
                               const char *idempotency_key, client_invoice_cb cb, void *ud);

void client_cancel(struct client *c, uint64_t id);
size_t client_pending(const struct client *c);

/* Event-loop integration. client_wait() blocks until network activity, activity on one of the
 * caller's extra fds (poll(2) semantics, revents filled in), or timeout_ms; it returns the number
 * of ready extra fds, or -1 on error. client_dispatch() drives transfers and runs finished
 * callbacks. client_wakeup() may be called from a signal handler-free context to interrupt
 * client_wait().
 *
 * - timeout_ms < 0 waits with no limit; the wait is always cut short by curl's own timers, so an
 *   idle client with nothing pending costs no CPU and a pending one still times out on time.
 * - revents are those of poll(2), including POLLHUP/POLLERR/POLLNVAL (a closed terminal).
 * - A signal (e.g. SIGWINCH, installed without SA_RESTART or with it) ends the wait early; the
 *   return is then 0 unless an extra fd is also ready.
 * - Call client_dispatch() after every client_wait(), whatever it returned: it is cheap when
 *   nothing happened, and it is what sends newly queued requests. A typical loop:
 *       for (;;) {
 *           struct pollfd tty = {.fd = STDIN_FILENO, .events = POLLIN};
 *           int n = client_wait(c, &tty, 1, client_pending(c) ? 100 : -1);  // 100: spinner frame
 *           client_dispatch(c);                                              // callbacks run here
 *           if (n > 0) read_keys();
 *       } */
struct pollfd;
int client_wait(struct client *c, struct pollfd *extra, unsigned n_extra, int timeout_ms);
void client_dispatch(struct client *c);
void client_wakeup(struct client *c);

/* Runs the loop until no request is pending or timeout_ms passes (tests and scripts; timeout_ms < 0
 * means no limit). Returns 0 when all finished, -1 on timeout. */
int client_run_until_idle(struct client *c, int timeout_ms);

#endif
