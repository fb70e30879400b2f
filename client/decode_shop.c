/* decode_shop.c: coupons and settings read through their field tables. */
#include "client/record_json.h"
#include "client/types_shop.h"

RECORD_DECODER(decode_coupon, struct coupon, &coupon_table)
RECORD_LIST_DECODER(decode_coupons, struct coupon_page, &coupon_table, meta)
RECORD_DECODER(decode_shop_settings, struct shop_settings, &shop_settings_table)
