/* scenarios.h: the screen scenarios of `sett`, one ctest test each (screens_NAME). */
#ifndef SETT_SCREENS_SCENARIOS_H
#define SETT_SCREENS_SCENARIOS_H

/* Each returns 0 when every check passed. */
int scenario_store_80x24(void);
int scenario_store_132x43(void);
int scenario_product_80x24(void);
int scenario_product_132x43(void);
int scenario_configurable_80x24(void);
int scenario_search(void);
int scenario_help(void);
int scenario_quit(void);
int scenario_embedded(void);

int scenario_resize(void);
int scenario_too_small(void);
int scenario_no_color(void);
int scenario_no_mouse(void);
int scenario_hostile(void);

int scenario_slow_server(void);
int scenario_slow_cancel(void);
int scenario_dead_server(void);

#endif
