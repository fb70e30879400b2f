/* plain_operator_shop.c: the shop's coupons (switched off and on with D) and billing settings
 * (changed with e, confirmed as old -> new) in plain mode. */
#include "screens/plain_operator.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens/format.h"
#include "screens/operator_shop.h"

void plain_op_shop_free(struct plain_op *op)
{
    catalog_product_page_free(&op->products);
    coupon_page_free(&op->coupons);
    shop_settings_free(&op->settings);
}

/* ---- coupons ---- */

static int coupons_load(struct plain *p)
{
    struct plain_reply r = {0};
    struct coupon_query q = {.per_page = 100};
    if (plain_wait(p, client_admin_get_coupons(p->client, &q, plain_on_coupons, &r), &r) != 0) {
        plain_fail(p, "load the coupons", &r.err);
        return -1;
    }
    coupon_page_free(&p->op->coupons);
    p->op->coupons = r.value;
    return 0;
}

static void coupon_item(struct plain *p, int i)
{
    const struct coupon *c = &p->op->coupons->items[i];
    char code[64], desc[300], off[64], uses[64];
    if (strcmp(c->type, "fixed") == 0)
        plain_money(p, &c->amount_off, off, sizeof off);
    else
        fmt_rate(c->percent_bps, off, sizeof off);
    if (c->max_uses)
        snprintf(uses, sizeof uses, "%" PRId64 " of %" PRId64 " uses", c->uses, c->max_uses);
    else
        snprintf(uses, sizeof uses, "%" PRId64 " use%s", c->uses, c->uses == 1 ? "" : "s");
    plain_clean(c->description, desc, sizeof desc);
    plain_say(p, "%d. %s: %s off, %s. %s, %s.%s%s", i + 1, plain_clean(c->code, code, sizeof code),
              off, c->duration, operator_coupon_state_label(operator_coupon_state(c)), uses,
              desc[0] ? " " : "", desc);
}

static void coupons_print(struct plain *p)
{
    int n = (int)p->op->coupons->n;
    plain_say(p, "Coupons: %d.", n);
    plain_list_start(p, n, coupon_item);
    plain_say(p, "Type D and a coupon's number to switch it off, or on again.");
}

static enum plain_result switch_coupon(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    struct coupon draft = {0};
    char q[600], code[64];
    int i = plain_op_pick(p, arg, "coupon", p->op->coupons->n);
    if (i < 0)
        return PLAIN_STAY;
    const struct coupon *c = &p->op->coupons->items[i];
    bool off = !c->disabled;
    int64_t id = c->id;
    plain_clean(c->code, code, sizeof code);
    if (off)
        snprintf(q, sizeof q,
                 "Switch off %s? The code stops working at once; its dates and uses stay. D "
                 "switches it on again.",
                 code);
    else
        snprintf(q, sizeof q, "Switch %s on again? The code works again within its dates.", code);
    if (!plain_confirm(p, q)) {
        plain_say(p, "Nothing was changed.");
        return PLAIN_STAY;
    }
    /* only the switch is sent: the coupon's dates and uses stay as they are */
    draft.disabled = off;
    if (plain_wait(p,
                   client_admin_update_coupon(p->client, id, &draft, 1u << COUPON_F_DISABLED,
                                              plain_on_coupon, &r),
                   &r) != 0) {
        char msg[400];
        operator_shop_refusal(&r.err, msg, sizeof msg);
        plain_say(p, "Could not switch the coupon: %s", msg);
        return PLAIN_STAY;
    }
    struct coupon *done = r.value;
    plain_say(p, "Coupon %s is %s.", code,
              done->disabled ? "switched off: the code no longer works" : "switched on again");
    coupon_free(&done);
    plain_op_reload(p);
    return PLAIN_STAY;
}

