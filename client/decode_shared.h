/* decode_shared.h: the readers the client's decoders share (internal). */
#ifndef SETT_CLIENT_DECODE_SHARED_H
#define SETT_CLIENT_DECODE_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "client/types_account.h"
#include "client/types_cart.h"
#include "client/wire.h"

/* Reads the envelope's data (and root, for meta) into a zeroed value of `size` bytes; on failure
 * `destroy` frees the half-read value. *out is the value or NULL. */
typedef int (*decode_read_fn)(const cJSON *root, const cJSON *data, void *value,
                              struct client_error *err);
int decode_object(const char *body, size_t len, size_t size, decode_read_fn read,
                  void (*destroy)(void *), void **out, struct client_error *err);

/* Sets a CLIENT_ERR_JSON "field <where.name>: <what>" error; returns -1. */
int decode_fail(const char *where, const char *name, const char *what, struct client_error *err);

/* The list's meta; absent members default to one page holding `n` items. */
int decode_meta(const cJSON *root, size_t n, struct page_meta *m, struct client_error *err);

/* Enum members: a required string that must be a known name ("unknown <what>" otherwise). */
int decode_cycle(const cJSON *obj, const char *where, const char *name, enum billing_cycle *out,
                 struct client_error *err);
int decode_service_status(const cJSON *obj, const char *where, const char *name,
                          enum service_status *out, struct client_error *err);
int decode_invoice_status(const cJSON *obj, const char *where, const char *name,
                          enum invoice_status *out, struct client_error *err);
int decode_payment_status(const cJSON *obj, const char *where, const char *name,
                          enum payment_status *out, struct client_error *err);
int decode_order_status(const cJSON *obj, const char *where, const char *name,
                        enum order_status *out, struct client_error *err);
int decode_invoice_kind(const cJSON *obj, const char *where, const char *name,
                        enum invoice_kind *out, struct client_error *err);
int decode_credit_tx_type(const cJSON *obj, const char *where, const char *name,
                          enum credit_tx_type *out, struct client_error *err);
int decode_cancellation_type(const cJSON *obj, const char *where, const char *name,
                             enum cancellation_type *out, struct client_error *err);

/* A required {id, slug, name, category_slug} member. */
int decode_product_summary(const cJSON *obj, const char *where, const char *name,
                           struct product_summary *out, struct client_error *err);
/* An optional options object {"memory_mb": 6144}: non-negative integers by resource. */
int decode_options(const cJSON *obj, const char *where, const char *name, struct option_value **out,
                   size_t *n, struct client_error *err);
/* A required Totals member. */
int decode_totals(const cJSON *obj, const char *where, const char *name, struct totals *out,
                  struct client_error *err);
/* An optional resources object; absent members are 0. */
int decode_resources(const cJSON *obj, const char *where, struct resources *r,
                     struct client_error *err);
/* A required, 3-letter currency code member into cur[4]. */
int decode_currency_code(const cJSON *obj, const char *where, const char *name, char cur[4],
                         struct client_error *err);
/* A quantity of at least 1. */
int decode_quantity(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                    int *out, struct client_error *err);

/* Element readers (wire_read_fn) shared across files. */
int decode_read_payment(const cJSON *v, const char *where, void *elem, struct client_error *err);
int decode_read_order(const cJSON *v, const char *where, void *elem, struct client_error *err);
int decode_read_service(const cJSON *v, const char *where, void *elem, struct client_error *err);
int decode_read_invoice(const cJSON *v, const char *where, void *elem, struct client_error *err);
int decode_read_invoice_summary(const cJSON *v, const char *where, void *elem,
                                struct client_error *err);
int decode_read_refund(const cJSON *v, const char *where, void *elem, struct client_error *err);
int decode_read_credit_tx(const cJSON *v, const char *where, void *elem, struct client_error *err);

/* Member clearing shared by the free functions. */
void product_summary_clear(struct product_summary *p);
void option_values_free(struct option_value *v, size_t n);

#endif
