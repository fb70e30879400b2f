/* json_util.h: exact integers and money in cJSON, and strict parsing of request bodies. */
#ifndef SETT_BILLING_JSON_UTIL_H
#define SETT_BILLING_JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Adds an integer printed with all its digits (cJSON's own numbers may switch to exponent form). */
cJSON *json_add_int(cJSON *obj, const char *name, int64_t v);
cJSON *json_int(int64_t v);
/* {"amount": amount, "currency": currency} */
cJSON *json_money(int64_t amount, const char *currency);
cJSON *json_add_money(cJSON *obj, const char *name, int64_t amount, const char *currency);

/* True when `item` is a JSON number holding an integer that a double represents exactly. */
bool json_get_int(const cJSON *item, int64_t *out);

/* Parses a whole buffer as one JSON value; NULL if it is not valid JSON or has trailing bytes. */
cJSON *json_parse_exact(const char *buf, size_t len);

#endif
