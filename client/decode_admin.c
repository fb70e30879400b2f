/* decode_admin.c: the operator endpoints' answers: accounts, refunds, ledger entries, audit log. */
#include <stdlib.h>

#include "client/decode_shared.h"
#include "client/types_admin.h"
#include "client/wire.h"

static int read_ssh_key(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct admin_ssh_key *k = elem;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_string(v, where, "fingerprint", WIRE_REQUIRED, "", &k->fingerprint, err) < 0 ||
        wire_get_string(v, where, "key_type", WIRE_OPTIONAL, "", &k->key_type, err) < 0 ||
        wire_get_string(v, where, "comment", WIRE_OPTIONAL, "", &k->comment, err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &k->created_at, err) < 0 ||
        wire_get_string(v, where, "last_used_at", WIRE_OPTIONAL, "", &k->last_used_at, err) < 0)
        return -1;
    return 0;
}

static int read_user(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct admin_user *u = elem;
    char path[WIRE_PATH_MAX];
    const cJSON *keys, *due;
    size_t n;
    void *items = NULL;
    int rc;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &u->id, err) < 0 ||
        wire_get_string(v, where, "email", WIRE_REQUIRED, "", &u->email, err) < 0 ||
        wire_get_string(v, where, "name", WIRE_REQUIRED, "", &u->name, err) < 0 ||
        wire_get_string(v, where, "role", WIRE_REQUIRED, "", &u->role, err) < 0 ||
        wire_get_string(v, where, "created_at", WIRE_OPTIONAL, "", &u->created_at, err) < 0 ||
        wire_get_string(v, where, "last_login_at", WIRE_OPTIONAL, "", &u->last_login_at, err) < 0 ||
        wire_get_money(v, where, "credit_balance", WIRE_REQUIRED, NULL, &u->credit_balance, err) <
            0 ||
        wire_get_int(v, where, "active_services", WIRE_REQUIRED, 0, &u->active_services, err) < 0 ||
        wire_get_int(v, where, "unpaid_invoices", WIRE_REQUIRED, 0, &u->unpaid_invoices, err) < 0 ||
        wire_get_object(v, where, "total_due", WIRE_OPTIONAL, &due, err) < 0 ||
        wire_get_money(v, where, "total_due", WIRE_OPTIONAL, u->credit_balance.currency,
                       &u->total_due, err) < 0 ||
        wire_get_string(v, where, "next_due_date", WIRE_OPTIONAL, "", &u->next_due_date, err) < 0 ||
        wire_get_array(v, where, "ssh_keys", WIRE_OPTIONAL, &keys, &n, err) < 0)
        return -1;
    if (u->active_services < 0 || u->unpaid_invoices < 0)
        return decode_fail(where, u->active_services < 0 ? "active_services" : "unpaid_invoices",
                           "must not be negative", err);
    u->has_total_due = due != NULL;
    if (!keys)
        return 0;
    rc = wire_read_items(keys, wire_path_member(path, where, "ssh_keys"), sizeof(*u->ssh_keys),
                         read_ssh_key, &items, &u->n_ssh_keys, err);
    u->ssh_keys = items;
    return rc;
}

static int read_user_data(const cJSON *root, const cJSON *data, void *value,
                          struct client_error *err)
{
    (void)root;
    return read_user(data, "data", value, err);
}

static void destroy_user(void *v)
{
    struct admin_user *u = v;

    admin_user_free(&u);
}

int decode_admin_user(const char *body, size_t len, struct admin_user **out,
                      struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_user_data, destroy_user, &v, err);

    *out = v;
    return rc;
}

static int read_user_page(const cJSON *root, const cJSON *data, void *value,
                          struct client_error *err)
{
    struct admin_user_page *pg = value;
    void *items = NULL;
    int rc = wire_read_items(data, "data", sizeof(*pg->items), read_user, &items, &pg->n, err);

    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static void destroy_user_page(void *v)
{
    struct admin_user_page *p = v;

    admin_user_page_free(&p);
}

int decode_admin_users(const char *body, size_t len, struct admin_user_page **out,
                       struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_user_page, destroy_user_page, &v, err);

