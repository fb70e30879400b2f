/* timestamp.h: instants as RFC 3339 UTC text ("2025-06-01T12:00:00Z") for JSON replies. */
#ifndef SETT_BILLING_TIMESTAMP_H
#define SETT_BILLING_TIMESTAMP_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#define TIMESTAMP_CHARS 21 /* "YYYY-MM-DDTHH:MM:SSZ" and the NUL */

void timestamp_format(int64_t unix_seconds, char out[TIMESTAMP_CHARS]);
/* Adds the instant, or null when the column is SQL NULL. NULL on out of memory. */
cJSON *json_add_timestamp_col(cJSON *obj, const char *name, sqlite3_stmt *st, int col);
cJSON *json_add_timestamp(cJSON *obj, const char *name, int64_t unix_seconds);
/* The calendar date ("YYYY-MM-DD", UTC) of an instant. */
cJSON *json_add_date_of(cJSON *obj, const char *name, int64_t unix_seconds);

#endif
