/* types_account.h: what a customer owns after checkout: orders, payments, services, invoices,
 * credits; with the status enums and their names. */
#ifndef SETT_CLIENT_TYPES_ACCOUNT_H
#define SETT_CLIENT_TYPES_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/types.h"
#include "client/types_cart.h"

/* Times are strings as the server sent them: RFC 3339 UTC for moments ("2025-06-01T12:00:02Z"),
 * YYYY-MM-DD for calendar dates; "" when the server sent null. Ids are 0 when null. */

/* X-macros: each enum with its API name and a label for display. */
#define SERVICE_STATUSES(X)                                                                        \
    X(SERVICE_PENDING, "pending", "Pending")                                                       \
    X(SERVICE_ACTIVE, "active", "Active")                                                          \
    X(SERVICE_SUSPENDED, "suspended", "Suspended")                                                 \
    X(SERVICE_CANCELLED, "cancelled", "Cancelled")                                                 \
    X(SERVICE_TERMINATED, "terminated", "Terminated")

#define INVOICE_STATUSES(X)                                                                        \
    X(INVOICE_DRAFT, "draft", "Draft")                                                             \
    X(INVOICE_PENDING, "pending", "Unpaid")                                                        \
    X(INVOICE_PAID, "paid", "Paid")                                                                \
    X(INVOICE_OVERDUE, "overdue", "Overdue")                                                       \
    X(INVOICE_CANCELLED, "cancelled", "Cancelled")                                                 \
    X(INVOICE_REFUNDED, "refunded", "Refunded")

#define PAYMENT_STATUSES(X)                                                                        \
    X(PAYMENT_REQUIRES_ACTION, "requires_action", "Awaiting payment")                              \
    X(PAYMENT_PENDING, "pending", "Processing")                                                    \
    X(PAYMENT_PAID, "paid", "Paid")                                                                \
    X(PAYMENT_FAILED, "failed", "Failed")                                                          \
    X(PAYMENT_EXPIRED, "expired", "Expired")                                                       \
    X(PAYMENT_NOT_REQUIRED, "not_required", "Nothing to pay")                                      \
    X(PAYMENT_HELD, "held", "On hold for review")

#define ORDER_STATUSES(X)                                                                          \
    X(ORDER_PENDING_PAYMENT, "pending_payment", "Awaiting payment")                                \
    X(ORDER_PAID, "paid", "Paid")                                                                  \
    X(ORDER_PENDING_APPROVAL, "pending_approval", "Awaiting approval")                             \
    X(ORDER_COMPLETED, "completed", "Completed")                                                   \
    X(ORDER_CANCELLED, "cancelled", "Cancelled")

#define INVOICE_KINDS(X)                                                                           \
    X(INVOICE_KIND_ORDER, "order", "Order")                                                        \
    X(INVOICE_KIND_RENEWAL, "renewal", "Renewal")                                                  \
    X(INVOICE_KIND_DEPOSIT, "deposit", "Deposit")                                                  \
    X(INVOICE_KIND_CHANGE, "change", "Change")

#define CREDIT_TX_TYPES(X)                                                                         \
    X(CREDIT_TX_DEPOSIT, "deposit", "Deposit")                                                     \
    X(CREDIT_TX_SPEND, "spend", "Payment")                                                         \
    X(CREDIT_TX_REFUND, "refund", "Refund")                                                        \
    X(CREDIT_TX_ADJUSTMENT, "adjustment", "Adjustment")

#define CANCELLATION_TYPES(X)                                                                      \
    X(CANCEL_END_OF_PERIOD, "end_of_period", "At the end of the period")                           \
    X(CANCEL_IMMEDIATE, "immediate", "Immediately")

#define CLIENT_ENUM_MEMBER(name, api, label) name,
enum service_status { SERVICE_STATUSES(CLIENT_ENUM_MEMBER) SERVICE_STATUS_COUNT };
enum invoice_status { INVOICE_STATUSES(CLIENT_ENUM_MEMBER) INVOICE_STATUS_COUNT };
enum payment_status { PAYMENT_STATUSES(CLIENT_ENUM_MEMBER) PAYMENT_STATUS_COUNT };
enum order_status { ORDER_STATUSES(CLIENT_ENUM_MEMBER) ORDER_STATUS_COUNT };
enum invoice_kind { INVOICE_KINDS(CLIENT_ENUM_MEMBER) INVOICE_KIND_COUNT };
enum credit_tx_type { CREDIT_TX_TYPES(CLIENT_ENUM_MEMBER) CREDIT_TX_TYPE_COUNT };
enum cancellation_type { CANCELLATION_TYPES(CLIENT_ENUM_MEMBER) CANCELLATION_TYPE_COUNT };

