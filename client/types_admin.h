/* types_admin.h: the operator side of the billing API (/admin/...): customer accounts, their
 * records, the actions on them and the audit log; plus signing in with an API key. */
#ifndef SETT_CLIENT_TYPES_ADMIN_H
#define SETT_CLIENT_TYPES_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client.h"

/* ── API keys ── */
/* An API key is "bp_" followed by 40 letters and digits. */
#define CLIENT_API_KEY_LEN 43
/* True for a string shaped like an API key (nothing is asked of the server). */
bool client_api_key_valid(const char *key);
/* Signs the client in with an API key: every request sends "Authorization: Bearer bp_...". There
 * is no refresh: a 401 is CLIENT_ERR_AUTH (a revoked or unknown key) and the key stays set.
 * Replaces any session; the tokens callback is not told (a key is not a session to store);
 * client_set_tokens(c, NULL, NULL) forgets it. Returns -1 (and changes nothing) for a key that
 * fails client_api_key_valid(). */
int client_use_api_key(struct client *c, const char *key);

/* ── accounts as operators see them ── */
struct admin_ssh_key {
    char *fingerprint; /* "SHA256:..." as ssh-keygen -lf prints it */
    char *key_type;    /* "ssh-ed25519", ... */
    char *comment;     /* "" when none */
    char *created_at;
    char *last_used_at; /* "" when never */
};

struct admin_user {
    int64_t id;
    char *email;
    char *name;
    char *role; /* "customer" or "admin" */
    char *created_at;
    char *last_login_at; /* "" when never */
    struct admin_ssh_key *ssh_keys;
    size_t n_ssh_keys;
    struct money credit_balance;
    int active_services;
    int unpaid_invoices; /* pending and overdue */
    bool has_total_due;
    struct money total_due; /* what the unpaid invoices still ask for, when has_total_due */
    char *next_due_date;    /* "" when none or not sent */
};
void admin_user_free(struct admin_user **u);
void admin_user_clear(struct admin_user *u);

struct admin_user_page {
    struct admin_user *items;
    size_t n;
    struct page_meta meta;
};
void admin_user_page_free(struct admin_user_page **p);

/* GET /admin/users: `q` matches e-mail and name (substring, any case), an exact account id, or
 * an SSH key fingerprint ("SHA256:...", exact or a prefix). NULL or "": every account. */
struct admin_user_query {
    const char *q;
    int page;     /* 1-based; 0 means 1 */
    int per_page; /* 0 means the server's default */
};

/* ── actions ── */
/* POST /admin/invoices/{id}/refunds. */
struct admin_refund_request {
    bool full;           /* true: everything not yet refunded (amount is ignored) */
    struct money amount; /* positive, in the invoice's currency, when !full */
    const char *reason;  /* required, 1..1000 characters */
    bool to_credits;     /* true: to the customer's credit balance; false: back to the gateways */
    const char *idempotency_key; /* required: one per confirmation */
};

struct refund_result {
    struct refund refund;
    struct invoice invoice; /* the invoice after the refund */
    bool replayed;          /* the answer to an earlier request with the same Idempotency-Key */
};
void refund_result_free(struct refund_result **r);

/* One credit ledger entry (the answer to an adjustment). */
void credit_tx_free(struct credit_tx **t);

/* ── the audit log ── */
struct audit_entry {
    int64_t id;
    char *actor_type; /* "user", "api_key", "system" */
    int64_t actor_id; /* 0 for the system */
    char *actor_name;
    int64_t actor_user_id; /* for an api_key: the account that owns it; else 0 */
    char *action;          /* "invoice.refund", "credits.adjust", "service.suspend", ... */
    char *target_type;     /* "user", "service", "invoice", "order", ... */
    int64_t target_id;     /* 0 when null */
    char *reason;          /* "" when null */
    char *at;
};

struct audit_page {
    struct audit_entry *items;
    size_t n;
    struct page_meta meta;
};
void audit_page_free(struct audit_page **p);

struct audit_query {
    int64_t actor_id;        /* 0: any */
    const char *target_type; /* NULL: any */
    int64_t target_id;       /* 0: any (needs target_type) */
    int page;
    int per_page;
};

/* ── callbacks (ownership as in client.h) ── */
typedef void (*client_admin_users_cb)(void *ud, struct admin_user_page *value,
                                      const struct client_error *err);
typedef void (*client_admin_user_cb)(void *ud, struct admin_user *value,
                                     const struct client_error *err);
typedef void (*client_refund_cb)(void *ud, struct refund_result *value,
                                 const struct client_error *err);
