/* harness.h: shared set-up of the client tests that talk to the stub server. */
#ifndef SETT_TEST_CLIENT_HARNESS_H
#define SETT_TEST_CLIENT_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "stub_server.h"

/* How long the stub takes over products/late, one request at a time. */
#define LATE_MS 100

/* What the stub server knows; touched only on its thread while the client runs. */
struct world {
    bool refresh_ok;   /* /auth/refresh accepts "old-refresh" */
    int refresh_calls; /* read it after stub_stop(), which joins the server thread */
    char *huge;        /* a body over the client's size cap */
};

/* One test's server and client (cmocka state). */
struct ctx {
    struct world w;
    struct stub_server *srv;
    struct client *c;
};

/* What a callback received. */
struct outcome {
    int calls;
    struct client_error err;
    void *value; /* the test frees it */
};

struct tokens_seen {
    int calls;
    char access[64];
    char refresh[64];
    bool cleared; /* told (NULL, NULL) */
};

/* Routes of the stub: /billing/status, /billing/categories, /billing/products?..., and
 * /billing/products/<x> with x = mc-iron (ok), slow (never answers), secret (needs
 * "Bearer new-access", else 401 invalid_token), boom (HTML 500), garbage (bad JSON 200), huge
 * (9 MiB), anything else 404; /auth/refresh and /auth/login (password "demo"). */
int harness_setup(void **state);
int harness_teardown(void **state);
struct client *harness_client(const char *url, long total_timeout_ms);
int64_t harness_now_ms(void);

void on_status(void *ud, struct billing_status *v, const struct client_error *err);
void on_categories(void *ud, struct category_list *v, const struct client_error *err);
void on_products(void *ud, struct product_page *v, const struct client_error *err);
void on_product(void *ud, struct product *v, const struct client_error *err);
void on_session(void *ud, struct auth_session *v, const struct client_error *err);
void on_tokens(void *ud, const char *access_token, const char *refresh_token);

#endif