static const struct plain_cmd coupons_cmds[] = {
    {"D", "switch a coupon off, or on again (D and its number)", switch_coupon, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_coupons_screen = {
    .name = "operator-coupons",
    .load = coupons_load,
    .print = coupons_print,
    .cmds = coupons_cmds,
};

/* ---- settings ---- */

static int settings_load(struct plain *p)
{
    struct plain_reply r = {0};
    if (plain_wait(p, client_admin_get_settings(p->client, plain_on_settings, &r), &r) != 0) {
        plain_fail(p, "load the settings", &r.err);
        return -1;
    }
    shop_settings_free(&p->op->settings);
    p->op->settings = r.value;
    return 0;
}

static void setting_item(struct plain *p, int i)
{
    char value[300], clean[300];
    operator_setting_text(p->op->settings, (enum shop_setting)i, false, &p->currency, "none", value,
                          sizeof value);
    plain_say(p, "%d. %s: %s (%s).", i + 1, operator_setting_label((enum shop_setting)i),
              plain_clean(value, clean, sizeof clean), shop_settings_fields[i].name);
}

static void settings_print(struct plain *p)
{
    plain_say(p, "Billing settings: %d.", SETTING_COUNT);
    plain_list_start(p, SETTING_COUNT, setting_item);
    plain_say(p, "Type e and a setting's number to change it; changes go to the audit log.");
}

static enum plain_result change(struct plain *p, const char *arg)
{
    struct plain_reply r = {0};
    char line[256], q[800], now[300], after[300], cur[300], next_text[300];
    char *gateways[2];
    int i = plain_op_pick(p, arg, "setting", SETTING_COUNT);
    if (i < 0)
        return PLAIN_STAY;
    enum shop_setting k = (enum shop_setting)i;
    const char *label = operator_setting_label(k);
    operator_setting_text(p->op->settings, k, false, &p->currency, "none", now, sizeof now);
    plain_clean(now, cur, sizeof cur);
    snprintf(q, sizeof q, "%s is %s. New value (%s; an empty line cancels):", label, cur,
             operator_setting_hint(k));
    if (!plain_ask(p, q, line, sizeof line, false) || !line[0])
        return PLAIN_STAY;
    struct shop_settings next = *p->op->settings;
    operator_shop_trim(line, next_text, sizeof next_text);
    if (operator_setting_parse(&next, k, next_text, &p->currency, gateways) != 0) {
        plain_say(p, "\"%s\" is not a value for %s: %s. Nothing was changed.",
                  plain_clean(next_text, after, sizeof after), label, operator_setting_hint(k));
        return PLAIN_STAY;
    }
    operator_setting_text(&next, k, false, &p->currency, "none", now, sizeof now);
    plain_clean(now, after, sizeof after);
    if (strcmp(cur, after) == 0) {
        plain_say(p, "%s is already %s: nothing was changed.", label, cur);
        return PLAIN_STAY;
    }
    snprintf(q, sizeof q, "Change %s: %s -> %s?", label, cur, after);
    if (!plain_confirm(p, q)) {
        plain_say(p, "Nothing was changed.");
        return PLAIN_STAY;
    }
    if (plain_wait(p,
                   client_admin_update_settings(p->client, &next, 1u << k, plain_on_settings, &r),
                   &r) != 0) {
        char msg[400];
        operator_shop_refusal(&r.err, msg, sizeof msg);
        plain_say(p, "%s not changed: %s", label, msg);
        return PLAIN_STAY;
    }
    shop_settings_free(&p->op->settings);
    p->op->settings = r.value;
    operator_setting_text(p->op->settings, k, false, &p->currency, "none", now, sizeof now);
    plain_say(p, "%s is now %s.", label, plain_clean(now, after, sizeof after));
    return PLAIN_STAY;
}

static const struct plain_cmd settings_cmds[] = {
    {"e", "change a setting (e and its number): the new value, then a confirmation", change, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_screen_ops plain_op_settings_screen = {
    .name = "operator-settings",
    .load = settings_load,
    .print = settings_print,
    .cmds = settings_cmds,
};
