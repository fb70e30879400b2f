/* handlers_services.c: the customer's services: list, detail, cancellation, early renewal. */
#include "billing/handlers_lifecycle.h"

#include <stdio.h>
#include <string.h>

#include "billing/app.h"
#include "billing/cancellation.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/idempotency.h"
#include "billing/invoice.h"
#include "billing/lifecycle.h"
#include "billing/renewal.h"
#include "billing/service.h"
#include "billing/settings.h"

#define REASON_MAX 1000 /* characters */

static const char *const service_statuses[] = {"pending",   "active",     "suspended",
                                               "cancelled", "terminated", NULL};

void handle_services(struct request *req, struct reply *rep)
{
    struct settings set;
    const char *status;
    int64_t page, per_page, total = 0;
    cJSON *items = NULL;
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn;

    if (!lifecycle_list_query(req, rep, service_statuses, &page, &per_page, &status))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0)
        err = lifecycle_service_list(conn, &set, req->user_id, status, per_page,
                                     (page - 1) * per_page, &items, &total);
    db_release(req->app->db);
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}

/* Answers with the service's ServiceDetail (status 200 or 201), or the right error. */
static void service_reply(sqlite3 *conn, struct reply *rep, const struct settings *set, int64_t id,
                          int64_t user_id, unsigned status)
{
    cJSON *svc = lifecycle_service_detail_json(conn, set, id, user_id);

    if (svc)
        reply_data(rep, status, svc);
    else
        reply_error(rep, API_ERR_INTERNAL, NULL);
}

/* Loads the caller's service; false after answering 404 (or 500). */
static bool service_own(sqlite3 *conn, struct reply *rep, int64_t id, int64_t user_id,
                        struct service *svc)
{
    enum api_error err = service_load(conn, id, user_id, svc);

    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No service with id '%lld'.", (long long)id);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    return err == API_OK;
}

static void service_status_error(struct reply *rep, const struct service *svc, const char *what)
{
    reply_field(rep, "status", svc->status);
    reply_error(rep, API_ERR_INVALID_STATUS, "The service is %s%s.", svc->status, what);
}

void handle_service(struct request *req, struct reply *rep)
{
    struct settings set;
    struct service svc = {0};
    int64_t id;
    sqlite3 *conn;

    if (!lifecycle_path_id(req, rep, "service", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else if (service_own(conn, rep, id, req->user_id, &svc))
        service_reply(conn, rep, &set, id, req->user_id, 200);
    service_row_clear(&svc);
    db_release(req->app->db);
}

/* Well-formed UTF-8 without NUL, at most `max` characters. */
static bool reason_ok(const unsigned char *s, size_t max)
{
    size_t chars = 0;

    while (*s) {
        size_t n = *s < 0x80             ? 1
                   : (*s & 0xE0) == 0xC0 ? 2
                   : (*s & 0xF0) == 0xE0 ? 3
                   : (*s & 0xF8) == 0xF0 ? 4
                                         : 0;
        unsigned cp;

        if (n == 0)
            return false;
        cp = n == 1 ? *s : *s & (0x7F >> n);
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3F);
        }
        /* Overlong forms, surrogates and beyond U+10FFFF are not text. */
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        s += n;
        if (++chars > max)
            return false;
    }
    return true;
}

/* The body {type, reason}; false after answering 422. */
static bool cancellation_body(const struct request *req, struct reply *rep, bool *immediate,
                              const char **reason)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(req->json, "type");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(req->json, "reason");

    if (!type || cJSON_IsNull(type))
        reply_field(rep, "type", "is required");
    else if (!cJSON_IsString(type) || (strcmp(type->valuestring, "end_of_period") != 0 &&
                                       strcmp(type->valuestring, "immediate") != 0))
        reply_field(rep, "type", "must be end_of_period or immediate");
    else
        *immediate = strcmp(type->valuestring, "immediate") == 0;
    *reason = NULL;
    if (why && !cJSON_IsString(why))
        reply_field(rep, "reason", "must be a string");
    else if (why && !reason_ok((const unsigned char *)why->valuestring, REASON_MAX))
        reply_field(rep, "reason", "must be text of at most 1000 characters");
    else if (why)
        *reason = why->valuestring;
    if (!reply_has_fields(rep))
        return true;
    reply_validation(rep);
    return false;
}

static void cancellation_pending_error(sqlite3 *conn, struct reply *rep, int64_t id)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT effective_date FROM service_cancellations"
                                        " WHERE service_id = ?");
    char date[DATE_CHARS] = "";

    if (st) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(date, sizeof date, "%s", db_text(st, 0));
        db_finalize(st);
    }
    reply_error(rep, API_ERR_CANCELLATION_PENDING,
                "A cancellation is already scheduled for %s; withdraw it first to change it.",
                date);
}

