/* handlers_changes.c: changes of a service's plan: the quote, the change (replayable by its
 * Idempotency-Key, refused when the total differs from the one quoted), its withdrawal, and the
 * operators' view and reversal. */
#include "billing/handlers_lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/handlers_admin.h"
#include "billing/idempotency.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/money.h"
#include "billing/operator.h"
#include "billing/plan_change.h"

#define LIST_MAX 100

/* The refusal of a quote or change that failed with err (fields already in rep). */
static void change_refusal(struct reply *rep, enum api_error err, const struct service *svc)
{
    if (err == API_ERR_VALIDATION_FAILED) {
        reply_validation(rep);
    } else if (err == API_ERR_INVALID_STATUS) {
        reply_field(rep, "status", svc->status);
        reply_error(rep, err,
                    !service_is(svc, "active")   ? "Only an active service's plan can change."
                    : !service_is_recurring(svc) ? "A one-time service has no plan to change."
                    : svc->cancellation_pending  ? "The service has a pending cancellation."
                                                 : "The service's current period has not "
                                                   "begun or is unpaid; change it once it is "
                                                   "running.");
    } else if (err == API_ERR_OUT_OF_STOCK) {
        reply_field(rep, "product_id", "is out of stock");
        reply_error(rep, err, "That product is out of stock.");
    } else if (err == API_ERR_CHANGE_PENDING) {
        reply_error(rep, err,
                    "This service already has a plan change waiting; pay or cancel it "
                    "first.");
    } else {
        reply_error(rep, err, NULL);
    }
}

static bool change_use_credits(const cJSON *body, struct reply *rep, bool *use)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "use_credits");

    *use = !v || cJSON_IsTrue(v);
    if (v && !cJSON_IsBool(v))
        reply_field(rep, "use_credits", "must be true or false");
    return !v || cJSON_IsBool(v);
}

/* Parses the target and prices it for the caller's service; false after answering. */
static bool change_price(struct request *req, struct reply *rep, sqlite3 *conn,
                         const struct settings *set, int64_t id, struct service *svc,
                         struct plan_quote *q)
{
    struct plan_target t;
    cJSON *fields = cJSON_CreateObject(), *f;
    bool use_credits = true, ok;
    enum api_error err;

    if (!fields) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return false;
    }
    ok = plan_target_parse(req->json, &t, fields);
    ok = change_use_credits(req->json, rep, &use_credits) && ok;
    if ((err = service_load(conn, id, req->user_id, svc)) != API_OK) {
        cJSON_Delete(fields);
        reply_error(rep, err, err == API_ERR_NOT_FOUND ? "No service with id '%lld'." : NULL,
                    (long long)id);
        return false;
    }
    err = ok ? plan_change_quote(conn, set, svc, &t, use_credits, clock_now(req->app), fields, q)
             : API_ERR_VALIDATION_FAILED;
    cJSON_ArrayForEach(f, fields)
    {
        const cJSON *m;

        cJSON_ArrayForEach(m, f) reply_field(rep, f->string, m->valuestring);
    }
    cJSON_Delete(fields);
    if (err != API_OK)
        change_refusal(rep, err, svc);
    return err == API_OK;
}

