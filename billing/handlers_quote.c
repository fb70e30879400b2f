/* handlers_quote.c: POST /billing/quotes: prices a basket and an optional coupon with the one
 * pricing function, without reserving stock or counting a coupon use. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/coupon.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/settings.h"
#include "billing/text.h"

#define QUOTE_MAX_LINES 20

/* Reads items and coupon; the coupon code (NULL for none) or NULL with fields noted. */
static const char *quote_parse(const cJSON *body, struct basket *b, struct reply *rep)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(body, "items");
    const cJSON *coupon = cJSON_GetObjectItemCaseSensitive(body, "coupon");
    const cJSON *item;

    if (!cJSON_IsArray(items))
        reply_field(rep, "items", items ? "must be an array of lines" : "is required");
    else if (cJSON_GetArraySize(items) < 1 || cJSON_GetArraySize(items) > QUOTE_MAX_LINES)
        reply_field(rep, "items", "must hold 1 to 20 lines");
    else
        cJSON_ArrayForEach(item, items)
        {
            char prefix[24];

            snprintf(prefix, sizeof prefix, "items[%zu].", b->n_lines);
            commerce_line_parse(item, prefix, false, rep, &b->lines[b->n_lines++].in);
        }
    if (coupon && !cJSON_IsNull(coupon) &&
        (!cJSON_IsString(coupon) || !coupon->valuestring[0] || strlen(coupon->valuestring) > 64))
        reply_field(rep, "coupon", "must be a code of 1 to 64 characters, or null");
    return cJSON_IsString(coupon) ? coupon->valuestring : NULL;
}

static cJSON *quote_json(const struct settings *set, const struct basket *b, const struct coupon *c)
{
    cJSON *q = cJSON_CreateObject();
    cJSON *items, *coupon, *totals = basket_totals_json(set, b);

    if (!q || !totals || !cJSON_AddStringToObject(q, "currency", set->currency_code) ||
        !(items = cJSON_AddArrayToObject(q, "items")))
        goto fail;
    for (size_t i = 0; i < b->n_lines; i++) {
        cJSON *line = basket_line_json(set, &b->lines[i]);

        if (!line || !cJSON_AddItemToArray(items, line)) {
            cJSON_Delete(line);
            goto fail;
        }
    }
    if (c) {
        if (!(coupon = cJSON_AddObjectToObject(q, "coupon")) ||
            !cJSON_AddStringToObject(coupon, "code", c->code) ||
            !cJSON_AddStringToObject(coupon, "description", c->description) ||
            !json_add_money(coupon, "discount", b->totals.discount, set->currency_code))
            goto fail;
    } else if (!cJSON_AddNullToObject(q, "coupon")) {
        goto fail;
    }
    /* A quote has no account, so its totals stop before credits. */
    cJSON_DeleteItemFromObjectCaseSensitive(totals, "credits_available");
    cJSON_DeleteItemFromObjectCaseSensitive(totals, "credits_to_apply");
    cJSON_DeleteItemFromObjectCaseSensitive(totals, "due_now");
    if (!cJSON_AddItemToObject(q, "totals", totals))
        goto fail;
    return q;
fail:
    cJSON_Delete(totals);
    cJSON_Delete(q);
    return NULL;
}

void handle_quote(struct request *req, struct reply *rep)
{
    struct basket *b = calloc(1, sizeof *b);
    cJSON *fields = cJSON_CreateObject();
    const char *code;
    struct settings set;
    struct coupon c;
    int64_t now = clock_now(req->app);
    enum api_error err = API_ERR_INTERNAL;
    char msg[256], echo[80], minimum[32];
    sqlite3 *conn;

    if (!b || !fields) {
        reply_error(rep, err, NULL);
        goto done;
    }
    code = quote_parse(req->json, b, rep);
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        goto done;
    }
    if (code && !commerce_coupon_allowed(req, rep))
        goto done;
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0) {
        err = code ? coupon_find(conn, code, &c) : API_OK;
        if (err == API_OK && code)
            err = coupon_check(conn, &c, 0, now);
        if (err == API_OK || coupon_is_refusal(err)) {
            /* Line problems come first: a coupon cannot be judged on a basket that does not
             * price. */
            enum api_error priced =
                basket_price(conn, &set, b, err == API_OK && code ? c.id : 0, 0, false, fields);

            if (priced == API_ERR_VALIDATION_FAILED || priced == API_ERR_INTERNAL || err == API_OK)
                err = priced;
        }
    }
    if (err == API_OK)
        reply_data(rep, 200, quote_json(&set, b, code ? &c : NULL));
    db_release(req->app->db);
    if (err == API_ERR_VALIDATION_FAILED) {
        commerce_fields(rep, fields, "");
        reply_validation(rep);
    } else if (err == API_ERR_COUPON_NOT_FOUND) {
        commerce_coupon_refused(req);
        reply_error(rep, err, "There is no coupon %s.", text_echo(code, echo, sizeof echo));
    } else if (coupon_is_refusal(err)) {
        commerce_coupon_refused(req);
        if (err == API_ERR_COUPON_MINIMUM_NOT_MET) {
            snprintf(minimum, sizeof minimum, "%lld", (long long)c.min_subtotal);
            reply_field(rep, "minimum", minimum);
        }
        coupon_refusal(&c, err, &set, msg, sizeof msg);
        reply_error(rep, err, "%s", msg);
    } else if (err != API_OK) {
        reply_error(rep, err, NULL);
    }
done:
    cJSON_Delete(fields);
    free(b);
}
