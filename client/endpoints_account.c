/* endpoints_account.c: the account's orders, services, invoices and credits, sign-out and "me"
 * as typed requests. */
#include "client/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

DEFINE_FINISH(finish_orders, struct order_page, decode_orders, order_page_free, client_orders_cb)
DEFINE_FINISH(finish_order, struct order, decode_order, order_free, client_order_cb)
DEFINE_FINISH(finish_services, struct service_page, decode_services, service_page_free,
              client_services_cb)
DEFINE_FINISH(finish_service, struct service, decode_service, service_free, client_service_cb)
DEFINE_FINISH(finish_invoices, struct invoice_page, decode_invoices, invoice_page_free,
              client_invoices_cb)
DEFINE_FINISH(finish_invoice, struct invoice, decode_invoice, invoice_free, client_invoice_cb)
DEFINE_FINISH(finish_credits, struct credits, decode_credits, credits_free, client_credits_cb)
DEFINE_FINISH(finish_ledger, struct ledger_page, decode_ledger, ledger_page_free, client_ledger_cb)
DEFINE_FINISH(finish_user, struct auth_user, decode_user, auth_user_free, client_user_cb)

/* Sign-out answers 204 with no body: only the status matters. A revoked session is over here too,
 * so the tokens go before the caller hears of it. */
static void finish_logout(struct call *r, const char *body, size_t len, struct client_error *err)
{
    if (body)
        client_store_tokens(r->client, NULL, NULL, true);
    if (r->cb)
        ((client_done_cb)r->cb)(r->ud, err);
}

/* "<base>?status=..&page=..&per_page=.."; NULL when out of memory. */
static char *list_path(const char *base, const struct list_query *q, bool with_status)
{
    size_t cap = strlen(base) + 64;
    char *path;

    if (q && with_status && q->status)
        cap += 3 * strlen(q->status) + 16;
    if (!(path = malloc(cap)))
        return NULL;
    strcpy(path, base);
    if (q && with_status && q->status && q->status[0])
        endpoint_query_add(path, "status", q->status);
    if (q)
        endpoint_query_paging(path, q->page, q->per_page);
    return path;
}

static uint64_t start_list(struct client *c, const char *base, const struct list_query *q,
                           bool with_status, call_finish_fn finish, void (*cb)(void), void *ud)
{
    char *path = list_path(base, q, with_status);
    uint64_t id;

    if (!path)
        return 0;
    id = endpoint_start(c, "GET", path, NULL, finish, cb, ud);
    free(path);
    return id;
}

/* "<base>/<id><tail>": 0 for an id that is not positive. */
static uint64_t start_id(struct client *c, const char *method, const char *base, int64_t id,
                         const char *tail, char *body, const char *idempotency_key,
                         call_finish_fn finish, void (*cb)(void), void *ud)
{
    char path[128];

    if (id <= 0) {
        free(body);
        return 0;
    }
    snprintf(path, sizeof(path), "%s/%" PRId64 "%s", base, id, tail);
    return endpoint_start_with(c, method, path, body, NULL, idempotency_key, finish, cb, ud);
}

uint64_t client_get_me(struct client *c, client_user_cb cb, void *ud)
{
    return endpoint_start(c, "GET", "/auth/me", NULL, finish_user, (void (*)(void))cb, ud);
}

uint64_t client_logout(struct client *c, client_done_cb cb, void *ud)
{
    return endpoint_start(c, "POST", "/auth/logout", NULL, finish_logout, (void (*)(void))cb, ud);
}

uint64_t client_get_orders(struct client *c, const struct list_query *q, client_orders_cb cb,
                           void *ud)
{
    return start_list(c, "/billing/orders", q, true, finish_orders, (void (*)(void))cb, ud);
}

uint64_t client_get_order(struct client *c, int64_t order_id, client_order_cb cb, void *ud)
{
    return start_id(c, "GET", "/billing/orders", order_id, "", NULL, NULL, finish_order,
                    (void (*)(void))cb, ud);
}

uint64_t client_get_services(struct client *c, const struct list_query *q, client_services_cb cb,
                             void *ud)
{
    return start_list(c, "/billing/services", q, true, finish_services, (void (*)(void))cb, ud);
}

uint64_t client_get_service(struct client *c, int64_t service_id, client_service_cb cb, void *ud)
{
    return start_id(c, "GET", "/billing/services", service_id, "", NULL, NULL, finish_service,
                    (void (*)(void))cb, ud);
}

uint64_t client_request_cancellation(struct client *c, int64_t service_id,
                                     enum cancellation_type type, const char *reason,
                                     client_service_cb cb, void *ud)
{
    cJSON *obj;

    if ((unsigned)type >= CANCELLATION_TYPE_COUNT)
        return 0;
    obj = cJSON_CreateObject();
    if (obj && (!cJSON_AddStringToObject(obj, "type", cancellation_type_str(type)) ||
                (reason && reason[0] && !cJSON_AddStringToObject(obj, "reason", reason)))) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    if (!obj)
        return 0;
    return start_id(c, "POST", "/billing/services", service_id, "/cancellation", endpoint_json(obj),
                    NULL, finish_service, (void (*)(void))cb, ud);
}

uint64_t client_withdraw_cancellation(struct client *c, int64_t service_id, client_service_cb cb,
                                      void *ud)
{
    return start_id(c, "DELETE", "/billing/services", service_id, "/cancellation", NULL, NULL,
                    finish_service, (void (*)(void))cb, ud);
}

uint64_t client_renew_service(struct client *c, int64_t service_id, const char *idempotency_key,
                              client_invoice_cb cb, void *ud)
{
    if (!header_value_ok(idempotency_key))
        return 0;
    return start_id(c, "POST", "/billing/services", service_id, "/renewals", NULL, idempotency_key,
                    finish_invoice, (void (*)(void))cb, ud);
}

uint64_t client_get_invoices(struct client *c, const struct list_query *q, client_invoices_cb cb,
                             void *ud)
{
    return start_list(c, "/billing/invoices", q, true, finish_invoices, (void (*)(void))cb, ud);
}

uint64_t client_get_invoice(struct client *c, int64_t invoice_id, client_invoice_cb cb, void *ud)
{
    return start_id(c, "GET", "/billing/invoices", invoice_id, "", NULL, NULL, finish_invoice,
                    (void (*)(void))cb, ud);
}

uint64_t client_get_credits(struct client *c, client_credits_cb cb, void *ud)
{
    return endpoint_start(c, "GET", "/billing/credits", NULL, finish_credits, (void (*)(void))cb,
                          ud);
}

uint64_t client_get_ledger(struct client *c, const struct list_query *q, client_ledger_cb cb,
                           void *ud)
{
    return start_list(c, "/billing/credits/transactions", q, false, finish_ledger,
                      (void (*)(void))cb, ud);
}

uint64_t client_create_deposit(struct client *c, const struct money *amount,
                               const char *idempotency_key, client_invoice_cb cb, void *ud)
{
    cJSON *obj, *money;

    if (idempotency_key && !header_value_ok(idempotency_key))
        return 0;
    if (!amount || amount->amount <= 0 || !(money = endpoint_money_json(amount)))
        return 0;
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddItemToObject(obj, "amount", money)) {
        cJSON_Delete(money);
        cJSON_Delete(obj);
        return 0;
    }
    return endpoint_start_with(c, "POST", "/billing/credits/deposits", endpoint_json(obj), NULL,
                               idempotency_key, finish_invoice, (void (*)(void))cb, ud);
}
