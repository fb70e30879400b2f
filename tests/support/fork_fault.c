/* fork_fault.c: fork(2) that fails on demand, preloaded into settd by a test.
 *
 * Built as a shared library (libsett_fork_fault.so) and loaded with LD_PRELOAD, so the server
 * under test is the shipped binary. While the file named by $SETT_FORK_FAULT exists, fork()
 * fails with the error its first word names: ENOMEM, or else EAGAIN (as with too many
 * processes). Without the file it is the real fork(). Root is not held back by RLIMIT_NPROC, so a
 * limit cannot make the call fail in a test run as root; this can. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

pid_t fork(void)
{
    static pid_t (*real_fork)(void);
    const char *path = getenv("SETT_FORK_FAULT");
    FILE *f = path ? fopen(path, "re") : NULL;

    if (f) {
        char word[16] = "";
        if (!fgets(word, sizeof word, f))
            word[0] = '\0';
        fclose(f);
        errno = strncmp(word, "ENOMEM", 6) == 0 ? ENOMEM : EAGAIN;
        return -1;
    }
    if (!real_fork)
        *(void **)&real_fork = dlsym(RTLD_NEXT, "fork");
    return real_fork ? real_fork() : -1;
}
