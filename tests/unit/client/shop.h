/* shop.h: a stub billing shop for the client's commerce tests: cart with opaque ETags,
 * checkout with Idempotency-Key replay, and the callbacks that record what came back. */
#ifndef SETT_TEST_CLIENT_SHOP_H
#define SETT_TEST_CLIENT_SHOP_H

#include <stdbool.h>

#include "client/client.h"
#include "stub_server.h"

#define MAX_SEEN 8

/* The stub's shop: one cart whose ETag is opaque ("cart-<version>"), so a client that echoes
 * the header (not the body's version) is told apart. Touched on the server thread; read after
 * stub_requests(), whose lock orders it after the route ran. */
struct shop {
    int version;
    int checkout_calls;
    bool hold_first_checkout; /* never answer the first checkout: the client times out */
    bool needs_new_token;     /* checkout wants "Bearer new-access" (else 401) */
    char done_key[300];       /* the key of the checkout done, for replays */
    char keys[MAX_SEEN][300]; /* Idempotency-Key of each checkout attempt */
    char if_matches[MAX_SEEN][128];
    char bodies[MAX_SEEN][2048];
    char etag_header[64];
    char cart[1024];
    char *checkout_json;
    char *renewal_json;
};

struct shop_ctx {
    struct shop w;
    struct stub_server *srv;
    struct client *c;
};

/* What a callback received; the value is the test's to free. */
struct got {
    int calls;
    struct client_error err;
    void *value;
};

/* Routes: /billing/cart (GET), /billing/cart/items (POST) and /items/12 (DELETE) checking
 * If-Match, /billing/cart/coupon (429, Retry-After 30), /billing/checkout (see struct shop),
 * /auth/refresh, /auth/logout (204 for "Bearer a1"), /billing/services/31/renewals,
 * /billing/services?..., anything else 404. */
int shop_setup(void **state);
int shop_teardown(void **state);
/* Runs the client until idle (fails the test after 10 s). */
void shop_run(struct client *c);

void on_cart(void *ud, struct cart *v, const struct client_error *err);
void on_checkout(void *ud, struct checkout_result *v, const struct client_error *err);
void on_invoice(void *ud, struct invoice *v, const struct client_error *err);
void on_services(void *ud, struct service_page *v, const struct client_error *err);
void on_done(void *ud, const struct client_error *err);

#endif
