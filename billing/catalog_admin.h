/* catalog_admin.h: categories and products as operators see them: the document object of
 * catalog_store.h with its id, place, version and counts beside it. */
#ifndef SETT_BILLING_CATALOG_ADMIN_H
#define SETT_BILLING_CATALOG_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "billing/request.h"

/* A category or a product: how it is read, written and shown. */
struct catalog_kind {
    const char *name;               /* "product": messages and the audit target */
    const char *const *members;     /* the document members a body may send */
    const char *const *create_only; /* of those, the ones a change may not send */
    bool has_category;              /* a body may send category_id */
    const char *meta_sql;           /* the members beside the document's, by id ?1 */
    const char *next_sort_sql;      /* the sort order after the last, in category ?1 */
    cJSON *(*load)(sqlite3 *conn, int64_t id);
    int (*write)(sqlite3 *conn, const cJSON *doc, int64_t category_id, int sort_order, int64_t *id,
                 int *changed, char *err, size_t errsz);
};

extern const struct catalog_kind catalog_kind_category;
extern const struct catalog_kind catalog_kind_product;

/* Whether a NULL-ended list of names holds name. */
bool catalog_admin_listed(const char *const *list, const char *name);
/* The admin object: the meta columns (named as members), then the document's members. NULL
 * when there is no such record or on a database error (*found tells them apart). */
cJSON *catalog_admin_json(sqlite3 *conn, const struct catalog_kind *kind, int64_t id, bool *found);
/* The admin objects of the records whose ids the statement yields (it is finalized; NULL is a
 * failed prepare); NULL on an error. */
cJSON *catalog_admin_list(sqlite3 *conn, const struct catalog_kind *kind, sqlite3_stmt *ids);
/* An integer member of an admin or body object (raw digits included); 0 when there is none. */
int64_t catalog_admin_int(const cJSON *obj, const char *name);
/* The record's document object with plain JSON numbers, as a body would send it (the store
 * checks numbers that way); NULL for none. */
cJSON *catalog_admin_doc(sqlite3 *conn, const struct catalog_kind *kind, int64_t id);
/* {"data": obj} with its version as the ETag (takes obj). */
void catalog_admin_reply(struct reply *rep, unsigned status, cJSON *obj);

#endif
