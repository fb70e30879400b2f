/* handlers_admin_catalog.c: operators list, create and change categories and products as the
 * --catalog document writes them; a write is checked by the file's rules, guarded by If-Match
 * and audited with the record before and after, in the transaction that makes it. */
#include "billing/handlers_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/cart.h"
#include "billing/catalog_admin.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/handlers_commerce.h"
#include "billing/json_util.h"
#include "billing/operator.h"

#define CATALOG_Q_MAX     100
#define CATALOG_SORT_MAX  1000000
#define CATALOG_STOCK_MAX 1000000000

void handle_admin_categories(struct request *req, struct reply *rep)
{
    sqlite3 *conn = db_acquire(req->app->db);
    cJSON *items =
        catalog_admin_list(conn, &catalog_kind_category,
                           db_prepare(conn, "SELECT id FROM categories ORDER BY sort_order, id"));

    db_release(req->app->db);
    if (items)
        reply_data(rep, 200, items);
    else
        reply_error(rep, API_ERR_INTERNAL, NULL);
}

/* ?1 category (0: any), ?2 text in the slug or name (NULL: any). */
#define PRODUCTS_MATCH                                                                             \
    " FROM products p JOIN categories c ON c.id = p.category_id"                                   \
    " WHERE (?1 = 0 OR p.category_id = ?1) AND (?2 IS NULL"                                        \
    " OR instr(lower(p.slug), lower(?2)) > 0 OR instr(lower(p.name), lower(?2)) > 0)"

void handle_admin_products(struct request *req, struct reply *rep)
{
    const char *q = request_query(req, "q");
    int64_t page, per_page, category, total;
    cJSON *items = NULL;
    sqlite3_stmt *st;
    sqlite3 *conn;

    operator_paging(req, rep, &page, &per_page);
    category = operator_query_id(req, rep, "category_id");
    if (q && strlen(q) > CATALOG_Q_MAX)
        reply_field(rep, "q", "must be at most 100 characters");
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    if (q && !*q)
        q = NULL;
    conn = db_acquire(req->app->db);
    total = operator_count(conn, "SELECT COUNT(*)" PRODUCTS_MATCH, category, q);
    st = db_prepare(conn, "SELECT p.id" PRODUCTS_MATCH " ORDER BY c.sort_order, c.id,"
                          " p.sort_order, p.id LIMIT ?3 OFFSET ?4");
    if (st) {
        sqlite3_bind_int64(st, 1, category);
        if (q)
            sqlite3_bind_text(st, 2, q, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, per_page);
        sqlite3_bind_int64(st, 4, (page - 1) * per_page);
    }
    if (total >= 0)
        items = catalog_admin_list(conn, &catalog_kind_product, st);
    else
        db_finalize(st);
    db_release(req->app->db);
    if (items)
        reply_page(rep, items, page, per_page, total);
    else
        reply_error(rep, API_ERR_INTERNAL, NULL);
}

void handle_admin_product(struct request *req, struct reply *rep)
{
    cJSON *obj = NULL;
    bool found = false;
    int64_t id;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "product", &id))
        return;
    conn = db_acquire(req->app->db);
    obj = catalog_admin_json(conn, &catalog_kind_product, id, &found);
    db_release(req->app->db);
    if (obj)
        catalog_admin_reply(rep, 200, obj);
    else if (!found)
        reply_error(rep, API_ERR_NOT_FOUND, "No product with id %lld.", (long long)id);
    else
        reply_error(rep, API_ERR_INTERNAL, NULL);
}

/* ---- writes ---- */

/* One kind of write: what it acts on, how it builds the document object to store from the body
 * and the current object (NULL on create), and what its audit entry holds. */
struct catalog_op {
    const struct catalog_kind *kind;
    const char *action;       /* the audit action */
    bool must_match;          /* If-Match required (428 without it) */
    bool places;              /* the body may send category_id and sort_order */
    const char *audit_member; /* NULL: the whole record before and after; else that member */
    cJSON *(*build)(const struct request *req, struct reply *rep, const struct catalog_kind *kind,
                    const cJSON *current);
};

