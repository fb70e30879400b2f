/* json_util.c: exact integers and money in cJSON, and strict parsing of request bodies. */
#include "billing/json_util.h"
#include "billing/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

cJSON *json_int(int64_t v)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%" PRId64, v);
    return cJSON_CreateRaw(buf);
}

cJSON *json_add_int(cJSON *obj, const char *name, int64_t v)
{
    cJSON *item = json_int(v);

    if (item && !cJSON_AddItemToObject(obj, name, item)) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

cJSON *json_money(int64_t amount, const char *currency)
{
    cJSON *m = cJSON_CreateObject();

    if (!m)
        return NULL;
    if (!json_add_int(m, "amount", amount) || !cJSON_AddStringToObject(m, "currency", currency)) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

cJSON *json_add_money(cJSON *obj, const char *name, int64_t amount, const char *currency)
{
    cJSON *m = json_money(amount, currency);

    if (m && !cJSON_AddItemToObject(obj, name, m)) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

bool json_get_int(const cJSON *item, int64_t *out)
{
    /* 2^53: beyond it a double no longer holds every integer, so the value may not be what was
     * sent. */
    const double limit = 9007199254740992.0;
    double d;

    if (!cJSON_IsNumber(item))
        return false;
    d = item->valuedouble;
    if (!(d >= -limit && d <= limit)) /* also false for NaN */
        return false;
    if ((double)(int64_t)d != d) /* a fraction */
        return false;
    *out = (int64_t)d;
    return true;
}

cJSON *json_parse_exact(const char *buf, size_t len)
{
    const char *end = NULL;
    cJSON *root;

    /* A raw NUL is never valid JSON text, and cJSON would silently cut a string at it. */
    if (!buf || len == 0 || memchr(buf, '\0', len))
        return NULL;
    /* JSON text is UTF-8 (RFC 8259): bytes that are not would be stored and sent back out. */
    if (!text_utf8_valid(buf, len))
        return NULL;
    root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
    if (!root)
        return NULL;
    /* Only whitespace may follow the value; an embedded NUL or a second value is not one document.
     */
    for (const char *p = end; p < buf + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            cJSON_Delete(root);
            return NULL;
        }
    }
    return root;
}
