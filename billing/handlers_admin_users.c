/* handlers_admin_users.c: operators find customer accounts (by e-mail, name, id or SSH key) and see
 * each one's keys and figures at a glance. */
#include "billing/handlers_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/auth.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/operator.h"
#include "billing/timestamp.h"

#define USERS_Q_MAX 200

/* The e-mail an account shows: SSH sign-in's placeholder reads as "" (auth_email_shown). */
#define SHOWN_EMAIL "(CASE WHEN substr(u.email, 1, 4) = 'ssh:' THEN '' ELSE u.email END)"

/* A user matches q by e-mail or name (substring, any case), by id, or by an SSH key fingerprint
 * (exact or prefix). ?1 is q, ?2 its value as an id (0 when it is not one). */
#define USERS_MATCH                                                                                \
    "(?1 IS NULL OR instr(lower(" SHOWN_EMAIL "), lower(?1)) > 0"                                  \
    " OR instr(lower(u.name), lower(?1)) > 0 OR u.id = ?2"                                         \
    " OR EXISTS (SELECT 1 FROM ssh_keys k WHERE k.user_id = u.id"                                  \
    "  AND substr(k.fingerprint, 1, length(?1)) = ?1))"

/* One SshKey object from its stored line "type base64 [comment]". */
static cJSON *admin_ssh_key_json(sqlite3_stmt *st)
{
    const char *line = db_text(st, 1);
    size_t type_len = strcspn(line, " \t");
    const char *rest = line + type_len;
    cJSON *k = cJSON_CreateObject();
    char type[64];

    snprintf(type, sizeof type, "%.*s", (int)type_len, line);
    rest += strspn(rest, " \t");
    rest += strcspn(rest, " \t"); /* the base64 blob */
    rest += strspn(rest, " \t");
    if (!k || !cJSON_AddStringToObject(k, "fingerprint", db_text(st, 0)) ||
        !cJSON_AddStringToObject(k, "key_type", type) ||
        !cJSON_AddStringToObject(k, "comment", rest) ||
        !json_add_timestamp_col(k, "created_at", st, 2) ||
        !json_add_timestamp_col(k, "last_used_at", st, 3)) {
        cJSON_Delete(k);
        return NULL;
    }
    return k;
}

static int admin_user_keys(sqlite3 *conn, int64_t user_id, cJSON *list)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT fingerprint, public_key, created_at, last_used_at "
                                        "FROM ssh_keys WHERE user_id = ? ORDER BY id");
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, user_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!cJSON_AddItemToArray(list, admin_ssh_key_json(st))) {
            db_finalize(st);
            return -1;
        }
    }
    db_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The AdminUser object, with the figures an operator's overview shows: live services, what is
 * unpaid, the next due date and the credit balance. NULL when there is no such account. */
static cJSON *admin_user_json(sqlite3 *conn, const struct settings *set, int64_t user_id)
{
    sqlite3_stmt *st = db_prepare(
        conn, "SELECT u.id, " SHOWN_EMAIL ", u.name, u.role, u.created_at,"
              " (SELECT MAX(r.created_at) FROM refresh_tokens r"
              "   WHERE r.user_id = u.id AND r.id = r.family_id),"
              " u.credit_balance,"
              " (SELECT COUNT(*) FROM services s WHERE s.user_id = u.id AND s.status = 'active'),"
              " (SELECT COUNT(*) FROM invoices i WHERE i.user_id = u.id"
              "   AND i.status IN ('pending', 'overdue')),"
              " (SELECT COALESCE(SUM(i.total - i.amount_paid), 0) FROM invoices i"
              "   WHERE i.user_id = u.id AND i.status IN ('pending', 'overdue')),"
              " (SELECT MIN(s.next_due_date) FROM services s WHERE s.user_id = u.id"
              "   AND s.status IN ('active', 'suspended') AND s.next_due_date IS NOT NULL) "
              "FROM users u WHERE u.id = ?");
    cJSON *u = NULL, *keys;

    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) != SQLITE_ROW || !(u = cJSON_CreateObject()))
        goto fail;
    /* A sign-in is the first refresh token of its family; the newest is never purged before
     * the next sign-in, so the latest one always tells. */
    if (!json_add_int(u, "id", sqlite3_column_int64(st, 0)) ||
        !cJSON_AddStringToObject(u, "email", db_text(st, 1)) ||
        !cJSON_AddStringToObject(u, "name", db_text(st, 2)) ||
        !cJSON_AddStringToObject(u, "role", db_text(st, 3)) ||
        !json_add_timestamp_col(u, "created_at", st, 4) ||
        !json_add_timestamp_col(u, "last_login_at", st, 5) ||
        !(keys = cJSON_AddArrayToObject(u, "ssh_keys")) ||
        admin_user_keys(conn, user_id, keys) != 0 ||
        !json_add_money(u, "credit_balance", sqlite3_column_int64(st, 6), set->currency_code) ||
        !json_add_int(u, "active_services", sqlite3_column_int64(st, 7)) ||
        !json_add_int(u, "unpaid_invoices", sqlite3_column_int64(st, 8)) ||
        !json_add_money(u, "total_due", sqlite3_column_int64(st, 9), set->currency_code) ||
        !(sqlite3_column_type(st, 10) == SQLITE_NULL
              ? cJSON_AddNullToObject(u, "next_due_date")
              : cJSON_AddStringToObject(u, "next_due_date", db_text(st, 10))))
        goto fail;
    db_finalize(st);
    return u;
