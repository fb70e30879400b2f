/* audit.h: the append-only record of what operators did, with whom, when and why. */
#ifndef SETT_BILLING_AUDIT_H
#define SETT_BILLING_AUDIT_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

/* One row, inside the caller's transaction (details may be NULL). 0 or -1.
 * actor_id 0 is the system: the log names it "scheduler", or details' "actor" string (e.g.
 * {"actor": "webhook"}). An operator acting with an API key has {"api_key_id": id} in details.
 * target_id 0 is no record (settings); a NULL or empty reason reads as null. action is
 * "<target>.<verb>": "service.suspend", "invoice.overdue", "credits.adjust" ... */
int audit_record(sqlite3 *conn, int64_t actor_id, const char *action, const char *target_type,
                 int64_t target_id, const char *reason, const cJSON *details, int64_t now);

#endif
