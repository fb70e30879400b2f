/* webhook.c: signed gateway events: HMAC-SHA256 under a per-database secret, each event applied
 * once (webhook_events), settling or failing the payment its token names. */
#include "billing/webhook.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/handlers_commerce.h"
#include "billing/invoice.h"
#include "billing/json_util.h"
#include "billing/order.h"
#include "billing/payment.h"
#include "billing/settings.h"

#define WEBHOOK_SECRET_KEY "sandbox_webhook_secret"

/* The secret, made at random the first time it is needed and kept in settings. */
static int webhook_secret(sqlite3 *conn, unsigned char key[crypto_auth_hmacsha256_KEYBYTES])
{
    unsigned char fresh[crypto_auth_hmacsha256_KEYBYTES];
    char hex[2 * sizeof fresh + 1];
    sqlite3_stmt *st;
    size_t got = 0;
    int rc = -1;

    crypto_auth_hmacsha256_keygen(fresh);
    sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
    sodium_memzero(fresh, sizeof fresh);
    st = db_prepare(conn, "INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, WEBHOOK_SECRET_KEY, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    db_finalize(st);
    sodium_memzero(hex, sizeof hex);
    st = db_prepare(conn, "SELECT value FROM settings WHERE key = ?");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, WEBHOOK_SECRET_KEY, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sodium_hex2bin(key, crypto_auth_hmacsha256_KEYBYTES, db_text(st, 0), strlen(db_text(st, 0)),
                       NULL, &got, NULL) == 0 &&
        got == crypto_auth_hmacsha256_KEYBYTES)
        rc = 0;
    db_finalize(st);
    return rc;
}

static void webhook_mac(const unsigned char *key, const char *body, size_t len,
                        char out[WEBHOOK_SIGNATURE_CHARS])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];

    crypto_auth_hmacsha256(mac, (const unsigned char *)body, len, key);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, WEBHOOK_SIGNATURE_CHARS - 7, mac, sizeof mac);
}

int webhook_sign(struct billingd *app, const char *body, size_t len,
                 char out[WEBHOOK_SIGNATURE_CHARS])
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    int rc = webhook_secret(db_acquire(app->db), key);

    db_release(app->db);
    if (rc == 0)
        webhook_mac(key, body, len, out);
    sodium_memzero(key, sizeof key);
    return rc;
}

struct webhook_event {
    const char *id, *type, *token;
    int64_t amount;
};

static bool webhook_event_parse(const cJSON *root, const char *currency, struct webhook_event *e,
                                cJSON *fields)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(root, "payment_token");
    const cJSON *money = cJSON_GetObjectItemCaseSensitive(root, "amount");
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(money, "currency");
    bool ok = true;

#define WEBHOOK_FIELD(name, msg)                                                                   \
    do {                                                                                           \
        cJSON_AddItemToObject(fields, name, cJSON_CreateStringArray((const char *[]){msg}, 1));    \
        ok = false;                                                                                \
    } while (0)
    if (!cJSON_IsString(id) || !id->valuestring[0] || strlen(id->valuestring) > 128)
        WEBHOOK_FIELD("id", "must be an event id of 1 to 128 characters");
    if (!cJSON_IsString(type) || (strcmp(type->valuestring, "payment.succeeded") != 0 &&
                                  strcmp(type->valuestring, "payment.failed") != 0))
        WEBHOOK_FIELD("type", "must be payment.succeeded or payment.failed");
    if (!cJSON_IsString(token))
        WEBHOOK_FIELD("payment_token", "is required");
    if (!json_get_int(cJSON_GetObjectItemCaseSensitive(money, "amount"), &e->amount) ||
        !cJSON_IsString(cur) || strcmp(cur->valuestring, currency) != 0)
        WEBHOOK_FIELD("amount", "must be a Money object in the store currency");
#undef WEBHOOK_FIELD
    if (ok) {
        e->id = id->valuestring;
        e->type = type->valuestring;
        e->token = token->valuestring;
    }
    return ok;
}

/* A sandbox event on its way in: what applying it needs. */
struct webhook_job {
    struct billingd *app;
    const char *gateway;
    const struct webhook_event *e;
    cJSON *fields;
};

/* Applies the event (a struct webhook_job) inside the caller's transaction. */
static enum api_error webhook_apply(void *ctx, sqlite3 *conn, int64_t now)
{
    const struct webhook_job *job = ctx;
    struct billingd *app = job->app;
    const char *gateway = job->gateway;
    const struct webhook_event *e = job->e;
    cJSON *fields = job->fields;
    sqlite3_stmt *st;
    int64_t payment_id = 0;
    bool matches = false;

