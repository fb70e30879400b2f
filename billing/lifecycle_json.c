/* lifecycle_json.c: the contract's Service and ServiceDetail objects. */
#include "billing/lifecycle.h"

#include <string.h>

#include "billing/clock.h"
#include "billing/db.h"
#include "billing/invoice_list.h"
#include "billing/json_util.h"
#include "billing/service.h"
#include "billing/timestamp.h"

#define SERVICE_INVOICES 10

static const char *const resource_names[] = {"memory_mb", "disk_mb", "cpu_percent",
                                             "databases", "backups", "allocations"};
#define N_RESOURCES (sizeof resource_names / sizeof resource_names[0])

enum {
    COL_ID,
    COL_ORDER,
    COL_STATUS,
    COL_CYCLE,
    COL_OPTIONS,
    COL_RECURRING,
    COL_DUE,
    COL_SERVER_NAME,
    COL_SERVER_ADDRESS,
    COL_SERVER_NODE,
    COL_CREATED,
    COL_ACTIVATED,
    COL_PRODUCT_ID,
    COL_PRODUCT_SLUG,
    COL_PRODUCT_NAME,
    COL_CATEGORY_SLUG,
    COL_RESOURCES, /* the product's six resources, in resource_names order */
    COL_CANCEL_TYPE = COL_RESOURCES + N_RESOURCES,
    COL_CANCEL_REASON,
    COL_CANCEL_REQUESTED,
    COL_CANCEL_EFFECTIVE,
};

static cJSON *service_product(cJSON *svc, sqlite3_stmt *st)
{
    cJSON *p = cJSON_AddObjectToObject(svc, "product");

    if (!p || !json_add_int(p, "id", sqlite3_column_int64(st, COL_PRODUCT_ID)) ||
        !cJSON_AddStringToObject(p, "slug", db_text(st, COL_PRODUCT_SLUG)) ||
        !cJSON_AddStringToObject(p, "name", db_text(st, COL_PRODUCT_NAME)) ||
        !cJSON_AddStringToObject(p, "category_slug", db_text(st, COL_CATEGORY_SLUG)))
        return NULL;
    return p;
}

/* The chosen options, and what the server gets with them: the product's resources with each
 * configured one replaced by its chosen value. */
static bool service_options(cJSON *svc, sqlite3_stmt *st)
{
    cJSON *stored = cJSON_Parse(db_text(st, COL_OPTIONS));
    cJSON *opts = cJSON_AddObjectToObject(svc, "options");
    cJSON *res = opts ? cJSON_AddObjectToObject(svc, "resources") : NULL;
    bool ok = res != NULL;

    for (size_t i = 0; ok && i < N_RESOURCES; i++) {
        const cJSON *chosen = cJSON_GetObjectItemCaseSensitive(stored, resource_names[i]);
        int64_t v = sqlite3_column_int64(st, COL_RESOURCES + (int)i);
        int64_t picked;

        if (cJSON_IsObject(stored) && json_get_int(chosen, &picked) && picked >= 0) {
            ok = json_add_int(opts, resource_names[i], picked) != NULL;
            v = picked;
        }
        ok = ok && json_add_int(res, resource_names[i], v) != NULL;
    }
    cJSON_Delete(stored);
    return ok;
}

static cJSON *service_server(cJSON *svc, sqlite3_stmt *st)
{
    cJSON *srv;

    if (sqlite3_column_type(st, COL_SERVER_NAME) == SQLITE_NULL)
        return cJSON_AddNullToObject(svc, "server");
    if (!(srv = cJSON_AddObjectToObject(svc, "server")) ||
        !cJSON_AddStringToObject(srv, "name", db_text(st, COL_SERVER_NAME)) ||
        !cJSON_AddStringToObject(srv, "address", db_text(st, COL_SERVER_ADDRESS)) ||
        !cJSON_AddStringToObject(srv, "node", db_text(st, COL_SERVER_NODE)))
        return NULL;
    return srv;
}

static cJSON *service_cancellation(cJSON *svc, sqlite3_stmt *st)
{
    cJSON *c;
    struct date effective;
    int64_t requested = sqlite3_column_int64(st, COL_CANCEL_REQUESTED), at = requested;
    const char *reason = db_text(st, COL_CANCEL_REASON);

    if (sqlite3_column_type(st, COL_CANCEL_TYPE) == SQLITE_NULL)
        return cJSON_AddNullToObject(svc, "cancellation");
    /* At the start of its effective day, but never before it was asked for. */
    if (date_parse(db_text(st, COL_CANCEL_EFFECTIVE), &effective) &&
        date_to_unix(effective) > requested)
        at = date_to_unix(effective);
    if (!(c = cJSON_AddObjectToObject(svc, "cancellation")) ||
        !cJSON_AddStringToObject(c, "type", db_text(st, COL_CANCEL_TYPE)) ||
        !(*reason ? cJSON_AddStringToObject(c, "reason", reason)
                  : cJSON_AddNullToObject(c, "reason")) ||
        !json_add_timestamp(c, "requested_at", requested) ||
        !json_add_timestamp(c, "effective_at", at))
        return NULL;
    return c;
}