/* For each: x_str gives the API name ("unknown" out of range), x_label a display label ("Unknown"
 * out of range), x_parse the value of an API name (0, or -1 for NULL or an unknown name). */
#define CLIENT_ENUM_DECLARE(prefix, type)                                                          \
    const char *prefix##_str(type v);                                                              \
    const char *prefix##_label(type v);                                                            \
    int prefix##_parse(const char *s, type *out);
CLIENT_ENUM_DECLARE(service_status, enum service_status)
CLIENT_ENUM_DECLARE(invoice_status, enum invoice_status)
CLIENT_ENUM_DECLARE(payment_status, enum payment_status)
CLIENT_ENUM_DECLARE(order_status, enum order_status)
CLIENT_ENUM_DECLARE(invoice_kind, enum invoice_kind)
CLIENT_ENUM_DECLARE(credit_tx_type, enum credit_tx_type)
CLIENT_ENUM_DECLARE(cancellation_type, enum cancellation_type)

/* ── payments ── */
struct payment {
    int64_t id;
    int64_t invoice_id;
    enum payment_status status;
    char *gateway;                /* "stripe", "paypal", "credits"; "" when nothing was charged */
    struct money amount;          /* what the gateway collects */
    struct money credits_applied; /* taken from the balance alongside */
    char *next_action_url;        /* the gateway's hosted page; never "" while requires_action */
    char *failure_reason;
    char *created_at;
    char *updated_at;
    char *expires_at;
};
void payment_free(struct payment **p);
void payment_clear(struct payment *p);
/* The payment has reached its end (paid, failed, expired, not_required): stop polling. */
bool payment_settled(const struct payment *p);

/* ── orders ── */
struct order_item {
    struct product_summary product;
    enum billing_cycle cycle;
    struct option_value *options;
    size_t n_options;
    int quantity;
    struct money unit_price;
    struct money setup_fee;
    struct money line_total;
    int64_t *service_ids; /* one per unit */
    size_t n_service_ids;
};

struct order {
    int64_t id;
    char *number; /* "ORD-2025-000058" */
    int64_t user_id;
    enum order_status status;
    struct order_item *items;
    size_t n_items;
    char *coupon_code; /* "" when none */
    struct totals totals;
    int64_t invoice_id;
    char *created_at;
    char *paid_at;
    char *completed_at;
    char *cancelled_at;
};
void order_free(struct order **o);
void order_clear(struct order *o);

struct order_page {
    struct order *items;
    size_t n;
    struct page_meta meta;
};
void order_page_free(struct order_page **p);

/* ── invoices ── */
struct invoice_summary {
    int64_t id;
    char *number; /* "INV-2025-000142" */
    enum invoice_status status;
    enum invoice_kind kind;
    char *issue_date;
    char *due_date;
    struct money total;
    struct money amount_due;
    char *paid_at;
};
void invoice_summary_clear(struct invoice_summary *s);

struct invoice_line {
    char *description;
    int quantity;
    struct money unit_price;
    struct money amount;
    char *period_start; /* both "" when the line bills no period (setup fee, deposit) */
    char *period_end;
    int64_t service_id;
};

struct invoice_payment {
    int64_t id;
    char *gateway;
    struct money amount;
    enum payment_status status;
    char *created_at;
};

struct refund {
    int64_t id;
    struct money amount;
    char *reason;
    bool to_credits;
    char *gateway; /* "" when none */
    char *status;  /* "pending", "succeeded", "failed" */
    char *created_at;
};

struct invoice {
    struct invoice_summary summary; /* id, number, status, kind, dates, total, amount_due */
    char currency[4];
    struct invoice_line *lines;
    size_t n_lines;
    char *coupon_code; /* "" when none */
    struct totals totals;
    struct money amount_paid; /* settled payments, credits included */
    struct money amount_refunded;
    struct invoice_payment *payments; /* oldest first */
    size_t n_payments;
    struct refund *refunds;
    size_t n_refunds;
    int64_t order_id;
    int64_t service_id; /* the service a renewal renews */
};
void invoice_free(struct invoice **i);
void invoice_clear(struct invoice *i);
bool invoice_payable(const struct invoice_summary *s); /* pending or overdue with something due */

