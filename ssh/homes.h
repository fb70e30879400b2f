/* homes.h: settd's private directory of session homes, made at start and removed at exit. */
#ifndef SETT_SSH_HOMES_H
#define SETT_SSH_HOMES_H

#include <stddef.h>
#include <sys/types.h>

struct homes {
    int fd;         /* the private directory, opened O_DIRECTORY|O_NOFOLLOW; -1: none */
    char path[256]; /* its path, for the HOME a session's sett is given */
};

/* Creates a fresh directory "settd-XXXXXX" (mode 0700, a name no one could have made first)
 * under `parent` (NULL: $TMPDIR, else /tmp) and opens it. 0, or -1 with a message. */
int homes_open(struct homes *h, const char *parent, char *err, size_t errsz);
/* The home of connection process `pid`: "<dir>/<pid>", mode 0700, made anew (whatever held the
 * name is removed first). Writes its path to `path`. 0, or -1 with a message. */
int homes_make(const struct homes *h, pid_t pid, char *path, size_t size, char *err, size_t errsz);
/* Removes the home of `pid` and everything in it, by descriptors relative to the private
 * directory: no path is resolved again and no symbolic link is followed. */
void homes_remove(const struct homes *h, pid_t pid);
/* Removes every home, then the private directory itself, and closes it. */
void homes_close(struct homes *h);

#endif
