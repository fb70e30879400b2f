/* endpoints_shop.c: the operator's coupon and settings endpoints as typed requests. */
#include "client/internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/record_json.h"
#include "client/types_shop.h"

DEFINE_FINISH(finish_coupons, struct coupon_page, decode_coupons, coupon_page_free,
              client_coupons_cb)
DEFINE_FINISH(finish_coupon, struct coupon, decode_coupon, coupon_free, client_coupon_cb)
DEFINE_FINISH(finish_settings, struct shop_settings, decode_shop_settings, shop_settings_free,
              client_settings_cb)

/* 204 with no body: only the outcome matters. */
static void finish_done(struct call *r, const char *body, size_t len, struct client_error *err)
{
    (void)body;
    (void)len;
    if (r->cb)
        ((client_done_cb)r->cb)(r->ud, err);
}

uint64_t client_admin_get_coupons(struct client *c, const struct coupon_query *q,
                                  client_coupons_cb cb, void *ud)
{
    size_t cap = 64 + (q && q->q ? 3 * strlen(q->q) + 8 : 0);
    char *path = malloc(cap);
    uint64_t id;

    if (!path)
        return 0;
    strcpy(path, "/admin/coupons");
    if (q && q->q && q->q[0])
        endpoint_query_add(path, "q", q->q);
    if (q)
        endpoint_query_paging(path, q->page, q->per_page);
    id = endpoint_start(c, "GET", path, NULL, finish_coupons, (void (*)(void))cb, ud);
    free(path);
    return id;
}

/* `method` the members of `v` in `mask` to `path`. */
static uint64_t start_write(struct client *c, const char *method, const char *path,
                            const struct record_table *t, const void *v, uint32_t mask,
                            call_finish_fn finish, void (*cb)(void), void *ud)
{
    cJSON *obj;

    if (!v || !(obj = record_json(t, v, mask)))
        return 0;
    return endpoint_start(c, method, path, endpoint_json(obj), finish, cb, ud);
}

uint64_t client_admin_create_coupon(struct client *c, const struct coupon *v, uint32_t mask,
                                    client_coupon_cb cb, void *ud)
{
    return start_write(c, "POST", "/admin/coupons", &coupon_table, v, mask, finish_coupon,
                       (void (*)(void))cb, ud);
}

uint64_t client_admin_update_coupon(struct client *c, int64_t id, const struct coupon *v,
                                    uint32_t mask, client_coupon_cb cb, void *ud)
{
    char path[64];

    if (id <= 0)
        return 0;
    snprintf(path, sizeof(path), "/admin/coupons/%" PRId64, id);
    return start_write(c, "PATCH", path, &coupon_table, v, mask, finish_coupon, (void (*)(void))cb,
                       ud);
}

uint64_t client_admin_delete_coupon(struct client *c, int64_t id, client_done_cb cb, void *ud)
{
    char path[64];

    if (id <= 0)
        return 0;
    snprintf(path, sizeof(path), "/admin/coupons/%" PRId64, id);
    return endpoint_start(c, "DELETE", path, NULL, finish_done, (void (*)(void))cb, ud);
}

uint64_t client_admin_get_settings(struct client *c, client_settings_cb cb, void *ud)
{
    return endpoint_start(c, "GET", "/admin/settings", NULL, finish_settings, (void (*)(void))cb,
                          ud);
}

uint64_t client_admin_update_settings(struct client *c, const struct shop_settings *v,
                                      uint32_t mask, client_settings_cb cb, void *ud)
{
    return start_write(c, "PATCH", "/admin/settings", &shop_settings_table, v, mask,
                       finish_settings, (void (*)(void))cb, ud);
}
