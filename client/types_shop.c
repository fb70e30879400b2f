/* types_shop.c: the field tables of coupons and settings, and freeing them. */
#include "client/types_shop.h"

#include <stdlib.h>

#include "client/record_json.h"

#define C(member, name, kind, flags) REC_FIELD(struct coupon, name, kind, flags, member)
#define S(member, name, kind)        REC_FIELD(struct shop_settings, name, kind, REC_REQUIRED, member)

enum { REQ = REC_REQUIRED, NUL = REC_NULLABLE, RO = REC_READ_ONLY | REC_REQUIRED };

const struct record_field coupon_fields[COUPON_N_FIELDS] = {
    [COUPON_F_CODE] = C(code, "code", REC_STRING, REQ),
    [COUPON_F_DESCRIPTION] = C(description, "description", REC_STRING, 0),
    [COUPON_F_TYPE] = C(type, "type", REC_STRING, REQ),
    [COUPON_F_PERCENT_BPS] = C(percent_bps, "percent_bps", REC_INT, NUL),
    [COUPON_F_AMOUNT_OFF] = C(amount_off, "amount_off", REC_MONEY, NUL),
    [COUPON_F_DURATION] = C(duration, "duration", REC_STRING, REQ),
    [COUPON_F_DURATION_CYCLES] = C(duration_cycles, "duration_cycles", REC_INT, NUL),
    [COUPON_F_STARTS_AT] = C(starts_at, "starts_at", REC_STRING, NUL),
    [COUPON_F_ENDS_AT] = C(ends_at, "ends_at", REC_STRING, NUL),
    [COUPON_F_MAX_USES] = C(max_uses, "max_uses", REC_INT64, NUL),
    [COUPON_F_ONCE_PER_CUSTOMER] = C(once_per_customer, "once_per_customer", REC_BOOL, 0),
    [COUPON_F_MINIMUM_SUBTOTAL] = C(minimum_subtotal, "minimum_subtotal", REC_MONEY, NUL),
    [COUPON_F_PRODUCT_IDS] = C(product_ids, "product_ids", REC_INT64_LIST, 0),
    [COUPON_F_CYCLES] = C(cycles, "cycles", REC_STRING_LIST, 0),
    [COUPON_F_DISABLED] = C(disabled, "disabled", REC_BOOL, 0),
    [COUPON_F_ID] = C(id, "id", REC_INT64, RO),
    [COUPON_F_USES] = C(uses, "uses", REC_INT64, RO),
    [COUPON_F_CREATED_AT] = C(created_at, "created_at", REC_STRING, REC_READ_ONLY),
};

const struct record_field shop_settings_fields[SETTING_COUNT] = {
    [SETTING_CURRENCY_CODE] = S(currency_code, "currency.code", REC_STRING),
    [SETTING_CURRENCY_SYMBOL] = S(currency_symbol, "currency.symbol", REC_STRING),
    [SETTING_CURRENCY_EXPONENT] = S(currency_exponent, "currency.exponent", REC_INT),
    [SETTING_TAX_ENABLED] = S(tax_enabled, "tax.enabled", REC_BOOL),
    [SETTING_TAX_NAME] = S(tax_name, "tax.name", REC_STRING),
    [SETTING_TAX_RATE_BPS] = S(tax_rate_bps, "tax.rate_bps", REC_INT),
    [SETTING_TAX_INCLUSIVE] = S(tax_inclusive, "tax.inclusive", REC_BOOL),
    [SETTING_GATEWAYS] = S(gateways, "gateways", REC_STRING_LIST),
    [SETTING_CREDITS_ENABLED] = S(credits_enabled, "credits_enabled", REC_BOOL),
    [SETTING_CREDITS_MIN_DEPOSIT] = S(credits_min_deposit, "credits_min_deposit", REC_MONEY),
    [SETTING_CREDITS_MAX_DEPOSIT] = S(credits_max_deposit, "credits_max_deposit", REC_MONEY),
    [SETTING_AUTO_ACTIVATE] = S(auto_activate, "auto_activate", REC_BOOL),
    [SETTING_AUTO_SUSPEND_DAYS] = S(auto_suspend_days, "auto_suspend_days", REC_INT),
    [SETTING_AUTO_TERMINATE_DAYS] = S(auto_terminate_days, "auto_terminate_days", REC_INT),
    [SETTING_RENEWAL_INVOICE_DAYS] = S(renewal_invoice_days, "renewal_invoice_days", REC_INT),
    [SETTING_SIGNUP_ENABLED] = S(signup_enabled, "signup_enabled", REC_BOOL),
    [SETTING_BILLING_ENABLED] = S(billing_enabled, "billing_enabled", REC_BOOL),
    [SETTING_BILLING_LICENSED] = S(billing_licensed, "billing_licensed", REC_BOOL),
};

const struct record_table coupon_table = RECORD_TABLE(struct coupon, coupon_fields, NULL);
const struct record_table shop_settings_table =
    RECORD_TABLE(struct shop_settings, shop_settings_fields, NULL);

void coupon_clear(struct coupon *c)
{
    record_clear(&coupon_table, c);
}

RECORD_FREER(coupon_free, struct coupon, &coupon_table)

RECORD_LIST_FREER(coupon_page_free, struct coupon_page, &coupon_table)

RECORD_FREER(shop_settings_free, struct shop_settings, &shop_settings_table)
