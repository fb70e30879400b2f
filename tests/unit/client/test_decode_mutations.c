/* test_decode_mutations.c: every member of every good fixture dropped or given the wrong type in
 * turn; each decoder must then fail cleanly or succeed, never crash or leak (run it under the
 * sanitizers), and keep its contract: a value exactly when it returns 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "client/client.h"
#include "fixtures.h"

typedef int (*decode_fn)(const char *body, size_t len);

/* Decodes, checks the contract, frees; returns the decoder's result. */
#define WRAP(name, type, decode, free_fn)                                                          \
    static int name(const char *body, size_t len)                                                  \
    {                                                                                              \
        type *v = (type *)0x1;                                                                     \
        struct client_error e;                                                                     \
        int rc = decode(body, len, &v, &e);                                                        \
                                                                                                   \
        if ((rc == 0) != (v != NULL) || (rc == 0) != (e.status == CLIENT_OK))                      \
            fail_msg("rc %d, value %p, status %s", rc, (void *)v, client_status_str(e.status));    \
        if (rc < 0 && e.status != CLIENT_ERR_JSON)                                                 \
            fail_msg("status %s: %s", client_status_str(e.status), e.message);                     \
        free_fn(&v);                                                                               \
        return rc;                                                                                 \
    }

WRAP(quote, struct quote, decode_quote, quote_free)
WRAP(cart, struct cart, decode_cart, cart_free)
WRAP(checkout, struct checkout_result, decode_checkout, checkout_result_free)
WRAP(payment, struct payment, decode_payment, payment_free)
WRAP(order, struct order, decode_order, order_free)
WRAP(orders, struct order_page, decode_orders, order_page_free)
WRAP(service, struct service, decode_service, service_free)
WRAP(services, struct service_page, decode_services, service_page_free)
WRAP(invoice, struct invoice, decode_invoice, invoice_free)
WRAP(invoices, struct invoice_page, decode_invoices, invoice_page_free)
WRAP(credits, struct credits, decode_credits, credits_free)
WRAP(ledger, struct ledger_page, decode_ledger, ledger_page_free)
WRAP(user, struct auth_user, decode_user, auth_user_free)

/* The n-th node of the tree in pre-order (the root is 0), with its parent. */
static cJSON *nth(cJSON *node, cJSON *parent, int *n, cJSON **parent_out)
{
    cJSON *child, *found;

    if ((*n)-- == 0) {
        *parent_out = parent;
        return node;
    }
    for (child = node->child; child; child = child->next)
        if ((found = nth(child, node, n, parent_out)))
            return found;
    return NULL;
}

/* How: 0 drops the node, 1 makes it a string, 2 a fraction, 3 an empty object. */
static void mutate_and_decode(const cJSON *orig, int index, int how, decode_fn decode)
{
    cJSON *root = cJSON_Duplicate(orig, 1), *parent = NULL, *node, *repl = NULL;
    int n = index;
    char *body;

    assert_non_null(root);
    node = nth(root, NULL, &n, &parent);
    assert_non_null(node);
    if (parent && how == 0) {
        cJSON_Delete(cJSON_DetachItemViaPointer(parent, node));
    } else if (parent) {
        repl = how == 1   ? cJSON_CreateString("x")
               : how == 2 ? cJSON_CreateNumber(1.5)
                          : cJSON_CreateObject();
        assert_true(cJSON_ReplaceItemViaPointer(parent, node, repl));
    }
    body = cJSON_PrintUnformatted(root);
    assert_non_null(body);
    decode(body, strlen(body));
    free(body);
    cJSON_Delete(root);
}

static void run_fixture(const char *fixture, decode_fn decode)
{
    size_t len;
    char *body = fixture_load(fixture, &len);
    cJSON *root = cJSON_ParseWithLength(body, len), *parent;
    int i, how, n;

    assert_non_null(root);
    if (decode(body, len) != 0)
        fail_msg("%s does not decode as it is", fixture);
    for (i = 1;; i++) {
        n = i;
        if (!nth(root, NULL, &n, &parent))
            break;
        for (how = 0; how < 4; how++)
            mutate_and_decode(root, i, how, decode);
    }
    cJSON_Delete(root);
    free(body);
}

static void test_mutations(void **state)
{
    static const struct {
        const char *fixture;
        decode_fn decode;
    } cases[] = {
        {"quote.json", quote},
        {"cart.json", cart},
        {"cart_coupon_invalid.json", cart},
        {"checkout.json", checkout},
        {"payment_requires_action.json", payment},
        {"order.json", order},
        {"orders_page.json", orders},
        {"service_cancelling.json", service},
        {"services_page.json", services},
        {"invoice_refunded.json", invoice},
        {"invoice_deposit.json", invoice},
        {"invoices_page.json", invoices},
        {"credits.json", credits},
        {"ledger.json", ledger},
        {"user.json", user},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_fixture(cases[i].fixture, cases[i].decode);
}

/* Dropping what the screens cannot do without is refused, naming the field. */
static void test_required(void **state)
{
    static const struct {
        const char *fixture;
        decode_fn decode;
        const char *drop; /* a member of data */
    } cases[] = {
        {"cart.json", cart, "version"},
        {"cart.json", cart, "totals"},
        {"checkout.json", checkout, "payment"},
        {"payment_paid.json", payment, "status"},
        {"order.json", order, "number"},
        {"service_cancelling.json", service, "status"},
        {"invoice_deposit.json", invoice, "amount_due"},
        {"credits.json", credits, "balance"},
    };
    size_t i, len;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = fixture_load(cases[i].fixture, &len), *out;
        cJSON *root = cJSON_ParseWithLength(body, len);

        cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItem(root, "data"), cases[i].drop);
        out = cJSON_PrintUnformatted(root);
        if (cases[i].decode(out, strlen(out)) == 0)
            fail_msg("%s without data.%s decoded", cases[i].fixture, cases[i].drop);
        free(out);
        cJSON_Delete(root);
        free(body);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_required),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
