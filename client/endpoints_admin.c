/* endpoints_admin.c: the operator endpoints (/admin/...) as typed requests, and API-key sign-in. */
#include "client/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/types_admin.h"

DEFINE_FINISH(finish_users, struct admin_user_page, decode_admin_users, admin_user_page_free,
              client_admin_users_cb)
DEFINE_FINISH(finish_user, struct admin_user, decode_admin_user, admin_user_free,
              client_admin_user_cb)
DEFINE_FINISH(finish_services, struct service_page, decode_services, service_page_free,
              client_services_cb)
DEFINE_FINISH(finish_service, struct service, decode_service, service_free, client_service_cb)
DEFINE_FINISH(finish_invoices, struct invoice_page, decode_invoices, invoice_page_free,
              client_invoices_cb)
DEFINE_FINISH(finish_invoice, struct invoice, decode_invoice, invoice_free, client_invoice_cb)
DEFINE_FINISH(finish_orders, struct order_page, decode_orders, order_page_free, client_orders_cb)
DEFINE_FINISH(finish_order, struct order, decode_order, order_free, client_order_cb)
DEFINE_FINISH(finish_credits, struct credits, decode_credits, credits_free, client_credits_cb)
DEFINE_FINISH(finish_ledger, struct ledger_page, decode_ledger, ledger_page_free, client_ledger_cb)
DEFINE_FINISH(finish_credit_tx, struct credit_tx, decode_credit_tx, credit_tx_free,
              client_credit_tx_cb)
DEFINE_FINISH(finish_audit, struct audit_page, decode_audit_log, audit_page_free, client_audit_cb)

/* The refund's answer says whether it replays an earlier one: the caller shows it as done once. */
static void finish_refund(struct call *r, const char *body, size_t len, struct client_error *err)
{
    struct refund_result *value = NULL;
    long http = err->http_status;

    if (body && decode_refund_result(body, len, &value, err) < 0)
        value = NULL;
    err->http_status = http;
    if (value)
        value->replayed = r->resp_headers.replayed;
    if (r->cb)
        ((client_refund_cb)r->cb)(r->ud, value, err);
    else
        refund_result_free(&value);
}

