/* scenario_main.h: the main of a test program that runs one scenario of its table by name. */
#ifndef SETT_TEST_SCENARIO_MAIN_H
#define SETT_TEST_SCENARIO_MAIN_H

#include <stddef.h>

struct scenario {
    const char *name;
    int (*run)(void); /* 0 when it passed */
};

/* Runs the scenario argv[1] names and says "ok  NAME" or "FAIL NAME" on stderr: 0 when it
 * passed, else 1. With no name or an unknown one, the usage with every name on stderr and 2
 * (ctest then fails the test rather than pass it unrun). */
int scenario_main(int argc, char **argv, const struct scenario *table, size_t n);

#endif
