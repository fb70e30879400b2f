/* record.h: a record described by a table of its members (JSON name, kind, offset), so one
 * reader, one writer and one free serve every record that is plain members. */
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
    REC_STRING,      /* char * ("" for null) */
    REC_INT,         /* int */
    REC_INT64,       /* int64_t */
    REC_BOOL,        /* bool */
    REC_MONEY,       /* struct money (0 in the record's currency for null) */
    REC_INT64_LIST,  /* struct int64_list */
    REC_STRING_LIST, /* struct string_list */
};

enum record_flag {
    REC_REQUIRED = 1 << 0,  /* absent or null is a broken answer */
    REC_NULLABLE = 1 << 1,  /* written as null when zero ("", 0, an amount of 0) */
    REC_READ_ONLY = 1 << 2, /* the server's: never written */
};

struct record_field {
    const char *name; /* JSON member; "tax.rate_bps" is rate_bps inside the object tax */
    enum record_kind kind;
    unsigned flags;
    size_t offset;
};

/* The member `f` of the record at `base`. */
#define REC_AT(type, base, f)  ((type *)((char *)(base) + (f)->offset))
#define REC_GET(type, base, f) (*(const type *)((const char *)(base) + (f)->offset))

/* Frees the strings and lists of the record (not the record) and zeroes those members. */
void record_clear(const struct record_field *fields, size_t n, void *base);

#endif
