/* timestamp.c: instants as RFC 3339 UTC text for JSON replies. */
#include "billing/timestamp.h"

#include <stdio.h>

#include "billing/clock.h"

void timestamp_format(int64_t t, char out[TIMESTAMP_CHARS])
{
    struct date d = date_from_unix(t);
    int64_t secs = t - date_to_unix(d); /* 0..86399, also before 1970 */

    /* The moduli only tell the compiler the widths; every field is already in range. */
    snprintf(out, TIMESTAMP_CHARS, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.y % 10000u,
             (unsigned)d.m % 100u, (unsigned)d.d % 100u, (unsigned)(secs / 3600) % 100u,
             (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}

cJSON *json_add_timestamp(cJSON *obj, const char *name, int64_t t)
{
    char buf[TIMESTAMP_CHARS];

    timestamp_format(t, buf);
    return cJSON_AddStringToObject(obj, name, buf);
}

cJSON *json_add_timestamp_col(cJSON *obj, const char *name, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return cJSON_AddNullToObject(obj, name);
    return json_add_timestamp(obj, name, sqlite3_column_int64(st, col));
}

cJSON *json_add_date_of(cJSON *obj, const char *name, int64_t t)
{
    char buf[DATE_CHARS];

    date_format(date_from_unix(t), buf);
    return cJSON_AddStringToObject(obj, name, buf);
}
