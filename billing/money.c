/* money.c: amounts in minor units written for people, with integer arithmetic only. */
#include "billing/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *billing_money_text(const struct settings *set, int64_t amount, char *buf, size_t size)
{
    /* Magnitude as unsigned, so INT64_MIN has one too. */
    uint64_t mag = amount < 0 ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    uint64_t scale = 1;
    char whole[40], grouped[56], frac[8] = "";
    size_t n, g = 0;

    for (int i = 0; i < set->currency_exponent; i++)
        scale *= 10;
    snprintf(whole, sizeof whole, "%" PRIu64, mag / scale);
    n = strlen(whole);
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = whole[i];
    }
    grouped[g] = '\0';
    if (set->currency_exponent > 0) {
        /* The fraction's digits, zero-padded to the exponent (at most 4). */
        uint64_t rest = mag % scale;
        int e = set->currency_exponent > 4 ? 4 : set->currency_exponent;

        frac[0] = '.';
        for (int i = e; i >= 1; i--, rest /= 10)
            frac[i] = (char)('0' + rest % 10);
        frac[e + 1] = '\0';
    }
    if (set->currency_symbol[0])
        snprintf(buf, size, "%s%s%s%s", amount < 0 ? "-" : "", set->currency_symbol, grouped, frac);
    else
        snprintf(buf, size, "%s%s%s %s", amount < 0 ? "-" : "", grouped, frac, set->currency_code);
    return buf;
}
