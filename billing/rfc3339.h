/* rfc3339.h: reads the RFC 3339 date-times clients send (expiry dates, coupon windows). */
#ifndef SETT_BILLING_RFC3339_H
#define SETT_BILLING_RFC3339_H

#include <stdbool.h>
#include <stdint.h>

/* Strict RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS", an optional fraction (dropped), then "Z" or
 * "+hh:mm"/"-hh:mm"; Unix seconds into *out. False for anything else, impossible dates included.
 * (Writing them is timestamp.h's part.) */
bool rfc3339_parse(const char *s, int64_t *out);

#endif
