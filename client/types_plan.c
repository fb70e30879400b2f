/* types_plan.c: the field tables of plan quotes and changes, their decoders and freeing. */
#include "client/types_plan.h"

#include <stdlib.h>

#include "client/record_json.h"

enum { REQ = REC_REQUIRED };

#define SIDE(member, name, kind) REC_FIELD(struct plan_side, name, kind, REQ, member)
static const struct record_field side_fields[] = {
    SIDE(product_id, "product.id", REC_INT64),
    SIDE(product_slug, "product.slug", REC_STRING),
    SIDE(product_name, "product.name", REC_STRING),
    SIDE(cycle, "cycle", REC_STRING),
    REC_OPTIONS_FIELD(struct plan_side, "options", 0, options, n_options),
    SIDE(recurring_price, "recurring_price", REC_MONEY),
};
static const struct record_table side_table = RECORD_TABLE(struct plan_side, side_fields, NULL);

#define OBJ(type, json, member)                                                                    \
    {                                                                                              \
        .name = json, .kind = REC_OBJECT, .flags = REQ, .offset = offsetof(type, member),          \
        .sub = &side_table                                                                         \
    }

#define Q(member, name, kind, flags) REC_FIELD(struct plan_quote, name, kind, flags, member)
static const struct record_field quote_fields[] = {
    Q(service_id, "service_id", REC_INT64, REQ),
    OBJ(struct plan_quote, "from", from),
    OBJ(struct plan_quote, "to", to),
    Q(direction, "direction", REC_STRING, REQ),
    Q(timing, "timing", REC_STRING, REQ),
    Q(effective_date, "effective_date", REC_STRING, 0),
    Q(period_start, "current_period.start", REC_STRING, REQ),
    Q(period_end, "current_period.end", REC_STRING, REQ),
    Q(seconds_left, "proration.seconds_left", REC_INT64, REQ),
    Q(period_seconds, "proration.period_seconds", REC_INT64, REQ),
    Q(credit, "credit", REC_MONEY, REQ),
    Q(charge, "charge", REC_MONEY, REQ),
    Q(net, "net", REC_MONEY, REQ),
    Q(tax, "tax", REC_MONEY, REQ),
    Q(total, "total", REC_MONEY, REQ),
    Q(credits_available, "credits_available", REC_MONEY, REQ),
    Q(credits_to_apply, "credits_to_apply", REC_MONEY, REQ),
    Q(due_now, "due_now", REC_MONEY, REQ),
    Q(refund_to_balance, "refund_to_balance", REC_MONEY, REQ),
    Q(next_renewal_date, "next_renewal.date", REC_STRING, REQ),
    Q(next_renewal_amount, "next_renewal.amount", REC_MONEY, REQ),
};
const struct record_table plan_quote_table = RECORD_TABLE(struct plan_quote, quote_fields, NULL);

#define C(member, name, kind, flags) REC_FIELD(struct plan_change, name, kind, flags, member)
static const struct record_field change_fields[] = {
    C(id, "id", REC_INT64, REQ),
    C(service_id, "service_id", REC_INT64, REQ),
    C(status, "status", REC_STRING, REQ),
    C(direction, "direction", REC_STRING, REQ),
    C(timing, "timing", REC_STRING, REQ),
    OBJ(struct plan_change, "from", from),
    OBJ(struct plan_change, "to", to),
    C(credit, "credit", REC_MONEY, REQ),
    C(charge, "charge", REC_MONEY, REQ),
    C(net, "net", REC_MONEY, REQ),
    C(tax, "tax", REC_MONEY, REQ),
    C(total, "total", REC_MONEY, REQ),
    C(refund_to_balance, "refund_to_balance", REC_MONEY, REQ),
    C(invoice_id, "invoice_id", REC_INT64, 0),
    C(effective_date, "effective_date", REC_STRING, 0),
    C(created_at, "created_at", REC_STRING, REQ),
    C(applied_at, "applied_at", REC_STRING, 0),
    C(cancelled_at, "cancelled_at", REC_STRING, 0),
    C(reversed_at, "reversed_at", REC_STRING, 0),
};
const struct record_table plan_change_table = RECORD_TABLE(struct plan_change, change_fields, NULL);

/* {change, invoice}: the change; the invoice is read by its own request. */
static const struct record_field result_fields[] = {
    {.name = "change", .kind = REC_OBJECT, .flags = REQ, .offset = 0, .sub = &plan_change_table},
};
static const struct record_table result_table =
    RECORD_TABLE(struct plan_change, result_fields, NULL);

RECORD_FREER(plan_quote_free, struct plan_quote, &plan_quote_table)
RECORD_FREER(plan_change_free, struct plan_change, &plan_change_table)
RECORD_LIST_FREER(plan_change_page_free, struct plan_change_page, &plan_change_table)

RECORD_DECODER(decode_plan_quote, struct plan_quote, &plan_quote_table)
RECORD_DECODER(decode_plan_change, struct plan_change, &plan_change_table)
RECORD_DECODER(decode_plan_change_result, struct plan_change, &result_table)
RECORD_LIST_DECODER(decode_plan_changes, struct plan_change_page, &plan_change_table, meta)
