/* wire.c: typed, path-naming reads of cJSON values for the client's decoders. */
#include "client/wire.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON holds numbers as doubles: only integers up to 2^53 survive exactly, so larger magnitudes
 * are refused instead of silently rounded (money must never change on the way in). */
#define WIRE_INT_MAX 9007199254740991.0

/* Deep paths are cut, with a '~' marking the cut; the start still locates the field. */
static const char *path_done(char *buf, int n)
{
    if (n >= WIRE_PATH_MAX)
        buf[WIRE_PATH_MAX - 2] = '~';
    return buf;
}

const char *wire_path_member(char *buf, const char *where, const char *name)
{
    if (where && where[0])
        return path_done(buf, snprintf(buf, WIRE_PATH_MAX, "%s.%s", where, name));
    return path_done(buf, snprintf(buf, WIRE_PATH_MAX, "%s", name));
}

const char *wire_path_index(char *buf, const char *where, size_t i)
{
    return path_done(buf, snprintf(buf, WIRE_PATH_MAX, "%s[%zu]", where ? where : "", i));
}

static int fail_type(const char *where, const char *name, const char *expected,
                     struct client_error *err)
{
    char path[WIRE_PATH_MAX];

    client_error_set(err, CLIENT_ERR_JSON, "field %s: expected %s",
                     name ? wire_path_member(path, where, name) : where, expected);
    return -1;
}

/* Finds a member; returns 1 when present (non-null), 0 when an optional one is absent, -1 when a
 * required one is missing. */
static int member(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                  const cJSON **out, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    *out = v;
    if (v && !cJSON_IsNull(v))
        return 1;
    if (need == WIRE_OPTIONAL)
        return 0;
    client_error_set(err, CLIENT_ERR_JSON, "missing field %s", wire_path_member(path, where, name));
    return -1;
}

int wire_get_string(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                    const char *def, char **out, struct client_error *err)
{
    const cJSON *v;
    int rc = member(obj, where, name, need, &v, err);

    *out = NULL;
    if (rc < 0)
        return -1;
    if (rc > 0 && !cJSON_IsString(v))
        return fail_type(where, name, "a string", err);
    /* strdup stops at an embedded NUL (from "\u0000"): the copy is a clean C string */
    *out = strdup(rc > 0 ? v->valuestring : (def ? def : ""));
    if (!*out) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    return 0;
}

static int number_to_int64(const cJSON *v, int64_t *out)
{
    double d = v->valuedouble;

    if (!isfinite(d) || d != trunc(d))
        return -1;
    if (d > WIRE_INT_MAX || d < -WIRE_INT_MAX)
        return -2;
    *out = (int64_t)d;
    return 0;
}

int wire_get_int64(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                   int64_t def, int64_t *out, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *v;
    int rc = member(obj, where, name, need, &v, err);

    *out = def;
    if (rc <= 0)
        return rc;
    if (!cJSON_IsNumber(v))
        return fail_type(where, name, "an integer", err);
    rc = number_to_int64(v, out);
    if (rc == -1)
        return fail_type(where, name, "an integer", err);
    if (rc == -2) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s: integer out of range",
                         wire_path_member(path, where, name));
        return -1;
    }
    return 0;
}

int wire_get_int(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                 int def, int *out, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    int64_t v;

    *out = def;
    if (wire_get_int64(obj, where, name, need, def, &v, err) < 0)
        return -1;
    if (v < INT32_MIN || v > INT32_MAX) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s: integer out of range",
                         wire_path_member(path, where, name));
        return -1;
    }
    *out = (int)v;
    return 0;
}

int wire_get_bool(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                  bool def, bool *out, struct client_error *err)
{
    const cJSON *v;
    int rc = member(obj, where, name, need, &v, err);

    *out = def;
    if (rc <= 0)
        return rc;
    if (!cJSON_IsBool(v))
        return fail_type(where, name, "true or false", err);
    *out = cJSON_IsTrue(v);
    return 0;
}

int wire_get_object(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                    const cJSON **out, struct client_error *err)
{
    const cJSON *v;
    int rc = member(obj, where, name, need, &v, err);

    *out = NULL;
    if (rc <= 0)
        return rc;
    if (!cJSON_IsObject(v))
        return fail_type(where, name, "an object", err);
    *out = v;
    return 0;
}

int wire_get_array(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                   const cJSON **out, size_t *n, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *v;
    int rc = member(obj, where, name, need, &v, err);
    int size;

    *out = NULL;
    *n = 0;
    if (rc <= 0)
        return rc;
    if (!cJSON_IsArray(v))
        return fail_type(where, name, "an array", err);
    size = cJSON_GetArraySize(v);
    if (size < 0 || size > WIRE_ARRAY_MAX) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s: more than %d elements",
                         wire_path_member(path, where, name), WIRE_ARRAY_MAX);
        return -1;
    }
    *out = v;
    *n = (size_t)size;
    return 0;
}

int wire_read_items(const cJSON *arr, const char *where, size_t elem_size, wire_read_fn read,
                    void **items, size_t *n, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *item;
    int size;

    *items = NULL;
    *n = 0;
    if (!cJSON_IsArray(arr)) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s: expected an array", where);
        return -1;
    }
    size = cJSON_GetArraySize(arr);
    if (size > WIRE_ARRAY_MAX) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s: more than %d elements", where,
                         WIRE_ARRAY_MAX);
        return -1;
    }
    if (size > 0 && !(*items = calloc((size_t)size, elem_size))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    cJSON_ArrayForEach(item, arr)
    {
        void *elem = (char *)*items + *n * elem_size;
        (*n)++;
        if (read(item, wire_path_index(path, where, *n - 1), elem, err) < 0)
            return -1;
    }
    return 0;
}

