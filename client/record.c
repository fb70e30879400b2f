/* record.c: one reader, one writer and one clearer for every type described by a record table. */
#include "client/record.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode_shared.h"
#include "client/internal.h"
#include "client/record_json.h"
#include "client/wire.h"

#define MEMBER(value, offset, type) ((type *)((char *)(value) + (offset)))

static enum wire_need need_of(const struct record_field *f)
{
    return f->flags & REC_REQUIRED ? WIRE_REQUIRED : WIRE_OPTIONAL;
}

/* ---- clearing ---- */

void record_free_items(const struct record_table *elem, void *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        record_clear(elem, (char *)items + i * elem->size);
    free(items);
}

void record_clear(const struct record_table *t, void *value)
{
    if (!value)
        return;
    for (size_t i = 0; i < t->n; i++) {
        const struct record_field *f = &t->fields[i];
        switch (f->kind) {
        case REC_STRING:
            free(*REC_AT(char *, value, f));
            break;
        case REC_OBJECT:
            record_clear(f->sub, REC_AT(char, value, f));
            break;
        case REC_ARRAY:
            record_free_items(f->sub, *REC_AT(void *, value, f),
                              *MEMBER(value, f->count_offset, size_t));
            break;
        case REC_INT64_LIST:
            free(REC_GET(struct int64_list, value, f).v);
            break;
        case REC_OPTIONS:
            option_values_free(*REC_AT(struct option_value *, value, f),
                               *MEMBER(value, f->count_offset, size_t));
            break;
        case REC_STRING_LIST: {
            struct string_list *l = REC_AT(struct string_list, value, f);
            for (size_t k = 0; k < l->n; k++)
                free(l->v[k]);
            free(l->v);
            break;
        }
        default:
            break;
        }
    }
    memset(value, 0, t->size);
}

void record_free(const struct record_table *t, void *value)
{
    record_clear(t, value);
    free(value);
}

/* ---- reading ---- */

/* The object holding the member `f` names (its part before a dot) with its path, and the member's
 * own name. */
static int parent_of(const cJSON *obj, const char *where, const struct record_field *f, char *path,
                     const cJSON **parent, const char **name, struct client_error *err)
{
    const char *dot = strchr(f->name, '.');
    char outer[40];

    *parent = obj;
    *name = f->name;
    snprintf(path, WIRE_PATH_MAX, "%s", where);
    if (!dot)
        return 0;
    snprintf(outer, sizeof(outer), "%.*s", (int)(dot - f->name), f->name);
    *name = dot + 1;
    if (wire_get_object(obj, where, outer, need_of(f), parent, err) < 0)
        return -1;
    wire_path_member(path, where, outer);
    return 0;
}

static size_t element_size(const struct record_field *f)
{
    switch (f->kind) {
    case REC_INT64_LIST:
        return sizeof(int64_t);
    case REC_STRING_LIST:
        return sizeof(char *);
    default:
        return f->sub->size;
    }
}

static int read_element(const struct record_field *f, const cJSON *v, const char *path, void *elem,
                        struct client_error *err)
{
    switch (f->kind) {
    case REC_INT64_LIST:
        if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
            fabs(v->valuedouble) > (double)ENDPOINT_INT_MAX)
            return decode_fail(path, NULL, "expected an integer", err);
        *(int64_t *)elem = (int64_t)v->valuedouble;
        return 0;
    case REC_STRING_LIST:
        return (*(char **)elem = wire_dup_string(v, path, err)) ? 0 : -1;
    default:
        return record_read(f->sub, v, path, elem, err);
    }
}

/* The `count` elements of `arr` (path `where`) into new *items; *n is raised before each read, so
 * on failure *items and *n hold what must be freed, the half-read element included. */
