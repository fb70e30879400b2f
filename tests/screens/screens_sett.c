/* screens_sett.c: runs one screen scenario of `sett` by name (`screens_sett store_80x24`). */
#include "scenario_main.h"
#include "scenarios.h"

static const struct scenario scenarios[] = {
    {"store_80x24", scenario_store_80x24},
    {"store_132x43", scenario_store_132x43},
    {"product_80x24", scenario_product_80x24},
    {"product_132x43", scenario_product_132x43},
    {"configurable_80x24", scenario_configurable_80x24},
    {"search", scenario_search},
    {"help", scenario_help},
    {"quit", scenario_quit},
    {"embedded", scenario_embedded},
    {"resize", scenario_resize},
    {"too_small", scenario_too_small},
    {"no_color", scenario_no_color},
    {"no_mouse", scenario_no_mouse},
    {"hostile", scenario_hostile},
    {"slow_server", scenario_slow_server},
    {"slow_cancel", scenario_slow_cancel},
    {"dead_server", scenario_dead_server},
    {"account_signin", scenario_account_signin},
    {"account_home", scenario_account_home},
    {"account_cart", scenario_account_cart},
    {"account_payment", scenario_account_payment},
    {"account_lists", scenario_account_lists},
    {"account_empty", scenario_account_empty},
    {"account_loading", scenario_account_loading},
    {"account_errors", scenario_account_errors},
    {"account_detail_errors", scenario_account_detail_errors},
    {"account_unlicensed", scenario_account_unlicensed},
    {"account_soldout", scenario_account_soldout},
    {"account_refusals", scenario_account_refusals},
    {"account_cart_conflict", scenario_account_cart_conflict},
    {"account_hostile", scenario_account_hostile},
    {"journey_purchase", scenario_journey_purchase},
    {"journey_declined", scenario_journey_declined},
    {"journey_declined_once", scenario_journey_declined_once},
    {"journey_price_change", scenario_journey_price_change},
    {"kiosk_idle", scenario_kiosk_idle},
    {"kiosk_keys", scenario_kiosk_keys},
    {"kiosk_checkout_off", scenario_kiosk_checkout_off},
    {"kiosk_sandbox_refused", scenario_kiosk_sandbox_refused},
    {"kiosk_sandbox", scenario_kiosk_sandbox},
    {"operator_screens", scenario_operator_screens},
    {"operator_refund", scenario_operator_refund},
    {"operator_refused_key", scenario_operator_refused_key},
    {"operator_refused_signin", scenario_operator_refused_signin},
    {"operator_actions", scenario_operator_actions},
    {"operator_embedded", scenario_operator_embedded},
    {"operator_key_file", scenario_operator_key_file},
    {"operator_approve", scenario_operator_approve},
};

int main(int argc, char **argv)
{
    return scenario_main(argc, argv, scenarios, sizeof scenarios / sizeof scenarios[0]);
}
