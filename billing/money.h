/* money.h: amounts in minor units written for people ("$1,234.56"), for messages and pages. */
#ifndef SETT_BILLING_MONEY_H
#define SETT_BILLING_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "billing/settings.h"

/* With the store's symbol (or its code after the number when there is no symbol) and exponent;
 * negative amounts lead with '-'. Returns buf. */
const char *billing_money_text(const struct settings *set, int64_t amount, char *buf, size_t size);

#endif
