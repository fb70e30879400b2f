/* clock.h: the server's clock (injectable, so tests can live through a year in seconds) and
 * calendar dates for due dates and billing periods. */
#ifndef SETT_BILLING_CLOCK_H
#define SETT_BILLING_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct billingd;

/* Unix seconds: the real time, or the time a test fixed with billingd_set_clock(). */
int64_t clock_now(const struct billingd *app);

/* A calendar date in UTC. */
struct date {
    int y, m, d; /* m 1-12, d 1-31 */
};

#define DATE_CHARS 11 /* "YYYY-MM-DD" and the NUL */

bool date_parse(const char *s, struct date *out); /* strict "YYYY-MM-DD", a real day */
void date_format(struct date d, char out[DATE_CHARS]);
struct date date_from_unix(int64_t t);
int64_t date_to_unix(struct date d); /* midnight UTC */
int date_compare(struct date a, struct date b);
int date_days_in_month(int y, int m);
/* `months` after `d`, on `anchor_day` clamped to the month's length: a service first due on
 * 31 January is due 28 (or 29) February, then 31 March — a month is not 30 days. */
struct date date_add_months(struct date d, int months, int anchor_day);
struct date date_add_days(struct date d, int days);
/* Whole days from a to b (negative if b is earlier). */
int64_t date_diff_days(struct date a, struct date b);

#endif
