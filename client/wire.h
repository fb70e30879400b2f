/* wire.h: typed, path-naming reads of cJSON values for the client's decoders (internal). */
#ifndef SETT_CLIENT_WIRE_H
#define SETT_CLIENT_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client/error.h"
#include "client/money.h"

/* Longest array a decoder accepts; a longer one is a broken or hostile server. */
#define WIRE_ARRAY_MAX 10000
/* Length of a path such as "data[12].cycles[3].setup_fee". */
#define WIRE_PATH_MAX 96

enum wire_need {
    WIRE_OPTIONAL, /* absent or null: the default */
    WIRE_REQUIRED, /* absent or null: CLIENT_ERR_JSON */
};

/* Parses a whole response body. Returns the root with *data pointing at its "data" member, or NULL
 * with `err` set: CLIENT_ERR_API for an error envelope, CLIENT_ERR_JSON otherwise. */
cJSON *wire_parse_envelope(const char *body, size_t len, const cJSON **data,
                           struct client_error *err);
/* Fills `err` (CLIENT_ERR_API) from the object under "error". */
void wire_read_api_error(const cJSON *error, struct client_error *err);

/* Member reads: `where` is the path of `obj` used in messages ("data.cycles[0]"). Each returns 0,
 * or -1 with `err` set to CLIENT_ERR_JSON naming the member. A present member of the wrong type is
 * an error even when optional. */
int wire_get_string(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                    const char *def, char **out, struct client_error *err);
int wire_get_int64(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                   int64_t def, int64_t *out, struct client_error *err);
int wire_get_int(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                 int def, int *out, struct client_error *err);
int wire_get_bool(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                  bool def, bool *out, struct client_error *err);
/* Optional and absent: *out is NULL. */
int wire_get_object(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                    const cJSON **out, struct client_error *err);
/* Optional and absent: *out is NULL and *n 0. Longer than WIRE_ARRAY_MAX is an error. */
int wire_get_array(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                   const cJSON **out, size_t *n, struct client_error *err);
/* {"amount": <integer>, "currency": "USD"}; optional and absent: 0 in `def_currency`. */
int wire_get_money(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                   const char *def_currency, struct money *out, struct client_error *err);

/* Reads a JSON array of objects into a new array of `elem_size` zeroed elements, calling `read`
 * on each with its path ("data[3]"). The count is raised before each read, so on failure (-1)
 * *items and *n hold what must be freed, the half-read element included. */
typedef int (*wire_read_fn)(const cJSON *v, const char *where, void *elem,
                            struct client_error *err);
int wire_read_items(const cJSON *arr, const char *where, size_t elem_size, wire_read_fn read,
                    void **items, size_t *n, struct client_error *err);
/* True for exactly three ASCII capital letters (ISO 4217 form). */
bool wire_currency_code_valid(const char *s);

/* Checks that a standalone value (an array element) is an object / a string. */
int wire_expect_object(const cJSON *v, const char *where, struct client_error *err);
char *wire_dup_string(const cJSON *v, const char *where, struct client_error *err);

/* Copies at most dstsz-1 bytes of src without splitting a UTF-8 sequence; always terminates. */
void wire_copy_utf8(char *dst, size_t dstsz, const char *src);
/* Formats "where[i]" or "where.name" into buf (WIRE_PATH_MAX) for nested reads. */
const char *wire_path_index(char *buf, const char *where, size_t i);
const char *wire_path_member(char *buf, const char *where, const char *name);

#endif
