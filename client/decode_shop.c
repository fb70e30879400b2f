/* decode_shop.c: coupons and settings read through their field tables. */
#include <stdlib.h>

#include "client/decode_shared.h"
#include "client/record_json.h"
#include "client/types_shop.h"
#include "client/wire.h"

static int read_coupon(const cJSON *v, const char *where, void *elem, struct client_error *err)
{
    return record_read(v, where, coupon_fields, COUPON_N_FIELDS, NULL, elem, err);
}

static int read_coupon_data(const cJSON *root, const cJSON *data, void *value,
                            struct client_error *err)
{
    (void)root;
    return read_coupon(data, "data", value, err);
}

static int read_coupon_page(const cJSON *root, const cJSON *data, void *value,
                            struct client_error *err)
{
    struct coupon_page *pg = value;
    void *items = NULL;
    int rc = wire_read_items(data, "data", sizeof(*pg->items), read_coupon, &items, &pg->n, err);

    pg->items = items;
    if (rc < 0)
        return -1;
    return decode_meta(root, pg->n, &pg->meta, err);
}

static int read_settings(const cJSON *root, const cJSON *data, void *value,
                         struct client_error *err)
{
    (void)root;
    return record_read(data, "data", shop_settings_fields, SETTING_COUNT, NULL, value, err);
}

static void destroy_coupon(void *v)
{
    struct coupon *c = v;

    coupon_free(&c);
}

static void destroy_coupon_page(void *v)
{
    struct coupon_page *p = v;

    coupon_page_free(&p);
}

static void destroy_settings(void *v)
{
    struct shop_settings *s = v;

    shop_settings_free(&s);
}

/* The three decoders differ only in type, reader and destructor. */
#define DEFINE_DECODE(name, type, read, destroy)                                                   \
    int name(const char *body, size_t len, type **out, struct client_error *err)                   \
    {                                                                                              \
        void *v;                                                                                   \
        int rc = decode_object(body, len, sizeof(**out), read, destroy, &v, err);                  \
                                                                                                   \
        *out = v;                                                                                  \
        return rc;                                                                                 \
    }

DEFINE_DECODE(decode_coupon, struct coupon, read_coupon_data, destroy_coupon)
DEFINE_DECODE(decode_coupons, struct coupon_page, read_coupon_page, destroy_coupon_page)
DEFINE_DECODE(decode_shop_settings, struct shop_settings, read_settings, destroy_settings)
