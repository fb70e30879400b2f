/* record_json.h: reading and writing a field-table record as JSON (internal). */
#ifndef SETT_CLIENT_RECORD_JSON_H
#define SETT_CLIENT_RECORD_JSON_H

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "client/record.h"
#include "client/types.h"

/* Reads `obj` (path `where` in messages) into the zeroed `value` by the table. 0, or -1 with `err`
 * set; on failure `value` holds what record_clear must free. */
int record_read(const struct record_table *t, const cJSON *obj, const char *where, void *value,
                struct client_error *err);
/* An object holding the members whose bit (1 << index) is set in `mask`; NULL when a bit names a
 * read-only, unknown or unwritable (amount, enum, object, array) member, or out of memory. */
cJSON *record_json(const struct record_table *t, const void *value, uint32_t mask);

/* An envelope whose data is one object of `t`: *out is a new value (record_clear, then free), or
 * NULL with `err` set. */
int record_decode(const char *body, size_t len, const struct record_table *t, void **out,
                  struct client_error *err);
/* An envelope whose data is an array of `elem` into *items (*n of them), and its meta into `meta`
 * (NULL: not read). On failure nothing is left to free. */
int record_decode_list(const char *body, size_t len, const struct record_table *elem, void **items,
                       size_t *n, struct page_meta *meta, struct client_error *err);

/* Defines `int name(body, len, type **out, err)` reading an envelope whose data is one `table`
 * record (free: record_free). */
#define RECORD_DECODER(name, type, table)                                                          \
    int name(const char *body, size_t len, type **out, struct client_error *err)                   \
    {                                                                                              \
        void *v;                                                                                   \
        int rc = record_decode(body, len, table, &v, err);                                         \
        *out = v;                                                                                  \
        return rc;                                                                                 \
    }

#define RECORD_META_meta(l) (&(l)->meta)
#define RECORD_META_none(l) NULL
/* The same for an envelope whose data is an array of `elem` into a new `type` {items, n}; `meta_`
 * is `meta` to read the page's meta into the list's member so named, or `none`. */
#define RECORD_LIST_DECODER(name, type, elem, meta_)                                               \
    int name(const char *body, size_t len, type **out, struct client_error *err)                   \
    {                                                                                              \
        type *l;                                                                                   \
        void *items;                                                                               \
                                                                                                   \
        *out = NULL;                                                                               \
        if (!(l = calloc(1, sizeof *l))) {                                                         \
            client_error_set(err, CLIENT_ERR_NOMEM, NULL);                                         \
            return -1;                                                                             \
        }                                                                                          \
        if (record_decode_list(body, len, elem, &items, &l->n, RECORD_META_##meta_(l), err) < 0) { \
            free(l);                                                                               \
            return -1;                                                                             \
        }                                                                                          \
        l->items = items;                                                                          \
        *out = l;                                                                                  \
        return 0;                                                                                  \
    }

/* Defines `void name(type **v)`: record_free, then *v = NULL; NULL is fine. */
#define RECORD_FREER(name, type, table)                                                            \
    void name(type **v)                                                                            \
    {                                                                                              \
        if (v) {                                                                                   \
            record_free(table, *v);                                                                \
            *v = NULL;                                                                             \
        }                                                                                          \
    }

/* The same for a list {items, n} of `elem` records. */
#define RECORD_LIST_FREER(name, type, elem)                                                        \
    void name(type **l)                                                                            \
    {                                                                                              \
        if (l && *l) {                                                                             \
            record_free_items(elem, (*l)->items, (*l)->n);                                         \
            free(*l);                                                                              \
            *l = NULL;                                                                             \
        }                                                                                          \
    }

#endif