typedef void (*client_credit_tx_cb)(void *ud, struct credit_tx *value,
                                    const struct client_error *err);
typedef void (*client_audit_cb)(void *ud, struct audit_page *value, const struct client_error *err);

/* ── requests (scope admin) ──
 * Each returns a request id, or 0 when it could not start (invalid arguments: a non-positive id,
 * an empty or missing reason, a bad key; or out of memory); the callback is then not called.
 * A customer's session or key gets CLIENT_ERR_API with code "forbidden" (HTTP 403). */
/* free: admin_user_page_free; `q` may be NULL */
uint64_t client_admin_search_users(struct client *c, const struct admin_user_query *q,
                                   client_admin_users_cb cb, void *ud);
/* free: admin_user_free */
uint64_t client_admin_get_user(struct client *c, int64_t user_id, client_admin_user_cb cb,
                               void *ud);
/* A customer's records: the same types (and free functions) as the customer's own requests in
 * client.h; `q` may be NULL, q->status filters services, invoices and orders. */
uint64_t client_admin_get_user_services(struct client *c, int64_t user_id,
                                        const struct list_query *q, client_services_cb cb,
                                        void *ud);
uint64_t client_admin_get_user_invoices(struct client *c, int64_t user_id,
                                        const struct list_query *q, client_invoices_cb cb,
                                        void *ud);
uint64_t client_admin_get_user_orders(struct client *c, int64_t user_id, const struct list_query *q,
                                      client_orders_cb cb, void *ud);
uint64_t client_admin_get_user_credits(struct client *c, int64_t user_id, client_credits_cb cb,
                                       void *ud);
uint64_t client_admin_get_user_ledger(struct client *c, int64_t user_id, const struct list_query *q,
                                      client_ledger_cb cb, void *ud);
/* Any customer's invoice. free: invoice_free */
uint64_t client_admin_get_invoice(struct client *c, int64_t invoice_id, client_invoice_cb cb,
                                  void *ud);
/* Orders of all customers (q->status "pending_approval": those waiting). free: order_page_free */
uint64_t client_admin_get_orders(struct client *c, const struct list_query *q, client_orders_cb cb,
                                 void *ud);

/* Adds (amount > 0) or removes (amount < 0) credit; the reason goes to the ledger and the audit
 * log. Removing more than the balance is "validation_failed". free: credit_tx_free */
uint64_t client_admin_adjust_credits(struct client *c, int64_t user_id, const struct money *amount,
                                     const char *reason, const char *idempotency_key,
                                     client_credit_tx_cb cb, void *ud);
/* Refusals: "invoice_not_refundable" (nothing paid), "validation_failed" (amount above what is
 * refundable). free: refund_result_free */
uint64_t client_admin_refund_invoice(struct client *c, int64_t invoice_id,
                                     const struct admin_refund_request *r, client_refund_cb cb,
                                     void *ud);
/* "invalid_status" unless active (suspend) or suspended (unsuspend). free: service_free */
uint64_t client_admin_suspend_service(struct client *c, int64_t service_id, const char *reason,
                                      client_service_cb cb, void *ud);
uint64_t client_admin_unsuspend_service(struct client *c, int64_t service_id, const char *reason,
                                        client_service_cb cb, void *ud);
/* A pending_approval order: completed, its services activated. "invalid_status" otherwise.
 * free: order_free */
uint64_t client_admin_approve_order(struct client *c, int64_t order_id, const char *reason,
                                    client_order_cb cb, void *ud);
/* A held payment's money accepted for its invoice; the invoice after. "invalid_status" unless
 * held, "validation_failed" for money in another currency. free: invoice_free */
uint64_t client_admin_release_payment(struct client *c, int64_t payment_id, const char *reason,
                                      client_invoice_cb cb, void *ud);
/* Newest first. free: audit_page_free; `q` may be NULL */
uint64_t client_admin_get_audit_log(struct client *c, const struct audit_query *q,
                                    client_audit_cb cb, void *ud);

/* Decoders (envelopes as in types.h), for tests and scripts. */
int decode_admin_user(const char *body, size_t len, struct admin_user **out,
                      struct client_error *err);
int decode_admin_users(const char *body, size_t len, struct admin_user_page **out,
                       struct client_error *err);
int decode_refund_result(const char *body, size_t len, struct refund_result **out,
                         struct client_error *err);
int decode_credit_tx(const char *body, size_t len, struct credit_tx **out,
                     struct client_error *err);
int decode_audit_log(const char *body, size_t len, struct audit_page **out,
                     struct client_error *err);

#endif
