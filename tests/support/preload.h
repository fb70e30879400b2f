/* preload.h: a library of the tests preloaded into the servers a test starts from now on. */
#ifndef SETT_TEST_PRELOAD_H
#define SETT_TEST_PRELOAD_H

/* Sets LD_PRELOAD to `lib` in this process's environment (children inherit it), and lets a
 * sanitizer build's runtime accept a library loaded before it (ASAN_OPTIONS gains
 * verify_asan_link_order=0). 0 or -1. */
int preload_set(const char *lib);
/* Takes LD_PRELOAD out again (ASAN_OPTIONS keeps the addition, harmless without a preload). */
void preload_clear(void);

#endif
