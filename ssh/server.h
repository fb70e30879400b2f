/* server.h: the parent process: listens, applies the limits, forks a process per connection,
 * and on SIGTERM/SIGINT stops them all. */
#ifndef SETT_SSH_SERVER_H
#define SETT_SSH_SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include "ssh/session.h"

/* Binds and listens on --listen/--port: the socket, and the port actually bound. */
int server_listen(const char *addr, int port, int *fd, int *bound, char *err, size_t errsz);

/* Serves until SIGTERM/SIGINT (0) or until the embedded billing process *billing_pid (0: none)
 * dies (1; *billing_pid is then cleared). Stops and reaps every connection's process before
 * returning. */
int server_run(const struct session_ctx *ctx, int listen_fd, pid_t *billing_pid);

#endif
