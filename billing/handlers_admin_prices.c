/* handlers_admin_prices.c: an operator moves a product's existing services onto today's catalog
 * price, which they renew at from their next renewal invoice not yet issued. */
#include "billing/handlers_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/basket.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/operator.h"
#include "billing/renewal.h"
#include "billing/service.h"

/* The services still billed for the product: live ones that renew. */
static const char services_sql[] =
    "SELECT id FROM services WHERE product_id = ? AND cycle <> 'one_time'"
    " AND status IN ('pending', 'active', 'suspended') ORDER BY id";

struct prices_run {
    sqlite3 *conn;
    const struct request *req;
    const struct settings *set;
    const char *reason;
    int64_t product_id, now;
    struct basket *b;
    cJSON *changed, *skipped;
    int64_t unchanged;
};

/* The services' ids; NULL on a database error (*n 0 and a non-NULL result for none). */
static int64_t *prices_services(sqlite3 *conn, int64_t product_id, size_t *n)
{
    sqlite3_stmt *st = db_prepare(conn, services_sql);
    int64_t *ids = malloc(sizeof *ids), *grown;
    size_t cap = 1;
    int rc;

    *n = 0;
    if (!st || !ids)
        goto fail;
    sqlite3_bind_int64(st, 1, product_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            if (!(grown = realloc(ids, 2 * cap * sizeof *ids)))
                goto fail;
            ids = grown;
            cap *= 2;
        }
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return ids;
fail:
    db_finalize(st);
    free(ids);
    return NULL;
}

/* Why today's catalog cannot price the service, from basket_price's field problems: "the
 * product no longer offers the cycle quarterly", "options.memory_mb must be a multiple of ...". */
static void prices_why(const cJSON *fields, const struct service *svc, char *why, size_t size)
{
    const cJSON *first = fields ? fields->child : NULL;
    const cJSON *msg = first ? cJSON_GetArrayItem(first, 0) : NULL;
    const char *name = first && first->string ? strchr(first->string, ']') : NULL;
    const char *text = cJSON_IsString(msg) ? msg->valuestring : "cannot be priced";

    name = name ? name + 1 + (name[1] == '.') : "";
    if (strcmp(name, "cycle") == 0)
        snprintf(why, size, "the product no longer offers the cycle %s", svc->cycle);
    else if (*name)
        snprintf(why, size, "%s %s", name, text);
    else
        snprintf(why, size, "%s", text);
}

static enum api_error prices_skip(struct prices_run *r, const struct service *svc,
                                  const cJSON *fields)
{
    char why[256];
    cJSON *item = cJSON_CreateObject();

    prices_why(fields, svc, why, sizeof why);
    if (!item || !json_add_int(item, "service_id", svc->id) ||
        !cJSON_AddStringToObject(item, "why", why) || !cJSON_AddItemToArray(r->skipped, item)) {
        cJSON_Delete(item);
        return API_ERR_INTERNAL;
    }
    return API_OK;
}

static enum api_error prices_change(struct prices_run *r, const struct service *svc, int64_t after)
{
    sqlite3_stmt *st = db_prepare(r->conn, "UPDATE services SET recurring_amount = ? WHERE id = ?");
    cJSON *item = cJSON_CreateObject(), *details = cJSON_CreateObject();
    const char *cur = r->set->currency_code;
    enum api_error err = API_ERR_INTERNAL;

    if (!st || !item || !details)
        goto done;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, svc->id);
    if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(r->conn) != 1)
        goto done;
    if (!json_add_int(details, "before", svc->recurring_amount) ||
        !json_add_int(details, "after", after) ||
        !json_add_int(details, "product_id", r->product_id) ||
        operator_audit(r->conn, r->req, "service.apply_price", "service", svc->id, r->reason,
                       details, r->now) != 0)
        goto done;
    if (!json_add_int(item, "service_id", svc->id) ||
        !json_add_money(item, "before", svc->recurring_amount, cur) ||
        !json_add_money(item, "after", after, cur) || !cJSON_AddItemToArray(r->changed, item))
        goto done;
    item = NULL;
    err = API_OK;
