/* forkserver.h: settd's side of the warm storefront (`sett --fork-server`, whose wire is
 * described in screens/forkserver.h): started once by settd, restarted if it dies, and asked by
 * each connection process for its session's sett. */
#ifndef SETT_SSH_FORKSERVER_H
#define SETT_SSH_FORKSERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct forkserver {
    int fd;     /* settd's end of the request socket; -1: none (sett is started by exec) */
    pid_t pid;  /* 0: not running */
    bool ready; /* it said so: sessions forked from here on ask it */
    int64_t started_ns;
    int quick_deaths; /* deaths within a second of a start, in a row */
    const char *sett;
};

/* Starts `sett --fork-server` (no-op when fs->sett is NULL). 0, or -1 with a message. */
int forkserver_start(struct forkserver *fs, char *err, size_t errsz);
/* settd reaped `pid`: true if it was the fork server (then restarted, unless it keeps dying at
 * once; sessions meanwhile start sett by exec). */
bool forkserver_reaped(struct forkserver *fs, pid_t pid, int status);
/* settd's loop saw its socket readable before it was ready: reads its word. */
void forkserver_readable(struct forkserver *fs);
/* Milliseconds until settd must look again (the fork server has that long left to say it is
 * ready; past it, it is killed and not restarted), or -1. */
int forkserver_wait_ms(struct forkserver *fs, int64_t now);
/* The socket a new connection process asks on, or -1 (not ready, not running). */
int forkserver_fd(const struct forkserver *fs);
/* Closes the socket (the server then exits; sessions go on) and reaps it. */
void forkserver_stop(struct forkserver *fs);

/* What a connection process asks for. */
struct forkserver_spawn {
    bool tty; /* `in` is a terminal: it becomes the session's controlling one */
    const char *cwd;
    const char *const *argv; /* NULL-terminated */
    const char *const *envp; /* NULL-terminated, NAME=VALUE */
    int in, out, err, session_fd;
};

/* Asks the fork server on `fd` for the session's process. On success (0) *pid is its pid,
 * *pidfd a descriptor for signalling it and *status_fd the socket its exit is told on (see
 * forkserver_status). -1 with a message when there is no answer: the caller starts sett itself. */
int forkserver_spawn(int fd, const struct forkserver_spawn *sp, pid_t *pid, int *pidfd,
                     int *status_fd, char *err, size_t errsz);
/* Reads the exit from a status socket: 1 with *status (a wait status), 0 not yet, -1 the socket
 * closed without it (the fork server died; its pidfd still tells when the process ends). */
int forkserver_status(int status_fd, int *status);

#endif
