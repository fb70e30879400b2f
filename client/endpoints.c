/* endpoints.c: the API's resources as typed requests: paths, bodies, decoders and callbacks. */
#include "client/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client/wire.h"

DEFINE_FINISH(finish_status, struct billing_status, decode_status, billing_status_free,
              client_status_cb)
DEFINE_FINISH(finish_categories, struct category_list, decode_categories, category_list_free,
              client_categories_cb)
DEFINE_FINISH(finish_products, struct product_page, decode_products, product_page_free,
              client_products_cb)
DEFINE_FINISH(finish_product, struct product, decode_product, product_free, client_product_cb)

/* A successful sign-in becomes the client's session before the caller hears of it. */
static void finish_login(struct call *r, const char *body, size_t len, struct client_error *err)
{
    struct auth_session *value = NULL;
    long http = err->http_status;

    if (body && decode_session(body, len, &value, err) < 0)
        value = NULL;
    err->http_status = http;
    if (value)
        client_store_tokens(r->client, value->access_token, value->refresh_token, true);
    if (r->cb)
        ((client_session_cb)r->cb)(r->ud, value, err);
    else
        auth_session_free(&value);
}

size_t endpoint_escape(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            out[n++] = (char)ch;
        } else {
            out[n++] = '%';
            out[n++] = hex[ch >> 4];
            out[n++] = hex[ch & 15];
        }
    }
    out[n] = '\0';
    return n;
}

void endpoint_query_add(char *path, const char *name, const char *value)
{
    size_t n = strlen(path);

    n += (size_t)sprintf(path + n, "%c%s=", strchr(path, '?') ? '&' : '?', name);
    endpoint_escape(path + n, value);
}

void endpoint_query_paging(char *path, int page, int per_page)
{
    char num[24];

    if (page > 1) {
        snprintf(num, sizeof(num), "%d", page);
        endpoint_query_add(path, "page", num);
    }
    if (per_page > 0) {
        snprintf(num, sizeof(num), "%d", per_page);
        endpoint_query_add(path, "per_page", num);
    }
}

char *endpoint_json(cJSON *obj)
{
    char *body = obj ? cJSON_PrintUnformatted(obj) : NULL;

    cJSON_Delete(obj);
    return body;
}

cJSON *endpoint_money_json(const struct money *m)
{
    cJSON *obj;

    if (!m || !wire_currency_code_valid(m->currency) || m->amount > ENDPOINT_INT_MAX ||
        m->amount < -ENDPOINT_INT_MAX)
        return NULL;
    obj = cJSON_CreateObject();
    if (obj && (!cJSON_AddNumberToObject(obj, "amount", (double)m->amount) ||
                !cJSON_AddStringToObject(obj, "currency", m->currency))) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

bool header_value_ok(const char *v)
{
    size_t n = 0;

    if (!v)
        return false;
    for (; v[n]; n++)
        if ((unsigned char)v[n] <= 0x20 || (unsigned char)v[n] >= 0x7f || n >= 255)
            return false;
    return n > 0;
}

uint64_t endpoint_start_with(struct client *c, const char *method, const char *path, char *body,
                             const char *if_match, const char *idempotency_key,
                             call_finish_fn finish, void (*cb)(void), void *ud)
{
    if (!c || !path) {
        free(body);
        return 0;
    }
    return call_submit(
        c, call_with_headers(call_new(c, method, path, body, CALL_BEARER, finish, cb, ud), if_match,
                             idempotency_key));
}

uint64_t endpoint_start(struct client *c, const char *method, const char *path, char *body,
                        call_finish_fn finish, void (*cb)(void), void *ud)
{
    return endpoint_start_with(c, method, path, body, NULL, NULL, finish, cb, ud);
}

static uint64_t start(struct client *c, const char *method, const char *path, char *body,
                      enum call_auth auth, call_finish_fn finish, void (*cb)(void), void *ud)
{
    if (!c || !path)
        return 0;
    return call_submit(c, call_new(c, method, path, body, auth, finish, cb, ud));
}

uint64_t client_get_status(struct client *c, client_status_cb cb, void *ud)
{
    return start(c, "GET", "/billing/status", NULL, CALL_BEARER, finish_status, (void (*)(void))cb,
                 ud);
}

uint64_t client_get_categories(struct client *c, client_categories_cb cb, void *ud)
{
    return start(c, "GET", "/billing/categories", NULL, CALL_BEARER, finish_categories,
                 (void (*)(void))cb, ud);
}

uint64_t client_get_products(struct client *c, const struct product_query *q, client_products_cb cb,
                             void *ud)
{
    char *path;
    size_t cap = sizeof("/billing/products") + 64;
    uint64_t id;

    if (q && q->category)
        cap += 3 * strlen(q->category) + 16;
    if (q && q->q)
        cap += 3 * strlen(q->q) + 16;
    path = malloc(cap);
    if (!path)
        return 0;
    strcpy(path, "/billing/products");
    if (q && q->category && q->category[0])
        endpoint_query_add(path, "category", q->category);
    if (q && q->q && q->q[0])
        endpoint_query_add(path, "q", q->q);
    if (q)
        endpoint_query_paging(path, q->page, q->per_page);
    id = start(c, "GET", path, NULL, CALL_BEARER, finish_products, (void (*)(void))cb, ud);
    free(path);
    return id;
}

uint64_t client_get_product(struct client *c, const char *id_or_slug, client_product_cb cb,
                            void *ud)
{
    static const char prefix[] = "/billing/products/";
    char *path;
    uint64_t id;

    if (!id_or_slug || !id_or_slug[0])
        return 0;
    path = malloc(sizeof(prefix) + 3 * strlen(id_or_slug));
    if (!path)
        return 0;
    strcpy(path, prefix);
    endpoint_escape(path + sizeof(prefix) - 1, id_or_slug);
    id = start(c, "GET", path, NULL, CALL_BEARER, finish_product, (void (*)(void))cb, ud);
    free(path);
    return id;
}

uint64_t client_login(struct client *c, const char *email, const char *password,
                      client_session_cb cb, void *ud)
{
    cJSON *obj;
    char *body = NULL;

    if (!c || !email || !password)
        return 0;
    obj = cJSON_CreateObject();
    if (obj && cJSON_AddStringToObject(obj, "email", email) &&
        cJSON_AddStringToObject(obj, "password", password))
        body = cJSON_PrintUnformatted(obj);
    /* the printed body is wiped on free; the tree is short-lived and freed at once */
    cJSON_Delete(obj);
    if (!body)
        return 0;
    return start(c, "POST", "/auth/login", body, CALL_SIGN_IN, finish_login, (void (*)(void))cb,
                 ud);
}
