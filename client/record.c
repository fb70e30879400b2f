/* record.c: one reader, one writer and one free for records described by a field table. */
#include "client/record.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode_shared.h"
#include "client/record_json.h"
#include "client/internal.h"
#include "client/wire.h"

void record_clear(const struct record_field *fields, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        const struct record_field *f = &fields[i];
        switch (f->kind) {
        case REC_STRING:
            free(*REC_AT(char *, base, f));
            *REC_AT(char *, base, f) = NULL;
            break;
        case REC_INT64_LIST: {
            struct int64_list *l = REC_AT(struct int64_list, base, f);
            free(l->v);
            memset(l, 0, sizeof(*l));
            break;
        }
        case REC_STRING_LIST: {
            struct string_list *l = REC_AT(struct string_list, base, f);
            for (size_t k = 0; k < l->n; k++)
                free(l->v[k]);
            free(l->v);
            memset(l, 0, sizeof(*l));
            break;
        }
        default:
            break;
        }
    }
}

/* The object holding the member `f` names (its part before a dot), and the member's own name. */
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
    if (wire_get_object(obj, where, outer, f->flags & REC_REQUIRED ? WIRE_REQUIRED : WIRE_OPTIONAL,
                        parent, err) < 0)
        return -1;
    wire_path_member(path, where, outer);
    return 0;
}

static int read_list(const cJSON *arr, size_t count, const char *where,
                     const struct record_field *f, void *base, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *v = arr ? arr->child : NULL;
    bool ints = f->kind == REC_INT64_LIST;
    struct int64_list *il = REC_AT(struct int64_list, base, f);
    struct string_list *sl = REC_AT(struct string_list, base, f);

    if (!count)
        return 0;
    if (ints ? !(il->v = calloc(count, sizeof(*il->v))) : !(sl->v = calloc(count, sizeof(*sl->v))))
        return decode_fail(where, f->name, "out of memory", err);
    for (size_t i = 0; v && i < count; v = v->next, i++) {
        wire_path_index(path, where, i);
        if (!ints) {
            if (!(sl->v[sl->n] = wire_dup_string(v, path, err)))
                return -1;
            sl->n++;
            continue;
        }
        if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
            fabs(v->valuedouble) > (double)ENDPOINT_INT_MAX)
            return decode_fail(path, NULL, "expected an integer", err);
        il->v[il->n++] = (int64_t)v->valuedouble;
    }
    return 0;
}

int record_read(const cJSON *obj, const char *where, const struct record_field *fields, size_t n,
                const char *currency, void *base, struct client_error *err)
{
    char path[WIRE_PATH_MAX], lpath[WIRE_PATH_MAX];

    if (wire_expect_object(obj, where, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct record_field *f = &fields[i];
        enum wire_need need = f->flags & REC_REQUIRED ? WIRE_REQUIRED : WIRE_OPTIONAL;
        const cJSON *parent, *arr;
        const char *name;
        size_t count;
        int rc = 0;

        if (parent_of(obj, where, f, path, &parent, &name, err) < 0)
            return -1;
        switch (f->kind) {
        case REC_STRING:
            rc = wire_get_string(parent, path, name, need, "", REC_AT(char *, base, f), err);
            break;
        case REC_INT:
            rc = wire_get_int(parent, path, name, need, 0, REC_AT(int, base, f), err);
            break;
        case REC_INT64:
            rc = wire_get_int64(parent, path, name, need, 0, REC_AT(int64_t, base, f), err);
            break;
        case REC_BOOL:
            rc = wire_get_bool(parent, path, name, need, false, REC_AT(bool, base, f), err);
            break;
        case REC_MONEY:
            rc = wire_get_money(parent, path, name, need, currency, REC_AT(struct money, base, f),
                                err);
            break;
        case REC_INT64_LIST:
        case REC_STRING_LIST:
            rc = wire_get_array(parent, path, name, need, &arr, &count, err);
            if (rc == 0)
                rc = read_list(arr, count, wire_path_member(lpath, path, name), f, base, err);
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

static cJSON *list_json(const struct record_field *f, const void *base)
{
    cJSON *arr = cJSON_CreateArray();
    const struct int64_list *il = &REC_GET(struct int64_list, base, f);
    const struct string_list *sl = &REC_GET(struct string_list, base, f);
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

/* One member's value, or JSON null for a nullable member at zero. */
static cJSON *value_json(const struct record_field *f, const void *base)
{
    bool nullable = f->flags & REC_NULLABLE;

    switch (f->kind) {
    case REC_STRING: {
        const char *s = REC_GET(char *, base, f);
        if (!s)
            s = "";
        return nullable && !*s ? cJSON_CreateNull() : cJSON_CreateString(s);
    }
    case REC_INT:
        return nullable && !REC_GET(int, base, f) ? cJSON_CreateNull()
                                                  : cJSON_CreateNumber(REC_GET(int, base, f));
    case REC_INT64: {
        int64_t v = REC_GET(int64_t, base, f);
        if (v > ENDPOINT_INT_MAX || v < -ENDPOINT_INT_MAX)
            return NULL;
        return nullable && !v ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
    }
    case REC_BOOL:
        return cJSON_CreateBool(REC_GET(bool, base, f));
    case REC_MONEY: {
        const struct money *m = &REC_GET(struct money, base, f);
        return nullable && !m->amount ? cJSON_CreateNull() : endpoint_money_json(m);
    }
    default:
        return list_json(f, base);
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

cJSON *record_json(const struct record_field *fields, size_t n, const void *base, uint32_t mask)
{
    cJSON *root = cJSON_CreateObject();

    if (!root || !mask || (n < 32 && mask >> n))
        goto fail;
    for (size_t i = 0; i < n && i < 32; i++) {
        const struct record_field *f = &fields[i];
        const char *leaf;
        cJSON *into, *v;

        if (!(mask & (UINT32_C(1) << i)))
            continue;
        if (f->flags & REC_READ_ONLY || !(into = target_of(root, f->name, &leaf)))
            goto fail;
        if (!(v = value_json(f, base)) || !cJSON_AddItemToObject(into, leaf, v)) {
            cJSON_Delete(v);
            goto fail;
        }
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}
