/* decimal.c: minor units to a decimal string and back, exactly. */
#include "billing/decimal.h"

#include <stdio.h>
#include <string.h>

int decimal_format(int64_t minor, int exponent, char *out, size_t size)
{
    uint64_t v = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor, scale = 1;
    int n;

    if (exponent < 0 || exponent > 4)
        return -1;
    for (int i = 0; i < exponent; i++)
        scale *= 10;
    if (exponent == 0)
        n = snprintf(out, size, "%s%llu", minor < 0 ? "-" : "", (unsigned long long)v);
    else
        n = snprintf(out, size, "%s%llu.%0*llu", minor < 0 ? "-" : "",
                     (unsigned long long)(v / scale), exponent, (unsigned long long)(v % scale));
    return n > 0 && (size_t)n < size ? 0 : -1;
}

int decimal_parse(const char *text, int exponent, int64_t *minor)
{
    const char *dot = strchr(text, '.');
    size_t whole = dot ? (size_t)(dot - text) : strlen(text), frac = dot ? strlen(dot + 1) : 0;
    int64_t v = 0;

    if (exponent < 0 || exponent > 4 || whole == 0 || whole > 15 || (dot && frac == 0) ||
        frac > (size_t)exponent || strspn(text, "0123456789") != whole ||
        (dot && strspn(dot + 1, "0123456789") != frac))
        return -1;
    for (size_t i = 0; i < whole; i++)
        v = v * 10 + (text[i] - '0');
    for (int i = 0; i < exponent; i++)
        v = v * 10 + ((size_t)i < frac ? dot[1 + i] - '0' : 0);
    *minor = v;
    return 0;
}
