/* screens_sett.c: runs one screen scenario of `sett` by name (`screens_sett store_80x24`). */
#include <stdio.h>
#include <string.h>

#include "scenarios.h"

static const struct {
    const char *name;
    int (*run)(void);
} scenarios[] = {
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
};

int main(int argc, char **argv)
{
    size_t n = sizeof scenarios / sizeof scenarios[0];
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