void handle_service_cancel(struct request *req, struct reply *rep)
{
    struct settings set;
    struct service svc = {0};
    const char *reason = NULL;
    bool immediate = false;
    int64_t id, now = clock_now(req->app);
    enum api_error err;
    sqlite3 *conn;

    if (!lifecycle_path_id(req, rep, "service", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    if (!service_own(conn, rep, id, req->user_id, &svc) ||
        !cancellation_body(req, rep, &immediate, &reason))
        goto done;
    if (db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    err = cancellation_request(conn, &svc, immediate, reason, now);
    if (err == API_OK && db_commit(conn) != 0)
        err = API_ERR_INTERNAL;
    db_rollback(conn);
    if (err == API_OK)
        service_reply(conn, rep, &set, id, req->user_id, 201);
    else if (err == API_ERR_INVALID_STATUS)
        service_status_error(rep, &svc, " and cannot be cancelled");
    else if (err == API_ERR_CANCELLATION_PENDING)
        cancellation_pending_error(conn, rep, id);
    else
        reply_error(rep, err, NULL);
done:
    service_row_clear(&svc);
    db_release(req->app->db);
}

void handle_service_cancel_withdraw(struct request *req, struct reply *rep)
{
    struct settings set;
    struct service svc = {0};
    int64_t id, now = clock_now(req->app);
    enum api_error err;
    sqlite3 *conn;

    if (!lifecycle_path_id(req, rep, "service", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    if (!service_own(conn, rep, id, req->user_id, &svc))
        goto done;
    if (db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    err = cancellation_withdraw(conn, &svc, now);
    if (err == API_OK && db_commit(conn) != 0)
        err = API_ERR_INTERNAL;
    db_rollback(conn);
    if (err == API_OK)
        service_reply(conn, rep, &set, id, req->user_id, 200);
    else if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "Service %lld has no pending cancellation.", (long long)id);
    else
        reply_error(rep, err, NULL);
done:
    service_row_clear(&svc);
    db_release(req->app->db);
}

/* The renewal itself, inside the request's transaction: the reply is the invoice or why not. */
static void service_renew(sqlite3 *conn, struct request *req, struct reply *rep,
                          const struct settings *set, int64_t id)
{
    struct service svc = {0};
    int64_t invoice_id = 0;
    char start[DATE_CHARS], value[24];
    enum api_error err;

    if (!service_own(conn, rep, id, req->user_id, &svc))
        return;
    err = renewal_issue(conn, set, &svc, clock_now(req->app), &invoice_id);
    if (err == API_OK) {
        reply_data(rep, 201, invoice_json(conn, set, invoice_id, req->user_id));
    } else if (err == API_ERR_RENEWAL_EXISTS) {
        date_format(svc.next_due, start);
        snprintf(value, sizeof value, "%lld", (long long)invoice_id);
        reply_field(rep, "invoice_id", value);
        reply_error(rep, err, "The renewal invoice for the period starting %s already exists.",
                    start);
    } else if (err == API_ERR_INVALID_STATUS) {
        service_status_error(rep, &svc,
                             !service_is_live(&svc)        ? ""
                             : !service_is_recurring(&svc) ? " and billed once, not renewed"
                             : svc.cancellation_pending    ? " and has a pending cancellation"
                                                           : " and not renewable yet");
    } else {
        reply_error(rep, err, NULL);
    }
    service_row_clear(&svc);
}

void handle_service_renew(struct request *req, struct reply *rep)
{
    struct settings set;
    int64_t id;
    sqlite3 *conn;

    if (!lifecycle_path_id(req, rep, "service", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        goto done;
    }
    /* The key is checked and its answer stored in the renewal's own transaction: a retry sees
     * either nothing or the finished renewal. */
    if (idempotency_check(conn, req, rep, true) != IDEM_PROCEED) {
        /* The contract has no 422 here: a key that is not a key is as good as none. */
        if (rep->status == 422) {
            reply_clear(rep);
            reply_field(rep, "Idempotency-Key", "must be 1 to 255 visible ASCII characters");
            reply_error(rep, API_ERR_IDEMPOTENCY_KEY_REQUIRED,
                        "Send an Idempotency-Key of 1 to 255 visible ASCII characters.");
        }
    } else {
        service_renew(conn, req, rep, &set, id);
        if (rep->status >= 500 || idempotency_store(conn, req, rep) != 0 || db_commit(conn) != 0) {
            db_rollback(conn);
            if (rep->status < 500)
                reply_error(rep, API_ERR_INTERNAL, NULL);
        }
    }
    db_rollback(conn);
done:
    db_release(req->app->db);
}
