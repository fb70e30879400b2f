/* client.h: typed, non-blocking C client of the billing HTTP API (libcurl multi + cJSON). */
#ifndef SETT_CLIENT_H
#define SETT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/error.h"
#include "client/money.h"
#include "client/types.h"

struct client;

struct client_config {
    const char *base_url;   /* e.g. "http://127.0.0.1:8420"; "/api/v1" is appended unless present */
    const char *user_agent; /* NULL: "sett/<version>" */
    long connect_timeout_ms; /* 0: 5000 */
    long total_timeout_ms;   /* 0: 20000 */
    bool insecure_no_verify; /* never set by the app; TLS verification stays on */
};

/* Called once per completed request, from client_dispatch(). Ownership of `value` passes to the
 * callback, which frees it with the function named by the request (see below). On error `value` is
 * NULL and `err->status != CLIENT_OK`. A cancelled request never calls back. A NULL callback is
 * allowed (the value is then freed for you).
 * A callback may start new requests and cancel any request, but must not call client_free(),
 * client_wait() or client_dispatch().
 * Errors: CLIENT_ERR_TRANSPORT / _TIMEOUT / _TLS carry curl's message (http_status stays 0
 * unless a response had begun);
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