bool client_api_key_valid(const char *key)
{
    if (!key || strncmp(key, "bp_", 3) != 0 || strlen(key) != CLIENT_API_KEY_LEN)
        return false;
    for (const char *p = key + 3; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

int client_use_api_key(struct client *c, const char *key)
{
    if (!c || !client_api_key_valid(key))
        return -1;
    /* A key rides where an access token would; with no refresh token a 401 ends the session. */
    client_store_tokens(c, key, NULL, false);
    return 0;
}

/* A reason at all: an empty one is refused here, before anything is sent. The server checks the
 * length (1..1000 characters; 4000 bytes is the most 1000 UTF-8 characters take). */
static bool reason_ok(const char *reason)
{
    return reason && reason[0] && strlen(reason) <= 4000;
}

/* "<path>?q=..&status=..&page=..&per_page=.."; NULL when out of memory. */
static char *query_path(const char *base, const char *q, const char *status, int page, int per_page)
{
    size_t cap =
        strlen(base) + 64 + (q ? 3 * strlen(q) + 8 : 0) + (status ? 3 * strlen(status) + 16 : 0);
    char *path = malloc(cap);

    if (!path)
        return NULL;
    strcpy(path, base);
    if (q && q[0])
        endpoint_query_add(path, "q", q);
    if (status && status[0])
        endpoint_query_add(path, "status", status);
    endpoint_query_paging(path, page, per_page);
    return path;
}

static uint64_t start_get(struct client *c, const char *path, call_finish_fn finish,
                          void (*cb)(void), void *ud)
{
    uint64_t id;

    if (!path)
        return 0;
    id = endpoint_start(c, "GET", path, NULL, finish, cb, ud);
    free((char *)path);
    return id;
}

/* GET /admin/users/{id}<tail> with a list query. */
static uint64_t start_user_list(struct client *c, int64_t user_id, const char *tail,
                                const struct list_query *q, bool with_status, call_finish_fn finish,
                                void (*cb)(void), void *ud)
{
    char base[96];

    if (user_id <= 0)
        return 0;
    snprintf(base, sizeof(base), "/admin/users/%" PRId64 "%s", user_id, tail);
    return start_get(c,
                     query_path(base, NULL, q && with_status ? q->status : NULL, q ? q->page : 0,
                                q ? q->per_page : 0),
                     finish, cb, ud);
}

/* POST {"reason": ...} to /admin/<kind>/{id}/<verb>. */
static uint64_t start_reason(struct client *c, const char *kind, int64_t id, const char *verb,
                             const char *reason, call_finish_fn finish, void (*cb)(void), void *ud)
{
    char path[128];
    cJSON *obj;

    if (id <= 0 || !reason_ok(reason))
        return 0;
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddStringToObject(obj, "reason", reason)) {
        cJSON_Delete(obj);
        return 0;
    }
    snprintf(path, sizeof(path), "/admin/%s/%" PRId64 "/%s", kind, id, verb);
    return endpoint_start(c, "POST", path, endpoint_json(obj), finish, cb, ud);
}

uint64_t client_admin_search_users(struct client *c, const struct admin_user_query *q,
                                   client_admin_users_cb cb, void *ud)
{
    return start_get(
        c, query_path("/admin/users", q ? q->q : NULL, NULL, q ? q->page : 0, q ? q->per_page : 0),
        finish_users, (void (*)(void))cb, ud);
}

uint64_t client_admin_get_user(struct client *c, int64_t user_id, client_admin_user_cb cb, void *ud)
{
    char path[64];

    if (user_id <= 0)
        return 0;
    snprintf(path, sizeof(path), "/admin/users/%" PRId64, user_id);
    return endpoint_start(c, "GET", path, NULL, finish_user, (void (*)(void))cb, ud);
}

uint64_t client_admin_get_user_services(struct client *c, int64_t user_id,
                                        const struct list_query *q, client_services_cb cb, void *ud)
{
    return start_user_list(c, user_id, "/services", q, true, finish_services, (void (*)(void))cb,
                           ud);
}

uint64_t client_admin_get_user_invoices(struct client *c, int64_t user_id,
                                        const struct list_query *q, client_invoices_cb cb, void *ud)
{
    return start_user_list(c, user_id, "/invoices", q, true, finish_invoices, (void (*)(void))cb,
                           ud);
}

uint64_t client_admin_get_user_orders(struct client *c, int64_t user_id, const struct list_query *q,
                                      client_orders_cb cb, void *ud)
{
    return start_user_list(c, user_id, "/orders", q, true, finish_orders, (void (*)(void))cb, ud);
}

uint64_t client_admin_get_user_credits(struct client *c, int64_t user_id, client_credits_cb cb,
                                       void *ud)
{
    return start_user_list(c, user_id, "/credits", NULL, false, finish_credits, (void (*)(void))cb,
                           ud);
}

uint64_t client_admin_get_user_ledger(struct client *c, int64_t user_id, const struct list_query *q,
                                      client_ledger_cb cb, void *ud)
{
    return start_user_list(c, user_id, "/credits/transactions", q, false, finish_ledger,
                           (void (*)(void))cb, ud);
}

uint64_t client_admin_get_invoice(struct client *c, int64_t invoice_id, client_invoice_cb cb,
                                  void *ud)
{
    char path[64];

    if (invoice_id <= 0)
        return 0;
    snprintf(path, sizeof(path), "/admin/invoices/%" PRId64, invoice_id);
    return endpoint_start(c, "GET", path, NULL, finish_invoice, (void (*)(void))cb, ud);
}

uint64_t client_admin_get_orders(struct client *c, const struct list_query *q, client_orders_cb cb,
                                 void *ud)
{
    return start_get(c,
                     query_path("/admin/orders", NULL, q ? q->status : NULL, q ? q->page : 0,
                                q ? q->per_page : 0),
                     finish_orders, (void (*)(void))cb, ud);
}

uint64_t client_admin_adjust_credits(struct client *c, int64_t user_id, const struct money *amount,
                                     const char *reason, const char *idempotency_key,
                                     client_credit_tx_cb cb, void *ud)
{
    char path[64];
    cJSON *obj, *money;

    if (user_id <= 0 || !reason_ok(reason) || !header_value_ok(idempotency_key) || !amount ||
        amount->amount == 0 || !(money = endpoint_money_json(amount)))
        return 0;
    obj = cJSON_CreateObject();
    if (!obj || !cJSON_AddItemToObject(obj, "amount", money)) {
        cJSON_Delete(money);
        cJSON_Delete(obj);
        return 0;
    }
    if (!cJSON_AddStringToObject(obj, "reason", reason)) {
        cJSON_Delete(obj);
        return 0;
    }
    snprintf(path, sizeof(path), "/admin/users/%" PRId64 "/credits", user_id);
    return endpoint_start_with(c, "POST", path, endpoint_json(obj), NULL, idempotency_key,
                               finish_credit_tx, (void (*)(void))cb, ud);
}

uint64_t client_admin_refund_invoice(struct client *c, int64_t invoice_id,
                                     const struct admin_refund_request *r, client_refund_cb cb,
                                     void *ud)
{
    char path[64];
    cJSON *obj, *money = NULL;

    if (invoice_id <= 0 || !r || !reason_ok(r->reason) || !header_value_ok(r->idempotency_key))
        return 0;
    if (!r->full && (r->amount.amount <= 0 || !(money = endpoint_money_json(&r->amount))))
        return 0;
    obj = cJSON_CreateObject();
    if (!obj || (money && !cJSON_AddItemToObject(obj, "amount", money))) {
        cJSON_Delete(money);
        cJSON_Delete(obj);
        return 0;
    }
    if (!cJSON_AddStringToObject(obj, "reason", r->reason) ||
        !cJSON_AddBoolToObject(obj, "to_credits", r->to_credits)) {
        cJSON_Delete(obj);
        return 0;
    }
    snprintf(path, sizeof(path), "/admin/invoices/%" PRId64 "/refunds", invoice_id);
    return endpoint_start_with(c, "POST", path, endpoint_json(obj), NULL, r->idempotency_key,
                               finish_refund, (void (*)(void))cb, ud);
}

uint64_t client_admin_suspend_service(struct client *c, int64_t service_id, const char *reason,
                                      client_service_cb cb, void *ud)
{
    return start_reason(c, "services", service_id, "suspend", reason, finish_service,
                        (void (*)(void))cb, ud);
}

uint64_t client_admin_unsuspend_service(struct client *c, int64_t service_id, const char *reason,
                                        client_service_cb cb, void *ud)
{
    return start_reason(c, "services", service_id, "unsuspend", reason, finish_service,
                        (void (*)(void))cb, ud);
}

uint64_t client_admin_approve_order(struct client *c, int64_t order_id, const char *reason,
                                    client_order_cb cb, void *ud)
{
    return start_reason(c, "orders", order_id, "approve", reason, finish_order, (void (*)(void))cb,
                        ud);
}

uint64_t client_admin_release_payment(struct client *c, int64_t payment_id, const char *reason,
                                      client_invoice_cb cb, void *ud)
{
    return start_reason(c, "payments", payment_id, "release", reason, finish_invoice,
                        (void (*)(void))cb, ud);
}

uint64_t client_admin_get_audit_log(struct client *c, const struct audit_query *q,
                                    client_audit_cb cb, void *ud)
{
    char num[24];
    char *path = query_path("/admin/audit-log", NULL, NULL, 0, 0);
    char *full;

    if (!path)
        return 0;
    if (!q)
        return start_get(c, path, finish_audit, (void (*)(void))cb, ud);
    full = malloc(strlen(path) + 160 + (q->target_type ? 3 * strlen(q->target_type) : 0));
    if (!full) {
        free(path);
        return 0;
    }
    strcpy(full, path);
    free(path);
    if (q->actor_id > 0) {
        snprintf(num, sizeof(num), "%" PRId64, q->actor_id);
        endpoint_query_add(full, "actor_id", num);
    }
    if (q->target_type && q->target_type[0])
        endpoint_query_add(full, "target_type", q->target_type);
    if (q->target_id > 0) {
        snprintf(num, sizeof(num), "%" PRId64, q->target_id);
        endpoint_query_add(full, "target_id", num);
    }
    endpoint_query_paging(full, q->page, q->per_page);
    return start_get(c, full, finish_audit, (void (*)(void))cb, ud);
}
