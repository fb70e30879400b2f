/* scenarios.h: the screen scenarios of `sett`, one ctest test each (screens_NAME). */
#ifndef SETT_SCREENS_SCENARIOS_H
#define SETT_SCREENS_SCENARIOS_H

struct harness;

/* Nothing in the raw output that hostile data could have put there (OSC, "pwned", ESC c, C1
 * controls, BEL, a window title): 0, or -1 with what was found on stderr. */
int screens_raw_clean(struct harness *h);

/* Each returns 0 when every check passed. */
int scenario_store_80x24(void);
int scenario_store_132x43(void);
int scenario_product_80x24(void);
int scenario_product_132x43(void);
int scenario_configurable_80x24(void);
int scenario_search(void);
int scenario_store_paging(void);
int scenario_store_paging_loading(void);
int scenario_help(void);
int scenario_quit(void);
int scenario_embedded(void);

int scenario_resize(void);
int scenario_too_small(void);
int scenario_resize_and_back(void);
int scenario_no_color(void);
int scenario_no_mouse(void);
int scenario_hostile(void);

int scenario_slow_server(void);
int scenario_slow_cancel(void);
int scenario_dead_server(void);

int scenario_sandbox_mark(void);
int scenario_sandbox_mark_absent(void);
int scenario_settd_session(void);
int scenario_settd_session_password(void);

int scenario_account_signin(void);
int scenario_account_signin_throttled(void);
int scenario_account_home(void);
int scenario_account_cart(void);
int scenario_account_payment(void);
int scenario_account_lists(void);
int scenario_account_empty(void);
int scenario_account_loading(void);
int scenario_account_errors(void);
int scenario_account_detail_errors(void);
int scenario_account_unlicensed(void);
int scenario_account_soldout(void);
int scenario_account_refusals(void);
int scenario_account_cart_conflict(void);
int scenario_account_hostile(void);

int scenario_journey_purchase(void);
int scenario_journey_declined(void);
int scenario_journey_declined_once(void);
int scenario_journey_price_change(void);

int scenario_plan_upgrade(void);
int scenario_plan_downgrade(void);
int scenario_plan_withdraw(void);

/* scenarios_faults.c */
int scenario_faults_payment_restart(void);
int scenario_faults_payment_blackhole(void);
int scenario_faults_blackhole_load(void);
int scenario_faults_cut_reply(void);

int scenario_locale_c(void);
int scenario_locale_lang_c(void);
int scenario_locale_currency(void);

int scenario_cursor_selection(void);
int scenario_cursor_no_animation(void);

int scenario_matrix_terms(void);
int scenario_matrix_c_locale(void);
int scenario_matrix_sizes(void);
int scenario_matrix_colour(void);
int scenario_matrix_unknown_term(void);

int scenario_kiosk_idle(void);
int scenario_kiosk_keys(void);
int scenario_kiosk_checkout_off(void);
int scenario_kiosk_sandbox_refused(void);
int scenario_kiosk_sandbox_remote(void);
int scenario_kiosk_sandbox(void);

int scenario_gateways_stripe_purchase(void);
int scenario_gateways_stripe_failure(void);
int scenario_gateways_stripe_late(void);
int scenario_gateways_stripe_held(void);
int scenario_gateways_paypal_purchase(void);
int scenario_gateways_paypal_failure(void);
int scenario_gateways_paypal_late(void);
int scenario_gateways_paypal_held(void);

int scenario_operator_screens(void);
int scenario_operator_refund(void);
int scenario_operator_refused_key(void);
int scenario_operator_refused_signin(void);
int scenario_operator_actions(void);
int scenario_operator_embedded(void);
int scenario_operator_key_file(void);
int scenario_operator_approve(void);
int scenario_operator_coupons(void);
int scenario_operator_settings(void);
int scenario_operator_awaiting(void);
int scenario_operator_catalog(void);
int scenario_operator_catalog_journey(void);

#endif
