/* audit.c: the append-only record of what operators did, with whom, when and why. */
#include "billing/audit.h"

#include <stdlib.h>

#include "billing/db.h"

int audit_record(sqlite3 *conn, int64_t actor_id, const char *action, const char *target_type,
                 int64_t target_id, const char *reason, const cJSON *details, int64_t now)
{
    char *text = details ? cJSON_PrintUnformatted(details) : NULL;
    sqlite3_stmt *st = db_prepare(conn, "INSERT INTO audit_log(actor_id, action, target_type, "
                                        "target_id, reason, details, created_at) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    int rc = -1;

    if (!st || (details && !text))
        goto done;
    sqlite3_bind_int64(st, 1, actor_id);
    sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, target_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, target_id);
    sqlite3_bind_text(st, 5, reason ? reason : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, text ? text : "{}", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, now);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
done:
    db_finalize(st);
    free(text);
    return rc;
}
