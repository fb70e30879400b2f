/* e2e_settd.c: runs one end-to-end scenario of settd by name (`e2e_settd purchase`). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "e2e_scenarios.h"

static const struct {
    const char *name;
    int (*run)(void);
} scenarios[] = {
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
    {"inherit", scenario_inherit},
    {"pressure", scenario_pressure},
    {"api_down", scenario_api_down},
};

int main(int argc, char **argv)
{
    size_t n = sizeof scenarios / sizeof scenarios[0];
    /* A peer that closes first must fail a write, not kill the test. */
    signal(SIGPIPE, SIG_IGN);
    if (argc == 2) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(argv[1], scenarios[i].name) == 0) {
                int rc = scenarios[i].run();
                fprintf(stderr, "%s %s\n", rc == 0 ? "ok  " : "FAIL", argv[1]);
                return rc == 0 ? 0 : 1;
            }
        }
    }
    fprintf(stderr, "usage: %s SCENARIO\nscenarios:", argv[0]);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", scenarios[i].name);
    fputc('\n', stderr);
    return 2;
}
