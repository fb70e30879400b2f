/* theme.c: theme files (INI) parsed into element styles, and where themes are found. */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/theme.h"

#define COLOR_UNSET     (-2) /* while parsing: take normal's colour */
#define THEME_MAX_BYTES (64 * 1024)

static const struct {
    const char *name;
    unsigned mono;
} elems[EL_COUNT] = {
#define X(el, name, mono) [el] = {name, mono},
    THEME_ELEMENTS(X)
#undef X
};

static const char *const colour_names[] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    {"normal", TM_NORMAL}, {"none", TM_NORMAL},         {"bold", TM_BOLD},
    {"dim", TM_DIM},       {"underline", TM_UNDERLINE}, {"reverse", TM_REVERSE},
    {"italic", TM_ITALIC}, {"standout", TM_STANDOUT},
};

const char *theme_elem_name(enum theme_elem e)
{
    return (unsigned)e < EL_COUNT ? elems[e].name : "";
}

int theme_elem_lookup(const char *name)
{
    for (int e = 0; name && e < EL_COUNT; e++)
        if (strcmp(elems[e].name, name) == 0)
            return e;
    return -1;
}

unsigned theme_elem_mono(enum theme_elem e)
{
    return (unsigned)e < EL_COUNT ? elems[e].mono : TM_NORMAL;
}

/* "default" is -1; names 0-7; bright-<name> 8-15; or a number 0-255. -3 if unknown. */
static int colour_parse(const char *s)
{
    if (strcmp(s, "default") == 0)
        return -1;
    int base = 0;
    if (strncmp(s, "bright-", 7) == 0) {
        base = 8;
        s += 7;
    }
    for (int i = 0; i < 8; i++)
        if (strcmp(s, colour_names[i]) == 0)
            return base + i;
    if (base == 0 && s[0] >= '0' && s[0] <= '9') {
        char *end;
        long n = strtol(s, &end, 10);
        if (*end == '\0' && n >= 0 && n <= 255)
            return (int)n;
    }
    return -3;
}

static bool attr_parse(const char *s, unsigned *bit)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        if (strcmp(s, attr_names[i].name) == 0) {
            *bit = attr_names[i].bit;
            return true;
        }
    }
    return false;
}

/* "<attrs...> [<fg>] [on <bg>]", words in any order before "on". */
static int style_parse(const char *value, struct theme_style *st, char *err, size_t errsz)
{
    char buf[256], *save = NULL;
    bool want_bg = false;

    st->fg = st->bg = COLOR_UNSET;
    st->attrs = TM_NORMAL;
    st->set = true;
    snprintf(buf, sizeof buf, "%s", value);
    for (char *w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        unsigned bit;
        int c;
        if (want_bg) {
            if ((c = colour_parse(w)) < -1) {
                snprintf(err, errsz, "unknown colour '%s'", w);
                return -1;
            }
            st->bg = (short)c;
            want_bg = false;
        } else if (strcmp(w, "on") == 0) {
            if (st->bg != COLOR_UNSET) {
                snprintf(err, errsz, "two background colours");
                return -1;
            }
            want_bg = true;
        } else if (attr_parse(w, &bit)) {
            st->attrs |= bit;
        } else if ((c = colour_parse(w)) >= -1) {
            if (st->fg != COLOR_UNSET || st->bg != COLOR_UNSET) {
                snprintf(err, errsz, "unexpected colour '%s' (write: <fg> on <bg>)", w);
                return -1;
            }
            st->fg = (short)c;
        } else {
            snprintf(err, errsz, "unknown attribute or colour '%s'", w);
            return -1;
        }
    }
    if (want_bg) {
        snprintf(err, errsz, "'on' without a background colour");
        return -1;
    }
    return 0;
}

struct parse_ctx {
    const char *pos; /* reader position in the text */
    int line;        /* line the reader handed out last: the one inih is looking at */
    int err_line;
    char err[160];
    struct theme th;
};

