/* cart.c: the account's cart: loading its lines, pricing them with its coupon, its version. */
#include "billing/cart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/timestamp.h"

static enum api_error cart_head(sqlite3 *conn, int64_t user_id, int64_t now, struct cart *c)
{
    sqlite3_stmt *st = db_prepare(conn, "INSERT OR IGNORE INTO carts(user_id, version,"
                                        " updated_at) VALUES (?, 1, ?)");
    enum api_error err = API_ERR_INTERNAL;

    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, now);
    if (sqlite3_step(st) != SQLITE_DONE) {
        db_finalize(st);
        return err;
    }
    db_finalize(st);
    st = db_prepare(conn, "SELECT version, COALESCE(coupon_id, 0), updated_at FROM carts"
                          " WHERE user_id = ?");
    if (!st)
        return err;
    sqlite3_bind_int64(st, 1, user_id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        c->version = sqlite3_column_int64(st, 0);
        c->coupon_id = sqlite3_column_int64(st, 1);
        c->updated_at = sqlite3_column_int64(st, 2);
        err = API_OK;
    }
    db_finalize(st);
    return err;
}

/* {resource: value} into the line's options. */
static void cart_options_parse(const char *text, struct basket_line_in *in)
{
    cJSON *o = cJSON_Parse(text), *v;
    int64_t value;

    cJSON_ArrayForEach(v, o)
    {
        if (in->n_options == BASKET_MAX_OPTIONS || !json_get_int(v, &value) ||
            strlen(v->string) >= sizeof in->option_resource[0])
            continue;
        snprintf(in->option_resource[in->n_options], sizeof in->option_resource[0], "%s",
                 v->string);
        in->option_value[in->n_options++] = value;
    }
    cJSON_Delete(o);
}

enum api_error cart_load(sqlite3 *conn, int64_t user_id, int64_t now, struct cart *c)
{
    sqlite3_stmt *st;
    enum api_error err;
    int rc;

    memset(c, 0, sizeof *c);
    c->user_id = user_id;
    if ((err = cart_head(conn, user_id, now, c)) != API_OK)
        return err;
    st = db_prepare(conn, "SELECT id, product_id, cycle, options, quantity, created_at"
                          " FROM cart_items WHERE user_id = ? ORDER BY id");
    if (!st)
        return API_ERR_INTERNAL;
    sqlite3_bind_int64(st, 1, user_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && c->basket.n_lines < BASKET_MAX_LINES) {
        struct basket_line_in *in = &c->basket.lines[c->basket.n_lines].in;

        in->cart_item_id = sqlite3_column_int64(st, 0);
        in->product_id = sqlite3_column_int64(st, 1);
        snprintf(in->cycle, sizeof in->cycle, "%s", db_text(st, 2));
        cart_options_parse(db_text(st, 3), in);
        in->quantity = sqlite3_column_int64(st, 4);
        in->include_setup_fee = true;
        c->added_at[c->basket.n_lines++] = sqlite3_column_int64(st, 5);
    }
    db_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? API_OK : API_ERR_INTERNAL;
}

enum api_error cart_price(sqlite3 *conn, const struct settings *set, struct cart *c, int64_t now)
{
    struct coupon coupon;
    enum api_error err;

    c->coupon_refusal = API_OK;
    c->coupon_code[0] = c->coupon_description[0] = '\0';
    if (c->coupon_id) {
        err = coupon_load(conn, c->coupon_id, &coupon);
        if (err == API_ERR_INTERNAL)
            return err;
        if (err == API_OK) {
            snprintf(c->coupon_code, sizeof c->coupon_code, "%s", coupon.code);
            snprintf(c->coupon_description, sizeof c->coupon_description, "%s", coupon.description);
            err = coupon_check(conn, &coupon, c->user_id, now);
        }
        if (err == API_ERR_INTERNAL)
            return err;
        c->coupon_refusal = err;
    }
    err = basket_price(conn, set, &c->basket, c->coupon_refusal == API_OK ? c->coupon_id : 0,
                       c->user_id, true, NULL);
    if (coupon_is_refusal(err)) {
        c->coupon_refusal = err;
        err = API_OK;
    }
    /* The catalog is fixed once seeded, so a stored line always prices; if it somehow did not,
     * that is the server's fault, not the request's. */
    return err == API_OK ? API_OK : API_ERR_INTERNAL;
}