bool wire_currency_code_valid(const char *s)
{
    size_t i;

    for (i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return s[3] == '\0';
}

int wire_get_money(const cJSON *obj, const char *where, const char *name, enum wire_need need,
                   const char *def_currency, struct money *out, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *m, *cur;
    int rc;

    memset(out, 0, sizeof(*out));
    if (def_currency)
        wire_copy_utf8(out->currency, sizeof(out->currency), def_currency);
    if (wire_get_object(obj, where, name, need, &m, err) < 0)
        return -1;
    if (!m)
        return 0;
    wire_path_member(path, where, name);
    if (wire_get_int64(m, path, "amount", WIRE_REQUIRED, 0, &out->amount, err) < 0)
        return -1;
    rc = member(m, path, "currency", WIRE_REQUIRED, &cur, err);
    if (rc < 0)
        return -1;
    if (!cJSON_IsString(cur) || !wire_currency_code_valid(cur->valuestring))
        return fail_type(path, "currency", "a 3-letter currency code", err);
    memcpy(out->currency, cur->valuestring, 4);
    return 0;
}

int wire_expect_object(const cJSON *v, const char *where, struct client_error *err)
{
    if (cJSON_IsObject(v))
        return 0;
    return fail_type(where, NULL, "an object", err);
}

char *wire_dup_string(const cJSON *v, const char *where, struct client_error *err)
{
    char *s;

    if (!cJSON_IsString(v)) {
        fail_type(where, NULL, "a string", err);
        return NULL;
    }
    s = strdup(v->valuestring);
    if (!s)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return s;
}

void wire_copy_utf8(char *dst, size_t dstsz, const char *src)
{
    size_t len, n;

    if (!dst || dstsz == 0)
        return;
    len = src ? strlen(src) : 0;
    n = len < dstsz - 1 ? len : dstsz - 1;
    if (n < len)
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static void read_field_errors(const cJSON *details, struct client_error *err)
{
    const cJSON *field;

    cJSON_ArrayForEach(field, details)
    {
        struct client_field_error *fe;
        const cJSON *msg = field;

        if (err->n_fields >= CLIENT_FIELD_MAX)
            break;
        if (!field->string)
            continue;
        if (cJSON_IsArray(field))
            msg = cJSON_GetArrayItem(field, 0);
        fe = &err->fields[err->n_fields++];
        wire_copy_utf8(fe->field, sizeof(fe->field), field->string);
        wire_copy_utf8(fe->message, sizeof(fe->message),
                       cJSON_IsString(msg) ? msg->valuestring : "");
    }
}

/* price_changed puts the new total in details as strings: {"total":["1078"],"currency":["USD"]}. */
static void read_new_total(struct client_error *err)
{
    const char *total = client_error_detail(err, "total");
    const char *cur = client_error_detail(err, "currency");
    char *end;
    long long v;

    if (strcmp(err->code, "price_changed") != 0 || !total || !cur ||
        !wire_currency_code_valid(cur) || !isdigit((unsigned char)total[total[0] == '-']))
        return;
    v = strtoll(total, &end, 10);
    if (*end || v > (long long)WIRE_INT_MAX || v < -(long long)WIRE_INT_MAX)
        return;
    err->total.amount = v;
    memcpy(err->total.currency, cur, 4);
    err->has_total = true;
}

void wire_read_api_error(const cJSON *error, struct client_error *err)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(error, "code");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(error, "message");
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(error, "details");
    long http_status = err->http_status;

    client_error_set(err, CLIENT_ERR_API, NULL);
    err->http_status = http_status;
    if (cJSON_IsString(code))
        wire_copy_utf8(err->code, sizeof(err->code), code->valuestring);
    if (cJSON_IsString(message))
        wire_copy_utf8(err->message, sizeof(err->message), message->valuestring);
    if (cJSON_IsObject(details))
        read_field_errors(details, err);
    read_new_total(err);
}

static bool only_whitespace(const char *p, const char *end)
{
    for (; p < end; p++)
        if (!isspace((unsigned char)*p))
            return false;
    return true;
}

cJSON *wire_parse_envelope(const char *body, size_t len, const cJSON **data,
                           struct client_error *err)
{
    const char *end = NULL;
    const cJSON *error;
    cJSON *root;

    *data = NULL;
    if (!body || len == 0) {
        client_error_set(err, CLIENT_ERR_JSON, "empty response body");
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (!root) {
        client_error_set(err, CLIENT_ERR_JSON, "invalid JSON at byte %zu",
                         end && end >= body ? (size_t)(end - body) : (size_t)0);
        return NULL;
    }
    if (!only_whitespace(end, body + len)) {
        client_error_set(err, CLIENT_ERR_JSON, "trailing data after JSON at byte %zu",
                         (size_t)(end - body));
        goto fail;
    }
    if (!cJSON_IsObject(root)) {
        client_error_set(err, CLIENT_ERR_JSON, "response is not a JSON object");
        goto fail;
    }
    error = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (cJSON_IsObject(error)) {
        wire_read_api_error(error, err);
        goto fail;
    }
    *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!*data || cJSON_IsNull(*data)) {
        client_error_set(err, CLIENT_ERR_JSON, "missing field data");
        goto fail;
    }
    return root;
fail:
    cJSON_Delete(root);
    *data = NULL;
    return NULL;
}
