/* handlers_admin_coupons.c: operators list, create, change and delete coupon codes; each change is
 * audited in the transaction that makes it. */
#include "billing/handlers_admin.h"

#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/coupon_admin.h"
#include "billing/db.h"
#include "billing/operator.h"

#define COUPONS_Q_MAX 100

/* Live coupons whose code or description holds ?1 (any case; NULL: all). */
#define COUPONS_MATCH                                                                              \
    " FROM coupons WHERE active = 1 AND (?1 IS NULL OR instr(lower(code), lower(?1)) > 0"          \
    " OR instr(lower(description), lower(?1)) > 0)"

static int64_t coupons_count(sqlite3 *conn, const char *q)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT COUNT(*)" COUPONS_MATCH);
    int64_t n = -1;

    if (!st)
        return -1;
    if (q)
        sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return n;
}

void handle_admin_coupons(struct request *req, struct reply *rep)
{
    const char *q = request_query(req, "q");
    struct settings set;
    int64_t page, per_page, total = 0;
    cJSON *items = NULL;
    sqlite3_stmt *st = NULL;
    bool ok = false;
    int rc;
    sqlite3 *conn;

    operator_paging(req, rep, &page, &per_page);
    if (q && strlen(q) > COUPONS_Q_MAX)
        reply_field(rep, "q", "must be at most 100 characters");
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    if (q && !*q)
        q = NULL;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) != 0 || (total = coupons_count(conn, q)) < 0 ||
        !(items = cJSON_CreateArray()) ||
        !(st = db_prepare(conn, "SELECT id" COUPONS_MATCH " ORDER BY id DESC LIMIT ?2 OFFSET ?3")))
        goto done;
    if (q)
        sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, per_page);
    sqlite3_bind_int64(st, 3, (page - 1) * per_page);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(items,
                                  coupon_admin_json(conn, &set, sqlite3_column_int64(st, 0))))
            goto done;
    ok = rc == SQLITE_DONE;
done:
    db_finalize(st);
    db_release(req->app->db);
    if (!ok) {
        cJSON_Delete(items);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_page(rep, items, page, per_page, total);
}

/* Creates (id 0) or changes a coupon from the body, audited; the reply is the Coupon. */
static void coupon_write(struct request *req, struct reply *rep, int64_t id)
{
    struct coupon_draft d = {0};
    struct settings set;
    enum api_error err = API_ERR_INTERNAL;
    int64_t now = clock_now(req->app);
    cJSON *coupon = NULL;
    sqlite3 *conn = db_acquire(req->app->db);

    if (settings_load(conn, &set) != 0 || db_begin(conn) != 0)
        goto done;
    if (id && (err = coupon_draft_load(conn, id, &d)) != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    if (id && !req->json->child)
        reply_field(rep, "coupon", "send at least one field to change");
    coupon_draft_apply(conn, &set, req->json, rep, &d);
    if (reply_has_fields(rep)) {
        err = API_ERR_VALIDATION_FAILED;
        goto done;
    }
    if ((err = coupon_draft_save(conn, &d, now)) != API_OK)
        goto done;
    err = API_ERR_INTERNAL;
    if (operator_audit(conn, req, id ? "coupon.update" : "coupon.create", "coupon", d.id, NULL,
                       req->json, now) != 0 ||
        !(coupon = coupon_admin_json(conn, &set, d.id)) || db_commit(conn) != 0)
        goto done;
    err = API_OK;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_OK) {
        reply_data(rep, id ? 200 : 201, coupon);
        coupon = NULL;
    } else if (err == API_ERR_VALIDATION_FAILED) {
        reply_validation(rep);
    } else if (err == API_ERR_ALREADY_EXISTS) {
        reply_field(rep, "code", "is already taken");
        reply_error(rep, err, "A coupon with the code %s already exists.", d.code);
    } else if (err == API_ERR_NOT_FOUND) {
        reply_error(rep, err, "No coupon with id %lld.", (long long)id);
    } else {
        reply_error(rep, err, NULL);
    }
    cJSON_Delete(coupon);
    coupon_draft_clear(&d);
}

void handle_admin_coupon_create(struct request *req, struct reply *rep)
{
    coupon_write(req, rep, 0);
}

void handle_admin_coupon_update(struct request *req, struct reply *rep)
{
    int64_t id;

    if (operator_path_id(req, rep, 0, "coupon", &id))
        coupon_write(req, rep, id);
}

void handle_admin_coupon_delete(struct request *req, struct reply *rep)
{
    enum api_error err = API_ERR_INTERNAL;
    int64_t id, now = clock_now(req->app);
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "coupon", &id))
        return;
    conn = db_acquire(req->app->db);
    if (db_begin(conn) == 0) {
        err = coupon_admin_delete(conn, id);
        if (err == API_OK &&
            (operator_audit(conn, req, "coupon.delete", "coupon", id, NULL, NULL, now) != 0 ||
             db_commit(conn) != 0))
            err = API_ERR_INTERNAL;
    }
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No coupon with id %lld.", (long long)id);
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_empty(rep, 204);
}
