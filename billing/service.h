/* service.h: one service row as the lifecycle code reads it. */
#ifndef SETT_BILLING_SERVICE_H
#define SETT_BILLING_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/api_error.h"
#include "billing/clock.h"

struct service {
    int64_t id, user_id, order_id, product_id;
    char status[16]; /* pending, active, suspended, cancelled, terminated */
    char cycle[16];
    int64_t months;
    char *options; /* JSON object text {resource: value} */
    int64_t recurring_amount;
    int64_t coupon_id;          /* 0: none */
    int64_t coupon_cycles_left; /* -1: forever (SQL NULL) */
    int anchor_day;
    bool has_due; /* next_due_date is set (never for one_time and ended services) */
    struct date next_due;
    bool cancellation_pending; /* a cancellation request that has not taken effect yet */
};

/* Loads a service; user_id 0 matches any owner. API_OK, API_ERR_NOT_FOUND or API_ERR_INTERNAL.
 * Free with service_row_clear. */
enum api_error service_load(sqlite3 *conn, int64_t id, int64_t user_id, struct service *out);
void service_row_clear(struct service *s);

bool service_is(const struct service *s, const char *status);
/* Still running or about to: pending, active or suspended. */
bool service_is_live(const struct service *s);
bool service_is_recurring(const struct service *s);

/* Why a suspended service is suspended: the reason of its latest "service.suspend" audit entry
 * ("overdue" when the scheduler suspended it; by_system then true). "" when none is recorded.
 * 0 or -1. */
int service_suspension_reason(sqlite3 *conn, int64_t id, char *buf, size_t size, bool *by_system);

/* "42" → 42; anything but a positive decimal id that fits is false. */
bool service_parse_id(const char *s, int64_t *id);

#endif
