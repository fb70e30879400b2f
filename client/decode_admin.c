/* decode_admin.c: the operator endpoints' answers: accounts, refunds, ledger entries, audit log. */
#include <stdlib.h>
#include <string.h>

#include "client/decode_shared.h"
#include "client/record_json.h"
#include "client/types_admin.h"
#include "client/wire.h"

#define STR(type, json, member, flags)       REC_FIELD(type, json, REC_STRING, flags, member)
#define NUM(type, kind, json, member, flags) REC_FIELD(type, json, kind, flags, member)
#define R                                    REC_REQUIRED

static const struct record_field ssh_key_fields[] = {
    STR(struct admin_ssh_key, "fingerprint", fingerprint, R),
    STR(struct admin_ssh_key, "key_type", key_type, 0),
    STR(struct admin_ssh_key, "comment", comment, 0),
    STR(struct admin_ssh_key, "created_at", created_at, 0),
    STR(struct admin_ssh_key, "last_used_at", last_used_at, 0),
};
static const struct record_table ssh_key_table =
    RECORD_TABLE(struct admin_ssh_key, ssh_key_fields, NULL);

/* Counts are never negative; an absent total_due is none, in the balance's currency. */
static int user_check(void *value, const char *where, struct client_error *err)
{
    struct admin_user *u = value;

    if (u->active_services < 0 || u->unpaid_invoices < 0)
        return decode_fail(where, u->active_services < 0 ? "active_services" : "unpaid_invoices",
                           "must not be negative", err);
    u->has_total_due = u->total_due.currency[0] != '\0';
    if (!u->has_total_due)
        memcpy(u->total_due.currency, u->credit_balance.currency, sizeof u->total_due.currency);
    return 0;
}

static const struct record_field user_fields[] = {
    NUM(struct admin_user, REC_INT64, "id", id, R),
    STR(struct admin_user, "email", email, R),
    STR(struct admin_user, "name", name, R),
    STR(struct admin_user, "role", role, R),
    STR(struct admin_user, "created_at", created_at, 0),
    STR(struct admin_user, "last_login_at", last_login_at, 0),
    NUM(struct admin_user, REC_MONEY, "credit_balance", credit_balance, R),
    NUM(struct admin_user, REC_INT, "active_services", active_services, R),
    NUM(struct admin_user, REC_INT, "unpaid_invoices", unpaid_invoices, R),
    NUM(struct admin_user, REC_MONEY, "total_due", total_due, 0),
    STR(struct admin_user, "next_due_date", next_due_date, 0),
    REC_ARRAY_FIELD(struct admin_user, "ssh_keys", 0, ssh_keys, n_ssh_keys, &ssh_key_table),
};
static const struct record_table user_table =
    RECORD_TABLE(struct admin_user, user_fields, user_check);

static const struct record_field audit_fields[] = {
    NUM(struct audit_entry, REC_INT64, "id", id, R),
    STR(struct audit_entry, "actor.type", actor_type, R),
    NUM(struct audit_entry, REC_INT64, "actor.id", actor_id, 0),
    STR(struct audit_entry, "actor.name", actor_name, R),
    NUM(struct audit_entry, REC_INT64, "actor.user_id", actor_user_id, 0),
    STR(struct audit_entry, "target.type", target_type, R),
    NUM(struct audit_entry, REC_INT64, "target.id", target_id, 0),
    STR(struct audit_entry, "action", action, R),
    STR(struct audit_entry, "reason", reason, 0),
    STR(struct audit_entry, "at", at, R),
};
static const struct record_table audit_table = RECORD_TABLE(struct audit_entry, audit_fields, NULL);

RECORD_DECODER(decode_admin_user, struct admin_user, &user_table)
RECORD_LIST_DECODER(decode_admin_users, struct admin_user_page, &user_table, meta)
RECORD_LIST_DECODER(decode_audit_log, struct audit_page, &audit_table, meta)

void admin_user_clear(struct admin_user *u)
{
    record_clear(&user_table, u);
}

RECORD_FREER(admin_user_free, struct admin_user, &user_table)

RECORD_LIST_FREER(admin_user_page_free, struct admin_user_page, &user_table)

RECORD_LIST_FREER(audit_page_free, struct audit_page, &audit_table)

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