fail:
    db_finalize(st);
    cJSON_Delete(u);
    return NULL;
}

static void admin_bind_q(sqlite3_stmt *st, const char *q)
{
    size_t digits = q ? strspn(q, "0123456789") : 0;

    if (q)
        sqlite3_bind_text(st, 1, q, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 1);
    sqlite3_bind_int64(st, 2, digits && !q[digits] && digits <= 18 ? strtoll(q, NULL, 10) : 0);
}

/* One page of matching accounts, newest first, and how many match in all. */
static enum api_error admin_users_page(sqlite3 *conn, const struct settings *set, const char *q,
                                       int64_t limit, int64_t offset, cJSON **items, int64_t *total)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM users u WHERE " USERS_MATCH);
    int rc;

    *items = NULL;
    if (!st)
        return API_ERR_INTERNAL;
    admin_bind_q(st, q);
    rc = sqlite3_step(st);
    *total = sqlite3_column_int64(st, 0);
    db_finalize(st);
    if (rc != SQLITE_ROW || !(*items = cJSON_CreateArray()))
        return API_ERR_INTERNAL;
    st = db_prepare(conn, "SELECT u.id FROM users u WHERE " USERS_MATCH
                          " ORDER BY u.id DESC LIMIT ?3 OFFSET ?4");
    if (!st)
        goto fail;
    admin_bind_q(st, q);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!cJSON_AddItemToArray(*items, admin_user_json(conn, set, sqlite3_column_int64(st, 0))))
            goto fail;
    if (rc != SQLITE_DONE)
        goto fail;
    db_finalize(st);
    return API_OK;
fail:
    db_finalize(st);
    cJSON_Delete(*items);
    *items = NULL;
    return API_ERR_INTERNAL;
}

void handle_admin_users(struct request *req, struct reply *rep)
{
    const char *q = request_query(req, "q");
    struct settings set;
    int64_t page, per_page, total = 0;
    enum api_error err = API_ERR_INTERNAL;
    cJSON *items = NULL;
    sqlite3 *conn;

    operator_paging(req, rep, &page, &per_page);
    if (q && strlen(q) > USERS_Q_MAX)
        reply_field(rep, "q", "must be at most 200 characters");
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    if (q && !*q)
        q = NULL;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0)
        err = admin_users_page(conn, &set, q, per_page, (page - 1) * per_page, &items, &total);
    db_release(req->app->db);
    if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_page(rep, items, page, per_page, total);
}

void handle_admin_user(struct request *req, struct reply *rep)
{
    struct settings set;
    cJSON *u = NULL;
    int64_t id;
    int found = -1;
    sqlite3 *conn;

    if (!operator_path_id(req, rep, 0, "account", &id))
        return;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && (found = operator_user_exists(conn, id)) == 1)
        u = admin_user_json(conn, &set, id);
    db_release(req->app->db);
    if (found == 0)
        reply_error(rep, API_ERR_NOT_FOUND, "No account with id %lld.", (long long)id);
    else if (!u)
        reply_error(rep, API_ERR_INTERNAL, NULL);
    else
        reply_data(rep, 200, u);
}
