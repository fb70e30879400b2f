/* record.h: records described by a table of their members (JSON name, kind, offset), so one reader,
 * one writer and one clearer serve every type so described, nested objects and arrays included. */
#ifndef SETT_CLIENT_RECORD_H
#define SETT_CLIENT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/error.h"
#include "client/money.h"

struct int64_list {
    int64_t *v;
    size_t n;
};

struct string_list {
    char **v;
    size_t n;
};

enum record_kind {
    REC_STRING,      /* char *: "" (or def_string) when absent or null */
    REC_INT,         /* int */
    REC_INT64,       /* int64_t */
    REC_BOOL,        /* bool */
    REC_MONEY,       /* struct money (0 for null) */
    REC_AMOUNT,      /* int64_t minor units: a plain integer, or a money object's amount */
    REC_ENUM,        /* an enum (int), named by a string the member's parse function knows */
    REC_OBJECT,      /* an embedded struct read by `sub`; absent and optional: left zeroed */
    REC_ARRAY,       /* a pointer to elements read by `sub`, their count (size_t) at count_offset */
    REC_INT64_LIST,  /* struct int64_list */
    REC_STRING_LIST, /* struct string_list */
    REC_OPTIONS,     /* struct option_value *, its count (size_t) at count_offset: an object of
                        non-negative integers by resource ({"memory_mb": 8192}); absent: none */
};

enum record_flag {
    REC_REQUIRED = 1 << 0,  /* absent or null is a broken answer */
    REC_NULLABLE = 1 << 1,  /* written as null when zero ("", 0, an amount of 0) */
    REC_READ_ONLY = 1 << 2, /* the server's: never written */
    REC_MIN = 1 << 3,       /* REC_INT, REC_INT64: a value below `min` is out of range */
};

struct record_table;

struct record_field {
    const char *name; /* JSON member; "tax.rate_bps" is rate_bps inside the object tax */
    enum record_kind kind;
    unsigned flags;
    size_t offset;                         /* offsetof the member */
    const char *def_string;                /* REC_STRING: the default ("" when NULL) */
    int64_t def;                           /* REC_INT, REC_INT64, REC_BOOL, REC_AMOUNT, REC_ENUM */
    int64_t min;                           /* with REC_MIN: the smallest value accepted */
    int (*parse)(const char *s, int *out); /* REC_ENUM: -1 for an unknown name */
    const char *what;                      /* REC_ENUM: "billing cycle" in "unknown ..." */
    const struct record_table *sub;        /* REC_OBJECT, REC_ARRAY */
    size_t count_offset;                   /* REC_ARRAY, REC_OPTIONS: offsetof the count */
};

struct record_table {
    size_t size; /* of the struct (of one element, for arrays) */
    const struct record_field *fields;
    size_t n;
    /* Checks between members once all are read; NULL for none. 0, or -1 with `err` set. */
    int (*check)(void *value, const char *where, struct client_error *err);
};

#define RECORD_TABLE(type_, fields_, check_)                                                       \
    {                                                                                              \
        .size = sizeof(type_), .fields = fields_, .n = sizeof(fields_) / sizeof(fields_[0]),       \
        .check = check_                                                                            \
    }

/* A table entry for `member` of `type` as the JSON member `json`. */
#define REC_FIELD(type, json, kind_, flags_, member)                                               \
    {                                                                                              \
        .name = json, .kind = kind_, .flags = flags_, .offset = offsetof(type, member)             \
    }
/* An array of `sub` records at `member`, its count at `count`. */
#define REC_ARRAY_FIELD(type, json, flags_, member, count, sub_)                                   \
    {                                                                                              \
        .name = json, .kind = REC_ARRAY, .flags = flags_, .offset = offsetof(type, member),        \
        .sub = sub_, .count_offset = offsetof(type, count)                                         \
    }

/* The configurable resources' values at `member`, their count at `count`. */
#define REC_OPTIONS_FIELD(type, json, flags_, member, count)                                       \
    {                                                                                              \
        .name = json, .kind = REC_OPTIONS, .flags = flags_, .offset = offsetof(type, member),      \
        .count_offset = offsetof(type, count)                                                      \
    }

/* The member `f` of the record at `base`. */
#define REC_AT(type, base, f)  ((type *)((char *)(base) + (f)->offset))
#define REC_GET(type, base, f) (*(const type *)((const char *)(base) + (f)->offset))

/* Frees the strings, lists and arrays the table names, recursively, and zeroes the record (it is
 * not freed); NULL is fine. */
void record_clear(const struct record_table *t, void *value);
/* record_clear, then frees the record; NULL is fine. */
void record_free(const struct record_table *t, void *value);
/* Clears `n` elements of `elem` and frees the array. */
void record_free_items(const struct record_table *elem, void *items, size_t n);

#endif
