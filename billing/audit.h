/* audit.h: the append-only record of what operators did, with whom, when and why. */
#ifndef SETT_BILLING_AUDIT_H
#define SETT_BILLING_AUDIT_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

/* One row, inside the caller's transaction (details may be NULL). 0 or -1. */
int audit_record(sqlite3 *conn, int64_t actor_id, const char *action, const char *target_type,
                 int64_t target_id, const char *reason, const cJSON *details, int64_t now);

#endif
