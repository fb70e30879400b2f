/* fuzz_decode.c: every response decoder of the client, picked by the input's first byte. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/types.h"
#include "client/types_account.h"
#include "client/types_admin.h"
#include "client/types_cart.h"
#include "client/types_catalog.h"
#include "client/types_shop.h"

/* Decodes body as one type: on success there is a value (freed here), on failure none and an
 * error that says so. Anything else is a broken contract, reported as a crash. */
#define DECODER(fn, type, free_fn)                                                                 \
    static void run_##fn(const char *body, size_t len, struct client_error *err)                   \
    {                                                                                              \
        type *v = NULL;                                                                            \
        int rc = fn(body, len, &v, err);                                                           \
        if ((rc == 0) != (v != NULL) || (rc != 0 && err->status == CLIENT_OK))                     \
            abort();                                                                               \
        free_fn(&v);                                                                               \
        if (v)                                                                                     \
            abort();                                                                               \
    }

#define DECODERS(X)                                                                                \
    X(decode_status, struct billing_status, billing_status_free)                                   \
    X(decode_categories, struct category_list, category_list_free)                                 \
    X(decode_products, struct product_page, product_page_free)                                     \
    X(decode_product, struct product, product_free)                                                \
    X(decode_session, struct auth_session, auth_session_free)                                      \
    X(decode_user, struct auth_user, auth_user_free)                                               \
    X(decode_quote, struct quote, quote_free)                                                      \
    X(decode_cart, struct cart, cart_free)                                                         \
    X(decode_checkout, struct checkout_result, checkout_result_free)                               \
    X(decode_payment, struct payment, payment_free)                                                \
    X(decode_order, struct order, order_free)                                                      \
    X(decode_orders, struct order_page, order_page_free)                                           \
    X(decode_service, struct service, service_free)                                                \
    X(decode_services, struct service_page, service_page_free)                                     \
    X(decode_invoice, struct invoice, invoice_free)                                                \
    X(decode_invoices, struct invoice_page, invoice_page_free)                                     \
    X(decode_credits, struct credits, credits_free)                                                \
    X(decode_ledger, struct ledger_page, ledger_page_free)                                         \
    X(decode_admin_user, struct admin_user, admin_user_free)                                       \
    X(decode_admin_users, struct admin_user_page, admin_user_page_free)                            \
    X(decode_refund_result, struct refund_result, refund_result_free)                              \
    X(decode_credit_tx, struct credit_tx, credit_tx_free)                                          \
    X(decode_audit_log, struct audit_page, audit_page_free)                                        \
    X(decode_catalog_categories, struct catalog_category_list, catalog_category_list_free)         \
    X(decode_catalog_category, struct catalog_category, catalog_category_free)                     \
    X(decode_catalog_products, struct catalog_product_page, catalog_product_page_free)             \
    X(decode_catalog_product, struct catalog_product, catalog_product_free)                        \
    X(decode_apply_prices, struct apply_prices_result, apply_prices_result_free)                   \
    X(decode_coupon, struct coupon, coupon_free)                                                   \
    X(decode_coupons, struct coupon_page, coupon_page_free)                                        \
    X(decode_shop_settings, struct shop_settings, shop_settings_free)

DECODERS(DECODER)

/* The error envelope of any non-2xx answer, and what the status line makes of it. */
static void run_decode_error(const char *body, size_t len, struct client_error *err)
{
    char line[512];

    decode_error(body, len, 422, err);
    if (err->status == CLIENT_OK || err->n_fields > CLIENT_FIELD_MAX)
        abort();
    client_error_describe(err, line, sizeof line);
    for (unsigned i = 0; i < err->n_fields; i++)
        if (client_error_detail(err, err->fields[i].field) == NULL)
            abort();
}

typedef void (*decode_run)(const char *body, size_t len, struct client_error *err);

#define ENTRY(fn, type, free_fn) run_##fn,
static const decode_run decoders[] = {DECODERS(ENTRY) run_decode_error};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct client_error err;
    char *body;

    if (size < 1)
        return 0;
    /* An exact-size copy, so reading past the body is caught. */
    body = malloc(size - 1 ? size - 1 : 1);
    if (!body)
        return 0;
    memcpy(body, data + 1, size - 1);
    memset(&err, 0, sizeof err);
    decoders[data[0] % (sizeof decoders / sizeof decoders[0])](body, size - 1, &err);
    free(body);
    return 0;
}