struct invoice_page {
    struct invoice_summary *items;
    size_t n;
    struct page_meta meta;
};
void invoice_page_free(struct invoice_page **p);

/* ── services ── */
struct server_info {
    char *name;
    char *address; /* host:port players connect to */
    char *node;
};

struct cancellation {
    enum cancellation_type type;
    char *reason;
    char *requested_at;
    char *effective_at; /* the next due date for end_of_period */
};

struct service {
    int64_t id;
    int64_t order_id;
    struct product_summary product;
    enum service_status status;
    enum billing_cycle cycle;
    struct option_value *options;
    size_t n_options;
    struct resources resources;
    struct money recurring_price;
    char *next_due_date; /* "" for one-time and ended services */
    bool has_server;     /* false until provisioned and after removal */
    struct server_info server;
    bool has_cancellation; /* a pending (or executed) cancellation */
    struct cancellation cancellation;
    char *suspension_reason; /* "" unless suspended */
    char *created_at;
    char *activated_at;
    /* one service (GET /billing/services/{id}): its 10 latest invoices; none in lists */
    struct invoice_summary *invoices;
    size_t n_invoices;
};
void service_free(struct service **s);
void service_clear(struct service *s);
/* A cancellation at the end of the period is scheduled and can still be withdrawn. */
bool service_cancellation_pending(const struct service *s);

struct service_page {
    struct service *items;
    size_t n;
    struct page_meta meta;
};
void service_page_free(struct service_page **p);

/* ── checkout ── */
struct checkout_result {
    struct order order;
    struct invoice invoice;
    struct service *services;
    size_t n_services;
    struct payment payment;
    bool replayed; /* the answer to an earlier request with the same Idempotency-Key */
};
void checkout_result_free(struct checkout_result **r);

struct checkout_request {
    const char *payment_method; /* "stripe", "paypal" or "credits" */
    bool use_credits;
    struct money expected_total; /* the cart's totals.total as shown */
    const char *cart_etag;       /* the cart's etag as shown: sent as If-Match */
    const char *idempotency_key; /* one per confirmation; the same on every retry of it */
};

/* ── credits ── */
struct credits {
    struct money balance;
    bool enabled; /* false: the balance is kept but cannot be deposited or spent */
    struct money min_deposit;
    struct money max_deposit;
    int64_t pending_deposit_invoice_id; /* 0 when none */
};
void credits_free(struct credits **c);

struct credit_tx {
    int64_t id;
    enum credit_tx_type type;
    struct money amount; /* signed: negative for spend and removals */
    struct money balance_after;
    char *description;
    int64_t invoice_id;
    char *created_at;
};

struct ledger_page {
    struct credit_tx *items;
    size_t n;
    struct page_meta meta;
};
void ledger_page_free(struct ledger_page **p);

/* The account (GET /auth/me). */
void auth_user_free(struct auth_user **u);

/* A page of a list, optionally filtered by status. */
struct list_query {
    const char *status; /* API name, e.g. service_status_str(SERVICE_ACTIVE); NULL for all */
    int page;           /* 1-based; 0 means 1 */
    int per_page;       /* 0 means server default */
};

/* Decoders (see types.h). */
int decode_payment(const char *body, size_t len, struct payment **out, struct client_error *err);
int decode_order(const char *body, size_t len, struct order **out, struct client_error *err);
int decode_orders(const char *body, size_t len, struct order_page **out, struct client_error *err);
int decode_checkout(const char *body, size_t len, struct checkout_result **out,
                    struct client_error *err);
int decode_service(const char *body, size_t len, struct service **out, struct client_error *err);
int decode_services(const char *body, size_t len, struct service_page **out,
                    struct client_error *err);
int decode_invoice(const char *body, size_t len, struct invoice **out, struct client_error *err);
int decode_invoices(const char *body, size_t len, struct invoice_page **out,
                    struct client_error *err);
int decode_credits(const char *body, size_t len, struct credits **out, struct client_error *err);
int decode_ledger(const char *body, size_t len, struct ledger_page **out, struct client_error *err);
int decode_user(const char *body, size_t len, struct auth_user **out, struct client_error *err);

#endif
