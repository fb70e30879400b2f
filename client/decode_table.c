/* decode_table.c: one reader and one clearer for every type described by a dt_table. */
#include "client/decode_table.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode_shared.h"

#define MEMBER(value, at, type) ((type *)((char *)(value) + (at)))

static int read_amount(const cJSON *obj, const char *where, const struct dt_member *m, int64_t *out,
                       struct client_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, m->name);
    struct money money;

    if (cJSON_IsObject(v)) {
        if (wire_get_money(obj, where, m->name, m->need, NULL, &money, err) < 0)
            return -1;
        *out = money.amount;
        return 0;
    }
    return wire_get_int64(obj, where, m->name, m->need, m->def, out, err);
}

static int read_enum(const cJSON *obj, const char *where, const struct dt_member *m, int *out,
                     struct client_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, m->name);
    char *s = NULL;
    char what[64];
    int rc = 0;

    *out = (int)m->def;
    if (m->need == WIRE_OPTIONAL && (!v || cJSON_IsNull(v)))
        return 0;
    if (wire_get_string(obj, where, m->name, WIRE_REQUIRED, NULL, &s, err) < 0)
        return -1;
    if (m->parse(s, out) < 0) {
        snprintf(what, sizeof what, "unknown %s", m->what ? m->what : "value");
        rc = decode_fail(where, m->name, what, err);
    }
    free(s);
    return rc;
}

static int read_array(const cJSON *obj, const char *where, const struct dt_member *m, void *value,
                      struct client_error *err)
{
    char path[WIRE_PATH_MAX], base[WIRE_PATH_MAX];
    void **items = MEMBER(value, m->at, void *);
    size_t *n = MEMBER(value, m->count_at, size_t);
    const cJSON *arr, *v;
    size_t count;

    if (wire_get_array(obj, where, m->name, m->need, &arr, &count, err) < 0)
        return -1;
    if (count == 0)
        return 0;
    if (!(*items = calloc(count, m->sub->size))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    wire_path_member(base, where, m->name);
    cJSON_ArrayForEach(v, arr)
    {
        void *elem = (char *)*items + *n * m->sub->size;
        (*n)++; /* counted first: a half-read element is cleared too */
        if (dt_read(m->sub, v, wire_path_index(path, base, *n - 1), elem, err) < 0)
            return -1;
    }
    return 0;
}

static int read_member(const cJSON *obj, const char *where, const struct dt_member *m, void *value,
                       struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *sub;
    int64_t i64;
    int i;

    switch (m->kind) {
    case DT_STRING:
        return wire_get_string(obj, where, m->name, m->need, m->def_string,
                               MEMBER(value, m->at, char *), err);
    case DT_INT64:
        if (wire_get_int64(obj, where, m->name, m->need, m->def, &i64, err) < 0)
            return -1;
        *MEMBER(value, m->at, int64_t) = i64;
        return i64 < m->min ? decode_fail(where, m->name, "out of range", err) : 0;
    case DT_INT:
        if (wire_get_int(obj, where, m->name, m->need, (int)m->def, &i, err) < 0)
            return -1;
        *MEMBER(value, m->at, int) = i;
        return i < m->min ? decode_fail(where, m->name, "out of range", err) : 0;
    case DT_BOOL:
        return wire_get_bool(obj, where, m->name, m->need, m->def != 0, MEMBER(value, m->at, bool),
                             err);
    case DT_AMOUNT:
        return read_amount(obj, where, m, MEMBER(value, m->at, int64_t), err);
    case DT_ENUM:
        return read_enum(obj, where, m, MEMBER(value, m->at, int), err);
    case DT_OBJECT:
        if (wire_get_object(obj, where, m->name, m->need, &sub, err) < 0)
            return -1;
        return sub ? dt_read(m->sub, sub, wire_path_member(path, where, m->name),
                             MEMBER(value, m->at, char), err)
                   : 0;
    case DT_ARRAY:
        return read_array(obj, where, m, value, err);
    }
    return 0;
}

int dt_read(const struct dt_table *t, const cJSON *obj, const char *where, void *value,
            struct client_error *err)
{
    if (wire_expect_object(obj, where, err) < 0)
        return -1;
    for (size_t i = 0; i < t->n; i++)
        if (read_member(obj, where, &t->members[i], value, err) < 0)
            return -1;
    return t->check ? t->check(value, where, err) : 0;
}

void dt_free_items(const struct dt_table *elem, void *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        dt_clear(elem, (char *)items + i * elem->size);
    free(items);
}

void dt_clear(const struct dt_table *t, void *value)
{
    if (!value)
        return;
    for (size_t i = 0; i < t->n; i++) {
        const struct dt_member *m = &t->members[i];
        switch (m->kind) {
        case DT_STRING:
            free(*MEMBER(value, m->at, char *));
            *MEMBER(value, m->at, char *) = NULL;
            break;
        case DT_OBJECT:
            dt_clear(m->sub, MEMBER(value, m->at, char));
            break;
        case DT_ARRAY:
            dt_free_items(m->sub, *MEMBER(value, m->at, void *),
                          *MEMBER(value, m->count_at, size_t));
            *MEMBER(value, m->at, void *) = NULL;
            *MEMBER(value, m->count_at, size_t) = 0;
            break;
        default:
            break;
        }
    }
}

int dt_decode(const char *body, size_t len, const struct dt_table *t, void **out,
              struct client_error *err)
{
    const cJSON *data;
    cJSON *root;
    void *v;

    client_error_clear(err);
    *out = NULL;
    if (!(root = wire_parse_envelope(body, len, &data, err)))
        return -1;
    if (!(v = calloc(1, t->size))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        cJSON_Delete(root);
        return -1;
    }
    if (dt_read(t, data, "data", v, err) < 0) {
        dt_clear(t, v);
        free(v);
        cJSON_Delete(root);
        return -1;
    }
    cJSON_Delete(root);
    *out = v;
    return 0;
}

int dt_decode_list(const char *body, size_t len, const struct dt_table *elem, void **items,
                   size_t *n, struct page_meta *meta, struct client_error *err)
{
    const cJSON *data, *v;
    char path[WIRE_PATH_MAX];
    cJSON *root;
    int size, rc = 0;

    client_error_clear(err);
    *items = NULL;
    *n = 0;
    if (!(root = wire_parse_envelope(body, len, &data, err)))
        return -1;
    if (!cJSON_IsArray(data)) {
        client_error_set(err, CLIENT_ERR_JSON, "field data: expected an array");
        rc = -1;
    } else if ((size = cJSON_GetArraySize(data)) > WIRE_ARRAY_MAX) {
        client_error_set(err, CLIENT_ERR_JSON, "field data: more than %d elements", WIRE_ARRAY_MAX);
        rc = -1;
    } else if (size > 0 && !(*items = calloc((size_t)size, elem->size))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        rc = -1;
    }
    if (rc == 0) {
        cJSON_ArrayForEach(v, data)
        {
            void *e = (char *)*items + *n * elem->size;
            (*n)++;
            if ((rc = dt_read(elem, v, wire_path_index(path, "data", *n - 1), e, err)) < 0)
                break;
        }
    }
    if (rc == 0 && meta)
        rc = decode_meta(root, *n, meta, err);
    cJSON_Delete(root);
    if (rc < 0) {
        dt_free_items(elem, *items, *n);
        *items = NULL;
        *n = 0;
    }
    return rc;
}
