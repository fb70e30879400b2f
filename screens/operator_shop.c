/* operator_shop.c: what the coupons and settings screens share, in both modes: coupon states,
 * the settings' labels, values as text and parsing. */
#include "screens/operator_shop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "screens/format.h"

void operator_shop_paint(struct list_screen *ls, struct tui_rect body, const char *intro)
{
    struct tui_rect rest = {body.y + 1, body.x, body.h - 1, body.w};
    char own[256];

    tui_text(ls->app->tui, body.y, body.x + 1, body.w - 2, EL_DIM,
             tui_own(ls->app->tui, intro, own, sizeof own));
    if (list_screen_paint_state(ls, rest))
        return;
    list_screen_paint_table(ls, (struct tui_rect){rest.y + 1, rest.x + 1, rest.h - 1, rest.w - 2});
}

void operator_shop_refusal(const struct client_error *e, char *buf, size_t n)
{
    if (e->status == CLIENT_ERR_API && e->n_fields > 0) {
        snprintf(buf, n, "%s %s", e->fields[0].field, e->fields[0].message);
        return;
    }
    fmt_error(e, buf, n);
}

int operator_shop_parse_bool(const char *text, bool *out)
{
    static const char *const yes[] = {"yes", "y", "on", "true"};
    static const char *const no[] = {"no", "n", "off", "false"};
    char word[16];

    operator_shop_trim(text, word, sizeof word);
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(word, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(word, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

void operator_shop_trim(const char *text, char *out, size_t n)
{
    size_t len;

    while (*text == ' ')
        text++;
    snprintf(out, n, "%s", text);
    for (len = strlen(out); len > 0 && out[len - 1] == ' '; len--)
        out[len - 1] = '\0';
}

void operator_shop_amount(const struct money *m, const struct currency *cur, char *buf, size_t n)
{
    int exp = cur && cur->exponent > 0 && cur->exponent <= 4 ? cur->exponent : cur ? 0 : 2;
    int64_t v = m->amount < 0 ? -m->amount : m->amount;
    char frac[8] = "";

    frac[exp + 1] = '\0';
    for (int i = exp; i > 0; i--, v /= 10)
        frac[i] = (char)('0' + v % 10);
    if (exp)
        frac[0] = '.';
    snprintf(buf, n, "%s%lld%s", m->amount < 0 ? "-" : "", (long long)v, frac);
}

enum coupon_state operator_coupon_state(const struct coupon *c)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;

    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    if (c->disabled)
        return COUPON_DISABLED;
    if (c->ends_at[0] && strcmp(c->ends_at, now) < 0)
        return COUPON_ENDED;
    if (c->starts_at[0] && strcmp(c->starts_at, now) > 0)
        return COUPON_SCHEDULED;
    if (c->max_uses && c->uses >= c->max_uses)
        return COUPON_USED_UP;
    return COUPON_ACTIVE;
}

const char *operator_coupon_state_label(enum coupon_state s)
{
    static const char *const labels[] = {
        [COUPON_ACTIVE] = "Active",       [COUPON_DISABLED] = "Disabled", [COUPON_ENDED] = "Ended",
        [COUPON_SCHEDULED] = "Scheduled", [COUPON_USED_UP] = "Used up",
    };
    return labels[s];
}

/* ---- the billing settings ---- */

enum style { ST_TEXT, ST_INT, ST_DAYS, ST_BOOL, ST_RATE, ST_MONEY, ST_GATEWAYS };

static const struct setting_row {
    const char *label;
    enum style style;
    const char *hint; /* what the prompt asks for */
} rows[SETTING_COUNT] = {
    [SETTING_CURRENCY_CODE] = {"Currency", ST_TEXT, "three capital letters, e.g. EUR"},
    [SETTING_CURRENCY_SYMBOL] = {"Currency symbol", ST_TEXT, "e.g. €"},
    [SETTING_CURRENCY_EXPONENT] = {"Currency decimals", ST_INT, "0 to 4"},
    [SETTING_TAX_ENABLED] = {"Tax charged", ST_BOOL, "yes or no"},
    [SETTING_TAX_NAME] = {"Tax name", ST_TEXT, "e.g. VAT"},
    [SETTING_TAX_RATE_BPS] = {"Tax rate", ST_RATE, "percent, e.g. 19 or 7.5"},
    [SETTING_TAX_INCLUSIVE] = {"Prices include tax", ST_BOOL, "yes or no"},
    [SETTING_GATEWAYS] = {"Payment gateways", ST_GATEWAYS, "stripe, paypal, both or none"},
    [SETTING_CREDITS_ENABLED] = {"Account credits", ST_BOOL, "yes or no"},
    [SETTING_CREDITS_MIN_DEPOSIT] = {"Smallest credit deposit", ST_MONEY, "an amount"},
    [SETTING_CREDITS_MAX_DEPOSIT] = {"Largest credit deposit", ST_MONEY, "an amount"},
    [SETTING_AUTO_ACTIVATE] = {"Activate paid orders", ST_BOOL, "yes, or no to approve each"},
    [SETTING_AUTO_SUSPEND_DAYS] = {"Suspend when overdue", ST_DAYS, "days, 0 never"},
    [SETTING_AUTO_TERMINATE_DAYS] = {"Terminate when overdue", ST_DAYS, "days, 0 never"},
    [SETTING_RENEWAL_INVOICE_DAYS] = {"Renewal invoice ahead", ST_INT, "days before due, 0 to 60"},
    [SETTING_SIGNUP_ENABLED] = {"Sign-ups open", ST_BOOL, "yes or no"},
    [SETTING_BILLING_ENABLED] = {"Billing switched on", ST_BOOL, "yes or no"},
    [SETTING_BILLING_LICENSED] = {"Billing licensed", ST_BOOL, "yes or no"},
};

const char *operator_setting_label(enum shop_setting i)
{
    return rows[i].label;
}

const char *operator_setting_hint(enum shop_setting i)
{
    return rows[i].hint;
}

const char *operator_setting_text(const struct shop_settings *s, enum shop_setting i, bool edit,
                                  const struct currency *cur, const char *none, char *buf, size_t n)
{
    const struct record_field *f = &shop_settings_fields[i];
    switch (rows[i].style) {
    case ST_TEXT: {
        const char *t = REC_GET(char *, s, f);
        snprintf(buf, n, "%s", t && *t ? t : edit ? "" : none);
        break;
    }
    case ST_INT:
    case ST_DAYS: {
        int v = REC_GET(int, s, f);
        if (edit)
            snprintf(buf, n, "%d", v);
        else if (rows[i].style == ST_DAYS && v == 0)
            snprintf(buf, n, "Never");
        else if (rows[i].style == ST_DAYS || i == SETTING_RENEWAL_INVOICE_DAYS)
            snprintf(buf, n, "%d day%s", v, v == 1 ? "" : "s");
        else
            snprintf(buf, n, "%d", v);
        break;
    }
    case ST_BOOL:
        snprintf(buf, n, "%s", REC_GET(bool, s, f) ? edit ? "yes" : "Yes" : edit ? "no" : "No");
        break;
    case ST_RATE: {
        int bps = REC_GET(int, s, f);
        if (edit)
            snprintf(buf, n, "%d.%02d", bps / 100, bps % 100);
        else
            fmt_rate(bps, buf, n);
        break;
    }
    case ST_MONEY: {
        struct money m = REC_GET(struct money, s, f);
        if (edit)
            operator_shop_amount(&m, cur, buf, n);
        else
            money_format(&m, cur, buf, n);
        break;
    }
    case ST_GATEWAYS: {
        const struct string_list *g = &REC_GET(struct string_list, s, f);
        size_t used = 0;
        buf[0] = '\0';
        for (size_t k = 0; k < g->n && used < n; k++)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? ", " : "", g->v[k]);
        if (!g->n)
            snprintf(buf, n, "%s", edit ? "none" : "None");
        break;
    }
    }
    return buf;
}

int operator_setting_parse(struct shop_settings *next, enum shop_setting i, char *text,
                           const struct currency *cur, char *gateways[2])
{
    const struct record_field *f = &shop_settings_fields[i];
    char *end;
    int64_t minor;
    long n;

    switch (rows[i].style) {
    case ST_TEXT:
        *REC_AT(char *, next, f) = text;
        return 0;
    case ST_INT:
    case ST_DAYS:
        n = strtol(text, &end, 10);
        if (!text[0] || *end || n < -1000000 || n > 1000000)
            return -1;
        *REC_AT(int, next, f) = (int)n;
        return 0;
    case ST_BOOL:
        return operator_shop_parse_bool(text, REC_AT(bool, next, f));
    case ST_RATE: /* a percentage with two decimals is the rate in basis points */
        if (fmt_parse_amount(text, NULL, &minor) != 0 || minor > 1000000)
            return -1;
        *REC_AT(int, next, f) = (int)minor;
        return 0;
    case ST_MONEY:
        if (fmt_parse_amount(text, cur, &minor) != 0)
            return -1;
        REC_AT(struct money, next, f)->amount = minor;
        return 0;
    case ST_GATEWAYS: {
        struct string_list *g = REC_AT(struct string_list, next, f);
        bool stripe = strstr(text, "stripe") || strstr(text, "both");
        bool paypal = strstr(text, "paypal") || strstr(text, "both");
        if (!stripe && !paypal && strcmp(text, "none") != 0)
            return -1;
        g->n = 0;
        g->v = gateways;
        if (stripe)
            gateways[g->n++] = "stripe";
        if (paypal)
            gateways[g->n++] = "paypal";
        return 0;
    }
    }
    return -1;
}
