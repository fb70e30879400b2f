/* catalog_apply.h: the live catalog made to match a catalog document, as `sett-billingd catalog
 * apply` does it. */
#ifndef SETT_BILLING_CATALOG_APPLY_H
#define SETT_BILLING_CATALOG_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

/* Inside the caller's transaction: applies the document's settings (when it has them), inserts
 * its new categories and products, changes the changed ones (matched by slug), hides (never
 * deletes) every category and product it no longer names, and orders them as it does. Rows the
 * document leaves as they are keep their version. Each changed row gets an audit_log entry from
 * the system (actor_id 0, {"actor": "catalog apply", "before", "after"}) with `reason`. The
 * difference between the catalog before and after (catalog_store_diff) goes to `lines`. 0, or -1
 * with "where: what" in err (the caller then rolls back). */
int catalog_apply(sqlite3 *conn, const cJSON *doc, const char *reason, int64_t now, cJSON *lines,
                  char *err, size_t errsz);

#endif
