/* rfc3339.c: reads the RFC 3339 date-times clients send (expiry dates, coupon windows). */
#include "billing/rfc3339.h"

#include <ctype.h>
#include <string.h>

#include "billing/clock.h"

/* n digits at s as a number, or -1. */
static int rfc3339_digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool rfc3339_parse(const char *s, int64_t *out)
{
    char day[DATE_CHARS];
    struct date d;
    int hh, mm, ss, oh = 0, om = 0, sign = 0;
    const char *p;

    if (!s || strlen(s) < 20 || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        return false;
    memcpy(day, s, 10);
    day[10] = '\0';
    if (!date_parse(day, &d))
        return false;
    hh = rfc3339_digits(s + 11, 2);
    mm = rfc3339_digits(s + 14, 2);
    ss = rfc3339_digits(s + 17, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
        return false;
    p = s + 19;
    if (*p == '.') {
        size_t n = strspn(p + 1, "0123456789");
        if (n == 0)
            return false;
        p += 1 + n;
    }
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        sign = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        sign = *p == '+' ? 1 : -1;
        oh = rfc3339_digits(p + 1, 2);
        om = rfc3339_digits(p + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return false;
    } else {
        return false;
    }
    /* A leap second (:60) reads as the next minute's first second. */
    *out = date_to_unix(d) + hh * 3600 + mm * 60 + ss - sign * (oh * 3600 + om * 60);
    return true;
}
