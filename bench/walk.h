/* walk.h: one program on an 80x24 pty: its list walk, its first paint, its idle cost. */
#ifndef SETT_BENCH_WALK_H
#define SETT_BENCH_WALK_H

#include <stdbool.h>
#include <stddef.h>

#define WALK_MAX_STEPS 200
#define WALK_MAX_RUNS  99

struct program {
    const char *label;
    const char *argv[8];
    const char *first_text; /* first paint: this text is on the screen */
    const char *full_text;  /* the first screen is complete once this shows too */
    const char *focus_keys; /* sent before the walk, so the walk moves in the right list */
    const char *step_key;   /* one step down */
    const char *version[4]; /* starts, prints a line and exits: the cost of exec alone */
    int list_row;           /* a row whose text changes only when the list scrolls */
};

struct walk_settings {
    int rows, cols;
    int steps;
    int runs;     /* first paint runs */
    int quiet_ms; /* output is over once the program is silent this long */
    int idle_ms;
    bool verbose;
    const char *dump_dir; /* when set, each step's output is written to DIR/LABEL-NN.out */
};

#include "bench_util.h"

struct step {
    size_t bytes;
    struct byte_kinds kinds;
    long cells;
    bool scrolled; /* the list moved (list_row changed), not only the selection */
};

struct result {
    bool ok;
    /* the walk */
    int steps;
    struct step step[WALK_MAX_STEPS];
    size_t bytes;
    long cells;
    size_t first_screen_bytes; /* from spawn until the first complete screen settled */
    /* first paint, milliseconds from spawn */
    int runs;
    double first_byte_ms[WALK_MAX_RUNS], first_paint_ms[WALK_MAX_RUNS];
    double exec_ms[WALK_MAX_RUNS];
    /* idle, after the walk */
    long idle_ticks, idle_switches;
    size_t idle_bytes;
    struct proc_memory mem;
};

/* Runs the walk and the idle measurement in one session. Returns 0 or -1 (reason on stderr). */
int walk_measure(const struct program *p, const struct walk_settings *s, struct result *r);
/* Adds one first-paint run to r. Returns 0 or -1. */
int walk_first_paint(const struct program *p, const struct walk_settings *s, struct result *r);

#endif
