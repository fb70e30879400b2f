/* basket_json.c: a priced basket as the contract's Totals and PricedLine objects. */
#include "billing/basket.h"

#include <string.h>

#include "billing/json_util.h"

cJSON *basket_totals_json(const struct settings *set, const struct basket *b)
{
    const struct basket_totals *t = &b->totals;
    const char *cur = set->currency_code;
    cJSON *o = cJSON_CreateObject();
    cJSON *lines, *line;

    if (!o || !json_add_money(o, "subtotal", t->subtotal, cur) ||
        !json_add_money(o, "discount", t->discount, cur) ||
        !(lines = cJSON_AddArrayToObject(o, "tax_lines")))
        goto fail;
    if (set->tax_enabled) {
        if (!(line = cJSON_CreateObject()) || !cJSON_AddItemToArray(lines, line)) {
            cJSON_Delete(line);
            goto fail;
        }
        if (!cJSON_AddStringToObject(line, "name", set->tax_name) ||
            !json_add_int(line, "rate_bps", set->tax_rate_bps) ||
            !cJSON_AddBoolToObject(line, "inclusive", set->tax_inclusive) ||
            !json_add_money(line, "amount", t->tax, cur))
            goto fail;
    }
    if (!json_add_money(o, "tax_total", t->tax, cur) ||
        !json_add_money(o, "total", t->total, cur) ||
        !json_add_money(o, "credits_available", t->credits_available, cur) ||
        !json_add_money(o, "credits_to_apply", t->credits_to_apply, cur) ||
        !json_add_money(o, "due_now", t->due_now, cur))
        goto fail;
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

cJSON *basket_options_json(const struct basket_line_in *in)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; o && i < in->n_options; i++) {
        if (!json_add_int(o, in->option_resource[i], in->option_value[i])) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

cJSON *basket_line_json(const struct settings *set, const struct basket_line *l)
{
    const char *cur = set->currency_code;
    cJSON *o = cJSON_CreateObject();
    cJSON *product, *options = basket_options_json(&l->in);

    if (!o || !options || !(product = cJSON_AddObjectToObject(o, "product")) ||
        !json_add_int(product, "id", l->in.product_id) ||
        !cJSON_AddStringToObject(product, "slug", l->product_slug) ||
        !cJSON_AddStringToObject(product, "name", l->product_name) ||
        !cJSON_AddStringToObject(product, "category_slug", l->category_slug) ||
        !cJSON_AddStringToObject(o, "cycle", l->in.cycle) || !json_add_int(o, "months", l->months))
        goto fail;
    if (!cJSON_AddItemToObject(o, "options", options))
        goto fail;
    options = NULL;
    if (!json_add_int(o, "quantity", l->in.quantity) ||
        !json_add_money(o, "unit_price", l->unit_amount, cur) ||
        !json_add_money(o, "setup_fee", l->setup_fee, cur) ||
        !json_add_money(o, "line_total", l->amount, cur) ||
        !json_add_money(o, "recurring", l->recurring, cur) ||
        !cJSON_AddBoolToObject(o, "available", l->available))
        goto fail;
    return o;
fail:
    cJSON_Delete(options);
    cJSON_Delete(o);
    return NULL;
}
