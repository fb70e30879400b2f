/* forkserver.h: `sett --fork-server FD`, the warm storefront settd starts once. For each
 * customer's session settd's connection process sends it the session's descriptors; it forks, and
 * the child runs sett on them as if it had been started by exec, without the start.
 *
 * The wire (SOCK_SEQPACKET):
 *   "ready" from the server once it is warm; then, from each connection process,
 *   request: "sett-fork 1\0" FLAGS "\0" CWD "\0" ARGC "\0" argv… ENVC "\0" env…, with five
 *            descriptors (SCM_RIGHTS): the session's status socket, stdin, stdout, stderr and the
 *            tokens pipe. FLAGS "t": stdin is a terminal to make the controlling one.
 *   on the status socket: "started PID" with the child's pidfd, or "refused WHY"; later
 *            "exited STATUS" (the wait status), then the socket closes. */
#ifndef SETT_SCREENS_FORKSERVER_H
#define SETT_SCREENS_FORKSERVER_H

#include <stddef.h>

#define FORKSERVER_MSG_MAX 8192
#define FORKSERVER_FDS     5
#define FORKSERVER_ARGS    32
#define FORKSERVER_ENVS    32

/* One request, parsed: pointers into the message. */
struct forkserver_req {
    int tty; /* make stdin the controlling terminal */
    const char *cwd;
    int argc, envc;
    char *argv[FORKSERVER_ARGS + 1];
    char *envp[FORKSERVER_ENVS + 1];
};

/* Parses a request's bytes (modified in place: NUL-terminated). 0, or -1 with `why`. */
int forkserver_parse(char *msg, size_t len, struct forkserver_req *r, const char **why);

/* The server's loop on `fd` until settd closes its end; `run` is sett's own main, run in each
 * child. `argv` and `envp` are main's, as exec laid them out: each child shows its own command
 * line and environment in their place (settd leaves room in both). Returns the exit code. */
int forkserver_main(int fd, int argc, char **argv, char **envp, int (*run)(int argc, char **argv));

#endif
