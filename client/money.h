/* money.h: money as an integer count of minor units with its currency; formatting only. */
#ifndef SETT_CLIENT_MONEY_H
#define SETT_CLIENT_MONEY_H

#include <stddef.h>
#include <stdint.h>

struct currency {
    char code[4];   /* ISO 4217, e.g. "USD" */
    char symbol[8]; /* UTF-8, e.g. "$", "€"; "" means use the code */
    int exponent;   /* minor-unit digits: 2 for USD, 0 for JPY, 3 for KWD */
};

struct money {
    int64_t amount; /* minor units */
    char currency[4];
};

/* Formats `m` like "$12.99", "-$0.05", "¥1,200", "12.500 KWD" (no symbol known).
 * Uses `cur` when its code matches, else the built-in table, else exponent 2 and the code.
 * Thousands separated with ','. Always NUL-terminates; returns the length it wanted (snprintf). */
int money_format(const struct money *m, const struct currency *cur, char *buf, size_t bufsz);
/* Built-in knowledge of common currencies; returns 0 and fills `out` if known, -1 otherwise. */
int currency_lookup(const char *code, struct currency *out);

#endif
