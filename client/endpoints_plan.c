/* endpoints_plan.c: quoting, making, withdrawing and listing changes of a service's plan. */
#include "client/internal.h"
#include "client/types_plan.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

DEFINE_FINISH(finish_quote, struct plan_quote, decode_plan_quote, plan_quote_free,
              client_plan_quote_cb)
DEFINE_FINISH(finish_result, struct plan_change, decode_plan_change_result, plan_change_free,
              client_plan_change_cb)
DEFINE_FINISH(finish_change, struct plan_change, decode_plan_change, plan_change_free,
              client_plan_change_cb)
DEFINE_FINISH(finish_changes, struct plan_change_page, decode_plan_changes, plan_change_page_free,
              client_plan_changes_cb)

/* The target as a request body; NULL when out of memory. */
static cJSON *plan_body(const struct plan_target *t)
{
    cJSON *obj = cJSON_CreateObject(), *opts;

    if (!obj)
        return NULL;
    if ((t->product_id > 0 && !cJSON_AddNumberToObject(obj, "product_id", (double)t->product_id)) ||
        (t->cycle && !cJSON_AddStringToObject(obj, "cycle", t->cycle)))
        goto fail;
    if (t->n_options) {
        if (!(opts = cJSON_AddObjectToObject(obj, "options")))
            goto fail;
        for (size_t i = 0; i < t->n_options; i++)
            if (!cJSON_AddNumberToObject(opts, t->options[i].resource, (double)t->options[i].value))
                goto fail;
    }
    return obj;
fail:
    cJSON_Delete(obj);
    return NULL;
}

static uint64_t plan_start(struct client *c, const char *method, int64_t service_id,
                           const char *tail, char *body, const char *key, call_finish_fn finish,
                           void (*cb)(void), void *ud)
{
    char path[160];

    if (service_id <= 0) {
        free(body);
        return 0;
    }
    snprintf(path, sizeof(path), "/billing/services/%" PRId64 "%s", service_id, tail);
    return endpoint_start_with(c, method, path, body, NULL, key, finish, cb, ud);
}

uint64_t client_quote_plan_change(struct client *c, int64_t service_id, const struct plan_target *t,
                                  bool use_credits, client_plan_quote_cb cb, void *ud)
{
    cJSON *obj = t ? plan_body(t) : NULL;

    if (obj && !cJSON_AddBoolToObject(obj, "use_credits", use_credits)) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    if (!obj)
        return 0;
    return plan_start(c, "POST", service_id, "/change-quote", endpoint_json(obj), NULL,
                      finish_quote, (void (*)(void))cb, ud);
}

uint64_t client_change_plan(struct client *c, int64_t service_id, const struct plan_target *t,
                            const struct money *expected_total, const char *idempotency_key,
                            client_plan_change_cb cb, void *ud)
{
    cJSON *obj, *total;

    if (!t || !expected_total || !header_value_ok(idempotency_key) || !(obj = plan_body(t)))
        return 0;
    if (!(total = cJSON_AddObjectToObject(obj, "expected_total")) ||
        !cJSON_AddNumberToObject(total, "amount", (double)expected_total->amount) ||
        !cJSON_AddStringToObject(total, "currency", expected_total->currency)) {
        cJSON_Delete(obj);
        return 0;
    }
    return plan_start(c, "POST", service_id, "/changes", endpoint_json(obj), idempotency_key,
                      finish_result, (void (*)(void))cb, ud);
}

uint64_t client_withdraw_plan_change(struct client *c, int64_t service_id, int64_t change_id,
                                     client_plan_change_cb cb, void *ud)
{
    char tail[48];

    if (change_id <= 0)
        return 0;
    snprintf(tail, sizeof(tail), "/changes/%" PRId64, change_id);
    return plan_start(c, "DELETE", service_id, tail, NULL, NULL, finish_change, (void (*)(void))cb,
                      ud);
}

uint64_t client_get_plan_changes(struct client *c, int64_t service_id, client_plan_changes_cb cb,
                                 void *ud)
{
    return plan_start(c, "GET", service_id, "/changes", NULL, NULL, finish_changes,
                      (void (*)(void))cb, ud);
}
