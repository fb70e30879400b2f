/* credentials.c: the stored sign-in sessions, one private file with an entry per API. */
#include "screens/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_ENTRIES 16
#define KEY_MAX     600
#define FILE_MAX    (64 * 1024)

/* File format, one "name=value" a line, an entry starting at each "api=":
 *   api=http://127.0.0.1:8420
 *   access_token=…
 *   refresh_token=… */
struct entry {
    char key[KEY_MAX];
    char access[CREDENTIALS_TOKEN_MAX];
    char refresh[CREDENTIALS_TOKEN_MAX];
};

struct store {
    struct entry e[MAX_ENTRIES];
    int n;
};

int credentials_path(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(buf, n, "%s/sett/credentials", xdg);
    else if (home && *home)
        snprintf(buf, n, "%s/.config/sett/credentials", home);
    else
        return -1;
    return 0;
}

static void copy_value(char *dst, size_t n, const char *v)
{
    snprintf(dst, n, "%s", v);
}

static void parse(struct store *st, char *text)
{
    struct entry *cur = NULL;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        line[strcspn(line, "\r")] = '\0';
        char *eq = strchr(line, '=');
        if (line[0] == '#' || !eq)
            continue;
        *eq = '\0';
        const char *name = line, *value = eq + 1;
        if (strcmp(name, "api") == 0) {
            cur = st->n < MAX_ENTRIES ? &st->e[st->n++] : NULL;
            if (cur) {
                memset(cur, 0, sizeof *cur);
                copy_value(cur->key, sizeof cur->key, value);
            }
        } else if (cur && strcmp(name, "access_token") == 0) {
            copy_value(cur->access, sizeof cur->access, value);
        } else if (cur && strcmp(name, "refresh_token") == 0) {
            copy_value(cur->refresh, sizeof cur->refresh, value);
        }
    }
}

/* 0 with the entries (none when there is no file), -1 with a reason. */
static int read_store(const char *path, struct store *st, char *err, size_t errsz)
{
    struct stat sb;
    char *text = NULL;
    int rc = -1;
    memset(st, 0, sizeof *st);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errsz, "%s is not a regular file", path);
        goto done;
    }
    if (sb.st_uid != geteuid() || (sb.st_mode & 077)) {
        /* someone else could have read the tokens: do not use them */
        snprintf(err, errsz, "%s is readable by others; sign in again (it is then rewritten 0600)",
                 path);
        goto done;
    }
    if (sb.st_size > FILE_MAX) {
        snprintf(err, errsz, "%s is too large", path);
        goto done;
    }
    text = calloc(1, (size_t)sb.st_size + 1);
    if (!text) {
        snprintf(err, errsz, "out of memory");
        goto done;
    }
    ssize_t got = read(fd, text, (size_t)sb.st_size);
    if (got < 0) {
        snprintf(err, errsz, "cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    text[got] = '\0';
    parse(st, text);
    rc = 0;
done:
    if (text) {
        explicit_bzero(text, (size_t)sb.st_size);
        free(text);
    }
    close(fd);
    return rc;
}

int credentials_load(const char *key, char access[CREDENTIALS_TOKEN_MAX],
                     char refresh[CREDENTIALS_TOKEN_MAX], char *err, size_t errsz)
{
    char path[1024];
    struct store *st = calloc(1, sizeof *st);
    int rc = 1;
    access[0] = refresh[0] = '\0';
    if (!st)
        return -1;
    if (credentials_path(path, sizeof path) != 0) {
        rc = 1;
    } else if (read_store(path, st, err, errsz) != 0) {
        rc = -1;
    } else {
        for (int i = 0; i < st->n; i++) {
            if (strcmp(st->e[i].key, key) == 0 && (st->e[i].access[0] || st->e[i].refresh[0])) {
                copy_value(access, CREDENTIALS_TOKEN_MAX, st->e[i].access);
                copy_value(refresh, CREDENTIALS_TOKEN_MAX, st->e[i].refresh);
                rc = 0;
            }
        }
    }
    explicit_bzero(st, sizeof *st);
    free(st);
    return rc;
}

static int mkdir_parent(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static bool write_all(int fd, const char *s)
{
    size_t len = strlen(s);
    while (len > 0) {
        ssize_t w = write(fd, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        s += w;
        len -= (size_t)w;
    }
    return true;
}

static int write_store(const char *path, const struct store *st, char *err, size_t errsz)
{
    char tmp[1100], line[KEY_MAX + 2 * CREDENTIALS_TOKEN_MAX + 64];
    bool ok = true;
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* created 0600 */
    if (fd < 0) {
        snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    ok = fchmod(fd, 0600) == 0 &&
         write_all(fd, "# sett sign-in sessions, one per billing API. Keep this file private.\n");
    for (int i = 0; ok && i < st->n; i++) {
        snprintf(line, sizeof line, "api=%s\naccess_token=%s\nrefresh_token=%s\n", st->e[i].key,
                 st->e[i].access, st->e[i].refresh);
        ok = write_all(fd, line);
        explicit_bzero(line, sizeof line);
    }
    ok = ok && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Only what a header may carry goes into the file: one line per value, no '=' games. */
static bool value_ok(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f)
            return false;
    return true;
}

int credentials_save(const char *key, const char *access, const char *refresh, char *err,
                     size_t errsz)
{
    char path[1024];
    struct store *st = calloc(1, sizeof *st);
    int rc = -1;
    if (!st) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    if (credentials_path(path, sizeof path) != 0) {
        snprintf(err, errsz, "no configuration directory: set HOME or XDG_CONFIG_HOME");
        goto done;
    }
    if (strchr(key, '\n') || !value_ok(access) || !value_ok(refresh)) {
        snprintf(err, errsz, "refusing to store a malformed session");
        goto done;
    }
    if (read_store(path, st, err, errsz) != 0)
        memset(st, 0, sizeof *st); /* an untrustworthy file is replaced, not merged */
    int at = -1;
    for (int i = 0; i < st->n; i++)
        if (strcmp(st->e[i].key, key) == 0)
            at = i;
    if (!access && !refresh) {
        if (at < 0) {
            rc = 0;
            goto done;
        }
        memmove(&st->e[at], &st->e[at + 1], (size_t)(st->n - at - 1) * sizeof st->e[0]);
        st->n--;
    } else {
        if (at < 0) {
            if (st->n == MAX_ENTRIES) { /* forget the oldest */
                memmove(&st->e[0], &st->e[1], (MAX_ENTRIES - 1) * sizeof st->e[0]);
                st->n--;
            }
            at = st->n++;
        }
        copy_value(st->e[at].key, sizeof st->e[at].key, key);
        copy_value(st->e[at].access, sizeof st->e[at].access, access ? access : "");
        copy_value(st->e[at].refresh, sizeof st->e[at].refresh, refresh ? refresh : "");
    }
    if (mkdir_parent(path) != 0) {
        snprintf(err, errsz, "cannot create the directory of %s: %s", path, strerror(errno));
        goto done;
    }
    rc = write_store(path, st, err, errsz);
done:
    explicit_bzero(st, sizeof *st);
    free(st);
    return rc;
}
