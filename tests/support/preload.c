/* preload.c: a library of the tests preloaded into the servers a test starts from now on. */
#include "preload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int preload_set(const char *lib)
{
    const char *asan = getenv("ASAN_OPTIONS");
    char opts[512];

    if (!asan || !strstr(asan, "verify_asan_link_order=0")) {
        snprintf(opts, sizeof opts, "%s%sverify_asan_link_order=0", asan ? asan : "",
                 asan && *asan ? ":" : "");
        if (setenv("ASAN_OPTIONS", opts, 1) != 0)
            return -1;
    }
    return setenv("LD_PRELOAD", lib, 1);
}

void preload_clear(void)
{
    unsetenv("LD_PRELOAD");
}