done:
    db_finalize(st);
    cJSON_Delete(item);
    cJSON_Delete(details);
    return err;
}

/* One service: priced as its renewal would be from today's catalog, by basket_price. */
static enum api_error prices_apply(struct prices_run *r, int64_t service_id)
{
    struct service svc;
    cJSON *fields = NULL;
    enum api_error err = service_load(r->conn, service_id, 0, &svc);

    if (err != API_OK)
        return API_ERR_INTERNAL;
    memset(r->b, 0, sizeof *r->b);
    r->b->n_lines = 1;
    if ((err = renewal_basket_line(&svc, false, &r->b->lines[0].in)) != API_OK ||
        !(fields = cJSON_CreateObject())) {
        err = API_ERR_INTERNAL;
        goto done;
    }
    err = basket_price(r->conn, r->set, r->b, 0, 0, false, fields);
    if (err == API_ERR_VALIDATION_FAILED)
        err = prices_skip(r, &svc, fields);
    else if (err != API_OK)
        err = API_ERR_INTERNAL;
    else if (r->b->lines[0].unit_amount == svc.recurring_amount)
        r->unchanged++;
    else
        err = prices_change(r, &svc, r->b->lines[0].unit_amount);
done:
    cJSON_Delete(fields);
    service_row_clear(&svc);
    return err;
}

static cJSON *prices_result(struct prices_run *r)
{
    cJSON *out = cJSON_CreateObject();

    if (!out || !cJSON_AddItemToObject(out, "changed", r->changed)) {
        cJSON_Delete(out);
        return NULL;
    }
    r->changed = NULL;
    if (!json_add_int(out, "unchanged", r->unchanged) ||
        !cJSON_AddItemToObject(out, "skipped", r->skipped)) {
        cJSON_Delete(out);
        return NULL;
    }
    r->skipped = NULL;
    return out;
}

void handle_admin_product_apply_prices(struct request *req, struct reply *rep)
{
    struct settings set;
    struct prices_run r = {.req = req, .set = &set, .now = clock_now(req->app)};
    enum api_error err = API_ERR_INTERNAL;
    int64_t *ids = NULL;
    size_t n = 0;
    cJSON *out = NULL;
    int found;

    if (!operator_path_id(req, rep, 0, "product", &r.product_id))
        return;
    if (!(r.reason = operator_reason(req, rep))) {
        reply_validation(rep);
        return;
    }
    r.conn = db_acquire(req->app->db);
    if (!(r.b = calloc(1, sizeof *r.b)) || !(r.changed = cJSON_CreateArray()) ||
        !(r.skipped = cJSON_CreateArray()) || settings_load(r.conn, &set) != 0 ||
        db_begin(r.conn) != 0)
        goto done;
    found = (int)operator_count(r.conn, "SELECT COUNT(*) FROM products WHERE id = ?", r.product_id,
                                NULL);
    if (found <= 0) {
        err = found == 0 ? API_ERR_NOT_FOUND : API_ERR_INTERNAL;
        goto done;
    }
    if (!(ids = prices_services(r.conn, r.product_id, &n)))
        goto done;
    for (size_t i = 0; i < n; i++)
        if (prices_apply(&r, ids[i]) != API_OK)
            goto done;
    if ((out = prices_result(&r)) && db_commit(r.conn) == 0)
        err = API_OK;
done:
    db_rollback(r.conn);
    db_release(req->app->db);
    free(ids);
    free(r.b);
    cJSON_Delete(r.changed);
    cJSON_Delete(r.skipped);
    if (err == API_OK) {
        reply_data(rep, 200, out);
        return;
    }
    cJSON_Delete(out);
    if (err == API_ERR_NOT_FOUND)
        reply_error(rep, err, "No product with id %lld.", (long long)r.product_id);
    else
        reply_error(rep, err, NULL);
}
