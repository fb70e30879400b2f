/* cast.h: a harness's pty output recorded as an asciicast v2 file, time compressed. */
#ifndef SETT_SCREENS_CAST_H
#define SETT_SCREENS_CAST_H

#include <stdio.h>

#include "harness.h"

/* The longest stretch of silence kept, in seconds; longer waits are cut to it. */
#define CAST_IDLE_MAX 1.0

struct cast {
    FILE *f;
    struct harness *h;
    size_t done;       /* raw output already written */
    double t;          /* the recording's clock, seconds */
    long long last_ms; /* the real clock at the last output taken */
};

/* Starts `path` with the header ({"version": 2, …}); `timestamp` is the recording's start
 * (fixed, so the file does not change with the day it was made). 0 or -1. */
int cast_open(struct cast *c, const char *path, struct harness *h, long long timestamp,
              const char *title);
/* Writes the output that arrived since the last call as one event, at the real time elapsed
 * (at most CAST_IDLE_MAX later than the previous event). Incomplete UTF-8 at the end waits for
 * the rest. */
void cast_take(struct cast *c);
/* Time for the viewer to read before the next key: the clock moves on by `seconds`. */
void cast_pause(struct cast *c, double seconds);
/* Reads output, recording it, until `text` is on the screen (or, with `gone`, is not). 0 or -1
 * on timeout (screen printed). */
int cast_wait(struct cast *c, const char *text, int gone);
/* Reads output, recording it, until the program has been quiet for `quiet_ms`. 0 or -1. */
int cast_quiet(struct cast *c, int quiet_ms);
/* Sends `keys`, one character at a time `each` seconds apart (typing), recording the output. */
int cast_type(struct cast *c, const char *keys, double each);
/* Takes what is left and closes the file. 0 or -1. */
int cast_close(struct cast *c);

#endif