void handle_service_change_quote(struct request *req, struct reply *rep)
{
    struct settings set;
    struct service svc = {0};
    struct plan_quote *q = calloc(1, sizeof *q);
    int64_t id;
    sqlite3 *conn;

    if (!q) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    if (!lifecycle_path_id(req, rep, "service", &id)) {
        free(q);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else if (change_price(req, rep, conn, &set, id, &svc, q))
        reply_data(rep, 200, plan_quote_json(conn, &set, q));
    db_release(req->app->db);
    service_row_clear(&svc);
    plan_quote_clear(q);
    free(q);
}

/* {change, invoice}: the PlanChangeResult. */
static cJSON *change_result(sqlite3 *conn, const struct settings *set, int64_t change_id,
                            int64_t user_id)
{
    cJSON *d = cJSON_CreateObject(), *c = plan_change_json(conn, set, change_id), *inv = NULL;
    int64_t invoice_id = 0;
    sqlite3_stmt *st;

    if (!d || !c || !cJSON_AddItemToObject(d, "change", c)) {
        cJSON_Delete(c);
        cJSON_Delete(d);
        return NULL;
    }
    if ((st = db_prepare(conn, "SELECT invoice_id FROM plan_changes WHERE id = ?"))) {
        sqlite3_bind_int64(st, 1, change_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            invoice_id = sqlite3_column_int64(st, 0);
        db_finalize(st);
    }
    if (invoice_id > 0)
        inv = invoice_json(conn, set, invoice_id, user_id);
    if (!cJSON_AddItemToObject(d, "invoice", inv ? inv : cJSON_CreateNull())) {
        cJSON_Delete(d);
        return NULL;
    }
    return d;
}

static bool change_expected(const cJSON *body, const struct settings *set, struct reply *rep,
                            int64_t *expected)
{
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(body, "expected_total");
    const cJSON *currency = cJSON_GetObjectItemCaseSensitive(total, "currency");

    if (!cJSON_IsObject(total))
        reply_field(rep, "expected_total", total ? "must be a Money object" : "is required");
    else if (!json_get_int(cJSON_GetObjectItemCaseSensitive(total, "amount"), expected) ||
             *expected < 0)
        reply_field(rep, "expected_total.amount", "must be a non-negative integer");
    else if (!cJSON_IsString(currency) || strcmp(currency->valuestring, set->currency_code) != 0)
        reply_field(rep, "expected_total.currency", "must be the store currency");
    return !reply_has_fields(rep);
}

/* The change, inside the request's transaction. */
static void change_make(struct request *req, struct reply *rep, sqlite3 *conn,
                        const struct settings *set, int64_t id)
{
    struct service svc = {0};
    struct plan_quote *q = calloc(1, sizeof *q);
    int64_t expected = -1, change_id = 0, total;
    char money[48], value[32];
    enum api_error err;

    if (!q) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    if (!change_expected(req->json, set, rep, &expected)) {
        /* Checked with the target, so that one answer lists every problem. */
        struct plan_target t;
        cJSON *fields = cJSON_CreateObject(), *f;

        if (fields && !plan_target_parse(req->json, &t, fields))
            cJSON_ArrayForEach(f, fields)
                reply_field(rep, f->string, cJSON_GetArrayItem(f, 0)->valuestring);
        cJSON_Delete(fields);
        reply_validation(rep);
        goto done;
    }
    if (!change_price(req, rep, conn, set, id, &svc, q))
        goto done;
    total = q->upgrade ? q->basket.totals.total : 0;
    if (total != expected) {
        snprintf(value, sizeof value, "%lld", (long long)total);
        reply_field(rep, "total", value);
        reply_field(rep, "currency", set->currency_code);
        reply_error(rep, API_ERR_PRICE_CHANGED,
                    "The change now costs %s. Review the quote and confirm again.",
                    billing_money_text(set, total, money, sizeof money));
        goto done;
    }
    err = plan_change_create(conn, set, q, req->user_id, clock_now(req->app), &change_id);
    if (err != API_OK)
        change_refusal(rep, err, &svc);
    else
        reply_data(rep, 201, change_result(conn, set, change_id, req->user_id));
done:
    service_row_clear(&svc);
    plan_quote_clear(q);
    free(q);
}

void handle_service_change_create(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t id;
    sqlite3 *conn;

    if (!lifecycle_path_id(req, rep, "service", &id))
        return;
    if (!request_header(req, "Idempotency-Key")) {
        reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REQUIRED, NULL);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    /* A retry replays the first answer: one change, one invoice. */
    if (idempotency_check(conn, req, rep, true) == IDEM_PROCEED) {
        change_make(req, rep, conn, &set, id);
        /* Only a change that happened is kept (with its key); a refusal changes nothing. */
        if (rep->status != 201 || idempotency_store(conn, req, rep) != 0 || db_commit(conn) != 0) {
            db_rollback(conn);
            if (rep->status == 201 || rep->status >= 500)
                reply_error(rep, API_ERR_INTERNAL, NULL);
        }
    }
    db_rollback(conn);
done:
    db_release(req->app->db);
}

/* The change `cid` of service `sid`, as its owner (user_id) or an operator (0) sees it; 0 when
 * there is none. */
static int64_t change_of(sqlite3 *conn, int64_t sid, int64_t cid, int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM plan_changes WHERE id = ?1 AND"
                                        " service_id = ?2 AND (?3 = 0 OR user_id = ?3)");
    int64_t id = 0;

    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, cid);
    sqlite3_bind_int64(st, 2, sid);
    sqlite3_bind_int64(st, 3, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return id;
}

/* Lists a service's changes for its owner (user_id) or an operator (0). */
static void change_list(struct request *req, struct reply *rep, int64_t id, int64_t user_id)
{
    struct settings set;
    struct service svc = {0};
    cJSON *items = NULL;
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn = db_acquire(req->app->db);

    if (settings_load(conn, &set) == 0 && (err = service_load(conn, id, user_id, &svc)) == API_OK)
        err = (items = plan_change_list_json(conn, &set, id)) ? API_OK : API_ERR_INTERNAL;
    db_release(req->app->db);
    service_row_clear(&svc);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No service with id '%lld'.", (long long)id);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, 1, LIST_MAX, cJSON_GetArraySize(items));
}

void handle_service_changes(struct request *req, struct reply *rep)
{
    int64_t id;

    if (lifecycle_path_id(req, rep, "service", &id))
        change_list(req, rep, id, req->user_id);
}

/* Withdraws or reverses change `cid` of service `sid` in one transaction; an operator's (actor
 * not 0) is audited with its reason. */
static void change_undo(struct request *req, struct reply *rep, int64_t sid, int64_t cid,
                        int64_t user_id, const char *reason)
{
    struct settings set;
    int64_t now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    cJSON *out = NULL;
    sqlite3 *conn = db_acquire(req->app->db);

    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0)
        goto done;
    if (!change_of(conn, sid, cid, user_id)) {
        err = API_ERR_NOT_FOUND;
        goto done;
    }
    err = reason ? plan_change_reverse(conn, cid, req->user_id, now)
                 : plan_change_cancel(conn, cid, now);
    if (err != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    if (reason && operator_audit(conn, req, "service.plan_change_reverse", "service", sid, reason,
                                 NULL, now) != 0)
        goto done;
    if ((out = plan_change_json(conn, &set, cid)) && db_commit(conn) == 0)
        err = API_OK;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_OK) {
        reply_data(rep, 200, out);
        return;
    }
    cJSON_Delete(out);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "Service %lld has no change %lld.", (long long)sid, (long long)cid);
    else if (err == API_ERR_INVALID_STATUS)
        reply_error(rep, err, "The change is no longer waiting; it cannot be withdrawn.");
    else if (err == API_ERR_OUT_OF_STOCK)
        reply_error(rep, err, "The plan the service had is out of stock.");
    else
        reply_error(rep, err, NULL);
}

void handle_service_change_cancel(struct request *req, struct reply *rep)
{
    int64_t sid, cid;

    if (req->n_params < 2 || !service_parse_id(req->params[0], &sid) ||
        !service_parse_id(req->params[1], &cid)) {
        reply_error(rep, API_ERR_NOT_FOUND, "No such plan change.");
        return;
    }
    change_undo(req, rep, sid, cid, req->user_id, NULL);
}

void handle_admin_service_changes(struct request *req, struct reply *rep)
{
    int64_t id;

    if (operator_path_id(req, rep, 0, "service", &id))
        change_list(req, rep, id, 0);
}

void handle_admin_service_change_reverse(struct request *req, struct reply *rep)
{
    const char *reason;
    int64_t sid, cid;

    if (!operator_path_id(req, rep, 0, "service", &sid) ||
        !operator_path_id(req, rep, 1, "plan change", &cid))
        return;
    if (!(reason = operator_reason(req, rep))) {
        reply_validation(rep);
        return;
    }
    change_undo(req, rep, sid, cid, 0, reason);
}
