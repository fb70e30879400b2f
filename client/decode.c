/* decode.c: response bodies to typed values: status, categories, sessions and error envelopes. */
#include "client/types.h"
#include "client/types_account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/wire.h"

static int read_currency(const cJSON *data, struct currency *out, struct client_error *err)
{
    const char *where = "data.currency";
    const cJSON *cur;
    char *code = NULL, *symbol = NULL;
    struct currency known;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (wire_get_object(data, "data", "currency", WIRE_REQUIRED, &cur, err) < 0)
        goto done;
    if (wire_get_string(cur, where, "code", WIRE_REQUIRED, NULL, &code, err) < 0 ||
        wire_get_string(cur, where, "symbol", WIRE_OPTIONAL, "", &symbol, err) < 0)
        goto done;
    if (!wire_currency_code_valid(code)) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s.code: expected a 3-letter currency code",
                         where);
        goto done;
    }
    wire_copy_utf8(out->code, sizeof(out->code), code);
    wire_copy_utf8(out->symbol, sizeof(out->symbol), symbol);
    if (wire_get_int(cur, where, "exponent", WIRE_OPTIONAL,
                     currency_lookup(code, &known) == 0 ? known.exponent : 2, &out->exponent,
                     err) < 0)
        goto done;
    if (out->exponent < 0 || out->exponent > 18) {
        client_error_set(err, CLIENT_ERR_JSON, "field %s.exponent: out of range", where);
        goto done;
    }
    rc = 0;
done:
    free(code);
    free(symbol);
    return rc;
}

static int read_tax(const cJSON *data, struct tax_info *tax, struct client_error *err)
{
    const char *where = "data.tax";
    const cJSON *t;

    if (wire_get_object(data, "data", "tax", WIRE_OPTIONAL, &t, err) < 0)
        return -1;
    if (wire_get_bool(t, where, "enabled", WIRE_OPTIONAL, false, &tax->enabled, err) < 0 ||
        wire_get_string(t, where, "name", WIRE_OPTIONAL, "", &tax->name, err) < 0 ||
        wire_get_int(t, where, "rate_bps", WIRE_OPTIONAL, 0, &tax->rate_bps, err) < 0 ||
        wire_get_bool(t, where, "inclusive", WIRE_OPTIONAL, false, &tax->inclusive, err) < 0)
        return -1;
    return 0;
}

static int read_gateways(const cJSON *data, struct billing_status *s, struct client_error *err)
{
    char path[WIRE_PATH_MAX];
    const cJSON *arr, *g;
    size_t n;

    if (wire_get_array(data, "data", "gateways", WIRE_OPTIONAL, &arr, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    s->gateways = calloc(n, sizeof(*s->gateways));
    if (!s->gateways) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    cJSON_ArrayForEach(g, arr)
    {
        s->gateways[s->n_gateways] =
            wire_dup_string(g, wire_path_index(path, "data.gateways", s->n_gateways), err);
        if (!s->gateways[s->n_gateways])
            return -1;
        s->n_gateways++;
    }
    return 0;
}

int decode_status(const char *body, size_t len, struct billing_status **out,
                  struct client_error *err)
{
    struct billing_status *s = NULL;
    const cJSON *data;
    cJSON *root;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    if (wire_expect_object(data, "data", err) < 0)
        goto done;
    s = calloc(1, sizeof(*s));
    if (!s) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        goto done;
    }
    if (wire_get_bool(data, "data", "enabled", WIRE_REQUIRED, false, &s->enabled, err) < 0 ||
        wire_get_bool(data, "data", "licensed", WIRE_REQUIRED, false, &s->licensed, err) < 0 ||
        wire_get_bool(data, "data", "credits_enabled", WIRE_OPTIONAL, false, &s->credits_enabled,
                      err) < 0 ||
        wire_get_bool(data, "data", "auto_activate", WIRE_OPTIONAL, false, &s->auto_activate, err) <
            0 ||
        wire_get_bool(data, "data", "signup_enabled", WIRE_OPTIONAL, false, &s->signup_enabled,
                      err) < 0 ||
        wire_get_bool(data, "data", "sandbox", WIRE_OPTIONAL, false, &s->sandbox, err) < 0 ||
        read_currency(data, &s->currency, err) < 0 || read_tax(data, &s->tax, err) < 0 ||
        read_gateways(data, s, err) < 0)
        goto done;
    *out = s;
    s = NULL;
    rc = 0;
done:
    billing_status_free(&s);
    cJSON_Delete(root);
    return rc;
}

static int read_category(const cJSON *v, const char *where, struct category *c,
                         struct client_error *err)
{
    if (wire_expect_object(v, where, err) < 0 ||
        wire_get_int64(v, where, "id", WIRE_REQUIRED, 0, &c->id, err) < 0 ||
        wire_get_string(v, where, "slug", WIRE_REQUIRED, NULL, &c->slug, err) < 0 ||
        wire_get_string(v, where, "name", WIRE_REQUIRED, NULL, &c->name, err) < 0 ||
        wire_get_string(v, where, "description", WIRE_OPTIONAL, "", &c->description, err) < 0 ||
        wire_get_int(v, where, "product_count", WIRE_OPTIONAL, 0, &c->product_count, err) < 0)
        return -1;
    return 0;
}

static int read_category_item(const cJSON *v, const char *where, void *elem,
                              struct client_error *err)
{
    return read_category(v, where, elem, err);
}

int decode_categories(const char *body, size_t len, struct category_list **out,
                      struct client_error *err)
{
    struct category_list *l = NULL;
    const cJSON *data;
    cJSON *root;
    void *items;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    l = calloc(1, sizeof(*l));
    if (!l) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        goto done;
    }
    rc = wire_read_items(data, "data", sizeof(*l->items), read_category_item, &items, &l->n, err);
    l->items = items;
    if (rc < 0)
        goto done;
    *out = l;
    l = NULL;
done:
    category_list_free(&l);
    cJSON_Delete(root);
    return rc;
}

