/* term.c: pty sizes are clamped and unknown terminal types fall back to one every client has. */
#include "ssh/term.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int term_clamp_side(long long v)
{
    if (v < 1)
        return 1;
    return v > TERM_SIDE_MAX ? TERM_SIDE_MAX : (int)v;
}

int term_clamp_pixels(long long v)
{
    if (v < 0)
        return 0;
    return v > 65535 ? 65535 : (int)v;
}

/* Only names terminfo could hold and that cannot walk out of its directories. */
static bool term_name_plain(const char *s)
{
    size_t n = 0;

    if (!s || !*s || *s == '.' || *s == '-')
        return false;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= TERM_NAME_MAX - 1)
            return false;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '+'))
            return false;
    }
    return true;
}

static bool term_found(const char *name, const char *const *dirs)
{
    char path[1024];

    for (; *dirs; dirs++) {
        /* ncurses stores entries under their first letter, some builds under its hex code */
        snprintf(path, sizeof path, "%s/%c/%s", *dirs, name[0], name);
        if (access(path, R_OK) == 0)
            return true;
        snprintf(path, sizeof path, "%s/%02x/%s", *dirs, (unsigned char)name[0], name);
        if (access(path, R_OK) == 0)
            return true;
    }
    return false;
}

void term_choose(const char *wanted, const char *const *dirs, char *out, size_t outsz)
{
    static const char *const system_dirs[] = {"/etc/terminfo", "/lib/terminfo",
                                              "/usr/share/terminfo", "/usr/lib/terminfo", NULL};

    if (term_name_plain(wanted) && term_found(wanted, dirs ? dirs : system_dirs))
        snprintf(out, outsz, "%s", wanted);
    else
        snprintf(out, outsz, "%s", TERM_FALLBACK);
}