static cJSON *cart_coupon_json(const struct settings *set, const struct cart *c)
{
    cJSON *o = cJSON_CreateObject();

    if (!o || !cJSON_AddStringToObject(o, "code", c->coupon_code) ||
        !cJSON_AddStringToObject(o, "description", c->coupon_description) ||
        !json_add_money(o, "discount", c->basket.totals.discount, set->currency_code) ||
        !cJSON_AddBoolToObject(o, "valid", c->coupon_refusal == API_OK) ||
        !(c->coupon_refusal == API_OK
              ? cJSON_AddNullToObject(o, "invalid_reason")
              : cJSON_AddStringToObject(o, "invalid_reason", api_error_code(c->coupon_refusal)))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *cart_json(const struct settings *set, const struct cart *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *items, *coupon = NULL, *totals = NULL;

    if (!o || !json_add_int(o, "version", c->version) ||
        !cJSON_AddStringToObject(o, "currency", set->currency_code) ||
        !(items = cJSON_AddArrayToObject(o, "items")))
        goto fail;
    for (size_t i = 0; i < c->basket.n_lines; i++) {
        cJSON *line = basket_line_json(set, &c->basket.lines[i]);
        cJSON *item = cJSON_CreateObject();

        /* CartItem: its id and added_at, then the priced line's members. */
        if (!line || !item || !cJSON_AddItemToArray(items, item)) {
            cJSON_Delete(line);
            cJSON_Delete(item);
            goto fail;
        }
        if (!json_add_int(item, "id", c->basket.lines[i].in.cart_item_id) ||
            !json_add_timestamp(item, "added_at", c->added_at[i])) {
            cJSON_Delete(line);
            goto fail;
        }
        while (line->child) {
            cJSON *member = cJSON_DetachItemViaPointer(line, line->child);

            cJSON_AddItemToObject(item, member->string, member);
        }
        cJSON_Delete(line);
    }
    if (c->coupon_code[0] && !(coupon = cart_coupon_json(set, c)))
        goto fail;
    if (coupon ? !cJSON_AddItemToObject(o, "coupon", coupon)
               : !cJSON_AddNullToObject(o, "coupon")) {
        cJSON_Delete(coupon);
        goto fail;
    }
    if (!(totals = basket_totals_json(set, &c->basket)) ||
        !cJSON_AddItemToObject(o, "totals", totals)) {
        cJSON_Delete(totals);
        goto fail;
    }
    if (!json_add_timestamp(o, "updated_at", c->updated_at))
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

int cart_bump(sqlite3 *conn, int64_t user_id, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "UPDATE carts SET version = version + 1, updated_at = ?"
                                        " WHERE user_id = ?");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, user_id);
    if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(conn) == 1)
        rc = 0;
    db_finalize(st);
    return rc;
}

bool cart_if_match(const char *header, int64_t version)
{
    char want[32];
    const char *p = header;

    snprintf(want, sizeof want, "%lld", (long long)version);
    /* A list of entity tags, each "N" (or N, leniently); "*" matches the cart that exists. */
    while (*p) {
        size_t len;

        p += strspn(p, " \t,");
        len = strcspn(p, ",");
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 1 && *p == '*')
            return true;
        if (len >= 2 && p[0] == '"' && p[len - 1] == '"' && len - 2 == strlen(want) &&
            memcmp(p + 1, want, len - 2) == 0)
            return true;
        if (len == strlen(want) && memcmp(p, want, len) == 0)
            return true;
        p += len;
        p += strcspn(p, ",");
    }
    return false;
}

char *cart_options_text(const struct basket_line_in *in)
{
    cJSON *o = basket_options_json(in);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;

    cJSON_Delete(o);
    return text;
}
