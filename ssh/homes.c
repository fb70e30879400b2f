/* homes.c: session homes inside one private directory, removed with *at() calls only. */
#include "ssh/homes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOMES_DEPTH_MAX 32 /* sett writes a few levels (config, data); deeper is not ours */

/* Removes `name` in the directory `at`: a file or a link is unlinked (a link is never followed); a
 * directory is emptied through its own descriptor, then removed. */
static void homes_rm_at(int at, const char *name, int depth)
{
    struct dirent *ent;
    DIR *d;
    int fd;

    if (unlinkat(at, name, 0) == 0 || (errno != EISDIR && errno != EPERM))
        return;
    if (depth >= HOMES_DEPTH_MAX)
        return;
    fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    if (!(d = fdopendir(fd))) {
        close(fd);
        return;
    }
    while ((ent = readdir(d)))
        if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
            homes_rm_at(dirfd(d), ent->d_name, depth + 1);
    closedir(d);
    unlinkat(at, name, AT_REMOVEDIR);
}

int homes_open(struct homes *h, const char *parent, char *err, size_t errsz)
{
    struct stat st;

    h->fd = -1;
    if (!parent) {
        parent = getenv("TMPDIR");
        if (!parent || *parent != '/' || strlen(parent) > 200)
            parent = "/tmp";
    }
    snprintf(h->path, sizeof h->path, "%s/settd-XXXXXX", parent);
    if (!mkdtemp(h->path)) { /* mode 0700, and the name did not exist */
        snprintf(err, errsz, "cannot create a private directory in %s: %s", parent,
                 strerror(errno));
        h->path[0] = '\0';
        return -1;
    }
    h->fd = open(h->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (h->fd < 0 || fstat(h->fd, &st) != 0 || st.st_uid != geteuid() ||
        (st.st_mode & 0777) != 0700) {
        snprintf(err, errsz, "%s is not the private directory settd made", h->path);
        if (h->fd >= 0)
            close(h->fd);
        h->fd = -1;
        rmdir(h->path);
        h->path[0] = '\0';
        return -1;
    }
    return 0;
}

int homes_make(const struct homes *h, pid_t pid, char *path, size_t size, char *err, size_t errsz)
{
    char name[24];

    snprintf(name, sizeof name, "%ld", (long)pid);
    homes_rm_at(h->fd, name, 0); /* a home left by an earlier process with this pid */
    if (mkdirat(h->fd, name, 0700) != 0) {
        snprintf(err, errsz, "cannot create a session directory in %s: %s", h->path,
                 strerror(errno));
        return -1;
    }
    snprintf(path, size, "%s/%s", h->path, name);
    return 0;
}

void homes_remove(const struct homes *h, pid_t pid)
{
    char name[24];

    if (!h || h->fd < 0 || pid <= 0)
        return;
    snprintf(name, sizeof name, "%ld", (long)pid);
    homes_rm_at(h->fd, name, 0);
}

void homes_close(struct homes *h)
{
    struct dirent *ent;
    DIR *d;
    int fd;

    if (h->fd < 0)
        return;
    if ((fd = dup(h->fd)) >= 0 && (d = fdopendir(fd))) {
        while ((ent = readdir(d)))
            if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
                homes_rm_at(dirfd(d), ent->d_name, 1);
        closedir(d);
    } else if (fd >= 0) {
        close(fd);
    }
    close(h->fd);
    h->fd = -1;
    /* the one path call: the name settd itself made, in a directory it no longer needs */
    rmdir(h->path);
    h->path[0] = '\0';
}
