/* decode_table.h: decoders described by a table per type, for records that nest: one reader and
 * one clearer serve every type so described, arrays of records and embedded objects included
 * (internal). */
#ifndef SETT_CLIENT_DECODE_TABLE_H
#define SETT_CLIENT_DECODE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "client/types.h"
#include "client/wire.h"

enum dt_kind {
    DT_STRING, /* char *, "" (or the default) when absent */
    DT_INT64,  /* int64_t */
    DT_INT,    /* int */
    DT_BOOL,   /* bool */
    DT_AMOUNT, /* int64_t minor units: a plain integer, or a money object's amount */
    DT_ENUM,   /* an enum, named by a string the member's parse function knows */
    DT_OBJECT, /* an embedded struct read by `sub`; absent and optional: left zeroed */
    DT_ARRAY,  /* a pointer to elements read by `sub`, their count (size_t) at count_at */
};

struct dt_table;

struct dt_member {
    const char *name; /* the JSON member */
    enum dt_kind kind;
    enum wire_need need;
    size_t at;                             /* offsetof the member */
    const char *def_string;                /* DT_STRING: the default ("" when NULL) */
    int64_t def;                           /* DT_INT64, DT_INT, DT_BOOL, DT_AMOUNT, DT_ENUM */
    int (*parse)(const char *s, int *out); /* DT_ENUM: -1 for an unknown name */
    const char *what;                      /* DT_ENUM: "billing cycle" in "unknown ..." */
    const struct dt_table *sub;            /* DT_OBJECT, DT_ARRAY */
    size_t count_at;                       /* DT_ARRAY: offsetof the count */
    int64_t min;                           /* DT_INT64, DT_INT: the smallest value accepted */
};

struct dt_table {
    size_t size; /* of the struct (of one element, for arrays) */
    const struct dt_member *members;
    size_t n;
    /* Checks between members once all are read; NULL for none. 0, or -1 with `err` set. */
    int (*check)(void *value, const char *where, struct client_error *err);
};

#define DT_TABLE(type_, members_, check_)                                                          \
    {                                                                                              \
        .size = sizeof(type_), .members = members_, .n = sizeof(members_) / sizeof(members_[0]),   \
        .check = check_                                                                            \
    }

/* Reads `obj` (at path `where`) into the zeroed `value` by the table. 0, or -1 with `err` set;
 * on failure `value` holds what dt_clear must free. */
int dt_read(const struct dt_table *t, const cJSON *obj, const char *where, void *value,
            struct client_error *err);
/* Frees the strings and arrays the table names, recursively, and zeroes them; NULL is fine. */
void dt_clear(const struct dt_table *t, void *value);
/* Frees `n` elements of `elem` and the array. */
void dt_free_items(const struct dt_table *elem, void *items, size_t n);

/* An envelope whose data is one object of `t`: *out is a new value (dt_clear, then free), or NULL
 * with `err` set. */
int dt_decode(const char *body, size_t len, const struct dt_table *t, void **out,
              struct client_error *err);
/* An envelope whose data is an array of `elem` into *items (*n of them), and its meta into `meta`
 * (NULL: not read). On failure nothing is left to free. */
int dt_decode_list(const char *body, size_t len, const struct dt_table *elem, void **items,
                   size_t *n, struct page_meta *meta, struct client_error *err);

#endif
