/* scenario_main.c: the main of a test program that runs one scenario of its table by name. */
#include "scenario_main.h"

#include <stdio.h>
#include <string.h>

int scenario_main(int argc, char **argv, const struct scenario *table, size_t n)
{
    if (argc == 2) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(argv[1], table[i].name) == 0) {
                int rc = table[i].run();
                fprintf(stderr, "%s %s\n", rc == 0 ? "ok  " : "FAIL", argv[1]);
                return rc == 0 ? 0 : 1;
            }
        }
    }
    fprintf(stderr, "usage: %s SCENARIO\nscenarios:", argv[0]);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %s", table[i].name);
    fputc('\n', stderr);
    return 2;
}