static int read_items(const struct record_field *f, const cJSON *arr, size_t count,
                      const char *where, void **items, size_t *n, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    size_t size = element_size(f);
    const cJSON *v;

    *items = NULL;
    *n = 0;
    if (count == 0)
        return 0;
    if (!(*items = calloc(count, size))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    cJSON_ArrayForEach(v, arr)
    {
        void *elem = (char *)*items + *n * size;
        (*n)++;
        if (read_element(f, v, wire_path_index(path, where, *n - 1), elem, err) < 0)
            return -1;
    }
    return 0;
}

static int read_array(const cJSON *obj, const char *where, const char *name,
                      const struct record_field *f, void *value, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *arr;
    size_t count, n;
    void *items;
    int rc;

    if (wire_get_array(obj, where, name, need_of(f), &arr, &count, err) < 0)
        return -1;
    rc = read_items(f, arr, count, wire_path_member(path, where, name), &items, &n, err);
    if (f->kind == REC_INT64_LIST) {
        REC_AT(struct int64_list, value, f)->v = items;
        REC_AT(struct int64_list, value, f)->n = n;
    } else if (f->kind == REC_STRING_LIST) {
        REC_AT(struct string_list, value, f)->v = items;
        REC_AT(struct string_list, value, f)->n = n;
    } else {
        *REC_AT(void *, value, f) = items;
        *MEMBER(value, f->count_offset, size_t) = n;
    }
    return rc;
}

static int read_amount(const cJSON *obj, const char *where, const char *name,
                       const struct record_field *f, int64_t *out, struct client_error *err)
{
    struct money money;

    if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(obj, name))) {
        if (wire_get_money(obj, where, name, need_of(f), NULL, &money, err) < 0)
            return -1;
        *out = money.amount;
        return 0;
    }
    return wire_get_int64(obj, where, name, need_of(f), f->def, out, err);
}

static int read_enum(const cJSON *obj, const char *where, const char *name,
                     const struct record_field *f, int *out, struct client_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    char *s = NULL;
    char what[64];
    int rc = 0;

    *out = (int)f->def;
    if (!(f->flags & REC_REQUIRED) && (!v || cJSON_IsNull(v)))
        return 0;
    if (wire_get_string(obj, where, name, WIRE_REQUIRED, NULL, &s, err) < 0)
        return -1;
    if (f->parse(s, out) < 0) {
        snprintf(what, sizeof what, "unknown %s", f->what ? f->what : "value");
        rc = decode_fail(where, name, what, err);
    }
    free(s);
    return rc;
}

static int check_min(const char *where, const char *name, const struct record_field *f, int64_t v,
                     struct client_error *err)
{
    if (f->flags & REC_MIN && v < f->min)
        return decode_fail(where, name, "out of range", err);
    return 0;
}

static int read_member(const cJSON *obj, const char *where, const struct record_field *f,
                       void *value, struct client_error *err)
{
    char path[WIRE_PATH_MAX], sub_path[WIRE_PATH_MAX];
    const cJSON *parent, *sub;
    enum wire_need need = need_of(f);
    const char *name;

    if (parent_of(obj, where, f, path, &parent, &name, err) < 0)
        return -1;
    switch (f->kind) {
    case REC_STRING:
        return wire_get_string(parent, path, name, need, f->def_string ? f->def_string : "",
                               REC_AT(char *, value, f), err);
    case REC_INT:
        if (wire_get_int(parent, path, name, need, (int)f->def, REC_AT(int, value, f), err) < 0)
            return -1;
        return check_min(path, name, f, REC_GET(int, value, f), err);
    case REC_INT64:
        if (wire_get_int64(parent, path, name, need, f->def, REC_AT(int64_t, value, f), err) < 0)
            return -1;
        return check_min(path, name, f, REC_GET(int64_t, value, f), err);
    case REC_BOOL:
        return wire_get_bool(parent, path, name, need, f->def != 0, REC_AT(bool, value, f), err);
    case REC_MONEY:
        return wire_get_money(parent, path, name, need, NULL, REC_AT(struct money, value, f), err);
    case REC_AMOUNT:
        return read_amount(parent, path, name, f, REC_AT(int64_t, value, f), err);
    case REC_ENUM:
        return read_enum(parent, path, name, f, REC_AT(int, value, f), err);
    case REC_OBJECT:
        if (wire_get_object(parent, path, name, need, &sub, err) < 0)
            return -1;
        return sub ? record_read(f->sub, sub, wire_path_member(sub_path, path, name),
                                 REC_AT(char, value, f), err)
                   : 0;
    case REC_ARRAY:
    case REC_INT64_LIST:
    case REC_STRING_LIST:
        return read_array(parent, path, name, f, value, err);
    case REC_OPTIONS:
        /* on failure what was read stays in the record, for the caller's clearing */
        return decode_options(parent, path, name, REC_AT(struct option_value *, value, f),
                              MEMBER(value, f->count_offset, size_t), err);
    }
    return 0;
}

int record_read(const struct record_table *t, const cJSON *obj, const char *where, void *value,
                struct client_error *err)
{
    if (wire_expect_object(obj, where, err) < 0)
        return -1;
    for (size_t i = 0; i < t->n; i++)
        if (read_member(obj, where, &t->fields[i], value, err) < 0)
            return -1;
    return t->check ? t->check(value, where, err) : 0;
}