/* RFC 7396: members of patch replace target's, null removes one, objects merge. 0 or -1. */
static int catalog_merge(cJSON *target, const cJSON *patch)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, patch)
    {
        cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, m->string), *copy;

        if (cJSON_IsNull(m)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
            continue;
        }
        if (cJSON_IsObject(m)) {
            if (!cJSON_IsObject(cur)) {
                cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
                if (!(cur = cJSON_AddObjectToObject(target, m->string)))
                    return -1;
            }
            if (catalog_merge(cur, m) != 0)
                return -1;
            continue;
        }
        if (!(copy = cJSON_Duplicate(m, true)))
            return -1;
        cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
        if (!cJSON_AddItemToObject(target, m->string, copy)) {
            cJSON_Delete(copy);
            return -1;
        }
    }
    return 0;
}

/* The body's document members (a copy), with a field error for any member it may not send. */
static cJSON *catalog_body_doc(const struct request *req, struct reply *rep,
                               const struct catalog_kind *kind, bool creating)
{
    cJSON *doc = cJSON_CreateObject();
    const cJSON *m;
    char message[80];
    size_t n = 0;

    cJSON_ArrayForEach(m, req->json)
    {
        if (strcmp(m->string, "reason") == 0 || strcmp(m->string, "sort_order") == 0 ||
            (kind->has_category && strcmp(m->string, "category_id") == 0))
            continue;
        if (!catalog_admin_listed(kind->members, m->string) ||
            (!creating && catalog_admin_listed(kind->create_only, m->string))) {
            snprintf(message, sizeof message, "cannot be %s on a %s", creating ? "set" : "changed",
                     kind->name);
            reply_field(rep, m->string, message);
        } else if (doc && !cJSON_AddItemToObject(doc, m->string, cJSON_Duplicate(m, true))) {
            cJSON_Delete(doc);
            doc = NULL;
        }
        n++;
    }
    if (!creating && n == 0 && !cJSON_GetObjectItemCaseSensitive(req->json, "sort_order") &&
        !cJSON_GetObjectItemCaseSensitive(req->json, "category_id"))
        reply_field(rep, kind->name, "send at least one field to change");
    return doc;
}

static cJSON *catalog_build_create(const struct request *req, struct reply *rep,
                                   const struct catalog_kind *kind, const cJSON *current)
{
    (void)current;
    return catalog_body_doc(req, rep, kind, true);
}

/* The current document object with the body merged into it. */
static cJSON *catalog_build_patch(const struct request *req, struct reply *rep,
                                  const struct catalog_kind *kind, const cJSON *current)
{
    cJSON *patch = catalog_body_doc(req, rep, kind, false);
    cJSON *doc = cJSON_Duplicate(current, true);

    if (!patch || !doc || catalog_merge(doc, patch) != 0) {
        cJSON_Delete(doc);
        doc = NULL;
    }
    cJSON_Delete(patch);
    return doc;
}

/* The current document object with its stock set, adjusted or made unlimited. */
static cJSON *catalog_build_stock(const struct request *req, struct reply *rep,
                                  const struct catalog_kind *kind, const cJSON *current)
{
    static const char *const changes[] = {"set", "adjust", "unlimited", NULL};
    const cJSON *stock = cJSON_GetObjectItemCaseSensitive(current, "stock");
    cJSON *doc, *next;
    const char *how = NULL;
    const cJSON *m, *v = NULL;
    int64_t n = 0, available = catalog_admin_int(stock, "available");
    bool limited = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(stock, "limited"));
    const char *problem = NULL;
    char message[96];

    (void)kind;
    cJSON_ArrayForEach(m, req->json)
    {
        if (strcmp(m->string, "reason") == 0)
            continue;
        if (!catalog_admin_listed(changes, m->string))
            problem = "is not a stock change";
        else if (how)
            problem = "send exactly one of set, adjust and unlimited";
        if (problem) {
            reply_field(rep, m->string, problem);
            return NULL;
        }
        how = m->string;
        v = m;
    }
    if (!how) {
        reply_field(rep, "set", "send exactly one of set, adjust and unlimited");
        return NULL;
    }
    if (strcmp(how, "unlimited") == 0) {
        if (!cJSON_IsTrue(v))
            problem = "must be true";
        limited = false;
    } else if (!json_get_int(v, &n) || n < -CATALOG_STOCK_MAX || n > CATALOG_STOCK_MAX) {
        problem = "must be an integer from -1000000000 to 1000000000";
    } else if (strcmp(how, "set") == 0) {
        if (n < 0)
            problem = "must not be negative";
        limited = true;
        available = n;
    } else if (!limited) {
        problem = "the stock is unlimited: set it first";
    } else if (available + n < 0) {
        snprintf(message, sizeof message, "would take the stock below zero (%lld available)",
                 (long long)available);
        problem = message;
    } else {
        available += n;
    }
    if (problem) {
        reply_field(rep, how, problem);
        return NULL;
    }
    if (reply_has_fields(rep) || !(doc = cJSON_Duplicate(current, true)))
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "stock");
    if (!(next = cJSON_AddObjectToObject(doc, "stock")) ||
        !cJSON_AddBoolToObject(next, "limited", limited) ||
        (limited && !cJSON_AddNumberToObject(next, "available", (double)available))) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

