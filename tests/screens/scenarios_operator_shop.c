/* scenarios_operator_shop.c: the operator's shop screens on a real billing server: the coupons
 * (a new one a customer can then apply, one disabled so that it no longer applies), the billing
 * settings (the tax rate changed after a confirmation showing old → new, a value the server
 * refuses), and the orders awaiting approval reached from the customer search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_peek.h"
#include "operator_support.h"
#include "scenarios.h"

#define HK_CLEAR "\x15" /* ^U empties a prompt */

/* The demo customer applies `code` to a cart holding one product: 0 when the server took it. */
static int customer_applies(const char *url, const char *code)
{
    struct acct a;
    if (acct_login(&a, url, ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0 ||
        acct_cart_add(&a, "mc-dirt", "monthly", 1) != 0)
        return -2;
    return acct_cart_coupon(&a, code);
}

int scenario_operator_coupons(void)
{
    struct op_run o;
    struct harness *h;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(op_key_settled(h, "N", "Operator › Coupons · 6") == 0);
    H_CHECK(acct_screen_says(h, "WELCOME10"));
    H_CHECK(acct_screen_says(h, "Scheduled")); /* NOTYET starts in 2099 */
    H_CHECK(acct_snapshot(h, "operator_coupons_80x24") == 0);
    /* ? lists the screen's keys */
    H_CHECK(harness_send(h, "?") == 0);
    H_CHECK(harness_wait_text(h, "Disable the selected coupon", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(h, "Create a new one here", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "x") == 0);
    H_CHECK(harness_wait_gone(h, "Disable the selected coupon", HARNESS_TIMEOUT_MS) == 0);

    /* a new coupon: code, type, amount, then the confirmation */
    H_CHECK(op_key_settled(h, "I", "New coupon code") == 0);
    H_CHECK(op_key_settled(h, "spring15" HK_ENTER, "Type: percent or fixed") == 0);
    H_CHECK(op_key_settled(h, HK_ENTER, "Percent off") == 0);
    H_CHECK(op_key_settled(h, "15" HK_ENTER, "Create coupon SPRING15: 15% off the first") == 0);
    H_CHECK(acct_snapshot(h, "operator_coupon_create_80x24") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Coupon SPRING15 created", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Operator › Coupons · 7") == 0);
    H_CHECK(acct_screen_says(h, "SPRING15"));
    /* a customer can apply it */
    H_CHECK(customer_applies(sett_run_server_url(&o.r), "SPRING15") == 0);

    /* a field changed: the newest coupon is the first row */
    H_CHECK(op_key_settled(h, "e", "Change which field of SPRING15?") == 0);
    H_CHECK(op_key_settled(h, "jjj" HK_ENTER, "Max uses of SPRING15") == 0);
    H_CHECK(op_key_settled(h, "100" HK_ENTER, "Change Max uses of SPRING15: no limit → 100?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Max uses of SPRING15 is now 100.", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "0/100") == 0); /* uses are checkouts, not carts */
    H_CHECK(op_key_settled(h, "e", "Change which field of SPRING15?") == 0);
    H_CHECK(op_key_settled(h, "jjjjj" HK_ENTER, "Ends of SPRING15") == 0);
    H_CHECK(op_key_settled(h, "2099-12-31" HK_ENTER,
                           "Change Ends of SPRING15: none → 2099-12-31?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Ends of SPRING15 is now 2099-12-31.", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "until 2099-12-31") == 0);

    /* disabled: the code stops working at once, its dates stay; D enables it again */
    H_CHECK(op_key_settled(h, "D", "Disable SPRING15?") == 0);
    H_CHECK(acct_screen_says(h, "its dates and uses stay"));
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Coupon SPRING15 is disabled", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Disabled") == 0);
    H_CHECK(acct_screen_says(h, "until 2099-12-31"));
    H_CHECK(acct_snapshot(h, "operator_coupon_disabled_80x24") == 0);
    H_CHECK(customer_applies(sett_run_server_url(&o.r), "SPRING15") != 0);
    H_CHECK(op_key_settled(h, "D", "Enable SPRING15 again?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Coupon SPRING15 is enabled again", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "until 2099-12-31") == 0);
    H_CHECK(!acct_screen_says(h, "Disabled"));
    H_CHECK(customer_applies(sett_run_server_url(&o.r), "SPRING15") == 0);

    /* a code in use is the server's refusal, on the status line */
    H_CHECK(op_key_settled(h, "I", "New coupon code") == 0);
    H_CHECK(op_key_settled(h, "WELCOME10" HK_ENTER, "Type: percent or fixed") == 0);
    H_CHECK(op_key_settled(h, HK_CLEAR "fixed" HK_ENTER, "Amount off") == 0);
    H_CHECK(op_key_settled(h, "5" HK_ENTER, "Create coupon WELCOME10: $5.00 off") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Coupon not created: code is already taken", HARNESS_TIMEOUT_MS) ==
            0);
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}