int record_decode(const char *body, size_t len, const struct record_table *t, void **out,
                  struct client_error *err)
{
    const cJSON *data;
    cJSON *root;
    void *v = NULL;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    if (!(root = wire_parse_envelope(body, len, &data, err)))
        return -1;
    if (!(v = calloc(1, t->size)))
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    else if ((rc = record_read(t, data, "data", v, err)) < 0) {
        record_clear(t, v);
        free(v);
    } else
        *out = v;
    cJSON_Delete(root);
    return rc;
}

int record_decode_list(const char *body, size_t len, const struct record_table *elem, void **items,
                       size_t *n, struct page_meta *meta, struct client_error *err)
{
    const struct record_field list = {.kind = REC_ARRAY, .sub = elem};
    const cJSON *data;
    cJSON *root;
    int size, rc = -1;

    client_error_clear(err);
    *items = NULL;
    *n = 0;
    if (!(root = wire_parse_envelope(body, len, &data, err)))
        return -1;
    if (!cJSON_IsArray(data))
        client_error_set(err, CLIENT_ERR_JSON, "field data: expected an array");
    else if ((size = cJSON_GetArraySize(data)) > WIRE_ARRAY_MAX)
        client_error_set(err, CLIENT_ERR_JSON, "field data: more than %d elements", WIRE_ARRAY_MAX);
    else
        rc = read_items(&list, data, (size_t)size, "data", items, n, err);
    if (rc == 0 && meta)
        rc = decode_meta(root, *n, meta, err);
    cJSON_Delete(root);
    if (rc < 0) {
        record_free_items(elem, *items, *n);
        *items = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- writing ---- */

static cJSON *list_json(const struct record_field *f, const void *value)
{
    cJSON *arr = cJSON_CreateArray();
    const struct int64_list *il = &REC_GET(struct int64_list, value, f);
    const struct string_list *sl = &REC_GET(struct string_list, value, f);
    size_t count = f->kind == REC_INT64_LIST ? il->n : sl->n;

    for (size_t i = 0; arr && i < count; i++) {
        cJSON *item = f->kind == REC_INT64_LIST ? cJSON_CreateNumber((double)il->v[i])
                                                : cJSON_CreateString(sl->v[i]);
        if (!cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

/* One member's value, or JSON null for a nullable member at zero; NULL for a kind not written. */
static cJSON *value_json(const struct record_field *f, const void *value)
{
    bool nullable = f->flags & REC_NULLABLE;

    switch (f->kind) {
    case REC_STRING: {
        const char *s = REC_GET(char *, value, f);
        if (!s)
            s = "";
        return nullable && !*s ? cJSON_CreateNull() : cJSON_CreateString(s);
    }
    case REC_INT:
        return nullable && !REC_GET(int, value, f) ? cJSON_CreateNull()
                                                   : cJSON_CreateNumber(REC_GET(int, value, f));
    case REC_INT64: {
        int64_t v = REC_GET(int64_t, value, f);
        if (v > ENDPOINT_INT_MAX || v < -ENDPOINT_INT_MAX)
            return NULL;
        return nullable && !v ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
    }
    case REC_BOOL:
        return cJSON_CreateBool(REC_GET(bool, value, f));
    case REC_MONEY: {
        const struct money *m = &REC_GET(struct money, value, f);
        return nullable && !m->amount ? cJSON_CreateNull() : endpoint_money_json(m);
    }
    case REC_INT64_LIST:
    case REC_STRING_LIST:
        return list_json(f, value);
    default:
        return NULL;
    }
}

/* The object a member goes into: the root, or its named object member (made on first use). */
static cJSON *target_of(cJSON *root, const char *name, const char **leaf)
{
    const char *dot = strchr(name, '.');
    char outer[40];
    cJSON *o;

    *leaf = name;
    if (!dot)
        return root;
    snprintf(outer, sizeof(outer), "%.*s", (int)(dot - name), name);
    *leaf = dot + 1;
    if ((o = cJSON_GetObjectItemCaseSensitive(root, outer)))
        return o;
    return cJSON_AddObjectToObject(root, outer);
}

cJSON *record_json(const struct record_table *t, const void *value, uint32_t mask)
{
    cJSON *root = cJSON_CreateObject();

    if (!root || !mask || (t->n < 32 && mask >> t->n))
        goto fail;
    for (size_t i = 0; i < t->n && i < 32; i++) {
        const struct record_field *f = &t->fields[i];
        const char *leaf;
        cJSON *into, *v;

        if (!(mask & (UINT32_C(1) << i)))
            continue;
        if (f->flags & REC_READ_ONLY || !(into = target_of(root, f->name, &leaf)))
            goto fail;
        if (!(v = value_json(f, value)) || !cJSON_AddItemToObject(into, leaf, v)) {
            cJSON_Delete(v);
            goto fail;
        }
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}