static const struct catalog_op category_create = {
    &catalog_kind_category, "category.create", false, true, NULL, catalog_build_create};
static const struct catalog_op category_update = {
    &catalog_kind_category, "category.update", true, true, NULL, catalog_build_patch};
static const struct catalog_op product_create = {
    &catalog_kind_product, "product.create", false, true, NULL, catalog_build_create};
static const struct catalog_op product_update = {
    &catalog_kind_product, "product.update", true, true, NULL, catalog_build_patch};
static const struct catalog_op product_stock = {
    &catalog_kind_product, "product.stock", false, false, "stock", catalog_build_stock};

/* Where the record goes: category_id and sort_order from the body, else where it is (the last
 * place on create). Field errors for bad ones. -1 on a database error. */
static int catalog_place(sqlite3 *conn, const struct request *req, struct reply *rep,
                         const struct catalog_op *op, const cJSON *before, int64_t *category,
                         int *sort)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(req->json, "category_id");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(req->json, "sort_order");
    int64_t n, next;

    *category = catalog_admin_int(before, "category_id");
    *sort = (int)catalog_admin_int(before, "sort_order");
    if (op->places && op->kind->has_category && (c || !before)) {
        if (!json_get_int(c, category) || *category < 1)
            reply_field(rep, "category_id", c ? "must be a positive integer" : "is required");
        else if ((n = operator_count(conn, "SELECT COUNT(*) FROM categories WHERE id = ?",
                                     *category, NULL)) < 0)
            return -1;
        else if (n == 0)
            reply_field(rep, "category_id", "has no category with this id");
    }
    if (op->places && s) {
        if (json_get_int(s, &n) && n >= -CATALOG_SORT_MAX && n <= CATALOG_SORT_MAX)
            *sort = (int)n;
        else
            reply_field(rep, "sort_order", "must be an integer from -1000000 to 1000000");
    } else if (!before && !reply_has_fields(rep)) {
        if ((next = operator_count(conn, op->kind->next_sort_sql, *category, NULL)) < 0)
            return -1;
        *sort = (int)next;
    }
    return 0;
}

/* The field a message of the store is about: its first word that names a member ("cycles must
 * be ...", "a fixed product has no options"), else the record itself. */
static void catalog_store_field(struct reply *rep, const struct catalog_kind *kind,
                                const char *what)
{
    static const struct {
        const char *word, *field;
    } aliases[] = {{"option", "options"},
                   {"cycle", "cycles"},
                   {"category_id", "category_id"},
                   {"available", "stock"}};
    const char *field = kind->name;
    char word[32];

    for (const char *p = what; *p && field == kind->name;) {
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");

        if (n == 0) {
            p++;
            continue;
        }
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        p += n;
        for (size_t i = 0; kind->members[i]; i++)
            if (strcmp(word, kind->members[i]) == 0)
                field = kind->members[i];
        for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
            if (strcmp(word, aliases[i].word) == 0)
                field = aliases[i].field;
    }
    reply_field(rep, field, what);
}

/* The audit details: {"before": ..., "after": ...}, the whole records or one member of each. */
static cJSON *catalog_details(const struct catalog_op *op, const cJSON *before, const cJSON *after)
{
    cJSON *d = cJSON_CreateObject();
    const cJSON *b =
        op->audit_member ? cJSON_GetObjectItemCaseSensitive(before, op->audit_member) : before;
    const cJSON *a =
        op->audit_member ? cJSON_GetObjectItemCaseSensitive(after, op->audit_member) : after;

    if (!d ||
        !cJSON_AddItemToObject(d, "before", b ? cJSON_Duplicate(b, true) : cJSON_CreateNull()) ||
        !cJSON_AddItemToObject(d, "after", cJSON_Duplicate(a, true))) {
        cJSON_Delete(d);
        return NULL;
    }
    return d;
}

