/* clock.c: the injectable clock and calendar arithmetic on UTC dates. */
#include "billing/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "billing/app.h"
#include "billing/billingd.h"

int64_t clock_now(const struct billingd *app)
{
    int64_t fixed = app ? __atomic_load_n(&app->fixed_now, __ATOMIC_RELAXED) : 0;
    return fixed ? fixed : (int64_t)time(NULL);
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_parse(const char *s, struct date *out)
{
    int y, m, d, n = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return false;
    if (s[4] != '-' || s[7] != '-' || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > date_days_in_month(y, m))
        return false;
    *out = (struct date){y, m, d};
    return true;
}

void date_format(struct date d, char out[DATE_CHARS])
{
    unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, day = (unsigned)d.d % 100u;
    snprintf(out, DATE_CHARS, "%04u-%02u-%02u", y, m, day);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static struct date civil_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int y = (int)(yoe + era * 400 + (m <= 2));
    return (struct date){y, m, d};
}

struct date date_from_unix(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return civil_from_days(days);
}

int64_t date_to_unix(struct date d)
{
    return days_from_civil(d.y, d.m, d.d) * 86400;
}

int date_compare(struct date a, struct date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

struct date date_add_months(struct date d, int months, int anchor_day)
{
    int64_t index = (int64_t)d.y * 12 + (d.m - 1) + months;
    struct date r = {(int)(index / 12), (int)(index % 12) + 1, 1};
    int last = date_days_in_month(r.y, r.m);
    int day = anchor_day > 0 ? anchor_day : d.d;
    r.d = day > last ? last : day;
    return r;
}

struct date date_add_days(struct date d, int days)
{
    return civil_from_days(days_from_civil(d.y, d.m, d.d) + days);
}

int64_t date_diff_days(struct date a, struct date b)
{
    return days_from_civil(b.y, b.m, b.d) - days_from_civil(a.y, a.m, a.d);
}

void billingd_set_clock(struct billingd *d, int64_t unix_seconds)
{
    __atomic_store_n(&d->fixed_now, unix_seconds, __ATOMIC_RELAXED);
}