    if (payment_by_token(conn, e->token, &payment_id) != API_OK) {
        cJSON_AddItemToObject(fields, "payment_token",
                              cJSON_CreateStringArray((const char *[]){"names no payment"}, 1));
        return API_ERR_VALIDATION_FAILED;
    }
    st = db_prepare(conn, "SELECT gateway = ? AND amount = ? FROM payments WHERE id = ?");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_text(st, 1, gateway, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, e->amount);
    sqlite3_bind_int64(st, 3, payment_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        matches = sqlite3_column_int(st, 0);
    db_finalize(st);
    if (!matches) {
        cJSON_AddItemToObject(
            fields, "payment_token",
            cJSON_CreateStringArray((const char *[]){"is not a payment of this gateway and amount"},
                                    1));
        return API_ERR_VALIDATION_FAILED;
    }
    if (strcmp(e->type, "payment.succeeded") == 0)
        return invoice_settle_payment(app, conn, payment_id, now);
    return order_payment_declined(conn, payment_id, now);
}

/* Records the event id; *duplicate when it was seen before. */
static enum api_error webhook_record(sqlite3 *conn, const char *gateway, const char *id,
                                     int64_t now, bool *duplicate)
{
    sqlite3_stmt *st = db_prepare(conn, "INSERT OR IGNORE INTO webhook_events(gateway, event_id,"
                                        " received_at) VALUES (?, ?, ?)");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_text(st, 1, gateway, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    if (sqlite3_step(st) == SQLITE_DONE) {
        *duplicate = sqlite3_changes(conn) == 0;
        err = API_OK;
    }
    db_finalize(st);
    return err;
}

enum api_error webhook_once(sqlite3 *conn, const char *gateway, const char *id, int64_t now,
                            bool *duplicate,
                            enum api_error (*apply)(void *ctx, sqlite3 *conn, int64_t now),
                            void *ctx)
{
    enum api_error err;

    if (db_begin(conn) != 0)
        return API_ERR_INTERNAL;
    err = webhook_record(conn, gateway, id, now, duplicate);
    if (err == API_OK && !*duplicate)
        err = apply(ctx, conn, now);
    if (err != API_OK || db_commit(conn) != 0) {
        db_rollback(conn);
        if (err == API_OK)
            err = API_ERR_INTERNAL;
    }
    return err;
}

enum api_error webhook_receive(struct billingd *app, const char *gateway, const char *body,
                               size_t len, const char *signature, bool *duplicate, cJSON *fields)
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    char want[WEBHOOK_SIGNATURE_CHARS];
    struct webhook_event e = {0};
    struct settings set;
    cJSON *root = NULL;
    int64_t now = clock_now(app);
    enum api_error err = API_ERR_INTERNAL;
    sqlite3 *conn = db_acquire(app->db);

    *duplicate = false;
    if (webhook_secret(conn, key) != 0 || settings_load(conn, &set) != 0)
        goto release;
    webhook_mac(key, body ? body : "", len, want);
    sodium_memzero(key, sizeof key);
    if (!signature || strlen(signature) != strlen(want) ||
        sodium_memcmp(signature, want, strlen(want)) != 0) {
        err = API_ERR_INVALID_SIGNATURE;
        goto release;
    }
    root = json_parse_exact(body, len);
    if (!cJSON_IsObject(root)) {
        err = API_ERR_INVALID_JSON;
        goto release;
    }
    if (!webhook_event_parse(root, set.currency_code, &e, fields)) {
        err = API_ERR_VALIDATION_FAILED;
        goto release;
    }
    err = webhook_once(conn, gateway, e.id, now, duplicate, webhook_apply,
                       &(struct webhook_job){app, gateway, &e, fields});
release:
    db_release(app->db);
    cJSON_Delete(root);
    return err;
}

void webhook_reply(struct reply *rep, enum api_error err, bool duplicate)
{
    cJSON *d;

    if (err == API_ERR_INVALID_SIGNATURE) {
        reply_error(rep, err, "The webhook signature does not match the body.");
    } else if (err != API_OK) {
        reply_error(rep, err, NULL);
    } else if ((d = cJSON_CreateObject()) && cJSON_AddBoolToObject(d, "received", true) &&
               cJSON_AddBoolToObject(d, "duplicate", duplicate)) {
        reply_data(rep, 200, d);
    } else {
        cJSON_Delete(d);
        reply_error(rep, API_ERR_INTERNAL, NULL);
    }
}

void handle_webhook(struct request *req, struct reply *rep)
{
    const char *gateway = req->params[0];
    cJSON *fields = cJSON_CreateObject();
    bool duplicate = false;
    enum api_error err;

    if (strcmp(gateway, "stripe") != 0 && strcmp(gateway, "paypal") != 0) {
        cJSON_Delete(fields);
        reply_error(rep, API_ERR_NOT_FOUND, "No gateway of that name sends events here.");
        return;
    }
    /* Real gateways sign their own ways; the sandbox's events (for their names too) below. */
    if (strcmp(gateway, "stripe") == 0 && gateway_stripe_configured(req->app, NULL)) {
        cJSON_Delete(fields);
        gateway_webhook(req, rep, &gateway_stripe_ops);
        return;
    }
    if (strcmp(gateway, "paypal") == 0 && gateway_paypal_configured(req->app, NULL)) {
        cJSON_Delete(fields);
        gateway_webhook(req, rep, &gateway_paypal_ops);
        return;
    }
    err = fields ? webhook_receive(req->app, gateway, req->body, req->body_len,
                                   request_header(req, "X-Sandbox-Signature"), &duplicate, fields)
                 : API_ERR_INTERNAL;
    if (err == API_ERR_VALIDATION_FAILED) {
        commerce_fields(rep, fields, "");
        reply_validation(rep);
    } else {
        webhook_reply(rep, err, duplicate);
    }
    cJSON_Delete(fields);
}
