/* term.h: what a client may ask of the pseudo-terminal: its size and its TERM. */
#ifndef SETT_SSH_TERM_H
#define SETT_SSH_TERM_H

#include <stddef.h>

#define TERM_SIDE_MAX 500
#define TERM_FALLBACK "xterm-256color"
#define TERM_NAME_MAX 64

/* A requested width or height (any int the client sent) brought into 1..TERM_SIDE_MAX. */
int term_clamp_side(long long v);
/* A pixel size into 0..65535 (0: unknown). */
int term_clamp_pixels(long long v);

/* The TERM the session runs with: `wanted` when it is a plain name with a terminfo entry in one
 * of `dirs` (NULL-terminated; NULL: the system's), else TERM_FALLBACK. */
void term_choose(const char *wanted, const char *const *dirs, char *out, size_t outsz);

#endif
