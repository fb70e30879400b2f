/* decimal.h: money as a gateway's decimal string ("15.59") and back, from and to integer minor
 * units with the currency's exponent; no floating point. */
#ifndef SETT_BILLING_DECIMAL_H
#define SETT_BILLING_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* 1559, 2 → "15.59"; 1200, 0 → "1200"; -5, 2 → "-0.05". 0, or -1 when it does not fit. */
int decimal_format(int64_t minor, int exponent, char *out, size_t size);
/* "15.59", 2 → 1559; "15.5" → 1550; "15" → 1500. Refuses signs, more fraction digits than the
 * exponent, empty parts and overflow. 0 or -1. */
int decimal_parse(const char *text, int exponent, int64_t *minor);

#endif
