/* cli_coupons.c: the operators' command listing the shop's coupon codes. */
#include "screens/cli_run.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "client/types_shop.h"
#include "screens/format.h"
#include "screens/operator_shop.h"

static const struct cli_column coupon_cols[] = {
    {"ID", true, false},        {"CODE", false, false},       {"DISCOUNT", true, false},
    {"DURATION", false, false}, {"USES", true, false},        {"DATES", false, false},
    {"STATE", false, false},    {"DESCRIPTION", false, true},
};
#define N_COUPON_COLS (int)(sizeof coupon_cols / sizeof coupon_cols[0])

static const enum cli_tone state_tones[] = {
    [COUPON_ACTIVE] = CLI_TONE_GOOD,  [COUPON_DISABLED] = CLI_TONE_BAD,
    [COUPON_ENDED] = CLI_TONE_DIM,    [COUPON_SCHEDULED] = CLI_TONE_WARN,
    [COUPON_USED_UP] = CLI_TONE_WARN,
};

static int coupon_rows(struct cli *c, const char *body, size_t len, struct cli_table *t,
                       struct client_error *err)
{
    struct coupon_page *pg = NULL;
    int rc = 0;
    if (decode_coupons(body, len, &pg, err) != 0)
        return -1;
    for (size_t i = 0; t && rc == 0 && i < pg->n; i++) {
        const struct coupon *k = &pg->items[i];
        char id[24], discount[64], duration[32], uses[48], dates[64];
        enum coupon_state st = operator_coupon_state(k);
        snprintf(id, sizeof id, "%" PRId64, k->id);
        if (strcmp(k->type, "fixed") == 0)
            money_format(&k->amount_off, c->status ? &c->status->currency : NULL, discount,
                         sizeof discount);
        else
            fmt_rate(k->percent_bps, discount, sizeof discount);
        if (strcmp(k->duration, "repeating") == 0)
            snprintf(duration, sizeof duration, "%d invoices", k->duration_cycles);
        else
            snprintf(duration, sizeof duration, "%s", k->duration);
        if (k->max_uses)
            snprintf(uses, sizeof uses, "%" PRId64 "/%" PRId64, k->uses, k->max_uses);
        else
            snprintf(uses, sizeof uses, "%" PRId64, k->uses);
        if (!k->starts_at[0] && !k->ends_at[0])
            snprintf(dates, sizeof dates, "-");
        else if (!k->ends_at[0])
            snprintf(dates, sizeof dates, "from %.10s", k->starts_at);
        else if (!k->starts_at[0])
            snprintf(dates, sizeof dates, "until %.10s", k->ends_at);
        else
            snprintf(dates, sizeof dates, "%.10s to %.10s", k->starts_at, k->ends_at);
        const char *cells[] = {id,
                               k->code,
                               discount,
                               duration,
                               uses,
                               dates,
                               operator_coupon_state_label(st),
                               k->description[0] ? k->description : "-"};
        enum cli_tone tones[N_COUPON_COLS] = {[6] = state_tones[st]};
        rc = cli_table_add(t, cells, tones);
    }
    coupon_page_free(&pg);
    if (rc != 0)
        client_error_set(err, CLIENT_ERR_NOMEM, NULL);
    return rc;
}

int cli_coupons(struct cli *c, const struct cli_args *a)
{
    (void)a;
    struct cli_list l = {"/admin/coupons", true, coupon_cols, N_COUPON_COLS, coupon_rows};
    return cli_list_print(c, &l);
}