/* The settings' tax rate as the API has it, or -1. */
static long tax_rate_bps(const char *url)
{
    struct acct admin;
    cJSON *env = NULL;
    long bps = -1;
    if (acct_login(&admin, url, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0 ||
        !(env = op_admin_get(&admin, "/admin/settings")))
        return -1;
    const cJSON *tax = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "tax");
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(tax, "rate_bps");
    if (cJSON_IsNumber(rate))
        bps = (long)rate->valuedouble;
    cJSON_Delete(env);
    return bps;
}

int scenario_operator_settings(void)
{
    struct op_run o;
    struct harness *h;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(op_key_settled(h, "B", "Operator › Settings") == 0);
    H_CHECK(sett_wait_settled(h, "Billing licensed") == 0);
    H_CHECK(acct_snapshot(h, "operator_settings_80x24") == 0);
    H_CHECK(harness_send(h, "?") == 0);
    H_CHECK(harness_wait_text(h, "Change the selected line, field", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(h, "x") == 0);
    H_CHECK(harness_wait_gone(h, "Change the selected line, field", HARNESS_TIMEOUT_MS) == 0);
    long before = tax_rate_bps(sett_run_server_url(&o.r));
    H_CHECK(before >= 0 && before != 1900);

    /* the tax rate: the new value, then old → new */
    H_CHECK(harness_send(h, "jjjjj") == 0);
    H_CHECK(op_key_settled(h, "e", "Tax rate (percent") == 0);
    H_CHECK(op_key_settled(h, HK_CLEAR "19" HK_ENTER, "→ 19%?") == 0);
    H_CHECK(acct_screen_says(h, "Change Tax rate:"));
    H_CHECK(acct_snapshot(h, "operator_settings_confirm_80x24") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Tax rate is now 19%.", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(tax_rate_bps(sett_run_server_url(&o.r)) == 1900);

    /* a value the server refuses: its reason on the status line, nothing changed */
    H_CHECK(op_key_settled(h, "e", "Tax rate (percent") == 0);
    H_CHECK(op_key_settled(h, HK_CLEAR "150" HK_ENTER, "Change Tax rate: 19% → 150%?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Tax rate not changed: tax.rate_bps must be an integer from 0",
                              HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Tax rate not changed") == 0);
    H_CHECK(acct_snapshot(h, "operator_settings_refused_80x24") == 0);
    H_CHECK(tax_rate_bps(sett_run_server_url(&o.r)) == 1900);
    /* what is not a value at all is refused before anything is sent */
    H_CHECK(op_key_settled(h, "e", "Tax rate (percent") == 0);
    H_CHECK(harness_send(h, HK_CLEAR "lots" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "\"lots\" is not a value for Tax rate", HARNESS_TIMEOUT_MS) == 0);
    /* Esc goes back to the search */
    H_CHECK(op_key_settled(h, HK_ESC, "Operator › Customers") == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}

/* With auto-activation off a paid order waits; O on the search lists every customer's waiting
 * orders, and the operator approves it there. */
int scenario_operator_awaiting(void)
{
    struct op_run o;
    struct harness *h;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", true) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(op_key_settled(h, "O", "Operator › Orders awaiting approval") == 0);
    H_CHECK(sett_wait_settled(h, "ORD-2025-000004") == 0);
    H_CHECK(acct_snapshot(h, "operator_awaiting_80x24") == 0);
    H_CHECK(op_key_settled(h, "P", "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, "Checked." HK_ENTER, "Approve ORD-2025-000004 and set up") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "ORD-2025-000004 is now Completed", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "No order awaits approval.") == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}