/* Creates (id 0) or changes a record as op says, in one transaction with its audit entry. */
static void catalog_write(struct request *req, struct reply *rep, const struct catalog_op *op,
                          int64_t id)
{
    const struct catalog_kind *kind = op->kind;
    const char *match = request_header(req, "If-Match");
    const char *reason = NULL;
    enum api_error err = API_ERR_INTERNAL;
    int64_t now = clock_now(req->app), category = 0, version = 0, new_id = id;
    cJSON *before = NULL, *current = NULL, *doc = NULL, *after = NULL, *details = NULL;
    char what[256] = "";
    bool found = true;
    int sort = 0, changed = 0;
    sqlite3 *conn = db_acquire(req->app->db);

    if (db_begin(conn) != 0)
        goto done;
    if (id) {
        if (!(before = catalog_admin_json(conn, kind, id, &found))) {
            err = found ? API_ERR_INTERNAL : API_ERR_NOT_FOUND;
            goto done;
        }
        version = catalog_admin_int(before, "version");
        if (!match && op->must_match) {
            err = API_ERR_PRECONDITION_REQUIRED;
            goto done;
        }
        if (match && !cart_if_match(match, version)) {
            err = API_ERR_PRECONDITION_FAILED;
            goto done;
        }
        if (!(current = catalog_admin_doc(conn, kind, id)))
            goto done;
    }
    reason = operator_reason(req, rep);
    if (catalog_place(conn, req, rep, op, before, &category, &sort) != 0)
        goto done;
    doc = op->build(req, rep, kind, current);
    if (reply_has_fields(rep)) {
        err = API_ERR_VALIDATION_FAILED;
        goto done;
    }
    if (!doc)
        goto done;
    if (kind->write(conn, doc, category, sort, &new_id, &changed, what, sizeof what) != 0) {
        catalog_store_field(rep, kind, what);
        err = API_ERR_VALIDATION_FAILED;
        goto done;
    }
    if (!(after = catalog_admin_json(conn, kind, new_id, &found)))
        goto done;
    /* A change that changes nothing leaves no trace: no new version, no audit entry. */
    if ((!id || changed) &&
        (!(details = catalog_details(op, before, after)) ||
         operator_audit(conn, req, op->action, kind->name, new_id, reason, details, now) != 0))
        goto done;
    if (db_commit(conn) != 0)
        goto done;
    err = API_OK;
done:
    db_rollback(conn);
    db_release(req->app->db);
    if (err == API_OK) {
        catalog_admin_reply(rep, id ? 200 : 201, after);
        after = NULL;
    } else if (err == API_ERR_VALIDATION_FAILED) {
        reply_validation(rep);
    } else if (err == API_ERR_NOT_FOUND) {
        reply_error(rep, err, "No %s with id %lld.", kind->name, (long long)id);
    } else if (err == API_ERR_PRECONDITION_REQUIRED) {
        reply_error(rep, err, "Send If-Match with the %s's ETag to change it.", kind->name);
    } else if (err == API_ERR_PRECONDITION_FAILED) {
        commerce_etag(rep, version);
        reply_error(rep, err, "The %s changed since you last loaded it (now version %lld).",
                    kind->name, (long long)version);
    } else {
        reply_error(rep, err, NULL);
    }
    cJSON_Delete(before);
    cJSON_Delete(current);
    cJSON_Delete(doc);
    cJSON_Delete(after);
    cJSON_Delete(details);
}

/* The op on the record the path names. */
static void catalog_write_at(struct request *req, struct reply *rep, const struct catalog_op *op)
{
    int64_t id;

    if (operator_path_id(req, rep, 0, op->kind->name, &id))
        catalog_write(req, rep, op, id);
}

void handle_admin_category_create(struct request *req, struct reply *rep)
{
    catalog_write(req, rep, &category_create, 0);
}

void handle_admin_category_update(struct request *req, struct reply *rep)
{
    catalog_write_at(req, rep, &category_update);
}

void handle_admin_product_create(struct request *req, struct reply *rep)
{
    catalog_write(req, rep, &product_create, 0);
}

void handle_admin_product_update(struct request *req, struct reply *rep)
{
    catalog_write_at(req, rep, &product_update);
}

void handle_admin_product_stock(struct request *req, struct reply *rep)
{
    catalog_write_at(req, rep, &product_stock);
}