/* Tokens go into an HTTP header: anything outside visible ASCII could split or forge headers. */
static int check_token(const char *tok, const char *name, struct client_error *err)
{
    const unsigned char *p = (const unsigned char *)tok;

    if (!*p)
        goto bad;
    for (; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            goto bad;
    return 0;
bad:
    client_error_set(err, CLIENT_ERR_JSON, "field data.%s: not a usable token", name);
    return -1;
}

int decode_session(const char *body, size_t len, struct auth_session **out,
                   struct client_error *err)
{
    struct auth_session *s = NULL;
    const cJSON *data, *user;
    cJSON *root;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    if (wire_expect_object(data, "data", err) < 0)
        goto done;
    s = calloc(1, sizeof(*s));
    if (!s) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        goto done;
    }
    if (wire_get_string(data, "data", "access_token", WIRE_REQUIRED, NULL, &s->access_token, err) <
            0 ||
        wire_get_string(data, "data", "refresh_token", WIRE_REQUIRED, NULL, &s->refresh_token,
                        err) < 0 ||
        check_token(s->access_token, "access_token", err) < 0 ||
        check_token(s->refresh_token, "refresh_token", err) < 0 ||
        wire_get_string(data, "data", "token_type", WIRE_OPTIONAL, "Bearer", &s->token_type, err) <
            0 ||
        wire_get_int(data, "data", "expires_in", WIRE_OPTIONAL, 0, &s->expires_in, err) < 0 ||
        wire_get_object(data, "data", "user", WIRE_OPTIONAL, &user, err) < 0 ||
        wire_get_int64(user, "data.user", "id", WIRE_OPTIONAL, 0, &s->user.id, err) < 0 ||
        wire_get_string(user, "data.user", "email", WIRE_OPTIONAL, "", &s->user.email, err) < 0 ||
        wire_get_string(user, "data.user", "name", WIRE_OPTIONAL, "", &s->user.name, err) < 0)
        goto done;
    *out = s;
    s = NULL;
    rc = 0;
done:
    auth_session_free(&s);
    cJSON_Delete(root);
    return rc;
}

int decode_user(const char *body, size_t len, struct auth_user **out, struct client_error *err)
{
    struct auth_user *u = NULL;
    const cJSON *data;
    cJSON *root;
    int rc = -1;

    client_error_clear(err);
    *out = NULL;
    root = wire_parse_envelope(body, len, &data, err);
    if (!root)
        return -1;
    if (wire_expect_object(data, "data", err) < 0)
        goto done;
    if (!(u = calloc(1, sizeof(*u)))) {
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
        goto done;
    }
    /* an account made by SSH sign-in may have no e-mail yet */
    if (wire_get_int64(data, "data", "id", WIRE_REQUIRED, 0, &u->id, err) < 0 ||
        wire_get_string(data, "data", "email", WIRE_OPTIONAL, "", &u->email, err) < 0 ||
        wire_get_string(data, "data", "name", WIRE_OPTIONAL, "", &u->name, err) < 0)
        goto done;
    *out = u;
    u = NULL;
    rc = 0;
done:
    auth_user_free(&u);
    cJSON_Delete(root);
    return rc;
}

void decode_error(const char *body, size_t len, long http_status, struct client_error *err)
{
    const cJSON *error;
    cJSON *root = NULL;

    client_error_clear(err);
    if (body && len > 0)
        root = cJSON_ParseWithLength(body, len);
    error = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (cJSON_IsObject(root) && cJSON_IsObject(error))
        wire_read_api_error(error, err);
    else
        client_error_set(err, CLIENT_ERR_HTTP, "the server answered HTTP %ld", http_status);
    err->http_status = http_status;
    cJSON_Delete(root);
}
