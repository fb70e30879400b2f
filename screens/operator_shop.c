/* operator_shop.c: what the coupons and settings screens share. */
#include "screens/operator_shop.h"

#include <stdio.h>
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
