/* e2e_settd.c: runs one end-to-end scenario of settd by name (`e2e_settd purchase`). */
#include <signal.h>

#include "e2e_scenarios.h"
#include "scenario_main.h"

static const struct scenario scenarios[] = {
    {"purchase", scenario_purchase},
    {"resize", scenario_resize},
    {"idle", scenario_idle},
    {"refusals", scenario_refusals},
    {"channels", scenario_channels},
    {"hostile_bytes", scenario_hostile_bytes},
    {"hostile_sizes", scenario_hostile_sizes},
    {"crowd", scenario_crowd},
    {"limits", scenario_limits},
    {"audit", scenario_audit},
    {"kiosk", scenario_kiosk},
    {"signup_off", scenario_signup_off},
    {"unknown_term", scenario_unknown_term},
    {"embedded", scenario_embedded},
    {"embedded_doors", scenario_embedded_doors},
    {"inherit", scenario_inherit},
    {"pressure", scenario_pressure},
    {"api_down", scenario_api_down},
    {"no_fork", scenario_no_fork},
    {"homes", scenario_homes},
    {"hostile_signin", scenario_hostile_signin},
    {"embedded_addresses", scenario_embedded_addresses},
    {"plain_user", scenario_plain_user},
    {"plain_term", scenario_plain_term},
    {"plain_idle", scenario_plain_idle},
    {"commands", scenario_commands},
    {"commands_hostile", scenario_commands_hostile},
    {"commands_large", scenario_commands_large},
    {"haproxy_spread", scenario_haproxy_spread},
    {"haproxy_drain", scenario_haproxy_drain},
    {"fork_server", scenario_fork_server},
};

int main(int argc, char **argv)
{
    /* A peer that closes first must fail a write, not kill the test. */
    signal(SIGPIPE, SIG_IGN);
    return scenario_main(argc, argv, scenarios, sizeof scenarios / sizeof scenarios[0]);
}