__attribute__((format(printf, 2, 3))) static void ctx_fail(struct parse_ctx *c, const char *fmt,
                                                           ...)
{
    va_list ap;

    if (c->err_line)
        return; /* the first error is the one to fix first */
    c->err_line = c->line;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

/* inih's ini_parse_string does not tell the handler its line; a reader of our own does. */
static char *ctx_read(char *str, int num, void *stream)
{
    struct parse_ctx *c = stream;
    const char *nl;
    size_t len, take;

    if (*c->pos == '\0')
        return NULL;
    nl = strchr(c->pos, '\n');
    len = nl ? (size_t)(nl - c->pos) + 1 : strlen(c->pos);
    c->line++;
    take = len;
    if (take > (size_t)num - 1) {
        take = (size_t)num - 1;
        ctx_fail(c, "line too long");
    }
    memcpy(str, c->pos, take);
    str[take] = '\0';
    c->pos += len;
    return str;
}

static int ctx_entry(void *user, const char *section, const char *name, const char *value)
{
    struct parse_ctx *c = user;
    char why[128];
    int e;

    if (strcmp(section, "theme") == 0) {
        if (strcmp(name, "name") == 0) {
            if (strlen(value) >= sizeof c->th.name)
                ctx_fail(c, "theme name '%s' is too long", value);
            else
                snprintf(c->th.name, sizeof c->th.name, "%s", value);
        } else if (strcmp(name, "description") != 0) {
            ctx_fail(c, "unknown key '%s' in [theme]", name);
        }
    } else if (strcmp(section, "elements") == 0) {
        if ((e = theme_elem_lookup(name)) < 0)
            ctx_fail(c, "unknown element '%s'", name);
        else if (style_parse(value, &c->th.styles[e], why, sizeof why) < 0)
            ctx_fail(c, "%s", why);
    } else if (section[0] == '\0') {
        ctx_fail(c, "'%s' is outside a section", name);
    } else {
        ctx_fail(c, "unknown section [%s]", section);
    }
    return 1; /* errors are kept in the context so the message can say what was wrong */
}

/* Elements the file does not name are normal's style; colours an element leaves out are
 * normal's colours (so a theme with a background stays on it); attributes are the element's. */
static void theme_resolve(struct theme *th)
{
    struct theme_style *normal = &th->styles[EL_NORMAL];

    if (!normal->set)
        *normal = (struct theme_style){-1, -1, TM_NORMAL, true};
    if (normal->fg == COLOR_UNSET)
        normal->fg = -1;
    if (normal->bg == COLOR_UNSET)
        normal->bg = -1;
    for (int e = 0; e < EL_COUNT; e++) {
        struct theme_style *st = &th->styles[e];
        if (e == EL_NORMAL)
            continue;
        if (!st->set) {
            *st = *normal;
            st->set = false;
            continue;
        }
        if (st->fg == COLOR_UNSET)
            st->fg = normal->fg;
        if (st->bg == COLOR_UNSET)
            st->bg = normal->bg;
    }
}

int theme_parse(struct theme *t, const char *text, char *err, size_t errsz)
{
    struct parse_ctx *c;
    int rc = -1, r;

    if (!t || !text) {
        snprintf(err, errsz, "no theme text");
        return -1;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    c->pos = text;
    r = ini_parse_stream(ctx_read, c, ctx_entry, c);
    if (r > 0 && (c->err_line == 0 || r < c->err_line)) {
        snprintf(err, errsz, "line %d: syntax error (expected [section] or name = value)", r);
        goto done;
    }
    if (c->err_line) {
        snprintf(err, errsz, "line %d: %s", c->err_line, c->err);
        goto done;
    }
    if (r != 0) {
        snprintf(err, errsz, "cannot parse the theme (%d)", r);
        goto done;
    }
    theme_resolve(&c->th);
    *t = c->th;
    rc = 0;
done:
    free(c);
    return rc;
}

/* Theme names become file names: keep them to one harmless path component. */
static bool theme_name_ok(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n >= sizeof((struct theme *)0)->name || name[0] == '.')
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* Reads a whole small file; NULL with errno set (ENOENT: no such theme there). */
static char *file_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n;

    if (!f)
        return NULL;
    buf = malloc(THEME_MAX_BYTES + 1);
    if (!buf) {
        errno = ENOMEM;
        goto done;
    }
    n = fread(buf, 1, THEME_MAX_BYTES + 1, f);
    if (ferror(f) || n > THEME_MAX_BYTES) {
        free(buf);
        buf = NULL;
        errno = ferror(f) ? EIO : EFBIG;
        goto done;
    }
    buf[n] = '\0';
done:
    fclose(f);
    return buf;
}

static void theme_user_path(const char *name, char *path, size_t pathsz)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");

    path[0] = '\0';
    if (xdg && xdg[0] == '/')
        snprintf(path, pathsz, "%s/sett/themes/%s.ini", xdg, name);
    else if (home && home[0] == '/')
        snprintf(path, pathsz, "%s/.config/sett/themes/%s.ini", home, name);
}

int theme_load(struct theme *t, const char *name, char *err, size_t errsz)
{
    char path[4096], why[192];
    const char *builtin;
    char *text;

    if (!name)
        name = "default";
    if (!theme_name_ok(name)) {
        snprintf(err, errsz, "invalid theme name '%.40s'", name);
        return -1;
    }
    theme_user_path(name, path, sizeof path);
    if (path[0] && (text = file_slurp(path)) != NULL) {
        int rc = theme_parse(t, text, why, sizeof why);
        free(text);
        if (rc < 0) {
            snprintf(err, errsz, "%s: %s", path, why);
            return -1;
        }
        if (!t->name[0])
            snprintf(t->name, sizeof t->name, "%s", name);
        return 0;
    }
    if (path[0] && errno != ENOENT && errno != ENOTDIR) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!(builtin = theme_builtin(name))) {
        snprintf(err, errsz, "no theme named '%s'", name);
        return -1;
    }
    if (theme_parse(t, builtin, why, sizeof why) < 0) {
        snprintf(err, errsz, "built-in theme '%s': %s", name, why);
        return -1;
    }
    if (!t->name[0])
        snprintf(t->name, sizeof t->name, "%s", name);
    return 0;
}
