/* record_json.h: reading and writing a field-table record as JSON (internal). */
#ifndef SETT_CLIENT_RECORD_JSON_H
#define SETT_CLIENT_RECORD_JSON_H

#include <cjson/cJSON.h>

#include "client/record.h"

/* Reads the members of `obj` (path `where` in messages) into the zeroed record at `base`; money
 * members that are null take `currency`. 0, or -1 with `err` set (the record then holds what
 * must be freed with record_clear). */
int record_read(const cJSON *obj, const char *where, const struct record_field *fields, size_t n,
                const char *currency, void *base, struct client_error *err);
/* An object holding the members whose bit (1 << index) is set in `mask`; NULL when a bit names a
 * read-only or unknown member, or out of memory. */
cJSON *record_json(const struct record_field *fields, size_t n, const void *base, uint32_t mask);

#endif