    *out = v;
    return rc;
}

static int read_refund_result(const cJSON *root, const cJSON *data, void *value,
                              struct client_error *err)
{
    struct refund_result *r = value;
    const cJSON *refund, *invoice;

    (void)root;
    if (wire_expect_object(data, "data", err) < 0 ||
        wire_get_object(data, "data", "refund", WIRE_REQUIRED, &refund, err) < 0 ||
        wire_get_object(data, "data", "invoice", WIRE_REQUIRED, &invoice, err) < 0 ||
        decode_read_refund(refund, "data.refund", &r->refund, err) < 0 ||
        decode_read_invoice(invoice, "data.invoice", &r->invoice, err) < 0)
        return -1;
    return 0;
}

static void destroy_refund_result(void *v)
{
    struct refund_result *r = v;

    refund_result_free(&r);
}

int decode_refund_result(const char *body, size_t len, struct refund_result **out,
                         struct client_error *err)
{
    void *v;
    int rc =
        decode_object(body, len, sizeof(**out), read_refund_result, destroy_refund_result, &v, err);

    *out = v;
    return rc;
}

static int read_credit_tx_data(const cJSON *root, const cJSON *data, void *value,
                               struct client_error *err)
{
    (void)root;
    return decode_read_credit_tx(data, "data", value, err);
}

static void destroy_credit_tx(void *v)
{
    struct credit_tx *t = v;

    credit_tx_free(&t);
}

int decode_credit_tx(const char *body, size_t len, struct credit_tx **out, struct client_error *err)
{
    void *v;
    int rc =
        decode_object(body, len, sizeof(**out), read_credit_tx_data, destroy_credit_tx, &v, err);

    *out = v;
    return rc;
}

static int read_audit_entry(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    struct audit_entry *e = elem;
    char apath[WIRE_PATH_MAX], tpath[WIRE_PATH_MAX];
    const cJSON *actor, *target;

    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &e->id, err) < 0 ||
        wire_get_object(v, where, "actor", WIRE_REQUIRED, &actor, err) < 0 ||
        wire_get_object(v, where, "target", WIRE_REQUIRED, &target, err) < 0 ||
        wire_get_string(v, where, "action", WIRE_REQUIRED, "", &e->action, err) < 0 ||
        wire_get_string(v, where, "reason", WIRE_OPTIONAL, "", &e->reason, err) < 0 ||
        wire_get_string(v, where, "at", WIRE_REQUIRED, "", &e->at, err) < 0)
        return -1;
    wire_path_member(apath, where, "actor");
    wire_path_member(tpath, where, "target");
    if (wire_get_string(actor, apath, "type", WIRE_REQUIRED, "", &e->actor_type, err) < 0 ||
        wire_get_int64(actor, apath, "id", WIRE_OPTIONAL, 0, &e->actor_id, err) < 0 ||
        wire_get_string(actor, apath, "name", WIRE_REQUIRED, "", &e->actor_name, err) < 0 ||
        wire_get_int64(actor, apath, "user_id", WIRE_OPTIONAL, 0, &e->actor_user_id, err) < 0 ||
        wire_get_string(target, tpath, "type", WIRE_REQUIRED, "", &e->target_type, err) < 0 ||
        wire_get_int64(target, tpath, "id", WIRE_OPTIONAL, 0, &e->target_id, err) < 0)
        return -1;
    return 0;
}

static int read_audit_page(const cJSON *root, const cJSON *data, void *value,
                           struct client_error *err)
{
    struct audit_page *pg = value;
    void *items = NULL;
    int rc =
        wire_read_items(data, "data", sizeof(*pg->items), read_audit_entry, &items, &pg->n, err);

    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static void destroy_audit_page(void *v)
{
    struct audit_page *p = v;

    audit_page_free(&p);
}

int decode_audit_log(const char *body, size_t len, struct audit_page **out,
                     struct client_error *err)
{
    void *v;
    int rc = decode_object(body, len, sizeof(**out), read_audit_page, destroy_audit_page, &v, err);

    *out = v;
    return rc;
}