static cJSON *service_suspension(sqlite3 *conn, cJSON *svc, int64_t id, const char *status)
{
    char reason[1024];
    bool by_system;

    if (strcmp(status, "suspended") != 0)
        return cJSON_AddNullToObject(svc, "suspension_reason");
    if (service_suspension_reason(conn, id, reason, sizeof reason, &by_system) != 0)
        return NULL;
    if (!*reason)
        return cJSON_AddNullToObject(svc, "suspension_reason");
    return cJSON_AddStringToObject(svc, "suspension_reason", reason);
}

static cJSON *service_build(sqlite3 *conn, const char *cur, sqlite3_stmt *st)
{
    int64_t id = sqlite3_column_int64(st, COL_ID);
    const char *status = db_text(st, COL_STATUS);
    cJSON *svc = cJSON_CreateObject();

    if (!svc || !json_add_int(svc, "id", id) ||
        !json_add_int(svc, "order_id", sqlite3_column_int64(st, COL_ORDER)) ||
        !service_product(svc, st) || !cJSON_AddStringToObject(svc, "status", status) ||
        !cJSON_AddStringToObject(svc, "cycle", db_text(st, COL_CYCLE)) ||
        !service_options(svc, st) ||
        !json_add_money(svc, "recurring_price", sqlite3_column_int64(st, COL_RECURRING), cur) ||
        !(sqlite3_column_type(st, COL_DUE) == SQLITE_NULL
              ? cJSON_AddNullToObject(svc, "next_due_date")
              : cJSON_AddStringToObject(svc, "next_due_date", db_text(st, COL_DUE))) ||
        !service_server(svc, st) || !service_cancellation(svc, st) ||
        !service_suspension(conn, svc, id, status) ||
        !json_add_timestamp(svc, "created_at", sqlite3_column_int64(st, COL_CREATED)) ||
        !json_add_timestamp_col(svc, "activated_at", st, COL_ACTIVATED)) {
        cJSON_Delete(svc);
        return NULL;
    }
    return svc;
}

cJSON *lifecycle_service_json(sqlite3 *conn, const struct settings *set, int64_t service_id,
                              int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT s.id, COALESCE(s.order_id, 0), s.status, s.cycle, s.options,"
              " s.recurring_amount, s.next_due_date, s.server_name, s.server_address,"
              " s.server_node, s.created_at, s.activated_at, p.id, p.slug, p.name, c.slug,"
              " p.memory_mb, p.disk_mb, p.cpu_percent, p.databases, p.backups, p.allocations,"
              " x.type, x.reason, x.requested_at, x.effective_date "
              "FROM services s JOIN products p ON p.id = s.product_id"
              " JOIN categories c ON c.id = p.category_id"
              " LEFT JOIN service_cancellations x ON x.service_id = s.id "
              "WHERE s.id = ?1 AND (?2 = 0 OR s.user_id = ?2)");
    cJSON *svc = NULL;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, service_id);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        svc = service_build(conn, set->currency_code, st);
    db_finalize(st);
    return svc;
}

cJSON *lifecycle_service_detail_json(sqlite3 *conn, const struct settings *set, int64_t service_id,
                                     int64_t user_id)
{
    cJSON *svc = lifecycle_service_json(conn, set, service_id, user_id);
    cJSON *list = svc ? cJSON_AddArrayToObject(svc, "invoices") : NULL;

    if (list && invoice_list_of_service(conn, set, service_id, SERVICE_INVOICES, list) == 0)
        return svc;
    cJSON_Delete(svc);
    return NULL;
}

static int service_ids(sqlite3 *conn, int64_t user_id, const char *status, int64_t limit,
                       int64_t offset, int64_t *ids, size_t *n)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM services"
                                        " WHERE user_id = ?1 AND (?2 IS NULL OR status = ?2)"
                                        " ORDER BY id DESC LIMIT ?3 OFFSET ?4");
    int rc;

    *n = 0;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    db_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int service_count(sqlite3 *conn, int64_t user_id, const char *status, int64_t *total)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT count(*) FROM services"
                                        " WHERE user_id = ?1 AND (?2 IS NULL OR status = ?2)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *total = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

enum api_error lifecycle_service_list(sqlite3 *conn, const struct settings *set, int64_t user_id,
                                      const char *status, int64_t limit, int64_t offset,
                                      cJSON **items, int64_t *total)
{
    int64_t ids[100];
    size_t n = 0;
    cJSON *list = cJSON_CreateArray();
    enum api_error err = API_ERR_INTERNAL;

    *items = NULL;
    if (limit > (int64_t)(sizeof ids / sizeof ids[0]))
        limit = sizeof ids / sizeof ids[0];
    if (!list || service_ids(conn, user_id, status, limit, offset, ids, &n) != 0 ||
        service_count(conn, user_id, status, total) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        cJSON *svc = lifecycle_service_json(conn, set, ids[i], user_id);

        if (!svc || !cJSON_AddItemToArray(list, svc)) {
            cJSON_Delete(svc);
            goto done;
        }
    }
    *items = list;
    list = NULL;
    err = API_OK;
done:
    cJSON_Delete(list);
    return err;
}
