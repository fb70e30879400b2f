/* e2e_scenarios.h: the end-to-end scenarios, one ctest test each (`e2e_settd NAME`). */
#ifndef SETT_E2E_SCENARIOS_H
#define SETT_E2E_SCENARIOS_H

int scenario_purchase(void);
int scenario_resize(void);
int scenario_idle(void);
int scenario_refusals(void);
int scenario_channels(void);
int scenario_hostile_bytes(void);
int scenario_hostile_sizes(void);
int scenario_crowd(void);
int scenario_limits(void);
int scenario_audit(void);
int scenario_kiosk(void);
int scenario_signup_off(void);
int scenario_unknown_term(void);
int scenario_embedded(void);
int scenario_embedded_doors(void);
int scenario_inherit(void);
int scenario_pressure(void);
int scenario_api_down(void);
int scenario_no_fork(void);
int scenario_homes(void);
int scenario_hostile_signin(void);
int scenario_embedded_addresses(void);
int scenario_plain_user(void);
int scenario_plain_term(void);
int scenario_plain_idle(void);
int scenario_commands(void);
int scenario_commands_hostile(void);
int scenario_commands_large(void);
int scenario_haproxy_spread(void);
int scenario_haproxy_drain(void);
int scenario_fork_server(void);

#endif
