/* api_peek.h: blocking GETs of the billing API from tests, to learn what a screen should show. */
#ifndef SETT_TEST_API_PEEK_H
#define SETT_TEST_API_PEEK_H

#include <cjson/cJSON.h>

/* GET base_url + "/api/v1" + path (path starts with '/', may carry a query) and parse the body.
 * Returns the whole envelope (free with cJSON_Delete), or NULL with the reason on stderr
 * (transport error, HTTP status other than 200, malformed JSON). */
cJSON *api_peek_get(const char *base_url, const char *path);
/* The `data` member of an envelope (not a copy), or NULL. */
const cJSON *api_peek_data(const cJSON *envelope);
/* A string member of an object, or NULL. */
const char *api_peek_str(const cJSON *obj, const char *name);
/* An integer member of an object, or of its object member `outer` when `inner` is not NULL
 * (api_peek_number(q, "total", "amount")); -1 when there is none. */
long long api_peek_number(const cJSON *obj, const char *outer, const char *inner);

#endif
