/* harness_env.c: the clean environment of the program under test, and its side of the fork. */
#include "harness_internal.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Adds "NAME=value", replacing an earlier value of NAME. */
static int env_put(struct env_list *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int env_put(struct env_list *e, const char *fmt, ...)
{
    char *var;
    va_list ap;
    va_start(ap, fmt);
    int len = vasprintf(&var, fmt, ap);
    va_end(ap);
    if (len < 0)
        return -1;
    const char *eq = strchr(var, '=');
    size_t keylen = eq ? (size_t)(eq - var) + 1 : (size_t)len;
    for (int i = 0; i < e->n; i++) {
        if (strncmp(e->vars[i], var, keylen) == 0) {
            free(e->vars[i]);
            e->vars[i] = var;
            return 0;
        }
    }
    if (e->n == (int)(sizeof e->vars / sizeof e->vars[0] - 1)) {
        free(var);
        return -1;
    }
    e->vars[e->n++] = var;
    e->vars[e->n] = NULL;
    return 0;
}

void harness_env_clear(struct env_list *e)
{
    for (int i = 0; i < e->n; i++)
        free(e->vars[i]);
    e->n = 0;
    e->vars[0] = NULL;
}

int harness_env_build(struct env_list *e, const char *home, const char *const env_add[])
{
    static const char *const passed[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS",
                                         "MSAN_OPTIONS", NULL};
    int rc = 0;
    rc |= env_put(e, "TERM=xterm-256color");
    rc |= env_put(e, "LANG=C.UTF-8");
    rc |= env_put(e, "LC_ALL=C.UTF-8");
    rc |= env_put(e, "TZ=UTC");
    rc |= env_put(e, "PATH=/usr/local/bin:/usr/bin:/bin");
    rc |= env_put(e, "HOME=%s", home);
    rc |= env_put(e, "XDG_CONFIG_HOME=%s/.config", home);
    rc |= env_put(e, "XDG_DATA_HOME=%s/.local/share", home);
    rc |= env_put(e, "XDG_STATE_HOME=%s/.local/state", home);
    rc |= env_put(e, "XDG_CACHE_HOME=%s/.cache", home);
    for (int i = 0; passed[i]; i++) {
        const char *v = getenv(passed[i]);
        if (v)
            rc |= env_put(e, "%s=%s", passed[i], v);
    }
    for (int i = 0; env_add && env_add[i]; i++)
        rc |= env_put(e, "%s", env_add[i]);
    return rc;
}

void harness_make_home(const char *home)
{
    static const char *const sub[] = {"/.config",      "/.local", "/.local/share",
                                      "/.local/state", "/.cache", NULL};
    char path[PATH_MAX + 32];
    for (int i = 0; sub[i]; i++) {
        snprintf(path, sizeof path, "%s%s", home, sub[i]);
        mkdir(path, 0700);
    }
}

void harness_child_exec(const char *const argv[], char *const env[], const char *home)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (chdir(home) != 0)
        _exit(126);
    execve(argv[0], (char *const *)argv, env);
    static const char msg[] = "harness: exec failed\r\n";
    if (write(2, msg, sizeof msg - 1) < 0)
        _exit(127);
    _exit(127);
}
